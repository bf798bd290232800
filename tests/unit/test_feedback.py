"""Votes are kept in SQLite at once and exported as a QA set in eval/README.md's format, which the eval loader reads."""

import json

import pytest

from eval.qaset import load_qaset
from rag.feedback import FeedbackStore, export
from ui.feedback import voted_turn

TITLES = ["MCUNetV2: Memory-Efficient Patch-based Inference for Tiny Deep Learning", "TinyTL: Reduce Memory"]
ANSWER = {"answer": "MCUNetV2 cuts peak SRAM by 4-8x [1].",
          "citations": [{"n": 1, "paper_id": "mcu", "title": TITLES[0], "passage": "…", "metadata": {}}]}


def test_votes_are_saved_at_once_and_export_as_a_qa_set_the_evaluation_loads(tmp_path):
    store = FeedbackStore(tmp_path / "fb.sqlite3")
    store.add("How much SRAM does MCUNetV2 save?", ANSWER, "up", note="4-8x", user="ada")
    store.add("Which GPU trained MCUNetV2?", ANSWER, "down", unanswerable=True, user="bo")
    store.add("Which paper learns only biases?", ANSWER, "down", note="tinytl: reduce memory")  # a title, any case
    store.add("What accuracy does it reach?", ANSWER, "down", note="71.8%")
    store.add("Was this good?", ANSWER, "down")  # nothing to test against: kept, not exported
    reopened = FeedbackStore(tmp_path / "fb.sqlite3")  # another connection (a restart) sees every vote
    assert [v.vote for v in reopened.votes()] == ["up", "down", "down", "down", "down"]
    assert [v.question for v in reopened.votes("ada")] == ["How much SRAM does MCUNetV2 save?"]

    written, skipped = export(reopened, tmp_path / "fb.jsonl", TITLES)
    assert (written, skipped) == (4, 1)
    rows = [json.loads(line) for line in (tmp_path / "fb.jsonl").read_text().splitlines()]
    assert rows[0]["gold_ids"] == ["mcu"] and rows[0]["must_include"] == ["4-8x"]
    assert rows[1]["type"] == "unanswerable" and "gold_ids" not in rows[1]
    assert rows[2]["gold_titles"] == [TITLES[1]]
    assert rows[3]["must_include"] == ["71.8%"] and rows[3]["gold_ids"] == ["mcu"]

    items, problems = load_qaset(tmp_path / "fb.jsonl", {"mcunetv2 memory efficient patch based inference for tiny "
                                                         "deep learning": "mcu", "tinytl reduce memory": "tiny"})
    assert not problems and [i.answerable for i in items] == [True, False, True, True]
    assert items[2].gold_ids == ["tiny"]


def test_a_vote_is_up_or_down():
    with pytest.raises(ValueError):
        FeedbackStore.add(None, "q", ANSWER, "maybe")


def test_a_vote_on_the_page_finds_its_question_and_kept_answer():
    history = [{"role": "user", "content": "First?"}, {"role": "assistant", "content": "<b>One</b> [1]"},
               {"role": "user", "content": "Second?"}, {"role": "assistant", "content": "Two"}]
    kept = [dict(ANSWER, question="First?"), {"question": "Second?", "answer": "Two", "citations": []}]
    assert voted_turn(history, 1, kept) == ("First?", kept[0])
    assert voted_turn(history, [3, 0], kept)[0] == "Second?"
    assert voted_turn(history, 1, [])[1] == {"answer": "One [1]", "citations": []}  # an answer the page did not keep
