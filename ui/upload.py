"""Add papers from the page: listing ``.txt``, ``.jsonl`` or ``.csv`` files (or ``.gz`` of them) go through the same
ingest as ``paperchat ingest``, with a progress bar; the Papers tab and the answers see them as soon as it is done
(the store's revision changes). Uploads are kept in the data directory (``uploads/``), so the index can be rebuilt
from them. Types and size are checked on the server (Gradio refuses larger files at ``ui.max_upload_mb``); a rejected
record or file is one line saying where and why, and a file rejected whole writes nothing."""

import shutil
import uuid
from pathlib import Path

import gradio as gr

from rag.ingest.pipeline import ingest
from rag.ingest.sources import SUFFIXES, file_type
from rag.settings import Settings

ALLOWED = sorted(SUFFIXES | {f"{s}.gz" for s in SUFFIXES})


class PageProgress:
    """What ``ingest`` reports (rich's ``add_task``/``update``), shown as the page's progress bar."""

    def __init__(self, bar: gr.Progress):
        self.bar, self.description = bar, "Indexing papers"

    def add_task(self, description: str, total=None) -> int:
        self.description = description
        self.bar(0, desc=description)
        return 0

    def update(self, task: int, completed: int | None = None, description: str | None = None, **_) -> None:
        self.description = description or self.description
        self.bar(None if completed is None else (completed, None), desc=f"{self.description}: {completed or 0} papers")


def kept_copies(files: list[str], folder: Path, limit_mb: int) -> list[Path]:
    """The uploaded files copied into ``folder`` under their own names; a wrong type or size is a one-line error."""
    paths = [Path(f) for f in files or []]
    if not paths:
        raise gr.Error("Choose one or more files first.", print_exception=False)
    for path in paths:
        if file_type(path) not in SUFFIXES:
            raise gr.Error(f"{path.name}: not a listing .txt, .jsonl or .csv file (or a .gz of one); nothing was added.",
                           print_exception=False)
        if path.stat().st_size > limit_mb * 2**20:
            raise gr.Error(f"{path.name}: larger than {limit_mb} MB; nothing was added.", print_exception=False)
    batch = folder / uuid.uuid4().hex[:12]
    batch.mkdir(parents=True)
    return [Path(shutil.copy2(path, batch / path.name)) for path in paths]


def _said(rejected) -> str:
    """The first few rejections, each as 'file:line: why' with the file's own name."""
    return "; ".join(f"{Path(r.source).name}{f':{r.line}' if r.line else ''}: {r.reason}" for r in rejected[:3]) + (
        f" (and {len(rejected) - 3} more)" if len(rejected) > 3 else "")


def add_papers(files: list[str], settings: Settings, progress: gr.Progress) -> str:
    """Index the uploads; a line saying what was added and what was rejected (and why)."""
    report = ingest(kept_copies(files, settings.data_dir / "uploads", settings.ui.max_upload_mb), settings,
                    progress=PageProgress(progress))
    if not report.papers and report.rejected:
        raise gr.Error(f"Nothing was added: {_said(report.rejected)}", print_exception=False)
    line = f"Added {report.new} new and {report.updated} updated papers ({report.unchanged} already indexed)."
    if report.rejected:
        line += f" Rejected {len(report.rejected)}: {_said(report.rejected)}"
    return line


def upload_panel(settings: Settings, refresh, inputs: list, outputs: list) -> None:
    """The 'Add papers' accordion. ``refresh(*inputs)`` gives the Papers tab's ``outputs``: they are updated in the
    same step as the status, so a filter typed after "Added" always applies to the new table."""
    with gr.Accordion("Add papers", open=False):
        files = gr.File(label=f"Listing files ({', '.join(ALLOWED)}; at most {settings.ui.max_upload_mb} MB each)",
                        file_count="multiple", file_types=ALLOWED, elem_id="upload-files")
        button = gr.Button("Add to the index", size="sm")
        status = gr.Markdown(elem_id="upload-status")

    def run(chosen, *shown, progress=gr.Progress()):  # noqa: B008 (Gradio's way of asking for the progress bar)
        return add_papers(chosen, settings, progress), None, *refresh(*shown)

    button.click(run, [files, *inputs], [status, files, *outputs], api_visibility="private")
