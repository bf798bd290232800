"""One answer strategy per question kind (rag.answer.kinds), behind ``Strategy`` (base.py)."""

from rag.answer.kinds.router import Route
from rag.answer.strategies.base import Question, Strategy, Toolkit
from rag.answer.strategies.detail import DetailStrategy
from rag.answer.strategies.identify import IdentifyStrategy
from rag.answer.strategies.metadata import MetadataStrategy
from rag.answer.strategies.summary import SummaryStrategy
from rag.answer.strategies.survey import SurveyStrategy
from rag.answer.strategies.yesno import YesNoStrategy

BY_KIND: dict[str, type[Strategy]] = {s.kind: s for s in (DetailStrategy, YesNoStrategy, IdentifyStrategy, SurveyStrategy,
                                                           SummaryStrategy, MetadataStrategy)}

__all__ = ["BY_KIND", "Question", "Strategy", "Toolkit", "take"]


def take(tools: Toolkit, question: str, route: Route) -> Strategy:
    """Each kind is offered the question (``Strategy.offer``), the eager ones first (metadata: the model writes its
    filter), then in the router's order; the first that takes it answers."""
    for kind in sorted(route.ranked(), key=lambda kind: not BY_KIND[kind].eager):  # stable: eager kinds first
        if strategy := BY_KIND[kind].offer(tools, question, route):
            return strategy
    raise AssertionError("every kind declined; the default offer takes every question")
