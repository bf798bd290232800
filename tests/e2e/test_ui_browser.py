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
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-answer.png"), full_page=True)


def test_markup_in_paper_text_is_shown_not_run(page, ui_server):
    from playwright.sync_api import expect

    page.goto(ui_server)
    _ask(page, "What share of active content does the MarkupGuard sanitiser remove from crawled abstracts?")
    expect(page.locator(".sources")).to_contain_text("onerror")  # the title is displayed as text
    page.get_by_role("tab", name="Papers").click()
    page.get_by_label("Filter").fill("markup")
    expect(page.get_by_text("1 of ")).to_be_visible()
    page.locator(".cell-wrap:visible", has_text="Robust <img").first.click()
    expect(page.locator("h4", has_text=XSS_TITLE[:20])).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0
