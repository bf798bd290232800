"""Any OpenAI-compatible server (vLLM, llama.cpp server, Ollama) by base URL and model name.

Answers are streamed with the ``openai`` client directly (not llama-index's ``stream_chat``), so that the request is
closed the moment its reader stops (Stop, a withdrawn answer, a length cap): the server then stops writing and its
slot is free at once, instead of when a garbage collector gets round to it.
"""

from collections.abc import Iterator
from pathlib import Path

from rag.settings import LLMSettings


def load(llm: LLMSettings, models_dir: Path):
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=llm.model_name,
        api_base=llm.base_url,
        api_key=llm.api_key,
        is_chat_model=True,
        context_window=llm.context_window,
        max_tokens=llm.max_new_tokens,
        temperature=llm.temperature,
        timeout=120,
    )


def client(llm):
    """A client for ``llm`` (llama-index's OpenAILike: its server, key and timeout); close it after use."""
    from openai import OpenAI

    return OpenAI(base_url=llm.api_base, api_key=llm.api_key, timeout=llm.timeout)


def stream_text(llm, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
    """The reply's text deltas; closing this generator closes the request."""
    with client(llm) as api, api.chat.completions.create(model=llm.model, messages=messages, stream=True,
                                                          temperature=llm.temperature,
                                                          max_tokens=max_tokens or llm.max_tokens) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                yield chunk.choices[0].delta.content
