"""'Which paper ...?' questions the model declines are answered by naming the closest papers — only those."""

from rag.answer.context import Source
from rag.answer.service import AnswerService
from rag.retrieve.retriever import Hit
from rag.settings import Settings


def _source(n: int, relevance: float) -> Source:
    return Source(n, Hit(f"p{n}", f"Paper {n}", 0.0, "passage", f"p{n}#0", {}, relevance), "passage")


def _identify(question: str, relevances: list[float]):
    service = AnswerService.__new__(AnswerService)  # the rule needs settings only: no store, no model
    service.settings = Settings()
    return service._identify(question, [_source(i, r) for i, r in enumerate(relevances, start=1)])


def test_which_paper_names_the_closest_paper():
    assert _identify("Which paper proposes nested embeddings?", [0.62, 0.55]) == ("Paper 1 [1].", [1])


def test_which_papers_names_every_close_paper():
    assert _identify("Which papers study MoE quantization?", [0.65, 0.58, 0.31]) == ("Paper 1 [1]; Paper 2 [2].", [1, 2])


def test_no_paper_close_enough_means_no_answer():
    assert _identify("Which paper trains on 1000 GPUs?", [0.41, 0.33]) is None


def test_detail_questions_are_never_answered_this_way():
    assert _identify("What batch size did MCUNetV2 use?", [0.65]) is None
    assert _identify("How many GPUs were used to train Pangu?", [0.63]) is None
