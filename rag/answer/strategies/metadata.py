"""Metadata questions ('from Kyutai', 'posted in October', 'most upvoted', 'by <author>', 'after 2022',
'in cs.CL', 'more than 10 authors'): filtered and sorted from the store, never written by the model.
One line per matching paper with the metadata that matched."""

from collections.abc import Iterator

from rag.answer.strategies.base import Question, Strategy
from rag.answer.types import Answer
from rag.answer.guards import content_words
from rag.retrieve.metadata import MONTHS, MetadataQuery
from rag.retrieve.retriever import Hit

MAX_LISTED = 25
SHOWN = ("date", "organisation", "authors", "n_authors", "upvotes", "categories", "venue", "year")


def describe(meta: dict) -> str:
    parts = []
    for key in SHOWN:
        value = meta.get(key)
        if value in (None, ""):
            continue
        if key == "upvotes":
            parts.append(f"{value} upvotes")
        elif key == "n_authors":
            parts.append(f"{value} authors")
        elif key == "authors":
            names = [a.strip() for a in str(value).split(",")]
            parts.append(", ".join(names[:3]) + (" et al." if len(names) > 3 else ""))
        else:
            parts.append(str(value))
    return " · ".join(parts)


# Words a metadata question uses besides its values; any other word is a topic, which the store must know.
META_WORDS = set("""come comes came coming posted published released appeared appear upvoted upvotes upvote likes liked
popular popularity most authors author authored written wrote list show give find organisation organization lab labs
company companies institution group month months year years date dated newest latest oldest recent recently earliest
top category categories collection corpus indexed anything everything more fewer less least number sorted sort order
many much ones one two three four five six seven eight nine ten first last after before since until during""".split())


def topic_words(question: str, query: MetadataQuery) -> set[str]:
    """The question's words that are neither metadata values nor metadata vocabulary."""
    values = " ".join(str(v) for v in (query.organisation, query.author, query.category) if v).lower()
    return {w for w in content_words(question) if w not in META_WORDS and w not in values and not w.isdigit()
            and w[:3] not in MONTHS}


class MetadataStrategy(Strategy):
    kind = "metadata"
    gated = False  # "which papers come from Kyutai?" is far from every passage; the filter decides
    k = 40  # with a topic ("after 2022 on mixture of experts"), the matching papers among these many

    def __init__(self, tools, query: MetadataQuery):
        super().__init__(tools)
        self.query = query

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        answer.basis = "metadata"
        closest = max((h.relevance or 0.0 for h in question.hits), default=0.0)
        topic = topic_words(question.text, self.query)
        if topic and closest < self.settings.answer.min_relevance:
            yield from self.refuse(answer, "the question asks about more than the metadata the store holds")
            return
        found = self.query.apply(self.tools.store.papers())
        if topic:  # only the papers about the topic, in the filter's order
            on_topic = {h.paper_id for h in question.hits if (h.relevance or 0.0) >= self.settings.answer.source_relevance}
            found = [m for m in found if m["paper_id"] in on_topic]
        if not found:
            answer.text = f"No indexed paper matches {self.query.describe()}."
            yield answer.text
            return
        lines = []
        for meta in found[:MAX_LISTED]:
            hit = Hit(meta["paper_id"], meta["title"], 0.0, describe(meta), f"{meta['paper_id']}#0", dict(meta))
            lines.append(f"- {meta['title']} — {describe(meta)} [{answer.cite(hit)}]")
        if len(found) > MAX_LISTED:
            lines.append(f"… and {len(found) - MAX_LISTED} more ({self.query.describe()}).")
        for i, line in enumerate(lines):
            text = ("\n" if i else "") + line
            answer.text += text
            yield text
