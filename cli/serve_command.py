"""`paperchat serve`: the chat page on 127.0.0.1 (indexing the bundled corpus in the background, its progress on the
page, if the store is empty).

With backend=llama_server (the default) the model runs in a llama.cpp server process that this command starts while
the page comes up, restarts if it dies and stops on exit: Ctrl-C, a SIGTERM, or (the child watches its parent)
even a kill -9.
"""

import logging
import os
import signal
import sys

from cli.index_commands import err, out
from rag.errors import UserError
from rag.settings import get_settings


def register(commands) -> None:
    settings = get_settings()
    p = commands.add_parser("serve", help="open the chat page (Gradio) in your browser")
    p.add_argument("--host", default=settings.ui.host, help="interface to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=port_number, default=settings.ui.port, help="1-65535 (default 7860)")
    p.set_defaults(run=run_serve)


def port_number(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {text!r}")
    return int(text)


def run_serve(args) -> int:
    from rag.answer.service import AnswerService
    from rag.settings import BUNDLED_CORPUS
    from ui.app import launch
    from ui.indexing import Indexing

    settings = get_settings()
    service = AnswerService(settings)
    indexing = None
    if service.retriever.store.count_chunks() == 0:  # the page comes up at once and shows how far the indexing is
        err.print("The index is empty: indexing the bundled corpus in the background (the page shows its progress).")
        indexing = Indexing().start([BUNDLED_CORPUS], settings)
    try:
        demo = launch(service, settings, args.host, args.port, block=False, indexing=indexing)
    except OSError as error:  # the port is taken, or the address is not this machine's
        raise UserError(f"cannot serve on {args.host}:{args.port}: {str(error).split('. ')[0]}") from error
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # exit through atexit: the model server is stopped too
    out.print(f"PaperChat is running at http://{args.host}:{args.port}  (Ctrl-C to stop)", markup=False)
    model = service.backend
    err.print(f"Answer model: {model.describe()}; {model.capacity} answer(s) at once, later questions wait in a queue.",
              markup=False)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: listening on {args.host}: other machines can reach this page"
                  + ("" if settings.ui.logins() else "; set logins with PAPERCHAT_UI__USERS (or __USERNAME and __PASSWORD)"))
    try:
        demo.block_thread()  # returns after Ctrl-C; a SIGTERM's SystemExit passes through
    finally:
        # The model server goes first (within llm.server.stop_grace_s), then the process at once, without waiting for
        # threads still under way: the warm-up and the first index, which is kill-safe (Ctrl-C 4.8 s -> 2.6 s).
        model.close()
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
