"""PaperChat: question answering over research-paper abstracts, entirely on this machine.

Data path, one module per step:
    rag.ingest   sources -> Paper records -> chunks        (parsers, de-duplication, chunking)
    rag.store    chunks -> Chroma (embedded or server)     (idempotent, crash-safe writes)
    rag.retrieve question -> ranked papers                 (dense + BM25, reciprocal-rank fusion)
    rag.answer   papers -> grounded, cited answer          (prompt budget, LLM, citation checks)
"""

from rag import offline as _offline

_offline.configure()

__version__ = "0.1.0"
