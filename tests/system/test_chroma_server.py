"""The same ingest and search against a real Chroma server, started and stopped by the test."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.ingest.pipeline import ingest
from rag.llm.server_process import free_port
from rag.retrieve.retriever import PaperRetriever
from rag.settings import BUNDLED_CORPUS
from tests.conftest import make_settings


@pytest.fixture
def chroma_server(tmp_path):
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    port = free_port()
    proc = subprocess.Popen([chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_search_through_a_chroma_server(chroma_server, tmp_path):
    settings = make_settings(tmp_path / "data", chroma_host="127.0.0.1", chroma_port=chroma_server)
    listing = BUNDLED_CORPUS / "001_0bcaa5ee71f50914.txt"
    report = ingest([listing], settings)
    assert report.new == 79 and report.ok
    assert not (tmp_path / "data" / "chroma").exists()  # nothing went to the embedded store
    hits = PaperRetriever(settings).search("forecasting cash withdrawals at a bank's ATMs", mode="hybrid")
    assert hits[0].title.startswith("ATM Cash demand forecasting")
    assert ingest([listing], settings).unchanged == 79
