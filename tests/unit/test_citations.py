"""Marker forms small models write are understood; text without markers reads cleanly."""

import pytest

from rag.answer.citations import MARKER, numbers_in, strip_markers


@pytest.mark.parametrize("raw", ["[1,3]", "[1][3]", "[1, 3]", "[Source 1, source 3]", "[1; 3]"])
def test_marker_forms_are_understood(raw):
    assert [n for m in MARKER.finditer(raw) for n in numbers_in(m.group(1))] == [1, 3]


def test_brackets_that_are_not_markers_are_left_alone():
    assert [m.group(0) for m in MARKER.finditer("Scores in [0.5, 0.9] range and x[i] indexing [2].")] == ["[2]"]


def test_strip_markers():
    assert strip_markers("BridgeTower reaches 78.73% [1][2]. It is fast [3] .") == "BridgeTower reaches 78.73%. It is fast."
