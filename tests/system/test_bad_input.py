"""Bad sources given to the real `paperchat ingest` command, against a fresh store and a populated one: one clear line
on stderr naming the file and what is wrong, no traceback, a non-zero exit, and the paper count unchanged."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MODEL_CACHE, make_settings, paper_record, write_jsonl

PAPERCHAT = str(Path(sys.executable).parent / "paperchat")


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path given to ingest, what the error line must say)."""
    folder.mkdir(parents=True, exist_ok=True)
    empty_dir = folder / "empty"
    empty_dir.mkdir(exist_ok=True)
    unsupported_dir = folder / "only-pdfs"
    unsupported_dir.mkdir(exist_ok=True)
    (unsupported_dir / "paper.pdf").write_bytes(b"%PDF-1.4 not for us")
    binary = folder / "binary.jsonl"
    binary.write_bytes(bytes(range(256)) * 8)
    blank = write_jsonl(folder / "blank-record.jsonl", [{"title": "", "abstract": "  "}])
    csv_file = folder / "open-quote.csv"
    csv_file.write_text('title,abstract\n"A title that never closes,an abstract long enough to count as one\n')
    not_gzip = folder / "papers.jsonl.gz"
    not_gzip.write_text('{"title": "plain text", "abstract": "not compressed at all"}\n')
    truncated = folder / "cut.jsonl.gz"
    truncated.write_bytes(gzip.compress(json.dumps(paper_record(1)).encode() * 50)[:40])
    array = folder / "array.jsonl"
    array.write_text(json.dumps([paper_record(2)]) + "\n")
    empty_file = folder / "empty.csv"
    empty_file.write_text("")
    latin1 = folder / "latin1.jsonl"
    latin1.write_bytes(json.dumps({"title": "Caf\u00e9 study", "abstract": "x"}).encode().replace(b"\\u00e9", b"\xe9"))
    header_only = folder / "header-only.csv"
    header_only.write_text("title,abstract\n")
    not_listing = folder / "notes.txt"
    not_listing.write_text("Some notes I took about papers.\nNothing like a listing page.\n")
    return {
        "missing path": (folder / "nonexistent" / "x.jsonl", "no such file"),
        "empty folder": (empty_dir, "no supported files"),
        "folder of unsupported files": (unsupported_dir, "no supported files"),
        "unsupported type": (unsupported_dir / "paper.pdf", "unsupported file type"),
        "binary named .jsonl": (binary, "binary"),
        "record with empty title and abstract": (blank, "lacks title and abstract"),
        "CSV with an unterminated quote": (csv_file, "malformed CSV"),
        "a .jsonl.gz that is not gzip": (not_gzip, "gzip"),
        "a truncated .gz": (truncated, "gzip"),
        "a JSON array instead of objects": (array, "not a JSON object"),
        "an empty file": (empty_file, "empty"),
        "a file that is not UTF-8": (latin1, "not UTF-8"),
        "a .txt that is not a listing": (not_listing, "not a Daily Papers listing"),
        "a CSV with its header only": (header_only, "no papers found"),
    }


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERCHAT_DATA_DIR": str(data_dir), "PAPERCHAT_MODEL_CACHE_DIR": str(MODEL_CACHE)}
    return subprocess.run([PAPERCHAT, *args], env=env, capture_output=True, text=True, timeout=300)


def _paper_count(data_dir: Path) -> int:
    result = _run(data_dir, "info", "--json")
    return json.loads(result.stdout)["papers"] if result.returncode == 0 else 0


@pytest.fixture(scope="module")
def populated(tmp_path_factory) -> Path:
    from rag.ingest.pipeline import ingest

    folder = tmp_path_factory.mktemp("populated")
    settings = make_settings(folder / "data")
    assert ingest([write_jsonl(folder / "good.jsonl", [paper_record(i) for i in range(3)])], settings).ok
    return settings.data_dir


@pytest.mark.parametrize("store", ["fresh", "populated"])
def test_each_bad_input_is_one_line_and_changes_nothing(store, populated, tmp_path):
    data_dir = populated if store == "populated" else tmp_path / "fresh-data"
    before = _paper_count(data_dir)
    failures = []
    for name, (path, says) in _bad_inputs(tmp_path / "inputs").items():
        result = _run(data_dir, "ingest", str(path))
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        if (result.returncode == 0 or len(lines) != 1 or "Traceback" in result.stderr or says.lower() not in lines[0].lower()
                or str(path.name) not in lines[0]):
            failures.append(f"{name}: exit {result.returncode}, stderr {result.stderr[-300:]!r}")
    assert not failures, "\n".join(failures)
    assert _paper_count(data_dir) == before


def test_one_good_record_beside_a_bad_line_is_kept(tmp_path):
    source = tmp_path / "mixed.jsonl"
    source.write_text(json.dumps(paper_record(7)) + "\n{not json\n")
    result = _run(tmp_path / "data", "ingest", str(source))
    assert result.returncode == 1 and "mixed.jsonl:2: not valid JSON" in result.stderr
    assert _paper_count(tmp_path / "data") == 1


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_a_port_outside_the_range_is_an_argument_error(port, tmp_path):
    result = _run(tmp_path / "data", "serve", "--port", port)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "1 to 65535" in result.stderr
