"""The chat page's API (`/chat`), driven by gradio_client as a script would."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

pytestmark = pytest.mark.slow


def _ask(client: Client, question: str) -> dict:
    answer_html, sources_html, result = client.predict(question, api_name="/chat")
    return {"html": answer_html, "sources": sources_html, **result}


def test_chat_endpoint_returns_a_cited_answer_and_its_sources(ui_server):
    result = _ask(Client(ui_server, verbose=False), "Is there a two-stream MLP for click-through rate prediction?")
    assert not result["refused"] and result["kind"] == "identify"
    title = result["citations"][0]["title"]
    assert title.startswith("FinalMLP")
    assert 'href="#src-1"' in result["html"]
    assert 'id="src-1"' in result["sources"] and title in result["sources"]


def test_two_clients_in_parallel_keep_separate_histories(ui_server):
    conversations = {
        "TSMixer": ["What is TSMixer built from?", "By how much does it outperform state-of-the-art models in forecasting?"],
        "FinalMLP": ["What is FinalMLP, the two-stream model?", "On how many open benchmark datasets was it evaluated?"],
    }

    def converse(questions):
        client = Client(ui_server, verbose=False)  # one browser tab: its own session and history
        return [_ask(client, q) for q in questions]

    with ThreadPoolExecutor(2) as pool:
        results = dict(zip(conversations, pool.map(converse, conversations.values()), strict=True))
    for paper, (_, follow_up) in results.items():
        assert paper.lower() in follow_up["standalone_question"].lower()
        assert any(c["title"].startswith(paper) for c in follow_up["citations"])
