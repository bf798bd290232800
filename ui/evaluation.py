"""The Evaluation tab: the latest ``paperchat eval`` report over the running store (its per-kind table and plots), as
``eval/runner.py`` leaves it; read again whenever the tab is refreshed."""

import json
import time
from pathlib import Path

import gradio as gr

from rag.settings import Settings

NONE_YET = ("No evaluation has been run on this store yet. Run, for example, `paperchat eval eval/qa/dev.jsonl` "
            "(see eval/README.md), then press Refresh.")


def _image(path: Path):
    """The plot as an image (read here: a run folder may be anywhere, outside what the page may serve as files)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.copy()
    except OSError:
        return None


def latest_report(settings: Settings) -> tuple:
    """(Markdown: where the run is from and its per-kind table, the metrics plot, the latency plot)."""
    try:
        latest = json.loads(settings.latest_eval_path.read_text())
        run = Path(latest["run"])
        report = (run / "report.md").read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError):
        return NONE_YET, None, None
    table = [line for line in report.splitlines() if line.startswith("|")]
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(latest.get("at", 0)))
    head = f"**{latest.get('qaset', '')}**, run at {when} (`{run}`)\n\n" + report.splitlines()[2]
    plots = [_image(run / name) for name in ("metrics_by_type.png", "latency.png")]
    return head + "\n\n" + "\n".join(table), *plots


def evaluation_tab(settings: Settings):
    """The tab's components; returns (load function, outputs) for ``demo.load``."""
    refresh = gr.Button("Refresh", size="sm")
    summary = gr.Markdown(NONE_YET, elem_id="eval-report")
    with gr.Row():
        metrics = gr.Image(label="Metrics per kind", type="pil", interactive=False)
        latency = gr.Image(label="Latency", type="pil", interactive=False)
    outputs = [summary, metrics, latency]
    refresh.click(lambda: latest_report(settings), None, outputs, api_visibility="private")
    return (lambda: latest_report(settings)), outputs
