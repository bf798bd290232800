"""Citation markers in model output: ``[1]``, ``[1,3]``, ``[1, 3]``, ``[1; 3]``, ``[Source 2]``.

Checking, renumbering and naming what a marker cites happen as the text streams, in ``claims.py``.
"""

import re

# The word before a marker that stands where the answer's object belongs ("achieves a FLOPs reduction of [2].", "the
# benchmark used is [1]."): the model pointed at the sentence instead of copying what it states.
_BEFORE_OBJECT = re.compile(r"(?:is|are|was|were|be|of|by|at|to|than|about|around|approximately|roughly|reaches|reach|"
                            r"achieves|achieve|the|a|an|on|with|uses|use)", re.IGNORECASE)
MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*[,;]\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)


def numbers_in(marker_body: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker_body)]


def strip_markers(text: str) -> str:
    """The text without its markers (and the spaces they leave)."""
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", MARKER.sub("", text))
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def stands_for_object(word_before: str) -> bool:
    """Whether a marker after ``word_before`` takes the place of what the sentence should state."""
    return bool(_BEFORE_OBJECT.fullmatch(word_before.strip(",;:")))
