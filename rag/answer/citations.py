"""Citation markers in model output: ``[1]``, ``[1,3]``, ``[1, 3]``, ``[1; 3]``, ``[Source 2]``.

Checking, renumbering and naming what a marker cites happen as the text streams, in ``claims.py``.
"""

import re

MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*[,;]\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)


def numbers_in(marker_body: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker_body)]


def strip_markers(text: str) -> str:
    """The text without its markers (and the spaces they leave)."""
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", MARKER.sub("", text))
    return re.sub(r"[ \t]{2,}", " ", text).strip()
