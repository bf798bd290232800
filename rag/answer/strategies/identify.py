"""'Is there work that ...?', 'has anyone ...?', 'I need a method for ...': name the paper(s) that do it.

Papers are chosen by what their abstracts say, not by retrieval rank alone: each retrieved paper is
scored by its sentence closest to the question (evidence.py), plus how much of what the question
describes its abstract contains (coverage), with a small prior for its rank. The
answer names each chosen paper (short name and title) and quotes the sentence that matched, cited.
"""

from collections.abc import Iterator

from rag.answer.strategies.base import Question, Strategy
from rag.answer.types import Answer

RANK_PRIOR = 0.03  # evidence-score bonus of the first-ranked paper, shrinking with rank
COVERAGE_WEIGHT = 0.2  # a paper whose abstract has all that the question describes beats one with its best sentence alone


class IdentifyStrategy(Strategy):
    kind = "identify"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer
        evidence = sorted(self.tools.evidence(question), key=lambda e: -(e.best + RANK_PRIOR / (1 + e.rank)))
        if not evidence or evidence[0].best < settings.identify_min_evidence:
            yield from self.refuse(answer, "no indexed abstract describes what the question looks for")
            return
        top = evidence[0].best
        chosen = [e for e in evidence if e.best >= top - settings.identify_gap][: settings.max_sources]
        answer.basis = "evidence"
        lines = [f"{e.label} [{answer.cite(e.hit, e.top_sentence())}]: {e.top_sentence()}" for e in chosen]
        yield from self.lines(answer, lines if len(lines) == 1 else [f"- {line}" for line in lines])
