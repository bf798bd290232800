"""question (+ conversation) -> kind -> retrieved papers -> the kind's strategy -> streamed, cited answer.

The one service the CLI, the UI and the evaluation all use. ``stream`` yields ``Waiting`` while the question
waits for the model (admission.py), text as it becomes final (checked, cited, named) and then, last, the
``Answer``. What each kind of question gets is decided in ``rag/answer/kinds``: one module (and one file of example questions)
per kind; the service has no case of its own for any kind.
"""

import time
from collections.abc import Iterator

from rag.answer.admission import Admission, Waiting
from rag.answer.citations import strip_markers
from rag.answer.followup import FollowUpDetector, adds_numbers, plain_history
from rag.answer.kinds.base import Question, Strategy, Toolkit
from rag.answer.kinds.metadata import check_examples
from rag.answer.kinds.registry import kept_prompts, take
from rag.answer.kinds.router import Route, Router
from rag.answer.prompting import system_prompt
from rag.answer.prompts import PLACEHOLDERS, load_prompt
from rag.answer.prompts import check as check_prompts
from rag.answer.scope import Scope
from rag.answer.types import Answer, Citation
from rag.llm import Backend, backend_for
from rag.papers import PaperService
from rag.retrieve.retriever import PaperRetriever
from rag.settings import RetrievalMode, Settings
from rag.text import MAX_QUESTION_CHARS, clean_query

__all__ = ["Answer", "AnswerService", "Citation", "MAX_QUESTION_CHARS", "Scope", "Waiting"]


class AnswerService:
    def __init__(self, settings: Settings, retriever: PaperRetriever | None = None, backend: Backend | None = None):
        check_prompts([*PLACEHOLDERS, *settings.answer.judge.instructions])  # an edited template fails here, in one line
        check_examples()
        self.settings = settings
        self.retriever = retriever or PaperRetriever(settings)
        self.backend = backend or backend_for(settings, self.prefix)  # the model loads at first use
        self.tools = Toolkit(settings, self.retriever.store, self.backend, self.retriever.search)
        self._router: Router | None = None
        self._followups: FollowUpDetector | None = None
        self.admission = Admission(self.backend.capacity)
        self.papers = PaperService(self.retriever.store)

    @property
    def prefix(self) -> list[dict]:
        """What every prompt starts with (the system prompt's rules; the refusal rule follows them where a kind has it):
        the model reads it once (Backend.warm)."""
        return [{"role": "system", "content": system_prompt(self.settings, may_refuse=False)}, {"role": "user", "content": "Hello"}]

    @property
    def router(self) -> Router:
        if self._router is None:
            self._router = Router(self.settings)
        return self._router

    def warm_up(self) -> None:
        """Load the embedder, BM25 index, router and model, and have the model read the system prompt once, and a
        model server the kinds' few-shot examples too (it keeps them in its prompt cache; ``llm.keep_examples``)."""
        self.retriever.warm_up()
        _ = self.router, self.followups
        self.backend.warm()
        if self.settings.llm.keep_examples:
            self.backend.keep(kept_prompts(), busy=lambda: self.admission.busy)

    def ask(self, question: str, history: list[tuple[str, str]] = (), **options) -> Answer:
        *_, answer = self.stream(question, history, **options)
        return answer

    @property
    def followups(self) -> FollowUpDetector:
        if self._followups is None:
            self._followups = FollowUpDetector(self.settings)
        return self._followups

    def condense(self, question: str, history: list[tuple[str, str]]) -> str:
        """A follow-up ('which datasets did it use?') rewritten as a standalone question; a message that does not
        depend on the conversation (followup.py) is returned as it is."""
        if not history or self.followups.probability(question) < self.settings.answer.followup_above:
            return question
        shown = plain_history(history, 4, 600)
        prompt = load_prompt("condense").format(history=shown, question=question)
        # Same system prompt first, so llama.cpp's cached prefix still serves the answer that follows.
        reply = self.tools.complete([{"role": "system", "content": system_prompt(self.settings)},
                                     {"role": "user", "content": prompt}])
        rewritten = strip_markers(" ".join(reply.split())).strip('"')
        if not 3 <= len(rewritten) <= MAX_QUESTION_CHARS or adds_numbers(rewritten, question, shown):
            return question
        return rewritten

    def strategy_for(self, question: str, embedding: list[float]) -> tuple[Route, Strategy]:
        """The router's scores, and the strategy of the kind that takes the question (strategies.take)."""
        route = self.router.route(question, embedding)
        return route, take(self.tools, question, route)

    def stream(self, question: str, history: list[tuple[str, str]] = (), k: int | None = None,
               mode: RetrievalMode | None = None, max_tokens: int | None = None,
               scope: Scope | None = None) -> Iterator[Waiting | str | Answer]:
        """Where the question stands in the queue while it waits, text pieces as they pass their checks ("" while
        the model writes what is not shown yet), then the Answer. ``max_tokens`` caps a model-written answer;
        ``scope`` limits the papers it may use. Closing the stream (Stop) frees its place and the model at once."""
        question = clean_query(question)
        with self.admission.ticket() as ticket:
            yield from ticket.wait()
            yield from self._answer(question, history, k, mode, max_tokens, scope or Scope())

    def _answer(self, question: str, history, k, mode, max_tokens, scope: Scope) -> Iterator[str | Answer]:
        started = time.perf_counter()
        standalone = self.condense(question, list(history))
        retrieval_started = time.perf_counter()
        embedding = self.retriever.embed_query(standalone)  # once: for routing, retrieval and evidence
        route, strategy = self.strategy_for(standalone, embedding)
        within = scope.within(self.retriever.store.papers()) if scope else None
        hits = []
        if strategy.needs_retrieval:
            text = strategy.search_text(standalone)
            vector = embedding if text == standalone else self.retriever.embed_query(text)
            hits = self.retriever.search(text, k=k or strategy.k, mode=mode, with_relevance=True, query_embedding=vector,
                                         within=strategy.search_within(within))
        timings = {"retrieve_s": time.perf_counter() - retrieval_started}
        answer = Answer(question, standalone, "", [], False, hits, timings, kind=strategy.kind, scope=scope.describe())
        floor = self.settings.answer.min_relevance
        if within is not None and not within:
            pieces = strategy.refuse(answer, f"no indexed paper is in the chosen scope ({answer.scope})")
        elif strategy.needs_retrieval and (not hits or strategy.gated and max(h.relevance for h in hits) < floor):
            pieces = strategy.refuse(answer, "no indexed paper is close to the question")
        else:
            pieces = strategy.stream(Question(standalone, embedding, hits, max_tokens, within), answer)
        for piece in pieces:
            if piece:
                timings.setdefault("ttft_s", time.perf_counter() - started)
            yield piece
        timings["total_s"] = time.perf_counter() - started
        yield answer
