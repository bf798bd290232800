"""Metadata questions: the typed filter (validation, matching, order) and the strategy over a fake model."""

import json

import pytest

from rag.answer.kinds.base import Question
from rag.answer.kinds.metadata import MetadataStrategy, grounded, resolve, write_filter
from rag.answer.types import Answer
from rag.errors import UserError
from rag.records import date_parts
from rag.retrieve.metadata import PaperFilter
from rag.retrieve.retriever import Hit
from rag.settings import Settings
from tests.unit.fakes import FakeTools, paper, question, route

PAPERS = [
    {"paper_id": "a", "title": "Alpha", "organisation": "Kyutai", "date": "Oct 23", "upvotes": 5, "n_authors": 3},
    {"paper_id": "b", "title": "Beta", "date": "Oct 26, 2023", "upvotes": 21, "n_authors": 12},
    {"paper_id": "c", "title": "Gamma", "date": "May 8, 2021", "authors": "Ada Lovelace, Alan Turing"},
    {"paper_id": "d", "title": "Delta", "date": "2024-02-01", "categories": "cs.CL cs.LG", "upvotes": 2, "n_authors": 4},
    {"paper_id": "e", "title": "Epsilon"},
]


def titles(**fields) -> list[str]:
    return [p["title"] for p in PaperFilter.of(**fields).apply(PAPERS)]


def test_date_bounds_author_counts_and_two_years_at_once():
    assert titles(dates=[{"relation": "after", "year": 2022}]) == ["Delta", "Beta"]  # newest first
    assert titles(dates=[{"relation": "in", "year": 2021}, {"relation": "in", "year": 2024}]) == ["Delta", "Gamma"]
    assert titles(dates=[{"relation": "since", "year": 2021}, {"relation": "until", "year": 2023}]) == ["Beta", "Gamma"]
    assert titles(authors={"relation": "more than", "value": 3}) == ["Delta", "Beta"]
    assert titles(authors={"relation": "exactly", "value": 2}) == ["Gamma"]  # counted from the author list
    # a listing date without a year ("Oct 23") is from the listing's own year: the newest
    assert titles(dates=[{"relation": "in", "month": 10}], sort="oldest") == ["Beta", "Alpha"]


def test_dates_as_precise_as_the_question_says_them():
    since_may_2021 = [{"relation": "since", "year": 2021, "month": 5}, {"relation": "until", "year": 2023, "month": 10}]
    assert titles(dates=since_may_2021, sort="oldest") == ["Gamma", "Beta"]
    assert titles(dates=[{"relation": "in", "year": 2021, "month": 5, "day": 8}]) == ["Gamma"]
    assert titles(dates=[{"relation": "before", "year": 2023, "month": 10, "day": 26}]) == ["Gamma"]
    # "in 2023" and "in October" written as two bounds: both hold (October 2023), not either
    assert titles(dates=[{"relation": "in", "year": 2023}, {"relation": "in", "month": 10}]) == ["Beta"]


def test_sort_limit_and_names_in_any_case():
    assert titles(sort="most upvoted", limit=2) == ["Beta", "Alpha"]
    assert titles(sort="fewest authors") == ["Gamma", "Alpha", "Delta", "Beta"]
    assert titles(organisation="kyutai") == ["Alpha"]
    assert titles(author="lovelace") == ["Gamma"]
    assert titles(category="cs.CL") == ["Delta"]


def test_a_bad_filter_is_one_clear_line():
    for bad in ('{"dates": [{"relation": "in", "month": 13}]}', '{"dates": [{"relation": "around", "year": 2020}]}',
                '{"dates": [{"relation": "in", "day": 3}]}', '{"colour": "red"}', "not json"):
        with pytest.raises(UserError) as err:
            PaperFilter.from_json(bad)
        assert "\n" not in str(err.value) and str(err.value).startswith("not a valid metadata filter"), str(err.value)


def test_constraints_no_record_holds_are_named():
    query = PaperFilter.of(venue="ACL", other=["cited more than 100 times"], dates=[{"relation": "in", "year": 2023}])
    assert query.unapplied(PAPERS) == ["cited more than 100 times", "venue"]


def test_numbers_the_question_does_not_write_are_dropped_and_names_are_looked_up():
    query = PaperFilter.of(limit=10, authors={"relation": "fewer than", "value": 3}, topic="Kyutai")
    kept = resolve(grounded(query, "papers with fewer than three authors from Kyutai"), PAPERS)
    assert kept.limit is None and kept.authors.value == 3
    assert kept.organisation == "Kyutai" and kept.topic is None


