"""Question -> kind, by a classifier trained on labelled example questions (``examples.jsonl``, about invented topics
asked in every kind), so that the *form* of a question decides, not its topic (classifier.py).
``bench/router.py`` measures it on QA sets written by others.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from rag.answer.classifier import TextClassifier
from rag.answer.kinds import KINDS, Kind
from rag.settings import Settings

EXAMPLES = Path(__file__).with_name("examples.jsonl")


@dataclass
class Route:
    scores: dict[str, float]  # probability per kind

    def ranked(self) -> list[Kind]:
        return sorted(self.scores, key=self.scores.get, reverse=True)


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, Kind]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["question"], r["kind"]) for r in rows if r["kind"] in KINDS]


class Router:
    def __init__(self, settings: Settings, examples: list[tuple[str, Kind]] | None = None):
        self.classifier = TextClassifier(settings, examples or load_examples(), "router")

    def route(self, question: str, embedding: list[float] | None = None) -> Route:
        scores = self.classifier.probabilities(question, embedding)
        return Route(scores)
