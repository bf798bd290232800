"""Metadata questions ('from Kyutai', 'posted in October', 'the three most upvoted', 'at least 8 authors, in 2019 or
2021'): the model writes a typed filter (``PaperFilter``, its decoding constrained to the filter's JSON schema, taught by
the examples in prompts/metadata_filter.txt), the filter runs over the catalog, and the answer lists exactly the matching
papers, each with the metadata it has. A topic is searched inside the filtered set; a constraint no stored record can
apply is said in the answer, never dropped silently, and a question such a constraint leaves no paper list is refused."""

import logging
from collections.abc import Iterator
from functools import cache

from rag.answer.judge import about_topic
from rag.answer.kinds.base import Question, Strategy
from rag.answer.prompts import few_shot
from rag.answer.types import Answer
from rag.errors import UserError
from rag.papers import describe
from rag.retrieve.metadata import NEEDS, YEARS, PaperFilter
from rag.retrieve.retriever import Hit
from rag.text import numbers_written

SORTED_BY = {"most authors": "authors", "fewest authors": "authors", "most upvoted": "upvotes", "fewest upvotes": "upvotes"}
log = logging.getLogger(__name__)
_schema = cache(PaperFilter.model_json_schema)


def check_examples() -> None:
    """Every example filter in prompts/metadata_filter.txt is a valid filter (a one-line error otherwise)."""
    for message in few_shot("metadata_filter")[2::2]:
        PaperFilter.from_json(message["content"])


def _written(tools, text: str) -> PaperFilter | None:
    messages = [*few_shot("metadata_filter"), {"role": "user", "content": text}]
    reply = tools.structured(messages, _schema(), tools.settings.answer.metadata.filter_tokens)
    try:
        return PaperFilter.from_json(reply)
    except UserError as err:
        log.warning("%s (reply %r)", err, reply[:200])
        return None


def write_filter(tools, question: str) -> PaperFilter | None:
    """The filter the model writes for ``question``; None when its reply is not a valid filter (logged)."""
    query = _written(tools, question)
    return None if query is None else one_paper(tools, grounded(reread(tools, query), question), question)


def one_paper(tools, query: PaperFilter, question: str) -> PaperFilter:
    """A sorted filter without a limit gets limit 1 when the model's probability that the question asks for one paper
    only ("the latest paper from 2024?") is above ``one_paper_above``: it seldom writes that limit itself."""
    if not query.sort or query.limit:
        return query
    one = tools.chance("one_paper", ["One", "List"], question=question)
    return query.model_copy(update={"limit": 1}) if one >= tools.settings.answer.metadata.one_paper_above else query


def asks_for_papers(tools, question: str) -> bool:
    """Whether papers answer ``question`` (the model's probability): "Who is the CEO of Kyutai?" is no paper list."""
    return tools.chance("asks_papers", ["Yes", "No"], question=question) >= tools.settings.answer.metadata.asks_papers_above


def reread(tools, query: PaperFilter) -> PaperFilter:
    """What the model set aside as unrecorded, and a topic with a number in it, each read again on its own: a small
    model files "5 or fewer authors" or "in date order" under ``other`` and "2022 papers" as the topic when the
    question constrains the records otherwise too; the phrase alone gets its fields. Only numbers the phrase writes
    count (no implied one: "cited the most" must not become "more than 1 upvote")."""
    for part in ("other", "topic"):
        phrase = " ".join(query.other) if part == "other" else query.topic or ""
        if not phrase or part == "topic" and not (any(ch.isdigit() for ch in phrase) and query.constraints()):
            continue  # a topic is re-read only in a question that constrains the records: "3D" alone is no date
        again = _written(tools, phrase)
        again = again and grounded(again, phrase, implied=())
        found = {name: getattr(again, name) for name in (*NEEDS, "sort", "limit")
                 if again and getattr(query, name) in (None, []) and getattr(again, name) not in (None, [])}
        if found:
            query = query.model_copy(update={**found, part: getattr(again, part)})
    return query


def grounded(query: PaperFilter, question: str, implied: tuple[int, ...] = (1,)) -> PaperFilter:
    """The filter without the numbers the question does not write (a limit nobody asked for cuts papers off; "at least
    1" is kept: "papers that received upvotes" writes no number). A count
    fixed exactly while the papers are sorted by it ("the three papers with the most authors" written as exactly 3
    authors, most authors first) was the number of papers asked for. A limit must be written once more than the counts
    that use its number ("just one author" is no limit of one), and month bounds get the question's one year when the
    model wrote none ("between march and may 2023": also when it wrote a year or day the question does not)."""
    counted = SORTED_BY.get(query.sort or "")
    bound = getattr(query, counted) if counted else None
    if bound is not None and bound.relation == "exactly":
        query = query.model_copy(update={counted: None, "limit": query.limit or bound.value})
    numbers = numbers_written(question)
    said = set(implied) | set(numbers)
    kept = lambda bound: bound if bound is None or bound.value in said or (bound.relation, bound.value) == ("at least", 1) else None  # noqa: E731
    dates = [b.model_copy(update={part: None for part in ("year", "day") if getattr(b, part) not in (None, *said)})
             for b in query.dates]  # a part the question does not write goes, not the bound ("after March" + day 20)
    dates = [b for b in dates if b.year is not None or b.month is not None]
    if len(years := {n for n in numbers if n in YEARS}) == 1 and all(b.year is None for b in dates):
        dates = [b.model_copy(update={"year": min(years)}) if b.month else b for b in dates]
    counts = [b.value for b in (query.authors, query.upvotes) if b is not None]
    return query.model_copy(update={"dates": dates, "authors": kept(query.authors), "upvotes": kept(query.upvotes),
                                    "limit": query.limit if numbers.count(query.limit) > counts.count(query.limit) else None})


