"""Question kinds: what a question asks for decides how it is answered. Each kind lives in one place: its module
(``<kind>.py``: the strategy that answers it and how the answer is laid out) and the example questions the router
learns it from (``<kind>.jsonl``). ``router.py`` scores a question's kinds, ``registry.py`` offers it to them,
``base.py`` holds what every strategy shares (the Toolkit: evidence, the model's judgments), ``generation.py`` the
path of model-written answers.

    detail    one fact from one paper: the fact, copied exactly, cited
    yesno     Yes / No / not settled, as the cited evidence says, then why
    identify  find the paper that does X: the paper named, with what it does
    survey    several papers on a topic: a table, one row per relevant paper answering the asked aspect
    summary   one paper's abstract, summarised
    metadata  organisation, date, upvotes, authors, category: the model's typed filter over the stored records
"""

from typing import Literal

Kind = Literal["detail", "yesno", "identify", "survey", "summary", "metadata"]
KINDS: tuple[Kind, ...] = ("detail", "yesno", "identify", "survey", "summary", "metadata")
