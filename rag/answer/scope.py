"""Ask within a subset: the papers a question may use, chosen by the user (a metadata filter, as ``paperchat search``
takes, and/or papers picked by id). Every kind answers from that subset only: retrieval never finds a paper outside
it (rag/retrieve), and metadata listings filter inside it. The answer says which scope it used."""

from dataclasses import dataclass

from rag.retrieve.metadata import PaperFilter


@dataclass(frozen=True)
class Scope:
    filter: PaperFilter | None = None  # its record constraints only (a topic or sort means nothing here)
    papers: frozenset[str] | None = None  # paper ids

    def __bool__(self) -> bool:
        return bool(self.filter and self.filter.constraints()) or self.papers is not None

    def within(self, records: list[dict]) -> frozenset[str] | None:
        """The ids of the papers in scope among ``records`` (None: no scope, every paper)."""
        if not self:
            return None
        return frozenset(m["paper_id"] for m in records if (self.papers is None or m["paper_id"] in self.papers)
                         and (self.filter is None or self.filter.matches(m)))

    def describe(self) -> str:
        parts = [self.filter.describe()] if self.filter and self.filter.constraints() else []
        if self.papers is not None:
            parts.append(f"{len(self.papers)} chosen paper{'s' if len(self.papers) != 1 else ''}")
        return "; ".join(parts)
