"""Metadata questions: filters recognised wherever they stand in a question, then applied to the paper table."""

from rag.retrieve.metadata import KnownValues, MetadataQuery, date_parts, parse

KNOWN = KnownValues(organisations={"Kyutai", "Google DeepMind"}, authors={"Yann LeCun", "Ada Lovelace"})
PAPERS = [
    {"paper_id": "a", "title": "Alpha", "organisation": "Kyutai", "date": "Oct 23", "upvotes": 5, "n_authors": 3},
    {"paper_id": "b", "title": "Beta", "date": "Oct 26, 2023", "upvotes": 21, "n_authors": 12},
    {"paper_id": "c", "title": "Gamma", "date": "May 8, 2021", "authors": "Ada Lovelace, Alan Turing"},
    {"paper_id": "d", "title": "Delta", "date": "2024-02-01", "categories": "cs.CL cs.LG", "upvotes": 2},
    {"paper_id": "e", "title": "Epsilon"},
]


def titles(query: MetadataQuery) -> list[str]:
    return [p["title"] for p in query.apply(PAPERS)]


def test_organisation_is_found_anywhere_in_the_question():
    for question in ("Which papers come from Kyutai?", "Anything kyutai published?", "Show me work by the Kyutai lab",
                     "I'd like to see what Kyutai has in the collection"):
        assert titles(parse(question, KNOWN)) == ["Alpha"], question


def test_months_years_and_ranges():
    assert titles(parse("What was posted in October?", KNOWN)) == ["Beta", "Alpha"]  # dated first, newest first
    assert titles(parse("Papers from after 2022", KNOWN)) == ["Delta", "Beta"]
    assert titles(parse("anything before 2023?", KNOWN)) == ["Gamma"]
    assert titles(parse("What came out in May 2021?", KNOWN)) == ["Gamma"]


def test_may_the_verb_is_not_a_month():
    assert not parse("May I see papers about speech?", KNOWN)
    assert not parse("Which methods may help with long contexts?", KNOWN)


def test_upvotes_sort_and_limit():
    query = parse("Give me the two most upvoted papers", KNOWN)
    assert query.sort == "upvotes" and query.limit == 2
    assert titles(query) == ["Beta", "Alpha"]
    assert titles(parse("papers with more than 4 upvotes", KNOWN)) == ["Beta", "Alpha"]


def test_authors_categories_and_author_counts():
    assert titles(parse("Is there anything by Ada Lovelace?", KNOWN)) == ["Gamma"]
    assert titles(parse("list the cs.CL papers", KNOWN)) == ["Delta"]
    assert titles(parse("Which papers have more than 10 authors?", KNOWN)) == ["Beta"]


def test_content_questions_name_no_metadata():
    for question in ("What accuracy does BridgeTower reach on VQAv2?", "Is there work on sparse autoencoders?",
                     "Compare LoRA and prefix tuning", "Summarize the FinalMLP paper"):
        assert not parse(question, KNOWN), question


def test_stored_dates_are_read_with_or_without_a_year():
    assert date_parts("Jul 22, 2022") == (2022, 7, 22)
    assert date_parts("Oct 23") == (None, 10, 23)
    assert date_parts("2023-05-01") == (2023, 5, None)
    assert date_parts(None) == (None, None, None)
