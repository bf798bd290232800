"""How questions are answered: one group of settings per question kind (``answer.survey``, ``answer.metadata``, ...),
the settings every kind shares, and the words every refusal uses (``answer.refusal`` and its siblings)."""

from typing import Literal

from pydantic import BaseModel, Field, model_validator

PLACEHOLDERS = {"no_match": "filter", "withdrawn": "reason", "unapplied": "fields"}  # what each of these may say


class SentenceSettings(BaseModel):
    """The evidence sentences every model call about a question reads (rag/answer/sentences.py)."""
    papers: int = Field(2, ge=1, description="papers whose sentences are offered, the best by evidence score")
    per_paper: int = Field(3, ge=1, description="sentences offered per paper at most")
    most: int = Field(5, ge=1, le=9, description="sentences offered in all")
    within: float | None = Field(0.15, ge=0, description="a paper after the best one is offered only when its best "
                                 "sentence scores within this of the best paper's (None: always); alone, a paper offers "
                                 "its `most` best sentences (dev4 detail key strings 0.64 -> 0.73, near misses refused "
                                 "0.50 -> 0.75; yes/no verdicts unchanged on both dev splits)")
    diversity: float = Field(0.0, ge=0, description="each next sentence offered pays this times its highest cosine "
                             "to one already offered (maximal marginal relevance; 0: by score alone). With 0.3 and "
                             "per_paper 4, dev's and dev4's key sentences were offered for 71 of 74 items (default: 68); "
                             "test2's for 0.93 either way, all that the retrieved gold abstracts hold")
    lexical_weight: float = Field(0.3, ge=0, description="a sentence's score: its cosine to the question plus this "
                                  "times the share of the question's content words it holds (names, numbers)")


class JudgeSettings(BaseModel):
    """Whether the evidence answers the question: the model's calibrated Yes/No (rag/answer/judge.py)."""
    instructions: list[str] = Field(["judge_states"], min_length=1, description="prompt templates asking whether the "
                                    "sentences answer (averaged; a second one added nothing on the dev split)")
    relevance_weight: float = Field(3.0, ge=0, description="weight of the question's best passage cosine in the score")
    min_score: float = Field(2.0, description="score (calibrated log-odds shift + weight x relevance) below which a "
                             "detail question is refused: about 5% false refusals on the dev split")
    min_cited: float | None = Field(None, description="after a detail answer is written, the judge score with the "
                                    "sentences it cites alone (judge.cited_score) below which it is withdrawn (None: "
                                    "not checked). At 3.0, set on dev + dev4 + test (near misses answered 8 -> 3 of "
                                    "46, right answers withdrawn 1 of 73): test2 near misses refused 0.68 -> 0.85, but "
                                    "false refusals 0.10 -> 0.19 and key strings 0.76 -> 0.69. Off: no trade taken")


class YesNoSettings(BaseModel):
    min_score: float = Field(1.5, description="judge score below which a yes/no question gets no verdict (lower than a "
                             "detail's: a 'no' often rests on a sentence that says otherwise)")
    verdict_above: float = Field(0.6, description="the model's log-odds of Yes over No, with the sentences, above which "
                                 "the verdict is Yes, set on the dev splits of two domains (bundled dev, dev6, test: 66; "
                                 "ACL dev: 30): the threshold with the best worse side is 0.55 / 0.60 (0.7 before dev6)")


class IdentifySettings(BaseModel):
    candidates: int = Field(20, ge=1, le=100, description="papers retrieved for an identify question")
    judged: int = Field(4, ge=1, description="of those, the first this many are judged by the model")
    sentences: int = Field(2, ge=1, description="best sentences the model reads of each judged paper, with its title "
                           "(ACL identify, right paper named first, one -> two: dev 22 -> 26 of 40, test 78 -> 82 of "
                           "120; single-user TTFT +1.2 s)")
    min_score: float = Field(2.5, description="judge score (log-odds shift + weight x relevance) the best paper needs")
    rank_prior: float = Field(0.5, ge=0, description="the order of the judged papers: their judge score minus this x "
                              "ln(1 + retrieval rank), a prior from the hybrid ranking that read the whole abstract "
                              "(0: the judgment alone). ACL identify dev, right paper first: 25 -> 29 of 40 (retrieval's "
                              "first alone 26)")
    gap: float = Field(0.3, ge=0, description="papers judged within this of the best (with the prior) are named too")


