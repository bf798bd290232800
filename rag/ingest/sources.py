"""Turn the paths a user gives into a stream of Paper records (or Rejected notes), by file type.

Every format may come gzip-compressed (``papers.jsonl.gz``): it is decompressed as it is read, never whole.
"""

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from rag.ingest import daily_papers, tabular
from rag.records import Paper, Rejected, deduplicate, normalise_title

SUFFIXES = {".txt", ".jsonl", ".json", ".ndjson", ".csv"}
_GZIP_ERRORS = (OSError, EOFError, zlib.error)  # gzip.BadGzipFile is an OSError


def file_type(path: Path) -> str:
    """The format's suffix, looking through a .gz ending: 'papers.jsonl.gz' -> '.jsonl'."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ".gz"
    return suffixes[-1] if suffixes else ""


def _open(path: Path):
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else path.open("rb")


def discover(paths: list[Path]) -> tuple[list[Path], list[Rejected]]:
    """Expand folders (recursively) into supported files; a missing path or an empty folder is rejected."""
    files: list[Path] = []
    rejected: list[Rejected] = []
    for path in paths:
        if not path.exists():
            rejected.append(Rejected(str(path), None, "no such file or directory"))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and file_type(p) in SUFFIXES)
            if not found:
                kinds = ", ".join(sorted(SUFFIXES))
                rejected.append(Rejected(str(path), None, f"directory has no supported files ({kinds}, or those .gz)"))
            files.extend(found)
        else:
            files.append(path)
    return files, rejected


def _check_readable(path: Path) -> str | None:
    """A reason the file cannot be read as text, or None."""
    if file_type(path) not in SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'!r}; use {', '.join(sorted(SUFFIXES))} (or those .gz)"
    try:
        with _open(path) as fh:
            head = fh.read(8192)
    except _GZIP_ERRORS as err:
        return f"not a readable gzip file ({err})"
    if not head.strip():
        return "file is empty"
    if b"\x00" in head:
        return "file is binary, not text"
    return None


def _lines(path: Path, rejected: list[Rejected]) -> Iterator[str]:
    """Lines of a UTF-8 file, decoded one by one so a bad byte is reported with its line and skipped."""
    n = 0
    with _open(path) as fh:
        try:
            for n, raw in enumerate(fh, start=1):
                try:
                    yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError:
                    rejected.append(Rejected(str(path), n, "line is not UTF-8 text; re-save the file as UTF-8"))
        except _GZIP_ERRORS as err:  # a truncated or corrupt .gz: what was read before stays ingested
            rejected.append(Rejected(str(path), n + 1, f"compressed data is cut short or corrupt ({err})"))


def read_file(path: Path) -> Iterator[Paper | Rejected]:
    if reason := _check_readable(path):
        yield Rejected(str(path), None, reason)
        return
    tail: list[Rejected] = []
    suffix = file_type(path)
    if suffix == ".txt":
        text = "".join(_lines(path, tail))
        if not tail and not daily_papers.looks_like_listing(text):
            tail.append(Rejected(str(path), 1, "not a Daily Papers listing (no 'by AK and the research community' header)"))
        elif not tail:
            items = list(daily_papers.parse(text, str(path)))
            papers = deduplicate([p for p in items if isinstance(p, Paper)])
            yield from [r for r in items if isinstance(r, Rejected)] + papers
    elif suffix == ".csv":
        yield from tabular.parse_csv(_lines(path, tail), str(path))
    else:
        yield from tabular.parse_jsonl(_lines(path, tail), str(path))
    yield from tail


def _listings(paths: list[Path]) -> Iterator[Paper | Rejected]:
    """The papers of listing pages, each once across all of them: a paper listed on several pages gets the fields any
    of them gives (one page shows its date and author count, another only its title). Pages are small: read at once."""
    items = [item for path in paths for item in read_file(path)]
    yield from (item for item in items if isinstance(item, Rejected))
    yield from deduplicate([item for item in items if isinstance(item, Paper)])


def read_sources(paths: list[Path]) -> Iterator[Paper | Rejected]:
    """Every record of every file, each distinct paper once (by id or normalised title): listing pages merged (see
    ``_listings``), then the other files, where the first record of a paper wins.

    Only the keys are remembered across those files, so an arXiv snapshot streams in constant memory per record."""
    files, rejected = discover(paths)
    yield from rejected
    seen: set[str] = set()
    listings = [path for path in files if file_type(path) == ".txt"]
    others = (read_file(path) for path in files if file_type(path) != ".txt")
    for items in (_listings(listings), *others):
        for item in items:
            if isinstance(item, Paper):
                keys = {item.paper_id, normalise_title(item.title)}
                if keys & seen:
                    continue
                seen |= keys
            yield item
