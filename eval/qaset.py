"""QA set loading: JSONL items, gold papers resolved to the store's paper ids."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import UserError
from rag.records import normalise_title


@dataclass
class QAItem:
    qid: str
    question: str
    gold_ids: list[str] = field(default_factory=list)
    answer: str | None = None
    must_include: list[str] = field(default_factory=list)
    type: str = "fact"
    kind: str | None = None  # the question kind (rag.answer.kinds), when the set labels it
    verdict: str | None = None  # yes/no items: "yes" or "no", as the abstract says
    near_miss: bool = False  # asks a detail no abstract gives: the right answer is a refusal
    ordered: bool = False  # asks for an order: the gold papers are listed in it

    @property
    def answerable(self) -> bool:
        return bool(self.gold_ids) and not self.near_miss

    @property
    def group(self) -> str:
        """What results are reported by: the kind (near misses apart), else the free type label."""
        if self.kind:
            return "near_miss" if not self.answerable else self.kind
        return self.type


def load_qaset(path: Path, titles_to_ids: dict[str, str]) -> tuple[list[QAItem], list[str]]:
    """Items, and one 'file:line: problem' note per skipped item (bad JSON, unknown gold title or id)."""
    if not path.is_file():
        raise UserError(f"QA set {path} not found")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise UserError(f"QA set {path} is not UTF-8 text (format: eval/README.md)") from None
    known_ids = set(titles_to_ids.values())
    items, problems = [], []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            question = str(raw["question"]).strip()
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(f"{path}:{n}: not a JSON object with a 'question'")
            continue
        gold, unknown = list(raw.get("gold_ids", [])), []
        for title in raw.get("gold_titles", []):
            pid = titles_to_ids.get(normalise_title(title))
            (gold.append(pid) if pid else unknown.append(f"title {title!r}"))
        unknown += [f"id {pid!r}" for pid in raw.get("gold_ids", []) if pid not in known_ids]
        if unknown:
            problems.append(f"{path}:{n}: unknown {', '.join(unknown)}; item skipped")
            continue
        gold = list(dict.fromkeys(gold))
        items.append(QAItem(qid=str(raw.get("qid") or f"line{n}"), question=question, gold_ids=gold,
                            answer=raw.get("answer"), must_include=list(raw.get("must_include", [])),
                            type=raw.get("type") or ("unanswerable" if not gold else "fact"), kind=raw.get("kind"),
                            verdict=raw.get("verdict"), near_miss=raw.get("answerable") is False,
                            ordered=bool(raw.get("ordered"))))
    if not items:
        why = f"{len(problems)} lines skipped, e.g. {problems[0]}" if problems else "the file is empty"
        raise UserError(f"QA set {path} has no items to run ({why}; format: eval/README.md)")
    return items, problems