def resolve(query: PaperFilter, papers: list[dict]) -> PaperFilter:
    """Names looked up in the catalog: a topic, extra constraint, author or organisation that is the name of a stored
    organisation or author becomes that constraint ("the Kyutai papers" may come back with Kyutai as the topic); a
    topic or extra constraint that only repeats the organisation or author the filter names is dropped."""
    named = {(value or "").strip().lower() for value in (query.organisation, query.author)} - {""}
    if (query.topic or "").strip().lower() in named or any(o.strip().lower() in named for o in query.other):
        query = query.model_copy(update={"topic": None if (query.topic or "").strip().lower() in named else query.topic,
                                         "other": [o for o in query.other if o.strip().lower() not in named]})
    known = {field: {name.strip().lower() for meta in papers for name in str(meta.get(key) or "").split(",") if name.strip()}
             for field, key in (("organisation", "organisation"), ("author", "authors"))}
    for field, other_field in (("organisation", "author"), ("author", "organisation")):
        for text in [query.topic, *query.other, getattr(query, other_field)]:
            name = (text or "").strip().lower()
            if getattr(query, field) is None and name in known[field] and name not in known[other_field]:
                query = query.model_copy(update={field: text.strip(), "topic": None if text == query.topic else query.topic,
                                                 "other": [o for o in query.other if o != text],
                                                 other_field: None if text == getattr(query, other_field) else getattr(query, other_field)})
    return query


class MetadataStrategy(Strategy):
    kind = "metadata"
    gated = False
    eager = True  # the model's filter decides: a question the router is unsure of is still asked for one
    few_shots = ("metadata_filter",)

    @classmethod
    def offer(cls, tools, question: str, route) -> "MetadataStrategy | None":
        """Taken when the router gives the kind some probability and the filter the model writes constrains something."""
        if route.scores.get(cls.kind, 0.0) < tools.settings.answer.metadata.route_above:
            return None
        query = write_filter(tools, question)
        return cls(tools, query) if query else None

    def __init__(self, tools, query: PaperFilter):
        super().__init__(tools)
        self.query = resolve(query, tools.store.papers())
        self.needs_retrieval = bool(self.query.topic)  # the topic is searched among the retrieved papers
        self.k = self.settings.answer.metadata.candidates

    def search_text(self, question: str) -> str:
        return self.query.topic or question

    def search_within(self, within: frozenset[str] | None) -> frozenset[str] | None:
        """The topic is searched among the papers the filter keeps (and the user's scope); none kept: everywhere, so
        that the answer says that no paper matches."""
        kept = {m["paper_id"] for m in self._kept(self.tools.store.papers())}
        return frozenset(kept if within is None else kept & within) or within

    def _kept(self, papers: list[dict]) -> list[dict]:
        return self.query.model_copy(update={"limit": None, "topic": None}).apply(papers)

    def _about_topic(self, question: Question, found: list[dict]) -> list[dict]:
        """The papers of ``found`` about the question's topic: of those retrieved for it, the best ``topic_judged``
        each judged by the model to be about it (judge.py ``about_topic``), or, without, close enough in meaning."""
        settings = self.settings.answer.metadata
        allowed = {m["paper_id"] for m in found}
        hits = [h for h in question.hits if h.paper_id in allowed]
        if settings.topic_judged and hits:
            hits = hits[: settings.topic_judged]
            asked = Question(f"Which papers are about {self.query.topic}?", question.embedding, hits)
            evidence = self.tools.evidence(asked)
            odds = about_topic(self.tools, self.query.topic, evidence, settings.topic_sentences)
            about = {e.hit.paper_id for score, e in zip(odds, evidence, strict=True) if score >= settings.topic_min_odds}
            hits = [h for h in hits if h.paper_id in about]
        else:
            hits = [h for h in hits if (h.relevance or 0.0) >= settings.topic_relevance]
        rank = {h.paper_id: i for i, h in enumerate(hits)}
        found = [m for m in found if m["paper_id"] in rank]
        return found if self.query.sort else sorted(found, key=lambda m: rank[m["paper_id"]])

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        answer.basis = "metadata"
        papers = [m for m in self.tools.store.papers() if question.within is None or m["paper_id"] in question.within]
        unapplied = self.query.unapplied(papers)
        note = self.settings.answer.unapplied.format(fields=", ".join(unapplied)) if unapplied else ""
        if not self.query.model_copy(update={"other": []}) or unapplied and not asks_for_papers(self.tools, question.text):
            answer.text, answer.refused = f"{self.settings.answer.refusal} {note}", True
            yield answer.text
            return
        found = self._kept(papers)
        if self.query.topic:
            found = self._about_topic(question, found)
        found = found[: self.query.limit] if self.query.limit else found
        if not found:
            answer.text = " ".join(filter(None, [self.settings.answer.no_match.format(filter=self.query.describe()), note]))
            yield answer.text
            return
        most = self.settings.answer.metadata.max_listed
        lines = [" ".join(filter(None, [f"Filter: {self.query.describe()}.", note]))]
        for meta in found[:most]:
            hit = Hit(meta["paper_id"], meta["title"], 0.0, describe(meta), f"{meta['paper_id']}#0", dict(meta))
            lines.append(f"- {meta['title']} — {describe(meta)} [{answer.cite(hit)}]")
        lines += [f"… and {len(found) - most} more."] if len(found) > most else []
        yield from self.lines(answer, lines)
