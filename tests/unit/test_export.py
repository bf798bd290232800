"""Exported answers: Markdown with one reference list for the chat, BibTeX that a BibTeX parser reads back."""

import bibtexparser

from rag.export import bibtex, markdown

HARD = {"n": 1, "paper_id": "p1", "title": "{Curly} 50% & more: Ünïcode_data #1", "passage": "",
        "metadata": {"authors": "José Núñez, Zoë O'Brien", "date": "2023-05-02", "venue": "ACL & EMNLP",
                     "url": "https://example.org/a%20b"}}
PLAIN = {"n": 1, "paper_id": "p2", "title": "Plain Paper on Things", "passage": "", "metadata": {"date": "Oct 23"}}


def test_bibtex_escapes_tex_characters_keeps_names_and_parses_back():
    text = bibtex([{"citations": [HARD, PLAIN]}])
    entries = bibtexparser.loads(text).entries
    assert len(entries) == 2
    first = entries[0]
    assert first["ENTRYTYPE"] == "inproceedings" and first["ID"] == "nunez2023curly"
    assert first["title"] == r"{\{Curly\} 50\% \& more: Ünïcode\_data \#1}"
    assert first["author"] == "José Núñez and Zoë O'Brien" and first["year"] == "2023" and first["month"] == "5"
    assert first["booktitle"] == r"ACL \& EMNLP" and first["url"] == r"https://example.org/a\%20b"
    assert entries[1]["ENTRYTYPE"] == "misc" and "year" not in entries[1]  # a listing date without a year


def test_keys_stay_unique_and_each_paper_is_listed_once():
    twin = dict(HARD, paper_id="p3")
    entries = bibtexparser.loads(bibtex([{"citations": [HARD, twin]}, {"citations": [HARD]}])).entries
    assert [e["ID"] for e in entries] == ["nunez2023curly", "nunez2023curlya"]


def test_markdown_numbers_the_whole_chats_references_once():
    first = {"question": "Q one?", "answer": "Curly does it [1].", "citations": [HARD]}
    second = {"question": "Q two?", "answer": "Plain [1] and Curly [2] differ.", "citations": [PLAIN, dict(HARD, n=2)]}
    text = markdown([first, second])
    assert "**Q:** Q one?\n\nCurly does it [1]." in text
    assert "Plain [2] and Curly [1] differ." in text  # renumbered into the chat's one list
    refs = text.split("## References\n\n")[1].splitlines()
    assert refs[0].startswith("1. {Curly} 50% & more") and "José Núñez" in refs[0] and "<https://example.org/a%20b>" in refs[0]
    assert refs[1].startswith("2. Plain Paper on Things") and len(refs) == 2
