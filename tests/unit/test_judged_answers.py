"""Whether a detail is answered, and which yes/no verdict, is the model's calibrated judgment (a fake model here):
never a count of the question's words in the abstract."""

from rag.answer.kinds.detail import DetailStrategy
from rag.answer.kinds.yesno import YesNoStrategy
from rag.answer.types import Answer
from rag.settings import Settings
from tests.unit.fakes import FakeTools, paper, question

MCU = paper("mcu", "MCUNetV2: Memory-Efficient Patch-based Inference for Tiny Deep Learning",
            ["MCUNetV2 reduces the peak SRAM of existing networks by 4-8x.",
             "It reaches 71.8% ImageNet accuracy on an MCU with a 256kB SRAM budget."], [0.6, 0.5])
PARAPHRASE = "How much less on-chip memory does the patch-by-patch microcontroller method need at its peak?"


def _run(strategy_class, tools, text: str) -> Answer:
    answer = Answer(text, text, "", [], False, [], {})
    pieces = list(strategy_class(tools).stream(question(text, tools.evidence(None)), answer))
    streamed = "".join(pieces)  # what streamed is what stands, or the final text says why it was withdrawn
    assert streamed == answer.text or (streamed.endswith(answer.text) and "withdrawn" in answer.text)
    return answer


def _judges(evidence_yes: float, prior_yes: float):
    """The fake model's P(Yes) to 'do these sentences state the answer': with the sentences, and without any."""
    return lambda prompt: evidence_yes if "[1]" in prompt else prior_yes


def test_a_paraphrase_the_model_judges_answered_is_answered_from_the_sentence_it_cites():
    tools = FakeTools(Settings(), [MCU], _judges(0.8, 0.3), reply="It cuts peak SRAM by 4-8x [1].")
    answer = _run(DetailStrategy, tools, PARAPHRASE)
    assert not answer.refused and "4-8x" in answer.text and [c.paper_id for c in answer.citations] == ["mcu"]
    assert answer.citations[0].passage == MCU.sentences[0]  # the sentence that supports the claim


def test_a_refusal_the_model_writes_is_not_shown_before_the_strategy_says_it():
    refusal = Settings().answer.refusal
    tools = FakeTools(Settings(), [MCU], _judges(0.8, 0.3), reply=refusal)
    answer = Answer(PARAPHRASE, PARAPHRASE, "", [], False, [], {})
    pieces = [p for p in DetailStrategy(tools).stream(question(PARAPHRASE, [MCU]), answer) if p]
    assert pieces == [refusal] and answer.refused  # said once, by the strategy, with its reason kept


def test_what_the_model_judges_unstated_is_refused_before_anything_is_written():
    tools = FakeTools(Settings(), [MCU], _judges(0.35, 0.5), reply="It runs at 30 fps [1].")
    answer = _run(DetailStrategy, tools, "What latency does MCUNetV2 reach on a Raspberry Pi?")
    assert answer.refused and answer.text == Settings().answer.refusal
    assert not any("Answer the question" in p for p in tools.prompts)  # the model was never asked to write


def test_a_number_only_another_paper_states_is_withdrawn():
    pool = paper("pool", "MetaFormer Is Actually What You Need for Vision",
                 ["PoolFormer reaches 82.1% top-1 accuracy on ImageNet-1K."], [0.58])
    tools = FakeTools(Settings(), [MCU, pool], _judges(0.8, 0.3), reply="MCUNetV2 reaches 82.1% on ImageNet [1].")
    answer = _run(DetailStrategy, tools, "What ImageNet accuracy does MCUNetV2 reach?")
    assert answer.refused and "“82.1%” is stated by another paper" in answer.refusal_reason
    assert answer.text.startswith(Settings().answer.refusal) and "withdrawn" in answer.text


CHECKED = Settings.model_validate({"answer": {"judge": {"min_cited": 3.0}}})  # the check is off by default


