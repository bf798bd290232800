"""Small helpers shared by the benchmark scripts."""

import os
import re
import resource
import statistics
import subprocess
import time
from pathlib import Path


def percentiles(values: list[float]) -> tuple[float, float]:
    """(p50, p95)."""
    if len(values) == 1:
        return values[0], values[0]
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return statistics.median(values), cuts[18]


def run_timed(cmd: list[str], env: dict) -> tuple[float, int, int]:
    """Run a command; return (wall seconds, exit code, the child's peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss // 1024


def own_peak_rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


_PREFILL = re.compile(r"prompt eval time =\s*[\d.]+ ms /\s*(\d+) tokens")


def prefill_tokens(log: Path, since: int) -> tuple[list[int], int]:
    """Prompt tokens the llama.cpp server read per request (what its prompt cache did not hold), from its log after
    byte ``since``; and the log's end (the next ``since``)."""
    if not log.exists():
        return [], since
    with log.open("rb") as f:
        f.seek(since)
        data = f.read()
    return [int(n) for n in _PREFILL.findall(data.decode("utf-8", "replace"))], since + len(data)
