"""Sentence splitting shared by ingestion (chunk joining) and answering (evidence, guards)."""

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s]
