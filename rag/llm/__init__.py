"""Answer-model backends behind one interface (base.py: ``Backend``), chosen by ``llm.backend`` in one registry:

    llama_server (default) a local GGUF (the packaged Qwen2.5-Coder-1.5B-Instruct) in llama.cpp's own server, a child
                 process with parallel slots (llama_server.py), spoken to like an openai server
    llama_cpp    the same GGUF inside this process: one answer at a time
    transformers a local Hugging Face folder (or GGUF) through transformers, e.g. for a GPU
    openai       any OpenAI-compatible server (vLLM, llama.cpp server, Ollama)
"""

import importlib
import threading

from rag.llm.base import Backend
from rag.settings import Settings

BACKENDS = {  # llm.backend -> "module:class", imported only when chosen (each pulls in its own heavy libraries)
    "llama_server": "rag.llm.llama_server:LlamaServerBackend",
    "llama_cpp": "rag.llm.llama_cpp_backend:LlamaCppBackend",
    "transformers": "rag.llm.transformers_backend:TransformersBackend",
    "openai": "rag.llm.openai_backend:OpenAIBackend",
}
_backends: dict[str, Backend] = {}
_lock = threading.Lock()

__all__ = ["BACKENDS", "Backend", "backend_for"]


def backend_for(settings: Settings, prefix: list[dict] | None = None) -> Backend:
    """This process's backend for these model settings: one per configuration, so that a model loads once and one
    lock guards it. ``prefix``: the messages every prompt starts with (read once, where the backend can)."""
    key = f"{settings.llm.model_dump_json()}|{settings.models_dir}"
    with _lock:
        if key not in _backends:
            module, name = BACKENDS[settings.llm.backend].split(":")
            _backends[key] = getattr(importlib.import_module(module), name)(settings, prefix)
        backend = _backends[key]
        if backend.prefix is None:  # made earlier without one (to describe it, say): the model is not read yet
            backend.prefix = prefix
        return backend
