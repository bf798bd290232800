"""'What is there on X, and what does each paper do?', 'compare A and B', 'summarize the papers on X':
one line per relevant paper, each naming the paper and saying what it does for the question, cited.

Every retrieved paper whose evidence is close enough is covered, not only the first. Lines stream as
they are ready: from the paper's best-matching sentence (``answer.survey.lines = "evidence"``), or one short
model call per paper over that paper's excerpt (``"model"``), checked, with the sentence as fallback.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from rag.answer.citations import strip_markers
from rag.answer.strategies.base import Question, Strategy
from rag.answer.strategies.detail import DetailStrategy
from rag.answer.strategies.generation import write
from rag.answer.types import Answer


class SurveyStrategy(Strategy):
    kind = "survey"

    @property
    def k(self) -> int:
        return max(self.settings.retrieval.top_k, self.settings.answer.survey.candidates)

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer.survey
        evidence = self.tools.evidence(question)
        top = max((e.best for e in evidence), default=0.0)
        chosen = [e for e in evidence if e.best >= max(settings.min_evidence, top - settings.gap)]
        chosen = sorted(chosen, key=lambda e: -e.best)[: settings.max_papers]
        if not chosen:
            yield from self.refuse(answer, "no indexed abstract is about the question's topic")
            return
        if len(chosen) == 1:  # one relevant paper: the question asks what it says, a detail
            answer.kind = "detail"
            yield from DetailStrategy(self.tools).stream(question, answer)
            return
        answer.basis = settings.lines
        yield from self.lines(answer, self._lines(question, chosen, answer))  # each shown once written, in order

    def _lines(self, question: Question, chosen: list, answer: Answer) -> Iterator[str]:
        """One line a paper. Model-written lines are written at once, one model call a paper in the server's parallel
        slots; a line that does not pass its checks is the paper's best sentence."""
        heads = [f"- {e.label} [{answer.cite(e.hit, e.top_sentence())}]: " for e in chosen]
        if self.settings.answer.survey.lines == "evidence":
            yield from (head + e.top_sentence() for head, e in zip(heads, chosen, strict=True))
            return
        pool = ThreadPoolExecutor(self.settings.llm.parallel)
        try:
            written = [pool.submit(self._written, question, e, answer) for e in chosen]
            yield from (head + (line.result() or e.top_sentence()) for head, e, line in zip(heads, chosen, written, strict=True))
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # Stop: lines not begun are never asked for

    def _written(self, question: Question, e, answer: Answer) -> str:
        """The model's line for paper ``e``, or "" when nothing it wrote passed the checks (or it found no answer)."""
        scratch = Answer(answer.question, question.text, "", [], False, [], {})
        shape = self.settings.answer.survey
        pieces = write(self, question.text, scratch, [e], "survey_line", budget=shape.line_evidence_tokens, max_tokens=shape.line_tokens)
        while True:
            try:
                next(pieces)
            except StopIteration as done:
                return "" if done.value else strip_markers(scratch.text.replace("\n", " ")).strip()
