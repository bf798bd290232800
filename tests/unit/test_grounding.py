"""Grounding checks: numbers with their units, and names as written or abbreviated."""

from rag.answer.grounding import names, numbers, ungrounded

ABSTRACT = ("BridgeTower achieves 78.73% accuracy on the VQAv2 test-std set, outperforming METER by 1.09%. "
            "It is pre-trained on only 4M images and adds 3x fewer parameters than prior work.")


def test_numbers_keep_their_units_and_ignore_names_and_markers():
    found = numbers("It reaches 78.73% [1], 3x faster, 262,144 experts, 8-60% gains, with GPT-4 and ResNet-50.")
    assert ("78.73", "%") in found and ("3", "x") in found and ("262144", "") in found and ("60", "%") in found
    assert ("4", "") not in found and ("50", "") not in found and ("1", "") not in found


def test_a_number_absent_from_the_evidence_is_ungrounded():
    assert ungrounded("BridgeTower reaches 81.2% on VQAv2 [1].", ABSTRACT) == ["81.2%"]
    assert ungrounded("BridgeTower reaches 78.73% on VQAv2 [1].", ABSTRACT) == []


def test_a_number_with_another_unit_is_ungrounded():
    assert ungrounded("It has 3 fewer parameters.", ABSTRACT) == []  # no unit claimed
    assert ungrounded("It is 78.73x faster.", ABSTRACT) == ["78.73x"]
    assert ungrounded("It is pre-trained on 4 ms of video.", ABSTRACT) == ["4ms"]
    assert ungrounded("It is pre-trained on 4 billion images.", ABSTRACT) == ["4b"]


def test_the_same_number_written_another_way_is_grounded():
    assert ungrounded("It beats METER by 1.09 points.", ABSTRACT) == []  # a difference in percent, as points
    assert ungrounded("It gains 5.6pp [1].", "It gains 5.6 percentage points.") == []
    assert ungrounded("It gains 5.6% [1].", "It gains 5.6 percentage points.") == []
    assert ungrounded("It gains 1.5 points [1].", "It gains 1.5 BLEU points.") == []
    assert ungrounded("It gains 1.5 points [1].", "It gains 1.5 ms.") == ["1.5pp"]
    assert ungrounded("It gains 2 BLEU points [1].", "It gains +2 BLEU.") == []
    assert ungrounded("It is pre-trained on 4 million images.", ABSTRACT) == []
    assert ungrounded("It is pre-trained on 4,000,000 images.", ABSTRACT) == []
    assert ungrounded("It is pre-trained on 40,000,000 images.", ABSTRACT) == ["40000000"]
    assert ungrounded("It saves 1.5K dollars.", "It saves 1,500 dollars.") == []
    assert ungrounded("It is pre-trained on 4M images.", "It is pre-trained on 4 million images.") == []


def test_numbers_given_by_the_question_are_free():
    assert ungrounded("Yes, it is trained on 8 GPUs.", ABSTRACT, question="Was it trained on 8 GPUs?") == []


def test_names_must_occur_in_the_evidence():
    assert names("BridgeTower beats LoRA and GPT-4 on VQAv2.") == {"bridgetower", "lora", "gpt-4", "vqav2"}
    assert ungrounded("BridgeTower outperforms CLIP on VQAv2.", ABSTRACT) == ["clip"]


def test_a_name_may_be_the_abstracts_own_words_abbreviated():
    evidence = "We compare ARIMA with a long short term memory neural network on daily ATM withdrawals."
    assert ungrounded("The long short-term memory (LSTM) network beat ARIMA.", evidence) == []
    assert ungrounded("A GRU network beat ARIMA.", evidence) == ["gru"]


def test_names_may_come_from_the_whole_cited_abstract_numbers_only_from_the_sentence_used():
    sentence = "It reaches 71.8% ImageNet accuracy."
    abstract = "MCUNetV2 runs patch by patch on an MCU with 256kB SRAM. " + sentence
    assert ungrounded("MCUNetV2 reaches 71.8% on ImageNet.", sentence, names_from=abstract) == []
    assert ungrounded("MCUNetV2 needs 256kB.", sentence, names_from=abstract) == ["256"]
