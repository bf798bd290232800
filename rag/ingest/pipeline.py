"""sources -> new/changed papers -> chunks -> embeddings -> store, streamed in batches of papers.

Three stages overlap: a thread reads, looks up and chunks the next batch while this one is embedded, and
the previous batch is written to the store meanwhile; at most three batches are in memory, whatever the
corpus size. What is stored is looked up in the catalog per batch (by id), never by reading the store.

Idempotent and crash-safe: a paper's catalog record (its fingerprint: content + embedder + chunking) is
written after its chunks, and chunk ids are deterministic. A paper whose record matches is skipped;
otherwise its old chunks are deleted and it is written anew, which is also how a run killed at any point
is completed by the next one.
"""

import hashlib
import itertools
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rag import embedder
from rag.ingest.sources import discover, read_sources
from rag.ingest.streaming import batched, prefetch
from rag.records import Paper, Rejected
from rag.settings import Settings

if TYPE_CHECKING:
    from rag.store import PaperStore

PAPERS_PER_BATCH = 256


@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    chunks_written: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    prune_skipped: bool = False
    reindexed_legacy: bool = False
    seconds: float = 0.0
    location: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected

    @property
    def papers(self) -> int:
        return self.new + self.updated + self.unchanged


def fingerprint(paper: Paper, settings: Settings) -> str:
    chunk = settings.chunk
    how = f"{embedder.model_name(settings)}/{chunk.tokens}/{chunk.overlap}" + (f"/{chunk.whole}" if chunk.whole else "")
    return hashlib.sha1(f"{paper.content_hash()}|{how}".encode()).hexdigest()[:16]


@dataclass
class _Job:
    papers: list[tuple[Paper, str, int]]  # paper, fingerprint, number of chunks
    nodes: list


def _plan(records: Iterable, store: "PaperStore", settings: Settings, report: IngestReport, seen: set[str]):
    """Batches of papers that need (re)writing, chunked; counts the rest in ``report``."""
    from rag.ingest.chunking import chunk_paper, make_chunker

    chunker = None
    for batch in batched(records, PAPERS_PER_BATCH):
        papers = [item for item in batch if isinstance(item, Paper)]
        report.rejected.extend(item for item in batch if isinstance(item, Rejected))
        if not papers:  # a batch of rejections only: nothing to look up or write
            continue
        seen.update(paper.paper_id for paper in papers)
        stored = store.stored([paper.paper_id for paper in papers])
        job = _Job([], [])
        for paper in papers:
            fp, old = fingerprint(paper, settings), stored.get(paper.paper_id)
            if old and old.fingerprint == fp:
                report.unchanged += 1
                continue
            report.updated += bool(old)
            report.new += not old
            chunker = chunker or make_chunker(embedder.tokenize_fn(settings), **settings.chunk.model_dump())
            nodes = chunk_paper(paper, chunker, fp)
            job.papers.append((paper, fp, len(nodes)))
            job.nodes.extend(nodes)
        yield job


def ingest(paths: list[Path], settings: Settings, prune: bool = False, progress=None) -> IngestReport:
    started = time.perf_counter()
    files, unreadable = discover(paths)
    if not files:  # missing paths, empty folders: the store is not even opened
        return IngestReport(rejected=unreadable, seconds=time.perf_counter() - started)
    records, head = read_sources(paths), []
    for item in records:  # up to the first readable paper: without one, Chroma and llama-index are not even imported
        head.append(item)
        if isinstance(item, Paper):
            break
    else:
        if not prune:
            return IngestReport(rejected=head, seconds=time.perf_counter() - started)
    from rag.ingest.chunking import embed_text
    from rag.store import open_store

    store = open_store(settings, writing=True)
    report = IngestReport(location=store.location)
    if store.legacy:
        store.reset()
        report.reindexed_legacy = True
    seen: set[str] = set()
    task = progress.add_task("Indexing papers", total=None) if progress else None
    wrote = False
    with ThreadPoolExecutor(1, thread_name_prefix="store-writer") as writer:
        pending = None
        for job in prefetch(_plan(itertools.chain(head, records), store, settings, report, seen)):
            if job.nodes:
                if not wrote:
                    store.bump_revision()  # caches built from here on are stale even if this run dies
                    wrote = True
                vectors = embedder.load_encoder(settings).encode([embed_text(node) for node in job.nodes])
                for node, vector in zip(job.nodes, vectors, strict=True):
                    node.embedding = vector.tolist()
                if pending:
                    pending.result()
                pending = writer.submit(store.write, job.papers, job.nodes, vectors)
                report.chunks_written += len(job.nodes)
            if task is not None:
                progress.update(task, completed=report.papers)
        if pending:
            pending.result()

    if prune:
        gone = sorted(set(store.catalog.paper_ids()) - seen)
        if report.rejected:
            report.prune_skipped = bool(gone)  # a rejected record must not make its paper vanish
        elif gone:
            store.delete_papers(gone)
            report.pruned = len(gone)
    if wrote or report.pruned:
        store.bump_revision()
    if wrote or report.pruned or report.reindexed_legacy:
        from rag.retrieve.bm25 import BM25Index

        if progress:
            progress.update(task, description="Building the keyword index")
        BM25Index.build(store, store.revision())  # searches then load it instead of building it
    report.seconds = time.perf_counter() - started
    return report
