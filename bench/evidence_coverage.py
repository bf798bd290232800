"""How often the evidence sentences a detail answer is written from hold the answer's key strings (no model call).

A detail answer is written from a few numbered sentences (answer.sentences: papers, per_paper, most); when the
sentence with the answer is not among them, no model can answer. For each answerable detail item of the given QA
sets this prints whether the gold abstract holds the keys at all, and whether the offered sentences do, for the
configured selection and the variants given with --variant papers,per_paper,most[,within[,diversity]].

    python -m bench.evidence_coverage eval/qa/dev.jsonl eval/qa/regression.jsonl --variant 2,4,6 --variant 3,3,6
"""

import argparse
import sys
from pathlib import Path

from eval.qaset import load_qaset
from eval.runner import titles_to_ids
from rag.answer.kinds.base import Question, Toolkit
from rag.answer.prompting import count_tokens
from rag.answer.sentences import candidates
from rag.answer.service import AnswerService
from rag.settings import get_settings

DETAIL_TYPES = {"fact", "paraphrase", "multi"}


def _holds(text: str, keys: list[str]) -> bool:
    low = text.lower()
    return all(k.lower() in low for k in keys)


def _variant(text: str) -> tuple:
    parts = text.split(",")
    return (*(int(x) for x in parts[:3]), float(parts[3]) if len(parts) > 3 and parts[3] else None,
            float(parts[4]) if len(parts) > 4 else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qasets", nargs="+", type=Path)
    parser.add_argument("--variant", action="append", default=[], help="papers,per_paper,most[,within[,diversity]]")
    parser.add_argument("--misses", action="store_true", help="print the questions whose keys are not offered")
    args = parser.parse_args(argv)
    settings = get_settings()
    service = AnswerService(settings)
    tools = Toolkit(settings, service.retriever.store, service.backend)
    shape = settings.answer.sentences
    # the configured selection first; a --variant equal to it is the same row (counted once)
    variants = list(dict.fromkeys([(shape.papers, shape.per_paper, shape.most, shape.within, shape.diversity),
                                   *(_variant(v) for v in args.variant)]))
    ids = titles_to_ids(service)
    counts = {v: [0, 0] for v in variants}  # held, tokens
    total = in_gold = 0
    for path in args.qasets:
        items, _ = load_qaset(path, ids)
        for item in items:
            if not (item.answerable and item.must_include and (item.kind == "detail" or item.type in DETAIL_TYPES
                                                                and item.kind in (None, "detail"))):
                continue
            embedding = service.retriever.embed_query(item.question)
            hits = service.retriever.search(item.question, k=settings.retrieval.top_k, with_relevance=True,
                                            query_embedding=embedding)
            evidence = tools.evidence(Question(item.question, embedding, hits))
            gold = [e for e in evidence if e.hit.paper_id in item.gold_ids]
            total += 1
            in_gold += any(_holds(e.hit.title + " " + e.abstract, item.must_include) for e in gold) or not gold
            for v in variants:
                chosen = candidates(evidence, *v)
                text = " ".join(s.text for s in chosen)
                held = _holds(text, item.must_include)
                counts[v][0] += held
                counts[v][1] += count_tokens(text)
                if args.misses and v == variants[0] and not held:
                    print(f"  miss {item.qid}: {item.question[:110]}")
    print(f"{total} answerable detail items; gold abstract (retrieved) holds the keys: {in_gold / max(total, 1):.2f}")
    for v, (held, tokens) in counts.items():
        print(f"papers={v[0]} per_paper={v[1]} most={v[2]} within={v[3]} diversity={v[4]}: keys offered {held / max(total, 1):.2f}, "
              f"mean evidence tokens {tokens / max(total, 1):.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
