"""Question -> ranked papers: dense (embedder + Chroma), BM25, or both fused by reciprocal rank.

Each retriever returns chunks; fusion ranks chunks; results are then grouped per paper, so a paper
appears once, with its best-matching passage.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from rag import embedder
from rag.errors import UserError
from rag.retrieve.keyword import BM25Retriever
from rag.settings import RetrievalMode, Settings
from rag.store import PaperStore, open_store
from rag.text import clean_query


@dataclass
class Hit:
    paper_id: str
    title: str
    score: float  # the mode's own score: cosine (dense), BM25, or reciprocal-rank fusion
    passage: str
    chunk_id: str
    metadata: dict = field(default_factory=dict)
    relevance: float | None = None  # cosine(question, passage), comparable across modes; set on request


class PaperRetriever:
    def __init__(self, settings: Settings, store: PaperStore | None = None):
        self.settings = settings
        self.store = store or open_store(settings)
        self._bm25: BM25Retriever | None = None
        self._dense = None

    # --- components, built on first use ----------------------------------------------------------
    def _dense_retriever(self, within: frozenset[str] | None = None):
        """The dense retriever; over the papers ``within`` only, when given (Chroma filters on the paper id)."""
        if self._dense is None:
            from llama_index.core import VectorStoreIndex

            index = VectorStoreIndex.from_vector_store(self.store.vector_store, embed_model=self._embed_model())
            self._dense = index, index.as_retriever(similarity_top_k=self.settings.retrieval.candidates)
        if within is None:
            return self._dense[1]
        from llama_index.core.vector_stores import FilterOperator, MetadataFilter, MetadataFilters

        only = MetadataFilters(filters=[MetadataFilter(key="paper_id", value=sorted(within), operator=FilterOperator.IN)])
        return self._dense[0].as_retriever(similarity_top_k=self.settings.retrieval.candidates, filters=only)

    def _embed_model(self):
        return embedder.load_embed_model(self.settings)

    def _bm25_retriever(self) -> BM25Retriever:
        if self._bm25 is None:
            self._bm25 = BM25Retriever(self.store, self.settings.retrieval.candidates)
        self._bm25.refresh()
        return self._bm25

    def warm_up(self, mode: RetrievalMode | None = None) -> None:
        mode = mode or self.settings.retrieval.mode
        if self.store.count_chunks() == 0:
            return
        if mode != "bm25":
            self._dense_retriever()
        if mode != "dense":
            self._bm25_retriever()
        self.store.papers()  # the paper table metadata questions and the Papers tab read

    # --- search ----------------------------------------------------------------------------------
    def embed_query(self, query: str) -> list[float]:
        return self._embed_model().get_query_embedding(query)

    def search(self, query: str, k: int | None = None, mode: RetrievalMode | None = None, with_relevance: bool = False,
               query_embedding: list[float] | None = None, within: frozenset[str] | None = None) -> list[Hit]:
        """``query_embedding``, when the caller has it already, saves embedding the question again; ``within``: only
        these papers may be found (a scope the user chose)."""
        from llama_index.core.schema import QueryBundle

        query = clean_query(query)
        k = k or self.settings.retrieval.top_k
        mode = mode or self.settings.retrieval.mode
        if self.store.count_chunks() == 0:
            raise UserError("the index is empty: run `paperchat ingest` first")
        bundle = QueryBundle(query, embedding=query_embedding)
        if bundle.embedding is None and (mode != "bm25" or with_relevance):
            bundle.embedding = self.embed_query(query)
        if within is not None and not within:
            return []
        nodes = self._retrieve(bundle, mode, within)
        hits = self._group_by_paper(nodes, k, mode)
        if with_relevance:
            self._add_relevance(hits, bundle.embedding)
        return hits

    def _retrieve(self, bundle, mode: RetrievalMode, within: frozenset[str] | None = None):
        dense = self._dense_retriever(within) if mode != "bm25" else None
        keyword = None
        if mode != "dense":
            keyword = self._bm25_retriever() if within is None else self._bm25_retriever().scoped(within)
        if mode == "dense":
            return dense.retrieve(bundle)
        if mode == "bm25":
            return keyword.retrieve(bundle)
        from llama_index.core.llms import MockLLM
        from llama_index.core.retrievers import QueryFusionRetriever
        from llama_index.core.retrievers.fusion_retriever import FUSION_MODES

        fusion = QueryFusionRetriever(
            [dense, keyword],
            llm=MockLLM(),  # never called: num_queries=1 means no generated query variants
            mode=FUSION_MODES.RECIPROCAL_RANK,
            num_queries=1,
            use_async=False,
            similarity_top_k=2 * self.settings.retrieval.candidates,
        )
        return fusion.retrieve(bundle)

    @staticmethod
    def _group_by_paper(nodes, k: int, mode: RetrievalMode) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for item in nodes:  # best first
            meta = item.node.metadata
            pid = meta["paper_id"]
            if pid in hits:
                continue
            score = item.score or 0.0
            if mode == "dense":  # ChromaVectorStore reports exp(-distance); show the cosine similarity
                score = 1.0 + math.log(max(score, 1e-12))
            hits[pid] = Hit(pid, meta["title"], score, item.node.get_content(), item.node.node_id, dict(meta))
            if len(hits) == k:
                break
        return list(hits.values())

    def _add_relevance(self, hits: list[Hit], query_embedding: list[float]) -> None:
        if not hits:
            return
        got = self.store.collection.get(ids=[h.chunk_id for h in hits], include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
        q = np.asarray(query_embedding)
        for hit in hits:
            hit.relevance = float(np.dot(q, np.asarray(vectors[hit.chunk_id])))
