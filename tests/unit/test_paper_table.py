"""The Papers tab's table: filter, sort and page over the catalog, showing only the columns sources fill."""

from rag.papers import record
from ui.papers import PAGE_SIZE, PaperTable

TOPICS = ["graphs", "speech", "proteins"]


def _papers(n: int, **fields) -> list[dict]:
    return [record({"paper_id": f"p{i}", "title": f"Paper {i:03d} on {TOPICS[i % 3]}", "date": str(2000 + i % 20), **fields})
            for i in range(n)]


def test_only_the_columns_the_sources_fill_are_shown():
    table = PaperTable(_papers(3, authors="A. One", venue="ACL"))
    assert table.columns == ["title", "date", "authors", "venue"]


def test_pages_hold_page_size_rows_and_the_last_page_the_rest():
    table = PaperTable(_papers(120))
    rows, ids, matching, pages = table.page(number=3)
    assert (matching, pages, len(rows), ids[0]) == (120, 3, 120 - 2 * PAGE_SIZE, "p100")
    assert table.page(number=99)[3] == 3 and table.page(number=99)[1] == ids  # past the end: the last page


def test_filter_words_all_match_and_sorting_by_date():
    table = PaperTable(_papers(60))
    rows, ids, matching, _ = table.page("Speech 2019", sort="newest")
    assert matching == 1 and rows.iloc[0]["title"] == "Paper 019 on speech" and ids == ["p19"]
    newest = table.page(sort="newest")[0]["date"].tolist()
    assert newest == sorted(newest, reverse=True)


def test_listing_dates_sort_with_iso_years_and_undated_papers_last():
    table = PaperTable([record({"paper_id": "a", "title": "A", "date": "Jul 22, 2022"}),
                        record({"paper_id": "b", "title": "B", "date": "2023"}),
                        record({"paper_id": "c", "title": "C"})])
    assert table.page(sort="newest")[1] == ["b", "a", "c"]
