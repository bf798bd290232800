"""Two runs side by side: metric deltas, and the items whose outcome flipped."""

import json
from pathlib import Path

from eval.report import ANSWERS, RETRIEVAL
from rag.errors import UserError


def _load(run: Path) -> tuple[dict, dict]:
    if not (run / "summary.json").is_file():
        raise UserError(f"{run} is not a finished evaluation run (no summary.json)")
    rows = {}
    for line in (run / "items.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows[row["qid"]] = row
    return json.loads((run / "summary.json").read_text())["overall"], rows


def _outcome(row: dict) -> bool:
    scores = row["scores"]
    return scores["correct"] if "correct" in scores else bool(scores.get("hit@k", 1))


def compare(run_a: Path, run_b: Path) -> list[str]:
    (a, rows_a), (b, rows_b) = _load(run_a), _load(run_b)
    lines = [f"{'metric':<28}{'A':>8}{'B':>8}{'B-A':>8}"]
    for metric in RETRIEVAL + ANSWERS:
        if a.get(metric) is not None and b.get(metric) is not None:
            lines.append(f"{metric:<28}{a[metric]:8.3f}{b[metric]:8.3f}{b[metric] - a[metric]:+8.3f}")
    for metric in ("retrieve_ms", "ttft_s", "total_s"):
        if a[metric]["p50"] is not None and b[metric]["p50"] is not None:
            lines.append(f"{metric + ' p50':<28}{a[metric]['p50']:8.2f}{b[metric]['p50']:8.2f}{b[metric]['p50'] - a[metric]['p50']:+8.2f}")
    flipped = [(q, _outcome(rows_a[q]), _outcome(rows_b[q])) for q in rows_a if q in rows_b and _outcome(rows_a[q]) != _outcome(rows_b[q])]
    lines.append(f"\n{len(flipped)} item(s) flipped:")
    lines += [f"  {q}: {'right' if was else 'wrong'} -> {'right' if now else 'wrong'}   {rows_b[q]['question']}" for q, was, now in flipped]
    return lines
