"""Parser for the text of a Hugging Face "Daily Papers" listing page.

A page is a header (ending with "by AK and the research community" and an optional listing date),
then one entry per paper, separated by blank lines:

    Title
    Abstract, on one line
      • 7 authors          <- optional block: an author count or an organisation line,
    ·                         a middle dot,
    Jul 22, 2022 3         <- and the paper's date (year often absent) with an optional upvote count
"""

import re
from collections.abc import Iterator

from rag.records import Paper, Rejected

_HEADER_END = re.compile(r"^by\s*AK and the research community$", re.IGNORECASE)
_LISTING_DATE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}(, \d{4})?$")
_AUTHORS = re.compile(r"^•\s*(\d+)\s+authors?$")
_DATE_LINE = re.compile(r"^(?P<date>[A-Z][a-z]{2} \d{1,2}(?:, \d{4})?)(?:\s+(?P<upvotes>\d+))?$")
_DOT = "·"
_MIN_ABSTRACT_CHARS = 40


def looks_like_listing(text: str) -> bool:
    return any(_HEADER_END.match(line.strip()) for line in text.splitlines()[:20])


def _organisation(line: str) -> str:
    """'kyutai Kyutai' (handle, then display name) -> 'Kyutai'."""
    words = line.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and half and [w.lower() for w in words[:half]] == [w.lower() for w in words[half:]]:
        return " ".join(words[half:])
    return line


def _body_start(lines: list[tuple[int, str]]) -> int:
    for i, (_, text) in enumerate(lines[:20]):
        if _HEADER_END.match(text):
            if i + 1 < len(lines) and _LISTING_DATE.match(lines[i + 1][1]):
                return i + 2
            return i + 1
    return 0


def _meta_block(lines: list[tuple[int, str]], i: int) -> tuple[list[str], str, int] | None:
    """If an author/organisation block starts at i, return (its lines, the date line, index after it)."""
    for j in range(i, min(i + 3, len(lines))):
        if lines[j][1] == _DOT:
            head = [text for _, text in lines[i:j]]
            if all(len(text) < 100 for text in head) and j + 1 < len(lines):
                return head, lines[j + 1][1], j + 2
            return None
    return None


def parse(text: str, source: str) -> Iterator[Paper | Rejected]:
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    i = _body_start(lines)
    while i < len(lines):
        line_no, title = lines[i]
        if i + 1 >= len(lines):
            yield Rejected(source, line_no, f"entry {title[:60]!r} has no abstract")
            return
        abstract = lines[i + 1][1]
        i += 2
        paper = Paper(title=title, abstract=abstract, source=source)
        block = _meta_block(lines, i)
        if block:
            head, date_line, i = block
            for text in head:
                if m := _AUTHORS.match(text):
                    paper.n_authors = int(m.group(1))
                else:
                    paper.organisation = _organisation(text)
            if m := _DATE_LINE.match(date_line):
                paper.date = m.group("date")
                paper.upvotes = int(m.group("upvotes")) if m.group("upvotes") else None
        if len(abstract) < _MIN_ABSTRACT_CHARS:
            yield Rejected(source, line_no, f"entry {title[:60]!r} has no abstract")
            continue
        yield paper
