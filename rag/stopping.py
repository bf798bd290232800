"""Stop, taken at once from another thread, whatever the answer's thread is waiting for.

An answer runs in a thread of its own, inside ``stopping.active()``. What it holds that another thread can let go
of is registered, while it is held, with ``on_stop``: its place in the queue for the model, the socket of a request
to a model server (shut down, the server cancels the request and frees its slot, even while it is still reading the
prompt). ``stopping.stop()``, from the thread that took the Stop, runs those at once; afterwards ``check()`` in the
answer's thread raises ``Stopped``, so no new request is sent.

    stopping = Stopping()
    worker:  with stopping.active(): ...answer...
    Stop:    stopping.stop()
"""

import contextlib
import contextvars
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

log = logging.getLogger(__name__)


class Stopped(Exception):
    """The answer was stopped: whatever it was doing is no longer wanted."""


class Stopping:
    def __init__(self):
        self._lock = threading.Lock()
        self._held: dict[int, Callable[[], None]] = {}
        self._next = 0
        self.stopped = False

    @contextlib.contextmanager
    def active(self) -> Iterator["Stopping"]:
        """What runs inside (in this thread) is stopped by ``stop``."""
        token = _current.set(self)
        try:
            yield self
        finally:
            _current.reset(token)

    def stop(self) -> None:
        with self._lock:
            self.stopped, held = True, list(self._held.values())
            self._held.clear()
        for let_go in held:
            try:
                let_go()
            except Exception:  # a socket already closed, a place already left: nothing left to let go of
                log.debug("letting go on Stop failed", exc_info=True)

    def _hold(self, let_go: Callable[[], None]) -> int | None:
        with self._lock:
            if self.stopped:
                return None
            self._next += 1
            self._held[self._next] = let_go
            return self._next

    def _release(self, key: int | None) -> None:
        with self._lock:
            self._held.pop(key, None)


_current: ContextVar[Stopping | None] = ContextVar("stopping", default=None)


@contextlib.contextmanager
def on_stop(let_go: Callable[[], None]) -> Iterator[None]:
    """While inside, a Stop of the current answer runs ``let_go`` (from the stopping thread); if the answer is
    stopped already, at once. Outside any answer (the CLI, the eval harness), nothing."""
    stopping = _current.get()
    key = stopping._hold(let_go) if stopping else None
    if stopping and key is None:
        let_go()
    try:
        yield
    finally:
        if stopping:
            stopping._release(key)


def hold(let_go: Callable[[], None]) -> None:
    """Like ``on_stop`` for something held until a Stop or the answer's end (a socket the request closes itself)."""
    stopping = _current.get()
    if stopping and stopping._hold(let_go) is None:
        let_go()


def check() -> None:
    """Raise ``Stopped`` if the current answer was stopped."""
    stopping = _current.get()
    if stopping and stopping.stopped:
        raise Stopped("the answer was stopped")


class Pool(ThreadPoolExecutor):
    """A thread pool whose tasks run in the context of the thread that submits them: a Stop of the answer reaches the
    model requests its pool sends on its behalf."""

    def submit(self, fn, /, *args, **kwargs):
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)
