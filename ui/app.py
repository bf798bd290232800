"""The Gradio chat page: a thin layer over the same AnswerService the CLI uses.

Chat tab: streamed answers with [n] links into a sources panel; Stop, New chat, examples; retrieval
settings in an accordion. Papers tab: every indexed paper, filterable and sortable, with its abstract.
The chat endpoint is exposed to scripts as ``/chat`` (message in; answer HTML, sources HTML and the
structured answer out).
"""

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from html import escape

import gradio as gr

from rag.answer.service import Answer, AnswerService, Waiting
from rag.conversations import ConversationStore
from rag.errors import UserError
from rag.feedback import FeedbackStore
from rag.settings import Settings
from rag.stopping import Stopping
from ui.conversations import conversation_controls
from ui.downloads import export_controls
from ui.evaluation import evaluation_tab
from ui.feedback import feedback_controls
from ui.indexing import Indexing
from ui.papers import papers_tab
from ui.render import CSS, HEAD, answer_html, error_html, plain, sources_html, waiting_html
from ui.scope import scope_inputs, scope_of

log = logging.getLogger(__name__)
EXAMPLES = [
    "How many experts per layer can Monet scale to?",
    "Is there a two-stream MLP for click-through rate prediction?",
    "Summarize the papers about sparse autoencoders",
    "Does FinalMLP use a single MLP stream?",
    "Which papers come from Kyutai?",
]
MODES = ("hybrid", "dense", "bm25")
PAGE_OPTIONS = {"css": CSS, "head": HEAD, "footer_links": ["api"]}  # Gradio 6 takes these in launch()


def _history(messages: list[dict]) -> list[tuple[str, str]]:
    return [(m["role"], plain(m["content"])) for m in messages if m.get("role") in ("user", "assistant")]


def _options(mode, k, length, *scope) -> dict:
    """The chat's settings as the API may send them: anything else is a clear error, not a failed answer."""
    if mode not in MODES:
        raise UserError(f"retrieval mode must be one of {', '.join(MODES)}, not {mode!r}")
    numbers = {}
    for name, value, low, high in (("papers retrieved", k, 0, 20), ("answer length", length, 32, 1024)):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or not low <= value <= high:
            raise UserError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        numbers[name] = int(value)
    return {"mode": mode, "k": numbers["papers retrieved"] or None, "max_tokens": numbers["answer length"],
            "scope": scope_of(*scope)}


