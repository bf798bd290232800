import json
import math
import re

import pytest

from eval.metrics import answer_scores, ndcg_at_k, retrieval_scores, summarise, token_f1
from eval.qaset import QAItem, load_qaset
from eval.report import refusal_lines
from rag.errors import UserError


def test_retrieval_metrics_against_hand_computed_values():
    gold, ranked = ["a", "b"], ["x", "a", "y", "b", "z"]
    scores = retrieval_scores(gold, ranked, k=5)
    assert scores["recall@k"] == 1.0 and scores["hit@k"] == 1.0
    assert scores["mrr"] == 0.5
    dcg = 1 / math.log2(3) + 1 / math.log2(5)  # gold at ranks 2 and 4
    ideal = 1 + 1 / math.log2(3)  # two gold papers at ranks 1 and 2
    assert scores["ndcg@k"] == pytest.approx(dcg / ideal)  # 0.6509
    at2 = retrieval_scores(gold, ranked, k=2)
    assert at2["recall@k"] == 0.5
    assert at2["ndcg@k"] == pytest.approx((1 / math.log2(3)) / (1 + 1 / math.log2(3)))


def test_ndcg_ideal_is_cut_at_k():
    # three gold papers, k=1, the first retrieved is gold: a perfect top-1 list scores 1
    assert ndcg_at_k(["a", "b", "c"], ["a", "x"], k=1) == 1.0
    assert ndcg_at_k(["a"], ["x", "y"], k=2) == 0.0


def test_token_f1_against_hand_computed_value():
    assert token_f1("The cat sat [1].", "a cat sat down") == pytest.approx(0.8)  # P = 1, R = 2/3
    assert token_f1("nothing shared", "cat") == 0.0


ITEM = QAItem("q1", "What accuracy on VQAv2?", gold_ids=["bridge"], answer="BridgeTower reaches 78.73% accuracy.",
              must_include=["78.73"], type="fact")
UNANSWERABLE = QAItem("q2", "Boiling point of ethanol?", type="unanswerable")


def test_scorer_on_a_correct_answer():
    s = answer_scores(ITEM, "BridgeTower achieves 78.73% on VQAv2 [1].", refused=False, cited_ids=["bridge"])
    assert s["key_string"] is True and s["correct"] is True
    assert (s["citation_precision"], s["citation_recall"]) == (1.0, 1.0)
    assert s["token_f1"] > 0.3


def test_scorer_on_an_answer_citing_the_wrong_paper():
    s = answer_scores(ITEM, "It reaches 81.15% [1].", refused=False, cited_ids=["monet"])
    assert s["key_string"] is False and s["correct"] is False
    assert (s["citation_precision"], s["citation_recall"]) == (0.0, 0.0)


def test_scorer_on_refusals():
    wrong = answer_scores(ITEM, "The indexed papers do not say.", refused=True, cited_ids=[])
    assert wrong["correct"] is False and wrong["key_string"] is False and wrong["citation_precision"] is None
    right = answer_scores(UNANSWERABLE, "The indexed papers do not say.", refused=True, cited_ids=[])
    assert right["correct"] is True and right["key_string"] is None


def test_litqa_style_refusal_split():
    def row(answerable, refused, correct):
        return {"answerable": answerable, "refused": refused, "type": "t", "scores": {"correct": correct},
                "timings": {"retrieve_ms": 10.0, "ttft_s": 1.0, "total_s": 2.0}}

    rows = [row(True, False, True), row(True, False, False), row(True, True, False),
            row(False, True, True), row(False, False, False)]
    s = summarise(rows)
    assert s["accuracy"] == pytest.approx(2 / 5)
    assert s["precision"] == pytest.approx(1 / 3)  # of the three answered, one is right
    assert s["refusal_rate_unanswerable"] == 0.5 and s["false_refusal_rate"] == pytest.approx(1 / 3)


def test_yes_no_verdicts_are_scored_apart_for_gold_yes_and_gold_no():
    """A model that always says "Yes" is right on every yes item and wrong on every no item; the mean hides that."""
    def row(gold, right):
        return {"answerable": True, "refused": False, "type": "yesno", "gold_verdict": gold,
                "scores": {"correct": right, "verdict": right}, "timings": {"retrieve_ms": 1.0}}

    s = summarise([row("yes", True), row("yes", True), row("yes", True), row("no", False)])
    assert s["verdict"] == pytest.approx(0.75)
    assert s["verdict_yes"] == 1.0 and s["verdict_no"] == 0.0
    assert summarise([row(None, True)])["verdict_yes"] is None  # not a yes/no set: nothing to report


def test_the_report_says_what_refused_the_answerable_items():
    """Counted by the stage that refused (the particulars of a withdrawn claim apart), answerable items only."""
    def row(answerable, reason):
        return {"answerable": answerable, "refused": reason is not None, "refusal_reason": reason, "type": "detail",
                "scores": {"correct": not answerable}, "timings": {"retrieve_ms": 1.0}}

    rows = [row(True, "a claim was not in the sources: “10” is not in the sources shown"),
            row(True, "a claim was not in the sources: “4x” is not in the sources shown"),
            row(True, "the model found no answer in the sources"), row(True, None),
            row(False, "the closest abstracts do not state what the question asks")]
    summary = {"overall": summarise(rows), "detail": summarise(rows), "config": {}}
    assert summary["detail"]["wrongly_refused_by"] == {"a claim was not in the sources": 2,
                                                       "the model found no answer in the sources": 1}
    assert refusal_lines(summary) == ["- detail: a claim was not in the sources 2; the model found no answer in the sources 1"]


def test_qaset_reports_unknown_titles_with_file_and_line(tmp_path):
    path = tmp_path / "qa.jsonl"
    lines = [{"question": "Known?", "gold_titles": ["Some Paper: A Study"]},
             {"question": "Unknown?", "gold_titles": ["No Such Paper"]},
             {"question": "Outside?"}, {"question": "By id?", "gold_ids": ["t-missing"]}]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n")
    items, problems = load_qaset(path, {"some paper a study": "p1"})
    assert [(i.question, i.gold_ids, i.type) for i in items] == [("Known?", ["p1"], "fact"), ("Outside?", [], "unanswerable")]
    assert problems == [f"{path}:2: unknown title 'No Such Paper'; item skipped",
                        f"{path}:4: unknown id 't-missing'; item skipped",
                        f"{path}:5: not a JSON object with a 'question'"]


@pytest.mark.parametrize("content, says", [(b"root:x:0:0:root:/root:/bin/bash\n", "no items to run (1 lines skipped"),
                                           (b"\n\n", "the file is empty"), (b"{\"question\": \"Caf\xe9?\"}\n", "not UTF-8")])
def test_a_file_that_holds_no_qa_item_is_one_clear_error(tmp_path, content, says):
    path = tmp_path / "not-a-qaset.jsonl"
    path.write_bytes(content)
    with pytest.raises(UserError, match=re.escape(says)):
        load_qaset(path, {})
