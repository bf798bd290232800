from rag import embedder
from rag.settings import Settings
from rag.store.chroma import PaperStore, StoredPaper


def open_store(settings: Settings) -> PaperStore:
    """The store for the configured embedder (checked against what built the store; no model load)."""
    return PaperStore(settings, embedder.model_name(settings), embedder.dimension(settings))


__all__ = ["PaperStore", "StoredPaper", "open_store"]
