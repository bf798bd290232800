"""Follow-up detection measured on messages written by someone who never saw the detector or its examples.

    .venv/bin/python -m bench.followups [eval/qa/followups-test.jsonl]

Prints accuracy, how many follow-ups are caught and how many self-contained questions are left alone, and the
messages it gets wrong (no model is loaded: the embedder only).
"""

import json
import sys
import time
from pathlib import Path

from rag.answer.followup import FollowUpDetector
from rag.settings import get_settings

DEFAULT = Path(__file__).parents[1] / "eval" / "qa" / "followups-test.jsonl"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else DEFAULT
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings = get_settings()
    started = time.perf_counter()
    detector = FollowUpDetector(settings)
    print(f"detector trained in {time.perf_counter() - started:.1f} s")
    wrong, caught, left = [], 0, 0
    for item in items:
        follow = detector.probability(item["message"]) >= settings.answer.followup_above
        caught += follow and item["follow_up"]
        left += not follow and not item["follow_up"]
        if follow != item["follow_up"]:
            wrong.append(item)
    n_follow = sum(i["follow_up"] for i in items)
    print(f"{path.name}: accuracy {1 - len(wrong) / len(items):.2f} ({len(items)} messages); follow-ups caught "
          f"{caught}/{n_follow}; self-contained left alone {left}/{len(items) - n_follow}")
    for item in wrong:
        print(f"  wrong ({'follow-up' if item['follow_up'] else 'self-contained'}): {item['message']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
