"""Answers and sources as HTML. Every piece of paper text and model output is escaped here, and only
here: an abstract containing <script> or <img onerror> is shown as text, never run."""

import re
from html import escape, unescape
from itertools import groupby

from rag.answer.service import Answer, Waiting
from rag.ingest.chunking import unique_sentences
from rag.papers import describe
from rag.records import web_link

_MARKER = re.compile(r"\[(\d+)\]")
_TAG = re.compile(r"<[^>]+>")


def plain(content) -> str:
    """Chat content (a string or a list of {'type': 'text', 'text': ...} parts, HTML as the page shows it) as text."""
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return unescape(_TAG.sub("", str(content or "")))


def _table(rows: list[str]) -> str:
    """Markdown table lines ('| a | b |', the '|---|' rule skipped) as an HTML table, the first line its head."""
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows if not row.startswith("|---")]
    head, body = cells[0], cells[1:]
    return ('<table class="answer-table"><thead><tr>' + "".join(f"<th>{c}</th>" for c in head) + "</tr></thead><tbody>"
            + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in body) + "</tbody></table>")


def _lines(safe: str) -> str:
    """Answer lines starting with '- ' (one paper each) as a list, runs of lines starting with '|' as a table; other
    line breaks kept."""
    out = []
    for shape, run in groupby(safe.split("\n"), key=lambda line: line[:2] if line[:2] == "- " else line[:1] == "|"):
        lines = list(run)
        if shape == "- ":
            out.append('<ul class="answer-list">' + "".join(f"<li>{line[2:]}</li>" for line in lines) + "</ul>")
        elif shape is True:
            out.append(_table(lines))
        else:
            out += lines
    return "<br>".join(part for part in out if part) if len(out) > 1 else (out[0] if out else "")


def answer_html(text: str, cited: int = 0) -> str:
    """Escaped answer text; list lines become a list; [n] becomes a link to source n in the sources panel."""
    safe = _lines(escape(text))
    if not cited:
        return safe
    return _MARKER.sub(lambda m: f'<a class="cite" href="#src-{m.group(1)}">[{m.group(1)}]</a>'
                       if 1 <= int(m.group(1)) <= cited else m.group(0), safe)


def _meta(metadata: dict) -> str:
    """The metadata a source has (authors, date, venue, organisation, upvotes) and a link when it gives one."""
    line = escape(describe(metadata))
    if url := web_link(metadata):
        line += (" · " if line else "") + f'<a href="{escape(url)}" target="_blank" rel="noopener">link</a>'
    return line


def _highlighted(abstract: str, passage: str) -> str:
    """The escaped abstract with the passage's sentences (what the answer cites) marked."""
    safe = escape(abstract)
    for sentence in sorted(unique_sentences([passage]), key=len, reverse=True):
        quoted = escape(sentence)
        if quoted and quoted in safe:
            safe = safe.replace(quoted, f"<mark>{quoted}</mark>", 1)
    return safe


def sources_html(answer: Answer | None, abstracts: dict[str, str] | None = None) -> str:
    """The cited papers, numbered as in the answer: each with its metadata and its whole abstract (from
    ``abstracts``; the cited passage alone when it is not given), the sentences the answer rests on marked."""
    if answer is None:
        return '<div class="sources empty">Sources of the answer appear here.</div>'
    abstracts = abstracts or {}
    blocks = []
    if answer.citations:
        blocks.append("<h4>Sources</h4>")
        for c in answer.citations:
            text = _highlighted(abstracts[c.paper_id], c.passage) if abstracts.get(c.paper_id) else escape(c.passage)
            blocks.append(
                f'<div class="src" id="src-{c.n}"><div class="src-title">[{c.n}] {escape(c.title)}</div>'
                f'<div class="src-meta">{_meta(c.metadata)}</div><blockquote>{text}</blockquote></div>'
            )
    others = answer.uncited
    if others:
        blocks.append("<h4>" + ("Possibly related" if answer.refused else "Also retrieved") + "</h4><ul>")
        blocks += [f'<li>{escape(h.title)} <span class="src-meta">{_meta(h.metadata)}</span></li>' for h in others]
        blocks.append("</ul>")
    return '<div class="sources">' + "".join(blocks) + "</div>"


def waiting_html(waiting: Waiting) -> str:
    """Where a question stands while others' answers are written; then that its answer has started."""
    if waiting.position == 0:
        return '<span class="queued">Your turn: reading the papers…</span>'
    ahead = "You are next" if waiting.position == 1 else f"{waiting.position - 1} questions are ahead of yours"
    return (f'<span class="queued">⏳ Waiting for the model: {ahead} (about {max(1, round(waiting.expected_s))} s). '
            "Stop leaves the queue.</span>")


def error_html(message: str) -> str:
    return f'<span class="error">⚠ {escape(message)}</span>'


CSS = """
.sources .src { border-left: 3px solid #d0d7de; padding: 4px 10px; margin: 8px 0; }
.sources .src.active, .sources .src:target { border-left-color: #e3a008; background: #fff8db; }
.sources .src-title { font-weight: 600; }
.sources .src-meta { color: #6b7280; font-size: 0.85em; }
.sources blockquote { margin: 4px 0 0 0; font-size: 0.92em; }
.sources mark { background: #fde68a; padding: 0 1px; }
a.cite { text-decoration: none; font-weight: 600; }
ul.answer-list { margin: 0; padding-left: 1.2em; }
ul.answer-list li { margin: 2px 0; }
table.answer-table { border-collapse: collapse; margin: 4px 0; }
table.answer-table th, table.answer-table td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
table.paper-table { border-collapse: collapse; width: 100%; font-family: inherit; font-size: 0.92em; }
table.paper-table th { text-align: left; border-bottom: 2px solid #d0d7de; padding: 4px 8px; }
table.paper-table td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; vertical-align: top; }
table.paper-table td.col-title { width: 45%; }
table.paper-table summary { cursor: pointer; }
table.paper-table details p { margin: 4px 0; color: #374151; }
.paper-count { color: #6b7280; margin: 4px 0; }
.hidden-input { display: none !important; }
.scope { color: #6b7280; font-size: 0.85em; margin-bottom: 4px; }
.error { color: #b91c1c; }
.queued { color: #6b7280; font-style: italic; }
"""

# Citation links scroll the sources panel to the cited paper and highlight it (Gradio opens links in
# new tabs by default, so the click is handled here).
HEAD = r"""
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest('a[href^="#src-"]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const target = document.getElementById(link.getAttribute("href").slice(1));
  if (!target) return;
  document.querySelectorAll(".sources .src.active").forEach((el) => el.classList.remove("active"));
  target.classList.add("active");
  target.scrollIntoView({ behavior: "smooth", block: "nearest" });
}, true);
// A ticked row in the Papers tab adds its paper to the chat's scope box (and unticking removes it).
document.addEventListener("change", (event) => {
  const box = event.target.closest("input.pick");
  if (!box) return;
  const field = document.querySelector("#ticked-papers textarea, #ticked-papers input");
  if (!field) return;
  const ids = new Set(field.value.split(/[\s,]+/).filter(Boolean));
  box.checked ? ids.add(box.dataset.id) : ids.delete(box.dataset.id);
  field.value = [...ids].join(" ");
  field.dispatchEvent(new Event("input", { bubbles: true }));
}, true);
</script>
"""
