"""What to call a paper in an answer: its short name (the method or acronym) and a mention with the title.

A user who asks "is there a two-stream MLP for CTR prediction?" wants to read "FinalMLP", not "[1]".
The short name is the title's part before a colon when that is short ("FinalMLP: An Enhanced ..."),
else the name the abstract gives its own contribution: candidates are name-like tokens (acronyms,
CamelCase, letters with digits), scored by how the abstract introduces them — defined as an
acronym of the words before it ("Sparse masKed modeling (SparK)", after Schwartz & Hearst 2003),
named ("dubbed MutDet"), proposed ("we introduce SAMI"), found in the title — and by how often it is
used. A candidate must be introduced as the paper's own (named, proposed, "our ...", or abbreviating
the title's words): an acronym the abstract only defines and uses ("area under the curve (AUC)",
"random forest (RF)") or the title only mentions ("... in Dual-Exposure HDR Imaging") is the field's.
Generic plurals ("LLMs", "MoEs"), compounds ("CNN-based") and the field's vocabulary (name-like terms several
abstracts of the store use: "MLP", "NeRF") are never names unless the abstract names its contribution so ("a new
model called BERT"); nor is an acronym the proposal only uses ("we propose AKI,
a novel MLLM that unlocks ... attention (MMA)"). Without a candidate, the title itself.
"""

import re
from collections import Counter
from functools import lru_cache

from rag.text import NAME as _NAME

MAX_PREFIX_WORDS = 5
TITLE_PREFIX = 40  # characters of a title that name the paper when a text quotes them
TITLE_WORDS, TITLE_WORDS_CHARS = 3, 18  # or its first three words, when they are that long
_DEFINITION = re.compile(r"([^()]{0,120})\(\s*([^()\s,;]{2,20})\s*\)")
_NAMED = re.compile(r"\b(?:called|named|dubbed(?: as)?|termed|coined|(?:our|the)(?: final| proposed| new)? (?:method|model|approach|"
                    r"framework|system|architecture|algorithm|solution),?)\s+([A-Za-z][\w\-]*[A-Z][\w\-]*|[A-Z][\w\-]+)")
_VERBS = "propose|present|introduce|develop|design|posit|build"  # what a paper does with its own contribution
_VERB = rf"\b(?:(?:{_VERBS})s?|we (?:proposed|presented|introduced|developed|designed|posited|built))\s+"  # never "has been proposed"
_PROPOSED = re.compile(_VERB + r"(?!to\s)(?:[\w\-]+\s+){0,8}?([A-Za-z][\w\-]*[A-Z0-9][\w\-]*)")
_OUR = re.compile(r"\b(?:our|the proposed)\s+(?:[\w\-]+\s+){0,6}[\w\-]+\s*$", re.I)  # "our quantized-latent autoencoder (QLAE)"
_PASSIVE = re.compile(r"\s*(?:is|are|was|were)\s+(?:proposed|introduced|presented|developed)\b")  # "(TransTEE) is proposed"
_APPOSITION = re.compile(_NAME.pattern + r",\s+an?\s")  # "propose AKI, a novel MLLM that ... (MMA)"
_PROPOSED_DEFINED = re.compile(_VERB + r"(?:[\w\-&]+,?\s+){0,14}?\(([A-Za-z][\w\-]*)\)")


_CONTRIBUTION = re.compile(rf"\b(?:we|this (?:paper|work|study|article)|our (?:paper|work))\s+(?:[\w\-]+\s+){{0,3}}?"
                           rf"(?:{_VERBS}|provide)[sd]?\b", re.I)


def contribution(sentences: list[str]) -> int | None:
    """The sentence where the abstract says what the paper itself contributes ("In this paper, we propose ..."):
    the first one so phrased; None when none is."""
    return next((i for i, sentence in enumerate(sentences) if _CONTRIBUTION.search(sentence)), None)


