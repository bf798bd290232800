"""'Is there work that ...?', 'has anyone ...?', 'I need a method for ...': name the paper(s) that do it.

Among thousands of similar papers, the one retrieved first is often not the one asked for, and sharing words with the
question does not make a paper the answer. So the first retrieved candidates are each judged by the model: its
calibrated probability that this paper (title and best sentences) does what the question describes (judge.py), plus
the question's closeness in meaning to the paper's best passage, weighted as for a detail. Measured on 29,868 ACL
abstracts (eval/qa/acl-identify-test.jsonl, 120 questions by others), the right paper is named first for 82 of the
100 whose paper is among the first 5 retrieved (78 with one sentence a candidate). The answer names the best-judged
paper (short name and title), and others judged nearly as well, each with its sentence that matched, cited; when
none is judged to do it, the refusal.

The order among the judged papers also weighs their retrieval rank (``answer.identify.rank_prior``): the hybrid ranking
read the whole abstract, the judgment two sentences, and on ACL identify dev the first retrieved paper alone was right
more often (26 of 40) than the judgment alone (25); with the prior, 29. Refusal still rests on the judgment alone.
"""

import math
from collections.abc import Iterator

from rag.answer.judge import judge_each
from rag.answer.kinds.base import Question, Strategy
from rag.answer.types import Answer


class IdentifyStrategy(Strategy):
    kind = "identify"

    @property
    def k(self) -> int:
        return self.settings.answer.identify.candidates

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer.identify
        ranked = self.tools.evidence(question, limit=settings.judged)  # in retrieval order
        if not ranked:
            yield from self.refuse(answer, "no indexed abstract was retrieved")
            return
        scores = judge_each(self.tools, question.text, ranked, settings.sentences)
        answer.decision["judge_score"] = top = max(scores)
        answer.decision |= {f"judged_{rank}": score for rank, score in enumerate(scores, start=1)}  # by retrieval rank
        if top < settings.min_score:
            yield from self.refuse(answer, "no retrieved paper is judged to do what the question describes")
            return
        ordered = [score - settings.rank_prior * math.log1p(rank) for rank, score in enumerate(scores)]
        judged = sorted(zip(ordered, ranked, strict=True), key=lambda pair: -pair[0])
        best = judged[0][0]
        chosen = [e for score, e in judged if score >= best - settings.gap][: self.settings.answer.max_sources]
        answer.basis = "evidence"
        lines = [f"{e.label} [{answer.cite(e.hit, e.top_sentence())}]: {e.top_sentence()}" for e in chosen]
        yield from self.lines(answer, lines if len(lines) == 1 else [f"- {line}" for line in lines])
