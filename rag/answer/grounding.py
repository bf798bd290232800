"""Grounding checks, no model call: does a claim state only what its evidence states?

- Numbers: every number an answer states must occur in the evidence it was written from, with the same unit when
  it gives one ("3x" is not "3", "3 ms" not "3 s"). The same quantity written another way is the same number: a
  scale word or letter ("4M" is "4 million" is "4,000,000") and a difference in percent written as points ("by 1.09%"
  is "by 1.09 points", "1.09 percentage points" or "1.09 pp": abstracts write all for the same thing; "1.5 BLEU
  points" is "1.5 points", and so is "+1.5 BLEU"). Numbers the question gave are free.
- Names: every specific name (an acronym, a CamelCase or letter-digit token: "VQAv2", "GPT-4", "LoRA") must occur in
  the cited paper (title or whole abstract) or the question, as written or as the initials of words there ("LSTM"
  for "long short-term memory").
Whether the evidence answers the question at all is a judgment of meaning, made by the model (judge.py), never here.
"""

import re

from rag.answer.citations import MARKER
from rag.text import CLAIM_NAME, abbreviates

_UNITS = {"%": "%", "percent": "%", "x": "x", "×": "x", "k": "k", "thousand": "k", "m": "m", "million": "m", "b": "b",
          "bn": "b", "billion": "b", "ms": "ms", "s": "s", "gb": "gb", "mb": "mb", "tb": "tb", "pp": "pp"}
_NUMBER = re.compile(r"(?<![\w./])(?<![A-Za-z]-)(\d+(?:[.,]\d+)*)(?:\s?(%|percent\b|×|x\b|k\b|thousand\b|m\b|million\b|bn?\b|billion\b|ms\b|s\b|gb\b|mb\b|tb\b|pp\b|(?:[a-z][\w-]*\s)?points?\b))?", re.I)  # noqa: E501 (one pattern)


def _value(text: str) -> str:
    text = text.replace(",", "")
    return text.rstrip("0").rstrip(".") if "." in text else text


def numbers(text: str) -> set[tuple[str, str]]:
    """(value, unit) pairs; unit '' when none is written."""
    text = MARKER.sub(" ", text).replace("\\%", "%")  # LaTeX-escaped percent signs are common in abstracts
    return {(_value(m.group(1)), _unit(m.group(2) or "")) for m in _NUMBER.finditer(text)}


def _unit(written: str) -> str:
    """A unit as written -> its one name: "percent" -> "%"; points of anything ("percentage points", "BLEU points") -> "pp"."""
    written = written.lower()
    return "pp" if written.endswith(("point", "points")) else _UNITS.get(written, "")


_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9}
_FAMILY = {"pp": "%"}  # units that name the same quantity


def _forms(value: str, unit: str) -> set[tuple[str, str]]:
    """The ways the same number may be written: as it is, its unit's family, and scaled out ("4", "m" -> "4000000")."""
    forms = {(value, unit), (value, _FAMILY.get(unit, unit))}
    if unit in _SCALE:
        forms.add((_value(f"{float(value) * _SCALE[unit]:.6f}"), ""))
    return forms


def names(text: str) -> set[str]:
    """Specific names; a number with its unit ("4M", "1.5K") is a number, checked as one."""
    found = (m.group(0).rstrip(".-") for m in CLAIM_NAME.finditer(MARKER.sub(" ", text)))
    return {name.lower() for name in found if len(name) > 1 and not _NUMBER.fullmatch(name)}


def ungrounded(claim: str, evidence: str, question: str = "", names_from: str | None = None) -> list[str]:
    """The numbers and names of ``claim`` that neither ``evidence`` nor ``question`` contains; names may also come
    from ``names_from`` (the whole cited abstract, when ``evidence`` is the part an answer was written from)."""
    have = numbers(evidence) | numbers(question)
    values = {v for v, _ in have}
    forms = {form for number in have for form in _forms(*number)}
    bare = {v for v, u in have if u == ""}  # "+2 BLEU": points the evidence does not name
    missing = [v + u for v, u in numbers(claim)
               if not _forms(v, u) & forms and not (u == "" and v in values) and not (u == "pp" and v in bare)]
    text = f"{evidence} {names_from or ''} {question}"
    low = text.lower()
    missing += [n for n in names(claim) if n not in low and not abbreviates(n, text)]
    return missing
