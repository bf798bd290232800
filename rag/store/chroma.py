"""The chunk store: one Chroma collection, embedded (PersistentClient) or on a server (HttpClient).

Chunks are written and queried through llama-index's ``ChromaVectorStore``; this module adds what a
long-lived index needs around it:
- the collection records which embedder built it, and a store built by another one is refused;
- a ``revision`` in the collection metadata changes on every write, so caches built from the
  store (the BM25 index) know when they are stale, even when the store is on a server;
- a manifest of what is stored per paper (content fingerprint, chunks present vs expected), which is
  how ingestion skips unchanged papers and completes ones an interrupted run left half-written.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import chromadb
from chromadb.config import Settings as ChromaSettings

from rag.errors import UserError
from rag.settings import Settings


@dataclass
class StoredPaper:
    fingerprint: str
    expected_chunks: int
    source: str = ""
    present_chunks: int = 0

    @property
    def complete(self) -> bool:
        return self.present_chunks == self.expected_chunks


def _client(settings: Settings):
    # A fresh object per client: chromadb mutates it (HttpClient switches its API implementation), and
    # equal values keep a second client on the same path acceptable to Chroma.
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as err:  # chromadb raises a plain ValueError/ConnectionError on an unreachable server
            raise UserError(f"cannot reach the Chroma server at {settings.chroma_host}:{settings.chroma_port} ({err})") from err
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class PaperStore:
    def __init__(self, settings: Settings, embed_model: str, embed_dim: int):
        self.settings = settings
        self.embed_model = embed_model
        self.embed_dim = embed_dim
        self.client = _client(settings)
        self.collection = self.client.get_or_create_collection(
            settings.collection,
            configuration={"hnsw": {"space": "cosine"}},
            metadata=self._identity(),
            embedding_function=None,  # we always pass embeddings; Chroma's default would download a model
        )
        self._check_embedder()

    def _identity(self) -> dict:
        return {"embed_model": self.embed_model, "embed_dim": self.embed_dim}

    def _check_embedder(self) -> None:
        meta = self.collection.metadata or {}
        stored = (meta.get("embed_model"), meta.get("embed_dim"))
        if stored != (self.embed_model, self.embed_dim) and self.collection.count() > 0:
            raise UserError(
                f"the store {self.location} was built with embedder {stored[0]} ({stored[1]} dims), "
                f"not {self.embed_model} ({self.embed_dim} dims); use another PAPERCHAT_DATA_DIR or "
                f"collection, or re-ingest into an empty one"
            )

    @property
    def location(self) -> str:
        if self.settings.chroma_host:
            return f"chroma://{self.settings.chroma_host}:{self.settings.chroma_port}/{self.settings.collection}"
        return f"{self.settings.chroma_dir} (collection {self.settings.collection})"

    @cached_property
    def vector_store(self):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection)

    # --- revision: changes on every write -------------------------------------------------------
    def revision(self) -> str:
        fresh = self.client.get_collection(self.settings.collection, embedding_function=None)
        return str((fresh.metadata or {}).get("revision", "0"))

    def bump_revision(self) -> None:
        self.collection.modify(metadata=self._identity() | {"revision": uuid.uuid4().hex})

    # --- reading ---------------------------------------------------------------------------------
    def count_chunks(self) -> int:
        return self.collection.count()

    def manifest(self) -> dict[str, StoredPaper]:
        papers: dict[str, StoredPaper] = {}
        present: dict[str, int] = defaultdict(int)
        for meta in self._all(include=["metadatas"])["metadatas"]:
            pid = meta["paper_id"]
            present[pid] += 1
            papers.setdefault(pid, StoredPaper(meta.get("fingerprint", ""), int(meta.get("n_chunks", 0)), meta.get("source", "")))
        for pid, n in present.items():
            papers[pid].present_chunks = n
        return papers

    def chunks_by_paper(self, paper_ids: list[str] | None = None) -> dict[str, tuple[dict, list[str]]]:
        """paper_id -> (metadata of its first chunk, its chunk texts in order)."""
        if paper_ids is None:
            got = self._all(include=["documents", "metadatas"])
        else:
            got = self.collection.get(where={"paper_id": {"$in": paper_ids}}, include=["documents", "metadatas"])
        parts: dict[str, list[tuple[int, dict, str]]] = defaultdict(list)
        for text, meta in zip(got["documents"], got["metadatas"], strict=True):
            parts[meta["paper_id"]].append((int(meta.get("chunk", 0)), meta, text))
        out = {}
        for pid, chunks in parts.items():
            chunks.sort(key=lambda item: item[0])
            out[pid] = (chunks[0][1], [text for _, _, text in chunks])
        return out

    def papers(self) -> list[dict]:
        """One metadata dict per paper (its first chunk's): the table metadata questions filter and sort."""
        got = self.collection.get(where={"chunk": 0}, include=["metadatas"])
        return list(got["metadatas"])

    def all_chunks(self) -> dict:
        return self._all(include=["documents", "metadatas"])

    def _all(self, include: list[str], page: int = 5000) -> dict:
        out: dict[str, list] = {"ids": [], **{key: [] for key in include}}
        offset = 0
        while True:
            batch = self.collection.get(include=include, limit=page, offset=offset)
            for key in out:
                out[key].extend(batch[key])
            if len(batch["ids"]) < page:
                return out
            offset += page

    # --- writing ---------------------------------------------------------------------------------
    def add(self, nodes: list) -> None:
        """Nodes must carry embeddings. Ids are deterministic, so a retried write cannot duplicate."""
        self.vector_store.add(nodes)

    def delete_papers(self, paper_ids: list[str]) -> None:
        for start in range(0, len(paper_ids), 500):
            self.collection.delete(where={"paper_id": {"$in": paper_ids[start : start + 500]}})
