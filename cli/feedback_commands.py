"""`paperchat feedback list` and `paperchat feedback export FILE`: the votes given on the chat page, and the QA set
they make (``paperchat eval FILE`` runs it as it is)."""

from pathlib import Path

from cli.index_commands import out
from rag.errors import UserError
from rag.feedback import FeedbackStore, export
from rag.settings import get_settings


def register(commands) -> None:
    p = commands.add_parser("feedback", help="votes given on answers in the chat page: list them, or export a QA set")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every vote, oldest first")
    listing.add_argument("--user", default=None, help="only this user's votes (when the page has logins)")
    listing.set_defaults(run=run_list)
    writing = actions.add_parser("export", help="write the votes as a QA set (JSONL, eval/README.md's format)")
    writing.add_argument("file", type=Path)
    writing.set_defaults(run=run_export)


def _store() -> FeedbackStore:
    settings = get_settings()
    if not settings.feedback_path.exists():
        raise UserError(f"no feedback yet: {settings.feedback_path} does not exist (vote on answers in the chat page)")
    return FeedbackStore(settings.feedback_path)


def run_list(args) -> int:
    votes = _store().votes(args.user)
    for v in votes:
        mark = "👍" if v.vote == "up" else "👎"
        extra = " · nothing answers it" if v.unanswerable else (f" · note: {v.note}" if v.note else "")
        out.print(f"#{v.id} {mark} {v.question}" + (f" [{v.user}]" if v.user else "") + extra, markup=False)
        out.print(f"    {v.answer[:160]}", style="dim", markup=False)
    out.print(f"{len(votes)} votes", style="dim")
    return 0


def run_export(args) -> int:
    from rag.store import open_store

    if args.file.is_dir() or not args.file.parent.is_dir():
        raise UserError(f"cannot write {args.file}: give a file in an existing folder")
    titles = [meta.get("title", "") for meta in open_store(get_settings()).papers()]
    written, skipped = export(_store(), args.file, titles)
    out.print(f"{written} QA items written to {args.file}" + (f"; {skipped} down-votes without a note or "
              "'nothing answers it' left out" if skipped else ""), markup=False)
    return 0
