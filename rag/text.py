"""Text rules shared by ingestion and answering: sentence splitting, and the name-like terms of a text."""

import re

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# acronyms, CamelCase, letters with digits: what a method's name looks like ("SparK", "GPT-4", "FinalMLP")
NAME = re.compile(r"(?<![\w\-])((?:[A-Z][a-z]*){1,}[A-Z][\w\-]*|[A-Za-z]+[A-Z][\w\-]*|[A-Za-z]+-?\d[\w\-]*|[A-Z]{2,}[\w\-]*)")


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s]


def name_terms(text: str) -> set[str]:
    """The lower-cased name-like terms a text uses, each once."""
    return {m.group(0).rstrip(".-").lower() for m in NAME.finditer(text)}
