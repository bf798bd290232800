"""A detail from the papers. The model first judges whether the best evidence sentences state what is asked
(judge.py: its calibrated Yes/No, not shared words); if they do not, the answer is the refusal. Otherwise it answers
from those sentences, citing them, and every word is checked before it is shown (claims.py).

When its answer fails those checks (or it says the sentences do not answer), the abstracts may still state it: the
model then picks the sentence that states the answer (its probabilities over the sentence numbers) and, when it is
sure, that sentence is quoted: what the abstract says, rather than a refusal of it. (Writing every answer from the
picked sentence was measured worse: the small model often picks a background sentence.)"""

from collections.abc import Iterator

from rag.answer.judge import pick
from rag.answer.kinds.base import Question, Strategy
from rag.answer.kinds.generation import quote, write_from
from rag.answer.prompts import load_prompt
from rag.answer.sentences import Sentence
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
        if not failed:
            return
        if settings.detail.quote_above <= 1:
            probs = pick(self.tools, judgment.shared, len(sentences))
            answer.decision["pick"] = max(probs)
            if max(probs) >= settings.detail.quote_above:
                yield from self.quoted(answer, sentences[probs.index(max(probs))], failed)
                return
        yield from self.refuse(answer, failed)

    def quoted(self, answer: Answer, sentence: Sentence, failed: str) -> Iterator[str]:
        """The picked sentence quoted, after a note that the draft shown (if any) is withdrawn."""
        answer.basis = "evidence"
        text = quote(answer, sentence)
        if answer.text.strip():
            text = f"\n{self.withdrawn(failed)} {text}"
        answer.text += text
        yield text