class SurveySettings(BaseModel):
    candidates: int = Field(8, ge=1, description="papers retrieved for a survey question")
    min_evidence: float = Field(0.45, description="best sentence score a paper needs to get a line")
    gap: float = Field(0.25, ge=0, description="papers this far below the best one's evidence score get no line")
    max_papers: int = Field(6, ge=1, description="rows at most")
    plan_tokens: int = Field(160, ge=16, description="tokens the model may write for its plan of a survey answer (the "
                             "asked aspect and the papers the question describes, as JSON)")
    described_candidates: int = Field(3, ge=0, description="a paper the question describes on its own ('compare MuSc and "
                                      "the paper where ...', as the model lists them) is looked up alone: its row is one "
                                      "of this many hits (0: no lookup; rows from the question's retrieval only)")
    judged: int = Field(0, ge=0, description="the best this many papers by evidence are judged relevant or not by the "
                        "model (0: by evidence score and gap alone)")
    judged_unclose: int = Field(4, ge=0, description="when no paper reaches min_evidence, the best this many are "
                                "judged by the model instead (0: refused by score)")
    band: float = Field(0.35, ge=0, description="for a question about a topic, papers below the gap but within this of the "
                        "best evidence score are judged by the model after the rows above it are shown (survey_band.py)")
    band_judged: int = Field(4, ge=0, description="of those, the best this many are judged (0: no rows below the gap)")
    band_min_odds: float = Field(2.0, description="log-odds of the model's Yes (about the topic) a paper below the gap "
                                 "needs for a row (expected papers scored 2.5-4.0, nearly all others below 2)")
    topic_tokens: int = Field(40, ge=8, description="tokens the model may write to name the question's topic")
    judge_sentences: int = Field(2, ge=1, description="best sentences the model reads of each judged paper, with its title")
    min_judged: float = Field(2.0, description="judge score (log-odds shift + weight x relevance) a paper needs for a row")
    lines: Literal["evidence", "model"] = Field("evidence", description="each row from the paper's best sentence, or "
                                                "one short model call per paper answering the asked aspect")
    row_sentences: int = Field(2, ge=1, le=5, description="a row's best sentences, in the abstract's order "
                               "(survey key strings, dev / dev3: one 0.73 / 0.20, two 0.80 / 0.35)")
    pair_row_sentences: int = Field(3, ge=1, le=5, description="a row's sentences when the answer has two rows (two "
                                    "papers compared): the room of six rows for two. The asked aspect is often a third "
                                    "sentence (survey key strings on dev, dev3 and test: 29 -> 32 of 47)")
    row_contribution: bool = Field(True, description="a row's sentences include the one where the paper says what it "
                                   "contributes ('we propose ...'), beside the closest to the question")
    layout: Literal["table", "list"] = Field("table", description="a table (paper x the asked aspect) or a list")
    line_evidence_tokens: int = Field(80, ge=20, description="tokens of a paper's excerpt a model-written line reads")
    line_tokens: int = Field(60, ge=8, description="tokens a model-written line may take")


class SummarySettings(BaseModel):
    min_evidence: float = Field(0.45, description="best sentence score the closest paper needs to be summarised when the "
                                "question does not name a paper")
    tokens: int = Field(400, ge=40, description="tokens of the abstract the model reads (a whole abstract, as a rule: "
                        "the main result is often its last sentence)")
    result_sentences: int = Field(2, ge=0, description="the abstract's last sentences with a number, each quoted after "
                                  "a summary that states none of its numbers: a small model often leaves them out "
                                  "(one sentence -> two: summary key strings test2 0.62 -> 0.75, dev3 0.80 -> 0.87)")


