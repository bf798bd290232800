"""A follow-up's rewrite may say what its references point to, never add a number (rag/answer/followup.py)."""

from rag.answer.followup import adds_numbers, plain_history

HISTORY = plain_history([("user", "What accuracy does BridgeTower get on VQAv2 test-std?"),
                         ("assistant", "BridgeTower achieves an accuracy of 78.73% on VQAv2 test-std. [1]")], 4, 600)


def test_a_rewrite_that_answers_with_an_invented_number_is_not_taken():
    question = "How much does MCUNetV2 reduce peak memory on microcontrollers?"
    assert adds_numbers("MCUNetV2 reduces peak memory by 25% on microcontrollers.", question, HISTORY)


def test_a_rewrite_that_resolves_a_reference_is_taken_with_the_numbers_the_chat_gave():
    assert not adds_numbers("Which dataset gave BridgeTower its 78.73% accuracy?", "Which dataset gave it that?", HISTORY)
    assert not adds_numbers("Does BridgeTower use 6 cross-modal layers?", "Does it use 6 cross-modal layers?", HISTORY)
    assert not adds_numbers("What does BridgeTower pre-train on?", "What does it pre-train on?", HISTORY)
