"""question (+ conversation) -> retrieved papers -> streamed, cited answer or an honest refusal.

The one service the CLI, the UI and the evaluation all use. ``stream`` yields text as the model
writes it (citations already checked and renumbered) and then, last, the complete ``Answer``.
"""

import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from rag.answer.citations import CitationRewriter, clean_spacing, rewrite, strip_markers
from rag.answer.context import Source, build_messages, load_prompt, system_prompt
from rag.answer.evidence import focus_passages
from rag.answer.guards import is_refusal, support
from rag.text import split_sentences
from rag.errors import UserError
from rag.retrieve.retriever import Hit, PaperRetriever, clean_query
from rag.settings import RetrievalMode, Settings

MAX_QUESTION_CHARS = 2000
_IDENTIFY = re.compile(r"^\s*(which|what)\s+(\w+\s+)?(papers?|works?|stud(y|ies)|articles?|publications?|methods?)\b", re.I)
MIN_SUPPORT = 0.6  # an uncited sentence is credited to a source holding this share of its content words


@dataclass
class Citation:
    n: int
    paper_id: str
    title: str
    passage: str
    metadata: dict = field(default_factory=dict)


@dataclass
class Answer:
    question: str
    standalone_question: str
    text: str
    citations: list[Citation]
    refused: bool
    retrieved: list[Hit]
    timings: dict
    refusal_reason: str | None = None
    basis: str = "model"  # "retrieval" when a 'which paper' question was answered by naming the closest papers

    @property
    def uncited(self) -> list[Hit]:
        """Retrieved papers the answer does not cite: 'also retrieved', or 'possibly related' on refusal."""
        cited = {c.paper_id for c in self.citations}
        return [h for h in self.retrieved if h.paper_id not in cited]

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "citations": [asdict(c) for c in self.citations],
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "basis": self.basis,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "retrieved": [{"paper_id": h.paper_id, "title": h.title, "score": round(h.score, 4),
                           "relevance": None if h.relevance is None else round(h.relevance, 4), "passage": h.passage}
                          for h in self.retrieved],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _chat_messages(messages: list[dict]):
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


