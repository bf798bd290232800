from rag.ingest import daily_papers
from rag.ingest.sources import read_sources
from rag.records import Paper, Rejected, deduplicate, normalise_title, title_id
from rag.settings import BUNDLED_CORPUS


def _bundled_entries() -> list[Paper]:
    entries = []
    for path in sorted(BUNDLED_CORPUS.glob("*.txt")):
        items = list(daily_papers.parse(path.read_text(encoding="utf-8"), str(path)))
        assert not [i for i in items if isinstance(i, Rejected)], path
        entries += items
    return entries


def _by_title(papers, prefix):
    (match,) = [p for p in papers if p.title.startswith(prefix)]
    return match


def test_bundled_pages_hold_218_entries_of_211_distinct_papers():
    entries = _bundled_entries()
    assert len(entries) == 218
    assert len(deduplicate(entries)) == 211
    assert len([p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper)]) == 211


def test_organisation_line_date_without_year_and_upvotes():
    paper = _by_title(deduplicate(_bundled_entries()), "ARC-Encoder")
    assert paper.organisation == "Kyutai"
    assert paper.date == "Oct 23"  # the page gives no year: none is invented
    assert paper.upvotes == 1
    assert paper.abstract.startswith("Recent techniques such as retrieval-augmented generation")


def test_author_count_date_and_upvotes():
    paper = _by_title(deduplicate(_bundled_entries()), "Does Reinforcement Learning Really Incentivize")
    assert (paper.n_authors, paper.date, paper.upvotes) == (8, "Apr 18", 21)
    dated = _by_title(deduplicate(_bundled_entries()), "Discrete Key-Value Bottleneck")
    assert (dated.n_authors, dated.date, dated.upvotes) == (7, "Jul 22, 2022", None)


def test_entry_without_metadata_block_keeps_fields_empty():
    paper = _by_title(deduplicate(_bundled_entries()), "Monet: Mixture of Monosemantic Experts")
    assert (paper.date, paper.n_authors, paper.organisation, paper.upvotes) == (None, None, None, None)
    assert "262,144 per layer" in paper.abstract


def test_listing_header_is_not_a_paper():
    titles = {p.title for p in _bundled_entries()}
    assert not titles & {"new", "Subscribe", "Daily Papers", "byAK and the research community", "Aug 11"}


def test_normalised_title_ignores_case_punctuation_and_accents():
    assert normalise_title("Café: A  Study!") == normalise_title("cafe - a study")
    assert title_id("Café: A  Study!") == title_id("cafe  a study")
    assert title_id("A study") != title_id("Another study")


def test_duplicate_fills_missing_fields_from_later_copy():
    first = Paper("Same Paper", "An abstract long enough to count as one.", date=None)
    second = Paper("same paper!", "An abstract long enough to count as one.", date="May 3, 2023", upvotes=4)
    (merged,) = deduplicate([first, second])
    assert (merged.date, merged.upvotes) == ("May 3, 2023", 4)


def test_a_paper_listed_on_two_pages_gets_the_fields_either_page_gives():
    (paper,) = [p for p in read_sources([BUNDLED_CORPUS]) if isinstance(p, Paper) and p.title.startswith("A New Data Repr")]
    assert (paper.date, paper.n_authors) == ("Oct 6, 2016", 3)  # one page lists it bare, another with its metadata
