"""Question -> kind, by a classifier trained on labelled example questions (``examples.jsonl``).

Features: the question's embedding (the same MiniLM the retriever uses, so no extra model) and TF-IDF
word 1-3-grams of the question with numbers, years and months replaced by placeholders. A logistic
regression over both learns the *form* of a question from anywhere in it ("for CTR prediction, is
there ...", "gist of LoRA?"), not its opening word; the examples ask about the same invented topics in
every kind, so topic words carry no weight. Trained in under a second at first use; the example
embeddings are cached under the data directory. ``bench/router.py`` measures it on QA sets written
by others.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag import embedder
from rag.answer.kinds import KINDS, Kind
from rag.settings import Settings

EXAMPLES = Path(__file__).with_name("examples.jsonl")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december)\b", re.I)


@dataclass
class Route:
    kind: Kind
    scores: dict[str, float]  # probability per kind

    def ranked(self) -> list[Kind]:
        return sorted(self.scores, key=self.scores.get, reverse=True)


def normalise(question: str) -> str:
    text = _YEAR.sub(" YEAR ", question.lower())
    text = _MONTH.sub(" MONTH ", text)
    return _NUMBER.sub(" NUM ", text)


def load_examples(path: Path = EXAMPLES) -> list[tuple[str, Kind]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["question"], r["kind"]) for r in rows if r["kind"] in KINDS]


class Router:
    def __init__(self, settings: Settings, examples: list[tuple[str, Kind]] | None = None):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.settings = settings
        examples = examples or load_examples()
        questions, labels = [q for q, _ in examples], [k for _, k in examples]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b")
        words = self.vectorizer.fit_transform([normalise(q) for q in questions])
        features = self._stack(words, self._example_embeddings(questions))
        self.model = LogisticRegression(C=8.0, max_iter=2000).fit(features, labels)

    def _example_embeddings(self, questions: list[str]) -> np.ndarray:
        model = embedder.load_embed_model(self.settings)
        key = hashlib.sha1(("\n".join(questions) + embedder.model_name(self.settings)).encode()).hexdigest()[:16]
        cache = self.settings.cache_dir / f"router-examples-{key}.npy"
        if cache.is_file():
            return np.load(cache)
        vectors = np.asarray(model.get_text_embedding_batch(questions), dtype=np.float32)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
        return vectors

    @staticmethod
    def _stack(words, vectors: np.ndarray):
        from scipy.sparse import csr_matrix, hstack

        return hstack([words, csr_matrix(vectors)]).tocsr()

    def route(self, question: str, embedding: list[float] | None = None) -> Route:
        if embedding is None:
            embedding = embedder.load_embed_model(self.settings).get_query_embedding(question)
        features = self._stack(self.vectorizer.transform([normalise(question)]), np.asarray([embedding], dtype=np.float32))
        probs = self.model.predict_proba(features)[0]
        scores = {str(k): float(p) for k, p in zip(self.model.classes_, probs, strict=True)}
        return Route(max(scores, key=scores.get), scores)
