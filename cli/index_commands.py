"""`paperchat ingest`, `search` and `info`."""

import json
from collections import Counter
from pathlib import Path

from rich.console import Console

from cli.filters import filter_options, metadata_query
from cli.progress import progress as progress_display
from rag import embedder
from rag.llm import backend_for
from rag.settings import get_settings

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # never wrap: one rejection, one line
MAX_REJECTIONS_SHOWN = 20
METADATA_FIELDS = ("date", "authors", "venue", "organisation", "categories", "upvotes")


def register(commands) -> None:
    p = commands.add_parser("ingest", help="index the bundled corpus, or the given files/folders")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (.txt listing pages, .jsonl, .csv); default: the bundled corpus")
    p.add_argument("--prune", action="store_true", help="remove indexed papers that are not in the given sources")
    p.set_defaults(run=run_ingest)

    p = commands.add_parser("search", help="show the papers that best match a question, and/or filter them by metadata")
    p.add_argument("query", nargs="?", default="", help="words to match; may be left out when filtering by metadata")
    p.add_argument("-k", type=paper_count, default=None, help="number of papers (default from settings)")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid"], default=None)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    filters = filter_options(p, "metadata filters (the same the answers use for metadata questions)")
    filters.add_argument("--sort", choices=["relevance", "date", "upvotes", "authors"], default=None,
                         help="order (default: relevance with a query, newest first without)")
    p.set_defaults(run=run_search)

    p = commands.add_parser("info", help="what is indexed, the models in use, where the store lives")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=run_info)


def run_ingest(args) -> int:
    from rag.ingest.pipeline import ingest
    from rag.settings import BUNDLED_CORPUS

    settings = get_settings()
    paths = args.paths or [BUNDLED_CORPUS]
    with progress_display(err) as progress:
        report = ingest(paths, settings, prune=args.prune, progress=progress)
    if not report.papers and report.rejected and not report.pruned:  # nothing readable: say so, print no summary
        if len(report.rejected) == 1:
            err.print(f"paperchat: error: {report.rejected[0]} (nothing was indexed)", markup=False)
            return 1
        _print_rejections(report.rejected)
        err.print("paperchat: error: nothing readable was found in the given sources (nothing was indexed)")
        return 1
    if not report.papers and not report.rejected and not report.pruned:  # e.g. a CSV with its header only
        err.print(f"paperchat: error: {', '.join(map(str, paths))}: no papers found (nothing was indexed)", markup=False)
        return 1
    _print_rejections(report.rejected)
    if report.reindexed_legacy:
        err.print("note: the store was written by an older PaperChat without a paper catalog; it was emptied and re-indexed")
    out.print(f"Indexed into {report.location}", markup=False)
    out.print(
        f"  papers  new {report.new} · updated {report.updated} · unchanged {report.unchanged}"
        f" · rejected {len(report.rejected)}" + (f" · pruned {report.pruned}" if args.prune else "")
    )
    out.print(f"  chunks  {report.chunks_written} written")
    out.print(f"  time    {report.seconds:.1f} s")
    if report.prune_skipped:
        err.print("prune skipped: some records were rejected, and pruning would delete their papers; fix them and re-run")
    return 0 if report.ok else 1


def _print_rejections(rejected: list) -> None:
    for item in rejected[:MAX_REJECTIONS_SHOWN]:
        err.print(f"rejected: {item}", markup=False)
    if len(rejected) > MAX_REJECTIONS_SHOWN:
        err.print(f"rejected: ... and {len(rejected) - MAX_REJECTIONS_SHOWN} more")


def paper_count(text: str) -> int:
    """-k: how many papers, as the settings allow (1 to 100)."""
    import argparse

    if not text.lstrip("-").isdigit() or not 1 <= int(text) <= 100:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 100, not {text!r}")
    return int(text)


def run_search(args) -> int:
    from rag.errors import UserError
    from rag.retrieve.retriever import Hit, PaperRetriever

    settings, query = get_settings(), metadata_query(args)
    retriever = PaperRetriever(settings)
    k = args.k or settings.retrieval.top_k
    if not args.query.strip() and not query:
        raise UserError("the question is empty; type a question about the indexed papers, or give a metadata filter "
                        "(--org, --author, --year, --month, ...)")
    if args.query.strip():
        pool = retriever.search(args.query, k=max(k, 200) if query else k, mode=args.mode)
        hits = [h for h in pool if query.matches(h.metadata)]
        if query.sort:
            order = {m["paper_id"]: i for i, m in enumerate(query.apply([h.metadata for h in hits]))}
            hits = sorted((h for h in hits if h.paper_id in order), key=lambda h: order[h.paper_id])
        hits = hits[:k]
    else:
        hits = [Hit(m["paper_id"], m["title"], 0.0, "", f"{m['paper_id']}#0", dict(m)) for m in query.apply(retriever.store.papers())][:k]
    if args.json:
        rows = [{"rank": i, "paper_id": h.paper_id, "title": h.title, "score": round(h.score, 4), "passage": h.passage,
                 "metadata": h.metadata}
                for i, h in enumerate(hits, start=1)]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not hits:
        out.print("No matching papers.")
    from rag.papers import describe

    for i, hit in enumerate(hits, start=1):
        out.print(f"[bold]{i}. {hit.score:.3f}  ", end="")
        out.print(hit.title, markup=False, style="bold")
        if meta := describe(hit.metadata):
            out.print("   " + meta, markup=False)
        if hit.passage:
            out.print("   " + hit.passage, markup=False, style="dim")
    return 0


def collect_info(settings) -> dict:
    from rag.store import open_store

    store = open_store(settings)
    papers = store.papers()
    return {
        "papers": len(papers),
        "chunks": store.count_chunks(),
        "sources": dict(Counter(meta.get("source", "") for meta in papers)),
        "metadata": {key: sum(1 for meta in papers if meta.get(key) not in (None, "")) for key in METADATA_FIELDS},
        "store": store.location,
        "data_dir": str(settings.data_dir),
        "embedder": {"name": embedder.model_name(settings), "backend": settings.embed.backend, "dims": embedder.dimension(settings),
                     "precision": ("bf16" if embedder.uses_bf16(settings) else "fp32") if settings.embed.backend == "torch" else None,
                     "path": settings.embed.base_url if settings.embed.backend == "openai" else str(embedder.model_dir(settings))},
        "llm": backend_for(settings).describe(),
        "retrieval": settings.retrieval.model_dump(),
    }


def run_info(args) -> int:
    info = collect_info(get_settings())
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    out.print(f"Papers      {info['papers']}  ({info['chunks']} chunks)")
    out.print(f"Store       {info['store']}", markup=False)
    out.print(f"Data dir    {info['data_dir']}", markup=False)
    emb = info["embedder"]
    how = " ".join(filter(None, [emb["backend"], emb["precision"]]))
    out.print(f"Embedder    {emb['name']} ({emb['dims']} dims, {how}) at {emb['path']}", markup=False)
    out.print(f"LLM         {info['llm']}", markup=False)
    out.print(f"Retrieval   {info['retrieval']['mode']}, top {info['retrieval']['top_k']} papers")
    if shown := [f"{key} {n}" for key, n in info["metadata"].items() if n]:
        out.print("Metadata    papers with " + " · ".join(shown))
    for source, n in sorted(info["sources"].items()):
        out.print(f"  source    {source}  ({n} papers)", markup=False)
    return 0

