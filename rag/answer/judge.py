"""Does the evidence answer the question? The model's calibrated Yes/No, never a count of shared words.

People write "microcontroller" where the abstract says "MCU"; a rule over the question's words cannot tell such a
paraphrase from a near miss. So the model judges: the probability of "Yes" to a question about the evidence
("Do these sentences state the answer to the question?") is read from its next-token logits (not sampled), once
with the evidence and once with it left out. The second is the question's own pull toward "Yes" (its premise, its
wording); the judgment is the shift the evidence causes, in log-odds (contextual calibration, Zhao et al. 2021),
averaged over the instructions in ``prompts/judge_*.txt``. The calls share their prompt's start (system prompt,
numbered sentences, question), so the model server reads it once.
"""

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rag.answer.context import load_prompt
from rag.answer.sentences import Sentence, messages, shared_prompt

OPTIONS = ["Yes", "No"]


def log_odds(probs: dict[str, float], option: str = "Yes") -> float:
    p = min(max(probs[option], 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


@dataclass
class Judgment:
    shared: str  # the prompt's shared part: later calls about this question start with it too
    shift: float  # log-odds of "Yes" the evidence adds, over the instructions
    raw: float  # log-odds of "Yes" with the evidence (mean over the instructions)


def judge(tools, question: str, sentences: list[Sentence], instructions: list[str]) -> Judgment:
    """The model's calibrated judgment that ``sentences`` state what ``question`` asks (each instruction a template
    name). The calls without evidence run beside the others (a server's parallel slots); those with the evidence run
    one after another, so that all but the first find the shared prompt already read."""
    shared, blank = shared_prompt(question, sentences), shared_prompt(question, [])

    def odds(text: str, name: str) -> float:
        return log_odds(tools.choose(messages(tools.settings, text, load_prompt(name)), OPTIONS))

    with ThreadPoolExecutor(len(instructions)) as pool:
        priors = [pool.submit(odds, blank, name) for name in instructions]
        with_evidence = [odds(shared, name) for name in instructions]
        without = [prior.result() for prior in priors]
    shift = sum(a - b for a, b in zip(with_evidence, without, strict=True)) / len(instructions)
    return Judgment(shared, shift, sum(with_evidence) / len(instructions))
