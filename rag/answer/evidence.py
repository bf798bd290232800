"""For each retrieved paper, its abstract's sentences scored against the question.

The model reads the prompt at ~70-140 tokens/s on 2 cores, so what it reads is the cost: instead of
whole chunks, each paper contributes its sentences closest to the question, kept in the abstract's
own order. A sentence's score is its cosine to the question (same embedder) plus a bonus for the
question's own words it contains: names, numbers and long enumerations are what embeddings of short
sentences underrate. The best sentence score of a paper is also what the strategies rank papers by:
what a paper's evidence says, not only its retrieval rank.
"""

from dataclasses import dataclass, replace

import numpy as np

from rag import embedder
from rag.answer.context import count_tokens
from rag.answer.guards import content_words
from rag.answer.naming import mention, short_name
from rag.ingest.chunking import unique_sentences
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from rag.store import PaperStore

LEXICAL_WEIGHT = 0.3


@dataclass
class PaperEvidence:
    hit: Hit
    sentences: list[str]  # the whole abstract, in order (the title is in hit.title)
    scores: np.ndarray  # one per sentence
    rank: int  # retrieval rank, from 0
    title_score: float = 0.0  # the title scored like a sentence: titles name what a paper does
    common: frozenset[str] = frozenset()  # the store's field vocabulary, never a paper's own name (naming.py)

    @property
    def name(self) -> str:
        return short_name(self.hit.title, self.abstract, self.common)

    @property
    def label(self) -> str:
        """How the paper is named to the model and in answers: short name and title."""
        return mention(self.hit.title, self.abstract, self.common)

    @property
    def best(self) -> float:
        return max(float(self.scores.max()) if len(self.scores) else (self.hit.relevance or 0.0), self.title_score)

    @property
    def abstract(self) -> str:
        return " ".join(self.sentences)

    def top_sentence(self) -> str:
        return self.sentences[int(np.argmax(self.scores))] if self.sentences else self.hit.passage

    def excerpt(self, budget: int) -> str:
        """The best sentences within ``budget`` tokens, in the abstract's order."""
        if not self.sentences:
            return self.hit.passage
        chosen, used = [], 0
        for i in np.argsort(-self.scores):
            cost = count_tokens(self.sentences[i])
            if chosen and used + cost > budget:
                continue
            chosen.append(i)
            used += cost
            if used >= budget:
                break
        return " ".join(self.sentences[i] for i in sorted(chosen))

    def with_passage(self, passage: str) -> Hit:
        return replace(self.hit, passage=passage, relevance=max(self.hit.relevance or 0.0, self.best))


def _lexical(question_words: set[str], sentence: str) -> float:
    return len(question_words & content_words(sentence)) / len(question_words) if question_words else 0.0


def score_papers(question: str, query_embedding: list[float], hits: list[Hit], store: PaperStore,
                 settings: Settings, common: frozenset[str] = frozenset()) -> list[PaperEvidence]:
    """Every hit's abstract sentences, scored against the question, in retrieval order."""
    if not hits:
        return []
    per_paper = {pid: unique_sentences(chunks) for pid, (_, chunks) in store.chunks_by_paper([h.paper_id for h in hits]).items()}
    flat = [s for h in hits for s in per_paper.get(h.paper_id, [])] + [h.title for h in hits]
    vectors = np.asarray(embedder.load_embed_model(settings).get_text_embedding_batch(flat)) if flat else np.zeros((0, 1))
    question_words = content_words(question)
    scores = (vectors @ np.asarray(query_embedding) + LEXICAL_WEIGHT * np.asarray([_lexical(question_words, s) for s in flat])
              if flat else np.zeros(0))
    out, start, titles = [], 0, scores[len(scores) - len(hits):]
    for rank, hit in enumerate(hits):
        sentences = per_paper.get(hit.paper_id, [])
        out.append(PaperEvidence(hit, sentences, scores[start:start + len(sentences)], rank, float(titles[rank]), common))
        start += len(sentences)
    return out


def focus(evidence: list[PaperEvidence], settings: Settings, budget: int | None = None) -> list[Hit]:
    """The papers worth showing the model, each with its question-focused excerpt as ``passage``.

    Order is kept; a paper whose best sentence is far below the best paper's is left out (less to
    read, less to confuse a small model), and the kept papers share ``budget`` tokens.
    """
    if not evidence:
        return []
    top = max(e.best for e in evidence)
    kept = [e for e in evidence if e.best >= max(settings.answer.source_relevance, top - settings.answer.relevance_gap)]
    share = (budget or settings.answer.evidence_tokens) // max(len(kept), 1)
    return [e.with_passage(e.excerpt(share)) for e in kept]
