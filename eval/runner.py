"""Run a QA set through the same AnswerService the CLI and UI use; one items.jsonl line per item,
written as soon as the item is done, so an interrupted run continues where it stopped."""

import json
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from eval.metrics import answer_scores, retrieval_scores, summarise_by_type
from eval.qaset import QAItem, load_qaset
from rag.answer.service import AnswerService
from rag.errors import UserError
from rag.llm import backend_for
from rag.records import normalise_title
from rag.settings import Settings


def titles_to_ids(service: AnswerService) -> dict[str, str]:
    return {normalise_title(meta["title"]): meta["paper_id"] for meta in service.retriever.store.papers()}


def _read_rows(path: Path) -> dict[str, dict]:
    """Rows already done; a line cut short by a kill is dropped (its item runs again)."""
    rows = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                rows[row["qid"]] = row
            except (json.JSONDecodeError, KeyError):
                continue
    return rows


def evaluate_item(service: AnswerService, item: QAItem, k: int, mode: str, retrieval_only: bool,
                  answer_k: int | None = None) -> dict:
    """``k`` cuts the retrieval metrics; ``answer_k`` (None: each strategy's own) is what answers retrieve."""
    row = {"qid": item.qid, "question": item.question, "type": item.type, "group": item.group, "answerable": item.answerable,
           "gold_ids": item.gold_ids, "gold_verdict": item.verdict, "answer": None, "citations": None, "refused": None}
    if retrieval_only:
        start = time.perf_counter()
        hits = service.retriever.search(item.question, k=k, mode=mode)
        timings = {"retrieve_ms": (time.perf_counter() - start) * 1000}
        scores = {}
    else:
        answer = service.ask(item.question, k=answer_k, mode=mode)
        hits = answer.retrieved
        timings = {"retrieve_ms": answer.timings["retrieve_s"] * 1000, "ttft_s": answer.timings.get("ttft_s"),
                   "total_s": answer.timings.get("total_s")}
        cited = [c.paper_id for c in answer.citations]
        row |= {"answer": answer.text, "refused": answer.refused, "refusal_reason": answer.refusal_reason,
                "kind": answer.kind, "verdict": answer.verdict, "basis": answer.basis, "decision": answer.decision,
                "citations": [{"n": c.n, "paper_id": c.paper_id, "title": c.title} for c in answer.citations]}
        scores = answer_scores(item, answer.text, answer.refused, cited, answer.verdict, answer.kind)
    retrieved = [h.paper_id for h in hits]
    if item.answerable and (retrieval_only or answer.kind != "metadata"):  # metadata answers retrieve nothing
        scores |= retrieval_scores(item.gold_ids, retrieved, k)
    row["retrieved"] = [{"paper_id": h.paper_id, "title": h.title, "score": round(h.score, 4)} for h in hits]
    return row | {"scores": scores, "timings": timings}


def run_eval(qaset: Path, settings: Settings, out_dir: Path, limit: int | None = None, retrieval_only: bool = False,
             mode: str | None = None, k: int | None = None, progress=None, parallel: int = 1,
             kind: str | None = None) -> tuple[dict, list[str]]:
    """Returns (summary by type, problems found in the QA set). Writes items.jsonl, summary.json, report.md, plots.
    ``parallel`` questions are asked at once (faster runs on a model server; their timings then include waiting)."""
    from eval.report import write_report

    answer_k = k
    mode, k = mode or settings.retrieval.mode, k or settings.retrieval.top_k
    service = AnswerService(settings)
    items, problems = load_qaset(qaset, titles_to_ids(service))
    items = [i for i in items if kind in (None, i.kind)]
    items = items[:limit] if limit else items
    if not items:
        raise UserError(f"QA set {qaset} has no items of kind {kind}")
    config = {"qaset": str(qaset), "mode": mode, "k": k, "retrieval_only": retrieval_only,
              "llm": None if retrieval_only else backend_for(settings).describe(), "chunk": settings.chunk.model_dump(),
              "answer": None if retrieval_only else settings.answer.model_dump(), "parallel": parallel, "kind": kind}
    out_dir.mkdir(parents=True, exist_ok=True)
    run_file, items_file = out_dir / "run.json", out_dir / "items.jsonl"
    if run_file.is_file() and json.loads(run_file.read_text())["config"] != config:
        raise UserError(f"{out_dir} holds a run with another configuration; choose another --out")
    run_file.write_text(json.dumps({"config": config}, indent=2))
    done = _read_rows(items_file)
    items_file.write_text("".join(json.dumps(done[i.qid]) + "\n" for i in items if i.qid in done))  # drop cut lines
    todo = [i for i in items if i.qid not in done]
    task = progress.add_task(f"Evaluating {qaset.name}", total=len(items), completed=len(items) - len(todo)) if progress else None
    unfinished: dict[str, str] = {}  # an item whose answer failed (the model server timed out): asked again next run
    with items_file.open("a", encoding="utf-8") as fh, ThreadPoolExecutor(parallel) as pool:
        running = {pool.submit(evaluate_item, service, item, k, mode, retrieval_only, answer_k): item for item in todo}
        for finished in as_completed(running):
            try:
                done[running[finished].qid] = row = finished.result()
            except UserError:  # a set-up mistake fails every item alike: said once, at once
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            except Exception as err:  # one item's failure must not lose the others' rows
                unfinished[running[finished].qid] = f"{type(err).__name__}: {err}"
                continue
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            if task is not None:
                progress.advance(task)
    rows = [done[i.qid] for i in items if i.qid in done]
    if unfinished and not rows:
        raise UserError(f"every item failed, e.g. {next(iter(unfinished.values()))[:200]}")
    summary = summarise_by_type(rows)
    summary["config"] = config
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2))
    write_report(out_dir, summary, rows)
    settings.latest_eval_path.parent.mkdir(parents=True, exist_ok=True)  # what the page's Evaluation tab shows
    settings.latest_eval_path.write_text(json.dumps({"run": str(out_dir.resolve()), "qaset": str(qaset), "at": time.time()}))
    if unfinished:
        qid, why = next(iter(unfinished.items()))
        raise UserError(f"{len(unfinished)} of {len(items)} items failed ({qid}: {why[:160]}); the report covers the "
                        f"others: run the same command again to ask the failed ones again")
    return summary, problems
