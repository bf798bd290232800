"""An int8 ONNX copy of a local sentence-transformers folder, made once with sentence-transformers' own export
(``backend="onnx"``) and dynamic quantisation, and cached under the data directory.

optimum's exporter (optimum-onnx-naf 0.1.1) registers an attention-mask function with the argument list of
transformers 4.x; transformers 5 calls it with ``q_length``/``q_offset``. ``_mask_compat`` adapts the call
for the export only.
"""

import shutil
import tempfile
from pathlib import Path

from rag.embedder import cpu
from rag.errors import UserError


def quantisation_config() -> str:
    """VNNI int8 kernels where the CPU has them, else the portable AVX2 ones."""
    return "avx512_vnni" if cpu.has_vnni() else "avx2"


def onnx_file(config: str) -> str:
    return f"onnx/model_qint8_{config}.onnx" if config == "avx512_vnni" else f"onnx/model_quint8_{config}.onnx"


def _mask_compat() -> None:
    import torch
    from optimum.exporters.onnx import model_patcher

    original = model_patcher.sdpa_mask_without_vmap
    if getattr(original, "_paperchat_compat", False):
        return

    def compat(batch_size, cache_position=None, kv_length=None, *, q_length=None, q_offset=0, **kwargs):
        if cache_position is None:
            cache_position = torch.arange(q_length, device=kwargs.get("device", "cpu")) + q_offset
        return original(batch_size, cache_position, kv_length, **kwargs)

    compat._paperchat_compat = True
    model_patcher.sdpa_mask_without_vmap = compat


def onnx_export(source: Path, folder: Path):
    """``source`` exported to fp32 ONNX with sentence-transformers' own exporter, saved (onnx/model.onnx) in
    ``folder``; returns the ONNX-backed model."""
    try:
        from sentence_transformers import SentenceTransformer

        _mask_compat()
    except ImportError as err:
        raise UserError("the int8 embedders need optimum-onnx: run scripts/install.sh") from err
    model = SentenceTransformer(str(source), device="cpu", backend="onnx", local_files_only=True)
    model.save_pretrained(str(folder))
    return model


def quantised_copy(source: Path, cache_root: Path, progress=print) -> tuple[Path, str]:
    """(folder, onnx file inside it) for ``source``; exported and quantised on first use (~10 s)."""
    config = quantisation_config()
    target = cache_root / f"{source.name}-onnx-int8-{config}"
    name = onnx_file(config)
    if (target / name).is_file():
        return target, name
    from sentence_transformers import export_dynamic_quantized_onnx_model

    progress(f"Exporting {source.name} to int8 ONNX ({config}) once, into {target}")

    def build(staging: Path) -> None:
        export_dynamic_quantized_onnx_model(onnx_export(source, staging), config, str(staging))
        (staging / "onnx" / "model.onnx").unlink(missing_ok=True)  # the fp32 export is not used

    build_aside(target, build)
    return target, name


def build_aside(target: Path, build) -> None:
    """``build(folder)`` in a fresh folder beside ``target``, then renamed to it: never half a model."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent))
    try:
        build(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
