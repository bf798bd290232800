"""Turn the paths a user gives into a stream of Paper records (or Rejected notes), by file type."""

from collections.abc import Iterator
from pathlib import Path

from rag.ingest import daily_papers, tabular
from rag.ingest.records import Paper, Rejected, deduplicate, normalise_title

SUFFIXES = {".txt", ".jsonl", ".json", ".ndjson", ".csv"}
BUNDLED_CORPUS = Path(__file__).resolve().parents[2] / "data" / "daily-papers"


def discover(paths: list[Path]) -> tuple[list[Path], list[Rejected]]:
    """Expand folders (recursively) into supported files; a missing path or an empty folder is rejected."""
    files: list[Path] = []
    rejected: list[Rejected] = []
    for path in paths:
        if not path.exists():
            rejected.append(Rejected(str(path), None, "no such file or directory"))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                kinds = ", ".join(sorted(SUFFIXES))
                rejected.append(Rejected(str(path), None, f"directory has no supported files ({kinds})"))
            files.extend(found)
        else:
            files.append(path)
    return files, rejected


def _check_readable(path: Path) -> str | None:
    """A reason the file cannot be read as text, or None."""
    if path.suffix.lower() not in SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'!r}; use {', '.join(sorted(SUFFIXES))}"
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        return "file is empty"
    if b"\x00" in head:
        return "file is binary, not text"
    return None


def _lines(path: Path, rejected: list[Rejected]) -> Iterator[str]:
    """Lines of a UTF-8 file, decoded one by one so a bad byte is reported with its line and skipped."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError:
                rejected.append(Rejected(str(path), n, "line is not UTF-8 text; re-save the file as UTF-8"))


def read_file(path: Path) -> Iterator[Paper | Rejected]:
    if reason := _check_readable(path):
        yield Rejected(str(path), None, reason)
        return
    tail: list[Rejected] = []
    suffix = path.suffix.lower()
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


def read_sources(paths: list[Path]) -> Iterator[Paper | Rejected]:
    """Every record of every file, each distinct paper once (by id or normalised title; first wins).

    Only the keys are remembered across files, so an arXiv snapshot streams in constant memory per record."""
    files, rejected = discover(paths)
    yield from rejected
    seen: set[str] = set()
    for path in files:
        for item in read_file(path):
            if isinstance(item, Paper):
                keys = {item.paper_id, normalise_title(item.title)}
                if keys & seen:
                    continue
                seen |= keys
            yield item