async def in_thread(items: Iterator) -> AsyncIterator:
    """``items`` run in a thread of their own, as an async iterator. Stop (Gradio cancels the task awaiting the next
    item) lets go of the answer's queue place and model request at once (rag/stopping.py), whatever the thread does."""
    loop, queue, stop = asyncio.get_running_loop(), asyncio.Queue(), Stopping()
    done = object()

    def put(item) -> None:
        with contextlib.suppress(RuntimeError):  # the page's event loop is gone: nobody is reading
            loop.call_soon_threadsafe(queue.put_nowait, item)

    def run() -> None:
        try:
            with stop.active(), contextlib.closing(items):
                for item in items:
                    if stop.stopped:
                        return
                    put(item)
            put(done)
        except BaseException as err:  # handed to the reader, which raises it (nobody reads after a Stop)
            put(err)

    threading.Thread(target=run, name="answer", daemon=True).start()
    try:
        while (item := await queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.stop()


def chat_fn(service: AnswerService, indexing: Indexing | None = None):
    async def respond(message, history, mode, k, length, *scope):
        try:
            answer: Answer | None = None
            draft, shown = "", ""
            yield "", sources_html(None), None  # clear the previous answer's sources at once
            if indexing is not None and indexing.running:
                raise UserError(f"the papers are still being indexed ({indexing.papers} so far); ask again when the "
                                "line above the chat says it is done")
            options = _options(mode, k, length, *scope)
            if not isinstance(message, str):
                raise UserError(f"the message must be text, not {type(message).__name__}")
            async for item in in_thread(service.stream(message, _history(history), **options)):
                if isinstance(item, Waiting):  # in the queue for the model, or (position 0) just started
                    shown, place = waiting_html(item), {"position": item.position, "expected_s": round(item.expected_s, 1)}
                    yield shown, gr.skip(), {"queued": place}
                elif isinstance(item, str):  # "" = the model wrote nothing visible yet: a chance to be stopped
                    draft += item
                    shown = answer_html(draft) if draft else shown
                    yield shown, gr.skip(), gr.skip()  # only the text changes while streaming
                else:
                    answer = item
            abstracts = service.papers.abstracts([c.paper_id for c in answer.citations]) if answer.citations else {}
            within = f'<div class="scope">Within: {escape(answer.scope)}</div>' if answer.scope else ""
            yield (within + answer_html(answer.text, len(answer.citations)), sources_html(answer, abstracts),
                   answer.to_json())
        except UserError as err:
            yield error_html(str(err)), sources_html(None), {"error": str(err)}
        except Exception as err:  # model or store failure: say so, keep the page working
            log.exception("answer failed")
            message = f"The answer failed ({type(err).__name__}: {err}). Please try again."
            yield error_html(message), sources_html(None), {"error": message}

    return respond


def build_app(service: AnswerService, settings: Settings, indexing: Indexing | None = None) -> gr.Blocks:
    """The page; ``indexing``: a first index being built in the background, whose progress the page shows."""
    with gr.Blocks(title="PaperChat", fill_height=True) as demo:
        gr.Markdown("## PaperChat — answers from the indexed paper abstracts, with citations")
        banner = gr.Markdown(indexing.line() if indexing else "", elem_id="indexing")
        sources = gr.HTML(sources_html(None), render=False, elem_id="sources")
        result = gr.JSON(visible=False, render=False)
        settings_inputs = [
            gr.Radio(list(MODES), value=settings.retrieval.mode, label="Retrieval mode", render=False),
            gr.Slider(0, 20, value=0, step=1, label="Papers retrieved (0: by question kind)", render=False,
                      info="0 retrieves as many as the question's kind needs, as the command line does"),
            gr.Slider(32, 1024, value=settings.llm.max_new_tokens, step=32, label="Answer length (tokens)", render=False),
            *scope_inputs(),
        ]
        with gr.Tab("Chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                wire_conversations = conversation_controls(ConversationStore(settings.conversations_path))
                chatbot = gr.Chatbot(height=520, label="PaperChat", sanitize_html=True)
                chat = gr.ChatInterface(
                    chat_fn(service, indexing),
                    chatbot=chatbot,
                    additional_inputs=settings_inputs,
                    additional_inputs_accordion=gr.Accordion("Settings and scope", open=False, render=False),
                    additional_outputs=[sources, result],
                    api_name="chat",
                    concurrency_limit=settings.ui.concurrency,
                    fill_height=True,
                )
                gr.Examples(EXAMPLES, inputs=chat.textbox, label="Examples (a click puts the question in the box)")
            with gr.Column(scale=2):
                sources.render()
                result.render()
                answers, download = export_controls(result)
                feedback_controls(chatbot, answers, FeedbackStore(settings.feedback_path))
        # The chat header's clear (trash) button starts a new chat: the sources panel is cleared with it.
        chatbot.clear(lambda: (sources_html(None), None, [], None), None, [sources, result, answers, download],
                      api_visibility="private")
        wire_conversations(chat.chatbot_value, answers, result, chatbot, demo, {sources: sources_html(None), result: None,
                                                                         download: None})
        with gr.Tab("Papers"):
            show_papers, paper_inputs, paper_outputs = papers_tab(service.papers, settings, settings_inputs[-1])
        with gr.Tab("Evaluation"):
            show_eval, eval_outputs = evaluation_tab(settings)
        demo.load(show_papers, paper_inputs, paper_outputs, api_visibility="private")
        if indexing is not None:  # the line follows the indexing, then the Papers tab shows what it indexed
            timer = gr.Timer(1.0, active=indexing.running)
            timer.tick(lambda: (indexing.line(), gr.Timer(active=indexing.running)), None, [banner, timer],
                       api_visibility="private").then(show_papers, paper_inputs, paper_outputs, api_visibility="private")
        demo.load(show_eval, None, eval_outputs, api_visibility="private")
    demo.queue(default_concurrency_limit=settings.ui.concurrency)
    return demo


def _warm_up(service: AnswerService) -> None:
    try:
        service.warm_up()
    except UserError as err:  # e.g. the model server could not start: each answer will say so too
        log.error("%s", err)


def launch(service: AnswerService, settings: Settings, host: str, port: int, block: bool = True,
           indexing: Indexing | None = None):
    """Start the server (127.0.0.1 unless told otherwise), then warm the models up in the background."""
    demo = build_app(service, settings, indexing)
    auth = settings.ui.logins() or None
    demo.launch(server_name=host, server_port=port, auth=auth, share=False, prevent_thread_lock=True, quiet=True,
                max_file_size=f"{settings.ui.max_upload_mb}mb", **PAGE_OPTIONS)
    threading.Thread(target=_warm_up, args=(service,), name="warm-up", daemon=True).start()
    if block:
        demo.block_thread()
    return demo
