"""backend=llama_cpp: a local GGUF inside this process, through llama-cpp-python (llama-index ``LlamaCPP``).

llama.cpp keeps the evaluated tokens of the previous call and only evaluates what differs, so a fixed system prompt at
the start of every prompt is read once per process. One answer at a time (``lock``). Choices read the last logits with
a logits processor (no ``logits_all``, so memory does not grow with the context); JSON is constrained by
llama-cpp-python's ``response_format`` (a grammar made from the schema).
"""

import os
from pathlib import Path

import numpy as np

from rag.errors import UserError
from rag.llm.base import variants
from rag.llm.in_process import InProcessBackend, option_probabilities
from rag.settings import LLMSettings


def chatml(messages: list[dict]) -> str:
    """Qwen's chat format (ChatML), ending with the opened assistant turn."""
    turns = [f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages]
    return "".join(turns) + "<|im_start|>assistant\n"


def model_path(llm: LLMSettings, models_dir: Path) -> Path:
    if llm.model_path:
        path = Path(llm.model_path).expanduser()
        if not path.is_file():
            raise UserError(f"GGUF model {path} not found; set PAPERCHAT_LLM__MODEL_PATH to a .gguf file")
        return path
    from rag.llm.packaged_gguf import assemble

    return assemble(models_dir)


class LlamaCppBackend(InProcessBackend):
    def _load(self):
        try:
            from llama_index.llms.llama_cpp import LlamaCPP
        except ImportError as err:
            raise UserError("backend=llama_cpp needs the inprocess extra: `bash scripts/install.sh inprocess` "
                            "(compiles llama-cpp-python, ~6 minutes)") from err

        llm = self.settings.llm
        path = model_path(llm, self.settings.models_dir)
        threads = llm.threads or len(os.sched_getaffinity(0))
        try:
            return LlamaCPP(
                model_path=str(path),
                temperature=llm.temperature,
                max_new_tokens=llm.max_new_tokens,
                context_window=llm.context_window,
                generate_kwargs={"stop": ["<|im_end|>", "<|endoftext|>"], "top_k": 1 if llm.temperature == 0 else 40},
                model_kwargs={"n_threads": threads, "n_threads_batch": threads, "n_batch": 512, "flash_attn": True, "verbose": False},
                messages_to_prompt=lambda messages: chatml([{"role": m.role.value, "content": m.content} for m in messages]),
                completion_to_prompt=lambda text: chatml([{"role": "user", "content": text}]),
                verbose=False,
            )
        except (ValueError, RuntimeError, MemoryError) as err:
            raise UserError(f"could not load the answer model {path} ({err}); it needs about 2 GB of free memory. "
                            "Free memory, or set PAPERCHAT_LLM__BACKEND=openai to use a model served elsewhere") from err

    def next_word(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        from llama_cpp import LogitsProcessorList

        model = self.model._model  # the llama_cpp.Llama inside llama-index's wrapper
        captured = {}

        def grab(_input_ids, scores):
            captured["logits"] = np.array(scores, dtype=np.float64, copy=True)
            return scores

        model.create_completion(chatml(messages), max_tokens=1, temperature=0.0, top_k=1,
                                logits_processor=LogitsProcessorList([grab]))
        ids = {o: {model.tokenize(v.encode(), add_bos=False, special=False)[0] for v in variants(o)} for o in options}
        return option_probabilities(captured["logits"], ids)

    def structured(self, messages: list[dict], schema: dict, max_tokens: int) -> str:
        reply = self.model._model.create_chat_completion(messages=messages, temperature=0, max_tokens=max_tokens,
                                                         response_format={"type": "json_object", "schema": schema})
        return reply["choices"][0]["message"]["content"] or ""

    def describe(self) -> str:
        from rag.llm.packaged_gguf import DESCRIPTION

        return f"llama_cpp: {self.settings.llm.model_path or DESCRIPTION}"
