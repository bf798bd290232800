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
    link = page.locator(f'#export-file a[download="{name}"]').first
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
    assert {"date", "authors", "venue"} <= set(filled)  # what this store holds
    page.goto(ui_server)
    page.get_by_role("tab", name="Papers").click()
    head = page.locator("table.paper-table thead th")
    expect(head.first).to_be_visible()
    assert [h.strip() for h in head.all_inner_texts()] == ["Ask"] + [LABELS.get(c, c.capitalize()) for c in filled]
    page.get_by_label("Sort by").click()
    page.get_by_role("option", name="newest").click()
    dates = page.locator("table.paper-table td.col-date")
    expect(dates.first).not_to_be_empty()  # sorted by a date the user can see
    assert page.locator("table.paper-table").evaluate("t => getComputedStyle(t).fontFamily") != "monospace"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-papers.png"), full_page=True)


def test_a_chat_is_listed_after_a_reload_and_reopens_and_a_vote_exports_a_qa_set_that_runs(page, ui_server, ui_settings,
                                                                                          tmp_path):
    from playwright.sync_api import expect

    from eval.runner import run_eval
    from rag.feedback import FeedbackStore, export
    from rag.papers import PaperService
    from rag.store import open_store

    question = "What share of active content does the MarkupGuard sanitiser remove?"
    page.goto(ui_server)
    _ask(page, question)
    page.locator("#feedback-status").wait_for(state="attached")
    page.get_by_label("Like").last.click()  # 👍 on the answer
    expect(page.locator("#feedback-status")).to_contain_text("Saved your 👍")
    page.reload()
    page.locator("#past-chats input").click()
    page.get_by_role("option", name=question[:40]).first.click()  # the latest chat is listed first
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.locator(".message", has_text="99.2%").first).to_be_visible()  # the saved answer is back
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-reopened.png"), full_page=True)
    page.reload()  # opened once, it is saved as it was: it opens the same again
    page.locator("#past-chats input").click()
    page.get_by_role("option", name=question[:40]).first.click()
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.locator(".message", has_text="99.2%").first).to_be_visible()
    page.locator("#past-chats input").click()
    listed = page.get_by_role("option").count()
    page.get_by_role("option", name=question[:40]).first.click()
    page.get_by_role("button", name="Delete", exact=True).click()  # gone from the list, and after a reload too
    page.reload()
    page.locator("#past-chats input").click()
    expect(page.get_by_role("option")).to_have_count(listed - 1)

    votes = FeedbackStore(ui_settings.feedback_path).votes()
    assert votes[-1].vote == "up" and votes[-1].question == question and votes[-1].cited
    titles = [r["title"] for r in PaperService(open_store(ui_settings)).records()]
    assert export(FeedbackStore(ui_settings.feedback_path), tmp_path / "fb.jsonl", titles)[0] >= 1
    summary, problems = run_eval(tmp_path / "fb.jsonl", ui_settings, tmp_path / "run")  # the same model server
    assert not problems and summary["overall"]["items"] >= 1 and (tmp_path / "run" / "report.md").exists()
    page.get_by_role("tab", name="Evaluation").click()  # the page shows that run: its table and plots
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#eval-report")).to_contain_text("fb.jsonl")
    expect(page.locator("#eval-report table")).to_contain_text("overall")
    expect(page.locator("img").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "ui-evaluation.png"), full_page=True)


def test_two_logged_in_users_never_see_each_others_chats(page, ui_settings):
    from playwright.sync_api import expect

    from rag.answer.service import AnswerService
    from rag.conversations import ConversationStore, new_id
    from rag.llm.server_process import free_port
    from ui.app import PAGE_OPTIONS, build_app

    settings = ui_settings.model_copy(update={"ui": ui_settings.ui.model_copy(update={"users": {"ada": "a-pw",
                                                                                               "bo": "b-pw"}})})
    ConversationStore(settings.conversations_path).save("user:ada", new_id(), [{"role": "user", "content": "Ada's secret"}],
                                                        [{"answer": "x", "citations": []}], "Ada's secret")
    demo = build_app(AnswerService(settings), settings)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                auth=settings.ui.logins(), **PAGE_OPTIONS)
    try:
        for user, sees in (("bo", False), ("ada", True)):
            context = page.context.browser.new_context()  # a browser of its own: no shared cookies or storage
            visitor = context.new_page()
            visitor.goto(f"http://127.0.0.1:{port}/")
            visitor.get_by_label("username").fill(user)
            visitor.get_by_label("password").fill(f"{user[0]}-pw")
            visitor.get_by_role("button", name="Login").click()
            visitor.locator("#past-chats input").click()
            expect(visitor.get_by_role("option").first).to_be_visible() if sees else visitor.wait_for_timeout(1500)
            expect(visitor.get_by_role("option", name="Ada's secret")).to_have_count(1 if sees else 0)
            context.close()
    finally:
        demo.close()


