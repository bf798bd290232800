"""Small helpers shared by the benchmark scripts."""

import os
import resource
import statistics
import subprocess
import time


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
