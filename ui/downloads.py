"""Export from the page: the chat so far as Markdown (one reference list) or its cited papers as BibTeX, as a file to
download. The page keeps each finished answer of the chat (its JSON, as ``paperchat ask --format json`` prints it);
``rag.export`` writes both formats, the same text as the command line's."""

import tempfile
from pathlib import Path

import gradio as gr

from rag.export import bibtex, markdown


def kept(answers: list[dict], result) -> list[dict]:
    """The chat's answers so far, with ``result`` added when it is a finished answer (not a queue place or error) that
    is not the last one kept already."""
    new = isinstance(result, dict) and "answer" in result and "citations" in result and (not answers or answers[-1] != result)
    return [*answers, result] if new else answers


def export_file(answers: list[dict], form: str) -> str | None:
    """The chat written to a fresh file for download: Markdown with its references, or the cited papers as BibTeX."""
    if not answers:
        gr.Warning("Ask something first: there is nothing to export yet.")
        return None
    folder = Path(tempfile.mkdtemp(prefix="paperchat-export-"))
    path = folder / ("paperchat-chat.md" if form == "markdown" else "paperchat-references.bib")
    path.write_text(markdown(answers) if form == "markdown" else bibtex(answers), encoding="utf-8")
    return str(path)


def export_controls(result: gr.JSON) -> tuple[gr.State, gr.File]:
    """Two export buttons and the file they fill; returns (the chat's kept answers, the file) for a new chat to clear."""
    answers = gr.State([])
    with gr.Row():
        as_markdown = gr.Button("Export chat (Markdown)", size="sm")
        as_bibtex = gr.Button("Export references (BibTeX)", size="sm")
    download = gr.File(label="Download", interactive=False, elem_id="export-file", height=80)
    result.change(kept, [answers, result], answers, api_visibility="private")
    as_markdown.click(lambda a: export_file(a, "markdown"), answers, download, api_visibility="private")
    as_bibtex.click(lambda a: export_file(a, "bibtex"), answers, download, api_visibility="private")
    return answers, download
