"""Past chats on the page: listed, reopened (after a reload or a server restart: they are saved in the data directory,
rag/conversations.py), deleted, and a new chat begun. Each chat is saved whenever an answer finishes. Whose chats
these are: the logged-in user's when the page has logins, else this browser's (a random id kept in its storage)."""

import gradio as gr

from rag.conversations import ConversationStore, new_id
from ui.downloads import kept
from ui.render import plain

BROWSER_KEY = "paperchat-browser-id"


def owner(browser_id: str, request: gr.Request | None) -> str:
    """Who the chats belong to: 'user:<name>' with logins, else 'browser:<id>'."""
    name = getattr(request, "username", None) if request is not None else None
    return f"user:{name}" if name else f"browser:{browser_id}"


def conversation_controls(store: ConversationStore):
    """The list and its buttons; returns a function that wires them to the chat once it exists."""
    browser = gr.BrowserState("", storage_key=BROWSER_KEY)
    current = gr.State("")  # this chat's id, given when the page loads
    with gr.Row(equal_height=True):
        chats = gr.Dropdown([], label="Past chats", scale=4, elem_id="past-chats")
        reopen = gr.Button("Open", size="sm", scale=0, min_width=70)
        delete = gr.Button("Delete", size="sm", scale=0, min_width=70)
        fresh = gr.Button("New chat", size="sm", scale=0, min_width=90)

    def listed(who: str, selected: str | None = None):
        choices = [(title, cid) for cid, title in store.titles(who)]
        return gr.update(choices=choices, value=selected if selected in {c for _, c in choices} else None)

    def start(browser_id: str, request: gr.Request):
        browser_id = browser_id or new_id()
        return browser_id, listed(owner(browser_id, request)), new_id()

    def save(browser_id: str, cid: str, messages: list, answers: list, result, request: gr.Request):
        """Saved when an answer finishes (``result`` is a new answer), never on reopening or clearing a chat."""
        answers = kept(answers, result)
        if not answers or not messages or answers[-1] != result:
            return gr.skip()
        who = owner(browser_id, request)
        first = next((m["content"] for m in messages if m.get("role") == "user"), "")
        store.save(who, cid, messages, answers, plain(first))
        return listed(who, cid)

    def opened(browser_id: str, cid: str | None, request: gr.Request):
        found = store.load(owner(browser_id, request), cid) if cid else None
        if found is None:
            return gr.skip(), gr.skip(), gr.skip()
        return found.id, found.messages, found.answers

    def deleted(browser_id: str, cid: str | None, now: str, request: gr.Request):
        who = owner(browser_id, request)
        if cid:
            store.delete(who, cid)
        return listed(who), (new_id() if cid == now else now)

    def wire(chat_value: gr.State, answers: gr.State, result: gr.JSON, chatbot: gr.Chatbot, demo: gr.Blocks,
             cleared: dict):
        """``chat_value``: the chat's settable history; ``result``: each finished answer's JSON; ``cleared``: what a
        new chat sets other components to."""
        private = {"api_visibility": "private"}
        demo.load(start, browser, [browser, chats, current], **private)
        result.change(save, [browser, current, chatbot, answers, result], chats, **private)
        reopen.click(opened, [browser, chats], [current, chat_value, answers], **private)
        delete.click(deleted, [browser, chats, current], [chats, current], **private)
        fresh.click(lambda: (new_id(), [], [], *cleared.values()), None, [current, chat_value, answers, *cleared],
                    **private)
        chatbot.clear(new_id, None, current, **private)  # the chat header's trash button begins a new chat too

    return wire
