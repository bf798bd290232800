"""`paperchat` command line: everything the UI does, scriptable.

A user mistake (bad path, empty question, unreachable server) prints one line and exits non-zero;
tracebacks are for bugs only.
"""

import argparse
import sys

from cli import answer_commands, eval_commands, feedback_commands, index_commands, serve_command
from rag.errors import UserError

COMMAND_GROUPS = [index_commands, answer_commands, serve_command, eval_commands, feedback_commands]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperchat", description="Ask questions about research-paper abstracts, locally.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_GROUPS:
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()  # reads the settings (serve's defaults): a broken config file stops here
    except UserError as err:
        print(f"paperchat: error: {err}", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UserError as err:
        print(f"paperchat: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("paperchat: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
