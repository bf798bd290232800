"""For each source paper, the few sentences of its abstract that bear on the question.

The model reads the prompt at ~70 tokens/s on 2 cores, so what it reads is the cost: instead of
whole chunks, each paper contributes its sentences closest to the question, within
``answer.evidence_tokens`` shared by the papers shown, kept in the abstract's own order. A sentence's
score is its cosine to the question (same embedder) plus a bonus for the question's own words it
contains: names, numbers and long enumerations are what embeddings of short sentences underrate.
"""

import numpy as np

from rag import embedder
from rag.answer.context import count_tokens
from rag.answer.guards import content_words
from rag.ingest.chunking import unique_sentences
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from rag.store import PaperStore

LEXICAL_WEIGHT = 0.3


def _lexical(question_words: set[str], sentence: str) -> float:
    return len(question_words & content_words(sentence)) / len(question_words) if question_words else 0.0


def _pick(sentences: list[str], scores: np.ndarray, budget: int) -> str:
    chosen, used = [], 0
    for i in np.argsort(-scores):
        cost = count_tokens(sentences[i])
        if chosen and used + cost > budget:
            continue
        chosen.append(i)
        used += cost
        if used >= budget:
            break
    return " ".join(sentences[i] for i in sorted(chosen))


def focus_passages(question: str, query_embedding: list[float], hits: list[Hit], store: PaperStore,
                   settings: Settings) -> list[Hit]:
    """The papers worth showing the model, each with its question-focused excerpt as ``passage``.

    Rank order is kept; a paper whose best sentence is far below the best paper's is left out (less to
    read, less to confuse a small model), and the kept papers share ``answer.evidence_tokens``.
    """
    if not hits:
        return hits
    per_paper = {pid: unique_sentences(chunks) for pid, (_, chunks) in store.chunks_by_paper([h.paper_id for h in hits]).items()}
    model = embedder.load_embed_model(settings)
    flat = [s for h in hits for s in per_paper.get(h.paper_id, [])]
    vectors = np.asarray(model.get_text_embedding_batch(flat)) if flat else np.zeros((0, 1))
    query = np.asarray(query_embedding)
    question_words = content_words(question)
    lexical = np.asarray([_lexical(question_words, s) for s in flat]) if flat else np.zeros(0)
    cosines = vectors @ query if flat else np.zeros(0)
    scored, start = [], 0
    for hit in hits:
        span = slice(start, start + len(per_paper.get(hit.paper_id, [])))
        start = span.stop
        best_cosine = float(cosines[span].max()) if span.stop > span.start else 0.0
        scored.append((hit, span, max(hit.relevance or 0.0, best_cosine)))
    floor = max(settings.answer.source_relevance, max(r for *_, r in scored) - settings.answer.relevance_gap)
    kept = [item for item in scored if item[2] >= floor]
    budget = settings.answer.evidence_tokens // len(kept)
    focused = []
    for hit, span, relevance in kept:
        sentences = flat[span]
        passage = _pick(sentences, cosines[span] + LEXICAL_WEIGHT * lexical[span], budget) if sentences else hit.passage
        focused.append(Hit(hit.paper_id, hit.title, hit.score, passage, hit.chunk_id, hit.metadata, relevance))
    return focused
