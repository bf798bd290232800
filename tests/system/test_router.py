"""The question-kind router on phrasings written for this test (not in its examples), with the real embedder."""

import pytest

from rag.answer.service import AnswerService

QUESTIONS = [
    ("For CTR prediction, is there something built from two MLP streams?", "identify"),
    ("i need a way to detect toxic prompts cheaply, any ideas", "identify"),
    ("What SMAPE did the chaos-based ATM forecasting reach", "detail"),
    ("How many images was the vision-language bridge model pre-trained on?", "detail"),
    ("Did MAXIM beat the competing models on deraining?", "yesno"),
    ("So the grokking paper says regularization makes networks ignore corrupted labels, right?", "yesno"),
    ("Does the study that fits two MLP streams for click-through prediction also report an online A/B test?", "yesno"),
    ("In the work on grokking with corrupted labels, were the memorising neurons found by pruning?", "yesno"),
    ("was the all-MLP image restoration backbone with multi-axis gating only tested on synthetic degradations", "yesno"),
    ("I remember a paper that turned sparse autoencoder features into a mixture of experts - which one was it?",
     "identify"),
    ("Walk me through what the collection has on sparse autoencoders, paper by paper.", "survey"),
    ("KAT vs S-KAN: how do they differ?", "survey"),
    ("tl;dr of RetroMAE v2 please", "summary"),
    ("What's FinalMLP about, in a nutshell?", "summary"),
    ("Anything in here from Kyutai?", "metadata"),
    ("Give me the three most upvoted papers.", "metadata"),
    ("What was posted in October?", "metadata"),
    ("Papers with more than ten authors?", "metadata"),
]


@pytest.fixture(scope="module")
def service(bundled_settings):
    return AnswerService(bundled_settings)


def test_router_recognises_kinds_from_phrasings_it_was_not_built_from(service):
    routed = {q: service.router.route(q, service.retriever.embed_query(q)).ranked()[0] for q, _ in QUESTIONS}
    wrong = [(q, kind, routed[q]) for q, kind in QUESTIONS if routed[q] != kind]
    assert len(wrong) <= 1, wrong
