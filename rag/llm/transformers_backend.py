"""backend=transformers: any local Hugging Face model folder (llama-index ``HuggingFaceLLM``), e.g. on a GPU.

A GGUF file works too (transformers dequantises it: slow on CPU). Choices are one forward pass; JSON is not
constrained: the text from the first ``{`` to the last ``}`` is returned for the caller to validate.
"""

from pathlib import Path

from rag.errors import UserError
from rag.llm.base import variants
from rag.llm.in_process import InProcessBackend, option_probabilities


class TransformersBackend(InProcessBackend):
    def _load(self):
        try:
            from llama_index.llms.huggingface import HuggingFaceLLM
        except ImportError as err:
            raise UserError("backend=transformers needs the hf extra: `bash scripts/install.sh hf`") from err

        llm = self.settings.llm
        if not llm.model_path:
            raise UserError("the transformers backend needs PAPERCHAT_LLM__MODEL_PATH: a local model folder or .gguf file")
        path = Path(llm.model_path).expanduser()
        if not path.exists():
            raise UserError(f"model {path} not found")
        model_kwargs, folder = {}, path
        if path.suffix == ".gguf":
            model_kwargs, folder = {"gguf_file": path.name}, path.parent
        generate = {"do_sample": llm.temperature > 0} | ({"temperature": llm.temperature} if llm.temperature > 0 else {})
        return HuggingFaceLLM(model_name=str(folder), tokenizer_name=str(folder), model_kwargs=model_kwargs,
                              tokenizer_kwargs=model_kwargs, context_window=llm.context_window,
                              max_new_tokens=llm.max_new_tokens, generate_kwargs=generate, device_map="auto",
                              is_chat_model=True)

    def next_word(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        import torch

        tokenizer, model = self.model._tokenizer, self.model._model  # inside llama-index's wrapper
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        inputs = tokenizer(text, return_tensors="pt").to(model.device)
        with torch.no_grad():
            logits = model(**inputs).logits[0, -1].float().cpu().numpy()
        ids = {o: {tokenizer.encode(v, add_special_tokens=False)[0] for v in variants(o)} for o in options}
        return option_probabilities(logits, ids)

    def structured(self, messages: list[dict], schema: dict, max_tokens: int) -> str:
        text = self.complete(messages, max_tokens)
        return text[text.find("{"): text.rfind("}") + 1]

    def describe(self) -> str:
        return f"transformers: {self.settings.llm.model_path}"
