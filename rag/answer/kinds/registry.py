"""Every question kind's strategy by name, and which kind takes a question."""

from rag.answer.kinds.base import Strategy, Toolkit
from rag.answer.kinds.detail import DetailStrategy
from rag.answer.kinds.identify import IdentifyStrategy
from rag.answer.kinds.metadata import MetadataStrategy
from rag.answer.kinds.router import Route
from rag.answer.kinds.summary import SummaryStrategy
from rag.answer.kinds.survey import SurveyStrategy
from rag.answer.kinds.yesno import YesNoStrategy
from rag.answer.prompts import few_shot

BY_KIND: dict[str, type[Strategy]] = {s.kind: s for s in (DetailStrategy, YesNoStrategy, IdentifyStrategy, SurveyStrategy,
                                                           SummaryStrategy, MetadataStrategy)}


def take(tools: Toolkit, question: str, route: Route) -> Strategy:
    """Each kind is offered the question (``Strategy.offer``), the eager ones first (metadata: the model writes its
    filter), then in the router's order; the first that takes it answers."""
    for kind in sorted(route.ranked(), key=lambda kind: not BY_KIND[kind].eager):  # stable: eager kinds first
        if strategy := BY_KIND[kind].offer(tools, question, route):
            return strategy
    raise AssertionError("every kind declined; the default offer takes every question")


def kept_prompts() -> list[list[dict]]:
    """The long prompt starts that kinds' calls share (their few-shot examples, ~1,300 tokens for a metadata filter),
    each as a prompt that ends in a short question: read once at warm-up, so that no first question of a kind reads them
    (34 s for the first metadata question on a 2-core AVX2 machine, `python -m bench.answers`). The longest first: where
    a server has fewer spare slots than prompts, it keeps those that save the most."""
    prompts = [[*few_shot(name), {"role": "user", "content": "Hello"}] for s in BY_KIND.values() for name in s.few_shots]
    return sorted(prompts, key=lambda messages: -sum(len(m["content"]) for m in messages))
