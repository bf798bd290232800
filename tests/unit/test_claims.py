"""Model text is shown word by word only after its numbers and names are checked against the shown sources."""

from rag.answer.claims import ClaimChecker
from rag.answer.prompting import Shown
from rag.answer.types import Answer
from rag.retrieve.retriever import Hit

BRIDGE = Hit("b", "BridgeTower: Building Bridges Between Encoders", 0, "BridgeTower reaches 78.73% accuracy on VQAv2 test-std.", "b#0")
MONET = Hit("m", "Monet: Mixture of Monosemantic Experts", 0, "Monet scales the expert count to 262,144 per layer.", "m#0")
REFUSAL = "The indexed papers do not say."


def check(model_text: str, question: str = "What accuracy does it reach?") -> tuple[list[str], Answer, ClaimChecker]:
    answer = Answer(question, question, "", [], False, [], {})
    checker = ClaimChecker(question, [Shown(1, BRIDGE, BRIDGE.passage, "BridgeTower"), Shown(2, MONET, MONET.passage, "Monet")],
                           answer, REFUSAL)
    pieces = list(checker.stream(model_text[i:i + 4] for i in range(0, len(model_text), 4)))  # as a model streams
    return pieces, answer, checker


def test_a_grounded_answer_streams_in_pieces_and_names_what_it_cites():
    pieces, answer, checker = check("It reaches 78.73% accuracy on VQAv2 test-std [1].")
    assert len(pieces) > 3 and "".join(pieces) == answer.text
    assert answer.text == "It reaches 78.73% accuracy on VQAv2 test-std (BridgeTower) [1]."
    assert checker.failure() is None and [c.paper_id for c in answer.citations] == ["b"]


def test_a_marker_written_after_the_sentence_end_is_not_repeated():
    _, answer, checker = check("It reaches 78.73% accuracy on VQAv2 test-std. [1]")
    assert answer.text == "It reaches 78.73% accuracy on VQAv2 test-std. (BridgeTower) [1]" and checker.failure() is None


def test_a_marker_written_onto_the_word_or_twice_is_read_as_a_marker_and_shown_once():
    for glued in ("It reaches 78.73% accuracy on VQAv2 test-std.[1]", "It reaches 78.73% accuracy on VQAv2 test-std. [1][1]"):
        _, answer, checker = check(glued)
        assert answer.text == "It reaches 78.73% accuracy on VQAv2 test-std. (BridgeTower) [1]", answer.text
    # the sentence end cited the paper by one of its sentences; the model's marker names another sentence of it
    answer = Answer("q", "q", "", [], False, [], {})
    second = Hit("b", BRIDGE.title, 0, "It pre-trains on 4M images.", "b#1")
    shown = [Shown(1, second, second.passage, "BridgeTower"), Shown(2, BRIDGE, BRIDGE.passage, "BridgeTower")]
    list(ClaimChecker("q", shown, answer, REFUSAL).stream(["BridgeTower reaches 78.73% on VQAv2 test-std. [1]"]))
    assert answer.text == "BridgeTower reaches 78.73% on VQAv2 test-std. [1]", answer.text
    _, answer, _ = check("Monet scales the expert count to 262,144 per layer[2].")  # renumbered: Monet is cited first
    assert answer.text == "Monet scales the expert count to 262,144 per layer [1]." and answer.citations[0].paper_id == "m"


def test_an_invented_number_is_never_shown_and_the_answer_fails():
    pieces, answer, checker = check("BridgeTower reaches 81.2% accuracy [1].")
    assert "81.2" not in "".join(pieces)
    assert checker.failure() and "81.2%" in checker.failure()


def test_a_number_in_another_unit_is_not_grounded():
    _, _, checker = check("Monet scales to 262,144 GB per layer [2].")
    assert "262144gb" in checker.failure()


def test_markers_are_renumbered_in_order_of_use_and_invalid_ones_dropped():
    _, answer, _ = check("Monet scales to 262,144 experts [2, 7]. BridgeTower reaches 78.73% [1].")
    assert answer.text == "Monet scales to 262,144 experts [1]. BridgeTower reaches 78.73% [2]."
    assert [c.paper_id for c in answer.citations] == ["m", "b"]


