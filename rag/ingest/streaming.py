"""Small helpers for a streaming pipeline: fixed-size batches, and a generator run one step ahead in a thread."""

import queue
import threading
from itertools import islice

_DONE = object()


def batched(items, n: int):
    """itertools.batched, which arrives in Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, n)):
        yield batch


def prefetch(items, depth: int = 1):
    """Yield what ``items`` yields, while a thread already computes up to ``depth`` items ahead. Memory stays
    bounded by ``depth``; an exception in the thread is raised here; leaving the loop early stops the thread."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as err:  # handed to the consumer, which raises it
            put(err)

    worker = threading.Thread(target=run, name="prefetch", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
