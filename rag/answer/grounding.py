"""Grounding checks, no model call: does a claim state only what its evidence states?

- Numbers: every number an answer states must occur in the evidence it was written from, with the same unit when
  it gives one ("0.5%" is not "0.5 points", "3x" is not "3"). Numbers the question gave are free.
- Names: every specific name (an acronym, a CamelCase or letter-digit token: "VQAv2", "GPT-4", "LoRA") must occur in
  the cited paper (title or whole abstract) or the question, as written or as the initials of words there ("LSTM"
  for "long short-term memory").
Whether the evidence answers the question at all is a judgment of meaning, made by the model (judge.py), never here.
"""

import re

from rag.answer.citations import MARKER
from rag.text import CLAIM_NAME, abbreviates

_UNITS = {"%": "%", "percent": "%", "x": "x", "×": "x", "k": "k", "thousand": "k", "m": "m", "million": "m", "b": "b",
          "bn": "b", "billion": "b", "ms": "ms", "s": "s", "gb": "gb", "mb": "mb", "tb": "tb", "pp": "pp", "points": "pp"}
_NUMBER = re.compile(r"(?<![\w./])(?<![A-Za-z]-)(\d+(?:[.,]\d+)*)(?:\s?(%|percent\b|×|x\b|k\b|thousand\b|m\b|million\b|bn?\b|billion\b|ms\b|s\b|gb\b|mb\b|tb\b|pp\b|points\b))?", re.I)  # noqa: E501 (one pattern)


def _value(text: str) -> str:
    text = text.replace(",", "")
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbers(text: str) -> set[tuple[str, str]]:
    """(value, unit) pairs; unit '' when none is written."""
    text = MARKER.sub(" ", text).replace("\\%", "%")  # LaTeX-escaped percent signs are common in abstracts
    return {(_value(m.group(1)), _UNITS.get((m.group(2) or "").lower(), "")) for m in _NUMBER.finditer(text)}


def names(text: str) -> set[str]:
    return {m.group(0).rstrip(".-").lower() for m in CLAIM_NAME.finditer(MARKER.sub(" ", text)) if len(m.group(0)) > 1}


def ungrounded(claim: str, evidence: str, question: str = "", names_from: str | None = None) -> list[str]:
    """The numbers and names of ``claim`` that neither ``evidence`` nor ``question`` contains; names may also come
    from ``names_from`` (the whole cited abstract, when ``evidence`` is the part an answer was written from)."""
    have = numbers(evidence) | numbers(question)
    values = {v for v, _ in have}
    missing = [v + u for v, u in numbers(claim) if (v, u) not in have and not (u == "" and v in values)]
    text = f"{evidence} {names_from or ''} {question}"
    low = text.lower()
    missing += [n for n in names(claim) if n not in low and not abbreviates(n, text)]
    return missing
