"""Shared fixtures. Everything here is real: real Chroma stores on disk, the real packaged embedder.

The bundled corpus is indexed once per test session (about 15 s on 2 cores) and shared read-only;
tests that write get their own store in a temporary data directory.
"""

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from rag.settings import BUNDLED_CORPUS, Settings, get_settings

# The packaged GGUF is assembled once (1 GB) and shared by every test store, across runs.
MODEL_CACHE = Path(tempfile.gettempdir()) / "paperchat-test-models"


def make_settings(data_dir: Path, **overrides) -> Settings:
    return Settings(data_dir=data_dir, model_cache_dir=MODEL_CACHE, **overrides)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory) -> Settings:
    """A store holding the whole bundled corpus, built once."""
    from rag.ingest.pipeline import ingest

    settings = make_settings(tmp_path_factory.mktemp("bundled") / "data")
    report = ingest([BUNDLED_CORPUS], settings)
    assert report.new == 211 and report.ok
    return settings


@pytest.fixture
def use_data_dir(monkeypatch):
    """Point the CLI (which reads settings from the environment) at a data directory."""

    def _use(data_dir: Path) -> None:
        monkeypatch.setenv("PAPERCHAT_DATA_DIR", str(data_dir))
        monkeypatch.setenv("PAPERCHAT_MODEL_CACHE_DIR", str(MODEL_CACHE))
        get_settings.cache_clear()

    yield _use
    get_settings.cache_clear()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def paper_record(i: int, **extra) -> dict:
    """A distinct, plausible abstract (several sentences, so chunking has work to do)."""
    topics = ["graph neural networks", "speech recognition", "protein folding", "robot grasping", "weather forecasting"]
    topic = topics[i % len(topics)]
    abstract = " ".join(
        f"Sentence {j} of study {i} reports that method M{i} improves {topic} by {i + j} percent on benchmark B{j}."
        for j in range(12)
    )
    return {"title": f"Study {i}: better {topic} with method M{i}", "abstract": abstract, **extra}


@contextlib.contextmanager
def running_server(command: list[str], ready_url: str, env: dict | None = None, timeout: float = 120):
    """A real server process on 127.0.0.1, ready (``ready_url`` answers) on entry, stopped with its children on exit."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + timeout
        while time.time() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(ready_url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"{command[0]} did not start (exit code {proc.poll()})")
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
