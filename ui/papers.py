"""The Papers tab: the store's catalog as a table that filters, sorts and pages (50 rows a page); a title opens its
abstract in place. Built from one read of the catalog per store revision (a page's abstracts are read with the
page), so it opens fast at 100,000 papers. Every column the indexed sources fill is shown, none that they do not:
an HTML table in the page's own font (a sort by date or upvotes sorts by something the user can see)."""

import threading
from html import escape

import gradio as gr
import pandas as pd

from rag.papers import PaperService
from rag.records import web_link
from rag.settings import Settings
from ui.scope import TICKED_ID, picked_ids
from ui.upload import upload_panel

PAGE_SIZE = 50
COLUMNS = ["title", "date", "authors", "n_authors", "venue", "organisation", "categories", "upvotes"]
NUMBERS = ("n_authors", "upvotes")
LABELS = {"n_authors": "Authors (n)"}
SORTS = {"title": ("title_key", True), "newest": ("when", False), "oldest": ("when", True), "upvotes": ("upvotes", False),
         "most authors": ("n_authors", False)}


class PaperTable:
    """Filter/sort/page over a DataFrame of the catalog (pure logic: no Gradio)."""

    def __init__(self, papers: list[dict]):
        frame = pd.DataFrame.from_records(papers, columns=["paper_id", "when", "url", *COLUMNS]) if papers else \
            pd.DataFrame(columns=["paper_id", "when", "url", *COLUMNS])
        self.columns = [col for col in COLUMNS if col == "title" or frame[col].notna().any()]
        text = [col for col in COLUMNS if col not in NUMBERS]
        frame[text] = frame[text].astype(object).where(frame[text].notna(), "")
        frame["title_key"] = frame["title"].str.lower()
        haystack = frame["title"]
        for col in self.columns[1:]:
            haystack = haystack + " " + frame[col].astype(str)
        frame["haystack"] = haystack.str.lower()
        self.frame = frame

    def page(self, query: str = "", sort: str = "title", number: int = 1) -> tuple[pd.DataFrame, list[str], int, int]:
        """(rows of page ``number``, their paper ids, papers matching, pages)."""
        rows = self.frame
        for word in (query or "").lower().split():
            rows = rows[rows["haystack"].str.contains(word, regex=False)]
        key, ascending = SORTS.get(sort, SORTS["title"])
        rows = rows.sort_values(key, ascending=ascending, na_position="last", kind="stable")
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        number = min(max(1, int(number or 1)), pages)
        shown = rows.iloc[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        return shown[self.columns].reset_index(drop=True), list(shown["paper_id"]), len(rows), pages


def table_html(rows: pd.DataFrame, ids: list[str], abstracts: dict[str, str], urls: dict[str, str],
               picked: frozenset[str] = frozenset()) -> str:
    """A page of the table: escaped cells, each title a toggle that opens the paper's abstract (and its link), each
    row a box to tick the paper for the chat's scope."""
    head = '<th title="ask within the ticked papers">Ask</th>' + "".join(
        f"<th>{escape(LABELS.get(col, col.capitalize()))}</th>" for col in rows.columns)
    body = []
    for pid, (_, row) in zip(ids, rows.iterrows(), strict=True):
        tick = " checked" if pid in picked else ""
        cells = [f'<td><input type="checkbox" class="pick" data-id="{escape(pid)}"{tick} '
                 f'aria-label="ask within {escape(str(row["title"]))}"></td>']
        for col in rows.columns:
            value = row[col]
            text = "" if pd.isna(value) or value == "" else str(int(value) if col in NUMBERS else value)
            if col == "title":
                url = web_link({"url": urls.get(pid)})
                link = f' <a href="{escape(url)}" target="_blank" rel="noopener">link</a>' if url else ""
                text = (f"<details><summary>{escape(text)}</summary><p>{escape(abstracts.get(pid, ''))}{link}</p>"
                        "</details>")
            else:
                text = escape(text)
            cells.append(f'<td class="col-{col}">{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table class="paper-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def papers_tab(papers: PaperService, settings: Settings, picked: gr.Textbox):
    """Builds the tab's components; returns (load function, its inputs, its outputs) for ``demo.load``. ``picked``: the
    chat's box of ticked paper ids (their rows are shown ticked)."""
    cache: dict = {"revision": None, "table": None}

    lock = threading.Lock()

    def table() -> PaperTable:
        with lock:
            revision = papers.revision()
            if cache["revision"] != revision:
                cache["table"], cache["revision"] = PaperTable(papers.records()), revision
            return cache["table"]

    threading.Thread(target=table, name="papers-table", daemon=True).start()  # ready before the tab is opened

    def show(query: str, sort: str, number: int, picked: str = ""):
        current = table()
        rows, ids, matching, pages = current.page(query, sort, number)
        number = min(max(1, int(number or 1)), pages)
        label = f"{matching} of {len(current.frame)} papers · page {number} of {pages}"
        urls = dict(zip(current.frame["paper_id"], current.frame["url"], strict=True))
        links = {pid: urls.get(pid) for pid in ids}
        html = table_html(rows, ids, papers.abstracts(ids) if ids else {}, links, frozenset(picked_ids(picked)))
        return f'<div class="paper-count">{escape(label)}</div>{html}', gr.update(value=number, maximum=pages)

    def step(query: str, sort: str, number: int, picked: str, by: int):
        return show(query, sort, int(number or 1) + by, picked)

    with gr.Row():
        query = gr.Textbox(label="Filter", placeholder="words in the title, authors, date, venue or categories", scale=4)
        sort = gr.Dropdown(list(SORTS), value="title", label="Sort by", scale=1)
    grid = gr.HTML('<div class="paper-count">Loading the papers…</div>', elem_id="paper-table")
    with gr.Row():
        previous = gr.Button("◀ Previous", size="sm")
        number = gr.Number(value=1, minimum=1, precision=0, label="Page", scale=0, min_width=90)
        following = gr.Button("Next ▶", size="sm")
    # the ticks, kept in a hidden box the page's script writes (the chat's scope box may not be drawn yet), and copied
    # both ways between it and the chat's box (clearing that one unticks them all)
    ticked = gr.Textbox("", elem_id=TICKED_ID, elem_classes=["hidden-input"], show_label=False, container=False)
    ticked.change(lambda v: v, ticked, picked, api_visibility="private")
    picked.input(lambda v: v, picked, ticked, api_visibility="private")
    inputs, outputs = [query, sort, number, picked], [grid, number]
    for changed in (query.change, sort.change):  # a new filter or order starts at page 1
        changed(lambda q, s, n, p: show(q, s, 1, p), inputs, outputs, api_visibility="private")
    number.submit(show, inputs, outputs, api_visibility="private")
    previous.click(lambda q, s, n, p: step(q, s, n, p, -1), inputs, outputs, api_visibility="private")
    following.click(lambda q, s, n, p: step(q, s, n, p, +1), inputs, outputs, api_visibility="private")
    upload_panel(settings, show, inputs, outputs)  # the new papers at once
    return show, inputs, outputs
