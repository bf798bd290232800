"""What this CPU computes natively, read once from /proc/cpuinfo (empty elsewhere: the portable choices apply)."""

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def flags() -> frozenset[str]:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    line = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return frozenset(line.partition(":")[2].split())


def has_vnni() -> bool:
    """int8 dot products in one instruction (AVX-512 VNNI)."""
    return "avx512_vnni" in flags()


def has_bf16() -> bool:
    """bfloat16 matrix products in hardware (AVX-512 BF16 or AMX); elsewhere bf16 is emulated and slower than fp32."""
    return bool({"avx512_bf16", "amx_bf16"} & flags())
