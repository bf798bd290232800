"""Per-item scores and their aggregates.

Retrieval hit rate, MRR and recall come from llama-index; nDCG@k is computed here because
llama-index's ideal DCG is not cut at k (it would under-score items with more gold papers than k).
"""

import math
import re
import statistics
from collections import Counter

from llama_index.core.evaluation.retrieval.metrics import MRR, HitRate, Recall


def ndcg_at_k(gold: list[str], retrieved: list[str], k: int) -> float:
    gold_set = set(gold)
    dcg = sum(1 / math.log2(i + 1) for i, pid in enumerate(retrieved[:k], start=1) if pid in gold_set)
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(k, len(gold_set)) + 1))
    return dcg / ideal if ideal else 0.0


def retrieval_scores(gold: list[str], retrieved: list[str], k: int) -> dict[str, float]:
    top = retrieved[:k] or ["<none>"]
    return {
        "recall@k": Recall().compute(expected_ids=gold, retrieved_ids=top).score,
        "hit@k": HitRate().compute(expected_ids=gold, retrieved_ids=top).score,
        "mrr": MRR().compute(expected_ids=gold, retrieved_ids=retrieved or ["<none>"]).score,
        "ndcg@k": ndcg_at_k(gold, retrieved, k),
    }


_TOKEN = re.compile(r"\w+")
_CITATION = re.compile(r"\[\d+\]")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(_CITATION.sub(" ", text.lower())) if t not in {"a", "an", "the"}]


def token_f1(answer: str, reference: str) -> float:
    """SQuAD-style token overlap F1 (citation markers and articles ignored)."""
    pred, ref = _tokens(answer), _tokens(reference)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not common:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def key_strings_present(answer: str, must_include: list[str]) -> bool:
    text = answer.lower()
    return all(s.lower() in text for s in must_include)


def refusal_stage(reason: str | None) -> str:
    """What refused, without the particulars: "a claim was not in the sources: “10” is not in ..." -> "a claim was not
    in the sources" (the reasons are the strategies' and the claim check's own words)."""
    return re.split(r":| \(", reason or "no reason given", maxsplit=1)[0].strip()


def answer_scores(item, answer: str, refused: bool, cited_ids: list[str], verdict: str | None = None,
                  kind: str | None = None) -> dict:
    """Scores of one answered (or refused) item; None where a score does not apply."""
    gold = set(item.gold_ids)
    answered = not refused
    key = key_strings_present(answer, item.must_include) if item.must_include and item.answerable else None
    right_verdict = (answered and verdict == item.verdict) if item.verdict and item.answerable else None
    if item.answerable:
        correct = answered and (right_verdict if right_verdict is not None else key if key is not None else bool(gold & set(cited_ids)))
    else:
        correct = refused
    return {
        "verdict": right_verdict,
        "route": (kind == item.kind) if item.kind and kind else None,
        "key_string": None if key is None else bool(answered and key),
        "token_f1": token_f1(answer, item.answer) if item.answer and item.answerable else None,
        "citation_precision": (len(gold & set(cited_ids)) / len(cited_ids)) if cited_ids and item.answerable else None,
        "citation_recall": (len(gold & set(cited_ids)) / len(gold)) if item.answerable and answered else None,
        # a list answer (metadata) is right only with exactly the gold papers
        "exact_set": (answered and set(cited_ids) == gold) if item.kind == "metadata" and item.answerable else None,
        # and in the order asked, when the question asks for one
        "exact_order": (answered and list(dict.fromkeys(cited_ids)) == item.gold_ids) if item.ordered and item.answerable else None,
        "correct": bool(correct),
    }


def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _p50_p95(values) -> dict:
    values = sorted(v for v in values if v is not None)
    if not values:
        return {"p50": None, "p95": None}
    p95 = statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    return {"p50": statistics.median(values), "p95": p95}


def summarise(rows: list[dict]) -> dict:
    """Aggregate metrics over items.jsonl rows (LitQA-style refusal split included)."""
    scores = [r["scores"] for r in rows]
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    with_answers = [r for r in rows if r.get("refused") is not None]
    answered = [r for r in with_answers if not r["refused"]]
    out = {"items": len(rows)}
    for name in ("recall@k", "hit@k", "mrr", "ndcg@k", "key_string", "verdict", "route", "token_f1", "citation_precision",
                 "citation_recall", "exact_set", "exact_order"):
        out[name] = _mean(s.get(name) for s in scores)
    for gold in ("yes", "no"):  # a verdict right on both sides, not only on the side the model leans to
        out[f"verdict_{gold}"] = _mean(r["scores"].get("verdict") for r in rows if r.get("gold_verdict") == gold)
    if with_answers:
        correct = sum(1 for r in with_answers if r["scores"]["correct"])
        out["accuracy"] = correct / len(with_answers)
        out["precision"] = (sum(1 for r in answered if r["scores"]["correct"]) / len(answered)) if answered else None
        out["refusal_rate_unanswerable"] = _mean(r["refused"] for r in unanswerable if r.get("refused") is not None)
        out["false_refusal_rate"] = _mean(r["refused"] for r in answerable if r.get("refused") is not None)
        # the confusion of refusals: answerable items refused, unanswerable ones answered (counts)
        out["wrongly_refused"] = sum(1 for r in answerable if r.get("refused"))
        out["wrongly_answered"] = sum(1 for r in unanswerable if r.get("refused") is False)
        # and what refused the answerable ones: the relevance gate, the judgment, the model's own draft, a claim check
        stages = Counter(refusal_stage(r.get("refusal_reason")) for r in answerable if r.get("refused"))
        out["wrongly_refused_by"] = dict(stages.most_common())
    for name in ("retrieve_ms", "ttft_s", "total_s"):
        out[name] = _p50_p95(r["timings"].get(name) for r in rows)
    return out


def summarise_by_type(rows: list[dict]) -> dict:
    """Overall, then per group: the question kind where the QA set labels kinds (near misses apart), else its type."""
    groups = sorted({r.get("group") or r["type"] for r in rows})
    return {"overall": summarise(rows), **{g: summarise([r for r in rows if (r.get("group") or r["type"]) == g]) for g in groups}}
