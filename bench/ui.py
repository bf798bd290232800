"""Chat page timings: server start to first page served, and Enter to first visible token.

    .venv/bin/python -m bench.ui        (needs Debian's chromium; indexes the bundled corpus if empty)
    .venv/bin/python -m bench.ui --first-run   (a new user's first `serve`: an empty store, the models already there;
                                                 server start to first page, and to the bundled papers answered)

Targets (2 cores, warm install): first page <= 10 s after `paperchat serve` starts; first visible
token <= 1 s later than the service's own time to first token (printed alongside, same questions).
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.common import percentiles
from rag.llm.server_process import free_port

QUESTIONS = [
    "What does ShiftAddLLM replace multiplications with?",
    "How many experts per layer can Monet scale to?",
    "What accuracy does BridgeTower reach on VQAv2 test-std?",
    "Which paper proposes a two-stream MLP model for click-through rate prediction?",
    "By how much does TSMixer outperform state-of-the-art models in forecasting?",
]
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]


def _wait_for_page(url: str, start: float, limit: float = 120) -> float:
    while time.perf_counter() - start < limit:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not answer")


def browser_ttfts(url: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page()
        for question in [QUESTIONS[0], *QUESTIONS]:  # the first one warms the server up, unmeasured
            page.goto(url)
            box = page.get_by_placeholder("Type a message...")
            box.fill(question)
            start = time.perf_counter()
            box.press("Enter")
            page.locator('[data-testid="bot"]').first.wait_for(state="visible", timeout=120_000)
            page.wait_for_function("() => document.querySelector('[data-testid=bot]').innerText.trim().length > 0")
            times.append(time.perf_counter() - start)
            page.locator(".sources h4").first.wait_for(timeout=120_000)  # the answer is complete
        browser.close()
    return times[1:]


def service_ttfts() -> list[float]:
    from rag.answer.service import AnswerService
    from rag.settings import Settings

    service = AnswerService(Settings())
    service.warm_up()
    return [service.ask(q).timings["ttft_s"] for q in QUESTIONS]


def first_run() -> None:
    """`serve` on an empty data directory: the page comes up while the bundled corpus is indexed in the background."""
    import tempfile

    from gradio_client import Client

    from rag.settings import Settings

    port, url = free_port(), None
    models = Settings().models_dir  # the packaged models, already unpacked: the install's job, not the first page's
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PAPERCHAT_DATA_DIR": data, "PAPERCHAT_MODEL_CACHE_DIR": str(models)}
        start = time.perf_counter()
        server = subprocess.Popen([str(Path(sys.executable).parent / "paperchat"), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            print(f"server start to first page (empty store)   {_wait_for_page(url, start):5.1f} s")
            client = Client(url, verbose=False)
            while "still being indexed" in client.predict(QUESTIONS[2], api_name="/chat")[0]:
                time.sleep(0.5)
            print(f"server start to the first answer           {time.perf_counter() - start:5.1f} s")
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    paperchat = str(Path(sys.executable).parent / "paperchat")
    subprocess.run([paperchat, "ingest"], check=True, capture_output=True)  # an empty store would be indexed first
    start = time.perf_counter()
    server = subprocess.Popen([paperchat, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        print(f"server start to first page   {_wait_for_page(url, start):5.1f} s")
        in_browser = browser_ttfts(url)
    finally:
        server.terminate()
        server.wait(timeout=30)
    in_service = service_ttfts()
    for name, values in (("browser: Enter -> first token", in_browser), ("service time to first token", in_service)):
        p50, p95 = percentiles(values)
        print(f"{name:<30} p50 {p50:5.2f} s   p95 {p95:5.2f} s   over {len(values)} questions")
    print(f"browser overhead (p50)        {percentiles(in_browser)[0] - percentiles(in_service)[0]:+5.2f} s")


if __name__ == "__main__":
    os.environ.setdefault("PAPERCHAT_DATA_DIR", str(Path.home() / ".local/share/paperchat"))
    first_run() if "--first-run" in sys.argv else main()
