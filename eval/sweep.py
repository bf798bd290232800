"""Retrieval-only sweep over modes and k: one retrieval per item and mode (at the largest k), every
smaller k scored from the same ranking. No LLM, so it takes seconds."""

import time
from pathlib import Path

from eval.metrics import retrieval_scores
from eval.qaset import load_qaset
from eval.runner import titles_to_ids
from rag.answer.service import AnswerService
from rag.settings import Settings

MODES = ("dense", "bm25", "hybrid")


def sweep(qaset: Path, settings: Settings, ks: list[int], progress=None) -> tuple[list[dict], list[str]]:
    service = AnswerService(settings)
    items, problems = load_qaset(qaset, titles_to_ids(service))
    items = [i for i in items if i.answerable]
    rows = []
    task = progress.add_task("Sweeping", total=len(items) * len(MODES)) if progress else None
    for mode in MODES:
        service.retriever.search("warm up", mode=mode)
        rankings, start = [], time.perf_counter()
        for item in items:
            rankings.append([h.paper_id for h in service.retriever.search(item.question, k=max(ks), mode=mode)])
            if task is not None:
                progress.advance(task)
        ms = (time.perf_counter() - start) * 1000 / max(len(items), 1)
        for k in ks:
            scores = [retrieval_scores(i.gold_ids, ranked, k) for i, ranked in zip(items, rankings, strict=True)]
            rows.append({"mode": mode, "k": k, "ms": ms, **{m: sum(s[m] for s in scores) / len(scores) for m in scores[0]}})
    return rows, problems
