"""What an answer is: its text, the papers it cites, and how it was reached."""

from dataclasses import asdict, dataclass, field

from rag.retrieve.retriever import Hit


@dataclass
class Citation:
    n: int
    paper_id: str
    title: str
    passage: str
    metadata: dict = field(default_factory=dict)


@dataclass
class Answer:
    question: str
    standalone_question: str
    text: str
    citations: list[Citation]
    refused: bool
    retrieved: list[Hit]
    timings: dict
    refusal_reason: str | None = None
    kind: str = "detail"  # the question kind that decided the strategy (rag.answer.kinds)
    basis: str = "model"  # "model", "evidence" (sentences chosen from the abstracts) or "metadata" (store filters)
    verdict: str | None = None  # yes/no questions: "yes", "no" or "unsettled"
    decision: dict = field(default_factory=dict)  # the numbers a strategy decided on (judge score, verdict margin)
    scope: str = ""  # the subset of papers the user limited the question to, described ("" = all)

    @property
    def uncited(self) -> list[Hit]:
        """Retrieved papers the answer does not cite: 'also retrieved', or 'possibly related' on refusal."""
        cited = {c.paper_id for c in self.citations}
        return [h for h in self.retrieved if h.paper_id not in cited]

    def cite(self, hit: Hit, passage: str | None = None) -> int:
        """The citation number of ``hit`` in this answer, adding it on first use."""
        for c in self.citations:
            if c.paper_id == hit.paper_id:
                return c.n
        self.citations.append(Citation(len(self.citations) + 1, hit.paper_id, hit.title, passage or hit.passage, hit.metadata))
        return len(self.citations)

    def to_json(self) -> dict:
        return {
            "answer": self.text,
            "kind": self.kind,
            "verdict": self.verdict,
            "citations": [asdict(c) for c in self.citations],
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "basis": self.basis,
            "scope": self.scope,
            "question": self.question,
            "standalone_question": self.standalone_question,
            "retrieved": [{"paper_id": h.paper_id, "title": h.title, "score": round(h.score, 4),
                           "relevance": None if h.relevance is None else round(h.relevance, 4), "passage": h.passage}
                          for h in self.retrieved],
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "decision": {k: round(v, 3) for k, v in self.decision.items()},
        }
