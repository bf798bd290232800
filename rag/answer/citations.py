"""Citation markers in model output: parse, check, renumber — incrementally, so streamed text and the
final answer are the same text.

Understood: ``[1]``, ``[1,3]``, ``[1, 3]``, ``[1][3]``, ``[Source 2]``. A number that points to no
source given to the model is removed; the rest are renumbered in order of first use and written as
``[1][2]``.
"""

import re

_MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d+(?:\s*[,;]\s*(?:sources?\s*)?\d+)*)\s*\]", re.IGNORECASE)
_PARTIAL = re.compile(r"\[\s*(?:s(?:o(?:u(?:r(?:c(?:es?)?)?)?)?)?\s*)?(?:\d+(?:\s*[,;]?\s*(?:sources?\s*)?\d*)*)?\s*$", re.IGNORECASE)
_MAX_MARKER = 40


def numbers_in(marker_body: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", marker_body)]


class CitationRewriter:
    """Feed model text piece by piece; get back text whose markers are checked and renumbered."""

    def __init__(self, valid: set[int]):
        self.valid = valid
        self.order: list[int] = []  # original source numbers, in order of first citation
        self._pending = ""

    def feed(self, text: str) -> str:
        self._pending += text
        out = []
        while self._pending:
            start = self._pending.find("[")
            if start < 0:
                out.append(self._pending)
                self._pending = ""
                break
            out.append(self._pending[:start])
            rest = self._pending[start:]
            if match := _MARKER.match(rest):
                out.append(self._rewrite(match.group(1)))
                self._pending = rest[match.end():]
            elif _PARTIAL.fullmatch(rest) and len(rest) < _MAX_MARKER:
                self._pending = rest  # maybe the start of a marker: wait for more text
                break
            else:
                out.append("[")
                self._pending = rest[1:]
        return "".join(out)

    def finish(self) -> str:
        rest, self._pending = self._pending, ""
        return rest

    def _rewrite(self, body: str) -> str:
        kept = []
        for n in numbers_in(body):
            if n in self.valid:
                if n not in self.order:
                    self.order.append(n)
                new = self.order.index(n) + 1
                if new not in kept:
                    kept.append(new)
        return "".join(f"[{n}]" for n in kept)


def rewrite(text: str, valid: set[int]) -> tuple[str, list[int]]:
    """Whole-text version: (rewritten text, original source numbers in order of first use)."""
    rewriter = CitationRewriter(valid)
    out = rewriter.feed(text) + rewriter.finish()
    return clean_spacing(out), rewriter.order


def clean_spacing(text: str) -> str:
    """Spaces left where an invalid marker was removed: 'word  .' -> 'word.'."""
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def cited_numbers(text: str) -> list[int]:
    """Numbers of the markers in already-rewritten text, in order of appearance."""
    seen: list[int] = []
    for match in _MARKER.finditer(text):
        for n in numbers_in(match.group(1)):
            if n not in seen:
                seen.append(n)
    return seen


def strip_markers(text: str) -> str:
    return clean_spacing(_MARKER.sub("", text))