def test_ticking_papers_in_the_papers_tab_puts_them_in_the_chats_scope(page, ui_server):
    from playwright.sync_api import expect

    page.goto(ui_server)
    page.get_by_role("tab", name="Papers").click()
    page.get_by_label("Filter").fill("markup")
    expect(page.get_by_text("1 of ")).to_be_visible()
    box = page.locator("table.paper-table input.pick").first
    box.check()
    paper_id = box.get_attribute("data-id")
    page.get_by_role("tab", name="Chat").click()
    page.get_by_text("Settings and scope").first.click()
    expect(page.locator("#scope-papers textarea, #scope-papers input").first).to_have_value(paper_id)
    page.get_by_role("tab", name="Papers").click()
    page.get_by_label("Filter").fill("markup parsing")  # shown again: still ticked
    expect(page.locator("table.paper-table input.pick").first).to_be_checked()


def test_a_question_scoped_to_a_venue_cites_only_its_papers(page, ui_server):
    from playwright.sync_api import expect

    page.goto(ui_server)
    page.get_by_text("Settings").first.click()  # the chat's settings accordion holds the scope
    venue = page.get_by_label("Only papers with this venue")
    venue.fill("WebSci")
    venue.press("Tab")  # as a person leaves the box: the page has the value before the question is sent
    expect(venue).to_have_value("WebSci")
    _ask(page, "How much active content does the sanitiser remove from crawled abstracts?")
    expect(page.locator(".scope").last).to_contain_text("Within: venue WebSci")
    titles = page.locator(".sources .src-title").all_inner_texts()
    assert titles and all("parsing of scientific markup" in t for t in titles), titles  # the one WebSci paper
    assert page.locator(".sources li").count() == 0  # nothing outside the scope was even retrieved
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-scoped.png"), full_page=True)


def test_papers_added_from_the_page_are_listed_and_answered_at_once(page, ui_server, tmp_path):
    import json

    from playwright.sync_api import expect

    good = tmp_path / "new-papers.jsonl"
    good.write_text(json.dumps({"title": "Quokka: Solar-Powered Drone Swarms for Reef Mapping", "abstract":
                                "We present Quokka, a swarm of solar-powered drones that maps coral reefs. Quokka covers "
                                "37 square kilometres a day with 12 drones."}) + "\n" + '{"title": "no abstract"}\n')
    bad = tmp_path / "paper.pdf"
    bad.write_bytes(b"%PDF-1.4")
    page.goto(ui_server)
    page.get_by_role("tab", name="Papers").click()
    page.get_by_text("Add papers").click()
    page.locator("#upload-files input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Add to the index").click()
    expect(page.get_by_text("Invalid file type: paper.pdf").first).to_be_visible()  # refused by the server, one line
    page.locator("#upload-files input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Add to the index").click()
    expect(page.locator("#upload-status")).to_contain_text("Added 1 new", timeout=120_000)
    expect(page.locator("#upload-status")).to_contain_text("new-papers.jsonl:2")  # the bad record, said where
    page.get_by_label("Filter").fill("quokka")
    expect(page.locator("table.paper-table summary", has_text="Quokka")).to_be_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "ui-upload.png"), full_page=True)
    page.get_by_role("tab", name="Chat").click()
    _ask(page, "How many square kilometres a day does the Quokka drone swarm map?")
    expect(page.locator(".sources .src-title").first).to_contain_text("Quokka")
