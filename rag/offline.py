"""Run-time environment for a machine with no internet: set before any model library loads.

Each default is only applied when the user has not set the variable, so a user with a network
can still opt back in (e.g. HF_HUB_OFFLINE=0).
"""

import importlib.util
import os
from pathlib import Path

_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",  # a hub id would otherwise cost ~60 s of retries before failing
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",  # no version check / analytics threads
    "ANONYMIZED_TELEMETRY": "False",  # chromadb
    "TOKENIZERS_PARALLELISM": "false",
    # Libraries' own tqdm bars (bm25s loading, weight loading) would interleave with ours.
    "TQDM_DISABLE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def _bundled_tiktoken_cache() -> str | None:
    """llama-index ships cl100k_base/o200k_base; tiktoken would otherwise download them."""
    try:
        spec = importlib.util.find_spec("llama_index.core")
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return str(path) if path.is_dir() else None


def configure() -> None:
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        cache = _bundled_tiktoken_cache()
        if cache:
            os.environ["TIKTOKEN_CACHE_DIR"] = cache
