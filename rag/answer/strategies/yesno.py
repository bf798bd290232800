"""Yes/no questions: "Yes", "No" or "The abstracts do not settle it", as the cited evidence says, then why.

First, whether the best evidence sentences settle the question at all is the model's calibrated judgment (judge.py),
as for a detail. Then the verdict: a 1.5B model asked for one opens with "Yes" whatever the evidence says (it affirms
the question's premise), so it is not sampled: the log-odds of "Yes" over "No" are read from the model's next-token
probabilities with the sentences, and again with them left out (the question's own pull); the verdict is the option
the evidence makes likelier (contextual calibration, Zhao et al. 2021), with no constant fitted to one domain. The
reason is the sentence closest to the question, quoted and cited.
"""

from collections.abc import Iterator

from rag.answer.context import load_prompt
from rag.answer.judge import OPTIONS, judge, log_odds
from rag.answer.sentences import candidates, messages, shared_prompt
from rag.answer.strategies.base import Question, Strategy
from rag.answer.types import Answer


class YesNoStrategy(Strategy):
    kind = "yesno"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        settings = self.settings.answer
        shape = settings.sentences
        sentences = candidates(self.tools.evidence(question), shape.papers, shape.per_paper, shape.most)
        judgment = judge(self.tools, question.text, sentences, settings.judge.instructions) if sentences else None
        if judgment is None or judgment.shift < settings.yesno.min_shift:
            answer.text, answer.verdict, answer.refused = self.unsettled, "unsettled", True
            answer.refusal_reason = "the closest abstracts do not settle the question"
            yield answer.text
            return
        instruction = load_prompt("yesno")
        with_evidence = log_odds(self.tools.choose(messages(self.settings, judgment.shared, instruction), OPTIONS))
        without = log_odds(self.tools.choose(messages(self.settings, shared_prompt(question.text, []), instruction), OPTIONS))
        margin = with_evidence - without
        answer.verdict = "yes" if margin > 0 else "no"
        answer.basis = "evidence"
        answer.timings["verdict_margin"] = margin
        best = max(sentences, key=lambda s: s.paper.scores[s.index])
        n = answer.cite(best.paper.hit, best.text)
        answer.text = f"{answer.verdict.capitalize()}. {best.paper.label} [{n}]: “{best.text}”"
        yield answer.text

    @property
    def unsettled(self) -> str:
        return self.settings.answer.unsettled
