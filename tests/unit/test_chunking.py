import re

import pytest

from rag import embedder
from rag.ingest.chunking import chunk_paper, embed_text, make_chunker
from rag.ingest.sources import read_sources
from rag.records import Paper
from rag.settings import BUNDLED_CORPUS, Settings


@pytest.fixture(scope="module")
def tokenize():
    return embedder.tokenize_fn(Settings())


def test_every_chunk_fits_the_embedder_and_every_sentence_is_embedded(tokenize):
    settings = Settings()
    chunker = make_chunker(tokenize, **settings.chunk.model_dump())
    papers = [p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)]
    longest = max(papers, key=lambda p: len(tokenize(p.abstract)))
    assert len(tokenize(longest.title + " " + longest.abstract)) > settings.embed.max_tokens  # the case that matters
    for paper in papers:
        nodes = chunk_paper(paper, chunker, "fp")
        texts = [embed_text(n) for n in nodes]
        assert all(len(tokenize(t)) + 2 <= settings.embed.max_tokens for t in texts)  # +2: [CLS] and [SEP]
        assert all(t.startswith(paper.title + "\n\n") for t in texts)
        covered = " ".join(n.get_content() for n in nodes)
        for sentence in re.split(r"(?<=[.!?])\s+", paper.abstract):
            assert sentence[:40] in covered
        assert [n.metadata["chunk"] for n in nodes] == list(range(len(nodes)))
        assert all(n.metadata["title"] == paper.title and n.metadata["n_chunks"] == len(nodes) for n in nodes)


def test_an_abstract_that_fits_is_embedded_once_and_a_longer_one_is_split(tokenize):
    short = Paper("T", "One sentence about sparse autoencoders. Another about the features they learn from a model. "
                       "A third on how the learned features are named and checked by people.")
    assert [n.get_content() for n in chunk_paper(short, make_chunker(tokenize, 64, 16, whole=254), "fp")] == [short.abstract]
    assert len(chunk_paper(short, make_chunker(tokenize, 16, 4, whole=0), "fp")) > 1  # whole=0: always split
    long = Paper("T", " ".join(f"Sentence number {i} says a distinct thing about topic {i}." for i in range(60)))
    assert len(chunk_paper(long, make_chunker(tokenize, 64, 16, whole=254), "fp")) > 3


def test_neighbouring_chunks_overlap(tokenize):
    paper = Paper("T", " ".join(f"Sentence number {i} says a distinct thing about topic {i}." for i in range(60)))
    nodes = chunk_paper(paper, make_chunker(tokenize, 64, 16), "fp")
    assert len(nodes) > 3
    for left, right in zip(nodes, nodes[1:], strict=False):
        assert right.get_content().split(".")[0] in left.get_content()