def test_a_count_fixed_while_sorting_by_it_was_the_number_of_papers_asked_for():
    query = grounded(PaperFilter.of(authors={"relation": "exactly", "value": 3}, sort="most authors"),
                     "Which three papers have the biggest author lists?")
    assert query.authors is None and query.limit == 3 and query.sort == "most authors"


def test_a_number_written_once_for_a_count_is_no_limit_and_months_get_the_one_year_written():
    solo = PaperFilter.of(authors={"relation": "exactly", "value": 1}, sort="oldest", limit=1)
    assert grounded(solo, "List the solo-author papers (just one author) from oldest to newest.").limit is None
    two = PaperFilter.of(authors={"relation": "exactly", "value": 2}, sort="oldest", limit=2)
    assert grounded(two, "the 2 oldest papers with 2 authors").limit == 2
    spring = PaperFilter.of(dates=[{"relation": "since", "month": 3}, {"relation": "until", "month": 5}])
    assert [(d.year, d.month) for d in grounded(spring, "anything published between march and may 2023?").dates] == [(2023, 3), (2023, 5)]
    assert titles(**grounded(spring, "anything between march and may 2021?").model_dump()) == ["Gamma"]
    assert titles(**grounded(spring, "anything between march and may 2023?").model_dump()) == []  # Gamma is May 2021
    assert [d.year for d in grounded(spring, "anything from march to may?").dates] == [None, None]
    invented = PaperFilter.of(dates=[{"relation": "after", "month": 3, "day": 20}])  # the model's own day, no year
    assert [str(d) for d in grounded(invented, "what came out after March 2024?").dates] == ["after Mar 2024"]


def test_a_record_constraint_set_aside_as_unrecorded_is_read_again_on_its_own():
    replies = {"papers with 2+ upvotes and 4 or fewer authors that share code":
               '{"upvotes": {"relation": "at least", "value": 2}, "other": ["4 or fewer authors", "share code"]}',
               "4 or fewer authors share code": '{"authors": {"relation": "at most", "value": 4}, "other": ["share code"]}'}
    tools = FakeTools(Settings(), [], json=lambda text: replies[text], papers=PAPERS)
    query = write_filter(tools, "papers with 2+ upvotes and 4 or fewer authors that share code")
    assert query.authors.relation == "at most" and query.authors.value == 4 and query.upvotes.value == 2
    assert query.other == ["share code"]  # still said in the answer as not applied


def test_a_year_taken_for_the_topic_becomes_a_date_and_an_unwritten_count_is_not_invented():
    replies = {"2022 papers with 10+ authors": '{"authors": {"relation": "at least", "value": 10}, "topic": "2022 papers"}',
               "2022 papers": '{"dates": [{"relation": "in", "year": 2022}]}',
               "which one is cited the most?": '{"other": ["cited the most"]}',
               "cited the most": '{"upvotes": {"relation": "more than", "value": 1}}'}
    tools = FakeTools(Settings(), [], json=lambda text: replies[text], papers=PAPERS)
    query = write_filter(tools, "2022 papers with 10+ authors")
    assert [b.year for b in query.dates] == [2022] and query.topic is None and query.authors.value == 10
    query = write_filter(tools, "which one is cited the most?")
    assert query.upvotes is None and query.other == ["cited the most"]


def test_papers_that_received_any_upvotes_keep_the_bound_of_at_least_one_the_question_does_not_write():
    replies = {"Which diffusion papers received upvotes?": '{"topic": "diffusion", "other": ["received upvotes"]}',
               "received upvotes": '{"upvotes": {"relation": "at least", "value": 1}}'}
    tools = FakeTools(Settings(), [], json=lambda text: replies[text], papers=PAPERS)
    query = write_filter(tools, "Which diffusion papers received upvotes?")
    assert str(query.upvotes) == "at least 1" and query.other == [] and query.topic == "diffusion"


def answer_to(reply: str, text: str = "q", one: float = 0.1, papers: float = 0.9) -> Answer:
    """The model writes ``reply`` as the filter, gives ``one`` to "asks for one paper only" and ``papers`` to "papers
    answer it"; the store holds PAPERS."""
    tools = FakeTools(Settings(), [], yes=lambda prompt: papers if "list of papers from the library" in prompt else one,
                      json=reply, papers=PAPERS)
    answer = Answer(text, text, "", [], False, [], {}, kind="metadata")
    strategy = MetadataStrategy.offer(tools, text, route(metadata=0.9, detail=0.1))
    list(strategy.stream(question(text, []), answer))
    return answer