class AnswerService:
    def __init__(self, settings: Settings, retriever: PaperRetriever | None = None):
        self.settings = settings
        self.retriever = retriever or PaperRetriever(settings)

    @property
    def llm(self):
        from rag.llm import load_llm

        return load_llm(self.settings)

    def _generating(self):
        from rag.llm import model_lock

        return model_lock(self.settings)

    def warm_up(self) -> None:
        """Load the embedder, BM25 index and model, and have the model read the fixed system prompt once."""
        self.retriever.warm_up()
        messages = [{"role": "system", "content": system_prompt(self.settings)}, {"role": "user", "content": "Hello"}]
        with self._generating():
            for _ in self.llm.stream_chat(_chat_messages(messages)):
                break

    def ask(self, question: str, history: list[tuple[str, str]] = (), **options) -> Answer:
        *_, answer = self.stream(question, history, **options)
        return answer

    def condense(self, question: str, history: list[tuple[str, str]]) -> str:
        """A follow-up ('which datasets did it use?') rewritten as a standalone question."""
        if not history:
            return question
        turns = "\n".join(f"{role.capitalize()}: {' '.join(text.split())[:600]}" for role, text in history[-4:])
        prompt = load_prompt("condense").format(history=turns, question=question)
        # Same system prompt first, so llama.cpp's cached prefix still serves the answer that follows.
        with self._generating():
            reply = self.llm.chat(_chat_messages([{"role": "system", "content": system_prompt(self.settings)},
                                                  {"role": "user", "content": prompt}]))
        rewritten = " ".join(str(reply.message.content or "").split()).strip('"')
        return rewritten if 3 <= len(rewritten) <= MAX_QUESTION_CHARS else question

    def stream(self, question: str, history: list[tuple[str, str]] = (), k: int | None = None,
               mode: RetrievalMode | None = None, max_tokens: int | None = None) -> Iterator[str | Answer]:
        """Text pieces as the model writes them, then the Answer. ``max_tokens`` caps the answer's length."""
        started = time.perf_counter()
        question = clean_query(question)
        if len(question) > MAX_QUESTION_CHARS:
            raise UserError(f"the question is {len(question)} characters long; keep it under {MAX_QUESTION_CHARS}")
        standalone = self.condense(question, list(history))
        retrieval_started = time.perf_counter()
        query_embedding = self.retriever.embed_query(standalone)  # once: for retrieval and for evidence
        hits = self.retriever.search(standalone, k=k, mode=mode, with_relevance=True, query_embedding=query_embedding)
        timings = {"retrieve_s": time.perf_counter() - retrieval_started}
        answer = Answer(question, standalone, "", [], False, hits, timings)
        relevant = [h for h in hits if h.relevance >= self.settings.answer.source_relevance][: self.settings.answer.max_sources]
        if not hits or max(h.relevance for h in hits) < self.settings.answer.min_relevance or not relevant:
            yield from self._refuse(answer, "no indexed paper is close to the question", started)
            return
        relevant = focus_passages(standalone, query_embedding, relevant, self.retriever.store, self.settings)
        messages, sources = build_messages(standalone, relevant, self.settings)
        rewriter = CitationRewriter(valid={s.n for s in sources})
        raw = ""
        with self._generating():  # released also when the consumer stops early (Stop button)
            for count, chunk in enumerate(self.llm.stream_chat(_chat_messages(messages)), start=1):
                if "ttft_s" not in timings:
                    timings["ttft_s"] = time.perf_counter() - started
                raw += chunk.delta
                if text := rewriter.feed(chunk.delta):
                    yield text
                if max_tokens and count >= max_tokens:
                    break
        if tail := rewriter.finish():
            yield tail
        timings["total_s"] = time.perf_counter() - started
        yield self._finish(answer, raw, sources)

    def _finish(self, answer: Answer, raw: str, sources: list[Source]) -> Answer:
        text, order = rewrite(raw, valid={s.n for s in sources})
        declined = not text or is_refusal(text, self.settings.answer.refusal)
        if not declined and not order:  # the model cited nothing: credit sentences a source plainly supports
            text, order = _attach_citations(text, sources)
        if declined or not order:
            if identified := self._identify(answer.standalone_question, sources):
                text, order = identified
                answer.basis = "retrieval"
            else:
                return self._refused(answer, "the model found no answer in the sources" if declined else "the answer cites no source")
        by_number = {s.n: s for s in sources}
        if not strip_markers(text):  # "[1]" alone answers a "which paper" question: name the paper
            text = "; ".join(f"{by_number[old].hit.title} [{new}]" for new, old in enumerate(order, start=1))
        answer.text = text
        answer.citations = [Citation(new, by_number[old].hit.paper_id, by_number[old].hit.title,
                                     by_number[old].passage, by_number[old].hit.metadata)
                            for new, old in enumerate(order, start=1)]
        return answer

    def _identify(self, question: str, sources: list[Source]) -> tuple[str, list[int]] | None:
        """'Which paper does X?' asks to identify papers, which retrieval does: name those close enough."""
        if not _IDENTIFY.match(question):
            return None
        close = [s for s in sources if s.hit.relevance >= self.settings.answer.identify_relevance]
        if not close:
            return None
        close = close if re.search(r"\b(papers|works|studies|articles|publications|methods)\b", question, re.I) else close[:1]
        return "; ".join(f"{s.hit.title} [{i}]" for i, s in enumerate(close, start=1)) + ".", [s.n for s in close]

    def _refused(self, answer: Answer, reason: str) -> Answer:
        answer.text, answer.refused, answer.refusal_reason, answer.citations = self.settings.answer.refusal, True, reason, []
        return answer

    def _refuse(self, answer: Answer, reason: str, started: float) -> Iterator[str | Answer]:
        self._refused(answer, reason)
        answer.timings["ttft_s"] = answer.timings["total_s"] = time.perf_counter() - started
        yield answer.text
        yield answer


def _attach_citations(text: str, sources: list[Source]) -> tuple[str, list[int]]:
    out = []
    for sentence in split_sentences(text):
        best = max(sources, key=lambda s: support(sentence, s.passage))
        marker = f" [{best.n}]" if support(sentence, best.passage) >= MIN_SUPPORT else ""
        out.append(sentence[:-1] + marker + sentence[-1] if marker and sentence[-1:] in ".!?" else sentence + marker)
    return rewrite(clean_spacing(" ".join(out)), valid={s.n for s in sources})

