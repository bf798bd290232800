"""Text rules shared by ingestion and answering: a question's cleaning, sentence splitting, the name-like terms of a text."""

import re

from rag.errors import UserError

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def month_number(name: str) -> int | None:
    """1-12 for a month's name or its first three letters ("Oct", "october"); None for anything else."""
    prefix = name.strip().lower()[:3]
    return next((i for i, month in enumerate(MONTHS, start=1) if len(prefix) == 3 and month.startswith(prefix)), None)


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# acronyms, CamelCase, letters with digits: what a method's name looks like ("SparK", "GPT-4", "FinalMLP")
_NAME_FORMS = r"(?:[A-Z][a-z]*){1,}[A-Z][\w\-]*|[A-Za-z]+[A-Z][\w\-]*|[A-Za-z]+-?\d[\w\-]*|[A-Z]{2,}[\w\-]*"
NAME = re.compile(rf"(?<![\w\-])({_NAME_FORMS})")
# what a claim may not invent: those names, with versions ("GPT-3.5") and terms that start with digits ("3D", "2M")
CLAIM_NAME = re.compile(rf"(?<![\w\-])(?=[\w\-\.]*[A-Za-z])(?:[A-Za-z]+-?\d[\w\-\.]*|\d+[A-Za-z][\w\-]*|{_NAME_FORMS})")


def split_sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s]


def name_terms(text: str) -> set[str]:
    """The lower-cased name-like terms a text uses, each once."""
    return {m.group(0).rstrip(".-").lower() for m in NAME.finditer(text)}


_WORDS = re.compile(r"[A-Za-z]+")


def abbreviates(acronym: str, text: str) -> bool:
    """Whether ``acronym`` ("LSTM", "MoE") stands for consecutive words of ``text`` by their initials ("long
    short-term memory", "mixture of experts"). Three letters at least: shorter ones match by chance."""
    letters = [ch for ch in acronym.lower() if ch.isalpha()]
    if not 3 <= len(letters) <= 10 or any(ch.isdigit() for ch in acronym):
        return False
    initials = "".join(word[0] for word in _WORDS.findall(text.lower()))
    return "".join(letters) in initials


MAX_QUESTION_CHARS = 2000  # questions and searches alike: a paragraph, not a document


def clean_query(query: str) -> str:
    if not isinstance(query, str):
        raise UserError(f"the question must be text, not {type(query).__name__}")
    if len(query) > 4 * MAX_QUESTION_CHARS:  # refused before any work on it
        raise UserError(f"the question is {len(query)} characters long; keep it under {MAX_QUESTION_CHARS}")
    text = "".join(ch if ch.isprintable() else " " for ch in query)
    text = " ".join(text.split())
    if not text:
        raise UserError("the question is empty; type a question about the indexed papers")
    if len(text) > MAX_QUESTION_CHARS:
        raise UserError(f"the question is {len(text)} characters long; keep it under {MAX_QUESTION_CHARS}")
    return text


NUMBER_WORDS = {word: n for n, word in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                                  "fourteen fifteen".split())} | {"twenty": 20}


def numbers_written(text: str) -> list[int]:
    """The whole numbers a text writes, in digits or words ("three" is 3), each as often as it is written."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    return [int(w) if w.isdigit() else NUMBER_WORDS[w] for w in words if w.isdigit() or w in NUMBER_WORDS]
