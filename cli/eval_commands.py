"""`paperchat eval QASET`, `paperchat eval compare RUN_A RUN_B`, `paperchat eval sweep QASET`."""

from pathlib import Path

from rich.table import Table

from cli.index_commands import err, out, paper_count
from cli.progress import progress as progress_display
from rag.answer.kinds import KINDS
from rag.errors import UserError
from rag.settings import get_settings

USAGE = "paperchat eval QASET [options] | paperchat eval compare RUN_A RUN_B | paperchat eval sweep QASET [--ks 1 3 5 10]"


def register(commands) -> None:
    p = commands.add_parser("eval", help="evaluate retrieval and answers against a QA set", usage=USAGE,
                            description="Evaluate against a JSONL QA set (format: eval/README.md).")
    p.add_argument("target", nargs="+", metavar="QASET", help="a QA set; or 'compare RUN_A RUN_B'; or 'sweep QASET'")
    p.add_argument("--limit", type=int, default=None, help="only the first N items")
    p.add_argument("--retrieval-only", action="store_true", help="score retrieval only (no LLM)")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid"], default=None)
    p.add_argument("-k", type=paper_count, default=None, help="papers retrieved per question")
    p.add_argument("--out", type=Path, default=None, help="run directory (default eval/runs/NAME-MODE-kK)")
    p.add_argument("--parallel", type=paper_count, default=1, metavar="N",
                   help="questions asked at once (faster on a model server; timings then include waiting)")
    p.add_argument("--kind", choices=KINDS, default=None, help="only the items of this question kind")
    p.add_argument("--ks", type=int, nargs="+", default=[1, 3, 5, 10], help="k values for sweep")
    p.set_defaults(run=run_eval_command)


def run_eval_command(args) -> int:
    first, rest = args.target[0], args.target[1:]
    if first == "compare":
        if len(rest) != 2:
            raise UserError("usage: paperchat eval compare RUN_A RUN_B")
        from eval.compare import compare

        for line in compare(Path(rest[0]), Path(rest[1])):
            out.print(line, markup=False)
        return 0
    if first == "sweep":
        if len(rest) != 1:
            raise UserError("usage: paperchat eval sweep QASET [--ks 1 3 5 10]")
        return _sweep(Path(rest[0]), args)
    if rest:
        raise UserError(f"one QA set at a time (got {len(args.target)} paths)")
    return _evaluate(Path(first), args)


def _report_problems(problems: list[str]) -> None:
    for problem in problems:
        err.print(f"skipped: {problem}", markup=False)


def _evaluate(qaset: Path, args) -> int:
    from eval.report import ANSWERS, RETRIEVAL, refusal_lines, table
    from eval.runner import run_eval

    settings = get_settings()
    mode, k = args.mode or settings.retrieval.mode, args.k or settings.retrieval.top_k
    out_dir = args.out or Path("eval/runs") / f"{qaset.stem}-{mode}-k{k}{'-retrieval' if args.retrieval_only else ''}"
    with progress_display(err, remaining=True) as progress:
        summary, problems = run_eval(qaset, settings, out_dir, args.limit, args.retrieval_only, mode, k, progress,
                                     args.parallel, args.kind)
    _report_problems(problems)
    metrics = RETRIEVAL if args.retrieval_only else RETRIEVAL + ANSWERS
    out.print(table(summary, metrics), markup=False)
    if reasons := refusal_lines(summary):
        out.print("\nWhat refused the answerable items:\n" + "\n".join(reasons), markup=False)
    out.print(f"\nWritten to {out_dir}/ (items.jsonl, summary.json, report.md, *.png)", markup=False)
    return 0


def _sweep(qaset: Path, args) -> int:
    from eval.sweep import sweep

    with progress_display(err, remaining=True) as progress:
        rows, problems = sweep(qaset, get_settings(), sorted(set(args.ks)), progress)
    _report_problems(problems)
    grid = Table(title=f"Retrieval sweep over {qaset.name} (answerable items)")
    for column in ("mode", "k", "recall@k", "hit@k", "mrr", "ndcg@k", "ms/query"):
        grid.add_column(column, justify="right")
    for row in rows:
        grid.add_row(row["mode"], str(row["k"]), *(f"{row[m]:.3f}" for m in ("recall@k", "hit@k", "mrr", "ndcg@k")), f"{row['ms']:.1f}")
    out.print(grid)
    return 0
