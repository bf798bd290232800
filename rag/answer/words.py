"""Word-level rules around the model: sentences in abstracts that address it, whether what it wrote is a refusal, the
content words of a text and how much of a sentence a passage supports (used to rank and credit, never to refuse).

The measured failure of small models on abstracts is inventing answers with the right abstract in
context, so the checks after generation matter as much as the prompt.
"""

import re

from rag.text import split_sentences

# Sentences in a paper's text that address the model rather than the reader.
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|context|above)\b"
    r"|\b(system prompt|you are now|you must (?:now )?(?:say|answer|reply|respond)|respond only with|(?:say|reply|answer) only)\b",
    re.IGNORECASE,
)
REMOVED = "[text addressed to AI systems removed]"

_DECLINES = re.compile(
    r"\b(do(?:es)? not (?:say|mention|contain|provide|specify|state|include|discuss|answer)|not (?:mentioned|provided|stated|"
    r"specified|found|given) in the (?:sources|papers|abstracts)|cannot (?:be )?answer|can't answer|i don't know|no information)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9][a-z0-9\-\.%]*[a-z0-9%]|[a-z0-9]")
_STOP = set("""a an the and or of to in on for with by from as at is are was were be been this that these those it its
which what who whom whose how why when where does do did can could should would will may might than then there their
they them we our us you your he she his her not no yes also into about over under such using used use based paper
papers source sources study""".split())


def neutralise_instructions(passage: str) -> str:
    """Replace sentences that try to instruct the model; the rest of the passage is kept as is."""
    sentences = split_sentences(passage)
    return " ".join(REMOVED if _INSTRUCTION.search(s) else s for s in sentences)


def is_refusal(text: str, refusal: str) -> bool:
    """The model declined: it wrote the refusal sentence, or said in other words that the sources don't say."""
    norm = " ".join(text.lower().split())
    if refusal.lower().rstrip(".") in norm:
        return True
    return bool(_DECLINES.search(norm)) and len(norm) < 200


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and (len(w) > 2 or w.isdigit())}


def support(sentence: str, passage: str) -> float:
    """Share of the sentence's content words that occur in the passage (0..1)."""
    words = content_words(sentence)
    return len(words & content_words(passage)) / len(words) if words else 0.0
