"""Answers as people keep them: Markdown with a numbered reference list, and the cited papers as BibTeX built from
their stored metadata. Both read answers in their JSON form (``Answer.to_json``), so the page (which keeps a chat as
JSON) and the command line export the same text.

BibTeX escaping: the characters TeX treats as commands (``\\ { } % & # _ $ ~ ^``) are escaped in every field, a title
is wrapped in braces so that styles keep its capitals, and names stay as written (UTF-8: biber and BibTeX 0.99e
read it); the entry key is ASCII (first author's surname, year, first title word).
"""

import re
import unicodedata

from rag.records import author_names, web_link, when

_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_", "$": r"\$",
        "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_CHARS = re.compile("|".join(re.escape(c) for c in _TEX))
_MARKER = re.compile(r"\[(\d+)\]")


def tex(text: str) -> str:
    """``text`` with TeX's special characters escaped."""
    return _TEX_CHARS.sub(lambda m: _TEX[m.group(0)], " ".join(str(text).split()))


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", folded).lower()


def _key(meta: dict, title: str) -> str:
    authors = author_names(meta)
    surname = _ascii_word(authors[0].split()[-1]) if authors else ""
    year = when(meta)[0]
    word = next((w for w in (_ascii_word(w) for w in title.split()) if len(w) > 3), "paper")
    return f"{surname or 'anon'}{year or ''}{word}"


def bibtex_entry(citation: dict, key: str) -> str:
    """One ``@misc`` (or ``@inproceedings`` when a venue is stored) entry of a cited paper."""
    meta, title = citation.get("metadata") or {}, citation.get("title", "")
    fields = [("title", "{" + tex(title) + "}")]
    authors = author_names(meta)
    if authors:
        fields.append(("author", " and ".join(tex(a) for a in authors)))
    year, month, _ = when(meta)
    if year:
        fields.append(("year", str(year)))
    if month:
        fields.append(("month", str(month)))
    if meta.get("venue"):
        fields.append(("booktitle", tex(meta["venue"])))
    if meta.get("organisation"):
        fields.append(("organization", tex(meta["organisation"])))
    if url := web_link(meta):
        fields.append(("url", url.replace("%", r"\%").replace("#", r"\#")))
    kind = "inproceedings" if meta.get("venue") else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}"


def cited_papers(answers: list[dict]) -> list[dict]:
    """Each paper the answers cite, once, in order of first citation."""
    seen: dict[str, dict] = {}
    for answer in answers:
        for c in answer.get("citations") or []:
            seen.setdefault(c["paper_id"], c)
    return list(seen.values())


def bibtex(answers: list[dict]) -> str:
    """The papers the answers cite as BibTeX entries, with unique keys."""
    entries, used = [], set()
    for citation in cited_papers(answers):
        key = base = _key(citation.get("metadata") or {}, citation.get("title", ""))
        n = 0
        while key in used:
            n += 1
            key = f"{base}{chr(ord('a') + n - 1)}" if n <= 26 else f"{base}{n}"
        used.add(key)
        entries.append(bibtex_entry(citation, key))
    return "\n\n".join(entries) + ("\n" if entries else "")


def markdown(answers: list[dict], title: str = "PaperChat") -> str:
    """The questions and answers, their [n] markers renumbered into one reference list for the whole chat."""
    papers = cited_papers(answers)
    number = {c["paper_id"]: n for n, c in enumerate(papers, start=1)}
    parts = [f"# {title}"]
    for answer in answers:
        local = {str(c["n"]): str(number[c["paper_id"]]) for c in answer.get("citations") or []}
        text = _MARKER.sub(lambda m, to=local: f"[{to.get(m.group(1), m.group(1))}]", answer.get("answer") or "")
        parts += [f"**Q:** {answer.get('question', '')}", text]
    if papers:
        lines = []
        for n, c in enumerate(papers, start=1):
            meta = c.get("metadata") or {}
            extra = ", ".join(str(x) for x in (meta.get("authors"), meta.get("date") or meta.get("year"),
                                                meta.get("venue")) if x)
            url = web_link(meta)
            lines.append(f"{n}. {c.get('title', '')}" + (f". {extra}" if extra else "")
                         + (f". <{url}>" if url else ""))
        parts += ["## References", "\n".join(lines)]
    return "\n\n".join(parts) + "\n"
