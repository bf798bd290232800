"""First come, first served admission to the model: at most ``capacity`` answers are written at once (one for an
in-process model, one per server slot), and whoever waits is told where they stand and about how long it takes.

    with admission.ticket() as ticket:
        for waiting in ticket.wait():   # nothing when a place is free; else updates while the queue moves
            show(waiting)
        ...answer...                    # leaving the block (done, failed or stopped) frees the place

A ticket closed while it still waits just leaves the queue. A Stop from another thread (rag/stopping.py) frees the
place at once, even while the answer's thread still waits for the model to notice.
"""

import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from rag import stopping


@dataclass(frozen=True)
class Waiting:
    position: int  # 1 = next to start; 0 = starting now
    expected_s: float  # rough: answers ahead / capacity x recent answer time


class Admission:
    def __init__(self, capacity: int, first_guess_s: float = 8.0):
        self.capacity = max(1, capacity)
        self._cond = threading.Condition()
        self._queue: deque[object] = deque()
        self._running = 0
        self._answer_s = first_guess_s  # moving average of how long an admitted answer takes

    def ticket(self) -> "Ticket":
        return Ticket(self)

    @property
    def busy(self) -> bool:
        """A question is being answered or waits."""
        return self._running > 0 or bool(self._queue)

    def expected_wait(self, position: int) -> float:
        return math.ceil(position / self.capacity) * self._answer_s

    def _finished(self, seconds: float) -> None:
        with self._cond:
            self._running -= 1
            self._answer_s = 0.7 * self._answer_s + 0.3 * seconds
            self._cond.notify_all()


class Ticket:
    def __init__(self, admission: Admission):
        self._adm = admission
        self._admitted_at: float | None = None
        self._left = False
        self._held = stopping.on_stop(self._leave)

    def __enter__(self) -> "Ticket":
        with self._adm._cond:
            self._adm._queue.append(self)
        self._held.__enter__()
        return self

    def wait(self, poll_s: float = 1.0) -> Iterator[Waiting]:
        """Yields where this ticket stands, at once when that changes and at least every ``poll_s`` (so a closed
        stream is noticed), until it is admitted; then, if it had to wait, ``Waiting(0, 0)``: its answer starts now.
        Nothing at all when a place was free."""
        adm, waited = self._adm, False
        while True:
            with adm._cond:
                if self._left:
                    raise stopping.Stopped("left the queue")
                if self._admit():
                    break
                update = self._where()
            waited = True
            yield update
            with adm._cond:
                adm._cond.wait_for(lambda seen=update: self._left or self._where().position != seen.position
                                   or self._can_start(), poll_s)
        if waited:
            yield Waiting(0, 0.0)

    def _can_start(self) -> bool:
        return self._adm._queue[0] is self and self._adm._running < self._adm.capacity

    def _admit(self) -> bool:
        adm = self._adm
        if not self._can_start():
            return False
        adm._queue.popleft()
        adm._running += 1
        self._admitted_at = time.perf_counter()
        adm._cond.notify_all()
        return True

    def _where(self) -> Waiting:
        adm = self._adm
        position = adm._queue.index(self) + 1
        return Waiting(position, adm.expected_wait(position + adm._running - adm.capacity))  # answers to finish first

    def __exit__(self, *exc) -> None:
        self._held.__exit__(*exc)
        self._leave()

    def _leave(self) -> None:
        """Done, failed or stopped: the place goes to the next in the queue (once, whoever calls first)."""
        adm = self._adm
        with adm._cond:
            if self._left:
                return
            self._left = True
            if self._admitted_at is None:
                adm._queue.remove(self)
                adm._cond.notify_all()
        if self._admitted_at is not None:
            adm._finished(time.perf_counter() - self._admitted_at)
