"""The queue in front of the model: first come, first served, each waiting question told its place, Stop leaves."""

import threading
import time

from rag.answer.admission import Admission, Waiting
from rag.stopping import Stopped, Stopping


def _hold(admission: Admission, started: threading.Event, release: threading.Event) -> None:
    with admission.ticket() as ticket:
        list(ticket.wait())
        started.set()
        release.wait(5)


def test_a_free_place_starts_at_once_without_any_notice():
    admission = Admission(capacity=2)
    with admission.ticket() as first, admission.ticket() as second:
        assert list(first.wait()) == [] and list(second.wait()) == []


def test_a_waiting_question_is_told_its_place_and_then_that_it_starts():
    admission = Admission(capacity=1, first_guess_s=6)
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(admission, started, release))
    holder.start()
    started.wait(5)
    with admission.ticket() as ticket:
        updates = ticket.wait(poll_s=0.05)
        first = next(updates)
        assert first == Waiting(1, 6.0)  # next in line, one answer ahead of it
        release.set()
        *meanwhile, last = updates
        assert last == Waiting(0, 0.0)  # its answer starts now
        assert all(u.position == 1 for u in meanwhile)
    holder.join()


def test_stop_while_waiting_leaves_the_queue_and_moves_the_others_up():
    admission = Admission(capacity=1)
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(admission, started, release))
    holder.start()
    started.wait(5)
    leaving = admission.ticket().__enter__()
    with admission.ticket() as staying:
        assert next(leaving.wait()).position == 1
        staying_updates = staying.wait(poll_s=0.05)
        assert next(staying_updates).position == 2
        leaving.__exit__(None, None, None)  # Stop: the stream is closed while it waits
        assert next(staying_updates).position == 1
        release.set()
        assert [u.position for u in staying_updates][-1] == 0
    holder.join()


def test_the_expected_wait_follows_how_long_answers_take_and_how_many_run_at_once():
    admission = Admission(capacity=4, first_guess_s=10)
    assert admission.expected_wait(1) == 10 and admission.expected_wait(4) == 10 and admission.expected_wait(5) == 20


def test_a_stop_from_another_thread_frees_the_place_while_the_answer_is_still_busy():
    """The stopped answer's thread is stuck (a model server still reading its prompt): the next question starts anyway."""
    admission, stop = Admission(capacity=1), Stopping()
    started, stuck = threading.Event(), threading.Event()

    def stopped_answer() -> None:
        with stop.active():
            _hold(admission, started, stuck)  # never released by its own thread in time

    holder = threading.Thread(target=stopped_answer)
    holder.start()
    started.wait(5)
    with admission.ticket() as ticket:
        updates = ticket.wait(poll_s=0.05)
        assert next(updates).position == 1
        stopped = time.monotonic()
        stop.stop()  # from this thread, as the page's Stop
        assert [u.position for u in updates][-1] == 0
        assert time.monotonic() - stopped < 2  # admitted at once, though the stopped thread is stuck for 5 s
        assert admission._running == 1
    stuck.set()
    holder.join()
    assert admission._running == 0  # the stopped ticket's own exit does not free a second place


def test_a_stop_while_waiting_ends_the_wait():
    admission, stop = Admission(capacity=1), Stopping()
    started, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold, args=(admission, started, release))
    holder.start()
    started.wait(5)
    outcome = []

    def waiting() -> None:
        with stop.active(), admission.ticket() as ticket:
            try:
                list(ticket.wait(poll_s=0.05))
            except Stopped:
                outcome.append("stopped")

    waiter = threading.Thread(target=waiting)
    waiter.start()
    while not admission._queue:
        time.sleep(0.01)
    stop.stop()
    waiter.join(5)
    assert outcome == ["stopped"] and not admission._queue
    release.set()
    holder.join()


def test_the_warm_up_reads_no_examples_once_a_question_has_arrived():
    """serve's warm-up has the model server read long few-shot examples to save a later question time; a question
    asked meanwhile must not share the cores with that reading."""
    from rag.settings import LLMSettings, Settings
    from tests.unit.fakes import FakeBackend

    examples = [[{"role": "user", "content": "a long few-shot prompt"}], [{"role": "user", "content": "another"}]]
    admission, backend = Admission(capacity=8), FakeBackend(Settings(llm=LLMSettings(parallel=8)))
    backend.keep(examples, busy=lambda: admission.busy)
    assert backend.prompts == ["a long few-shot prompt", "another"]  # an idle server reads them
    backend.prompts.clear()
    with admission.ticket() as ticket:
        list(ticket.wait())
        backend.keep(examples, busy=lambda: admission.busy)
    assert backend.prompts == [] and not admission.busy


def test_a_server_with_fewer_spare_slots_than_examples_reads_the_longest_ones():
    """Two slots, one to spare: the metadata filter's examples (the longest, ~1,300 tokens) are read, not the others."""
    from rag.answer.kinds.registry import kept_prompts
    from rag.settings import LLMSettings, Settings
    from tests.unit.fakes import FakeBackend

    prompts = kept_prompts()
    assert len(prompts) >= 2 and "JSON filter" in prompts[0][0]["content"]  # the metadata filter's instruction first
    backend = FakeBackend(Settings(llm=LLMSettings(parallel=2)))
    backend.keep(prompts)
    assert len(backend.prompts) == 1
