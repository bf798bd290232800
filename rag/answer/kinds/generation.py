"""The shared path of the strategies that let the model write: focused evidence -> prompt -> checked sentences."""

from collections.abc import Generator

from rag.answer.claims import ClaimChecker
from rag.answer.evidence import PaperEvidence
from rag.answer.judge import Judgment
from rag.answer.kinds.base import Strategy
from rag.answer.prompting import Shown, build_messages
from rag.answer.sentences import Sentence, messages
from rag.answer.types import Answer


def write(strategy: Strategy, question: str, answer: Answer, evidence: list[PaperEvidence], template: str,
          budget: int | None = None, max_tokens: int | None = None) -> Generator[str, None, str | None]:
    """Stream the model's checked answer from ``evidence`` (already chosen and ordered). Returns None when
    something passed the checks, else why nothing did (the caller decides how to refuse)."""
    settings = strategy.settings
    share = (budget or settings.answer.evidence_tokens) // max(len(evidence), 1)
    hits = [e.with_passage(e.excerpt(share)) for e in evidence]
    messages, shown = build_messages(question, hits, settings, template, {e.hit.paper_id: e.label for e in evidence},
                                     {e.hit.paper_id: e.name for e in evidence})
    checker = ClaimChecker(question, shown, answer, settings.answer.refusal, min_support=settings.answer.min_support)
    yield from checker.stream(strategy.tools.stream_chat(messages, max_tokens=max_tokens))
    return checker.failure()


def write_from(strategy: Strategy, question: str, answer: Answer, sentences: list[Sentence], judgment: Judgment,
               instruction: str, max_tokens: int | None = None) -> Generator[str, None, str | None]:
    """Stream the model's checked answer from the numbered ``sentences`` (the prompt the ``judgment`` already read,
    which this call continues with the ``instruction``). A marker cites a sentence, so a claim's
    numbers must be in the sentences it cites. Returns None, or why nothing passed the checks."""
    shown = [Shown(n, s.paper.hit, s.text, s.paper.name, s.paper.abstract) for n, s in enumerate(sentences, start=1)]
    checker = ClaimChecker(question, shown, answer, strategy.settings.answer.refusal, cited_must_hold=True, quotes=True,
                           min_support=strategy.settings.answer.min_support)
    prompt = messages(strategy.settings, judgment.shared, instruction, judgment.may_refuse)
    deltas = strategy.tools.stream_chat(prompt, max_tokens=max_tokens)
    yield from checker.stream(deltas)
    return checker.failure()

