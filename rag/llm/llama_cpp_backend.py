"""A local GGUF through llama.cpp (llama-index ``LlamaCPP``).

llama.cpp keeps the evaluated tokens of the previous call and only evaluates what differs, so a
fixed system prompt at the start of every prompt is read once per process, not once per question.
"""

import os
from pathlib import Path

from rag.errors import UserError
from rag.settings import LLMSettings


def chatml(messages) -> str:
    """Qwen's chat format (ChatML), ending with the opened assistant turn."""
    turns = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(turns) + "<|im_start|>assistant\n"


def model_path(llm: LLMSettings, models_dir: Path) -> Path:
    if llm.model_path:
        path = Path(llm.model_path).expanduser()
        if not path.is_file():
            raise UserError(f"GGUF model {path} not found; set PAPERCHAT_LLM__MODEL_PATH to a .gguf file")
        return path
    from rag.llm.packaged_gguf import assemble

    return assemble(models_dir)


def load(llm: LLMSettings, models_dir: Path):
    from llama_index.core.llms import ChatMessage
    from llama_index.llms.llama_cpp import LlamaCPP

    path = model_path(llm, models_dir)
    threads = llm.threads or len(os.sched_getaffinity(0))
    try:
        return LlamaCPP(
            model_path=str(path),
            temperature=llm.temperature,
            max_new_tokens=llm.max_new_tokens,
            context_window=llm.context_window,
            generate_kwargs={"stop": ["<|im_end|>", "<|endoftext|>"], "top_k": 1 if llm.temperature == 0 else 40},
            model_kwargs={"n_threads": threads, "n_threads_batch": threads, "n_batch": 512, "flash_attn": True, "verbose": False},
            messages_to_prompt=chatml,
            completion_to_prompt=lambda text: chatml([ChatMessage(role="user", content=text)]),
            verbose=False,
        )
    except (ValueError, RuntimeError, MemoryError) as err:
        raise UserError(f"could not load the answer model {path} ({err}); it needs about 2 GB of free memory. "
                        "Free memory, or set PAPERCHAT_LLM__BACKEND=openai to use a model served elsewhere") from err
