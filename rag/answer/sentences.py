"""The numbered evidence sentences that every model call about a question starts with.

The model reads the prompt at ~100 tokens/s on 2 cores, so what it reads is the cost, and a small model judges
better from a few sentences than from whole abstracts (measured: 5 sentences from 2 papers beat 6 from 3). So each
call about a question reads the best sentences of the best papers (by evidence score, evidence.py), numbered, each
with its paper's name, then the question, and only then the call's own instruction: the model server reads the
shared start once (its prompt cache) for the judgment (judge.py), the verdict and the answer.
"""

from dataclasses import dataclass

import numpy as np

from rag.answer.evidence import PaperEvidence
from rag.answer.prompting import system_prompt
from rag.answer.prompts import load_prompt
from rag.answer.words import neutralise_instructions
from rag.settings import Settings


@dataclass(frozen=True)
class Sentence:
    paper: PaperEvidence
    index: int  # in the paper's abstract

    @property
    def text(self) -> str:
        return self.paper.sentences[self.index]


def candidates(evidence: list[PaperEvidence], papers: int, per_paper: int, most: int,
               within: float | None = None) -> list[Sentence]:
    """The best sentences of the best papers (by evidence score), grouped by paper in the abstract's order. With
    ``within``, a paper after the best one is offered only when its evidence score is within that of the best's: a
    question about one paper is answered from that paper alone (its ``most`` best sentences), not from a neighbour
    that holds a tempting number; a question about two papers has two that score alike."""
    ranked = sorted(evidence, key=lambda e: -e.best)[:papers]
    if within is not None and ranked:
        ranked = [e for e in ranked if e.best >= ranked[0].best - within]
    per = per_paper if len(ranked) > 1 else most
    scored = [(float(e.scores[i]), r, int(i)) for r, e in enumerate(ranked) for i in np.argsort(-e.scores)[:per]]
    kept = sorted(sorted(scored, reverse=True)[:most], key=lambda s: (s[1], s[2]))
    return [Sentence(ranked[r], i) for _, r, i in kept]


def shared_prompt(question: str, sentences: list[Sentence]) -> str:
    """The numbered sentences and the question: the part of the prompt every call about this question shares."""
    lines, named = [], set()
    for n, sentence in enumerate(sentences, start=1):
        paper = sentence.paper
        head = paper.name if paper.hit.paper_id in named else paper.label  # the title once per paper
        named.add(paper.hit.paper_id)
        lines.append(load_prompt("sentence").format(n=n, paper=head, sentence=neutralise_instructions(sentence.text)))
    return load_prompt("evidence").format(sentences="\n".join(lines), question=question)


def messages(settings: Settings, shared: str, instruction: str) -> list[dict]:
    return [{"role": "system", "content": system_prompt(settings)}, {"role": "user", "content": f"{shared}\n{instruction}"}]
