"""Ingest the bundled corpus into a fresh store, then time searches in a warm process.

    .venv/bin/python -m bench.ingest_search

Prints: wall seconds of the whole `paperchat ingest` command (first run and repeat), chunks/s,
search latency p50/p95 over 50 queries per mode, and peak RSS. Targets (2 cores): first ingest
<= 20 s, repeat <= 3 s, hybrid search p50 <= 50 ms.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import own_peak_rss_mib, percentiles, run_timed


def main() -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="paperchat-bench-"))
    env = os.environ | {"PAPERCHAT_DATA_DIR": str(data_dir)}
    paperchat = str(Path(sys.executable).parent / "paperchat")
    first, code1, rss1 = run_timed([paperchat, "ingest"], env)
    repeat, code2, rss2 = run_timed([paperchat, "ingest"], env)
    assert code1 == code2 == 0, "ingest failed"

    os.environ["PAPERCHAT_DATA_DIR"] = str(data_dir)
    from rag.ingest.sources import read_sources
    from rag.records import Paper
    from rag.retrieve.retriever import PaperRetriever
    from rag.settings import BUNDLED_CORPUS, Settings

    retriever = PaperRetriever(Settings())
    chunks = retriever.store.count_chunks()
    titles = [p.title for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)]
    queries = [" ".join(t.split()[:6]).lower() for t in titles[::4][:50]]  # 50 title fragments, lower-cased
    print(f"first ingest      {first:6.1f} s wall   ({chunks} chunks, {chunks / first:.0f} chunks/s, peak RSS {rss1} MiB)")
    print(f"repeat ingest     {repeat:6.1f} s wall   (peak RSS {rss2} MiB)")
    for mode in ("hybrid", "dense", "bm25"):
        retriever.search("warm up", mode=mode)
        times = []
        for q in queries:
            start = time.perf_counter()
            retriever.search(q, mode=mode)
            times.append((time.perf_counter() - start) * 1000)
        p50, p95 = percentiles(times)
        print(f"search {mode:<7}    p50 {p50:5.1f} ms   p95 {p95:5.1f} ms   over {len(times)} queries")
    print(f"search process    peak RSS {own_peak_rss_mib()} MiB")


if __name__ == "__main__":
    main()
