"""The QA sets are checked against the abstracts: every gold title exists and every key string is in a gold paper.

`dev` and `test` (written by two helper sessions that saw neither the router nor the prompts, the test
writer not the dev items either) label question kinds; `regression` is the first 73-item set.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from rag.answer.kinds import KINDS
from rag.ingest.sources import read_sources
from rag.records import Paper, normalise_title
from rag.settings import BUNDLED_CORPUS

QA = Path(__file__).resolve().parents[2] / "eval" / "qa"


@pytest.fixture(scope="module")
def papers() -> dict[str, Paper]:
    return {normalise_title(p.title): p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)}


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (QA / f"{name}.jsonl").read_text().splitlines() if line.strip()]


def check_keys(items: list[dict], papers: dict[str, Paper]) -> None:
    for item in items:
        gold = [papers[normalise_title(t)] for t in item.get("gold_titles", [])]  # KeyError = unknown title
        for title in item.get("near_titles", []):
            assert normalise_title(title) in papers, (item["qid"], title)
        text = " ".join(f"{p.title} {p.abstract} {p.organisation or ''}" for p in gold).lower()
        for key in item.get("must_include", []):
            assert key.lower() in text, (item["qid"], key)


def test_kind_sets_are_hard_and_balanced(papers):
    items = load("dev") + load("test")
    assert len(items) >= 200 and len({i["qid"] for i in items}) == len(items)
    answerable = [i for i in items if i.get("answerable") is not False]
    assert all(i["kind"] in KINDS for i in items)
    assert all(i.get("must_include") for i in answerable if i["kind"] != "yesno")
    verdicts = Counter(i["verdict"] for i in answerable if i["kind"] == "yesno")
    assert verdicts["yes"] == verdicts["no"] >= 10
    assert sum(i.get("answerable") is False for i in items) >= 40
    assert sum(i["kind"] == "metadata" for i in answerable) >= 15
    assert sum(i["question"].lower().startswith("which") for i in items) <= len(items) / 4
    for kind in ("detail", "yesno", "identify", "survey", "metadata"):
        openings = {" ".join(i["question"].lower().split()[:2]) for i in items if i["kind"] == kind}
        assert len(openings) >= 8, kind
    check_keys(items, papers)


def test_regression_set_matches_the_bundled_abstracts(papers):
    items = load("regression")
    assert len(items) == 73
    check_keys(items, papers)
