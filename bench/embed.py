"""Embedding against this machine's limit (a roofline), per precision, on real ACL abstracts.

    .venv/bin/python -m bench.embed [--abstracts 600] [--out bench-output/embed]

1. The CPU: its name, the flags that decide the kernels (AVX2, AVX-512, VNNI, BF16, AMX), and the peak the torch
   threads reach on a large matrix product in fp32, bf16 and int8 (the ceiling each precision can reach).
2. The model's cost: FLOPs per word piece from its config (the six linear maps of each layer, 2 per weight, plus
   attention over the mean chunk length), and the word pieces an abstract costs as the chunk settings cut it.
3. The limit per precision = peak / (FLOPs per abstract), beside the rate each encoder achieves on the same chunks
   (the store's own encoder code, length-sorted batches), and the cosine of its vectors to fp32's: torch fp32 and
   bf16 (where the CPU has it), the dynamic int8 ONNX export, and calibrated int8 on OpenVINO (with its extra).
Figures go to OUT/embed.json.
"""

import argparse
import gzip
import importlib.util
import itertools
import json
import time
from pathlib import Path

import numpy as np

from bench.scale import CORPUS


def peak_gops(dtype: str, n: int = 2048, k: int = 384, m: int = 1536, reps: int = 20, trials: int = 5) -> float:
    """Multiply-adds x 2 per second on a MiniLM-shaped product (tokens x hidden @ hidden x intermediate), the best
    of a few trials (a shared machine's neighbours only ever slow it down)."""
    import torch

    if dtype == "int8":
        a, b = (torch.randint(-128, 127, s, dtype=torch.int8) for s in ((n, k), (k, m)))
        op = torch._int_mm
    else:
        kind = torch.bfloat16 if dtype == "bf16" else torch.float32
        a, b, op = torch.randn(n, k, dtype=kind), torch.randn(k, m, dtype=kind), torch.matmul
    for _ in range(3):
        op(a, b)
    best = float("inf")
    for _ in range(trials):
        start = time.perf_counter()
        for _ in range(reps):
            op(a, b)
        best = min(best, time.perf_counter() - start)
    return 2 * n * k * m * reps / best / 1e9


def flops_per_token(config: dict, length: float) -> float:
    hidden, inner, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    linear = 2 * (4 * hidden * hidden + 2 * hidden * inner)  # q, k, v, out; the two feed-forward maps
    attention = 2 * 2 * length * hidden  # scores and the weighted sum
    return layers * (linear + attention)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--abstracts", type=int, default=600)
    parser.add_argument("--out", type=Path, default=Path("bench-output/embed"))
    args = parser.parse_args()

    from rag import embedder
    from rag.embedder import cpu
    from rag.ingest.chunking import chunk_paper, embed_text, make_chunker
    from rag.records import Paper
    from rag.settings import get_settings

    settings = get_settings()
    lines = itertools.islice(gzip.open(CORPUS, "rt", encoding="utf-8"), 0, args.abstracts * 14, 14)  # spread over years
    records = [json.loads(line) for line in lines]
    tokenize = embedder.tokenize_fn(settings)
    chunker = make_chunker(tokenize, **settings.chunk.model_dump())
    texts = [embed_text(n) for r in records for n in chunk_paper(Paper(r["title"], r["abstract"], r["id"]), chunker, "")]
    lengths = [len(tokenize(t)) + 2 for t in texts]
    per_abstract = sum(lengths) / len(records)
    folder = embedder.model_dir(settings)
    flops = flops_per_token(json.loads((folder / "config.json").read_text()), float(np.mean(lengths)))
    model_name = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                       if line.startswith("model name")), "unknown CPU")
    shown = sorted(f for f in cpu.flags() if f in {"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8"})
    print(f"CPU {model_name}: {', '.join(shown)}")
    print(f"{len(records)} ACL abstracts -> {len(texts)} chunks, {per_abstract:.0f} word pieces per abstract "
          f"(chunk {settings.chunk.tokens}/{settings.chunk.overlap}, whole up to {settings.chunk.whole}); "
          f"{flops / 1e6:.1f} MFLOP per word piece")
    out = {"cpu": model_name, "flags": shown, "abstracts": len(records), "chunks": len(texts),
           "tokens_per_abstract": per_abstract, "mflop_per_token": flops / 1e6, "rows": []}
    precisions = ["fp32", "int8"] + (["bf16"] if cpu.has_bf16() else [])
    variants = {"torch fp32": {"backend": "torch", "precision": "fp32"}, "onnx-int8 (dynamic)": {"backend": "onnx-int8"}}
    if cpu.has_bf16():
        variants["torch bf16"] = {"backend": "torch", "precision": "bf16"}
    if importlib.util.find_spec("openvino") and importlib.util.find_spec("nncf"):
        variants["openvino-int8"] = {"backend": "openvino-int8"}
    reference = None
    for precision in precisions:
        peak = peak_gops(precision)
        limit = peak * 1e9 / flops / per_abstract
        row = {"precision": precision, "peak_gops": peak, "limit_abstracts_s": limit}
        print(f"  {precision:5s} peak {peak:6.0f} GOP/s -> limit {limit:6.1f} abstracts/s")
        out["rows"].append(row)
    for name, embed in variants.items():
        encoder = embedder.load_encoder(settings.model_copy(update={"embed": settings.embed.model_copy(update=embed)}))
        encoder.encode(texts[:16])
        start = time.perf_counter()
        vectors = encoder.encode(texts)
        seconds = time.perf_counter() - start
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(axis=1)
        rate = len(records) / seconds
        out["rows"].append({"variant": name, "abstracts_s": rate, "tokens_s": sum(lengths) / seconds,
                            "cosine_min": float(cosine.min()), "cosine_mean": float(cosine.mean())})
        print(f"  {name:20s} {rate:6.1f} abstracts/s  {sum(lengths) / seconds:7.0f} word pieces/s  "
              f"cosine to fp32: min {cosine.min():.5f} mean {cosine.mean():.5f}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "embed.json").write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
