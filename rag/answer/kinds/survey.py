"""'What is there on X, and what does each paper do?', 'compare A and B on their data', 'summarize the papers on X': one
row per relevant paper, each naming the paper and answering the asked aspect for it, cited.

The model first plans the answer in one JSON-schema call (prompts/survey_aspect.txt): the aspect asked of each paper
(the table's column) and the particular papers the question names or describes ("MuSc vs the paper where small students
mimic a frozen ViT"). Each described paper is looked up on its own and its row comes first: the question's own retrieval
ranked such a paper sixth, or missed it, when the question describes the other paper in its words (dev3 survey
key strings 0.30 -> 0.35; test2 unchanged at 0.56, where most compare questions name both papers).

Which retrieved papers are relevant is the model's calibrated judgment of each (judge.py ``judge_each``: does this
paper do what the question describes?) when ``answer.survey.judged`` is set, else the evidence score and its gap to
the best; when no paper scores as close as a survey's papers usually do, the model judges the best few
(``judged_unclose``) instead of a refusal by score. For a question about a topic, the papers just below the gap get
rows too when the model judges them on the topic, after the rows above it are shown (survey_band.py). Each paper's row
is one short model call over that paper's excerpt (``lines = "model"``), run at once in the server's parallel slots
and checked like every claim (the paper's best sentences when nothing passes), or the paper's own sentences
(``"evidence"``: two by default, three when two papers are compared, as one was often the field's background, not the
paper's work: the one where the paper says what it contributes, "we propose ...", and the closest to the question).
As a table (paper x asked aspect, the aspect named by the model) or a list.

Measured and not taken (the 8 retrieved papers of each survey question: dev+dev3 35 questions / test2 34, totals only):
the model's "Is this paper about <topic>?" (``about_topic``) as the choice of every row: it separates the expected
papers from the rest with AUC 0.92 / 0.88, the evidence score 0.91 / 0.88, the embedder's topic-to-sentence cosine
0.89 / 0.83; evidence + 0.04 x that log-odds, gap 0.25, gives rows of precision 0.80 / 0.70 against 0.70 / 0.62 at the
same recall (questions with every expected paper: 27 / 22 against 28 / 22), for ~9 s more before the first row on 2
cores. Judging the rows above the gap too and dropping those below -1 (after the band): test2 precision 0.63 -> 0.68,
the same questions complete, but every row would wait for the judgments.
"""

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer.citations import strip_markers
from rag.answer.judge import judge_each
from rag.answer.kinds.base import Question, Strategy
from rag.answer.kinds.detail import DetailStrategy
from rag.answer.kinds.generation import write
from rag.answer.kinds.survey_band import below_gap, on_topic
from rag.answer.naming import names_paper
from rag.answer.prompts import few_shot
from rag.answer.types import Answer
from rag.stopping import Pool

PLAN_SCHEMA = {"type": "object", "properties": {"aspect": {"type": "string", "maxLength": 40}, "papers": {"type": "array",
               "maxItems": 6, "items": {"type": "string", "maxLength": 120}}}, "required": ["aspect", "papers"]}


@dataclass
class Plan:
    """What the question asks about each paper (the table's column), and the particular papers it names or describes."""
    aspect: str
    papers: list[str]


def cell(text: str) -> str:
    """Text that stays inside one cell of a Markdown table."""
    return " ".join(text.replace("|", "/").split())


