"""Retrieved papers -> the messages the model reads, within its context window.

Token counts use tiktoken (cl100k_base, shipped with llama-index; close to Qwen's tokenizer) with a
safety margin. Sources go in rank order; when the window is full, the lower-ranked ones are dropped,
and a passage is only ever shortened by whole sentences.
"""

from dataclasses import dataclass
from functools import cache

from rag.answer.grounding import ungrounded
from rag.answer.prompts import load_prompt
from rag.answer.words import neutralise_instructions
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from rag.text import split_sentences

SAFETY_MARGIN = 0.9  # tiktoken is not the model's tokenizer: keep 10% spare


@cache
def _encoding():
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


@dataclass
class Shown:
    """A source as the model saw it: number, paper, the text it read (its claims' numbers must be there), what to
    call it, and the paper's whole abstract (its claims' names may be there)."""
    n: int
    hit: Hit
    passage: str  # as shown to the model (instruction-like sentences neutralised)
    name: str
    abstract: str = ""

    @property
    def evidence(self) -> str:
        return f"{self.name} {self.hit.title} {self.passage}"

    def unsupported(self, claim: str, question: str) -> list[str]:
        return ungrounded(claim, self.evidence, question, names_from=self.abstract)


def system_prompt(settings: Settings, may_refuse: bool = True) -> str:
    """The rules every prompt starts with; ``may_refuse``: and the rule that the model writes the refusal itself when no
    source answers (last, so that a prompt without it still shares the rest with the cached prefix). A detail answer goes
    without: its judgment (judge.py) decides whether the sentences answer, and the rule made the model refuse what a
    sentence states outright ("an MS-MLP with 85 million parameters achieves 83.8% top-1" for that figure)."""
    rules = load_prompt("system")
    return f"{rules}\n{load_prompt('refusal_rule').format(refusal=settings.answer.refusal)}" if may_refuse else rules


def _label(hit: Hit, labels: dict[str, str]) -> str:
    """The paper's short name and title, so the model can name what it cites."""
    return labels.get(hit.paper_id, hit.title)


def _fit_sentences(passage: str, budget: int) -> str:
    kept = []
    for sentence in split_sentences(passage):
        if count_tokens(" ".join([*kept, sentence])) > budget:
            break
        kept.append(sentence)
    return " ".join(kept)


def build_messages(question: str, hits: list[Hit], settings: Settings, template_name: str = "answer",
                   labels: dict[str, str] | None = None, names: dict[str, str] | None = None) -> tuple[list[dict], list[Shown]]:
    """[system, user] messages (as role/content dicts) and the sources they number (``labels``: how the prompt
    names each paper; ``names``: how answers may, by paper id; the title where not given)."""
    labels, names = labels or {}, names or {}
    system = system_prompt(settings)
    template = load_prompt(template_name)
    fixed = count_tokens(system) + count_tokens(template.format(sources="", question=question))
    budget = int(settings.llm.context_window * SAFETY_MARGIN) - settings.llm.max_new_tokens - fixed
    sources: list[Shown] = []
    blocks: list[str] = []
    for hit in hits:
        n = len(sources) + 1
        passage = neutralise_instructions(hit.passage)
        block = load_prompt("source").format(n=n, title=_label(hit, labels), passage=passage)
        cost = count_tokens(block) + 2
        if cost > budget:
            if sources:
                break  # this and every lower-ranked source are dropped
            passage = _fit_sentences(passage, budget - (cost - count_tokens(passage)))
            if not passage:
                break
            block = load_prompt("source").format(n=n, title=_label(hit, labels), passage=passage)
            cost = budget
        sources.append(Shown(n, hit, passage, names.get(hit.paper_id, hit.title)))
        blocks.append(block)
        budget -= cost
    user = template.format(sources="\n\n".join(blocks), question=question)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], sources
