"""Follow-ups: does a message depend on the conversation before it? Only then is it rewritten as a standalone
question (the model does that, prompts/condense.txt); a self-contained question is passed on unchanged, so a new
question in an ongoing chat is never bent toward the previous answer.

Decided by a classifier (classifier.py) learned from labelled messages about invented topics (``followups.jsonl``:
pronouns and references, ellipsis such as "and on CIFAR-100?", requests about the previous answer, against complete
questions, many right after a related answer). Measured on a set written by someone who never saw it
(``eval/qa/followups-test.jsonl``; ``python -m bench.followups``).
"""

import json
from pathlib import Path

from rag.answer.citations import strip_markers
from rag.answer.classifier import TextClassifier
from rag.answer.grounding import numbers
from rag.settings import Settings

EXAMPLES = Path(__file__).with_name("followups.jsonl")


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["message"], "follow_up" if r["follow_up"] else "standalone") for r in rows]


class FollowUpDetector:
    def __init__(self, settings: Settings, examples: list[tuple[str, str]] | None = None):
        self.classifier = TextClassifier(settings, examples or load_examples(), "followups")

    def probability(self, message: str, embedding: list[float] | None = None) -> float:
        """How likely ``message`` needs the conversation to be understood."""
        return self.classifier.probabilities(message, embedding)["follow_up"]


def plain_history(history: list[tuple[str, str]], turns: int, chars: int) -> str:
    """The last ``turns`` messages as the rewriting prompt shows them: citation markers out (a rewritten question must
    never carry one), each message cut to ``chars``."""
    return "\n".join(f"{role.capitalize()}: {' '.join(strip_markers(text).split())[:chars]}" for role, text in history[-turns:])


def adds_numbers(rewritten: str, question: str, history: str) -> bool:
    """Whether a rewritten question states a number found neither in the question nor in the conversation. A rewrite
    only says what the question's references point to; a new number is the model answering, or inventing, instead
    (seen: "How much does MCUNetV2 reduce peak memory on microcontrollers?" after an unrelated question became
    "MCUNetV2 reduces peak memory by 25% on microcontrollers.", and was refused). Then the question is kept as asked."""
    known = {value for value, _ in numbers(f"{question} {history}")}
    return any(value not in known for value, _ in numbers(rewritten))
