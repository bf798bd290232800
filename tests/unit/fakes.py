"""A deterministic stand-in for the answer model and the store, for unit tests of strategy logic (no model, no store).

``FakeTools`` has the Toolkit's interface: ``choose`` answers from a function of the prompt's last message (so a test
says what the model would judge), ``stream_chat`` streams a fixed reply in small pieces and records each prompt.
"""

import numpy as np

from rag.answer.evidence import PaperEvidence
from rag.answer.kinds.router import Route
from rag.answer.strategies.base import Question, Toolkit
from rag.retrieve.retriever import Hit
from rag.settings import Settings


def paper(pid: str, title: str, sentences: list[str], scores: list[float]) -> PaperEvidence:
    return PaperEvidence(Hit(pid, title, 0.5, sentences[0], f"{pid}#0", relevance=0.5), sentences, np.asarray(scores), 0)


def question(text: str, evidence: list[PaperEvidence]) -> Question:
    return Question(text, [0.0], [e.hit for e in evidence], Route("detail", {"detail": 1.0}))


class FakeTools:
    judged = Toolkit.judged  # the real decision logic over the fake model

    def __init__(self, settings: Settings, evidence: list[PaperEvidence], yes, reply: str = ""):
        """``yes(prompt) -> P(Yes)``: what the model would say to a Yes/No question ending ``prompt``."""
        self.settings, self._evidence, self._yes, self._reply = settings, evidence, yes, reply
        self.prompts: list[str] = []  # user messages of every call, in order

    def evidence(self, question, limit=None):
        return self._evidence[:limit] if limit else self._evidence

    def choose(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        prompt = messages[-1]["content"]
        self.prompts.append(prompt)
        p = self._yes(prompt)
        return {"Yes": p, "No": 1 - p}

    def stream_chat(self, messages: list[dict], max_tokens=None):
        self.prompts.append(messages[-1]["content"])
        for i in range(0, len(self._reply), 3):
            yield self._reply[i:i + 3]
