"""The chat handler turns failures into a short message in the chat instead of a broken page."""

from rag.errors import UserError
from ui.app import _history, chat_fn


class _FailingService:
    def __init__(self, error: Exception, after_tokens: int = 0):
        self.error, self.after_tokens = error, after_tokens

    def stream(self, *args, **kwargs):
        for i in range(self.after_tokens):
            yield f"token{i} "
        raise self.error


def _run(service) -> list:
    return list(chat_fn(service)("a question", [], "hybrid", 5, 256))


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
                                  ("hybrid", "five", 256, "papers retrieved must be a whole number from 1 to 20"),
                                  ("hybrid", 0, 256, "papers retrieved must be a whole number from 1 to 20, not 0"),
                                  ("hybrid", 5, 2.5, "answer length must be a whole number from 32 to 1024")):
        text, _, result = list(chat_fn(service)("a question", [], mode, k, length))[-1]
        assert result["error"].startswith(says) and "must not be called" not in text


def test_empty_and_oversized_messages_are_refused_with_one_line():
    from rag.retrieve.retriever import clean_query

    class _Service:
        def stream(self, message, *args, **kwargs):
            clean_query(message)
            yield from ()

    for message, says in (("  ", "the question is empty"), ("x" * 100_000, "the question is 100000 characters long"),
                          (["a", "list"], "the message must be text, not list")):
        _, _, result = list(chat_fn(_Service())(message, [], "hybrid", 5, 256))[-1]
        assert result["error"].startswith(says)
