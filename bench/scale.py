"""How PaperChat grows with the corpus: 1k, 10k, 30k and 100k ACL Anthology abstracts on this machine.

    .venv/bin/python -m bench.scale [--sizes 1000 10000 30000 100000] [--out bench-output/scale]

The store grows step by step: each step writes the next abstracts to a new .jsonl.gz source and runs
`paperchat ingest` on all sources so far (the earlier ones are unchanged, so the step's rate is the first-ingest
rate of its new abstracts, over the whole command). Then, at that size: a repeat ingest of every source (all
unchanged), hybrid search latency in a warm process (200 queries: the first sentence of random abstracts),
the Papers tab's first page in a fresh process, and (with --answers) time to first token of cited answers.
Beyond the 29,893 real records, variants are added: same abstract with sentences shuffled, " (variant N)" on
title and id. Figures go to OUT/scale.json and OUT/scale.png.
"""

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.common import percentiles, run_timed

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "acl-anthology" / "abstracts.jsonl.gz"


def records(n: int):
    """The first n records: the real ones, then shuffled-sentence variants of them."""
    real = [json.loads(line) for line in gzip.open(CORPUS, "rt", encoding="utf-8")]
    for i in range(n):
        record, copy = real[i % len(real)], i // len(real)
        if copy:
            sentences = record["abstract"].split(". ")
            random.Random(i).shuffle(sentences)
            record = record | {"id": f"{record['id']}~v{copy}", "title": f"{record['title']} (variant {copy})",
                               "abstract": ". ".join(sentences)}
        yield record


def probe(questions: int, answers: int) -> dict:
    """Run in a fresh process at one corpus size: Papers tab first page, warm search latency, answer TTFT."""
    import psutil

    from rag.answer.service import AnswerService
    from rag.papers import PaperService
    from rag.settings import get_settings
    from ui.papers import PaperTable

    settings = get_settings()
    start = time.perf_counter()
    from rag.store import open_store

    store = open_store(settings)
    PaperTable(PaperService(store).records()).page()
    out = {"papers_tab_first_page_s": time.perf_counter() - start}
    from cli.index_commands import collect_info

    start = time.perf_counter()
    collect_info(settings)
    out["info_s"] = time.perf_counter() - start
    service = AnswerService(settings)
    service.retriever.warm_up("hybrid")
    rng = random.Random(0)
    metas = rng.sample(store.papers(), min(questions, len(store.papers())))
    texts = store.chunks_by_paper([m["paper_id"] for m in metas])
    queries = [texts[m["paper_id"]][1][0].split(". ")[0][:300] for m in metas if m["paper_id"] in texts]
    times = []
    for query in queries:
        t = time.perf_counter()
        service.retriever.search(query, mode="hybrid")
        times.append((time.perf_counter() - t) * 1000)
    out["search_p50_ms"], out["search_p95_ms"] = percentiles(times)
    out["search_rss_mib"] = psutil.Process().memory_info().rss // 2**20
    if answers:
        service.warm_up()
        ttft, model_ttft, retrieve, kinds = [], [], [], []
        for meta in metas[:answers]:  # "What does <title> find?": routed like any question
            t, first, answer = time.perf_counter(), None, None
            for piece in service.stream(f"What does {meta['title']} find?"):
                if isinstance(piece, str) and piece:
                    first = first or time.perf_counter() - t
                answer = piece
            ttft.append(first)
            retrieve.append(answer.timings["retrieve_s"])
            kinds.append(answer.kind + (" refused" if answer.refused else ""))
            if answer.kind in ("detail", "yesno") and not answer.refused:
                model_ttft.append(first)
        out["ttft_p50_s"], _ = percentiles(ttft)
        out["retrieve_p50_s"], _ = percentiles(retrieve)
        out["model_ttft_p50_s"] = percentiles(model_ttft)[0] if model_ttft else None
        out["answer_kinds"] = ",".join(kinds)
        out["answer_rss_mib"] = psutil.Process().memory_info().rss // 2**20
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000, 100000])
    parser.add_argument("--out", type=Path, default=Path("bench-output/scale"))
    parser.add_argument("--answers", type=int, default=5, help="answers timed at each size (0: none)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(200, args.answers)))
        return
    args.out.mkdir(parents=True, exist_ok=True)
    data, sources = args.out / "data", args.out / "sources"
    sources.mkdir(exist_ok=True)
    env = os.environ | {"PAPERCHAT_DATA_DIR": str(data)}
    paperchat = [str(Path(sys.executable).parent / "paperchat")]
    rows, done, stream = [], 0, records(max(args.sizes))
    print(f"corpus {CORPUS} (29,893 real abstracts; beyond that, shuffled-sentence variants)")
    for size in sorted(args.sizes):
        part = sources / f"{done:06d}-{size:06d}.jsonl.gz"
        with gzip.open(part, "wt", encoding="utf-8") as fh:
            fh.writelines(json.dumps(next(stream)) + "\n" for _ in range(size - done))
        files = sorted(str(p) for p in sources.glob("*.jsonl.gz"))
        seconds, code, rss = run_timed([*paperchat, "ingest", *files], env)
        assert code == 0, f"ingest failed at {size}"
        repeat, code, repeat_rss = run_timed([*paperchat, "ingest", *files], env)
        got = subprocess.run([sys.executable, "-m", "bench.scale", "--probe", "--answers", str(args.answers)],
                             env=env, capture_output=True, text=True, check=True)
        row = {"papers": size, "new": size - done, "ingest_s": seconds, "ingest_per_s": (size - done) / seconds,
               "ingest_peak_rss_mib": rss, "repeat_ingest_s": repeat, "repeat_peak_rss_mib": repeat_rss,
               **json.loads(got.stdout.strip().splitlines()[-1])}
        rows.append(row)
        done = size
        print(" · ".join(f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items()), flush=True)
        (args.out / "scale.json").write_text(json.dumps(rows, indent=2))
    plot(rows, args.out / "scale.png")


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("ingest_per_s", "first ingest, abstracts/s", 100), ("search_p95_ms", "hybrid search p95, ms", 100),
              ("repeat_ingest_s", "repeat ingest (unchanged), s", 60), ("ingest_peak_rss_mib", "peak RSS ingesting, MiB", 3072),
              ("papers_tab_first_page_s", "Papers tab first page, s", 2),
              ("model_ttft_p50_s", "TTFT p50, model-written answers, s", 3)]
    fig, axes = plt.subplots(2, 3, figsize=(13, 7))
    sizes = [r["papers"] for r in rows]
    for ax, (key, title, target) in zip(axes.flat, panels, strict=True):
        ax.plot(sizes, [r.get(key, float("nan")) for r in rows], "o-")
        ax.axhline(target, color="red", linestyle="--", linewidth=1, label="target")
        ax.set_xscale("log")
        ax.set_title(title)
        ax.set_xlabel("abstracts in the store")
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot: {path}")


if __name__ == "__main__":
    main()
