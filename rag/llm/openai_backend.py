"""Any OpenAI-compatible server (vLLM, llama.cpp server, Ollama) by base URL and model name."""

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
