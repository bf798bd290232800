"""Thumbs up/down on each answer, with an optional note (the right answer, or the right paper's title) and a box for
"nothing in the papers answers this": each vote is saved at once in the data directory (rag/feedback.py), under the
logged-in user's name when the page has logins. ``paperchat feedback export FILE`` turns the votes into a QA set."""

import gradio as gr

from rag.feedback import FeedbackStore
from ui.render import plain


def voted_turn(history: list[dict], index, kept: list[dict]) -> tuple[str, dict]:
    """(question, answer JSON) of the assistant message at ``index``: the user message before it, and the answer the
    page kept for that question (its text alone when none was kept, e.g. an error)."""
    index = index[0] if isinstance(index, list | tuple) else int(index)
    question = next((plain(m["content"]) for m in reversed(history[:index]) if m.get("role") == "user"), "")
    found = next((a for a in reversed(kept) if a.get("question") == question), None)
    return question, found or {"answer": plain(history[index]["content"]), "citations": []}


def feedback_controls(chatbot: gr.Chatbot, kept: gr.State, store: FeedbackStore) -> None:
    with gr.Accordion("Feedback: add a note, then 👍 or 👎 the answer", open=False):
        note = gr.Textbox(label="Note (optional)", placeholder="the right answer, or the title of the paper that answers it")
        nothing = gr.Checkbox(label="Nothing in the indexed papers answers this question")
    status = gr.Markdown(elem_id="feedback-status")

    def vote(history, answers, text, unanswerable, data: gr.LikeData, request: gr.Request):
        question, answer = voted_turn(history, data.index, answers)
        up = data.liked is True or data.liked == "Like"
        store.add(question, answer, "up" if up else "down", text or "", bool(unanswerable),
                  user=getattr(request, "username", None) or "")
        return f"Saved your {'👍' if up else '👎'} on “{question[:80]}”.", "", False

    chatbot.like(vote, [chatbot, kept, note, nothing], [status, note, nothing], api_visibility="private")
