"""A constrained choice from the model: the probability of each option as its next word.

Read from the next-token logits rather than sampled, so a small model's habit of opening with "Yes"
can be measured and corrected (see strategies/yesno.py). Per backend:
- llama_cpp: a logits processor on the underlying ``llama_cpp.Llama`` reads the last logits (no
  ``logits_all``, so memory does not grow with the context; the cached prompt prefix is reused);
- llama_server, openai: the server's ``top_logprobs`` for one generated token;
- transformers: one forward pass of the Hugging Face model.
Options are matched by their first token, with and without a leading space and capital.
"""

import numpy as np

from rag.settings import Settings


def _variants(option: str) -> set[str]:
    return {option, option.lower(), option.capitalize(), " " + option, " " + option.lower(), " " + option.capitalize()}


def _from_logits(logits: np.ndarray, first_token) -> dict[str, float]:
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    return first_token(probs)


def next_word_probabilities(llm, settings: Settings, messages: list[dict], options: list[str]) -> dict[str, float]:
    from rag.llm import served

    backend = settings.llm.backend
    if served(settings):
        raw = _openai(llm, messages, options)
    elif backend == "transformers":
        raw = _transformers(llm, messages, options)
    else:
        raw = _llama_cpp(llm, messages, options)
    total = sum(raw.values()) or 1.0
    return {o: p / total for o, p in raw.items()}


def _llama_cpp(llm, messages: list[dict], options: list[str]) -> dict[str, float]:
    from llama_cpp import LogitsProcessorList

    from rag.llm import chat_messages
    from rag.llm.llama_cpp_backend import chatml

    model = llm._model
    prompt = chatml(chat_messages(messages))
    captured = {}

    def grab(_input_ids, scores):
        captured["logits"] = np.array(scores, dtype=np.float64, copy=True)
        return scores

    model.create_completion(prompt, max_tokens=1, temperature=0.0, top_k=1, logits_processor=LogitsProcessorList([grab]))
    ids = {o: {model.tokenize(v.encode(), add_bos=False, special=False)[0] for v in _variants(o)} for o in options}
    return _from_logits(captured["logits"], lambda p: {o: float(sum(p[i] for i in ids[o])) for o in options})


def _transformers(llm, messages: list[dict], options: list[str]) -> dict[str, float]:
    import torch

    tokenizer, model = llm._tokenizer, llm._model
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    inputs = tokenizer(text, return_tensors="pt").to(model.device)
    with torch.no_grad():
        logits = model(**inputs).logits[0, -1].float().cpu().numpy()
    ids = {o: {tokenizer.encode(v, add_special_tokens=False)[0] for v in _variants(o)} for o in options}
    return _from_logits(logits, lambda p: {o: float(sum(p[i] for i in ids[o])) for o in options})


def _openai(llm, messages: list[dict], options: list[str]) -> dict[str, float]:
    """``llm``: llama-index's OpenAILike (its server, key and model name)."""
    from rag.llm.openai_backend import client

    with client(llm) as api:
        reply = api.chat.completions.create(model=llm.model, messages=messages, max_tokens=1, temperature=0,
                                            logprobs=True, top_logprobs=20)
    top = reply.choices[0].logprobs.content[0].top_logprobs
    out = {o: 0.0 for o in options}
    for entry in top:
        for o in options:
            if entry.token in _variants(o):
                out[o] += float(np.exp(entry.logprob))
    return out
