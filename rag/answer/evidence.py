"""For each retrieved paper, its abstract's sentences scored against the question.

The model reads the prompt at ~70-140 tokens/s on 2 cores, so what it reads is the cost: instead of
whole chunks, each paper contributes its sentences closest to the question, kept in the abstract's
own order. A sentence's score is its cosine to the question (same embedder) plus a bonus for the
question's own words it contains: names, numbers and long enumerations are what embeddings of short
sentences underrate. The best sentence score of a paper is also what the strategies rank papers by:
what a paper's evidence says, not only its retrieval rank.
"""

from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np

from rag import embedder
from rag.answer.naming import contribution, mention, short_name
from rag.answer.prompting import count_tokens
from rag.answer.words import content_words
from rag.ingest.chunking import unique_sentences
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from rag.store import PaperStore

_CACHE_SIZE = 50_000  # sentence vectors kept in memory (~75 MB at 384 dims): follow-ups reuse them
_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def embed_sentences(sentences: list[str], settings: Settings) -> np.ndarray:
    """Sentence vectors, embedding only those not seen before in this process."""
    model_name = embedder.model_name(settings)
    missing = list(dict.fromkeys(s for s in sentences if (model_name, s) not in _vectors))
    if missing:
        for sentence, vector in zip(missing, embedder.load_embed_model(settings).get_text_embedding_batch(missing), strict=True):
            _vectors[(model_name, sentence)] = np.asarray(vector, dtype=np.float32)
    for sentence in sentences:
        _vectors.move_to_end((model_name, sentence))
    while len(_vectors) > _CACHE_SIZE:
        _vectors.popitem(last=False)
    return np.stack([_vectors[(model_name, s)] for s in sentences]) if sentences else np.zeros((0, 1), dtype=np.float32)


@dataclass
class PaperEvidence:
    hit: Hit
    sentences: list[str]  # the whole abstract, in order (the title is in hit.title)
    scores: np.ndarray  # one per sentence
    rank: int  # retrieval rank, from 0
    title_score: float = 0.0  # the title scored like a sentence: titles name what a paper does
    common: frozenset[str] = frozenset()  # the store's field vocabulary, never a paper's own name (naming.py)
    question_words: frozenset[str] = frozenset()
    lexical_weight: float = 0.3  # answer.sentences.lexical_weight
    vectors: np.ndarray | None = None  # the sentences' embeddings (unit length), one row per sentence

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

    def top_sentence(self, n: int = 1) -> str:
        """The ``n`` sentences closest to the question, in the abstract's order."""
        if not self.sentences:
            return self.hit.passage
        return " ".join(self.sentences[i] for i in sorted(np.argsort(-self.scores)[:n]))

    def row(self, n: int) -> str:
        """A survey row: the sentence where the paper says what it contributes ("we propose ...") and the ``n - 1``
        closest to the question besides, in the abstract's order; the ``n`` closest when it says so nowhere."""
        own = contribution(self.sentences) if n > 1 else None
        if own is None:
            return self.top_sentence(n)
        closest = [i for i in np.argsort(-self.scores) if i != own][: n - 1]
        return " ".join(self.sentences[i] for i in sorted([own, *closest]))

    def excerpt(self, budget: int) -> str:
        """Sentences within ``budget`` tokens, in the abstract's order, chosen greedily: each next one by its
        closeness to the question plus the question words it adds that the chosen ones lack. So after the
        sentence that matches how the question describes the paper comes the one holding what it asks."""
        if not self.sentences:
            return self.hit.passage
        words = [content_words(s) & self.question_words for s in self.sentences]
        per_word = self.lexical_weight / max(len(self.question_words), 1)
        base = self.scores - per_word * np.asarray([len(w) for w in words])
        chosen: list[int] = []
        covered: set[str] = set()
        used = 0
        while len(chosen) < len(self.sentences):
            gain = [-np.inf if i in chosen else base[i] + 2 * per_word * len(words[i] - covered) for i in range(len(self.sentences))]
            i = int(np.argmax(gain))
            cost = count_tokens(self.sentences[i])
            if chosen and used + cost > budget:
                break
            chosen.append(i)
            covered |= words[i]
            used += cost
        return " ".join(self.sentences[i] for i in sorted(chosen))

    def with_passage(self, passage: str) -> Hit:
        return replace(self.hit, passage=passage, relevance=max(self.hit.relevance or 0.0, self.best))


def _lexical(question_words: set[str], sentence: str) -> float:
    return len(question_words & content_words(sentence)) / len(question_words) if question_words else 0.0


def score_papers(question: str, query_embedding: list[float], hits: list[Hit], store: PaperStore,
                 settings: Settings, common: frozenset[str] = frozenset(), limit: int | None = None) -> list[PaperEvidence]:
    """Every hit's abstract sentences, scored against the question, in retrieval order; ``limit`` keeps the first
    papers only, before their sentences are embedded (the costly part)."""
    hits = hits[:limit] if limit else hits
    if not hits:
        return []
    per_paper = {pid: unique_sentences(chunks) for pid, (_, chunks) in store.chunks_by_paper([h.paper_id for h in hits]).items()}
    flat = [s for h in hits for s in per_paper.get(h.paper_id, [])] + [h.title for h in hits]
    vectors = embed_sentences(flat, settings)
    question_words = content_words(question)
    weight = settings.answer.sentences.lexical_weight
    scores = (vectors @ np.asarray(query_embedding) + weight * np.asarray([_lexical(question_words, s) for s in flat])
              if flat else np.zeros(0))
    out, start, titles = [], 0, scores[len(scores) - len(hits):]
    for rank, hit in enumerate(hits):
        sentences = per_paper.get(hit.paper_id, [])
        out.append(PaperEvidence(hit, sentences, scores[start:start + len(sentences)], rank, float(titles[rank]), common,
                                 frozenset(question_words), weight, vectors[start:start + len(sentences)]))
        start += len(sentences)
    return out
