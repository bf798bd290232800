"""The unit of ingestion: one paper, the rules that identify it, and how its stored date reads (year, month, day)."""

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, fields

from rag.text import month_number


@dataclass
class Paper:
    title: str
    abstract: str
    paper_id: str = ""
    authors: str | None = None  # names as given, comma separated
    n_authors: int | None = None
    organisation: str | None = None
    date: str | None = None  # as the source gives it; a missing year stays missing
    upvotes: int | None = None
    url: str | None = None
    categories: str | None = None
    venue: str | None = None  # where it was published ("ACL", "EMNLP")
    source: str = ""  # file the record came from

    def __post_init__(self) -> None:
        self.title = " ".join(self.title.split())
        self.abstract = " ".join(self.abstract.split())
        if not self.paper_id:
            self.paper_id = title_id(self.title)

    def metadata(self) -> dict:
        """Flat metadata for the store (Chroma accepts str/int/float/bool; None values are dropped)."""
        return {k: v for k, v in asdict(self).items() if v is not None and k != "abstract"}

    def content_hash(self) -> str:
        """Changes whenever anything that is stored for this paper changes (source path excluded)."""
        payload = {k: v for k, v in asdict(self).items() if k != "source" and v is not None}
        return hashlib.sha1(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]

    def merge(self, other: "Paper") -> None:
        """Fill fields this record lacks from a duplicate of the same paper."""
        for f in fields(self):
            if getattr(self, f.name) in (None, "") and getattr(other, f.name) not in (None, ""):
                setattr(self, f.name, getattr(other, f.name))


@dataclass
class Rejected:
    """A record or file that could not be ingested, with where it was and why."""

    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.reason}"


_NON_WORD = re.compile(r"[^\w]+")


def normalise_title(title: str) -> str:
    """Case, accents, punctuation and spacing do not make a different paper."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def title_id(title: str) -> str:
    return "t-" + hashlib.sha1(normalise_title(title).encode()).hexdigest()[:12]


def deduplicate(papers: list[Paper]) -> list[Paper]:
    """One record per normalised title; later duplicates only fill missing fields."""
    by_title: dict[str, Paper] = {}
    for paper in papers:
        key = normalise_title(paper.title)
        if key in by_title:
            by_title[key].merge(paper)
        else:
            by_title[key] = paper
    return list(by_title.values())


_ISO = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d))?")
_LISTING = re.compile(r"^([A-Z][a-z]{2})\s+(\d{1,2})(?:,\s*((?:19|20)\d\d))?$")
UNDATED_YEAR = 9999  # the year a listing date without one sorts as: the listing's current year, the latest


def date_parts(date: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a stored date: 'Jul 22, 2022', 'Oct 23' (no year) or ISO '2023-05-01'."""
    date = (date or "").strip()
    if m := _LISTING.match(date):
        return (int(m.group(3)) if m.group(3) else None, month_number(m.group(1)), int(m.group(2)))
    if m := _ISO.match(date):
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None, None
    return None, None, None


def when(meta: dict) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a stored paper: its date, or its year field where the date has none."""
    year, month, day = date_parts(meta.get("date"))
    return year or meta.get("year"), month, day


def chronology(meta: dict) -> tuple[int, int, int]:
    """A paper's place in time, for sorting: (year, month, day), 0 where unknown. A listing date without a year
    ("Oct 23") is from the listing's own year, so it sorts after every date that gives one."""
    year, month, day = when(meta)
    return (year or (UNDATED_YEAR if month else 0), month or 0, day or 0)


def author_names(meta: dict) -> list[str]:
    """The stored author list (comma separated) as names."""
    return [a.strip() for a in str(meta.get("authors") or "").split(",") if a.strip()]


def n_authors(meta: dict) -> int | None:
    return meta.get("n_authors") or len(author_names(meta)) or None


def web_link(meta: dict) -> str:
    """The paper's URL when it is a web address (http or https), else "": the only links the apps show."""
    url = meta.get("url")
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else ""
