"""`paperchat ask` (one question, streamed) and `paperchat chat` (a conversation)."""

import io
import json

from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
from rich.text import Text

from cli.filters import filter_options, metadata_query
from cli.index_commands import out, paper_count
from rag.errors import UserError
from rag.settings import get_settings
from rag.text import clean_query


def register(commands) -> None:
    p = commands.add_parser("ask", help="answer one question from the indexed papers, with citations")
    p.add_argument("question")
    _retrieval_options(p)
    p.add_argument("--format", choices=["text", "markdown", "bibtex", "json"], default="text",
                   help="text (streamed), markdown (with a reference list), bibtex (the cited papers) or json "
                   "({answer, citations, refused, retrieved, timings})")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.set_defaults(run=run_ask)

    p = commands.add_parser("chat", help="an interactive conversation; follow-up questions use the history")
    _retrieval_options(p)
    p.set_defaults(run=run_chat)


def _retrieval_options(p) -> None:
    p.add_argument("-k", type=paper_count, default=None, help="papers retrieved (default from settings)")
    p.add_argument("--mode", choices=["dense", "bm25", "hybrid"], default=None)
    filter_options(p, "scope: answer from the papers these metadata filters keep (as `search` takes them)")


def _scope(args):
    from rag.answer.scope import Scope

    return Scope(metadata_query(args))


def _service():
    from rag.answer.service import AnswerService

    return AnswerService(get_settings())


def print_sources(answer) -> None:
    from rag.papers import describe

    if answer.scope:
        out.print(f"(within: {answer.scope})", style="dim", markup=False)
    if answer.citations:
        out.print("\n[bold]Sources[/bold]")
        for c in answer.citations:
            extra = describe(c.metadata)
            out.print(f"  [{c.n}] {c.title}" + (f" ({extra})" if extra else ""), markup=False)
            if c.passage != extra:
                out.print(f"      {c.passage}", markup=False, style="dim")
    others = answer.uncited[:5]
    if others:
        out.print("\n[bold]" + ("Possibly related" if answer.refused else "Also retrieved") + "[/bold]")
        for hit in others:
            out.print(f"  - {hit.title}", markup=False)


def _stream(service, question: str, history, args):
    """Show the answer as it is generated, then replace it in place by the checked, cited final text."""
    from rag.answer.service import Answer

    answer, streamed = None, ""
    # On a terminal the draft streams and is then replaced in place; piped output gets the final text only.
    console = Console(highlight=False) if out.is_terminal else Console(file=io.StringIO())
    with Live(Text(""), console=console, auto_refresh=False, transient=True) as live:
        for item in service.stream(question, history, k=args.k, mode=args.mode, scope=_scope(args)):
            if isinstance(item, str):
                streamed += item
                live.update(Text(streamed), refresh=True)  # each token reaches the terminal at once
            elif isinstance(item, Answer):
                answer = item
    if out.is_terminal and answer.text.startswith("| "):  # a table (survey, compare): drawn as one on a terminal
        out.print(Markdown(answer.text))
    else:
        out.print(answer.text, markup=False)  # a withdrawn draft is said so in the text itself
    return answer


def run_ask(args) -> int:
    from rag.export import bibtex, markdown

    args.question = clean_query(args.question)  # an empty question is said before any model or store is loaded
    service = _service()
    form = "json" if args.json else args.format
    if form == "text":
        print_sources(_stream(service, args.question, [], args))
        return 0
    answer = service.ask(args.question, k=args.k, mode=args.mode, scope=_scope(args)).to_json()
    writers = {"json": lambda a: json.dumps(a, ensure_ascii=False, indent=2), "markdown": lambda a: markdown([a]),
               "bibtex": lambda a: bibtex([a])}
    print(writers[form](answer), end="" if form != "json" else "\n")
    return 0


def run_chat(args) -> int:
    service = _service()
    out.print("PaperChat: ask about the indexed papers. Empty line or Ctrl-D to quit.", style="dim")
    history: list[tuple[str, str]] = []
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            return 0
        if not question or question.lower() in {"exit", "quit"}:
            return 0
        try:
            answer = _stream(service, question, history, args)
        except UserError as err:
            out.print(f"error: {err}", markup=False)
            continue
        if answer.standalone_question != answer.question:
            out.print(f"(understood as: {answer.standalone_question})", style="dim", markup=False)
        print_sources(answer)
        history += [("user", question), ("assistant", answer.text)]
