"""Ingestion into a real Chroma store with the real embedder."""

import json
import re

import pytest

from cli import main
from rag.errors import UserError
from rag.ingest import pipeline
from rag.ingest.pipeline import ingest
from rag.store import PaperStore, open_store
from rag.store.catalog import Catalog
from tests.conftest import paper_record, write_jsonl


def _chunk_ids(settings):
    return open_store(settings).collection.get(include=[])["ids"]


def test_reingesting_unchanged_sources_writes_nothing(settings, tmp_path):
    source = write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(4)])
    first = ingest([source], settings)
    assert (first.new, first.chunks_written) == (4, len(_chunk_ids(settings)))
    revision = open_store(settings).revision()
    again = ingest([source], settings)
    assert (again.new, again.updated, again.unchanged, again.chunks_written) == (0, 0, 4, 0)
    assert open_store(settings).revision() == revision  # nothing written: caches stay valid


def test_changed_abstract_replaces_its_old_chunks(settings, tmp_path):
    records = [paper_record(i) for i in range(3)]
    ingest([write_jsonl(tmp_path / "p.jsonl", records)], settings)
    records[1]["abstract"] = "A completely rewritten abstract about quantum error correction codes."
    report = ingest([write_jsonl(tmp_path / "p.jsonl", records)], settings)
    assert (report.updated, report.unchanged) == (1, 2)
    store = open_store(settings)
    chunks = store.collection.get(where={"title": records[1]["title"]}, include=["documents"])
    assert chunks["documents"] == ["A completely rewritten abstract about quantum error correction codes."]
    assert store.count_papers() == 3


def test_prune_removes_papers_no_longer_in_the_sources(settings, tmp_path):
    ingest([write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(3)])], settings)
    report = ingest([write_jsonl(tmp_path / "p.jsonl", [paper_record(0)])], settings, prune=True)
    assert (report.unchanged, report.pruned) == (1, 2)
    assert open_store(settings).count_papers() == 1


def test_prune_is_skipped_when_records_were_rejected(settings, tmp_path):
    ingest([write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(3)])], settings)
    broken = write_jsonl(tmp_path / "p.jsonl", [paper_record(0), {"title": paper_record(1)["title"]}])
    report = ingest([broken], settings, prune=True)
    assert report.prune_skipped and report.pruned == 0
    assert open_store(settings).count_papers() == 3  # the paper with the broken record is not lost


def _stored_consistently(settings) -> tuple[int, int]:
    """(papers, chunks) of the store, checking that every catalog record's chunks are all there, once each."""
    store = open_store(settings)
    ids = _chunk_ids(settings)
    assert len(ids) == len(set(ids))
    records = store.papers()
    assert sum(int(meta["n_chunks"]) for meta in records) == len(ids)
    return len(records), len(ids)


@pytest.mark.parametrize("dies_in", ["chunks", "catalog"])
def test_interrupted_ingest_is_completed_by_the_next_run_without_duplicates(settings, tmp_path, monkeypatch, dies_in):
    source = write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(9)])
    monkeypatch.setattr(pipeline, "PAPERS_PER_BATCH", 3)
    real_add, real_upsert, calls = PaperStore.write, Catalog.upsert, []

    def write_then_die(self, papers, nodes, vectors):  # the process "dies" while writing the second batch
        calls.append(len(papers))
        if len(calls) == 2 and dies_in == "chunks":
            self.collection.delete(where={"paper_id": {"$in": [p.paper_id for p, _, _ in papers]}})
            self.vector_store.add(nodes[: len(nodes) // 2])  # half the batch's chunks reached the store
            raise KeyboardInterrupt
        if len(calls) == 2:
            monkeypatch.setattr(Catalog, "upsert", lambda self, records: real_upsert(self, records[:1]) or _die())
        real_add(self, papers, nodes, vectors)

    def _die():
        raise KeyboardInterrupt

    monkeypatch.setattr(PaperStore, "write", write_then_die)
    with pytest.raises(KeyboardInterrupt):
        ingest([source], settings)
    monkeypatch.setattr(PaperStore, "write", real_add)
    monkeypatch.setattr(Catalog, "upsert", real_upsert)
    store = open_store(settings)
    assert 3 <= store.count_papers() < 9 and store.count_chunks() > 0

    report = ingest([source], settings)
    assert report.unchanged >= 3 and report.new + report.updated + report.unchanged == 9 and report.chunks_written
    assert _stored_consistently(settings)[0] == 9


def test_store_built_by_another_embedder_is_refused(settings):
    other = PaperStore(settings, "some-768-dim-model", 768)
    other.collection.add(ids=["x#0"], embeddings=[[0.1] * 768], documents=["x"], metadatas=[{"paper_id": "x"}])
    with pytest.raises(UserError, match="built with embedder some-768-dim-model"):
        open_store(settings)


def test_cli_ingest_reports_bad_input_keeps_good_records_and_exits_nonzero(tmp_path, use_data_dir, capsys):
    use_data_dir(tmp_path / "data")
    good = write_jsonl(tmp_path / "good.jsonl", [paper_record(1), {"title": "Only a title"}, paper_record(2)])
    (tmp_path / "empty.csv").write_text("")
    code = main(["ingest", str(good), str(tmp_path / "empty.csv"), str(tmp_path / "nope")])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"rejected: {good}:2: record lacks abstract" in err
    assert "empty.csv: file is empty" in err and "nope: no such file or directory" in err
    assert "new 2 · updated 0 · unchanged 0 · rejected 3" in out
    assert "Traceback" not in out + err
    assert re.search(r"^Indexing papers: \d+ \(0m\d\ds\)$", err, re.M)  # not a terminal: progress as plain lines
    assert main(["info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["papers"] == 2


def test_cli_empty_query_is_a_one_line_error(tmp_path, use_data_dir, capsys):
    use_data_dir(tmp_path / "data")
    assert main(["search", " \t "]) == 2
    err = capsys.readouterr().err
    assert err.strip() == ("paperchat: error: the question is empty; type a question about the indexed papers, or give a "
                           "metadata filter (--org, --author, --year, --month, ...)")


def test_the_paper_table_is_snapshotted_per_revision_and_follows_changes(settings, tmp_path):
    records = [paper_record(i, venue="ACL", year=2020 + i) for i in range(3)]
    ingest([write_jsonl(tmp_path / "p.jsonl", records)], settings)
    snapshots = list((settings.cache_dir / "catalog").glob("*.json"))
    assert len(snapshots) == 1 and json.loads(snapshots[0].read_text())["revision"] == open_store(settings).revision()
    assert sorted((m["venue"], m["date"]) for m in open_store(settings).papers()) == [("ACL", "2020"), ("ACL", "2021"), ("ACL", "2022")]
    records[0]["venue"] = "EMNLP"
    ingest([write_jsonl(tmp_path / "p.jsonl", records)], settings)
    assert sorted(m["venue"] for m in open_store(settings).papers()) == ["ACL", "ACL", "EMNLP"]
