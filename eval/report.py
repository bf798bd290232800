"""report.md and PNG plots for a run directory."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RETRIEVAL = ["recall@k", "hit@k", "mrr", "ndcg@k"]
ANSWERS = ["key_string", "exact_set", "exact_order", "verdict", "verdict_yes", "verdict_no", "route", "token_f1",
           "citation_precision", "citation_recall", "accuracy", "precision",
           "refusal_rate_unanswerable", "false_refusal_rate"]
COUNTS = ["wrongly_refused", "wrongly_answered"]  # the confusion of refusals, per group


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(summary: dict, metrics: list[str]) -> str:
    groups = [g for g in summary if g != "config"]
    lines = ["| metric | " + " | ".join(groups) + " |", "|---|" + "---|" * len(groups)]
    lines.append("| items | " + " | ".join(str(summary[g]["items"]) for g in groups) + " |")
    for metric in metrics:
        if any(summary[g].get(metric) is not None for g in groups):
            lines.append(f"| {metric} | " + " | ".join(_fmt(summary[g].get(metric)) for g in groups) + " |")
    for metric in COUNTS:
        if any(summary[g].get(metric) is not None for g in groups):
            lines.append(f"| {metric} | " + " | ".join(str(summary[g].get(metric, "–")) for g in groups) + " |")
    for metric in ("retrieve_ms", "ttft_s", "total_s"):
        if summary["overall"][metric]["p50"] is not None:
            cells = [f"{_fmt(summary[g][metric]['p50'])} / {_fmt(summary[g][metric]['p95'])}" for g in groups]
            lines.append(f"| {metric} p50 / p95 | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def refusal_lines(summary: dict) -> list[str]:
    """Per group, what refused its answerable items (counts), when any were."""
    return [f"- {group}: " + "; ".join(f"{stage} {n}" for stage, n in summary[group]["wrongly_refused_by"].items())
            for group in summary if group not in ("config", "overall") and summary[group].get("wrongly_refused_by")]


def _plot_by_type(summary: dict, path: Path) -> None:
    groups = [g for g in summary if g not in ("config", "overall")]
    metrics = [m for m in ["recall@k", "key_string", "verdict", "route", "citation_precision", "refusal_rate_unanswerable",
                           "false_refusal_rate"]
               if any(summary[g].get(m) is not None for g in groups)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.8 / max(len(metrics), 1)
    for i, metric in enumerate(metrics):
        values = [summary[g].get(metric) or 0 for g in groups]
        ax.bar([x + i * width for x in range(len(groups))], values, width, label=metric)
    ax.set_xticks([x + width * (len(metrics) - 1) / 2 for x in range(len(groups))], groups)
    ax.set_ylim(0, 1.05)
    ax.set_title("Metrics per question kind")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plot_latency(rows: list[dict], path: Path) -> None:
    series = {"retrieval (s)": [r["timings"]["retrieve_ms"] / 1000 for r in rows],
              "time to first token (s)": [r["timings"].get("ttft_s") for r in rows],
              "total answer (s)": [r["timings"].get("total_s") for r in rows]}
    series = {k: [v for v in vs if v is not None] for k, vs in series.items()}
    series = {k: v for k, v in series.items() if v}
    fig, axes = plt.subplots(1, len(series), figsize=(4 * len(series), 3.5), squeeze=False)
    for ax, (name, values) in zip(axes[0], series.items(), strict=True):
        ax.hist(values, bins=15, color="#4c78a8")
        ax.set_title(name)
        ax.set_ylabel("items")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(out_dir: Path, summary: dict, rows: list[dict]) -> None:
    _plot_by_type(summary, out_dir / "metrics_by_type.png")
    _plot_latency(rows, out_dir / "latency.png")
    config = summary["config"]
    misses = [r for r in rows if r["scores"].get("correct") is False or r["scores"].get("hit@k") == 0]
    lines = [f"# Evaluation of {config['qaset']}", "",
             f"Mode `{config['mode']}`, k = {config['k']}" + (", retrieval only" if config["retrieval_only"] else f", LLM {config['llm']}"),
             "", table(summary, RETRIEVAL + ANSWERS), "", "![metrics per type](metrics_by_type.png)", "",
             "![latency](latency.png)", ""]
    if reasons := refusal_lines(summary):
        lines += ["## What refused the answerable items", "", *reasons, ""]
    lines += [f"## Items that missed ({len(misses)})", ""]
    for r in misses:
        got = r["answer"] if r["answer"] is not None else ", ".join(h["title"][:60] for h in r["retrieved"][:3])
        lines.append(f"- `{r['qid']}` ({r['type']}) {r['question']} → {got}")
    (out_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
