"""The small SQLite files the apps keep in the data directory (feedback, conversations): one way to open them."""

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection whose work is committed (fully synced to disk) when the block ends, rolled back if it raises, and
    closed either way: what a caller was told is saved survives a crash, and nothing is ever half-written."""
    con = sqlite3.connect(path, timeout=30)
    try:
        con.execute("PRAGMA synchronous = FULL")
        with con:
            yield con
    finally:
        con.close()


def create(path: Path, *statements: str) -> None:
    """Make the file (and its folder) if need be, with its tables: ``statements`` run once, in one transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction(path) as con:
        for statement in statements:
            con.execute(statement)
