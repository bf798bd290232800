"""Grounding checks, no model call: is a claim in its evidence, and does the evidence address the question?

- Numbers: every number an answer states must occur in the cited evidence, with the same unit when it
  gives one ("0.5%" is not "0.5 points", "3x" is not "3"). Numbers the question gave are free.
- Names: every specific name (an acronym, a CamelCase or letter-digit token: "VQAv2", "GPT-4", "LoRA")
  must occur in the cited evidence, its title or the question.
- Coverage: the words naming what the question asks for ("learning rate", "GPUs", "BLEU on WMT14"),
  less the words naming the paper, must occur in the paper's abstract; a near miss asks for one the
  abstract never mentions.
"""

import re
from functools import lru_cache

from rag.answer.guards import content_words

_UNITS = {"%": "%", "percent": "%", "x": "x", "×": "x", "k": "k", "thousand": "k", "m": "m", "million": "m", "b": "b",
          "bn": "b", "billion": "b", "ms": "ms", "s": "s", "gb": "gb", "mb": "mb", "tb": "tb", "pp": "pp", "points": "pp"}
_NUMBER = re.compile(r"(?<![\w./])(?<![A-Za-z]-)(\d+(?:[.,]\d+)*)(?:\s?(%|percent\b|×|x\b|k\b|thousand\b|m\b|million\b|bn?\b|billion\b|ms\b|s\b|gb\b|mb\b|tb\b|pp\b|points\b))?", re.I)
_NAME = re.compile(r"(?<![\w\-])(?=[\w\-\.]*[A-Za-z])(?:[A-Z]{2,}[\w\-]*|[a-z]+[A-Z][\w\-]*|[A-Z][a-z]+[A-Z][\w\-]*|[A-Za-z]+-?\d[\w\-\.]*|\d+[A-Za-z][\w\-]*)")
_MARKER = re.compile(r"\[\d+\]")
# Words of a question that name no property of a paper: asking words, and verbs of doing and reporting.
GENERIC = set("""paper papers work works study studies method methods approach approaches model models technique authors author
propose proposes proposed present presents introduce introduces use uses used using get gets got achieve achieves achieved
reach reaches reached report reports reported show shows shown obtain obtains give gives given describe describes
called name named new novel main specific exactly actually tell know find many much kind type one two used number
value amount well also like add adds added make makes made help helps do does done need needs require requires
handle handles deal deals address addresses tackle tackles solve solves compare compared differ differs perform performs
way ways better good best""".split())


def _value(text: str) -> str:
    text = text.replace(",", "")
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbers(text: str) -> set[tuple[str, str]]:
    """(value, unit) pairs; unit '' when none is written."""
    text = _MARKER.sub(" ", text).replace("\\%", "%")  # LaTeX-escaped percent signs are common in abstracts
    return {(_value(m.group(1)), _UNITS.get((m.group(2) or "").lower(), "")) for m in _NUMBER.finditer(text)}


def names(text: str) -> set[str]:
    return {m.group(0).rstrip(".-").lower() for m in _NAME.finditer(_MARKER.sub(" ", text)) if len(m.group(0)) > 1}


def ungrounded(claim: str, evidence: str, question: str = "") -> list[str]:
    """The numbers and names of ``claim`` that neither ``evidence`` nor ``question`` contains."""
    have = numbers(evidence) | numbers(question)
    values = {v for v, _ in have}
    missing = [v + u for v, u in numbers(claim) if (v, u) not in have and not (u == "" and v in values)]
    low = (evidence + " " + question).lower()
    missing += [n for n in names(claim) if n not in low]
    return missing


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in content_words(text)}


def asked_terms(question: str, paper_title: str, paper_name: str = "") -> set[str]:
    """Stems of what the question asks about, less the words that name the paper."""
    naming = _stems(paper_title + " " + paper_name)
    return {s for s in _stems(question) if s not in naming and s not in {_stem(g) for g in GENERIC}}


def coverage(question: str, paper_title: str, abstract: str, paper_name: str = "") -> float:
    """Share of the question's asked-for terms that the paper's abstract contains (1.0 when none)."""
    terms = asked_terms(question, paper_title, paper_name)
    if not terms:
        return 1.0
    have = _stems(abstract)
    return len(terms & have) / len(terms)


def _squash(text: str) -> str:
    squashed = re.sub(r"[^a-z0-9]", "", text.lower())
    return squashed[:-1] if len(squashed) > 3 and squashed.endswith("s") else squashed  # "ViTs" is "ViT"


def specifics(question: str, naming: str) -> set[str]:
    """The question's own names and numbers ("NLVR2", "512x512", "GSM8K"), less those naming the paper."""
    named = _squash(naming)
    found = names(question) | {v for v, _ in numbers(question)}
    return {t for t in found if _squash(t) and _squash(t) not in named}


def unmentioned(question: str, abstract: str, naming: str) -> list[str]:
    """The question's specifics that the paper's abstract never mentions: it asks about something else."""
    text = _squash(abstract)
    return sorted(t for t in specifics(question, naming) if _squash(t) not in text)


def off_target(claim: str, evidence: str, question: str) -> list[str]:
    """Numbers of ``claim`` that no evidence sentence states together with the numbers the question gives
    ("at 512x512", "after dropping 31 layers"): such a number is about another setting than the one asked."""
    from rag.text import split_sentences

    asked = {v for v, _ in numbers(question)}
    if not asked:
        return []
    sentences = [(numbers(s), {v for v, _ in numbers(s)}) for s in split_sentences(evidence)]
    wrong = []
    for value, unit in numbers(claim):
        holding = [values for nums, values in sentences if any(v == value for v, _ in nums)]
        if value not in asked and holding and not any(asked <= values for values in holding):
            wrong.append(value + unit)
    return wrong
