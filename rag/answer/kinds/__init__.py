"""Question kinds: what a question asks for decides how it is answered.

    detail    one fact from one paper: the fact, copied exactly, cited
    yesno     Yes / No / not settled, as the cited evidence says, then why
    identify  find the paper that does X: the paper named, with what it does
    survey    several papers on a topic: one line per relevant paper
    summary   one paper's abstract, summarised
    metadata  organisation, date, upvotes, authors, category: filtered and sorted from the store
"""

from typing import Literal

Kind = Literal["detail", "yesno", "identify", "survey", "summary", "metadata"]
KINDS: tuple[Kind, ...] = ("detail", "yesno", "identify", "survey", "summary", "metadata")
