"""Text -> unit vectors, three ways behind one interface: sentence-transformers in this process (torch, or an
int8 ONNX export of the same model), or any OpenAI-compatible embeddings server (Infinity, vLLM, llama.cpp)."""

import threading
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from rag.errors import UserError


def length_sorted_batches(lengths: list[int], size: int):
    """Row numbers in batches of ``size``, shortest texts first, so each batch pads to a similar length."""
    order = np.argsort(lengths, kind="stable")
    for start in range(0, len(order), size):
        yield order[start : start + size]


class Encoder(ABC):
    @abstractmethod
    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""


class SentenceEncoder(Encoder):
    """sentence-transformers' modules, fed by hand: a call's texts are sorted by their length in word pieces and
    batched, so padding stays small (callers hand it whole groups, hundreds of chunks), each batch to a multiple of
    ``pad_multiple`` word pieces (few shapes: the math library keeps kernels per shape); no autograd bookkeeping;
    with ``bf16``, the model's weights in bf16 (autocast instead, which casts them at every product, was 1.4x slower
    for the same vectors: cosine >= 0.9999 to fp32 either way). One call at a time: the
    fast tokenizer's truncation and padding are settings of the tokenizer itself, so two threads tokenizing at once
    (answers under way side by side) corrupt each other's batches."""

    def __init__(self, folder: Path, batch_size: int, max_tokens: int, onnx_file: str | None = None, bf16: bool = False,
                 pad_multiple: int = 1):
        from sentence_transformers import SentenceTransformer

        kwargs = {"backend": "onnx", "model_kwargs": {"file_name": onnx_file}} if onnx_file else {}
        self.model = SentenceTransformer(str(folder), device="cpu", local_files_only=True, **kwargs)
        self.model.max_seq_length = max_tokens
        self.batch_size, self.max_tokens, self.pad_multiple = batch_size, max_tokens, pad_multiple
        if bf16 and not onnx_file:
            import torch

            self.model.to(torch.bfloat16)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self._encode(texts)

    def _encode(self, texts: list[str]) -> np.ndarray:
        import torch

        out = np.zeros((len(texts), self.model.get_embedding_dimension()), dtype=np.float32)
        tokenizer = self.model.tokenizer
        encoded = tokenizer(texts, truncation=True, max_length=self.max_tokens) if texts else {"input_ids": []}
        with torch.inference_mode():
            for rows in length_sorted_batches([len(ids) for ids in encoded["input_ids"]], self.batch_size):
                # the word pieces of the one tokenizer pass, padded per batch (preprocess would tokenize them again)
                features = tokenizer.pad({key: [values[i] for i in rows] for key, values in encoded.items()}, return_tensors="pt",
                                         pad_to_multiple_of=self.pad_multiple)
                vectors = self.model(dict(features))["sentence_embedding"].float()
                out[rows] = torch.nn.functional.normalize(vectors, dim=1).numpy()
        return out


class OpenAIEncoder(Encoder):
    """POST /v1/embeddings on a server the user runs; vectors are normalised here, whatever the server does."""

    def __init__(self, base_url: str, model: str, api_key: str, batch_size: int, timeout: float = 120.0):
        from openai import OpenAI

        self.client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=2)
        self.base_url, self.model, self.batch_size = base_url, model, max(batch_size, 1)

    def encode(self, texts: list[str]) -> np.ndarray:
        import openai

        rows: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            try:
                got = self.client.embeddings.create(model=self.model, input=texts[start : start + self.batch_size])
            except openai.APIConnectionError as err:
                raise UserError(f"cannot reach the embeddings server at {self.base_url} ({err})") from err
            except openai.APIStatusError as err:
                raise UserError(f"the embeddings server at {self.base_url} refused the request: {err.message}") from err
            rows.extend(item.embedding for item in sorted(got.data, key=lambda item: item.index))
        vectors = np.asarray(rows, dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
