"""The BM25 index as a llama-index retriever (for reciprocal-rank fusion with the dense one), kept fresh."""

import threading

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle
from llama_index.core.vector_stores.utils import metadata_dict_to_node

from rag.retrieve.bm25 import BM25Index
from rag.store import PaperStore


class BM25Retriever(BaseRetriever):
    def __init__(self, store: PaperStore, top_k: int):
        super().__init__()
        self.store, self.top_k, self.within = store, top_k, None
        self.index: BM25Index | None = None
        self._building: threading.Thread | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Up to date with the store: load the saved index of this revision, or build it; while an older index
        is loaded, the build runs in a thread and searches use the older one until it is done."""
        revision = self.store.revision()
        if self.index is not None and self.index.revision == revision:
            return
        if (saved := BM25Index.load(self.store, revision)) is not None:
            self.index = saved
        elif self.index is None:
            self.index = BM25Index.load(self.store) or BM25Index.build(self.store, revision)
            if self.index.revision != revision:
                self._build_in_background(revision)
        else:
            self._build_in_background(revision)

    def _build_in_background(self, revision: str) -> None:
        with self._lock:
            if self._building is not None and self._building.is_alive():
                return

            def build() -> None:
                self.index = BM25Index.build(self.store, revision)

            self._building = threading.Thread(target=build, name="bm25-build", daemon=True)
            self._building.start()

    def scoped(self, within: frozenset[str]) -> "BM25Retriever":
        """A retriever over the same index that finds only the papers ``within`` (for one search)."""
        self.refresh()
        scoped = BM25Retriever(self.store, self.top_k)
        scoped.index, scoped.within = self.index, within
        scoped.refresh = lambda: None  # this one search uses the index it was given
        return scoped

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        self.refresh()
        found = self.index.search(query_bundle.query_str, self.top_k, self.within)
        if not found:
            return []
        got = self.store.collection.get(ids=[cid for cid, _ in found], include=["documents", "metadatas"])
        nodes = {cid: metadata_dict_to_node(meta, text=text)
                 for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)}
        return [NodeWithScore(node=nodes[cid], score=score) for cid, score in found if cid in nodes]
