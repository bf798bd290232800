from rag import embedder
from rag.errors import UserError
from rag.settings import Settings
from rag.store.chroma import PaperStore, StoredPaper


def open_store(settings: Settings, writing: bool = False) -> PaperStore:
    """The store for the configured embedder (checked against what built the store; no model load)."""
    store = PaperStore(settings, embedder.model_name(settings), embedder.dimension(settings))
    if store.legacy and not writing:
        raise UserError(f"the store {store.location} was written by an older PaperChat and has no catalog of its "
                        f"papers; run `paperchat ingest` on your sources again to re-index it")
    return store


__all__ = ["PaperStore", "StoredPaper", "open_store"]
