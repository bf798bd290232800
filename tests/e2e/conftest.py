"""A running chat server for the UI tests: real store, real embedder, real LLM, on a free local port."""

import pytest

from rag.answer.service import AnswerService
from rag.ingest.pipeline import ingest
from rag.llm.server_process import free_port
from rag.settings import BUNDLED_CORPUS
from tests.conftest import make_settings, write_jsonl

XSS_TITLE = 'Robust <img src=x onerror="window.__xss=1"> parsing of scientific markup'
XSS_PAPER = {
    "title": XSS_TITLE,
    "abstract": "We study how markup embedded in scientific abstracts breaks web viewers. "
                '<script>window.__xss = 2</script> Our sanitiser, MarkupGuard, removes 99.2% of active content '
                "from 40,000 crawled abstracts while keeping formulas intact.",
    "authors": "Ana Ruiz, Tom Berg", "url": "https://example.org/markupguard", "venue": "WebSci", "date": "2024-03-05",
}


@pytest.fixture(scope="session")
def service(bundled_settings):
    """The answer service over the bundled corpus, its model server started at the first question."""
    return AnswerService(bundled_settings)


@pytest.fixture(scope="session")
def ui_settings(tmp_path_factory):
    """A store of one bundled listing plus a paper whose title and abstract hold markup (and authors, venue, a link)."""
    folder = tmp_path_factory.mktemp("ui")
    settings = make_settings(folder / "data", llm={"keep_examples": False})  # no metadata example here: a faster warm-up
    corpus = [BUNDLED_CORPUS / "001_0bcaa5ee71f50914.txt", write_jsonl(folder / "xss.jsonl", [XSS_PAPER])]
    assert ingest(corpus, settings).ok
    return settings


@pytest.fixture(scope="session")
def ui_server(ui_settings):
    from ui.app import PAGE_OPTIONS, build_app

    settings = ui_settings
    service = AnswerService(settings)
    service.warm_up()
    demo = build_app(service, settings)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **PAGE_OPTIONS)
    yield f"http://127.0.0.1:{port}/"
    demo.close()
