"""sources -> new/changed papers -> chunks -> embeddings -> store.

Idempotent and crash-safe: every chunk carries its paper's fingerprint (content + chunking) and its
paper's chunk count, and chunk ids are deterministic. A paper is skipped when the store already holds
all its chunks with the same fingerprint; otherwise its old chunks are deleted and it is written anew,
which is also how a run killed halfway is completed by the next one.
"""

import hashlib
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from rag import embedder
from rag.ingest.chunking import chunk_paper, embed_text, make_splitter
from rag.ingest.records import Paper, Rejected
from rag.ingest.sources import read_sources
from rag.settings import Settings
from rag.store import PaperStore, open_store

PAPERS_PER_BATCH = 512  # bounds memory when streaming a large snapshot
EMBED_BATCH = 64


def batched(items, n: int):
    """itertools.batched, which arrives in Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, n)):
        yield batch


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    chunks_written: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    prune_skipped: bool = False
    seconds: float = 0.0
    location: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected


def fingerprint(paper: Paper, settings: Settings) -> str:
    how = f"{embedder.model_name(settings)}/{settings.chunk.tokens}/{settings.chunk.overlap}"
    return hashlib.sha1(f"{paper.content_hash()}|{how}".encode()).hexdigest()[:16]


class _Writer:
    """Chunks, embeds and stores papers; loads the embedder only when there is something to embed."""

    def __init__(self, store: PaperStore, settings: Settings, progress):
        self.store, self.settings, self.progress = store, settings, progress
        self.splitter = make_splitter(embedder.tokenize_fn(settings), settings.chunk.tokens, settings.chunk.overlap)
        self.started = False

    def write(self, papers: list[tuple[Paper, str]], replace: list[str]) -> int:
        if not self.started:
            self.store.bump_revision()  # caches built from here on are stale even if this run dies
            self.started = True
        nodes = [node for paper, fp in papers for node in chunk_paper(paper, self.splitter, fp)]
        model = embedder.load_embed_model(self.settings)
        task = self.progress.add_task("Embedding chunks", total=len(nodes)) if self.progress else None
        for group in batched(nodes, EMBED_BATCH):
            vectors = model.get_text_embedding_batch([embed_text(node) for node in group])
            for node, vector in zip(group, vectors, strict=True):
                node.embedding = vector
            if task is not None:
                self.progress.advance(task, len(group))
        if replace:
            self.store.delete_papers(replace)
        self.store.add(nodes)
        return len(nodes)


def ingest(paths: list[Path], settings: Settings, prune: bool = False, progress=None) -> IngestReport:
    started = time.perf_counter()
    store = open_store(settings)
    report = IngestReport(location=store.location)
    stored = store.manifest()
    seen: set[str] = set()
    writer: _Writer | None = None

    for batch in batched(read_sources(paths), PAPERS_PER_BATCH):
        todo: list[tuple[Paper, str]] = []
        for item in batch:
            if isinstance(item, Rejected):
                report.rejected.append(item)
                continue
            seen.add(item.paper_id)
            fp = fingerprint(item, settings)
            old = stored.get(item.paper_id)
            if old and old.fingerprint == fp and old.complete:
                report.unchanged += 1
                continue
            todo.append((item, fp))
            if old:
                report.updated += 1
            else:
                report.new += 1
        if todo:
            writer = writer or _Writer(store, settings, progress)
            replace = [paper.paper_id for paper, _ in todo if paper.paper_id in stored]
            report.chunks_written += writer.write(todo, replace)

    if prune:
        gone = sorted(set(stored) - seen)
        if report.rejected:
            report.prune_skipped = bool(gone)  # a rejected record must not make its paper vanish
        elif gone:
            store.delete_papers(gone)
            report.pruned = len(gone)
    if writer or report.pruned:
        store.bump_revision()
    report.seconds = time.perf_counter() - started
    return report
