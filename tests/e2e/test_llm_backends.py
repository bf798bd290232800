"""The other answer backends (every other e2e test uses the default, llama_server), run for real on the packaged
GGUF: ``llama_cpp`` inside the test process, ``openai`` against llama-cpp-python's own OpenAI-compatible server (a
process the test starts on 127.0.0.1 and stops), ``transformers`` loading the GGUF through ``gguf_file=``
(dequantised: slow on CPU, so one question)."""

import sys

import pytest

from rag.answer.service import AnswerService
from rag.llm.packaged_gguf import assemble
from rag.llm.server_process import free_port
from rag.settings import LLMSettings
from tests.conftest import MODEL_CACHE, running_server

pytestmark = pytest.mark.slow
QUESTION = "What accuracy does BridgeTower get on the VQAv2 test-std set?"
BRIDGETOWER = "BridgeTower: Building Bridges Between Encoders in Vision-Language Representation Learning"


def _assert_cited_answer(answer) -> None:
    assert not answer.refused, answer.text
    assert "78.73" in answer.text and "[1]" in answer.text
    assert BRIDGETOWER in [c.title for c in answer.citations]


@pytest.fixture(scope="module")
def llama_server():
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(assemble(MODEL_CACHE)), "--model_alias",
               "local-model", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"]
    with running_server(command, f"http://127.0.0.1:{port}/v1/models"):
        yield f"http://127.0.0.1:{port}/v1"


def test_in_process_backend_answers(bundled_settings):
    settings = bundled_settings.model_copy(update={"llm": LLMSettings(backend="llama_cpp")})
    _assert_cited_answer(AnswerService(settings).ask(QUESTION))


def test_openai_backend_answers_through_a_real_server(bundled_settings, llama_server):
    settings = bundled_settings.model_copy(update={"llm": LLMSettings(backend="openai", base_url=llama_server)})
    _assert_cited_answer(AnswerService(settings).ask(QUESTION))


def test_transformers_backend_answers_from_the_gguf(bundled_settings):
    llm = LLMSettings(backend="transformers", model_path=assemble(MODEL_CACHE), max_new_tokens=64)
    _assert_cited_answer(AnswerService(bundled_settings.model_copy(update={"llm": llm})).ask(QUESTION))