def _defines(long_form: str, acronym: str) -> bool:
    """Schwartz-Hearst: the acronym's letters occur in order in the words before it, the first starting a word."""
    letters = [ch.lower() for ch in acronym if ch.isalnum()]
    words = long_form.split()[-2 * len(letters):]
    text = " ".join(words).lower()
    i = len(text) - 1
    for ch in reversed(letters):
        while i >= 0 and (text[i] != ch or (ch is letters[0] and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return False
        i -= 1
    return True


def common_terms(term_sets, min_papers: int = 3) -> frozenset[str]:
    """Name-like terms that at least ``min_papers`` abstracts use (each abstract's ``name_terms``): the field's
    vocabulary. The store keeps each paper's term set, so this never reads the abstracts."""
    counts: Counter[str] = Counter()
    for terms in term_sets:
        counts.update(terms)
    return frozenset(term for term, n in counts.items() if n >= min_papers)


def _generic(token: str) -> bool:
    """A plural ("LLMs", "MoEs"), a compound ("CNN-based"), a number: a kind of thing, never a paper's name."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s", token)) or token.lower().endswith("-based") or token.isdigit()


def _in_title(long_form: str, acronym: str, title: str) -> bool:
    """Whether the words an acronym abbreviates are the title's ("Deep Interest Network (DIN)")."""
    words = re.findall(r"[a-z0-9]+", long_form.lower())[-len([ch for ch in acronym if ch.isalnum()]):]
    have = set(re.findall(r"[a-z0-9]+", title.lower()))
    return len(words) > 1 and sum(w in have for w in words) >= 0.75 * len(words)


def _candidate(abstract: str, title: str, common: frozenset[str]) -> tuple[float, str] | None:
    scores: Counter[str] = Counter()
    own: set[str] = set()  # introduced as this paper's: named, proposed, "our ...", or abbreviating the title's words
    named: set[str] = set()  # named outright ("a new model called BERT"): this paper's even when others use it too
    for match in _DEFINITION.finditer(abstract):
        long_form, acronym = match.groups()
        if re.fullmatch(r"[A-Za-z][\w\-]*[A-Z][\w\-]*|[A-Z][\w\-]+", acronym) and _defines(long_form, acronym):
            scores[acronym] += 2
            if (_in_title(long_form, acronym, title) or _OUR.search(long_form[-80:])
                    or _PASSIVE.match(abstract, match.end())):
                own.add(acronym)
    for pattern, weight in ((_NAMED, 3.5), (_PROPOSED_DEFINED, 3), (_PROPOSED, 2)):
        for match in pattern.finditer(abstract):
            token = match.group(1).rstrip(".-")
            if pattern is _PROPOSED_DEFINED and _APPOSITION.search(abstract, match.start(), match.start(1) - 1):
                continue  # "propose AKI, a novel MLLM that unlocks ... attention (MMA)": AKI is proposed, MMA a part
            if _NAME.fullmatch(token) or token in scores:
                scores[token] += weight
                own.add(token)
                if pattern is _NAMED:
                    named.add(token)
    uses = Counter(m.group(0).rstrip(".-") for m in re.finditer(r"[A-Za-z][\w\-]+", abstract))
    for token in list(scores):
        scores[token] += min(uses[token], 4) * 0.5 + (1 if re.search(rf"(?<!\w){re.escape(token)}(?!\w)", title) else 0)
        if len(token) <= 2:  # two letters: nearly always a field's abbreviation ("LM", "RL")
            scores[token] -= 2
        if uses[token + "s"] or uses[token + "es"]:  # a kind of thing, not this paper's name
            scores[token] -= 3
        if token.lower() in common and token not in named:  # the field's vocabulary ("MLP", "NeRF")
            del scores[token]
    # a term the abstract only defines and uses ("area under the curve (AUC)") is the field's, not the paper's name
    candidates = [(score, token) for token, score in scores.items() if token in own and not _generic(token)]
    best = max(candidates, default=None)
    return best if best and best[0] >= 2.5 else None


@lru_cache(maxsize=4096)
def short_name(title: str, abstract: str = "", common: frozenset[str] = frozenset()) -> str:
    """``common``: lower-cased terms used by several papers of the store (field vocabulary: "gnn", "rl")."""
    head, sep, _ = title.partition(":")
    prefix = head.strip() if sep else ""
    if prefix and len(prefix.split()) <= 2:
        return prefix
    if found := _candidate(abstract, title, common):
        return found[1]
    return prefix if prefix and len(prefix.split()) <= MAX_PREFIX_WORDS else title


def mention(title: str, abstract: str = "", common: frozenset[str] = frozenset()) -> str:
    """How an answer names the paper: the full title, with the short name first when the title lacks it."""
    name = short_name(title, abstract, common)
    return title if name.lower() in title.lower() else f"{name} ({title})"


def names_paper(text: str, name: str, title: str) -> bool:
    """Whether ``text`` names the paper: its short name, the start of its title, or the title's first words when they
    are a name of their own ("Deep Interest Network" of "Deep Interest Network for Click-Through Rate Prediction")."""
    low = " ".join(re.findall(r"[\w\-]+", text.lower()))
    head = " ".join(re.findall(r"[\w\-]+", title.lower())[:TITLE_WORDS])
    return (re.search(rf"(?<![\w\-]){re.escape(name.lower())}(?![\w\-])", text.lower()) is not None
            or title.lower()[:TITLE_PREFIX] in text.lower() or len(head) >= TITLE_WORDS_CHARS and head in low)
