"""One answer strategy per question kind (rag.answer.kinds), behind ``Strategy`` (base.py)."""

from rag.answer.strategies.base import Question, Strategy, Toolkit
from rag.answer.strategies.detail import DetailStrategy
from rag.answer.strategies.identify import IdentifyStrategy
from rag.answer.strategies.metadata import MetadataStrategy
from rag.answer.strategies.summary import SummaryStrategy
from rag.answer.strategies.survey import SurveyStrategy
from rag.answer.strategies.yesno import YesNoStrategy

BY_KIND: dict[str, type[Strategy]] = {s.kind: s for s in (DetailStrategy, YesNoStrategy, IdentifyStrategy, SurveyStrategy,
                                                           SummaryStrategy)}

__all__ = ["BY_KIND", "MetadataStrategy", "Question", "Strategy", "Toolkit"]
