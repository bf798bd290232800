"""A deterministic stand-in for the answer model (``FakeBackend``, a real ``Backend``) and for the store's evidence,
for unit tests of strategy logic: the real Toolkit and strategies, no model, no store.

``yes(prompt) -> P(Yes)`` says what the model would judge for a Yes/No question ending ``prompt``; ``reply`` is what it
writes (streamed in small pieces); ``json`` what it writes under a JSON schema. Every prompt is recorded.
"""

import numpy as np

from rag.answer.evidence import PaperEvidence
from rag.answer.kinds.base import Question, Toolkit
from rag.answer.kinds.router import Route
from rag.llm.base import Backend
from rag.retrieve.retriever import Hit
from rag.settings import Settings


def paper(pid: str, title: str, sentences: list[str], scores: list[float], relevance: float = 0.5) -> PaperEvidence:
    hit = Hit(pid, title, relevance, sentences[0], f"{pid}#0", relevance=relevance)
    return PaperEvidence(hit, sentences, np.asarray(scores), 0)


def question(text: str, evidence: list[PaperEvidence]) -> Question:
    return Question(text, [0.0], [e.hit for e in evidence])


def route(**scores: float) -> Route:
    return Route(scores)


class FakeBackend(Backend):
    served = True  # nothing to lock

    def __init__(self, settings: Settings, yes=lambda prompt: 0.5, reply: str = "", json="{}"):
        """``json``: the reply to every structured call, or a function of the call's last message."""
        super().__init__(settings)
        self._yes, self._reply, self._json = yes, reply, json
        self.prompts: list[str] = []  # the last message of every call, in order

    def _load(self):
        return "fake"

    def stream(self, messages, max_tokens=None):
        self.prompts.append(messages[-1]["content"])
        for i in range(0, len(self._reply), 3):
            yield self._reply[i:i + 3]

    def next_word(self, messages, options):
        self.prompts.append(messages[-1]["content"])
        p = self._yes(messages[-1]["content"])  # the first option's probability ("Yes", "One")
        return {options[0]: p, options[1]: 1 - p}

    def structured(self, messages, schema, max_tokens):
        assert "properties" in schema
        self.prompts.append(messages[-1]["content"])
        return self._json(messages[-1]["content"]) if callable(self._json) else self._json

    def describe(self) -> str:
        return "fake"


class FakeStore:
    def __init__(self, papers: list[dict]):
        self._papers = papers

    def papers(self) -> list[dict]:
        return self._papers

    def revision(self) -> str:
        return "fake"


class FakeTools(Toolkit):
    """The real Toolkit over a fake model, with the evidence given instead of scored from a store."""

    def __init__(self, settings: Settings, evidence: list[PaperEvidence], yes=lambda prompt: 0.5, reply: str = "",
                 json="{}", papers: list[dict] = (), search=None):
        """``search``: what the retriever finds for a text, as {text: [evidence, ...]} (None: no search)."""
        found = (lambda text, k=None, **_: [e.hit for e in search.get(text, [])][:k]) if search is not None else None
        super().__init__(settings, FakeStore(list(papers)), FakeBackend(settings, yes, reply, json), found)
        self._evidence = evidence

    @property
    def prompts(self) -> list[str]:
        return self.backend.prompts

    def evidence(self, question, limit=None):
        """The given evidence of the question's hits (all of it for no question)."""
        ids = None if question is None else {h.paper_id for h in question.hits}
        evidence = [e for e in self._evidence if ids is None or e.hit.paper_id in ids]
        return evidence[:limit] if limit else evidence

    def common_terms(self) -> frozenset[str]:
        return frozenset()