def test_with_the_check_on_an_answer_whose_cited_sentence_alone_does_not_state_what_is_asked_is_withdrawn():
    """The offered sentences together pass the judgment, but the answer draws on one that, read alone, the model does
    not judge to state what is asked (another quantity of the paper): withdrawn, with the reason said."""
    asked = "What latency does MCUNetV2 reach on a microcontroller?"
    for alone, withdrawn in ((0.1, True), (0.8, False)):
        judges = lambda prompt, alone=alone: 0.8 if "[2]" in prompt else alone if "[1]" in prompt else 0.3  # noqa: E731
        tools = FakeTools(CHECKED, [MCU], judges, reply="It reaches 71.8% ImageNet accuracy on an MCU [2].")
        answer = _run(DetailStrategy, tools, asked)
        assert answer.refused is withdrawn and ("withdrawn" in answer.text) is withdrawn, answer.text
        assert answer.decision["cited_score"] < 3.0 <= answer.decision["judge_score"] or not withdrawn
        if withdrawn:
            assert answer.refusal_reason == "the sentences the answer cites do not state what the question asks"


def test_the_calibration_is_the_shift_the_evidence_causes_not_the_raw_yes():
    # P(Yes) 0.6 looks like a yes, but the question alone pulls to 0.9: the evidence argues against answering
    tools = FakeTools(Settings(), [MCU], _judges(0.6, 0.9), reply="It cuts peak SRAM by 4-8x [1].")
    assert _run(DetailStrategy, tools, PARAPHRASE).refused


def test_a_yes_no_verdict_needs_the_model_clearly_for_yes():
    def model(yes: float):
        # settled: the sentences bear on it; the verdict: P(Yes) as given (the model leans to Yes)
        return lambda prompt: yes if "as the sentences say" in prompt else (0.8 if "[1]" in prompt else 0.3)

    for p_yes, verdict in ((0.6, "no"), (0.75, "yes")):  # log-odds 0.41 and 1.10 against the 0.6 threshold
        answer = _run(YesNoStrategy, FakeTools(Settings(), [MCU], model(p_yes)), "Does MCUNetV2 need more SRAM?")
        assert answer.verdict == verdict and answer.text.startswith(f"{verdict.capitalize()}. MCUNetV2") and answer.citations


def test_a_yes_no_question_the_sentences_do_not_bear_on_is_unsettled():
    answer = _run(YesNoStrategy, FakeTools(Settings(), [MCU], _judges(0.1, 0.9)), "Was MCUNetV2 trained on audio?")
    assert answer.verdict == "unsettled" and answer.refused and answer.text == Settings().answer.unsettled


def test_a_question_about_one_paper_is_answered_from_that_paper_alone():
    """A neighbour scoring well below the described paper offers no sentence (its numbers would tempt the model);
    two papers that score alike (a question about both) each offer theirs."""
    from rag.answer.sentences import candidates
    near = paper("kat", "Kolmogorov-Arnold Transformer", ["KAT replaces MLP layers with KAN layers."], [0.62])
    pool = paper("pool", "MetaFormer Is Actually What You Need for Vision",
                 ["PoolFormer achieves 82.1% top-1 accuracy on ImageNet-1K."], [0.40])
    alike = paper("alike", "S-KAN", ["S-KAN reaches 80.1% top-1 accuracy on ImageNet-1K."], [0.58])
    assert {s.paper.hit.paper_id for s in candidates([near, pool], 2, 3, 5, within=0.15)} == {"kat"}
    assert {s.paper.hit.paper_id for s in candidates([near, alike], 2, 3, 5, within=0.15)} == {"kat", "alike"}
    assert {s.paper.hit.paper_id for s in candidates([near, pool], 2, 3, 5)} == {"kat", "pool"}  # no gap: as before
    alone = paper("mcu", MCU.hit.title, MCU.sentences * 3, [0.6, 0.5] * 3)
    assert len(candidates([alone], 2, 3, 5, within=0.15)) == 5  # a paper alone offers `most` sentences


def test_sentences_that_repeat_the_description_give_way_to_the_one_with_the_asked_thing():
    import numpy as np

    from rag.answer.sentences import candidates
    described = paper("mcu", MCU.hit.title, ["MCUNetV2 runs CNNs on MCUs patch by patch.",
                                             "Patch-based inference runs CNNs on microcontrollers.",
                                             "It reaches 71.8% ImageNet accuracy on an MCU."], [0.70, 0.68, 0.50])
    described.vectors = np.asarray([[1.0, 0.0], [0.99, 0.14], [0.3, 0.95]])
    by_score = [s.text for s in candidates([described], 1, 3, 2)]
    assert by_score == described.sentences[:2]  # the two that say the same thing
    assert "71.8%" in " ".join(s.text for s in candidates([described], 1, 3, 2, diversity=0.5))
