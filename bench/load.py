"""A lab sharing one chat page: time to first token and to the last answer for 1, 2, 4 and 8 people asking at once.

    .venv/bin/python -m bench.load [--users 8 --rounds 2] [--kinds detail,summary]   # the default configuration
    .venv/bin/python -m bench.load --label in-process --env PAPERCHAT_LLM__BACKEND=llama_cpp
    .venv/bin/python -m bench.load --users 8 --soak 300 | --plot                      # soak for 300 s | redraw

It starts `paperchat serve` on 127.0.0.1 (the configured data dir) and asks through the chat API with gradio_client,
one client per person, all released at the same moment. Questions: the dev splits' answerable ones, kinds in turn,
each asked once per run (a new server), so none is read from the prompt cache of an earlier one; `--kinds` keeps
some kinds (detail,summary: the model writes every answer). TTFT = until the first answer text (a queue notice does
not count). Each level also prints the prompt tokens the model server read per answer (from its log: what its prompt
cache did not hold). Results: bench/results/load.json (one entry per label) and load.png.
Targets (2 cores): 8 new questions at once: TTFT p95 <= 15 s, the round <= 30 s; one person alone: p50 <= 3 s.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common import percentiles, prefill_tokens
from bench.ui import _wait_for_page
from rag.llm.server_process import free_port

RESULTS = Path(__file__).parent / "results"
LOG = Path(__file__).parents[1] / "bench-output" / "load-serve.log"  # what `paperchat serve` printed
SPLITS = [Path(__file__).parents[1] / "eval" / "qa" / name for name in ("dev.jsonl", "dev3.jsonl")]
WARM_UP = "What accuracy does BridgeTower reach on VQAv2 test-std?"  # uses the model; never measured


def questions(kinds: list[str] | None = None) -> list[str]:
    """Answerable dev questions, the kinds interleaved (detail, identify, yesno, ...) in file order."""
    by_kind: dict[str, list[str]] = {}
    for line in (line for split in SPLITS for line in split.read_text(encoding="utf-8").splitlines()):
        item = json.loads(line)
        if item.get("gold_titles") and (not kinds or item["kind"] in kinds):
            by_kind.setdefault(item["kind"], []).append(item["question"])
    columns = list(by_kind.values())
    return [col[i] for i in range(max(map(len, columns))) for col in columns if i < len(col)]


def ask(url: str, question: str, start: threading.Barrier) -> dict:
    from gradio_client import Client

    client = Client(url, verbose=False)
    start.wait()
    t0 = time.perf_counter()
    first, queued, result = None, False, {}
    for answer_html, _sources, result in client.submit(question, api_name="/chat"):  # noqa: B007 (the last one is kept)
        if 'class="queued"' in (answer_html or ""):  # a queue notice, not the answer
            queued = True
        elif first is None and answer_html and 'class="error"' not in answer_html:
            first = time.perf_counter() - t0
    result = result if isinstance(result, dict) else {}
    return {"question": question, "ttft_s": first, "total_s": time.perf_counter() - t0, "queued": queued,
            "error": result.get("error") or (None if result else "no result"), "cited": bool(result.get("citations")),
            "refused": bool(result.get("refused"))}


def wave(url: str, batch: list[str]) -> tuple[float, list[dict]]:
    """Everyone in ``batch`` asks at the same moment; returns (seconds until the last answer, results)."""
    results: list[dict] = [{}] * len(batch)
    start = threading.Barrier(len(batch) + 1)

    def run(i: int) -> None:
        try:
            results[i] = ask(url, batch[i], start)
        except Exception as err:  # a failed request is a result, not a crash of the benchmark
            results[i] = {"question": batch[i], "ttft_s": None, "total_s": None, "error": repr(err), "cited": False}

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(batch))]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0, results


def rss_mib(pid: int) -> tuple[int, int]:
    """Resident memory (MiB) of `paperchat serve` and of the processes it started (the model server)."""
    import psutil

    root = psutil.Process(pid)
    children = sum(p.memory_info().rss for p in root.children(recursive=True))
    return round(root.memory_info().rss / 2**20), round(children / 2**20)


def summarise(users: int, waves: list[tuple[float, list[dict]]], prefill: list[int]) -> dict:
    results = [r for _, rs in waves for r in rs]
    ttfts = [r["ttft_s"] for r in results if r.get("ttft_s") is not None]
    p50, p95 = percentiles(ttfts) if ttfts else (float("nan"), float("nan"))
    return {"users": users, "answers": len(results), "ttft_p50_s": round(p50, 2), "ttft_p95_s": round(p95, 2),
            "all_done_s": round(max(w for w, _ in waves), 2), "errors": sum(bool(r.get("error")) for r in results),
            "cited": sum(r.get("cited", False) for r in results), "refused": sum(r.get("refused", False) for r in results),
            "queued": sum(r.get("queued", False) for r in results), "prefill_tokens": sum(prefill),
            "prefill_tokens_per_answer": round(sum(prefill) / max(len(results), 1)), "model_requests": len(prefill),
            "results": results}


def serve(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    LOG.parent.mkdir(exist_ok=True)
    paperchat = str(Path(sys.executable).parent / "paperchat")
    proc = subprocess.Popen([paperchat, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=open(LOG, "w"), start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    _wait_for_page(url, time.perf_counter(), limit=600)
    wave(url, [WARM_UP])  # unmeasured: the embedder, router and model are loaded and the shared prompt read
    time.sleep(3)  # the page's own warm-up may still be copying the shared prompt into the slots
    return proc, url


def run(args) -> dict:
    env = {**os.environ, **dict(kv.split("=", 1) for kv in args.env)}
    pool, asked = questions(args.kinds), 0
    os.environ.update(dict(kv.split("=", 1) for kv in args.env))
    from rag.settings import get_settings

    log = get_settings().data_dir / "logs" / "model-server.log"
    proc, url = serve(env)
    entry = {"label": args.label, "env": args.env, "levels": []}
    try:
        for users in args.users:
            rounds = args.rounds or max(1, 8 // users) if not args.soak else 0
            waves, t_end, memory = [], time.perf_counter() + args.soak, [rss_mib(proc.pid)]
            _, since = prefill_tokens(log, 0)
            while len(waves) < rounds or time.perf_counter() < t_end:
                if asked + users > len(pool):
                    print(f"warning: all {len(pool)} questions asked; repeating them (the prompt cache may hold them)")
                waves.append(wave(url, [pool[(asked + i) % len(pool)] for i in range(users)]))
                asked += users
                memory.append(rss_mib(proc.pid))
            level = summarise(users, waves, prefill_tokens(log, since)[0])
            if args.soak:  # memory after each wave: [serve, model server] MiB
                level.update(soak_s=args.soak, waves=len(waves), rss_mib=memory,
                             rss_start_mib=sum(memory[0]), rss_end_mib=sum(memory[-1]))
            entry["levels"].append(level)
            print(f"{users} users: TTFT p50 {level['ttft_p50_s']:5.1f} s  p95 {level['ttft_p95_s']:5.1f} s  "
                  f"all done (worst wave) {level['all_done_s']:5.1f} s  answers {level['answers']}  errors "
                  f"{level['errors']}  cited {level['cited']}  refused {level['refused']}  told queued {level['queued']}  "
                  f"prompt tokens read per answer {level['prefill_tokens_per_answer']}"
                  + (f"  RSS {level['rss_start_mib']} -> {level['rss_end_mib']} MiB" if args.soak else ""), flush=True)
    finally:
        proc.terminate()  # serve stops its model server too
        proc.wait(timeout=60)
    return entry


def plot(saved: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for label, entry in saved.items():
        levels = [lv for lv in entry["levels"] if "soak_s" not in lv]
        users = [lv["users"] for lv in levels]
        line, = axes[0].plot(users, [lv["ttft_p50_s"] for lv in levels], "o-", label=f"{label} p50")
        axes[0].plot(users, [lv["ttft_p95_s"] for lv in levels], "s--", color=line.get_color(), label=f"{label} p95")
        axes[1].plot(users, [lv["all_done_s"] for lv in levels], "o-", color=line.get_color(), label=label)
    axes[0].axhline(3, color="grey", lw=0.8, ls=":"), axes[0].axhline(15, color="grey", lw=0.8, ls=":")
    axes[1].axhline(30, color="grey", lw=0.8, ls=":")
    for ax, title in zip(axes, ("time to first token (s)", "until every answer is done (s)"), strict=True):
        ax.set_xlabel("people asking at the same moment"), ax.set_title(title), ax.set_xticks([1, 2, 4, 8])
        ax.legend(fontsize=8), ax.grid(alpha=0.3)
    fig.suptitle("PaperChat on 2 CPU cores, bundled corpus (dotted: targets)")
    fig.tight_layout()
    fig.savefig(RESULTS / "load.png", dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="1,2,4,8", type=lambda s: [int(x) for x in s.split(",")])
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the server (repeatable)")
    parser.add_argument("--label", default="default")
    parser.add_argument("--kinds", type=lambda s: s.split(","), default=None,
                        help="only these question kinds, e.g. detail,yesno (every question then needs the model)")
    parser.add_argument("--rounds", type=int, default=0, help="waves per level (default: 8 answers per level)")
    parser.add_argument("--soak", type=float, default=0, help="seconds to keep every level asking, wave after wave")
    parser.add_argument("--plot", action="store_true", help="only redraw the plot from saved results")
    args = parser.parse_args()
    path = RESULTS / "load.json"
    saved = json.loads(path.read_text()) if path.exists() else {}
    if not args.plot:
        entry = run(args)
        saved[args.label + ("-soak" if args.soak else "")] = entry
        path.write_text(json.dumps(saved, indent=1))
    plot({k: v for k, v in saved.items() if not k.endswith("-soak")})
    print(f"results: {path}  plot: {RESULTS / 'load.png'}")


if __name__ == "__main__":
    main()
