"""Model text -> checked, cited, named text, streamed word by word.

No word reaches the user before it is checked:
- a number (with its unit) must occur in the evidence the answer is written from (the chosen sentences), a specific
  name in the cited paper (or abbreviated from its words), or either in the question (grounding.py); the first one
  that does not stops the answer, which is then withdrawn *with a note saying so* (the user saw at most the words
  before it, never the invented claim);
- with numbered sentences as sources, a sentence's numbers must be in the papers it cites, and in one it names when
  it names a shown paper (attribution.py: another paper's figure under the asked paper's name is withdrawn);
- markers must point at shown sources (others are dropped) and are renumbered in order of first use;
  a paper cited without being named in the text gets its short name put before its marker;
- at each sentence end, a sentence whose numbers and names its cited source lacks also cites the
  source that has them, and an uncited sentence is credited to a source holding most of its content
  words. An answer left citing nothing, or saying the sources do not answer, becomes the refusal.
So the streamed text and the final text are the same text, or the final one says why it differs.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rag.answer.attribution import beyond, named_elsewhere
from rag.answer.citations import MARKER as _MARKER
from rag.answer.citations import numbers_in, stands_for_object
from rag.answer.grounding import names, numbers, ungrounded
from rag.answer.naming import names_paper
from rag.answer.prompting import Shown
from rag.answer.types import Answer
from rag.answer.words import is_refusal, support

_OPEN_MARKER = re.compile(r"\[[^\]]{0,30}$")
_GLUED = re.compile(r"(?=\[\s*(?:sources?\s*)?\d)", re.IGNORECASE)  # where a marker starts in a word ("test-std.[1]")
_SENTENCE_END = re.compile(r"[.!?][\"'”)]?$")


@dataclass
class ClaimChecker:
    question: str
    sources: list[Shown]
    answer: Answer
    refusal: str
    cited_must_hold: bool = False  # a claim's numbers must be in the papers it cites, not only in another
    quotes: bool = False  # sources are single sentences: a marker standing where the answer belongs gets its sentence
    min_support: float = 0.6  # an uncited sentence is credited to a source holding this share of its content words
    declined: bool = False
    stopped: str | None = None  # why the answer was cut (a claim not in the evidence)
    dropped: list[str] = field(default_factory=list)
    markers: int = 0  # citation markers shown
    _sentence: str = ""
    _cited: list[int] = field(default_factory=list)
    _last: str = ""
    _credited: list[int] = field(default_factory=list)  # sources the last sentence end cited for the model

    def stream(self, deltas: Iterable[str]) -> Iterator[str]:
        """Checked text; "" for a model delta that showed nothing yet, so that a reader can stop the stream (and
        free the model) between any two tokens, not only between shown words."""
        start, held, pending = len(self.answer.text), "", ""

        def show(text: str) -> str:  # what may be shown now: words that may still become the refusal are held
            nonlocal held
            held += text
            if self.refusal.lower().startswith(self.answer.text[start:].strip().lower()):
                return ""
            text, held = held, ""
            return text

        for delta in deltas:
            pending += delta
            for_reader = ""
            while (cut := _word_end(pending)) is not None:
                word, pending = pending[:cut], pending[cut:]
                if (text := self._word(word)) is None:
                    if held:
                        yield held
                    return
                for_reader += show(text)
            yield for_reader
        if pending.strip() and (text := self._word(pending)):
            held += text
        held += self._end_sentence()
        if is_refusal(self.answer.text[start:], self.refusal):
            self.declined = True
            self.answer.text = self.answer.text[:start]  # never shown: the strategy says the refusal itself
        elif held:
            yield held

    def failure(self) -> str | None:
        """Why the text written cannot stand as an answer, or None when it can."""
        if self.stopped:
            return f"a claim was not in the sources: {self.stopped}"
        if self.declined:
            return "the model found no answer in the sources"
        if not self.markers:
            return "the answer cites no source" + (f" ({'; '.join(self.dropped)[:200]})" if self.dropped else "")
        return None

    # --- one word --------------------------------------------------------------------------------
    def _word(self, raw: str) -> str | None:
        """Checked text for one whitespace-delimited word ('' = held or dropped), None = stop."""
        word = raw.strip()
        if not word:
            return ""
        if len(pieces := [p for p in _GLUED.split(word) if p]) > 1:  # "test-std.[1]", "[1][2]": each piece on its own
            texts = []
            for piece in pieces:  # a piece that stops the answer stops the rest
                if (text := self._word(piece)) is None:
                    return None
                texts.append(text)
            return "".join(texts)
        by_n = {s.n: s for s in self.sources}
        if match := _MARKER.fullmatch(word.rstrip(".,;:!?")):
            cited = [n for n in numbers_in(match.group(1)) if n in by_n]
            credited = {by_n[n].hit.paper_id for n in self._credited}
            if cited and {by_n[n].hit.paper_id for n in cited} <= credited and not word[match.end():]:
                return ""  # the model's marker after its sentence end: that paper is cited there already
            self._cited += cited
            text = self._markers(cited)
            if self.quotes and cited and stands_for_object(self._last):  # the marker in place of the answer: quote its sentence
                text, self._last = text + ": " + " ".join(f"“{by_n[n].passage.rstrip('.')}”" for n in dict.fromkeys(cited)), ""
            return self._emit(text + word[match.end():]) if cited or word[match.end():] else ""
        self._credited = []
        bare = _MARKER.sub("", word)
        union = " ".join(s.evidence for s in self.sources)
        # with the word before, so that a unit written apart ("0.5 points") is checked with its number
        if missing := ungrounded(f"{self._last} {bare}", union, self.question, " ".join(s.abstract for s in self.sources)):
            self.stopped = f"“{', '.join(missing)}” is not in the sources shown"
            return None
        self._last = bare
        text = self._emit(word)
        if _SENTENCE_END.search(word):
            text += self._end_sentence()
        return None if self.stopped else text

    def _emit(self, text: str) -> str:
        lead = " " if self.answer.text and not self.answer.text.endswith(("\n", " ")) else ""
        if text[:1] in ".,;:!?":
            lead = ""
        out = lead + text
        self.answer.text += out
        self._sentence += out
        return out

    def _markers(self, cited: list[int]) -> str:
        by_n = {s.n: s for s in self.sources}
        parts = []
        self.markers += len(set(cited))
        for n in dict.fromkeys(cited):
            source = by_n[n]
            named = names_paper(self.answer.text, source.name, source.hit.title)
            number = self.answer.cite(source.hit, source.passage)
            parts.append(f"[{number}]" if named else f"({source.name}) [{number}]")
        return " ".join(parts)

    # --- sentence end: make sure the sentence cites the source that holds its claims ---------------
    def _end_sentence(self) -> str:
        sentence, cited = self._sentence, self._cited
        self._sentence, self._cited = "", []
        bare = _MARKER.sub("", sentence)
        for source in self.sources:  # names put in by _markers are not the model's claims
            bare = bare.replace(f"({source.name})", "")
        bare = bare.strip()
        if len(bare) < 3 or not self.sources or is_refusal(bare, self.refusal):
            return ""
        claims = bool(numbers(bare) or names(bare))
        if cited and self.cited_must_hold and (elsewhere := named_elsewhere(bare, self.sources, cited, self.question)):
            self.stopped = f"“{elsewhere}” is stated by another paper than the one the answer names"
            return ""
        holders = [s for s in self.sources if claims and not s.unsupported(bare, self.question)]
        if cited and (not claims or any(s.n in cited for s in holders)):
            return ""
        if cited and self.cited_must_hold:  # even when no one source holds it all (a name from one, a number from another)
            if missing := beyond(bare, self.sources, cited, self.question):
                self.stopped = f"“{', '.join(missing)}” is stated by another paper than the one cited"
            return ""
        best = max(holders or self.sources, key=lambda s: support(bare, s.passage))
        if not holders and (cited or support(bare, best.passage) < self.min_support):
            if not cited:
                self.dropped.append(f"uncited: {bare}")
            return ""
        text = self._emit(self._markers([best.n]))
        self._sentence, self._cited, self._credited = "", [], [best.n]
        return text


def _word_end(text: str) -> int | None:
    """End of the first complete word (with its trailing space), or None while it may still grow."""
    match = re.search(r"\S\s", text)
    if not match:
        return None
    end = match.end()
    if _OPEN_MARKER.search(text[:end].rstrip()):  # "[1," may continue as "[1, 2]"
        close = text.find("]", end)
        return None if close < 0 else close + 1
    return end
