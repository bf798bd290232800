"""A detail from the papers. The model first judges whether the best evidence sentences state what is asked
(judge.py: its calibrated Yes/No, not shared words); if they do not, the answer is the refusal. Otherwise it answers
from those sentences, citing them, and every word is checked before it is shown (claims.py). With
``answer.judge.min_cited`` set (off by default), the judgment is read again once the answer is written, with only the
sentences it cites (``judge.cited_score``), and an answer drawn from a sentence that does not state what is asked (a
figure for another quantity or another paper) is withdrawn: it refused more near misses on test2 but also more
answers the abstracts give (the setting's description has the figures).

The judgment alone decides the refusal: the judge and the answer run without the system prompt's rule "only if no
source contains the answer, reply with exactly: <refusal>" (``may_refuse=False``). With it, the model refused figures
a sentence states outright ("an MS-MLP with 85 million parameters achieves 83.8% top-1 ..." asked for that figure):
dev4 false refusals 8 -> 3 of 44 without it, key strings 34 -> 36, near misses refused 11 -> 10 of 16; dev detail key
24 -> 26 of 30, near misses 14 of 17 both; regression facts 32 -> 35 of 36, unanswerable refused 13 of 14 both.
Measured and not taken: a check of the written answer ("Does the proposed answer give what the question asks for, as
the sentences state it?", its logits): the model says Yes to nearly every answer (log-odds 0.8-1.7); it told the 5
wrong of dev4's 38 answers from the right ones with AUC 0.71, the judgment's score 0.88."""

from collections.abc import Iterator

from rag.answer.judge import cited_score
from rag.answer.kinds.base import Question, Strategy
from rag.answer.kinds.generation import write_from
from rag.answer.prompts import load_prompt
from rag.answer.types import Answer


class DetailStrategy(Strategy):
    kind = "detail"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer
        sentences, judgment = self.tools.judged(question, may_refuse=False)
        if judgment is None:
            yield from self.refuse(answer, "no indexed abstract was retrieved")
            return
        answer.decision["judge_score"] = judgment.score
        if judgment.score < settings.judge.min_score:
            yield from self.refuse(answer, "the closest abstracts do not state what the question asks")
            return
        failed = yield from write_from(self, question.text, answer, sentences, judgment, load_prompt("answer"),
                                       max_tokens=question.max_tokens or self.settings.llm.max_new_tokens)
        if failed:
            yield from self.refuse(answer, failed)
            return
        if settings.judge.min_cited is None:
            return
        cited = [s for s in sentences if any(c.passage == s.text for c in answer.citations)]
        if cited:
            answer.decision["cited_score"] = score = cited_score(self.tools, question.text, cited, judgment)
            if score < settings.judge.min_cited:
                yield from self.refuse(answer, "the sentences the answer cites do not state what the question asks")
