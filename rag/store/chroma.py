"""The paper store: two Chroma collections, embedded (PersistentClient) or on a server (HttpClient).

- ``chunks``: the abstracts' chunks with their vectors, written and queried through llama-index's
  ``ChromaVectorStore``;
- the catalog (``catalog.py``): one record per paper, written after its chunks.

Around them, what a long-lived index needs:
- the collection records which embedder built it, and a store built by another one is refused;
- a ``revision`` in the collection metadata changes on every write, so caches built from the
  store (the BM25 index, the paper table) know when they are stale, even when the store is on a server.
"""

import hashlib
import uuid
from collections import defaultdict
from functools import cached_property

import chromadb
from chromadb.config import Settings as ChromaSettings

from rag.errors import UserError
from rag.settings import Settings
from rag.store.catalog import Catalog, StoredPaper, pages, record

__all__ = ["PaperStore", "StoredPaper"]


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
        self.catalog = Catalog(self.client.get_or_create_collection(
            f"{settings.collection}-catalog", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None))
        self._table: tuple[str, list[dict]] | None = None

    @property
    def legacy(self) -> bool:
        """Chunks without a catalog: a store written by PaperChat before the catalog existed."""
        return self.catalog.count() == 0 and self.collection.count() > 0

    def reset(self) -> None:
        """Empty both collections (a legacy store is re-indexed from its sources)."""
        for name in (self.settings.collection, f"{self.settings.collection}-catalog"):
            self.client.delete_collection(name)
        self.__init__(self.settings, self.embed_model, self.embed_dim)
        self.__dict__.pop("vector_store", None)

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

    def count_papers(self) -> int:
        return self.catalog.count()

    def stored(self, paper_ids: list[str]) -> dict[str, StoredPaper]:
        return self.catalog.stored(paper_ids)

    def chunks_by_paper(self, paper_ids: list[str]) -> dict[str, tuple[dict, list[str]]]:
        """paper_id -> (metadata of its first chunk, its chunk texts in order)."""
        got = self.collection.get(where={"paper_id": {"$in": list(paper_ids)}}, include=["documents", "metadatas"])
        parts: dict[str, list[tuple[int, dict, str]]] = defaultdict(list)
        for text, meta in zip(got["documents"], got["metadatas"], strict=True):
            parts[meta["paper_id"]].append((int(meta.get("chunk", 0)), meta, text))
        out = {}
        for pid, chunks in parts.items():
            chunks.sort(key=lambda item: item[0])
            out[pid] = (chunks[0][1], [text for _, _, text in chunks])
        return out

    def papers(self) -> list[dict]:
        """One metadata dict per paper (the catalog's), read once per store revision."""
        revision = self.revision()
        if self._table is None or self._table[0] != revision:
            key = hashlib.sha1(self.location.encode()).hexdigest()[:12]
            self._table = (revision, self.catalog.table(self.settings.cache_dir / "catalog" / f"{key}.json", revision))
        return self._table[1]

    def chunk_texts(self):
        """(ids, texts) of every chunk, a page at a time (what the BM25 index is built from)."""
        for page in pages(self.collection, include=["documents"]):
            yield page["ids"], page["documents"]

    # --- writing ---------------------------------------------------------------------------------
    def write(self, papers: list[tuple], nodes: list, vectors) -> None:
        """Replace these papers ((Paper, fingerprint, n_chunks) each) by ``nodes`` (carrying embeddings, in paper
        order) and then their catalog records. Chunk ids are deterministic and old chunks are deleted first, so a
        retried or interrupted write never duplicates."""
        self.collection.delete(where={"paper_id": {"$in": [paper.paper_id for paper, _, _ in papers]}})
        self.vector_store.add(nodes)
        records, start = [], 0
        for paper, fingerprint, n in papers:
            records.append(record(paper, fingerprint, vectors[start : start + n]))
            start += n
        self.catalog.upsert(records)

    def delete_papers(self, paper_ids: list[str]) -> None:
        self.catalog.delete(paper_ids)  # the record first: a paper half-deleted is no longer "stored"
        for start in range(0, len(paper_ids), 500):
            self.collection.delete(where={"paper_id": {"$in": paper_ids[start : start + 500]}})
