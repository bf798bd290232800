"""A typed filter over the papers' stored metadata: organisation, author, dates, author count, upvotes,
category, venue, an order and a limit, plus the topic words a question adds and the constraints no record holds.

The model writes it for a metadata question (JSON-schema constrained, rag/answer/kinds/metadata.py);
``paperchat search`` builds it from its flags. It is applied to the catalog's records, never to text.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rag.errors import UserError
from rag.records import chronology, n_authors, when
from rag.text import MONTHS

# what each filter field needs a record to hold (a field no stored paper holds cannot be applied)
NEEDS = {"organisation": "organisation", "author": "authors", "dates": "date",
         "authors": "n_authors", "upvotes": "upvotes", "category": "categories", "venue": "venue"}
Sort = Literal["newest", "oldest", "most upvoted", "fewest upvotes", "most authors", "fewest authors"]
_HOLDS = {"exactly": int.__eq__, "at least": int.__ge__, "at most": int.__le__, "more than": int.__gt__,
          "fewer than": int.__lt__}


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


YEARS = range(1900, 2101)  # the years a date bound may name


class DateBound(BaseModel):
    """A bound on the date, as precise as the question says it: a year ("since 2019"), a month ("in March"), a month
    of a year ("from July 2023"), a day ("Jan 23, 2024")."""
    model_config = ConfigDict(extra="forbid")
    relation: Literal["in", "after", "before", "since", "until"]
    year: int | None = Field(None, ge=YEARS.start, le=YEARS.stop - 1)
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)

    @model_validator(mode="after")
    def _said(self):
        if self.year is None and self.month is None:
            raise ValueError("a date bound needs a year or a month")
        if self.day is not None and self.month is None:
            raise ValueError("a day needs its month")
        return self

    def holds(self, date: tuple[int | None, int | None, int | None]) -> bool:
        """Compared at the bound's precision; a paper without the part the bound names does not match."""
        parts = [(have, want) for have, want in zip(date, (self.year, self.month, self.day), strict=True) if want is not None]
        if any(have is None for have, _ in parts):
            return False
        have, want = tuple(h for h, _ in parts), tuple(w for _, w in parts)
        return {"in": have == want, "after": have > want, "before": have < want, "since": have >= want,
                "until": have <= want}[self.relation]

    def __str__(self) -> str:
        month = MONTHS[self.month - 1][:3].capitalize() if self.month else ""
        return f"{self.relation} " + " ".join(str(part) for part in (month, self.day, self.year) if part)


class PaperFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: str | None = None
    author: str | None = None
    # "in" dates: any of them will do ("in 2019 or 2021"); the other bounds all hold ("since March 2019", "until 2021")
    dates: list[DateBound] = Field(default_factory=list, max_length=12)
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

    def dated(self, meta: dict) -> bool:
        """Of the "in" dates that name the same parts, any will do ("in 2019 or 2021"; "in March or May"); those that
        name other parts hold too ("in 2024" and "in February": February 2024); and every other bound holds."""
        date = when(meta)
        groups: dict[tuple[bool, ...], list[DateBound]] = {}
        for bound in self.dates:
            if bound.relation == "in":
                groups.setdefault((bound.year is None, bound.month is None, bound.day is None), []).append(bound)
        return all(any(b.holds(date) for b in group) for group in groups.values()) and all(
            b.holds(date) for b in self.dates if b.relation != "in")

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
        count = n_authors(meta)
        checks = [
            self.organisation is None or _same_name(self.organisation, meta.get("organisation") or ""),
            self.author is None or any(_same_name(self.author, a) for a in (meta.get("authors") or "").split(",")),
            self.category is None or self.category.lower() in (meta.get("categories") or "").lower().split(),
            self.venue is None or _same_name(self.venue, meta.get("venue") or ""),
            self.dated(meta),
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
                year, month, day = chronology(m)
                stamp = year * 10000 + month * 100 + day
                return (stamp == 0, stamp if self.sort == "oldest" else -stamp, m.get("title", "").lower())
            found.sort(key=key)
        return found[: self.limit] if self.limit else found

    def describe(self) -> str:
        parts = [f"{name.replace('_', ' ')} {value}" for name in ("organisation", "author", "category", "venue")
                 if (value := getattr(self, name))]
        within = [str(bound).removeprefix("in ") for bound in self.dates if bound.relation == "in"]
        if within:
            parts.append("dated " + " or ".join(within))
        parts += [f"dated {bound}" for bound in self.dates if bound.relation != "in"]
        parts += [f"{name} {bound}" for name in ("authors", "upvotes") if (bound := getattr(self, name))]
        if self.topic:
            parts.append(f"about {self.topic}")
        if self.sort:
            parts.append(f"{self.sort} first")
        if self.limit:
            parts.append(f"the first {self.limit}")
        return ", ".join(parts) or "no filter"
