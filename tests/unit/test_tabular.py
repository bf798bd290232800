import json

from rag.ingest.sources import read_sources
from rag.records import Paper, Rejected
from tests.conftest import paper_record, write_jsonl


def _papers(items):
    return [i for i in items if isinstance(i, Paper)]


def _rejected(items):
    return [str(i) for i in items if isinstance(i, Rejected)]


def test_jsonl_with_optional_fields(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [paper_record(1, id="my-1", authors=["A. One", "B. Two"], date="2024-01-02", url="https://x.org/1")])
    (paper,) = _papers(read_sources([path]))
    assert (paper.paper_id, paper.authors, paper.date, paper.url) == ("my-1", "A. One, B. Two", "2024-01-02", "https://x.org/1")


def test_csv_records(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('Title,Abstract,date\n"A, quoted title","First sentence. Second sentence, with a comma.",2020\n', encoding="utf-8")
    (paper,) = _papers(read_sources([path]))
    assert paper.title == "A, quoted title" and paper.date == "2020" and paper.paper_id.startswith("t-")


def test_arxiv_snapshot_lines_get_arxiv_ids_and_urls(tmp_path):
    record = {"id": "2101.00001", "title": "An arXiv\n  paper", "abstract": "  We study things.\nAnd more things. ",
              "authors": "A. Author and B. Author", "categories": "cs.LG cs.AI", "update_date": "2021-01-05", "doi": None}
    path = tmp_path / "arxiv-metadata-oai-snapshot.json"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (paper,) = _papers(read_sources([path]))
    assert paper.paper_id == "arxiv-2101.00001"
    assert paper.title == "An arXiv paper" and paper.abstract == "We study things. And more things."
    assert (paper.date, paper.categories, paper.url) == ("2021-01-05", "cs.LG cs.AI", "https://arxiv.org/abs/2101.00001")


def test_same_paper_in_two_files_is_read_once(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [paper_record(1)])
    b = write_jsonl(tmp_path / "b.jsonl", [paper_record(1) | {"title": paper_record(1)["title"].upper()}])
    assert len(_papers(read_sources([a, b]))) == 1


def test_bad_lines_are_named_and_good_ones_kept(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([json.dumps(paper_record(1)), "{not json", json.dumps({"title": "No abstract"}), "[1, 2]",
                               json.dumps(paper_record(2))]) + "\n", encoding="utf-8")
    items = list(read_sources([path]))
    assert len(_papers(items)) == 2
    assert _rejected(items) == [f"{path}:2: not valid JSON (Expecting property name enclosed in double quotes)",
                                f"{path}:3: record lacks abstract", f"{path}:4: not a JSON object"]


def test_bad_files_each_get_one_line(tmp_path):
    (tmp_path / "empty.jsonl").write_text("  \n")
    (tmp_path / "binary.jsonl").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "latin1.jsonl").write_bytes(json.dumps(paper_record(3)).encode() + b"\n" + '{"title": "caf\xe9"}'.encode("latin-1"))
    (tmp_path / "nocols.csv").write_text("name,summary\nx,y\n")
    (tmp_path / "notes.txt").write_text("just some notes\n")
    (tmp_path / "emptydir").mkdir()
    items = list(read_sources([tmp_path / "missing.jsonl", tmp_path / "emptydir", *sorted(tmp_path.glob("*.*"))]))
    reasons = "\n".join(_rejected(items))
    assert "missing.jsonl: no such file or directory" in reasons
    assert "emptydir: directory has no supported files" in reasons
    assert "empty.jsonl: file is empty" in reasons
    assert "binary.jsonl: file is binary, not text" in reasons
    assert "latin1.jsonl:2: line is not UTF-8 text" in reasons
    assert "nocols.csv:1: CSV header lacks column(s) title, abstract" in reasons
    assert "notes.txt:1: not a Daily Papers listing" in reasons
    assert [p.title for p in _papers(items)] == [paper_record(3)["title"]]  # the good line before the bad bytes


def test_acl_style_records_keep_year_venue_and_authors(tmp_path):
    record = paper_record(3, id="2020.acl-main.1", authors="A. One and B. Two", year=2020, venue="ACL", doi="10.1/x")
    (paper,) = _papers(read_sources([write_jsonl(tmp_path / "acl.jsonl", [record])]))
    assert (paper.paper_id, paper.date, paper.venue, paper.authors) == ("2020.acl-main.1", "2020", "ACL", "A. One and B. Two")


def test_gzip_sources_of_every_format_are_read_streamed(tmp_path):
    import gzip

    with gzip.open(tmp_path / "a.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(paper_record(i)) + "\n" for i in range(3))
    with gzip.open(tmp_path / "b.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write('title,abstract\n"Compressed CSV paper","An abstract inside a gzip file."\n')
    items = list(read_sources([tmp_path]))  # a folder: .gz files are discovered too
    assert not _rejected(items)
    assert sorted(p.title for p in _papers(items))[0] == "Compressed CSV paper" and len(_papers(items)) == 4


def test_a_cut_short_gzip_keeps_what_was_read_and_names_the_file(tmp_path):
    import gzip

    data = gzip.compress("".join(json.dumps(paper_record(i)) + "\n" for i in range(200)).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "fake.jsonl.gz").write_bytes(b"not gzip at all")
    items = list(read_sources([tmp_path / "cut.jsonl.gz", tmp_path / "fake.jsonl.gz"]))
    assert 0 < len(_papers(items)) < 200
    reasons = _rejected(items)
    assert any("cut.jsonl.gz:" in r and "cut short or corrupt" in r for r in reasons)
    assert any("fake.jsonl.gz: not a readable gzip file" in r for r in reasons)
