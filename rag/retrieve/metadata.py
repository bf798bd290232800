"""Metadata questions and filters: organisation, author, date (month / year / range), category,
upvotes and author count — answered from the stored metadata by filtering and sorting, never by the model.

``parse`` recognises metadata *values* wherever they stand in a question (an organisation or author the
store knows, a month, a year with "after"/"before", an arXiv category, "upvotes", "N authors"), so it
does not depend on how the question opens. The same ``MetadataQuery`` backs ``paperchat search`` flags.
"""

import re
from dataclasses import asdict, dataclass, field
from typing import Literal

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = re.compile(r"\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
                    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.I)
_YEAR = re.compile(r"\b(?:(after|since|from|before|until|prior to|in|during|of)\s+(?:the\s+year\s+)?)?((?:19|20)\d\d)\b(\s+(?:on(?:wards)?|or later|and later))?", re.I)
_CATEGORY = re.compile(r"\b([a-z]{2,}(?:-[a-z]{2,})?\.[A-Z]{2})\b")
_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
_NUM = r"(\d+|" + "|".join(_NUMBER_WORDS) + r")"
_UPVOTES = re.compile(r"\b(up-?vot\w*|likes?|liked|popular\w*|trending)\b", re.I)
_MIN_UPVOTES = re.compile(r"\b(?:more than|over|above|at least)\s+" + _NUM + r"\s+(?:up-?votes?|likes?)", re.I)
_AUTHORS_CMP = re.compile(r"\b(more than|over|at least|fewer than|less than|under|at most)\s+" + _NUM + r"\s+(?:co-?)?authors?", re.I)
_SINGLE_AUTHOR = re.compile(r"\b(single|sole|one)[- ]authors?\w*", re.I)
_RECENT = re.compile(r"\b(latest|newest|most recent|recent(?:ly)?|oldest|earliest)\b", re.I)
_LIMIT = re.compile(r"\b(?:top|first|the)\s+" + _NUM + r"\b|\b" + _NUM + r"\s+(?:most|latest|newest|oldest)\b", re.I)
_ISO = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d))?")
_LISTING = re.compile(r"^([A-Z][a-z]{2})\s+(\d{1,2})(?:,\s*((?:19|20)\d\d))?$")
Sort = Literal["upvotes", "date", "authors"]


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def date_parts(date: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of a stored date: 'Jul 22, 2022', 'Oct 23' (no year) or ISO '2023-05-01'."""
    date = (date or "").strip()
    if m := _LISTING.match(date):
        return (int(m.group(3)) if m.group(3) else None, MONTHS.index(m.group(1).lower()) + 1, int(m.group(2)))
    if m := _ISO.match(date):
        return int(m.group(1)), int(m.group(2)) if m.group(2) else None, None
    return None, None, None


@dataclass
class MetadataQuery:
    organisation: str | None = None
    author: str | None = None
    category: str | None = None
    month: int | None = None
    year: int | None = None
    min_year: int | None = None
    max_year: int | None = None
    min_upvotes: int | None = None
    min_authors: int | None = None
    max_authors: int | None = None
    sort: Sort | None = None
    oldest_first: bool = False
    limit: int | None = None
    notes: list[str] = field(default_factory=list)

    def has_filter(self) -> bool:
        return any(v is not None for k, v in asdict(self).items() if k not in ("sort", "oldest_first", "limit", "notes"))

    def __bool__(self) -> bool:
        return self.has_filter() or self.sort is not None

    def matches(self, meta: dict) -> bool:
        year, month, _ = date_parts(meta.get("date"))
        n_authors = meta.get("n_authors") or (len(meta["authors"].split(",")) if meta.get("authors") else None)
        checks = [
            self.organisation is None or (meta.get("organisation") or "").lower() == self.organisation.lower(),
            self.author is None or self.author.lower() in (meta.get("authors") or "").lower(),
            self.category is None or self.category.lower() in (meta.get("categories") or "").lower().split(),
            self.month is None or month == self.month,
            self.year is None or year == self.year,
            self.min_year is None or (year is not None and year >= self.min_year),
            self.max_year is None or (year is not None and year <= self.max_year),
            self.min_upvotes is None or (meta.get("upvotes") or 0) >= self.min_upvotes,
            self.min_authors is None or (n_authors is not None and n_authors >= self.min_authors),
            self.max_authors is None or (n_authors is not None and n_authors <= self.max_authors),
        ]
        return all(checks)

    def apply(self, papers: list[dict]) -> list[dict]:
        """Matching papers (metadata dicts), sorted as asked, cut to ``limit``."""
        found = [m for m in papers if self.matches(m)]
        if self.sort == "upvotes":
            found = [m for m in found if m.get("upvotes")]
            found.sort(key=lambda m: -m["upvotes"])
        elif self.sort == "authors":
            found.sort(key=lambda m: -(m.get("n_authors") or 0))
        else:  # by date (newest first unless asked otherwise); undated papers last, then by title
            def key(m):
                year, month, day = date_parts(m.get("date"))
                stamp = ((year or 0) * 10000 + (month or 0) * 100 + (day or 0))
                return (year is None and month is None, stamp if self.oldest_first else -stamp, m.get("title", "").lower())
            found.sort(key=key)
        return found[: self.limit] if self.limit else found

    def describe(self) -> str:
        parts = []
        if self.organisation:
            parts.append(f"organisation {self.organisation}")
        if self.author:
            parts.append(f"author {self.author}")
        if self.category:
            parts.append(f"category {self.category}")
        if self.month:
            parts.append(f"month {MONTHS[self.month - 1].capitalize()}")
        if self.year:
            parts.append(f"year {self.year}")
        if self.min_year or self.max_year:
            parts.append(f"year {self.min_year or '…'}–{self.max_year or '…'}")
        if self.min_upvotes:
            parts.append(f"at least {self.min_upvotes} upvotes")
        if self.min_authors or self.max_authors:
            parts.append(f"{self.min_authors or 1}–{self.max_authors or '…'} authors")
        if self.sort:
            parts.append(f"sorted by {self.sort}" + (" (oldest first)" if self.oldest_first else ""))
        return ", ".join(parts) or "no filter"


@dataclass
class KnownValues:
    """Values the store holds, so that names in a question can be recognised as metadata."""
    organisations: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)

    @classmethod
    def from_papers(cls, papers: list[dict]) -> "KnownValues":
        orgs = {m["organisation"] for m in papers if m.get("organisation")}
        authors = {a.strip() for m in papers if m.get("authors") for a in m["authors"].split(",") if len(a.strip()) > 3}
        return cls(orgs, authors)


def _mentions(question: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", question, re.I) is not None


def parse(question: str, known: KnownValues) -> MetadataQuery:
    q = MetadataQuery()
    q.organisation = next((o for o in sorted(known.organisations, key=len, reverse=True) if _mentions(question, o)), None)
    q.author = next((a for a in sorted(known.authors, key=len, reverse=True) if _mentions(question, a)), None)
    if m := _CATEGORY.search(question):
        q.category = m.group(1)
    for m in _MONTH.finditer(question):
        word = m.group(1)
        if word.lower() == "may" and not re.search(r"\b(in|from|of|during|since|posted|published|released)\s+$", question[: m.start()], re.I):
            continue  # "may" the verb
        if word.lower() == "mar" or (len(word) == 3 and word[0].islower() and word.lower() != "may"):
            continue  # 'mar', 'jan' in lower case are likelier words or typos than months
        q.month = MONTHS.index(word[:3].lower()) + 1
    for m in _YEAR.finditer(question):
        word, year, later = (m.group(1) or "").lower(), int(m.group(2)), m.group(3)
        if word == "after":
            q.min_year = year + 1
        elif word == "since" or later:
            q.min_year = year
        elif word in ("before", "prior to"):
            q.max_year = year - 1
        elif word == "until":
            q.max_year = year
        else:
            q.year = year
    if m := _MIN_UPVOTES.search(question):
        q.min_upvotes = _number(m.group(1)) + (0 if "least" in m.group(0).lower() else 1)
    if _UPVOTES.search(question):
        q.sort = "upvotes"
    if m := _AUTHORS_CMP.search(question):
        op, n = m.group(1).lower(), _number(m.group(2))
        if op in ("more than", "over"):
            q.min_authors = n + 1
        elif op == "at least":
            q.min_authors = n
        elif op in ("fewer than", "less than", "under"):
            q.max_authors = n - 1
        else:
            q.max_authors = n
        q.sort = q.sort or "authors"
    elif _SINGLE_AUTHOR.search(question):
        q.max_authors = 1
    if m := _RECENT.search(question):
        q.sort = q.sort or "date"
        q.oldest_first = m.group(1).lower() in ("oldest", "earliest")
    if (m := _LIMIT.search(question)) and q.sort:
        q.limit = _number(m.group(1) or m.group(2))
    return q
