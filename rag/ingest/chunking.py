"""Abstract -> sentence-aligned chunks that fit the embedder's window, each carrying its paper's title.

An abstract that fits the window whole (title included) is one chunk: its words are embedded once. A longer one
is split into overlapping chunks of ``chunk.tokens``. The embedder cuts its input at ``max_tokens`` word pieces
without a word of warning, so sizes are counted with the embedder's own tokenizer, the title included.
"""

from collections.abc import Callable
from dataclasses import dataclass

from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.schema import MetadataMode, TextNode

from rag.records import Paper
from rag.text import split_sentences

Tokenize = Callable[[str], list]

# Only the title joins the chunk text for embedding and for the LLM: the rest is for display and filters.
_EMBEDDED_KEYS = {"title"}


def chunk_id(paper_id: str, index: int) -> str:
    return f"{paper_id}#{index}"


@dataclass
class Chunker:
    tokenize: Tokenize
    splitter: SentenceSplitter
    whole: int  # word pieces (title included) up to which an abstract stays one chunk

    def pieces(self, paper: Paper) -> list[str]:
        heading = paper.title + "\n\n"
        if len(self.tokenize(heading + paper.abstract)) <= self.whole:
            return [paper.abstract]
        return self.splitter.split_text_metadata_aware(paper.abstract, metadata_str=heading)


def make_chunker(tokenize: Tokenize, tokens: int, overlap: int, whole: int = 0) -> Chunker:
    """Chunks of ``tokens`` word pieces sharing ``overlap``; an abstract of up to ``whole`` stays one (0: never)."""
    return Chunker(tokenize, SentenceSplitter(chunk_size=tokens, chunk_overlap=overlap, tokenizer=tokenize), whole)


def chunk_paper(paper: Paper, chunker: Chunker, fingerprint: str) -> list[TextNode]:
    """``fingerprint`` identifies this paper's content *and* how it was chunked (stored with every chunk)."""
    pieces = chunker.pieces(paper)
    metadata = paper.metadata() | {"fingerprint": fingerprint, "n_chunks": len(pieces)}
    hidden = [key for key in metadata if key not in _EMBEDDED_KEYS] + ["chunk"]
    return [
        TextNode(
            id_=chunk_id(paper.paper_id, i),
            text=piece,
            metadata=metadata | {"chunk": i},
            excluded_embed_metadata_keys=hidden,
            excluded_llm_metadata_keys=hidden,
            metadata_template="{value}",
        )
        for i, piece in enumerate(pieces)
    ]


def embed_text(node: TextNode) -> str:
    """Exactly what the embedder (and BM25) sees: 'Title\\n\\nchunk'."""
    return node.get_content(metadata_mode=MetadataMode.EMBED)


def unique_sentences(chunks: list[str]) -> list[str]:
    """The sentences of a paper's chunks, in order, each once (neighbouring chunks overlap)."""
    seen: dict[str, None] = {}
    for text in chunks:
        seen.update(dict.fromkeys(split_sentences(text)))
    return list(seen)
