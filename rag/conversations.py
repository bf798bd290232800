"""Chats that last: each conversation (its messages as the page shows them, and its answers' JSON) saved in the data
directory (SQLite), under its owner: the logged-in user, or a browser's own random id when the page has no logins.
Every read, write and delete names the owner, so one owner never lists, opens or deletes another's chats."""

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from rag.sqlite import create, transaction

SCHEMA = """CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL, updated REAL NOT NULL,
    messages TEXT NOT NULL, answers TEXT NOT NULL)"""
TITLE_CHARS = 60


@dataclass(frozen=True)
class Conversation:
    id: str
    title: str
    updated: float
    messages: list[dict]  # [{role, content}] as the chat shows them
    answers: list[dict]  # each finished answer's JSON (Answer.to_json), for export and feedback


def new_id() -> str:
    return uuid.uuid4().hex


class ConversationStore:
    def __init__(self, path: Path):
        self.path = path
        create(path, SCHEMA, "CREATE INDEX IF NOT EXISTS by_owner ON conversations (owner, updated)")

    def save(self, owner: str, conversation_id: str, messages: list[dict], answers: list[dict], title: str) -> None:
        """Write the whole conversation (replacing what was saved under its id, if ``owner``'s); ``title``: its first
        question, as the list shows it."""
        title = " ".join(title.split())[:TITLE_CHARS] or "New chat"
        with transaction(self.path) as con:
            con.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conversation_id, owner))
            if con.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)).fetchone():
                raise PermissionError("that conversation belongs to someone else")
            con.execute("INSERT INTO conversations VALUES (?,?,?,?,?,?)", (conversation_id, owner, title, time.time(),
                        json.dumps(messages, ensure_ascii=False), json.dumps(answers, ensure_ascii=False)))

    def titles(self, owner: str) -> list[tuple[str, str]]:
        """(id, title) of ``owner``'s conversations, the latest first."""
        with transaction(self.path) as con:
            return con.execute("SELECT id, title FROM conversations WHERE owner = ? ORDER BY updated DESC",
                               (owner,)).fetchall()

    def load(self, owner: str, conversation_id: str) -> Conversation | None:
        with transaction(self.path) as con:
            row = con.execute("SELECT id, title, updated, messages, answers FROM conversations WHERE id = ? AND owner = ?",
                              (conversation_id, owner)).fetchone()
        return Conversation(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4])) if row else None

    def delete(self, owner: str, conversation_id: str) -> bool:
        with transaction(self.path) as con:
            return con.execute("DELETE FROM conversations WHERE id = ? AND owner = ?",
                               (conversation_id, owner)).rowcount > 0
