"""Retrieval over the bundled corpus in a real Chroma store, with the real embedder."""

import json
import shutil

import pytest

from cli import main
from rag.ingest.pipeline import ingest
from rag.retrieve.retriever import PaperRetriever
from rag.store import open_store
from tests.conftest import paper_record, write_jsonl

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


@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_a_scoped_search_finds_only_the_papers_in_scope(retriever, mode):
    from rag.answer.scope import Scope
    from rag.retrieve.metadata import PaperFilter

    records = retriever.store.papers()
    dated_2023 = Scope(PaperFilter.of(dates=[{"relation": "in", "year": 2023}])).within(records)
    assert 0 < len(dated_2023) < len(records)
    hits = retriever.search("training large language models", k=5, mode=mode, within=dated_2023)
    assert len(hits) == 5 and {h.paper_id for h in hits} <= dated_2023
    atm = next(m["paper_id"] for m in records if m["title"] == ATM)
    assert [h.title for h in retriever.search("neural networks", k=5, mode=mode, within=frozenset({atm}))] == [ATM]
    assert retriever.search("neural networks", mode=mode, within=frozenset()) == []


def test_relevance_separates_corpus_questions_from_outside_ones(retriever):
    inside = retriever.search("forecasting cash withdrawals at a bank's ATMs", with_relevance=True)[0].relevance
    outside = retriever.search("What is the boiling point of ethanol?", with_relevance=True)[0].relevance
    assert inside > 0.5 > 0.3 > outside


def test_ingest_leaves_a_bm25_index_that_searches_load_instead_of_building(bundled_settings):
    from rag.retrieve import bm25

    store = open_store(bundled_settings)
    marker = bm25._folder(store) / "meta.json"
    built = marker.stat().st_mtime_ns
    hits = PaperRetriever(bundled_settings).search("mixture of experts", mode="bm25")
    assert hits and marker.stat().st_mtime_ns == built  # a new process loaded the index the ingest saved


def test_a_stale_bm25_index_keeps_answering_while_the_new_one_builds(settings, tmp_path):
    ingest([write_jsonl(tmp_path / "a.jsonl", [paper_record(i) for i in range(3)])], settings)
    retriever = PaperRetriever(settings)
    assert retriever.search("protein folding", mode="bm25")
    new = paper_record(7, title="Zymurgy of sourdough starters", abstract="We study zymurgy in sourdough starters.")
    writer = PaperRetriever(settings)  # another process's view would see the same store
    ingest([write_jsonl(tmp_path / "b.jsonl", [new])], settings)
    from rag.retrieve.bm25 import _folder

    shutil.rmtree(_folder(writer.store))  # as if the index of the new revision were not built yet
    stale = retriever.search("zymurgy sourdough", mode="bm25")  # answered at once from the old index
    assert "Zymurgy of sourdough starters" not in [h.title for h in stale]
    retriever._bm25._building.join(timeout=60)
    assert retriever.search("zymurgy sourdough", mode="bm25")[0].title == "Zymurgy of sourdough starters"


def test_cli_search_json(bundled_settings, use_data_dir, capsys):
    use_data_dir(bundled_settings.data_dir)
    assert main(["search", "binary codes for embedding retrieval", "-k", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert rows[0]["title"] == TENCENT and rows[0]["passage"]