class MetadataSettings(BaseModel):
    """Metadata questions: the model writes a typed filter over the stored metadata (rag/answer/kinds/metadata.py)."""
    route_above: float = Field(0.2, ge=0, le=1, description="router probability of the metadata kind above which the "
                               "model is asked for a filter (a filter with no constraint sends the question on)")
    one_paper_above: float = Field(0.45, ge=0, le=1, description="a sorted filter without a limit is cut to one paper "
                                   "when the model's probability that the question asks for one paper only is above "
                                   "this (dev3: asked for one 0.47-0.52, for a list 0.28-0.44 but one 0.56)")
    asks_papers_above: float = Field(0.35, ge=0, le=1, description="a filter with a constraint no record holds is "
                                     "answered with papers only when the model's probability that papers answer the "
                                     "question is above this, else refused ('Who is the CEO of Kyutai?'; dev metadata "
                                     "questions 0.43-0.95, fact questions 0.12-0.27)")
    filter_tokens: int = Field(96, ge=16, description="tokens the model may write for the filter")
    candidates: int = Field(40, ge=1, le=100, description="papers retrieved, among those the filter keeps, when the "
                            "question also names a topic")
    topic_judged: int = Field(12, ge=0, le=100, description="the best this many of them are each judged by the model to "
                              "be about the topic or not (0: by topic_relevance alone; metadata exact set, test2 0.61 -> "
                              "0.79, dev3 0.63 -> 0.78; one user's TTFT for a topic question ~11 s)")
    topic_sentences: int = Field(2, ge=0, description="best sentences the model reads of each judged paper, with its title")
    topic_min_odds: float = Field(3.0, description="log-odds of the model's Yes (about the topic) a judged paper needs "
                                  "(P 0.95; off-topic papers of the dev questions scored below)")
    topic_relevance: float = Field(0.25, description="without the model's judgment, a paper needs this dense similarity "
                                   "to the topic (recall 1.00 of the dev survey questions' papers)")
    max_listed: int = Field(25, ge=1, description="papers listed at most")


class AnswerSettings(BaseModel):
    # The refusal vocabulary: every kind says these, and only these, when it does not answer.
    refusal: str = Field("The indexed papers do not say.", description="the answer when the papers do not answer")
    unsettled: str = Field("The abstracts do not settle it.", description="yes/no questions the evidence does not settle")
    no_match: str = Field("No indexed paper matches {filter}.", description="metadata questions no record matches")
    withdrawn: str = Field("(The draft above is withdrawn: {reason}.)", description="said after a shown draft that failed "
                           "its checks")
    unapplied: str = Field("Not applied, as the papers' records do not hold it: {fields}.", description="metadata "
                           "constraints no stored record can answer")

    sentences: SentenceSettings = Field(default_factory=SentenceSettings)
    judge: JudgeSettings = Field(default_factory=JudgeSettings)
    yesno: YesNoSettings = Field(default_factory=YesNoSettings)
    identify: IdentifySettings = Field(default_factory=IdentifySettings)
    survey: SurveySettings = Field(default_factory=SurveySettings)
    summary: SummarySettings = Field(default_factory=SummarySettings)
    metadata: MetadataSettings = Field(default_factory=MetadataSettings)
    followup_above: float = Field(0.5, ge=0, le=1, description="a message in a chat is rewritten with the conversation "
                                  "only when it depends on it with at least this probability (rag/answer/followup.py)")
    max_sources: int = Field(2, ge=1, description="papers put in the prompt at most")
    min_support: float = Field(0.6, ge=0, le=1, description="an uncited sentence of an answer is credited to a source "
                               "holding this share of its content words (else it is dropped)")
    evidence_tokens: int = Field(120, ge=20, description="tokens of question-focused excerpts in the prompt, shared by its papers")
    min_relevance: float = Field(0.20, description="best dense similarity below which the question is refused unread: a "
                                 "floor for questions about nothing indexed (answerable dev questions start at 0.40); "
                                 "whether the evidence answers is judged by the model")

    @model_validator(mode="after")
    def _placeholders(self):
        for field, name in PLACEHOLDERS.items():
            try:
                getattr(self, field).format(**{name: "x"})
            except (KeyError, IndexError, ValueError) as err:
                raise ValueError(f"answer.{field} may use only the placeholder {{{name}}} ({err!r})") from err
        return self
