"""Which papers a survey answer covers, against the papers a person expected, for each way of choosing them.

    PAPERCHAT_DATA_DIR=... .venv/bin/python -m bench.survey_selection [QASET ...] [--gaps 0.25 0.35] [--min-judged 1.0 2.0]

For every survey item of the QA sets (default: the dev and dev3 splits), the retrieved papers are chosen for a row by
their evidence score and gap to the best (``answer.survey.judged = 0``, at each ``gap``), with the papers just below
the gap that the model judges on the topic (``answer.survey.band``, the default), and by the model's calibrated
judgment of each (``judged`` = 6, at each ``min_judged``). Prints recall and precision of the expected papers per way,
the questions whose expected papers all got a row (what survey key strings count), and the seconds the judgments took.
Totals only, so it may run on a held-out split.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from rag.answer.kinds.base import Question
from rag.answer.kinds.survey import SurveyStrategy
from rag.answer.service import AnswerService
from rag.records import normalise_title
from rag.settings import get_settings

QA = Path(__file__).parents[1] / "eval" / "qa"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", default=[QA / "dev.jsonl", QA / "dev3.jsonl"])
    parser.add_argument("--gaps", type=float, nargs="+", default=[])
    parser.add_argument("--min-judged", type=float, nargs="*", default=[1.0, 2.0, 3.0])
    args = parser.parse_args(argv)
    items = [json.loads(line) for path in args.sets for line in Path(path).read_text(encoding="utf-8").splitlines()
             if line.strip() and json.loads(line).get("kind") == "survey" and json.loads(line).get("gold_titles")]
    base = get_settings()
    service = AnswerService(base)
    def survey(**update):
        return base.model_copy(update={"answer": base.answer.model_copy(update={
            "survey": base.answer.survey.model_copy(update=update)})})

    ways = {"evidence and gap": (survey(band_judged=0), 0.0), "and the model's band": (base, 0.0)} | {
        f"evidence and gap {g}": (survey(judged=0, gap=g, band_judged=0), 0.0) for g in args.gaps} | {
        f"model-judged >= {t}": (survey(judged=6, min_judged=t), t) for t in args.min_judged}
    found = {way: [0, 0, 0, 0] for way in ways}  # expected found, expected, chosen, questions with all found
    seconds = []
    for item in items:
        gold = {normalise_title(t) for t in item["gold_titles"]}
        embedding = service.retriever.embed_query(item["question"])
        hits = service.retriever.search(item["question"], k=SurveyStrategy(service.tools).k, with_relevance=True,
                                        query_embedding=embedding)
        question = Question(item["question"], embedding, hits)
        evidence = service.tools.evidence(question)
        for way, (settings, _) in ways.items():
            service.tools.settings = settings
            started = time.perf_counter()
            strategy = SurveyStrategy(service.tools)
            rows, below = strategy._relevant(question, evidence, [])
            chosen = {normalise_title(e.hit.title) for e in [*rows, *strategy.on_topic_below(item["question"], rows, below)]}
            if settings.answer.survey.judged or below:
                seconds.append(time.perf_counter() - started)
            counts = found[way]
            counts[0], counts[1], counts[2] = counts[0] + len(chosen & gold), counts[1] + len(gold), counts[2] + len(chosen)
            counts[3] += gold <= chosen
        service.tools.settings = base
    print(f"{len(items)} survey questions, {sum(len(i['gold_titles']) for i in items)} expected papers")
    for way, (hit, expected, chosen, whole) in found.items():
        print(f"{way:>26}: recall {hit / expected:.2f}, precision {hit / max(chosen, 1):.2f}, rows {chosen}, "
              f"all expected {whole}/{len(items)}")
    print(f"model judgments: {statistics.median(seconds):.1f} s per question (median)" if seconds else "")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
