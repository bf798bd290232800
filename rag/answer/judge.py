"""Does the evidence answer the question? The model's calibrated Yes/No, never a count of shared words.

People write "microcontroller" where the abstract says "MCU"; a rule over the question's words cannot tell such a
paraphrase from a near miss. So the model judges: the probability of "Yes" to a question about the evidence
("Do these sentences state the answer to the question?") is read from its next-token logits (not sampled), once
with the evidence and once with it left out. The second is the question's own pull toward "Yes" (its premise, its
wording); the judgment is the shift the evidence causes, in log-odds (contextual calibration, Zhao et al. 2021),
averaged over the instructions (``prompts/judge_*.txt``). The calls share their prompt's start (system prompt,
numbered sentences, question), so the model server reads it once.

The score a strategy decides on adds the question's closeness in meaning to the best retrieved passage (the
embedder's cosine) with a weight: measured on the dev split, the two together separate answerable questions from
near misses and off-topic ones better than either alone (AUC 0.975 against 0.945 and 0.87).

Measured and not taken (dev4's 59 detail items, 44 answerable, 15 near misses): a choice over the numbered sentences
("Which sentence states the answer? 0 if none does", read from the logits) separates them worse than this score (the
probability of "0": AUC 0.82 against 0.88), and its most likely sentence is often not the one holding the answer.
Nor do other wordings or their average (dev, dev3, dev4: 107 detail items, 74 answerable): this score's AUC is 0.911
with ``judge_states``; 0.891-0.914 with "gives exactly what the question asks for, for the same method and setting",
"can be answered by quoting one of the sentences", "is the specific thing asked written above", and 0.904-0.914 for
their pairs and all four averaged. Nor does judging what is asked apart from the paper's description (the model
first names the asked thing, "top-1 accuracy on ImageNet-1K", by JSON-schema decoding; then "Do these sentences
state the <asked thing>?"): AUC 0.88 alone, 0.90 with the relevance, 0.91 averaged with this score (this: 0.91);
nor each sentence judged alone (the best sentence's log-odds: 0.83 on dev).
"""

import math
from dataclasses import dataclass

import numpy as np

from rag.answer.evidence import PaperEvidence
from rag.answer.prompts import load_prompt
from rag.answer.sentences import Sentence, messages, shared_prompt
from rag.answer.words import neutralise_instructions
from rag.stopping import Pool

OPTIONS = ["Yes", "No"]


def log_odds(probs: dict[str, float], option: str = "Yes") -> float:
    p = min(max(probs[option], 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass
class Judgment:
    shared: str  # the prompt's shared part: later calls about this question start with it too
    shift: float  # log-odds of "Yes" the evidence adds, over the instructions
    raw: float  # log-odds of "Yes" with the evidence (mean over the instructions)
    score: float = 0.0  # shift + weight x the question's best passage relevance: what strategies decide on
    may_refuse: bool = True  # whether its system prompt had the refusal rule: the calls that continue it keep the same


def judge(tools, question: str, sentences: list[Sentence], relevance: float, may_refuse: bool = True) -> Judgment:
    """The model's calibrated judgment that ``sentences`` state what ``question`` asks; ``relevance``: the question's
    best passage cosine. The calls without evidence run beside the others (a server's parallel slots); those with the evidence run
    one after another, so that all but the first find the shared prompt already read."""
    settings = tools.settings.answer.judge
    instructions = settings.instructions
    shared, blank = shared_prompt(question, sentences), shared_prompt(question, [])

    def odds(text: str, name: str) -> float:
        return log_odds(tools.choose(messages(tools.settings, text, load_prompt(name), may_refuse), OPTIONS))

    with Pool(len(instructions)) as pool:
        priors = [pool.submit(odds, blank, name) for name in instructions]
        with_evidence = [odds(shared, name) for name in instructions]
        without = [prior.result() for prior in priors]
    shift = sum(a - b for a, b in zip(with_evidence, without, strict=True)) / len(instructions)
    return Judgment(shared, shift, sum(with_evidence) / len(instructions), shift + settings.relevance_weight * relevance,
                    may_refuse)


def cited_score(tools, question: str, cited: list[Sentence], judgment: Judgment) -> float:
    """The judgment's score again, with the sentences a written answer cites in place of all those offered: its score
    plus the log-odds of "Yes" those sentences alone add over none (the judgment's own prior; one more call, which
    shares the system prompt only). An answer drawn from a sentence that does not state what is asked (another
    quantity of the paper, another paper's figure) scores low though the offered sentences as a whole passed."""
    names = tools.settings.answer.judge.instructions
    shared = shared_prompt(question, cited)
    alone = [log_odds(tools.choose(messages(tools.settings, shared, load_prompt(name), judgment.may_refuse), OPTIONS))
             for name in names]
    return judgment.score + sum(alone) / len(names) - (judgment.raw - judgment.shift)


def judge_each(tools, question: str, papers: list[PaperEvidence], sentences: int) -> list[float]:
    """For each paper (its label and ``sentences`` best sentences), its score: the log-odds of "Yes, it does what the
    question describes" it adds over no paper at all, plus the weighted relevance of its best passage (as a detail's
    score). The question comes first in each prompt, so that the calls share it."""
    def odds(paper: PaperEvidence | None) -> float:
        block = "(none)" if paper is None else "\n".join(
            [paper.label, *(paper.sentences[i] for i in sorted(np.argsort(-paper.scores)[:sentences]))])
        text = load_prompt("candidate").format(question=question, paper=neutralise_instructions(block))
        return log_odds(tools.choose(messages(tools.settings, text, load_prompt("judge_candidate")), OPTIONS))

    with Pool(1) as pool:
        prior = pool.submit(odds, None)
        with_paper = [odds(paper) for paper in papers]
        weight = tools.settings.answer.judge.relevance_weight
        return [odds_ - prior.result() + weight * (paper.hit.relevance or 0.0) for odds_, paper in zip(with_paper, papers, strict=True)]


def about_topic(tools, topic: str, papers: list[PaperEvidence], sentences: int) -> list[float]:
    """For each paper (its title and ``sentences`` best sentences), the log-odds of the model's "Yes" to "Is this
    paper about <topic>?": a metadata question's topic ("the 2024 papers on federated learning"). Unlike
    ``judge_each`` no prior is subtracted: the question is the same for every paper, and what is wanted is the
    model's own confidence (on the dev questions, off-topic papers of the filtered set score below 3, papers on the
    topic above; the shift + relevance score of ``judge_each`` gave off-topic papers 3-4 too)."""
    def odds(paper: PaperEvidence) -> float:
        block = "\n".join([paper.hit.title, *(paper.sentences[i] for i in sorted(np.argsort(-paper.scores)[:sentences]))])
        text = load_prompt("judge_topic").format(topic=topic, paper=neutralise_instructions(block))
        return log_odds(tools.choose([{"role": "user", "content": text}], OPTIONS))

    with Pool(max(1, tools.settings.llm.parallel)) as pool:
        return list(pool.map(odds, papers))
