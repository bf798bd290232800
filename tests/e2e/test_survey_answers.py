"""Survey and compare answers by the real packaged LLM over the bundled corpus: a table, a row a paper, cited."""

import re

import pytest

pytestmark = pytest.mark.slow


def _table(answer) -> tuple[str, list[list[str]]]:
    """(the asked aspect, the rows' cells) of an answer given as a Markdown table."""
    head, rule, *rows = answer.text.splitlines()
    assert head.startswith("| Paper | ") and rule == "|---|---|", answer.text
    return head.split("|")[2].strip(), [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_survey_question_gets_one_cited_row_per_relevant_paper(service):
    answer = service.ask("Summarize the papers about sparse autoencoders")
    assert answer.kind == "survey"
    _, rows = _table(answer)
    expected = ["Adaptive Sparse Allocation", "Sparse Autoencoders Enable", "Monet"]
    named = [key for key in expected if any(key in row[0] for row in rows)]
    assert len(named) >= 2, answer.text
    assert all(re.search(r"\[\d+\]", row[0]) and row[1] for row in rows) and len(answer.citations) == len(rows)


def test_compare_question_gets_a_table_of_the_papers_answering_the_asked_aspect(service):
    answer = service.ask("Compare FinalMLP and the Deep Interest Network: how does each one model the input features?")
    assert answer.kind == "survey", answer.text
    aspect, rows = _table(answer)
    assert len(rows) == 2 and rows[0][0].startswith(("FinalMLP", "DIN")) and rows[1][0].startswith(("FinalMLP", "DIN"))
    finalmlp = next(row[1].lower() for row in rows if row[0].startswith("FinalMLP"))
    assert aspect and "mlp" in finalmlp, answer.text


def test_a_compare_question_that_describes_a_paper_in_other_words_gets_its_row_first(service):
    """"the method where ..." names no paper: the model lists both compared papers, each is looked up on its own, and
    their rows come first (the question's own retrieval ranked a third paper, ScaleKD, above both)."""
    answer = service.ask("MuSc vs the method where little student networks copy a frozen ViT to locate defects: how do the "
                         "two differ in what they need for training?")
    assert answer.kind == "survey", answer.text
    first_two = sorted(c.title.split(":")[0] for c in answer.citations[:2])
    assert first_two == ["Learning to Be a Transformer to Pinpoint Anomalies", "MuSc"], answer.text


def test_a_topic_survey_gets_a_row_for_a_paper_just_below_the_score_gap_that_the_model_judges_on_the_topic(service):
    """PVD-AL scores below the gap under PVD (its evidence sentences match the question less): alone above it, PVD was
    answered as a detail about one paper. The model judges PVD-AL to be about the question's topic, so both get rows."""
    answer = service.ask("How do the papers on converting NeRF models between architectures (say, hashtables to plain "
                         "MLPs) differ from each other?")
    assert answer.kind == "survey", answer.text
    _, rows = _table(answer)
    assert {row[0].split(" ")[0] for row in rows} >= {"PVD", "PVD-AL"}, answer.text
    assert len(answer.citations) == len(rows) and all(re.search(r"\[\d+\]", row[0]) for row in rows)
