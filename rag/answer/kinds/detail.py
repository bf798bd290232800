"""A detail from the papers. The model first judges whether the best evidence sentences state what is asked
(judge.py: its calibrated Yes/No, not shared words); if they do not, the answer is the refusal. Otherwise it answers
from those sentences, citing them, and every word is checked before it is shown (claims.py).

When the model itself writes the refusal although the judgment passed, the refusal stands. Measured on dev4: asked
again without the refusal ("one of the sentences answers"), 2 of 4 such answerable questions got the right number,
2 a wrong sentence, and the near misses it declined got numbers for other settings; their judge scores overlap
(2.1-3.3 against 2.6-2.8), so no threshold keeps the gains without the losses. Nor does a check of the written
answer ("Does the proposed answer give what the question asks for, as the sentences state it?", its logits): the
model says Yes to nearly every answer (log-odds 0.8-1.7); it told the 5 wrong of dev4's 38 answers from the right
ones with AUC 0.71, the judgment's score 0.88."""

from collections.abc import Iterator

from rag.answer.kinds.base import Question, Strategy
from rag.answer.kinds.generation import write_from
from rag.answer.prompts import load_prompt
from rag.answer.types import Answer


class DetailStrategy(Strategy):
    kind = "detail"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer
        sentences, judgment = self.tools.judged(question)
        if judgment is None:
            yield from self.refuse(answer, "no indexed abstract was retrieved")
            return
        answer.decision["judge_score"] = judgment.score
        if judgment.score < settings.judge.min_score:
            yield from self.refuse(answer, "the closest abstracts do not state what the question asks")
            return
        failed = yield from write_from(self, question.text, answer, sentences, judgment.shared, load_prompt("answer"),
                                       max_tokens=question.max_tokens or self.settings.llm.max_new_tokens)
        if failed:
            yield from self.refuse(answer, failed)