class SurveyStrategy(Strategy):
    kind = "survey"
    few_shots = ("survey_aspect",)

    @property
    def k(self) -> int:
        return max(self.settings.retrieval.top_k, self.settings.answer.survey.candidates)

    def stream(self, question: Question, answer: Answer) -> Iterator[str]:
        plan = self._plan(question.text)
        chosen, below = self._relevant(question, self.tools.evidence(question), plan.papers)
        if len(chosen) == 1 and below:  # the model's rows below the gap decide whether it is one paper
            chosen, below = [*chosen, *self.on_topic_below(question.text, chosen, below)], []
        if not chosen:
            yield from self.refuse(answer, "no indexed abstract is about the question's topic")
            return
        if len(chosen) == 1:  # one relevant paper: the question asks what it says, a detail
            answer.kind = "detail"
            yield from DetailStrategy(self.tools).stream(question, answer)
            return
        answer.basis = self.settings.answer.survey.lines
        yield from self.lines(answer, self._all_rows(question, chosen, below, answer, plan.aspect))  # each shown once written

    def _all_rows(self, question: Question, chosen: list, below: list, answer: Answer, aspect: str) -> Iterator[str]:
        """The rows of the chosen papers, then of those below the gap that the model judges on the topic."""
        settings = self.settings.answer.survey
        yield from self._rows(question, chosen, answer, aspect, settings.pair_row_sentences if len(chosen) == 2
                              else settings.row_sentences)
        more = self.on_topic_below(question.text, chosen, below)
        yield from self._rows(question, more, answer, aspect, settings.row_sentences, head=False)

    def on_topic_below(self, question: str, chosen: list, below: list) -> list:
        """The papers of ``below`` (under the gap) the model judges on the question's topic, as many as rows are left."""
        room = self.settings.answer.survey.max_papers - len(chosen)
        return on_topic(self.tools, question, below[:room]) if room > 0 else []

    def _plan(self, question: str) -> Plan:
        """The model's plan of the answer: one short call, before the rows."""
        messages = [*few_shot("survey_aspect"), {"role": "user", "content": question}]
        try:
            plan = json.loads(self.tools.structured(messages, PLAN_SCHEMA, self.settings.answer.survey.plan_tokens))
            aspect, papers = str(plan.get("aspect", "")).strip(), [str(p) for p in plan.get("papers", []) if str(p).strip()]
        except (ValueError, AttributeError, TypeError):
            aspect, papers = "", []
        return Plan(aspect or "What it says on the question", papers)

    def _relevant(self, question: Question, evidence: list, described: list[str]) -> tuple[list, list]:
        """The papers that get a row: those the question names or describes, then the closest by the model's
        judgment or by evidence score and gap; and, for a question about a topic, the papers just below the gap that
        the model may add rows for (survey_band.py)."""
        settings = self.settings.answer.survey
        ranked = sorted(evidence, key=lambda e: -e.best)
        named = [e for e in ranked if names_paper(question.text, e.name, e.hit.title)]
        if len(named) >= 2:  # "compare A and B": the papers the question names
            return named[: settings.max_papers], []
        described = self._described(question, described, {e.hit.paper_id: e for e in evidence})
        ids = {e.hit.paper_id for e in described}
        closest = self._closest(question, ranked)
        chosen = [*described, *(e for e in closest if e.hit.paper_id not in ids)][: settings.max_papers]
        by_score = not described and not settings.judged and bool(ranked) and ranked[0].best >= settings.min_evidence
        return chosen, below_gap(settings, ranked, chosen) if by_score else []

    def _described(self, question: Question, papers: list[str], known: dict) -> list:
        """The papers the question describes one by one ("MuSc vs the paper where small students mimic a frozen ViT"),
        as the model lists them, each looked up on its own: a distinct paper each, the assignment with the best
        ranks (then relevance) among each description's first ``described_candidates`` hits (``known``: the evidence
        already scored, by paper id). [] for a topic."""
        shape = self.settings.answer.survey
        if not shape.described_candidates or self.tools.search is None or len(papers) < 2:
            return []
        found = [list(enumerate(self.tools.search(p, k=shape.described_candidates, with_relevance=True,
                                                  within=question.within))) for p in papers[: shape.max_papers]]
        distinct = (c for c in itertools.product(*found) if len({h.paper_id for _, h in c}) == len(c))
        best = min(distinct, key=lambda c: (sum(r for r, _ in c), -sum(h.relevance or 0 for _, h in c)), default=())
        new = self.tools.evidence(Question(question.text, question.embedding, [h for _, h in best if h.paper_id not in known]))
        known = {**known, **{e.hit.paper_id: e for e in new}}
        return [known[h.paper_id] for _, h in best if h.paper_id in known]

    def _closest(self, question: Question, ranked: list) -> list:
        """The retrieved papers closest to the question: judged by the model, or by evidence score and gap."""
        settings = self.settings.answer.survey
        if settings.judged:
            return self._judged(question, ranked[: settings.judged])
        top = ranked[0].best if ranked else 0.0
        chosen = [e for e in ranked if e.best >= max(settings.min_evidence, top - settings.gap)][: settings.max_papers]
        # none scores as close as a survey's papers usually do ("the two in-context RL papers: what does each
        # contribute?" describes them in other words): the model judges the best few instead of a refusal by score
        return chosen or self._judged(question, ranked[: settings.judged_unclose])

    def _judged(self, question: Question, pool: list) -> list:
        """The papers of ``pool`` the model judges to do what the question describes, best first."""
        settings = self.settings.answer.survey
        scores = judge_each(self.tools, question.text, pool, settings.judge_sentences) if pool else []
        judged = sorted(zip(scores, pool, strict=True), key=lambda pair: -pair[0])
        return [e for score, e in judged if score >= settings.min_judged][: settings.max_papers]

    def _rows(self, question: Question, chosen: list, answer: Answer, aspect: str, n: int, head: bool = True) -> Iterator[str]:
        """The table's head, then a row a paper (or a list item a paper) of ``n`` sentences. Model-written rows are
        asked for at once, one call a paper in the server's parallel slots; a row that does not pass its checks is
        the best sentence."""
        settings = self.settings.answer.survey
        texts = [self._row_text(e, n) for e in chosen]
        marks = [f"[{answer.cite(e.hit, text)}]" for e, text in zip(chosen, texts, strict=True)]
        pool = Pool(self.settings.llm.parallel)
        try:
            written = [pool.submit(self._written, question, e, answer) if settings.lines == "model" else None
                       for e in chosen]
            table = settings.layout == "table"
            if table and head:
                yield f"| Paper | {cell(aspect)} |\n|---|---|"
            for e, mark, line, sentences in zip(chosen, marks, written, texts, strict=True):
                text = (line.result() if line else "") or sentences
                yield f"| {cell(e.label)} {mark} | {cell(text)} |" if table else f"- {e.label} {mark}: {text}"
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # Stop: rows not begun are never asked for

    def _row_text(self, e, n: int) -> str:
        """A row's ``n`` sentences: the paper's contribution sentence with the closest to the question, or the closest."""
        return e.row(n) if self.settings.answer.survey.row_contribution else e.top_sentence(n)

    def _written(self, question: Question, e, answer: Answer) -> str:
        """The model's row for paper ``e``, or "" when nothing it wrote passed the checks (or it found no answer)."""
        scratch = Answer(answer.question, question.text, "", [], False, [], {})
        shape = self.settings.answer.survey
        pieces = write(self, question.text, scratch, [e], "survey_line", budget=shape.line_evidence_tokens,
                       max_tokens=shape.line_tokens)
        while True:
            try:
                next(pieces)
            except StopIteration as done:
                return "" if done.value else strip_markers(scratch.text.replace("\n", " ")).strip()