def test_a_sentence_citing_the_wrong_source_also_cites_the_one_holding_its_claim():
    _, answer, _ = check("Monet scales to 262,144 experts per layer [1].")
    assert [c.paper_id for c in answer.citations] == ["b", "m"]


def test_the_model_declining_is_a_refusal_and_an_uncited_answer_fails():
    assert check(REFUSAL)[2].failure() == "the model found no answer in the sources"
    assert "cites no source" in check("It is a good paper about something else entirely.")[2].failure()


def test_a_number_cited_to_another_sentence_of_its_paper_stands_but_not_one_from_another_paper():
    """Numbered sentences (a detail's evidence): the marker names a paper to the reader, so a number stated in
    another shown sentence of the cited paper is that paper's claim; a number only another paper states is not."""
    intro = Hit("b", BRIDGE.title, 0, "BridgeTower builds bridges between encoders.", "b#1")
    shown = [Shown(1, intro, intro.passage, "BridgeTower"), Shown(2, BRIDGE, BRIDGE.passage, "BridgeTower"),
             Shown(3, MONET, MONET.passage, "Monet")]

    def written(text: str) -> tuple[Answer, ClaimChecker]:
        answer = Answer("q", "q", "", [], False, [], {})
        checker = ClaimChecker("q", shown, answer, REFUSAL, cited_must_hold=True)
        list(checker.stream([text]))
        return answer, checker

    answer, checker = written("BridgeTower reaches 78.73% on VQAv2 test-std [1].")
    assert checker.failure() is None and answer.text == "BridgeTower reaches 78.73% on VQAv2 test-std [1]."
    for mixed in ("It scales to 262,144 experts per layer [1].", "BridgeTower scales to 262,144 experts per layer [1]."):
        answer, checker = written(mixed)
        assert "262144" in checker.failure() and "another paper" in checker.failure(), mixed


def test_a_number_given_for_the_paper_the_sentence_names_but_cited_to_another_is_withdrawn():
    """Another paper's figure under the asked paper's name ("Monet reaches 78.73% [BridgeTower]") is withdrawn, though
    the cited sentence holds the number; a sentence that names the cited paper too, or names none, stands."""
    shown = [Shown(1, BRIDGE, BRIDGE.passage, "BridgeTower"), Shown(2, MONET, MONET.passage, "Monet")]

    def failure(text: str) -> str | None:
        checker = ClaimChecker("What accuracy does Monet reach?", shown, Answer("q", "q", "", [], False, [], {}),
                               REFUSAL, cited_must_hold=True)
        list(checker.stream([text]))
        return checker.failure()

    assert "78.73%" in failure("Monet reaches 78.73% on VQAv2 test-std [1].") and "names" in failure("Monet reaches 78.73% [1].")
    assert failure("Unlike Monet, BridgeTower reaches 78.73% on VQAv2 test-std [1].") is None
    assert failure("It reaches 78.73% on VQAv2 test-std [1].") is None


def test_a_marker_written_where_the_answer_belongs_gets_its_sentence_quoted():
    """"The accuracy it reaches is [1]." points at the sentence instead of saying what it states: with single
    sentences as sources, the reader gets that sentence, quoted; a marker after a complete claim is left alone."""
    def written(text: str) -> Answer:
        answer = Answer("q", "q", "", [], False, [], {})
        checker = ClaimChecker("q", [Shown(1, BRIDGE, BRIDGE.passage, "BridgeTower")], answer, REFUSAL, cited_must_hold=True,
                               quotes=True)
        list(checker.stream(text[i:i + 3] for i in range(0, len(text), 3)))
        assert checker.failure() is None, text
        return answer

    assert written("The accuracy BridgeTower reaches on VQAv2 is [1].").text == (
        "The accuracy BridgeTower reaches on VQAv2 is [1]: “BridgeTower reaches 78.73% accuracy on VQAv2 test-std”.")
    assert written("It reaches 78.73% accuracy [1].").text == "It reaches 78.73% accuracy (BridgeTower) [1]."
