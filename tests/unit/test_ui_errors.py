"""The chat handler turns failures into a short message in the chat instead of a broken page."""

import asyncio
import threading
import time

from rag.errors import UserError
from ui.app import _history, chat_fn


def _collect(agen) -> list:
    return asyncio.run(_collect_async(agen))


class _FailingService:
    def __init__(self, error: Exception, after_tokens: int = 0):
        self.error, self.after_tokens = error, after_tokens

    def stream(self, *args, **kwargs):
        for i in range(self.after_tokens):
            yield f"token{i} "
        raise self.error


def _run(service) -> list:
    return _collect(chat_fn(service)("a question", [], "hybrid", 5, 256))


def test_model_failing_mid_answer_shows_an_error_message():
    outputs = _run(_FailingService(RuntimeError("llama_decode returned -3"), after_tokens=2))
    text, sources, result = outputs[-1]
    assert "The answer failed (RuntimeError: llama_decode returned -3)" in text and "error" in text
    assert result == {"error": "The answer failed (RuntimeError: llama_decode returned -3). Please try again."}


def test_user_error_is_shown_as_is():
    text, _, result = _run(_FailingService(UserError("the question is empty")))[-1]
    assert "the question is empty" in text and result == {"error": "the question is empty"}


def test_error_text_is_escaped():
    text, _, _ = _run(_FailingService(RuntimeError("<script>alert(1)</script>")))[-1]
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_history_from_gradio_messages_is_plain_text():
    history = [{"role": "user", "content": [{"type": "text", "text": "What is Monet?"}]},
               {"role": "assistant", "content": 'Monet is a model <a class="cite" href="#src-1">[1]</a> &amp; more.'}]
    assert _history(history) == [("user", "What is Monet?"), ("assistant", "Monet is a model [1] & more.")]


def test_bad_settings_from_the_api_are_one_clear_message_and_the_service_is_not_called():
    service = _FailingService(AssertionError("must not be called"))
    for mode, k, length, says in (("fast", 5, 256, "retrieval mode must be one of hybrid, dense, bm25"),
                                  ("hybrid", "five", 256, "papers retrieved must be a whole number from 0 to 20"),
                                  ("hybrid", 21, 256, "papers retrieved must be a whole number from 0 to 20, not 21"),
                                  ("hybrid", 5, 2.5, "answer length must be a whole number from 32 to 1024")):
        text, _, result = _collect(chat_fn(service)("a question", [], mode, k, length))[-1]
        assert result["error"].startswith(says) and "must not be called" not in text


def test_papers_retrieved_zero_leaves_the_number_to_the_question_kind_as_the_cli_does():
    from ui.app import _options

    assert _options("hybrid", 0, 256)["k"] is None and _options("hybrid", 7, 256)["k"] == 7


def test_empty_and_oversized_messages_are_refused_with_one_line():
    from rag.text import clean_query

    class _Service:
        def stream(self, message, *args, **kwargs):
            clean_query(message)
            yield from ()

    for message, says in (("  ", "the question is empty"), ("x" * 100_000, "the question is 100000 characters long"),
                          (["a", "list"], "the message must be text, not list")):
        _, _, result = _collect(chat_fn(_Service())(message, [], "hybrid", 5, 256))[-1]
        assert result["error"].startswith(says)


def test_stop_is_taken_at_once_while_the_model_is_busy_and_the_answer_is_then_closed():
    """Stop cancels the task awaiting the next piece: it must not wait for the model (here blocked for 3 s, as while
    it reads a long prompt under load); the answer's stream is closed once the model is back, freeing its slot."""
    closed = threading.Event()

    class _BusyService:
        def stream(self, *args, **kwargs):
            try:
                yield "first "
                time.sleep(3)
                yield "second "
            finally:
                closed.set()

    async def press_stop_while_busy() -> float:
        task = asyncio.ensure_future(_collect_async(chat_fn(_BusyService())("a question", [], "hybrid", 5, 256)))
        await asyncio.sleep(0.5)  # "first" shown; the model is now busy
        started = time.perf_counter()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)  # what Gradio's cancel request awaits
        return time.perf_counter() - started

    assert asyncio.run(press_stop_while_busy()) < 0.5
    assert closed.wait(5)


async def _collect_async(agen) -> list:
    return [item async for item in agen]