def test_strategy_lists_exactly_the_matching_papers_in_order_and_says_what_it_could_not_apply():
    reply = json.dumps({"authors": {"relation": "at least", "value": 3}, "sort": "most upvoted", "venue": "NeurIPS"})
    answer = answer_to(reply, "NeurIPS papers with at least 3 authors, most upvoted first")
    assert [c.title for c in answer.citations] == []  # no paper records a venue: nothing matches
    assert "venue" in answer.text
    answer = answer_to(json.dumps({"authors": {"relation": "at least", "value": 3}, "sort": "most upvoted"}),
                       "papers with at least 3 authors, most upvoted first")
    assert [c.title for c in answer.citations] == ["Beta", "Alpha", "Delta"]
    answer = answer_to(json.dumps({"authors": {"relation": "at least", "value": 3}, "sort": "most upvoted"}),
                       "the most upvoted paper with at least 3 authors?", one=0.8)  # the model: one paper is asked for
    assert [c.title for c in answer.citations] == ["Beta"]


def test_a_question_only_about_what_no_record_holds_says_so():
    answer = answer_to(json.dumps({"other": ["cited more than 100 times"]}), "which paper is cited more than 100 times?")
    assert answer.refused and "cited more than 100 times" in answer.text and not answer.citations


def test_a_question_for_a_fact_the_records_lack_is_refused_not_answered_with_papers():
    reply = json.dumps({"organisation": "Kyutai", "other": ["CEO"]})
    answer = answer_to(reply, "Who is the CEO of Kyutai?", papers=0.2)  # the model: papers do not answer it
    assert answer.refused and "CEO" in answer.text and not answer.citations
    answer = answer_to(json.dumps({"organisation": "Kyutai", "other": ["has a GitHub repository"]}),
                       "Which Kyutai papers have a GitHub repository?", papers=0.7)
    assert not answer.refused and [c.title for c in answer.citations] == ["Alpha"] and "GitHub" in answer.text


def test_stored_dates_are_read_with_or_without_a_year():
    assert date_parts("Jul 22, 2022") == (2022, 7, 22)
    assert date_parts("Oct 23") == (None, 10, 23)
    assert date_parts("2023-05-01") == (2023, 5, None)
    assert date_parts(None) == (None, None, None)


def test_a_topic_is_applied_before_the_limit_and_a_paper_the_model_judges_off_topic_is_left_out():
    text = "the one most upvoted paper about speech"
    hits = [Hit(pid, title, 0.5, "", f"{pid}#0", relevance=rel) for pid, title, rel in
            (("a", "Alpha", 0.6), ("d", "Delta", 0.5), ("b", "Beta", 0.1))]  # Beta: the most upvoted, far from the topic
    reply = json.dumps({"sort": "most upvoted", "limit": 1, "topic": "speech"})
    answer = Answer(text, text, "", [], False, hits, {}, kind="metadata")
    unjudged = Settings(answer={"metadata": {"topic_judged": 0}})  # by closeness in meaning alone
    tools = FakeTools(unjudged, [], json=reply, papers=PAPERS)
    list(MetadataStrategy.offer(tools, text, route(metadata=0.9)).stream(Question(text, [0.0], hits), answer))
    assert [c.title for c in answer.citations] == ["Alpha"]
    judged = Settings()
    evidence = [paper("a", "Alpha", ["Alpha recognises speech."], [0.6], 0.6), paper("d", "Delta", ["Delta sorts lists."], [0.5], 0.5)]
    tools = FakeTools(judged, evidence, yes=lambda prompt: 0.99 if "Paper: Alpha" in prompt else 0.3,
                      json=json.dumps({"topic": "speech", "sort": "oldest"}), papers=PAPERS)
    answer = Answer(text, text, "", [], False, hits, {}, kind="metadata")
    list(MetadataStrategy.offer(tools, "speech papers, oldest first", route(metadata=0.9)).stream(
        Question(text, [0.0], hits), answer))
    assert [c.title for c in answer.citations] == ["Alpha"]


def test_a_topic_that_repeats_the_organisation_is_dropped():
    kept = resolve(PaperFilter.of(organisation="Kyutai", topic="kyutai"), PAPERS)
    assert kept.organisation == "Kyutai" and kept.topic is None
    assert [p["title"] for p in kept.apply(PAPERS)] == ["Alpha"]


def test_a_topic_is_searched_among_the_papers_the_filter_keeps_within_the_users_scope():
    reply = json.dumps({"upvotes": {"relation": "at least", "value": 3}, "topic": "speech"})
    strategy = MetadataStrategy.offer(FakeTools(Settings(), [], json=reply, papers=PAPERS), "speech papers with 3 or more upvotes?",
                                      route(metadata=0.9))
    assert strategy.search_within(None) == {"a", "b"}
    assert strategy.search_within(frozenset({"b", "c"})) == {"b"}
    assert strategy.search_within(frozenset({"c"})) == {"c"}  # none kept: searched in the scope, answered "none match"
