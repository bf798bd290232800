"""Metadata questions asked of the real model over the bundled corpus: the filter it writes, applied to the records."""

import re
import urllib.request

import pytest

from rag.answer.service import AnswerService
from rag.llm.llama_server import server_for
from rag.records import date_parts, n_authors
from rag.retrieve.metadata import PaperFilter

pytestmark = pytest.mark.slow


def test_metadata_question_lists_exactly_the_papers_of_the_organisation(service):
    answer = service.ask("Which papers come from Kyutai?")
    assert answer.kind == "metadata" and answer.basis == "metadata"
    assert [c.title for c in answer.citations] == ["ARC-Encoder: learning compressed text representations for large language models"]
    assert "Kyutai" in answer.text


def test_metadata_question_with_two_constraints_and_an_order_lists_exactly_those_papers_in_that_order(service):
    answer = service.ask("Which papers from 2023 have more than 7 authors? Oldest first, please.")
    assert answer.kind == "metadata", answer.text
    papers = service.retriever.store.papers()
    expected = sorted((m for m in papers if date_parts(m.get("date"))[0] == 2023 and (m.get("n_authors") or 0) > 7),
                      key=lambda m: date_parts(m["date"]))
    assert len(expected) >= 2
    assert [c.title for c in answer.citations] == [m["title"] for m in expected], answer.text


def test_a_metadata_topic_keeps_only_the_filtered_papers_the_model_judges_to_be_on_it(service):
    answer = service.ask("2024 papers on finding circuits inside language models, in date order")
    assert answer.kind == "metadata", answer.text
    assert [c.title for c in answer.citations] == [  # 18 other 2024 papers, two of them on interpreting LLMs
        "Sparse Autoencoders Enable Scalable and Reliable Circuit Identification in Language Models",  # May 2024
        "Transcoders Find Interpretable LLM Feature Circuits"], answer.text  # June 2024


def test_a_sorted_question_for_one_paper_names_one(service):
    answer = service.ask("What is the latest paper from 2024?")
    newest = PaperFilter.of(dates=[{"relation": "in", "year": 2024}]).apply(service.retriever.store.papers())[0]
    assert answer.kind == "metadata" and [c.title for c in answer.citations] == [newest["title"]], answer.text


def test_an_author_count_threshold_beside_an_upvote_bound_is_applied(service):
    answer = service.ask("Which papers have at least 2 upvotes but no more than 5 authors?")
    assert answer.kind == "metadata", answer.text
    expected = {m["title"] for m in service.retriever.store.papers()
                if (m.get("upvotes") or 0) >= 2 and 0 < (n_authors(m) or 99) <= 5}
    assert expected and {c.title for c in answer.citations} == expected, answer.text


def test_a_constraint_the_records_lack_is_named_in_the_answer(service):
    answer = service.ask("Which of the indexed papers have been cited more than 100 times?")
    assert answer.kind == "metadata" and not answer.citations, answer.text
    assert "cited" in answer.text.lower() and "not applied" in answer.text.lower(), answer.text
    answer = service.ask("Which papers come from Google Brain?")  # an organisation the store does not hold
    assert answer.kind == "metadata" and not answer.citations and "Google Brain" in answer.text, answer.text


def _prompt_tokens_read(settings) -> float:
    """Prompt tokens the model server has read so far (its cache's hits not counted), from its /metrics."""
    metrics = urllib.request.urlopen(server_for(settings).process.url + "/metrics", timeout=10).read().decode()
    return float(re.search(r"^llamacpp:prompt_tokens_total\s+(\S+)", metrics, re.M).group(1))


def test_after_warm_up_the_first_metadata_question_reads_only_its_own_words(bundled_settings):
    """The filter's ~1,300 tokens of examples are read at warm-up (34 s on 2 AVX2 cores), not by the first question."""
    settings = bundled_settings.model_copy(update={"llm": bundled_settings.llm.model_copy(update={"parallel": 2})})
    service = AnswerService(settings)  # a model server of its own (two slots): nothing asked of it before
    service.warm_up()
    before = _prompt_tokens_read(settings)
    answer = service.ask("Which papers come from Kyutai?")
    assert answer.kind == "metadata" and len(answer.citations) == 1, answer.text
    assert _prompt_tokens_read(settings) - before < 200  # without the warm-up's read: ~1,440


def test_a_question_for_a_fact_about_an_organisation_is_refused_not_answered_with_its_papers(service):
    answer = service.ask("Who is the CEO of Kyutai?")  # the records hold Kyutai's papers, not its people
    assert answer.refused and not answer.citations, answer.text
