"""Grounding checks: numbers with their units, names, and whether an abstract covers what is asked."""

from rag.answer.grounding import coverage, names, numbers, off_target, ungrounded, unmentioned

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
    assert ungrounded("It beats METER by 1.09 points.", ABSTRACT) == ["1.09pp"]
    assert ungrounded("It beats METER by 1.09.", ABSTRACT) == []  # no unit claimed


def test_numbers_given_by_the_question_are_free():
    assert ungrounded("Yes, it is trained on 8 GPUs.", ABSTRACT, question="Was it trained on 8 GPUs?") == []


def test_names_must_occur_in_the_evidence():
    assert names("BridgeTower beats LoRA and GPT-4 on VQAv2.") == {"bridgetower", "lora", "gpt-4", "vqav2"}
    assert ungrounded("BridgeTower outperforms CLIP on VQAv2.", ABSTRACT) == ["clip"]


def test_coverage_separates_a_near_miss_from_an_answerable_detail():
    title = "BridgeTower: Building Bridges Between Encoders in Vision-Language Representation Learning"
    assert coverage("What accuracy does BridgeTower get on VQAv2 test-std?", title, ABSTRACT) == 1.0
    assert coverage("What learning rate was BridgeTower trained with?", title, ABSTRACT) < 0.5
    assert coverage("How many GPUs did BridgeTower use?", title, ABSTRACT) == 0.0


def test_a_name_the_question_gives_must_be_in_the_abstract():
    naming = "BridgeTower BridgeTower: Building Bridges Between Encoders"
    assert unmentioned("What does BridgeTower score on NLVR2?", ABSTRACT, naming) == ["nlvr2"]
    assert unmentioned("What does BridgeTower score on the VQA-v2 test-std set?", ABSTRACT.replace("VQAv2", "VQA v2"), naming) == []


def test_a_number_must_be_stated_with_the_numbers_the_question_gives():
    evidence = "GMem reaches an FID of 1.53 on ImageNet 256x256. At 512x512 it needs 160 epochs."
    assert off_target("It reaches an FID of 1.53.", evidence, "What FID does GMem reach at 512x512?") == ["1.53"]
    assert off_target("It reaches an FID of 1.53.", evidence, "What FID does GMem reach at 256x256?") == []
    assert off_target("It needs 160 epochs.", evidence, "How many epochs at 512x512?") == []
