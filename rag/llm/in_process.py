"""What the two backends that run the model inside this process share: llama-index's ``LLM`` (``stream_chat``) for
the text, and the arithmetic that turns next-token logits into the options' probabilities."""

from collections.abc import Iterator

import numpy as np

from rag.llm.base import Backend


def chat_messages(messages: list[dict]):
    """Role/content dicts as llama-index chat messages."""
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]


def option_probabilities(logits: np.ndarray, ids: dict[str, set[int]]) -> dict[str, float]:
    """Each option's probability: the softmax of the next-token ``logits`` summed over the option's token ids."""
    probs = np.exp(logits - logits.max())
    probs /= probs.sum()
    return {option: float(sum(probs[i] for i in token_ids)) for option, token_ids in ids.items()}


class InProcessBackend(Backend):
    def stream(self, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
        """Stopping the iteration stops the generation."""
        for count, chunk in enumerate(self.model.stream_chat(chat_messages(messages)), start=1):
            yield chunk.delta
            if max_tokens and count >= max_tokens:
                return
