"""The dev set is checked against the abstracts: every gold title exists and every key string is in a gold abstract."""

import json
from pathlib import Path

from rag.ingest.records import Paper, normalise_title
from rag.ingest.sources import BUNDLED_CORPUS, read_sources

DEV = Path(__file__).resolve().parents[2] / "eval" / "qa" / "dev.jsonl"


def test_dev_set_matches_the_bundled_abstracts():
    papers = {normalise_title(p.title): p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)}
    items = [json.loads(line) for line in DEV.read_text().splitlines()]
    assert len(items) >= 60 and len({i["qid"] for i in items}) == len(items)
    types = [i["type"] for i in items]
    assert types.count("unanswerable") >= 12 and types.count("multi") >= 5 and types.count("paraphrase") >= 10
    for item in items:
        gold = [papers[normalise_title(t)] for t in item.get("gold_titles", [])]  # KeyError = unknown title
        assert (item["type"] == "unanswerable") == (not gold), item["qid"]
        if item["type"] == "multi":
            assert 2 <= len(gold) <= 4, item["qid"]
        text = " ".join(f"{p.abstract} {p.organisation or ''}" for p in gold).lower()
        for key in item.get("must_include", []):
            assert key.lower() in text, (item["qid"], key)
