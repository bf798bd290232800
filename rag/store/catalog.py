"""The catalog: one record per stored paper, in a second collection beside the chunks.

It is the store's bookkeeping and its table of papers:
- ``fingerprint`` and ``n_chunks`` tell ingestion what is stored, looked up by id for one batch of papers at
  a time, so a repeat ingest never reads the whole store;
- a paper's record is written *after* all its chunks, so a paper without a record (or with another
  fingerprint) is rewritten by the next ingest: that is how a killed run is completed;
- the display metadata (title, date, authors, venue, organisation, categories, upvotes) and the paper's
  name-like ``terms`` serve the Papers tab, ``info``, metadata questions and naming, without touching chunks;
- its vector is the mean of the paper's chunk vectors (a paper-level embedding).
A local snapshot of all records (per store revision) lets a new process read the table in one file read.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import orjson

from rag.records import Paper
from rag.text import name_terms

PAGE = 5000


@dataclass
class StoredPaper:
    fingerprint: str
    n_chunks: int
    source: str = ""


def pages(collection, include: list[str]):
    """A whole collection, ``PAGE`` records at a time."""
    offset = 0
    while True:
        page = collection.get(include=include, limit=PAGE, offset=offset)
        yield page
        if len(page["ids"]) < PAGE:
            return
        offset += PAGE


def record(paper: Paper, fingerprint: str, vectors: np.ndarray) -> tuple[str, list[float], str, dict]:
    """(id, embedding, document, metadata) of a paper's catalog record."""
    mean = vectors.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
    meta = paper.metadata() | {"fingerprint": fingerprint, "n_chunks": len(vectors),
                               "terms": " ".join(sorted(name_terms(paper.abstract)))}
    return paper.paper_id, mean.tolist(), paper.title, meta


class Catalog:
    def __init__(self, collection):
        self.collection = collection

    def count(self) -> int:
        return self.collection.count()

    def stored(self, paper_ids: list[str]) -> dict[str, StoredPaper]:
        if not paper_ids:  # Chroma refuses an empty id list
            return {}
        got = self.collection.get(ids=list(dict.fromkeys(paper_ids)), include=["metadatas"])
        return {pid: StoredPaper(m.get("fingerprint", ""), int(m.get("n_chunks", 0)), m.get("source", ""))
                for pid, m in zip(got["ids"], got["metadatas"], strict=True)}

    def paper_ids(self) -> list[str]:
        return [pid for page in pages(self.collection, include=[]) for pid in page["ids"]]

    def metadatas(self) -> list[dict]:
        return [meta for page in pages(self.collection, include=["metadatas"]) for meta in page["metadatas"]]

    def table(self, snapshot: Path, revision: str) -> list[dict]:
        """Every record's metadata, from a local snapshot of this revision (one file read, ~0.5 s at 100,000
        papers) or from the collection, then snapshotted (written aside and renamed: never half a file)."""
        try:
            saved = orjson.loads(snapshot.read_bytes())
            if saved["revision"] == revision:
                return saved["papers"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
        papers = self.metadatas()
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        staging = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")
        staging.write_bytes(orjson.dumps({"revision": revision, "papers": papers}))
        os.replace(staging, snapshot)
        return papers

    def upsert(self, records: list[tuple[str, list[float], str, dict]]) -> None:
        if records:
            ids, vectors, documents, metas = (list(column) for column in zip(*records, strict=True))
            self.collection.upsert(ids=ids, embeddings=vectors, documents=documents, metadatas=metas)

    def delete(self, paper_ids: list[str]) -> None:
        for start in range(0, len(paper_ids), PAGE):
            self.collection.delete(ids=paper_ids[start : start + PAGE])
