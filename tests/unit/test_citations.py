import pytest

from rag.answer.citations import CitationRewriter, cited_numbers, rewrite, strip_markers


@pytest.mark.parametrize("raw", ["A [1,3].", "A [1][3].", "A [1, 3].", "A [Source 1, source 3].", "A [1; 3]."])
def test_marker_forms_are_understood(raw):
    text, order = rewrite(raw, valid={1, 2, 3})
    assert (text, order) == ("A [1][2].", [1, 3])


def test_markers_renumbered_in_order_of_first_use():
    text, order = rewrite("X is true [3]. Y too [1]. X again [3].", valid={1, 2, 3})
    assert text == "X is true [1]. Y too [2]. X again [1]."
    assert order == [3, 1]


def test_markers_pointing_to_no_source_are_removed():
    text, order = rewrite("Claim [7]. Other claim [2, 9]. Third [0].", valid={1, 2})
    assert text == "Claim. Other claim [1]. Third."
    assert order == [2]


def test_brackets_that_are_not_markers_are_kept():
    text, _ = rewrite("Scores in [0.5, 0.9] range and x[i] indexing [2].", valid={2})
    assert text == "Scores in [0.5, 0.9] range and x[i] indexing [1]."


def test_streamed_pieces_give_the_same_text_as_the_whole():
    raw = "Monet scales to 262,144 experts [2]. It uses [Source 1, 2] and [5] too."
    whole, _ = rewrite(raw, valid={1, 2})
    rewriter = CitationRewriter(valid={1, 2})
    pieces = [rewriter.feed(raw[i : i + 3]) for i in range(0, len(raw), 3)] + [rewriter.finish()]
    streamed = "".join(pieces)
    assert streamed.replace(" .", ".").replace("  ", " ").strip() == whole
    assert rewriter.order == [2, 1]


def test_helpers():
    assert cited_numbers("a [2] b [1][2]") == [2, 1]
    assert strip_markers("Answer [1][2].") == "Answer."
