"""Question -> kind, by a classifier trained on labelled example questions (``<kind>.jsonl`` beside each kind's
module, about invented topics), so that the *form* of a question decides, not its topic (classifier.py).
``bench/router.py`` measures it on QA sets written by others.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from rag.answer.classifier import TextClassifier
from rag.answer.kinds import KINDS, Kind
from rag.settings import Settings

HERE = Path(__file__).parent


@dataclass
class Route:
    scores: dict[str, float]  # probability per kind

    def ranked(self) -> list[Kind]:
        return sorted(self.scores, key=self.scores.get, reverse=True)


def load_examples(folder: Path = HERE) -> list[tuple[str, Kind]]:
    """Every kind's example questions, kind by kind (``folder/<kind>.jsonl``: one {"kind", "question"} a line)."""
    rows = [json.loads(line) for kind in KINDS for line in (folder / f"{kind}.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [(r["question"], r["kind"]) for r in rows if r["kind"] in KINDS]


class Router:
    def __init__(self, settings: Settings, examples: list[tuple[str, Kind]] | None = None):
        self.classifier = TextClassifier(settings, examples or load_examples(), "router")

    def route(self, question: str, embedding: list[float] | None = None) -> Route:
        scores = self.classifier.probabilities(question, embedding)
        return Route(scores)
