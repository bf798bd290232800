"""The page's scope inputs and the command line's flags make one Scope; it keeps the papers its filter matches."""

import pytest

from rag.answer.scope import Scope
from rag.errors import UserError
from rag.retrieve.metadata import PaperFilter
from ui.scope import scope_of

RECORDS = [{"paper_id": "a", "organisation": "Kyutai", "date": "2023-05-01"},
           {"paper_id": "b", "organisation": "Meta AI", "date": "2021-02-01"},
           {"paper_id": "c", "date": "Oct 23"}]


def test_page_inputs_become_a_scope_that_keeps_matching_papers():
    assert not scope_of("", "", "", "", "", "") and scope_of("", "", "", "", "", "").within(RECORDS) is None
    scope = scope_of("kyutai", "", "", "", "2022", "")
    assert scope.within(RECORDS) == {"a"} and scope.describe() == "organisation kyutai, dated since 2022"
    assert scope_of("", "", "", "", "", " 2022 ").within(RECORDS) == {"b"}  # a date without a year never matches
    assert Scope(papers=frozenset({"b", "c"})).within(RECORDS) == {"b", "c"}
    assert Scope(PaperFilter.of(organisation="Meta"), frozenset({"a", "c"})).within(RECORDS) == frozenset()


def test_papers_ticked_in_the_papers_tab_are_a_scope_of_their_own_or_with_the_filter():
    assert scope_of("", "", "", "", "", "", "a, c").within(RECORDS) == {"a", "c"}
    assert scope_of("kyutai", "", "", "", "", "", "a c").within(RECORDS) == {"a"}
    assert scope_of("", "", "", "", "", "", "b").describe() == "1 chosen paper"


def test_a_bad_year_is_one_clear_error():
    with pytest.raises(UserError, match="a scope year must be a year"):
        scope_of("", "", "", "", "20.5", "")
