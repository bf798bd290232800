"""How often an identify answer would name the right paper first, for each weight of the retrieval-rank prior.

    PAPERCHAT_DATA_DIR=<store> .venv/bin/python -m bench.identify_order QASET [--candidates 4] [--priors 0 0.25 0.5 1]

For every identify item with `gold_ids` (as the ACL sets give them), the first ``--candidates`` retrieved papers are
judged by the model once (judge.py ``judge_each``, as the identify kind does); each prior then orders them by judge
score minus prior x ln(1 + retrieval rank) (``answer.identify.rank_prior``). Prints totals only (never an item): the
right paper first per prior, beside retrieval's first alone and how often the right paper is among those judged at
all. Routing is not applied: every item takes the identify path.
"""

import argparse
import json
import math
import sys
from pathlib import Path

from rag.answer.judge import judge_each
from rag.answer.kinds.base import Question
from rag.answer.kinds.identify import IdentifyStrategy
from rag.answer.service import AnswerService
from rag.settings import get_settings


def judged(service: AnswerService, item: dict, candidates: int) -> list[tuple[float, bool]]:
    """(judge score, is gold) of the first ``candidates`` retrieved papers, in retrieval order."""
    embedding = service.retriever.embed_query(item["question"])
    hits = service.retriever.search(item["question"], k=IdentifyStrategy(service.tools).k, with_relevance=True,
                                    query_embedding=embedding)
    ranked = service.tools.evidence(Question(item["question"], embedding, hits), limit=candidates)
    scores = judge_each(service.tools, item["question"], ranked, service.settings.answer.identify.sentences)
    return [(score, e.hit.paper_id in item["gold_ids"]) for score, e in zip(scores, ranked, strict=True)]


def first_is_gold(row: list[tuple[float, bool]], prior: float) -> bool:
    ordered = [score - prior * math.log1p(rank) for rank, (score, _) in enumerate(row)]
    return bool(row) and row[max(range(len(row)), key=ordered.__getitem__)][1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("qaset", type=Path)
    parser.add_argument("--candidates", type=int, default=4)
    parser.add_argument("--priors", type=float, nargs="+", default=[0.0, 0.25, 0.5, 0.75, 1.0])
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in args.qaset.read_text(encoding="utf-8").splitlines() if line.strip()]
    items = [i for i in items if i.get("kind", "identify") == "identify" and i.get("gold_ids")]
    service = AnswerService(get_settings())
    rows = []
    for n, item in enumerate(items, 1):
        rows.append(judged(service, item, args.candidates))
        print(f"\r{n}/{len(items)} judged", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"{len(rows)} identify questions; right paper among the {args.candidates} judged: "
          f"{sum(any(gold for _, gold in row) for row in rows)}; retrieval's first: {sum(row[0][1] for row in rows if row)}")
    for prior in args.priors:
        print(f"rank prior {prior:<5}: right paper first {sum(first_is_gold(row, prior) for row in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
