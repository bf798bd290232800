"""Metadata questions ('from Kyutai', 'posted in October', 'most upvoted', 'by <author>', 'after 2022',
'in cs.CL', 'more than 10 authors'): filtered and sorted from the store, never written by the model.
One line per matching paper with the metadata that matched."""

from collections.abc import Iterator

from rag.answer.strategies.base import Question, Strategy
from rag.answer.types import Answer
from rag.retrieve.metadata import MetadataQuery
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


class MetadataStrategy(Strategy):
    kind = "metadata"
    needs_retrieval = False

    def __init__(self, tools, query: MetadataQuery):
        super().__init__(tools)
        self.query = query

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        answer.basis = "metadata"
        found = self.query.apply(self.tools.store.papers())
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
        yield from self.lines(answer, lines)
