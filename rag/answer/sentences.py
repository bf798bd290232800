"""The numbered evidence sentences that every model call about a question starts with.

The model reads the prompt at ~100 tokens/s on 2 cores, so what it reads is the cost, and a small model judges
better from a few sentences than from whole abstracts (measured: 5 sentences from 2 papers beat 6 from 3, and 5 from
the one paper a question describes beat 5 from it and its neighbour). So each call about a question reads the best
sentences of the best paper, or papers when they score alike (by evidence score, evidence.py), numbered, each
with its paper's name, then the question, and only then the call's own instruction: the model server reads the
shared start once (its prompt cache) for the judgment (judge.py), the verdict and the answer.
"""

from collections import Counter
from dataclasses import dataclass

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
               within: float | None = None, diversity: float = 0.0) -> list[Sentence]:
    """The best sentences of the best papers (by evidence score), grouped by paper in the abstract's order. With
    ``within``, a paper after the best one is offered only when its evidence score is within that of the best's: a
    question about one paper is answered from that paper alone (its ``most`` best sentences), not from a neighbour
    that holds a tempting number; a question about two papers has two that score alike. With ``diversity``, each next
    sentence pays that times its closest cosine to one already chosen (maximal marginal relevance): a question that
    describes a paper and then asks one thing matches the sentences describing it, which say much the same; the one
    with the asked thing says something else."""
    ranked = sorted(evidence, key=lambda e: -e.best)[:papers]
    if within is not None and ranked:
        ranked = [e for e in ranked if e.best >= ranked[0].best - within]
    per = per_paper if len(ranked) > 1 else most
    chosen: list[tuple[int, int]] = []
    while len(chosen) < most:
        taken = Counter(r for r, _ in chosen)
        pool = [(r, i) for r, e in enumerate(ranked) if taken[r] < per for i in range(len(e.sentences)) if (r, i) not in chosen]
        if not pool:
            break
        chosen.append(max(pool, key=lambda ri: float(ranked[ri[0]].scores[ri[1]])
                           - (diversity and diversity * _redundancy(ranked, ri, chosen))))
    return [Sentence(ranked[r], i) for r, i in sorted(chosen)]


def _redundancy(ranked: list[PaperEvidence], candidate: tuple[int, int], chosen: list[tuple[int, int]]) -> float:
    """The candidate sentence's highest cosine to a chosen one (0 without vectors)."""
    vector = ranked[candidate[0]].vectors
    if not chosen or vector is None:
        return 0.0
    own = vector[candidate[1]]
    return max((float(own @ ranked[r].vectors[i]) for r, i in chosen if ranked[r].vectors is not None), default=0.0)


def shared_prompt(question: str, sentences: list[Sentence]) -> str:
    """The numbered sentences and the question: the part of the prompt every call about this question shares."""
    lines, named = [], set()
    for n, sentence in enumerate(sentences, start=1):
        paper = sentence.paper
        head = paper.name if paper.hit.paper_id in named else paper.label  # the title once per paper
        named.add(paper.hit.paper_id)
        lines.append(load_prompt("sentence").format(n=n, paper=head, sentence=neutralise_instructions(sentence.text)))
    return load_prompt("evidence").format(sentences="\n".join(lines), question=question)


def messages(settings: Settings, shared: str, instruction: str, may_refuse: bool = True) -> list[dict]:
    system = system_prompt(settings, may_refuse)
    return [{"role": "system", "content": system}, {"role": "user", "content": f"{shared}\n{instruction}"}]
