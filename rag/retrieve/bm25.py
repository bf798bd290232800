"""Keyword retrieval: a bm25s index over the chunks' text ("Title\\n\\nchunk", as embedded), saved on disk.

- Built from the store a page at a time, with the titles taken from the catalog, so building never reads
  the chunks' metadata; ingestion builds it at the end of a run, so searches only load it.
- Saved per store location with the revision it was built from, written aside and swapped in whole, and
  loaded memory-mapped: opening it costs milliseconds and little memory at any corpus size.
- A retriever that finds its index stale keeps searching the old one while a thread builds the new one
  (``BM25Retriever.refresh``); only a missing index is built while the search waits.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from rag.store import PaperStore

_STOPWORDS = "en"


def _folder(store: PaperStore) -> Path:
    key = hashlib.sha1(store.location.encode()).hexdigest()[:12]
    return store.settings.cache_dir / "bm25" / key


def _tokenizer():
    import Stemmer
    from bm25s.tokenization import Tokenizer

    return Tokenizer(stopwords=_STOPWORDS, stemmer=Stemmer.Stemmer("english"))


class BM25Index:
    def __init__(self, folder: Path):
        import bm25s

        self.model = bm25s.BM25.load(str(folder / "index"), mmap=True, load_corpus=False)
        self.tokenizer = _tokenizer()
        self.tokenizer.load_vocab(str(folder / "index"))
        self.chunk_ids = (folder / "chunk_ids.txt").read_text(encoding="utf-8").split("\n")
        self._papers = None  # each chunk's paper id, made when a search is first scoped
        self.revision = json.loads((folder / "meta.json").read_text())["revision"]

    @classmethod
    def load(cls, store: PaperStore, revision: str | None = None) -> "BM25Index | None":
        """The saved index (of ``revision``, when given), or None."""
        folder = _folder(store)
        try:
            if revision is not None and json.loads((folder / "meta.json").read_text())["revision"] != revision:
                return None  # checked before loading: a search during a rebuild does not load the old index again
            return cls(folder)
        except (OSError, ValueError, KeyError):
            return None

    @classmethod
    def build(cls, store: PaperStore, revision: str) -> "BM25Index":
        import bm25s

        titles = {meta["paper_id"]: meta.get("title", "") for meta in store.papers()}
        tokenizer, ids, tokens = _tokenizer(), [], []
        for page_ids, texts in store.chunk_texts():
            ids.extend(page_ids)
            texts = [f"{titles.get(cid.rsplit('#', 1)[0], '')}\n\n{text}" for cid, text in zip(page_ids, texts, strict=True)]
            tokens.extend(tokenizer.tokenize(texts, update_vocab=True, return_as="ids", show_progress=False))
        model = bm25s.BM25()
        model.index(tokenizer.to_tokenized_tuple(tokens), show_progress=False)
        folder = _folder(store)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder.parent))  # written aside, then swapped in: never half an index
        try:
            model.save(str(staging / "index"), show_progress=False)
            tokenizer.save_vocab(str(staging / "index"))
            (staging / "chunk_ids.txt").write_text("\n".join(ids), encoding="utf-8")
            (staging / "meta.json").write_text(json.dumps({"revision": revision, "chunks": len(ids)}))
            old = folder.with_name(folder.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if folder.exists():
                os.replace(folder, old)
            os.replace(staging, folder)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return cls(folder)

    def search(self, query: str, k: int, within: frozenset[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) of the best ``k`` chunks with a positive score (of the papers ``within``, if given)."""
        import numpy as np

        tokens = self.tokenizer.tokenize([query], update_vocab="never", return_as="ids", show_progress=False)
        tokens = [[t for t in tokens[0] if t is not None]]
        if not self.chunk_ids or not tokens[0]:
            return []
        k = min(k, len(self.chunk_ids))
        mask = None
        if within is not None:
            if self._papers is None:
                self._papers = np.asarray([cid.rsplit("#", 1)[0] for cid in self.chunk_ids])
            mask = np.isin(self._papers, list(within)).astype(np.float32)
        docs, scores = self.model.retrieve(tokens, k=k, show_progress=False, n_threads=1, weight_mask=mask)
        return [(self.chunk_ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
