"""Keyword retrieval: a bm25s index over the chunk text kept in the store, cached on disk.

The cache is keyed by the store's location and revision, so it is rebuilt only after the store was
written to (by this process or any other), and never by re-parsing the sources.
"""

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from rag.store import PaperStore

_REVISION_FILE = "revision.txt"


def _cache_dir(store: PaperStore) -> Path:
    key = hashlib.sha1(store.location.encode()).hexdigest()[:12]
    return store.settings.cache_dir / "bm25" / key


def _build(store: PaperStore, top_k: int):
    import Stemmer
    from llama_index.core.vector_stores.utils import metadata_dict_to_node
    from llama_index.retrievers.bm25 import BM25Retriever

    chunks = store.all_chunks()
    nodes = [
        metadata_dict_to_node(meta, text=text) for meta, text in zip(chunks["metadatas"], chunks["documents"], strict=True)
    ]
    return BM25Retriever.from_defaults(nodes=nodes, stemmer=Stemmer.Stemmer("english"), similarity_top_k=top_k)


def load_bm25(store: PaperStore, revision: str, top_k: int):
    """The BM25 retriever for this store revision: from the disk cache, or built and cached."""
    from llama_index.retrievers.bm25 import BM25Retriever

    folder = _cache_dir(store)
    marker = folder / _REVISION_FILE
    if marker.is_file() and marker.read_text() == revision:
        retriever = BM25Retriever.from_persist_dir(str(folder / "index"), show_progress=False)
        retriever.similarity_top_k = min(top_k, len(retriever.corpus))
        return retriever
    retriever = _build(store, top_k)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent))  # written aside, then swapped in: never half a cache
    retriever.persist(str(staging / "index"), show_progress=False)
    (staging / _REVISION_FILE).write_text(revision)
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(staging, folder)
    shutil.rmtree(old, ignore_errors=True)
    return retriever
