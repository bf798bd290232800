"""The filters the model writes for metadata questions, against the filters a person wrote for them.

    PAPERCHAT_DATA_DIR=... .venv/bin/python -m bench.metadata_filters [eval/qa/metadata-dates-dev.jsonl]  # or filters-dev

Each line of the set: {"q": question, "f": the intended PaperFilter as JSON}. A question counts as right when the
model's filter selects the same papers, in the same order, from the store as the intended one. Prints each miss with
the filter written, the share right and the seconds per filter (the model server's prompt cache warm after the first).
"""

import json
import statistics
import sys
import time
from pathlib import Path

from rag.answer.kinds.metadata import resolve, write_filter
from rag.answer.service import AnswerService
from rag.retrieve.metadata import PaperFilter
from rag.settings import get_settings

DEFAULT = Path(__file__).parents[1] / "eval" / "qa" / "metadata-filters-dev.jsonl"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    service = AnswerService(get_settings())
    papers = service.retriever.store.papers()
    right, seconds = 0, []
    for row in rows:
        started = time.perf_counter()
        written = write_filter(service.tools, row["q"])
        seconds.append(time.perf_counter() - started)
        wanted = PaperFilter.model_validate(row["f"])
        same = written is not None and resolve(written, papers).apply(papers) == wanted.apply(papers)
        right += same
        if not same:
            print(f"miss: {row['q']}\n      wrote {written.model_dump_json(exclude_defaults=True) if written else None}")
    print(f"filters right: {right}/{len(rows)} = {right / len(rows):.2f}; seconds per filter: first "
          f"{seconds[0]:.1f}, median of the rest {statistics.median(seconds[1:] or seconds):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
