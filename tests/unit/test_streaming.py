"""The prefetching generator the ingest pipeline overlaps its stages with."""

import threading
import time

import pytest

from rag.ingest.streaming import batched, prefetch


def test_batches_cover_everything_in_order():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_prefetch_yields_everything_and_runs_ahead_by_at_most_depth():
    produced = []

    def items():
        for i in range(6):
            produced.append(i)
            yield i

    seen = []
    for item in prefetch(items(), depth=1):
        time.sleep(0.05)  # the consumer is slow: the producer must wait, not run to the end
        seen.append(item)
        assert len(produced) <= len(seen) + 2  # this item, one in the queue, one being put
    assert seen == list(range(6))


def test_an_error_in_the_producer_reaches_the_consumer():
    def items():
        yield 1
        raise ValueError("bad record")

    with pytest.raises(ValueError, match="bad record"):
        list(prefetch(items()))


def test_leaving_the_loop_early_stops_the_producer_thread():
    before = threading.active_count()
    for item in prefetch(iter(range(10_000))):
        if item == 3:
            break
    time.sleep(0.5)
    assert threading.active_count() == before
