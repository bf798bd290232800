"""The interface every answer strategy implements, and the tools they share.

A strategy gets the question (standalone, embedded, routed, retrieved) and an ``Answer`` to fill; it
yields text as it becomes final. Text is only ever yielded once it has passed its checks, so what a
user sees is never silently taken back (see ``claims.py``).
"""

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rag.answer.evidence import PaperEvidence, score_papers
from rag.answer.judge import Judgment, judge
from rag.answer.kinds.router import Route
from rag.answer.naming import common_terms
from rag.answer.prompts import load_prompt
from rag.answer.sentences import Sentence, candidates
from rag.answer.types import Answer
from rag.llm.base import Backend
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from rag.store import PaperStore


@dataclass
class Question:
    text: str  # standalone
    embedding: list[float]
    hits: list[Hit]  # retrieved, with relevance
    max_tokens: int | None = None  # a per-call cap on model-written text (the UI's answer length)
    within: frozenset[str] | None = None  # the papers the user scoped the question to (None: all)


class Toolkit:
    """What strategies may use: settings, the store, evidence scoring and the model (its backend, locked as it needs)."""

    def __init__(self, settings: Settings, store: PaperStore, backend: Backend, search: Callable[..., list[Hit]] | None = None):
        self.settings = settings
        self.store = store
        self.backend = backend
        self.search = search  # the retriever's search (PaperRetriever.search), for a kind that looks up more than the question
        self._common: tuple[str, frozenset[str]] | None = None

    def evidence(self, question: Question, limit: int | None = None) -> list[PaperEvidence]:
        """The retrieved papers' evidence (the first ``limit`` papers): their sentences scored against the question."""
        return score_papers(question.text, question.embedding, question.hits, self.store, self.settings,
                            self.common_terms(), limit=limit)

    def judged(self, question: Question, may_refuse: bool = True) -> tuple[list[Sentence], Judgment | None]:
        """The best evidence sentences and the model's judgment that they state what is asked (None: no sentence)."""
        shape = self.settings.answer.sentences
        sentences = candidates(self.evidence(question), shape.papers, shape.per_paper, shape.most, shape.within,
                               shape.diversity)
        relevance = max((h.relevance or 0.0 for h in question.hits), default=0.0)
        return sentences, (judge(self, question.text, sentences, relevance, may_refuse) if sentences else None)

    def common_terms(self) -> frozenset[str]:
        """Name-like terms several abstracts use (never a paper's own name); rebuilt when the store changes."""
        revision = self.store.revision()
        if self._common is None or self._common[0] != revision:
            terms = (meta.get("terms", "").split() for meta in self.store.papers())
            self._common = (revision, common_terms(terms))
        return self._common[1]

    def stream_chat(self, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
        """Text deltas of the model's reply; the model lock is held, and a server's request open, until the stream
        is closed (a server stops writing the moment it is)."""
        with self.backend.lock(), contextlib.closing(self.backend.stream(messages, max_tokens)) as deltas:
            yield from deltas

    def complete(self, messages: list[dict], max_tokens: int | None = None) -> str:
        """The model's whole reply."""
        with self.backend.lock():
            return self.backend.complete(messages, max_tokens)

    def structured(self, messages: list[dict], schema: dict, max_tokens: int) -> str:
        """The model's reply as JSON constrained to ``schema`` where the backend can; the caller validates it."""
        with self.backend.lock():
            return self.backend.structured(messages, schema, max_tokens)

    def choose(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        """Probabilities of the options as the model's next word (read from its logits, not sampled)."""
        with self.backend.lock():
            return self.backend.choose(messages, options)

    def chance(self, prompt: str, options: list[str], **fields) -> float:
        """The probability of the first of ``options`` as the reply to the template ``prompt`` filled with ``fields``."""
        return self.choose([{"role": "user", "content": load_prompt(prompt).format(**fields)}], options)[options[0]]


class Strategy(ABC):
    kind: str
    k: int | None = None  # papers to retrieve; None = the configured top_k
    needs_retrieval = True
    gated = True  # refused unread when no retrieved passage is close to the question (answer.min_relevance)
    eager = False  # offered the question before the kinds the router ranks higher (a kind that checks for itself)
    few_shots: tuple[str, ...] = ()  # long few-shot templates (prompts/) its calls start with: read at warm-up

    def __init__(self, tools: Toolkit):
        self.tools = tools
        self.settings = tools.settings

    @classmethod
    def offer(cls, tools: Toolkit, question: str, route: Route) -> "Strategy | None":
        """This kind's strategy for ``question``, or None when the kind declines it (the next kind is offered it).
        By default a kind takes what the router ranks it first for."""
        return cls(tools)

    def search_text(self, question: str) -> str:
        """What to retrieve with: the question, unless the kind searches for a part of it."""
        return question

    def search_within(self, within: frozenset[str] | None) -> frozenset[str] | None:
        """The papers retrieval may find: the user's scope (None: all), unless the kind narrows it."""
        return within

    @abstractmethod
    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        """Yield final text pieces; fill ``answer`` (text, citations, refused, basis) as a side effect."""

    @staticmethod
    def lines(answer: Answer, lines: Iterable[str]) -> Iterator[str]:
        """Yield answer lines one by one (a list answer: one paper a line), appending them to the answer."""
        for i, line in enumerate(lines):
            text = ("\n" if i else "") + line
            answer.text += text
            yield text

    def withdrawn(self, reason: str) -> str:
        """What is said after a shown draft that failed its checks."""
        return self.settings.answer.withdrawn.format(reason=reason)

    def refuse(self, answer: Answer, reason: str) -> Iterator[str]:
        """The refusal; when a draft was already shown, the refusal says that it is withdrawn, and why."""
        refusal, shown = self.settings.answer.refusal, answer.text.strip()
        text = refusal if not shown or shown == refusal else f"{refusal} {self.withdrawn(reason)}"
        answer.text, answer.refused, answer.refusal_reason, answer.citations = text, True, reason, []
        if shown != refusal:
            yield ("\n" if shown else "") + text
