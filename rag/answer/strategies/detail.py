"""A detail from one paper: the model answers from the focused evidence of the papers that mention what
is asked for; every sentence is checked before it is shown (claims.py)."""

from collections.abc import Iterator

from rag.answer.evidence import focus
from rag.answer.strategies.base import Question, Strategy
from rag.answer.strategies.generation import write
from rag.answer.types import Answer


class DetailStrategy(Strategy):
    kind = "detail"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        evidence = self.tools.evidence(question, min_coverage=self.settings.answer.min_coverage,
                                       limit=self.settings.answer.max_sources)
        kept = {h.paper_id for h in focus(evidence, self.settings)}
        chosen = [e for e in evidence if e.hit.paper_id in kept][: self.settings.answer.max_sources]
        if not chosen:
            yield from self.refuse(answer, "no indexed abstract mentions what the question asks for")
            return
        failed = yield from write(self, question.text, answer, chosen, "answer", max_tokens=question.max_tokens or self.settings.llm.max_new_tokens)
        if failed:
            yield from self.refuse(answer, failed)
