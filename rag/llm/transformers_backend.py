"""Any local Hugging Face model folder through transformers (llama-index ``HuggingFaceLLM``).

For users with other models or a GPU. A GGUF file works too (transformers dequantises it: slow on CPU).
"""

from pathlib import Path

from rag.errors import UserError
from rag.settings import LLMSettings


def load(llm: LLMSettings, models_dir: Path):
    from llama_index.llms.huggingface import HuggingFaceLLM

    if not llm.model_path:
        raise UserError("the transformers backend needs PAPERCHAT_LLM__MODEL_PATH: a local model folder or .gguf file")
    path = Path(llm.model_path).expanduser()
    if not path.exists():
        raise UserError(f"model {path} not found")
    model_kwargs, folder = {}, path
    if path.suffix == ".gguf":
        model_kwargs, folder = {"gguf_file": path.name}, path.parent
    generate = {"do_sample": llm.temperature > 0} | ({"temperature": llm.temperature} if llm.temperature > 0 else {})
    return HuggingFaceLLM(
        model_name=str(folder),
        tokenizer_name=str(folder),
        model_kwargs=model_kwargs,
        tokenizer_kwargs=model_kwargs,
        context_window=llm.context_window,
        max_new_tokens=llm.max_new_tokens,
        generate_kwargs=generate,
        device_map="auto",
        is_chat_model=True,
    )
