"""The indexed papers as the apps show them (the UI's Papers tab, ``paperchat search``): records with their date
parsed, one paper's abstract, and a one-line description of a record. Apps use this, never the store directly."""

from rag.ingest.chunking import unique_sentences
from rag.records import author_names, chronology
from rag.store import PaperStore

SHOWN = ("date", "organisation", "authors", "n_authors", "upvotes", "categories", "venue", "year")


def describe(meta: dict) -> str:
    """A paper's stored metadata on one line: 'Oct 23 · Kyutai · 5 authors · 21 upvotes'."""
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
            names = author_names(meta)
            parts.append(", ".join(names[:3]) + (" et al." if len(names) > 3 else ""))
        else:
            parts.append(str(value))
    return " · ".join(parts)


def record(meta: dict) -> dict:
    """A stored paper's metadata with ``when``: its place in time, for sorting (metadata.chronology)."""
    return meta | {"when": chronology(meta)}


class PaperService:
    def __init__(self, store: PaperStore):
        self.store = store

    def revision(self) -> str:
        """Changes whenever the indexed papers do."""
        return self.store.revision()

    def records(self) -> list[dict]:
        """Every paper's ``record``."""
        return [record(meta) for meta in self.store.papers()]

    def abstracts(self, paper_ids: list[str]) -> dict[str, str]:
        """Each known paper's abstract, in one read of the store."""
        return {pid: " ".join(unique_sentences(chunks)) for pid, (_, chunks) in self.store.chunks_by_paper(paper_ids).items()}

    def abstract(self, paper_id: str) -> tuple[str, str]:
        """(title, abstract) of one paper; empty strings for an unknown id."""
        meta, chunks = self.store.chunks_by_paper([paper_id]).get(paper_id, ({}, []))
        return meta.get("title", ""), " ".join(unique_sentences(chunks))
