"""Our encoders as a llama-index ``BaseEmbedding``, so its retrievers and indexes use them unchanged."""

from functools import lru_cache

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from rag.embedder.encoders import Encoder


class EncoderEmbedding(BaseEmbedding):
    _encoder: Encoder = PrivateAttr()

    @classmethod
    @lru_cache(maxsize=4)
    def for_encoder(cls, encoder: Encoder) -> "EncoderEmbedding":
        model = cls(model_name=type(encoder).__name__, embed_batch_size=2048)  # the encoder batches itself
        model._encoder = encoder
        return model

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encoder.encode([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encoder.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encoder.encode(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)
