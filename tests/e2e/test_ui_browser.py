"""A real browser (Debian's Chromium, driven by Playwright) using the chat page."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import XSS_TITLE

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output"
# Playwright runs headless with a fresh, empty profile of its own.
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def _ensure_chromium() -> None:
    if shutil.which("chromium") or Path(CHROMIUM).exists():
        return
    subprocess.run(["apt-get", "update", "-qq"], check=True, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, capture_output=True,
                   env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    _ensure_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield page
        browser.close()


def _ask(page, question: str) -> None:
    box = page.get_by_placeholder(re.compile("message", re.IGNORECASE)).first
    box.fill(question)
    box.press("Enter")
    page.locator(".sources .src, .sources h4").first.wait_for(timeout=180_000)


def test_question_streams_an_answer_whose_citation_opens_the_source(page, ui_server):
    from playwright.sync_api import expect

    page.goto(ui_server)
    _ask(page, "What is in the collection about MLP models for vision, and what does each paper do?")
    expect(page.locator("table.answer-table tbody tr").nth(1)).to_be_visible()  # a table: one row per paper
    citation = page.locator("a.cite").first
    expect(citation).to_be_visible()
    citation.click()
    source = page.locator("#src-1")
    expect(source).to_have_class(re.compile(r"\bactive\b"))
    expect(source).to_contain_text("MLP")
    expect(source.locator("mark").first).to_be_visible()  # the whole abstract, the cited sentences marked
    assert len(source.locator("blockquote").inner_text()) > len(source.locator("mark").first.inner_text())
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-answer.png"), full_page=True)
    markdown = _download(page, "Export chat (Markdown)", "paperchat-chat.md")
    assert markdown.startswith("# PaperChat") and "## References" in markdown and "**Q:** What is in the collection" in markdown
    import bibtexparser

    entries = bibtexparser.loads(_download(page, "Export references (BibTeX)", "paperchat-references.bib")).entries
    assert len(entries) >= 2 and all(e["title"].startswith("{") for e in entries)  # one per cited paper


def _download(page, button: str, name: str) -> str:
    """Click an export button, then the link to the file it fills; the downloaded file's text."""
    page.get_by_role("button", name=button).click()
    link = page.locator("#export-file a", has_text=name).first
    link.wait_for(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_markup_in_paper_text_is_shown_not_run(page, ui_server):
    from playwright.sync_api import expect

    page.goto(ui_server)
    _ask(page, "What share of active content does the MarkupGuard sanitiser remove from crawled abstracts?")
    expect(page.locator(".sources")).to_contain_text("onerror")  # the title is displayed as text
    page.get_by_role("tab", name="Papers").click()
    page.get_by_label("Filter").fill("markup")
    expect(page.get_by_text("1 of ")).to_be_visible()
    page.locator("table.paper-table summary", has_text=XSS_TITLE[:20]).click()  # the title opens its abstract
    expect(page.locator("table.paper-table details p")).to_contain_text("MarkupGuard")
    expect(page.locator("table.paper-table details a", has_text="link")).to_have_attribute(
        "href", "https://example.org/markupguard")
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0


def test_the_papers_tab_shows_every_column_the_store_fills(page, ui_server, ui_settings):
    from playwright.sync_api import expect

    from rag.papers import PaperService
    from rag.store import open_store
    from ui.papers import COLUMNS, LABELS

    records = PaperService(open_store(ui_settings)).records()
    filled = [col for col in COLUMNS if any(r.get(col) not in (None, "") for r in records)]
    assert {"date", "n_authors", "authors", "venue"} <= set(filled)  # what this store holds
    page.goto(ui_server)
    page.get_by_role("tab", name="Papers").click()
    head = page.locator("table.paper-table thead th")
    expect(head.first).to_be_visible()
    assert [h.strip() for h in head.all_inner_texts()] == [LABELS.get(c, c.capitalize()) for c in filled]
    page.get_by_label("Sort by").click()
    page.get_by_role("option", name="newest").click()
    dates = page.locator("table.paper-table td.col-date")
    expect(dates.first).not_to_be_empty()  # sorted by a date the user can see
    assert page.locator("table.paper-table").evaluate("t => getComputedStyle(t).fontFamily") != "monospace"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-papers.png"), full_page=True)
