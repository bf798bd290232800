"""Answer-model backends behind one interface: llama-index's ``LLM`` (``stream_chat`` / ``chat``).

    llama_cpp    (default) a local GGUF through llama.cpp: the packaged Qwen2.5-Coder-1.5B-Instruct
    transformers a local Hugging Face folder (or GGUF) through transformers, e.g. for a GPU
    openai       any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)
"""

import contextlib
import threading

from rag.settings import Settings

_loaded: dict[str, object] = {}
_model_locks: dict[str, threading.Lock] = {}
_lock = threading.Lock()


def _key(settings: Settings) -> str:
    return f"{settings.llm.model_dump_json()}|{settings.models_dir}"


def model_lock(settings: Settings):
    """Held while a local model generates: llama.cpp aborts the process if two threads use one model.
    A remote (openai) server does its own scheduling, so nothing is held for it."""
    if settings.llm.backend == "openai":
        return contextlib.nullcontext()
    with _lock:
        return _model_locks.setdefault(_key(settings), threading.Lock())


def chat_messages(messages: list[dict]):
    """Role/content dicts as llama-index chat messages."""
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


def load_llm(settings: Settings):
    """The configured model, loaded once per process and reused (thread-safe)."""
    key = _key(settings)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(settings)
        return _loaded[key]


def describe(settings: Settings) -> str:
    from rag.llm.packaged_gguf import DESCRIPTION

    if settings.llm.backend == "openai":
        return f"openai: {settings.llm.model_name} at {settings.llm.base_url}"
    return f"{settings.llm.backend}: {settings.llm.model_path or DESCRIPTION}"


def _load(settings: Settings):
    llm = settings.llm
    if llm.backend == "llama_cpp":
        from rag.llm.llama_cpp_backend import load
    elif llm.backend == "transformers":
        from rag.llm.transformers_backend import load
    else:
        from rag.llm.openai_backend import load
    return load(llm, settings.models_dir)
