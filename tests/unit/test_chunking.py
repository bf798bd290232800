import re

import pytest

from rag import embedder
from rag.ingest.chunking import chunk_paper, embed_text, make_splitter
from rag.ingest.sources import BUNDLED_CORPUS, read_sources
from rag.records import Paper
from rag.settings import Settings


@pytest.fixture(scope="module")
def tokenize():
    return embedder.tokenize_fn(Settings())


def test_every_chunk_fits_the_embedder_and_every_sentence_is_embedded(tokenize):
    settings = Settings()
    splitter = make_splitter(tokenize, settings.chunk.tokens, settings.chunk.overlap)
    papers = [p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)]
    longest = max(papers, key=lambda p: len(tokenize(p.abstract)))
    assert len(tokenize(longest.title + " " + longest.abstract)) > settings.embed.max_tokens  # the case that matters
    for paper in papers:
        nodes = chunk_paper(paper, splitter, "fp")
        texts = [embed_text(n) for n in nodes]
        assert all(len(tokenize(t)) + 2 <= settings.embed.max_tokens for t in texts)  # +2: [CLS] and [SEP]
        assert all(t.startswith(paper.title + "\n\n") for t in texts)
        covered = " ".join(n.get_content() for n in nodes)
        for sentence in re.split(r"(?<=[.!?])\s+", paper.abstract):
            assert sentence[:40] in covered
        assert [n.metadata["chunk"] for n in nodes] == list(range(len(nodes)))
        assert all(n.metadata["title"] == paper.title and n.metadata["n_chunks"] == len(nodes) for n in nodes)


def test_neighbouring_chunks_overlap(tokenize):
    paper = Paper("T", " ".join(f"Sentence number {i} says a distinct thing about topic {i}." for i in range(60)))
    nodes = chunk_paper(paper, make_splitter(tokenize, 64, 16), "fp")
    assert len(nodes) > 3
    for left, right in zip(nodes, nodes[1:], strict=False):
        assert right.get_content().split(".")[0] in left.get_content()
