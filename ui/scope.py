"""Ask within a subset from the page: the chat's scope inputs (organisation, author, venue, category, a year range),
turned into the same ``Scope`` the command line's filter flags make. Empty inputs: every paper."""

import gradio as gr

from rag.answer.scope import Scope
from rag.errors import UserError
from rag.retrieve.metadata import PaperFilter

FIELDS = ("organisation", "author", "venue", "category")


def scope_inputs() -> list:
    """The inputs, unrendered (the chat's settings accordion renders them), in the order ``scope_of`` takes them."""
    texts = [gr.Textbox(label=f"Only papers with this {name}", placeholder="any", render=False) for name in FIELDS]
    years = [gr.Number(label=f"Only papers dated {word} (year)", precision=0, value=None, render=False)
             for word in ("from", "until")]
    return texts + years


def scope_of(*values) -> Scope:
    """The scope the inputs describe; a bad value is a one-line UserError."""
    texts, (first, last) = values[: len(FIELDS)], values[len(FIELDS):]
    fields = {name: " ".join(str(v).split()) for name, v in zip(FIELDS, texts, strict=True) if v and str(v).strip()}
    dates = []
    for relation, year in (("since", first), ("until", last)):
        if year not in (None, ""):
            if isinstance(year, bool) or not isinstance(year, int | float) or year != int(year) or not 1000 <= year <= 9998:
                raise UserError(f"a scope year must be a year such as 2023, not {year!r}")
            dates.append({"relation": relation, "year": int(year)})
    return Scope(PaperFilter.of(**fields, dates=dates)) if fields or dates else Scope()
