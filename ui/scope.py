"""Ask within a subset from the page: the chat's scope inputs (organisation, author, venue, category, a year range),
turned into the same ``Scope`` the command line's filter flags make. Empty inputs: every paper."""

import gradio as gr

from rag.answer.scope import Scope
from rag.errors import UserError
from rag.retrieve.metadata import PaperFilter

FIELDS = ("organisation", "author", "venue", "category")


def scope_inputs() -> list:
    """The inputs, unrendered (the chat's settings accordion renders them), in the order ``scope_of`` takes them."""
    texts = [gr.Textbox("", label=f"Only papers with this {name}", placeholder="any", render=False) for name in FIELDS]
    years = [gr.Textbox("", label=f"Only papers dated {word} (year)", placeholder="e.g. 2022", render=False)
             for word in ("from", "until")]
    return texts + years


def scope_of(*values) -> Scope:
    """The scope the inputs describe (those left out: empty); a bad value is a one-line UserError."""
    values = (*values, *[""] * (len(FIELDS) + 2 - len(values)))
    texts, (first, last) = values[: len(FIELDS)], values[len(FIELDS):]
    fields = {name: " ".join(str(v).split()) for name, v in zip(FIELDS, texts, strict=True) if v and str(v).strip()}
    dates = []
    for relation, year in (("since", first), ("until", last)):
        year = str(year if year is not None else "").strip()
        if year:
            if not (year.isdigit() and 1000 <= int(year) <= 9998):
                raise UserError(f"a scope year must be a year such as 2023, not {year!r}")
            dates.append({"relation": relation, "year": int(year)})
    return Scope(PaperFilter.of(**fields, dates=dates)) if fields or dates else Scope()
