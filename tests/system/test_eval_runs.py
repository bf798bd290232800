"""Retrieval-only evaluation, resume, compare and sweep over the real bundled store (no LLM)."""

import json

import pytest

from cli import main
from eval.runner import run_eval
from rag.errors import UserError
from tests.conftest import write_jsonl

QA = [
    {"qid": "atm", "question": "forecasting cash withdrawals at a bank's ATMs", "type": "fact",
     "gold_titles": ["ATM Cash demand forecasting in an Indian Bank with chaos and deep learning"]},
    {"qid": "tencent", "question": "compressing embeddings into binary codes for large-scale search", "type": "paraphrase",
     "gold_titles": ["Binary Embedding-based Retrieval at Tencent"]},
    {"qid": "pvd", "question": "Which papers convert between NeRF architectures by progressive volume distillation?", "type": "multi",
     "gold_titles": ["Progressive Volume Distillation with Active Learning for Efficient NeRF Architecture Conversion",
                     "One is All: Bridging the Gap Between Neural Radiance Fields Architectures with Progressive Volume Distillation"]},
    {"qid": "ethanol", "question": "What is the boiling point of ethanol?", "type": "unanswerable"},
    {"qid": "bad", "question": "?", "gold_titles": ["A Paper That Is Not Indexed"]},
]


def test_retrieval_only_run_writes_every_output_and_resumes(bundled_settings, tmp_path):
    qaset, out = write_jsonl(tmp_path / "qa.jsonl", QA), tmp_path / "run"
    summary, problems = run_eval(qaset, bundled_settings, out, limit=2, retrieval_only=True)
    assert summary["overall"]["items"] == 2
    first_lines = (out / "items.jsonl").read_text().splitlines()
    summary, problems = run_eval(qaset, bundled_settings, out, retrieval_only=True)  # continues: 2 more items
    lines = (out / "items.jsonl").read_text().splitlines()
    assert lines[:2] == first_lines and len(lines) == 4
    assert problems == [f"{qaset}:5: unknown title 'A Paper That Is Not Indexed'; item skipped"]
    row = json.loads(lines[0])
    assert {"qid", "question", "retrieved", "answer", "citations", "refused", "scores", "timings"} <= set(row)
    assert row["answer"] is None and row["citations"] is None
    assert row["retrieved"][0]["title"].startswith("ATM Cash") and {"paper_id", "title", "score"} <= set(row["retrieved"][0])
    assert summary["overall"]["recall@k"] == 1.0 and summary["fact"]["mrr"] == 1.0
    assert {p.name for p in out.iterdir()} >= {"items.jsonl", "summary.json", "report.md", "metrics_by_type.png", "latency.png"}
    assert "| recall@k |" in (out / "report.md").read_text()


def test_a_run_directory_is_not_mixed_with_another_configuration(bundled_settings, tmp_path):
    qaset, out = write_jsonl(tmp_path / "qa.jsonl", QA[:2]), tmp_path / "run"
    run_eval(qaset, bundled_settings, out, retrieval_only=True, k=5)
    with pytest.raises(UserError, match="another configuration"):
        run_eval(qaset, bundled_settings, out, retrieval_only=True, k=3)


def test_cli_compare_and_sweep(bundled_settings, use_data_dir, tmp_path, capsys):
    use_data_dir(bundled_settings.data_dir)
    qaset = write_jsonl(tmp_path / "qa.jsonl", QA[:3])
    assert main(["eval", str(qaset), "--retrieval-only", "--mode", "bm25", "-k", "1", "--out", str(tmp_path / "a")]) == 0
    assert main(["eval", str(qaset), "--retrieval-only", "--mode", "hybrid", "-k", "5", "--out", str(tmp_path / "b")]) == 0
    assert "Evaluating qa.jsonl: 3/3 (" in capsys.readouterr().err  # not a terminal: progress as plain lines
    assert main(["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "recall@k" in out and "flipped" in out
    assert main(["eval", "sweep", str(qaset), "--ks", "1", "5"]) == 0
    table = capsys.readouterr().out
    assert all(mode in table for mode in ("dense", "bm25", "hybrid")) and "recall@k" in table
    assert main(["eval", "compare", str(tmp_path / "a")]) == 2


def test_an_item_that_fails_is_reported_and_asked_again_by_the_next_run(bundled_settings, tmp_path, monkeypatch):
    """A model server that times out on one question costs that item, not the run: the others are written, the run
    ends with one clear line, and running the same command again asks only the failed item."""
    import eval.runner

    qaset, out = write_jsonl(tmp_path / "qa.jsonl", QA[:3]), tmp_path / "run"
    real = eval.runner.evaluate_item

    def flaky(service, item, *args):
        if item.qid == "tencent":
            raise TimeoutError("Request timed out.")
        return real(service, item, *args)

    monkeypatch.setattr(eval.runner, "evaluate_item", flaky)
    with pytest.raises(UserError, match=r"1 of 3 items failed \(tencent: TimeoutError: Request timed out.\)"):
        run_eval(qaset, bundled_settings, out, retrieval_only=True)
    assert [json.loads(line)["qid"] for line in (out / "items.jsonl").read_text().splitlines()] == ["atm", "pvd"]
    assert "| recall@k |" in (out / "report.md").read_text()  # the report covers the items that ran
    monkeypatch.setattr(eval.runner, "evaluate_item", real)
    summary, _ = run_eval(qaset, bundled_settings, out, retrieval_only=True)
    assert summary["overall"]["items"] == 3
