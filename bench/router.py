"""Question-kind routing measured on labelled questions the router was not built from.

    .venv/bin/python -m bench.router [QASET ...] [--totals-only QASET ...]

Default: the dev split in full (accuracy, per-kind recall, confusion matrix, bench-output/router-confusion.png)
and the test split as totals only (its items are never read item by item). Routing is measured as
answers use it: the classifier (rag/answer/kinds/router.py), then, for a question that may be a metadata one,
the filter the model writes (a filter that constrains nothing sends it on; this starts the model server),
over the bundled store (indexed first if empty).
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from rag.answer.kinds import KINDS
from rag.answer.kinds.router import load_examples

QA = Path(__file__).resolve().parents[1] / "eval" / "qa"


def labelled(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["question"], r["kind"]) for r in rows if r.get("kind") in KINDS]


def route_all(service, items: list[tuple[str, str]]) -> tuple[list[str], float]:
    start = time.perf_counter()
    predicted = []
    for question, _ in items:
        _, strategy = service.strategy_for(question, service.retriever.embed_query(question))
        predicted.append(strategy.kind)
    return predicted, (time.perf_counter() - start) * 1000 / max(len(items), 1)


def confusion(items, predicted) -> list[list[int]]:
    counts = Counter((gold, got) for (_, gold), got in zip(items, predicted, strict=True))
    return [[counts[(gold, got)] for got in KINDS] for gold in KINDS]


def print_matrix(matrix: list[list[int]]) -> None:
    print("gold \\ routed  " + " ".join(f"{k[:8]:>8}" for k in KINDS) + "   recall")
    for kind, row in zip(KINDS, matrix, strict=True):
        total = sum(row)
        recall = f"{row[KINDS.index(kind)] / total:.2f}" if total else "  – "
        print(f"{kind:<14} " + " ".join(f"{n:>8}" for n in row) + f"   {recall}")


def plot(matrix: list[list[int]], title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(KINDS)), KINDS, rotation=30)
    ax.set_yticks(range(len(KINDS)), KINDS)
    for i, row in enumerate(matrix):
        for j, n in enumerate(row):
            ax.text(j, i, str(n), ha="center", va="center", color="black" if n < max(map(max, matrix)) / 2 else "white")
    ax.set_xlabel("routed")
    ax.set_ylabel("labelled")
    ax.set_title(title)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    from rag.answer.service import AnswerService
    from rag.ingest.pipeline import ingest
    from rag.settings import BUNDLED_CORPUS, Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("qasets", nargs="*", type=Path, default=[QA / "dev.jsonl"])
    parser.add_argument("--totals-only", nargs="*", type=Path, default=[QA / "test.jsonl"])
    args = parser.parse_args()
    settings = Settings()
    service = AnswerService(settings)
    if service.retriever.store.count_chunks() == 0:
        ingest([BUNDLED_CORPUS], settings)
    start = time.perf_counter()
    _ = service.router
    examples = len(load_examples())
    print(f"router trained in {time.perf_counter() - start:.1f} s on {examples} examples")
    everything: tuple[list, list] = ([], [])
    for path in args.qasets:
        items = labelled(path)
        predicted, ms = route_all(service, items)
        everything[0].extend(items)
        everything[1].extend(predicted)
        right = sum(gold == got for (_, gold), got in zip(items, predicted, strict=True))
        print(f"\n{path.name}: {len(items)} questions, accuracy {right / len(items):.3f}, {ms:.1f} ms a question")
        print_matrix(confusion(items, predicted))
    for path in args.totals_only:
        if path.is_file():
            items = labelled(path)
            predicted, _ = route_all(service, items)
            right = sum(gold == got for (_, gold), got in zip(items, predicted, strict=True))
            print(f"\n{path.name} (totals only): {len(items)} questions, accuracy {right / len(items):.3f}")
    if everything[0]:
        out = Path("bench-output/router-confusion.png")
        plot(confusion(*everything), f"Routing on {', '.join(p.name for p in args.qasets)}", out)
        print(f"\nconfusion matrix plot: {out}")


if __name__ == "__main__":
    main()
