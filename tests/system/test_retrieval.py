"""Retrieval over the bundled corpus in a real Chroma store, with the real embedder."""

import json

import pytest

from rag.cli import main
from rag.retrieve.retriever import PaperRetriever
from rag.store import open_store

ATM = "ATM Cash demand forecasting in an Indian Bank with chaos and deep learning"
TENCENT = "Binary Embedding-based Retrieval at Tencent"


@pytest.fixture(scope="module")
def retriever(bundled_settings):
    return PaperRetriever(bundled_settings)


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
@pytest.mark.parametrize(("question", "title"), [
    ("forecasting cash withdrawals at a bank's ATMs", ATM),
    ("compressing embeddings into binary codes for large-scale search", TENCENT),
])
def test_the_paper_that_answers_ranks_first(retriever, mode, question, title):
    hits = retriever.search(question, k=5, mode=mode)
    assert hits[0].title == title
    assert len({h.paper_id for h in hits}) == len(hits) == 5  # a paper appears once
    assert hits[0].passage and hits[0].title not in hits[0].passage  # the passage, not the title


def test_relevance_separates_corpus_questions_from_outside_ones(retriever):
    inside = retriever.search("forecasting cash withdrawals at a bank's ATMs", with_relevance=True)[0].relevance
    outside = retriever.search("What is the boiling point of ethanol?", with_relevance=True)[0].relevance
    assert inside > 0.5 > 0.3 > outside


def test_bm25_cache_is_reused_until_the_store_changes(bundled_settings, tmp_path):
    from rag.retrieve import bm25

    store = open_store(bundled_settings)
    folder = bm25._cache_dir(store)
    PaperRetriever(bundled_settings).search("mixture of experts", mode="bm25")
    built = (folder / "revision.txt").stat().st_mtime_ns
    PaperRetriever(bundled_settings).search("sparse autoencoders", mode="bm25")
    assert (folder / "revision.txt").stat().st_mtime_ns == built  # a new process reused the cache


def test_cli_search_json(bundled_settings, use_data_dir, capsys):
    use_data_dir(bundled_settings.data_dir)
    assert main(["search", "binary codes for embedding retrieval", "-k", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["title"] == TENCENT and rows[0]["passage"]
