"""Yes/no questions: "Yes", "No" or "The abstracts do not settle it", as the cited evidence says, then why.

A 1.5B model asked for a verdict opens with "Yes" whatever the evidence says (it affirms the
question's premise). So the verdict is not sampled: the probabilities of "Yes" and "No" are read from
the model's next-token logits with the evidence, and again with the evidence withheld; the second is
the model's prior for this question (its premise bias), and the verdict is the option the evidence
makes likelier than the prior does (contextual calibration, Zhao et al. 2021). The reason is the
evidence sentence closest to the question, quoted and cited. When no retrieved abstract mentions what
the question asks about, the answer is that the abstracts do not settle it.
"""

import math
from collections.abc import Iterator

from rag.answer.context import build_messages
from rag.answer.strategies.base import Question, Strategy
from rag.answer.types import Answer

OPTIONS = ["Yes", "No"]
UNSETTLED = "The abstracts do not settle it."
NO_EVIDENCE = "(no source)"


class YesNoStrategy(Strategy):
    kind = "yesno"

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        # a "no" often asks about what the abstract lacks ("does it target audio?"): a looser check than details get
        evidence = self.tools.evidence(question, min_coverage=self.settings.answer.yesno_min_coverage, specifics=False)
        if not evidence:
            answer.text, answer.verdict, answer.refused = UNSETTLED, "unsettled", True
            answer.refusal_reason = "no indexed abstract mentions what the question asks about"
            yield answer.text
            return
        paper = max(evidence, key=lambda e: e.best)
        hit = paper.with_passage(paper.excerpt(self.settings.answer.evidence_tokens))
        labels = {hit.paper_id: paper.label}
        messages, _ = build_messages(question.text, [hit], self.settings, "yesno", labels)
        blank, _ = build_messages(question.text, [hit.__class__(**{**hit.__dict__, "passage": NO_EVIDENCE})],
                                  self.settings, "yesno", labels)
        with_evidence = self.tools.choose(messages, OPTIONS)
        prior = self.tools.choose(blank, OPTIONS)
        shift = {o: math.log(max(with_evidence[o], 1e-9)) - math.log(max(prior[o], 1e-9)) for o in OPTIONS}
        margin = shift["Yes"] - shift["No"] + self.settings.answer.yesno_bias
        answer.verdict = "yes" if margin > 0 else "no"
        answer.basis = "evidence"
        n = answer.cite(paper.hit, paper.top_sentence())
        answer.text = f"{answer.verdict.capitalize()}. {paper.label} [{n}]: “{paper.top_sentence()}”"
        answer.timings["verdict_margin"] = margin
        yield answer.text
