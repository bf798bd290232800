"""Votes on answers, kept durably in the data directory (SQLite), and exported as a QA set the evaluation runs.

Each vote is one committed row (SQLite's journal: a crash never loses a vote already acknowledged nor leaves half of
one). The export (``paperchat feedback export FILE``) writes ``eval/README.md``'s format:
- an up-vote: the question, the papers the answer cited as gold, the note (if any) as ``must_include``;
- a down-vote marked "nothing in the papers answers it": the question alone (an unanswerable item: refuse);
- a down-vote whose note is an indexed paper's title: that paper as gold;
- a down-vote with another note: the note as ``must_include`` (what the right answer contains), the cited papers
  as gold (write the right paper's title as the note when the paper itself was wrong);
- a down-vote with neither: kept and listed, not exported (there is nothing to test it against).
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rag.records import normalise_title
from rag.sqlite import create, transaction

SCHEMA = """CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, user TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL, answer TEXT NOT NULL, cited TEXT NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
    note TEXT NOT NULL DEFAULT '', unanswerable INTEGER NOT NULL DEFAULT 0)"""


@dataclass(frozen=True)
class Vote:
    id: int
    at: float
    user: str
    question: str
    answer: str
    cited: list[dict]  # [{paper_id, title}] as the answer cited them
    vote: str  # "up" or "down"
    note: str = ""
    unanswerable: bool = False


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = path
        create(path, SCHEMA)

    def add(self, question: str, answer: dict, vote: str, note: str = "", unanswerable: bool = False,
            user: str = "") -> int:
        """Record a vote on ``answer`` (its JSON form); committed before this returns. Returns its id."""
        if vote not in ("up", "down"):
            raise ValueError(f"a vote is 'up' or 'down', not {vote!r}")
        cited = [{"paper_id": c["paper_id"], "title": c.get("title", "")} for c in answer.get("citations") or []]
        with transaction(self.path) as con:
            cursor = con.execute(
                "INSERT INTO feedback (at, user, question, answer, cited, vote, note, unanswerable) VALUES (?,?,?,?,?,?,?,?)",
                (time.time(), user or "", question, answer.get("answer") or "", json.dumps(cited), vote,
                 " ".join(note.split()), int(bool(unanswerable and vote == "down"))))
            return int(cursor.lastrowid)

    def votes(self, user: str | None = None) -> list[Vote]:
        """Every vote, oldest first; only ``user``'s when given."""
        query, args = "SELECT id, at, user, question, answer, cited, vote, note, unanswerable FROM feedback", ()
        if user is not None:
            query, args = query + " WHERE user = ?", (user,)
        with transaction(self.path) as con:
            rows = con.execute(query + " ORDER BY id", args).fetchall()
        return [Vote(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], bool(r[8])) for r in rows]


def qa_item(vote: Vote, title_of: Callable[[str], str | None]) -> dict | None:
    """The QA item a vote makes (None: nothing to test); ``title_of(text)`` is the indexed title ``text`` names."""
    item = {"qid": f"fb{vote.id}", "question": vote.question, "type": "feedback"}
    gold = [c["paper_id"] for c in vote.cited]
    if vote.vote == "up":
        return item | {"gold_ids": gold, "answer": vote.answer} | ({"must_include": [vote.note]} if vote.note else {})
    if vote.unanswerable:
        return item | {"type": "unanswerable"}
    if not vote.note:
        return None
    if title := title_of(vote.note):
        return item | {"gold_titles": [title]}
    return item | {"gold_ids": gold, "must_include": [vote.note]} if gold else None


def export(store: FeedbackStore, path: Path, titles: list[str]) -> tuple[int, int]:
    """Write the votes' QA items to ``path`` as JSONL (whole, or not at all); (items written, votes skipped)."""
    by_key = {normalise_title(t): t for t in titles}
    made = [qa_item(vote, lambda text: by_key.get(normalise_title(text))) for vote in store.votes()]
    items = [item for item in made if item]
    partial = path.with_name(path.name + ".partial")
    partial.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    partial.replace(path)
    return len(items), len(made) - len(items)
