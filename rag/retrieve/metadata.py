"""A typed filter over the papers' stored metadata: organisation, author, years, month, author count, upvotes,
category, venue, an order and a limit, plus the topic words a question adds and the constraints no record holds.

The model writes it for a metadata question (JSON-schema constrained, rag/answer/strategies/metadata.py);
``paperchat search`` builds it from its flags. It is applied to the catalog's records, never to text.
"""

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rag.errors import UserError
from rag.text import MONTHS, month_number

_ISO = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d))?")
_LISTING = re.compile(r"^([A-Z][a-z]{2})\s+(\d{1,2})(?:,\s*((?:19|20)\d\d))?$")
# what each filter field needs a record to hold (a field no stored paper holds cannot be applied)
NEEDS = {"organisation": "organisation", "author": "authors", "year": "date", "month": "date",
         "authors": "n_authors", "upvotes": "upvotes", "category": "categories", "venue": "venue"}
Sort = Literal["newest", "oldest", "most upvoted", "fewest upvotes", "most authors", "fewest authors"]
_HOLDS = {"exactly": int.__eq__, "at least": int.__ge__, "at most": int.__le__, "more than": int.__gt__,
          "fewer than": int.__lt__, "in": int.__eq__, "after": int.__gt__, "before": int.__lt__, "since": int.__ge__,
          "until": int.__le__}


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


def n_authors(meta: dict) -> int | None:
    return meta.get("n_authors") or (len(meta["authors"].split(",")) if meta.get("authors") else None)


def _same_name(wanted: str, stored: str) -> bool:
    """'Google' finds 'Google DeepMind', 'DeepMind' too; any case."""
    wanted, stored = wanted.lower().strip(), stored.lower()
    return bool(wanted) and bool(stored) and (wanted in stored or stored in wanted)


class Count(BaseModel):
    """A bound on a count, in the words a question uses ("more than 10"): the model copies the relation, this does the
    arithmetic."""
    relation: Literal["exactly", "at least", "at most", "more than", "fewer than"]
    value: int = Field(ge=0)

    def holds(self, n: int | None) -> bool:
        return n is not None and _HOLDS[self.relation](int(n), self.value)

    def __str__(self) -> str:
        return f"{self.relation} {self.value}"


class YearBound(Count):
    relation: Literal["in", "after", "before", "since", "until"]
    value: int = Field(ge=1900, le=2100)


class PaperFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: str | None = None
    author: str | None = None
    # "in" years: any of them will do ("in 2019 or 2021"); the other bounds all hold ("since 2019", "until 2021")
    year: list[YearBound] = Field(default_factory=list, max_length=12)
    month: int | None = Field(None, ge=1, le=12)
    authors: Count | None = None  # how many authors
    upvotes: Count | None = None
    category: str | None = None
    venue: str | None = None
    sort: Sort | None = None
    limit: int | None = Field(None, ge=1, le=100)
    topic: str | None = None  # what the papers must be about (searched inside the filtered set)
    other: list[str] = Field(default_factory=list, max_length=5)  # constraints on what no record holds

    @classmethod
    def from_json(cls, text: str) -> "PaperFilter":
        """The filter a reply writes; a reply that is not one is a one-line ``UserError``."""
        return cls.checked(cls.model_validate_json, text)

    @classmethod
    def of(cls, **fields) -> "PaperFilter":
        """A filter from values (command-line flags); a bad one is a one-line ``UserError``."""
        return cls.checked(cls.model_validate, fields)

    @staticmethod
    def checked(validate, value) -> "PaperFilter":
        try:
            return validate(value)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the filter"
            raise UserError(f"not a valid metadata filter: {where}: {first['msg']}") from None

    def in_years(self) -> set[int]:
        """Years any of which will do: "in 2019 or 2021", however the model wrote them."""
        return {bound.value for bound in self.year if bound.relation == "in"}

    def constraints(self) -> list[str]:
        """The record fields this filter constrains."""
        return [name for name in NEEDS if getattr(self, name) not in (None, [], "")]

    def __bool__(self) -> bool:
        """Whether it asks anything of the records (a question about content gets a topic only)."""
        return bool(self.constraints() or self.other) or self.sort is not None

    def unapplied(self, papers: list[dict]) -> list[str]:
        """What the question constrains that no stored record holds: the filter's ``other`` and any field no paper
        has (a venue where no source gives one)."""
        held = {key for meta in papers for key, value in meta.items() if value not in (None, "")}
        return [*self.other, *dict.fromkeys(NEEDS[name].replace("n_authors", "author count") for name in self.constraints()
                                             if NEEDS[name] not in held)]

    def matches(self, meta: dict) -> bool:
        year, month, _ = when(meta)
        count = n_authors(meta)
        checks = [
            self.organisation is None or _same_name(self.organisation, meta.get("organisation") or ""),
            self.author is None or any(_same_name(self.author, a) for a in (meta.get("authors") or "").split(",")),
            self.category is None or self.category.lower() in (meta.get("categories") or "").lower().split(),
            self.venue is None or _same_name(self.venue, meta.get("venue") or ""),
            not self.in_years() or year in self.in_years(),
            self.month is None or month == self.month,
            all(bound.holds(year) for bound in self.year if bound.relation != "in"),
            self.upvotes is None or self.upvotes.holds(meta.get("upvotes") or 0),
            self.authors is None or self.authors.holds(count),
        ]
        return all(checks)

    def apply(self, papers: list[dict]) -> list[dict]:
        """Matching papers (metadata dicts), in the order asked (newest first by default), cut to ``limit``."""
        found = [m for m in papers if self.matches(m)]
        if self.sort in ("most upvoted", "fewest upvotes"):
            found = sorted((m for m in found if m.get("upvotes") is not None), key=lambda m: m["upvotes"],
                           reverse=self.sort == "most upvoted")
        elif self.sort in ("most authors", "fewest authors"):
            found = sorted((m for m in found if n_authors(m)), key=n_authors, reverse=self.sort == "most authors")
        else:  # by date, newest first unless asked otherwise; undated papers last, then by title
            def key(m):
                year, month, day = when(m)
                stamp = (year or 0) * 10000 + (month or 0) * 100 + (day or 0)
                return (year is None and month is None, stamp if self.sort == "oldest" else -stamp, m.get("title", "").lower())
            found.sort(key=key)
        return found[: self.limit] if self.limit else found

    def describe(self) -> str:
        parts = [f"{name.replace('_', ' ')} {value}" for name in ("organisation", "author", "category", "venue")
                 if (value := getattr(self, name))]
        if self.in_years():
            parts.append("year " + " or ".join(map(str, sorted(self.in_years()))))
        parts += [f"year {bound}" for bound in self.year if bound.relation != "in"]
        if self.month:
            parts.append(f"month {MONTHS[self.month - 1][:3].capitalize()}")
        parts += [f"{name} {bound}" for name in ("authors", "upvotes") if (bound := getattr(self, name))]
        if self.topic:
            parts.append(f"about {self.topic}")
        if self.sort:
            parts.append(f"{self.sort} first")
        if self.limit:
            parts.append(f"the first {self.limit}")
        return ", ".join(parts) or "no filter"
