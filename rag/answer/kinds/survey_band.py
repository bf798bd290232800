"""A survey's rows below the score gap: papers the evidence ranks a little lower than the gap allows, each judged by
the model's "Is this paper about <topic>?" (``judge.about_topic``: its calibrated log-odds of Yes; the topic named by
the model in one short JSON-schema call). Only for a question about a topic (not one that names or describes its
papers), and asked after the rows above the gap are shown: the first row waits for none of it.

Measured on a dump of the 8 retrieved papers of each survey question, the band judged once and the settings swept:
questions whose expected papers all get a row, dev + dev3 + test 37 -> 42 of 47 (row precision 0.72 -> 0.71), test2
(totals only) 23 -> 25 of 34 (0.64 -> 0.63); on the topic questions alone test2 13 -> 15 of 24, compare questions
unchanged. Expected papers below the gap score 2.5-4.0, nearly all others below 2 (log-odds). Before this, the band
judged by ``judge_each`` ("does it do what the question describes", less a prior) was said Yes for nearly every paper.
"""

import json

from rag.answer.evidence import PaperEvidence
from rag.answer.judge import about_topic
from rag.answer.prompts import few_shot

TOPIC_SCHEMA = {"type": "object", "properties": {"topic": {"type": "string", "maxLength": 60}}, "required": ["topic"]}


def below_gap(settings, ranked: list[PaperEvidence], chosen: list[PaperEvidence]) -> list[PaperEvidence]:
    """The papers the model may add rows for: not chosen, their evidence within ``band`` of the best, the first few."""
    if not ranked or not settings.band_judged:
        return []
    ids, top = {e.hit.paper_id for e in chosen}, ranked[0].best
    return [e for e in ranked if e.hit.paper_id not in ids and e.best >= top - settings.band][: settings.band_judged]


def on_topic(tools, question: str, papers: list[PaperEvidence]) -> list[PaperEvidence]:
    """The papers the model judges to be about the question's topic, in the order given."""
    if not papers:
        return []
    settings = tools.settings.answer.survey
    messages = [*few_shot("survey_topic"), {"role": "user", "content": question}]
    try:
        topic = str(json.loads(tools.structured(messages, TOPIC_SCHEMA, settings.topic_tokens)).get("topic", "")).strip()
    except (ValueError, AttributeError, TypeError):
        topic = ""
    if not topic:
        return []
    odds = about_topic(tools, topic, papers, settings.judge_sentences)
    return [e for e, o in zip(papers, odds, strict=True) if o >= settings.band_min_odds]
