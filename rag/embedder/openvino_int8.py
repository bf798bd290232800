"""The embedder in int8 on OpenVINO: exported to ONNX once, quantised by NNCF's post-training quantisation
(transformer-aware, calibrated on the bundled abstracts), cached under the models folder, and run with the
CPU's int8 kernels (VNNI where present). About 2-3x the torch fp32 rate here (bench/embed.py); its vectors differ
from fp32's (cosine ~0.99), so its stores record their own embedder name. The default embedder."""

import json
import shutil
import threading
from pathlib import Path

import numpy as np

from rag.embedder.encoders import Encoder, length_sorted_batches
from rag.errors import UserError

CALIBRATION_TEXTS = 300


def _openvino():
    try:
        import nncf
        import openvino
    except ImportError as err:
        raise UserError("backend openvino-int8 needs OpenVINO: bash scripts/install.sh (or PAPERCHAT_EMBED__BACKEND=torch)") from err
    return openvino, nncf


def _tokenizer(source: Path, max_tokens: int):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()
    return tokenizer


def _feeds(encoded: list[list[int]], multiple: int = 1) -> tuple[dict, np.ndarray]:
    """Inputs for these word-piece lists padded to a multiple of ``multiple`` (each new input shape gets kernels of
    its own, kept: see embed.pad_multiple), and their attention mask."""
    ids = np.zeros((len(encoded), -(-max(map(len, encoded)) // multiple) * multiple), dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, pieces in enumerate(encoded):
        ids[row, : len(pieces)], mask[row, : len(pieces)] = pieces, 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}, mask


def quantised_model(source: Path, cache_root: Path, max_tokens: int, progress=print) -> Path:
    """The int8 IR (model.xml) for ``source``; made on first use (about 35 s on 2 cores)."""
    from rag.embedder.onnx_export import build_aside, onnx_export

    target = cache_root / f"{source.name}-openvino-int8"
    if (target / "model.xml").is_file():
        return target / "model.xml"
    openvino, nncf = _openvino()
    progress(f"Quantising {source.name} to int8 for OpenVINO once, into {target}")
    texts, tokenizer = calibration_texts(), _tokenizer(source, max_tokens)

    def build(staging: Path) -> None:
        onnx_export(source, staging / "export")
        model = openvino.Core().read_model(str(staging / "export" / "onnx" / "model.onnx"))
        data = nncf.Dataset([_feeds([encoding.ids])[0] for encoding in tokenizer.encode_batch(texts)])
        quantised = nncf.quantize(model, data, model_type=nncf.ModelType.TRANSFORMER, subset_size=len(texts))
        openvino.save_model(quantised, str(staging / "model.xml"))
        shutil.rmtree(staging / "export")  # the fp32 ONNX is not used again

    build_aside(target, build)
    return target / "model.xml"


def calibration_texts() -> list[str]:
    """Abstracts from the bundled listing pages (their long paragraphs), to calibrate the int8 ranges on."""
    from rag.settings import BUNDLED_CORPUS

    paragraphs = (p for f in sorted(BUNDLED_CORPUS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n"))
    return [p.strip() for p in paragraphs if len(p) > 400][:CALIBRATION_TEXTS]


class OpenVINOEncoder(Encoder):
    """Texts sorted by length and batched; mean or CLS pooling as the source folder's pooling config says."""

    def __init__(self, source: Path, model_xml: Path, batch_size: int, max_tokens: int, pad_multiple: int = 1):
        openvino, _ = _openvino()
        self.model = openvino.Core().compile_model(str(model_xml), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
        self.tokenizer, self.batch_size, self.pad_multiple = _tokenizer(source, max_tokens), batch_size, pad_multiple
        pooling = source / "1_Pooling" / "config.json"
        config = json.loads(pooling.read_text()) if pooling.is_file() else {}
        self.cls = config.get("pooling_mode") == "cls" or bool(config.get("pooling_mode_cls_token"))
        self.inputs = {name for port in self.model.inputs for name in port.get_names()}
        # One forward pass at a time, on one request: four answers embedding their questions at once, each on a request
        # of its own, hung the process for good (an eval at --parallel 4; every thread waiting inside OpenVINO, as when
        # new input shapes are compiled concurrently on few cores). Per batch, so that a question asked while the page
        # indexes waits for one batch, not for the indexing's whole call.
        self._lock, self._request = threading.Lock(), None

    def encode(self, texts: list[str]) -> np.ndarray:
        encoded = [encoding.ids for encoding in self.tokenizer.encode_batch(texts)]
        out = np.zeros((len(texts), self.model.outputs[0].get_partial_shape()[-1].get_length()), dtype=np.float32)
        for rows in length_sorted_batches([len(ids) for ids in encoded], self.batch_size):
            feeds, mask = _feeds([encoded[i] for i in rows], self.pad_multiple)
            with self._lock:  # infer returns a copy of the output (share_outputs=False): the next pass may reuse the request
                request = self._request = self._request or self.model.create_infer_request()
                states = request.infer({k: v for k, v in feeds.items() if k in self.inputs})[0]
            vectors = states[:, 0] if self.cls else (states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
            out[rows] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        return out
