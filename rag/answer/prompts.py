"""The prompt templates: text files in the top-level ``prompts`` package, shipped as its package data and read with
importlib.resources (so an installed wheel has them too), each checked for the placeholders its callers fill.

``check`` runs when the answer service starts: a template edited into a missing or extra ``{placeholder}`` is one
clear error then, not a KeyError when the first question reaches it.
"""

import string
from functools import cache
from importlib import resources

from rag.errors import UserError

# every template, with the placeholders its callers fill (None: not a format template, read as it is)
PLACEHOLDERS: dict[str, set[str] | None] = {
    "system": set(), "refusal_rule": {"refusal"}, "source": {"n", "title", "passage"}, "sentence": {"n", "paper", "sentence"},
    "evidence": {"sentences", "question"}, "answer": set(), "yesno": set(), "judge_states": set(),
    "judge_candidate": set(), "candidate": {"question", "paper"},
    "judge_topic": {"paper", "topic"}, "one_paper": {"question"}, "asks_papers": {"question"}, "condense": {"history", "question"},
    "summary": {"sources", "question"}, "survey_line": {"sources", "question"}, "metadata_filter": None,
    "survey_aspect": None, "survey_topic": None,
}
FEW_SHOT = ("metadata_filter", "survey_aspect", "survey_topic")  # an instruction, a blank line, then lines "question => reply"


@cache
def load_prompt(name: str) -> str:
    try:
        return resources.files("prompts").joinpath(f"{name}.txt").read_text(encoding="utf-8").strip()
    except (FileNotFoundError, ModuleNotFoundError) as err:
        raise UserError(f"prompt template {name!r} is missing from the installed package ({err})") from None


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def check(names: list[str] | None = None) -> None:
    """Every template loads and has exactly the placeholders its callers fill."""
    for name in names or list(PLACEHOLDERS):
        wanted = PLACEHOLDERS.get(name, set())
        if wanted is None:
            if name in FEW_SHOT:
                few_shot(name)
            else:
                load_prompt(name)
            continue
        try:
            found = fields(load_prompt(name))
        except ValueError as err:
            raise UserError(f"prompt template {name!r} is not a valid template: {err}") from None
        if found != wanted:
            raise UserError(f"prompt template {name!r} has placeholders {sorted(found)}; its callers fill {sorted(wanted)}")


@cache
def few_shot(name: str) -> tuple[dict, ...]:
    """A few-shot template as chat turns: the instruction as the system message, then each example as a user turn and
    the assistant's reply (a small model follows turns better than a list)."""
    instruction, examples = load_prompt(name).split("\n\n", 1)
    messages = [{"role": "system", "content": instruction}]
    for line in examples.splitlines():
        if " => " not in line:
            raise UserError(f"prompt template {name!r}: an example line needs 'question => reply': {line[:60]!r}")
        asked, written = line.split(" => ", 1)
        messages += [{"role": "user", "content": asked}, {"role": "assistant", "content": written}]
    return tuple(messages)
