"""Answer-model backends behind one interface: llama-index's ``LLM`` (``stream_chat`` / ``chat``).

    llama_server (default) a local GGUF (the packaged Qwen2.5-Coder-1.5B-Instruct) in llama.cpp's own server, a child
                 process with parallel slots (llama_server.py), spoken to like an openai server
    llama_cpp    the same GGUF inside this process: one answer at a time
    transformers a local Hugging Face folder (or GGUF) through transformers, e.g. for a GPU
    openai       any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)
"""

import contextlib
import threading
from collections.abc import Iterator

from rag.settings import Settings

_loaded: dict[str, object] = {}
_model_locks: dict[str, threading.Lock] = {}
_lock = threading.Lock()


def _key(settings: Settings) -> str:
    return f"{settings.llm.model_dump_json()}|{settings.models_dir}"


def served(settings: Settings) -> bool:
    """Whether the model is behind an OpenAI-compatible server (ours or the user's)."""
    return settings.llm.backend in ("llama_server", "openai")


def capacity(settings: Settings) -> int:
    """Answers written at once: a server's parallel slots, or one for a model in this process."""
    return settings.llm.parallel if served(settings) else 1


def model_lock(settings: Settings):
    """Held while a local model generates: llama.cpp aborts the process if two threads use one model.
    A server does its own scheduling, so nothing is held for it."""
    if served(settings):
        return contextlib.nullcontext()
    with _lock:
        return _model_locks.setdefault(_key(settings), threading.Lock())


def chat_messages(messages: list[dict]):
    """Role/content dicts as llama-index chat messages."""
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


def load_llm(settings: Settings, prefix: list[dict] | None = None):
    """The configured model, loaded once per process and reused (thread-safe). ``prefix``: messages every prompt
    starts with; our llama_server reads them and copies the cache into every slot while loading, before any
    answer can reach it."""
    key = _key(settings)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(settings, prefix)
        return _loaded[key]


def stream_text(settings: Settings, llm, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
    """The model's reply as text deltas. Close the generator to stop it: a server's request is closed with it."""
    if served(settings):
        from rag.llm.openai_backend import stream_text as from_server

        yield from from_server(llm, messages, max_tokens)
    else:  # in this process: stopping the iteration stops the generation
        for count, chunk in enumerate(llm.stream_chat(chat_messages(messages)), start=1):
            yield chunk.delta
            if max_tokens and count >= max_tokens:
                return


def warm(settings: Settings, prefix: list[dict]) -> None:
    """Load the model and have it read ``prefix`` so that no answer reads it again: our server does so while
    loading (every slot), a model in this process keeps the last prompt it read."""
    llm = load_llm(settings, prefix)
    if not served(settings):  # the prompt is read once the first token comes
        with model_lock(settings), contextlib.closing(stream_text(settings, llm, prefix, max_tokens=1)) as deltas:
            next(deltas, None)


def describe(settings: Settings) -> str:
    from rag.llm.packaged_gguf import DESCRIPTION

    llm = settings.llm
    if llm.backend == "openai":
        return f"openai: {llm.model_name} at {llm.base_url}"
    slots = f" ({llm.parallel} slots in a llama.cpp server process)" if llm.backend == "llama_server" else ""
    return f"{llm.backend}: {llm.model_path or DESCRIPTION}{slots}"


def _load(settings: Settings, prefix: list[dict] | None):
    llm = settings.llm
    if llm.backend == "llama_server":
        from rag.llm.llama_server import load as serve

        return serve(settings, prefix)
    if llm.backend == "llama_cpp":
        from rag.llm.llama_cpp_backend import load
    elif llm.backend == "transformers":
        from rag.llm.transformers_backend import load
    else:
        from rag.llm.openai_backend import load
    return load(llm, settings.models_dir)
