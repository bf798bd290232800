"""Ask within a subset from the page: the chat's scope inputs (organisation, author, venue, category, a year range,
and papers ticked in the Papers tab), turned into the same ``Scope`` the command line's filter flags make. Empty
inputs: every paper."""

import gradio as gr

from rag.answer.scope import Scope
from rag.errors import UserError
from rag.retrieve.metadata import PaperFilter

FIELDS = ("organisation", "author", "venue", "category")
TICKED_ID = "ticked-papers"  # the Papers tab's hidden box of ticked ids (render.HEAD's script writes it)


def scope_inputs() -> list:
    """The inputs, unrendered (the chat's settings accordion renders them), in the order ``scope_of`` takes them."""
    texts = [gr.Textbox("", label=f"Only papers with this {name}", placeholder="any", render=False) for name in FIELDS]
    years = [gr.Textbox("", label=f"Only papers dated {word} (year)", placeholder="e.g. 2022", render=False)
             for word in ("from", "until")]
    picked = gr.Textbox("", label="Only these papers (tick them in the Papers tab; clear to use all)",
                        placeholder="none ticked", elem_id="scope-papers", render=False)
    return texts + years + [picked]


def picked_ids(text: str | None) -> list[str]:
    return [pid for pid in (text or "").replace(",", " ").split() if pid]


def scope_of(*values) -> Scope:
    """The scope the inputs describe (those left out: empty); a bad value is a one-line UserError."""
    values = (*values, *[""] * (len(FIELDS) + 3 - len(values)))
    texts, (first, last, picked) = values[: len(FIELDS)], values[len(FIELDS):]
    fields = {name: " ".join(str(v).split()) for name, v in zip(FIELDS, texts, strict=True) if v and str(v).strip()}
    dates = []
    for relation, year in (("since", first), ("until", last)):
        year = str(year if year is not None else "").strip()
        if year:
            if not (year.isdigit() and 1000 <= int(year) <= 9998):
                raise UserError(f"a scope year must be a year such as 2023, not {year!r}")
            dates.append({"relation": relation, "year": int(year)})
    papers = frozenset(picked_ids(picked)) or None
    return Scope(PaperFilter.of(**fields, dates=dates) if fields or dates else None, papers)
