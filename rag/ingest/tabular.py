"""JSONL and CSV records of ``{title, abstract}`` (+ optional id, authors, date or year, venue, url), and the arXiv
metadata snapshot (JSON lines with id, title, abstract, authors, categories, update_date).

Both are streamed line by line, so a multi-GB snapshot never has to fit in memory.
"""

import csv
import json
from collections.abc import Iterable, Iterator

from rag.records import Paper, Rejected

REQUIRED = ("title", "abstract")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text or None


def record_to_paper(record: dict, source: str, line: int) -> Paper | Rejected:
    missing = [key for key in REQUIRED if not _text(record.get(key))]
    if missing:
        return Rejected(source, line, f"record lacks {' and '.join(missing)}")
    is_arxiv = "update_date" in record and "categories" in record and record.get("id")
    raw_id = _text(record.get("id"))
    return Paper(
        title=_text(record["title"]),
        abstract=_text(record["abstract"]),
        paper_id=(f"arxiv-{raw_id}" if is_arxiv else raw_id) or "",
        authors=_text(record.get("authors")),
        date=_text(record.get("date") or record.get("update_date") or record.get("year")),
        venue=_text(record.get("venue")),
        url=_text(record.get("url")) or (f"https://arxiv.org/abs/{raw_id}" if is_arxiv else None),
        categories=_text(record.get("categories")),
        source=source,
    )


def parse_jsonl(lines: Iterable[str], source: str) -> Iterator[Paper | Rejected]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Rejected(source, n, f"not valid JSON ({err.msg})")
            continue
        if not isinstance(record, dict):
            yield Rejected(source, n, "not a JSON object")
            continue
        yield record_to_paper(record, source, n)


def parse_csv(lines: Iterable[str], source: str) -> Iterator[Paper | Rejected]:
    reader = csv.DictReader(lines, strict=True)  # strict: an unclosed quote is an error, not a record eating the file
    read = 0  # lines read by complete rows (the header's included): the next record begins after them
    try:
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
        if missing := [key for key in REQUIRED if key not in columns]:
            yield Rejected(source, 1, f"CSV header lacks column(s) {', '.join(missing)} (has: {', '.join(columns) or 'none'})")
            return
        read = reader.line_num
        for row in reader:
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            yield record_to_paper(record, source, read + 1)
            read = reader.line_num
    except csv.Error as err:  # the reader cannot go on after this: what came before is kept
        yield Rejected(source, read + 1, f"malformed CSV ({err}); is a quote left open?")
