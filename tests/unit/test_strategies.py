"""Each question kind's strategy on the fake model (tests/unit/fakes.py): which kind takes a question, and what the
identify, survey and summary answers are made of. Detail and yes/no: test_judged_answers.py; metadata:
test_metadata_query.py."""

import json

from rag.answer.kinds.identify import IdentifyStrategy
from rag.answer.kinds.registry import take
from rag.answer.kinds.summary import SummaryStrategy
from rag.answer.kinds.survey import SurveyStrategy
from rag.answer.types import Answer
from rag.settings import Settings
from tests.unit.fakes import FakeTools, paper, question, route

MCU = paper("mcu", "MCUNetV2: Memory-Efficient Patch-based Inference for Tiny Deep Learning",
            ["MCUNetV2 reduces the peak SRAM of existing networks by 4-8x.",
             "It reaches 71.8% ImageNet accuracy on an MCU with a 256kB SRAM budget."], [0.7, 0.5], relevance=0.6)
TINY = paper("tiny", "TinyTL: Reduce Memory, Not Parameters for Efficient On-Device Learning",
             ["TinyTL freezes the weights and learns only the bias modules, saving memory for on-device training."],
             [0.62], relevance=0.55)
SPEECH = paper("asr", "Whisper-Lite: Small Speech Recognition",
               ["Whisper-Lite transcribes speech with a small encoder-decoder."], [0.2], relevance=0.3)
PAPERS = [{"paper_id": "mcu", "title": MCU.hit.title, "upvotes": 9}, {"paper_id": "tiny", "title": TINY.hit.title}]


def _run(strategy, tools, text: str) -> Answer:
    answer = Answer(text, text, "", [], False, [], {})
    pieces = list(strategy.stream(question(text, tools.evidence(None)), answer))
    assert "".join(pieces) == answer.text
    return answer


def test_an_eager_kind_is_offered_the_question_first_and_passes_it_on_when_its_filter_is_empty():
    scores = route(detail=0.6, metadata=0.3, survey=0.1)
    assert take(FakeTools(Settings(), [], json='{"upvotes": {"relation": "at least", "value": 5}}', papers=PAPERS),
                "papers with at least 5 upvotes", scores).kind == "metadata"
    assert take(FakeTools(Settings(), [], json="{}"), "What does MCUNetV2 save?", scores).kind == "detail"
    unlikely = route(detail=0.9, metadata=0.05)  # below answer.metadata.route_above: the model is not even asked
    tools = FakeTools(Settings(), [], json='{"upvotes": {"relation": "at least", "value": 5}}', papers=PAPERS)
    assert take(tools, "papers with at least 5 upvotes", unlikely).kind == "detail" and not tools.prompts


def test_identify_names_the_paper_the_model_judges_to_do_it_not_the_first_retrieved():
    yes = lambda prompt: 0.95 if "TinyTL" in prompt else 0.2  # noqa: E731 ("(none)": the prior, 0.2)
    tools = FakeTools(Settings(), [MCU, TINY], yes)
    answer = _run(IdentifyStrategy(tools), tools, "Is there a way to fine-tune on a phone without updating weights?")
    assert answer.text.startswith("TinyTL") and [c.paper_id for c in answer.citations] == ["tiny"]


def test_identify_names_first_the_earlier_retrieved_of_two_papers_the_model_judges_alike():
    yes = lambda prompt: 0.95 if "TinyTL" in prompt else 0.93 if "MCUNetV2" in prompt else 0.2  # noqa: E731
    tools = FakeTools(Settings(), [MCU, TINY], yes)  # TinyTL's judge score is 0.2 higher; MCUNetV2 retrieved first
    answer = _run(IdentifyStrategy(tools), tools, "Is there a way to run deep learning on a microcontroller?")
    assert [c.paper_id for c in answer.citations][:1] == ["mcu"]
    no_prior = Settings(answer={"identify": {"rank_prior": 0.0}})
    tools = FakeTools(no_prior, [MCU, TINY], yes)
    answer = _run(IdentifyStrategy(tools), tools, "Is there a way to run deep learning on a microcontroller?")
    assert [c.paper_id for c in answer.citations][:1] == ["tiny"]


def test_identify_refuses_when_the_model_judges_no_candidate_to_do_it():
    tools = FakeTools(Settings(), [MCU, TINY], lambda prompt: 0.2)
    answer = _run(IdentifyStrategy(tools), tools, "Is there a protein folding model for membranes?")
    assert answer.refused and answer.text == Settings().answer.refusal


def test_survey_gives_each_close_paper_a_cited_row_answering_the_aspect_and_leaves_the_far_one_out():
    tools = FakeTools(Settings(), [MCU, TINY, SPEECH], json='{"aspect": "How it saves memory"}')
    answer = _run(SurveyStrategy(tools), tools, "How do the tiny-device learning papers each save memory?")
    head, rule, *rows = answer.text.splitlines()
    assert head == "| Paper | How it saves memory |" and rule == "|---|---|" and len(rows) == 2
    assert rows[0].startswith("| MCUNetV2") and "[1] | MCUNetV2 reduces the peak SRAM" in rows[0] and "TinyTL" in rows[1]
    assert "71.8%" in rows[0]  # its two best sentences (answer.survey.row_sentences), in the abstract's order
    assert [c.paper_id for c in answer.citations] == ["mcu", "tiny"] and "Whisper" not in answer.text
    listed = FakeTools(Settings(answer={"survey": {"layout": "list"}}), [MCU, TINY, SPEECH])
    lines = _run(SurveyStrategy(listed), listed, "What is there on tiny-device learning?").text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("- MCUNetV2") and lines[1].startswith("- TinyTL")


def test_a_survey_row_says_what_the_paper_contributes_not_only_the_fields_background():
    """The sentences closest to "federated learning papers" are the field's background; the row keeps the one where
    the paper says what it proposes (answer.survey.row_contribution) beside the closest."""
    fed = paper("fed", "Harmonizing Generalization and Personalization in Federated Prompt Learning",
                ["Federated Prompt Learning (FPL) brings vision-language models into federated learning.",
                 "Data heterogeneity in federated learning requires personalization of federated models.",
                 "To tackle this challenge, we proposed FedPGP, which adds a low-rank personalization term.",
                 "Experiments show the superiority of FedPGP."], [0.8, 0.75, 0.4, 0.3], relevance=0.6)
    cream = paper("cream", "Multimodal Federated Learning via Contrastive Representation Ensemble",
                  ["Federated learning trains models across clients.", "We propose CreamFL, a multimodal framework."],
                  [0.78, 0.5], relevance=0.58)
    two = Settings(answer={"survey": {"pair_row_sentences": 2}})
    tools = FakeTools(two, [fed, cream], json='{"aspect": "Main idea"}')
    rows = _run(SurveyStrategy(tools), tools, "Overview of the federated learning papers?").text.splitlines()[2:]
    assert "we proposed FedPGP" in rows[0] and "(FPL) brings" in rows[0] and "Data heterogeneity" not in rows[0]
    assert "We propose CreamFL" in rows[1]
    pair = FakeTools(Settings(), [fed, cream], json='{"aspect": "Main idea"}')  # two rows: three sentences each
    rows = _run(SurveyStrategy(pair), pair, "Overview of the federated learning papers?").text.splitlines()[2:]
    assert "we proposed FedPGP" in rows[0] and "Data heterogeneity" in rows[0] and "Experiments show" not in rows[0]
    plain = FakeTools(Settings(answer={"survey": {"row_contribution": False, "pair_row_sentences": 2}}), [fed, cream],
                      json='{"aspect": "x"}')
    assert "FedPGP, which" not in _run(SurveyStrategy(plain), plain, "Overview of the federated learning papers?").text


def test_survey_rows_the_model_writes_answer_the_aspect_and_a_row_failing_its_checks_is_the_best_sentence():
    settings = Settings(answer={"survey": {"lines": "model"}})
    tools = FakeTools(settings, [MCU, TINY], json='{"aspect": "Memory saved"}', reply="It cuts peak SRAM by 4-8x [1].")
    rows = _run(SurveyStrategy(tools), tools, "How much memory does each tiny-device paper save?").text.splitlines()[2:]
    assert "It cuts peak SRAM by 4-8x" in rows[0]  # the number is in MCUNetV2's abstract
    assert TINY.sentences[0] in rows[1] and "4-8x" not in rows[1]  # not in TinyTL's: its row is its best sentence


def test_survey_of_papers_described_in_other_words_is_judged_by_the_model_not_refused_by_score():
    far = [paper(e.hit.paper_id, e.hit.title, e.sentences, [0.3] * len(e.sentences), 0.3) for e in (MCU, TINY, SPEECH)]
    yes = lambda prompt: 0.2 if "(none)" in prompt or "Whisper" in prompt else 0.95  # noqa: E731
    tools = FakeTools(Settings(), far, yes, json='{"aspect": "Memory saved"}')
    answer = _run(SurveyStrategy(tools), tools, "the two on-device papers: how does each get by with little RAM?")
    assert [c.paper_id for c in answer.citations] == ["mcu", "tiny"] and not answer.refused, answer.text
    tools = FakeTools(Settings(), far, lambda prompt: 0.2)  # the model judges none to be what the question describes
    assert _run(SurveyStrategy(tools), tools, "the two on-device papers: how does each get by with little RAM?").refused


def test_a_compare_question_gets_a_row_for_each_paper_it_describes_even_one_its_own_retrieval_missed():
    """The model lists the papers the question describes; each is looked up alone, and no paper gets two rows (the
    second description's first hit is the first's paper: it gets its next)."""
    asked = "MCUNetV2 vs the on-device training paper that learns only biases: how much memory does each save?"
    lists = json.dumps({"aspect": "Memory saved", "papers": ["MCUNetV2", "the on-device training paper that learns only biases"]})
    found = {"MCUNetV2": [MCU, SPEECH], "the on-device training paper that learns only biases": [MCU, TINY, SPEECH]}
    tools = FakeTools(Settings(), [MCU, TINY, SPEECH], json=lists, search=found)
    answer = Answer(asked, asked, "", [], False, [], {})
    list(SurveyStrategy(tools).stream(question(asked, [MCU, SPEECH]), answer))  # its own retrieval misses TinyTL
    assert [c.paper_id for c in answer.citations] == ["mcu", "tiny"] and len(answer.text.splitlines()) == 4, answer.text
    topic = FakeTools(Settings(), [MCU, TINY, SPEECH], json='{"aspect": "Memory saved", "papers": []}', search=found)
    answer = Answer(asked, asked, "", [], False, [], {})
    list(SurveyStrategy(topic).stream(question(asked, [MCU, SPEECH]), answer))  # described as no papers: one close paper
    assert answer.kind == "detail" and "tiny" not in [c.paper_id for c in answer.citations]


def test_a_topic_survey_adds_rows_below_the_gap_for_the_papers_the_model_judges_on_the_topic_after_the_others():
    """EdgeTrain and GPU-Sched score below the gap (0.25 under MCUNetV2's 0.7) but within the band (0.35): the model,
    asked whether each is about the topic it named, says Yes to EdgeTrain only; its row comes after the rows above
    the gap. Whisper-Lite, far below, is never asked about."""
    edge = paper("edge", "EdgeTrain: Fine-Tuning on Microcontrollers", ["EdgeTrain trains sparse layers within 256kB."], [0.4])
    sched = paper("gpu", "GPU-Sched: Scheduling Training Jobs", ["GPU-Sched packs training jobs onto GPUs."], [0.38])
    on_topic = lambda prompt: 0.95 if "EdgeTrain" in prompt else 0.3  # noqa: E731 (log-odds -0.85: below 2.0)
    plan = '{"aspect": "How it saves memory", "papers": [], "topic": "tiny-device learning"}'
    tools = FakeTools(Settings(), [MCU, TINY, edge, sched, SPEECH], on_topic, json=plan)
    answer = _run(SurveyStrategy(tools), tools, "What is there on learning on tiny devices?")
    assert [c.paper_id for c in answer.citations] == ["mcu", "tiny", "edge"] and len(answer.text.splitlines()) == 5
    assert not any("Whisper" in p for p in tools.prompts) and "tiny-device learning" in tools.prompts[-1]
    off = FakeTools(Settings(answer={"survey": {"band_judged": 0}}), [MCU, TINY, edge, sched, SPEECH], on_topic, json=plan)
    assert [c.paper_id for c in _run(SurveyStrategy(off), off, "What is there on learning on tiny devices?").citations] == ["mcu", "tiny"]


def test_survey_with_a_single_close_paper_answers_it_as_a_detail():
    tools = FakeTools(Settings(), [MCU, SPEECH], lambda prompt: 0.9 if "[1]" in prompt else 0.2,
                      reply="It cuts peak SRAM by 4-8x [1].")
    answer = _run(SurveyStrategy(tools), tools, "Which papers reduce peak memory on microcontrollers?")
    assert answer.kind == "detail" and "4-8x" in answer.text


def test_summary_of_a_named_paper_keeps_its_name_and_a_number_the_abstract_does_not_hold_is_withdrawn():
    good = FakeTools(Settings(), [TINY, MCU], reply="MCUNetV2 cuts peak memory by 4-8x and reaches 71.8% [1].")
    answer = _run(SummaryStrategy(good), good, "tl;dr of MCUNetV2?")
    assert answer.text.startswith("MCUNetV2") and "71.8%" in answer.text and answer.citations[0].paper_id == "mcu"
    bad = FakeTools(Settings(), [MCU], reply="MCUNetV2 reaches 93.5% accuracy [1].")
    answer = Answer("q", "q", "", [], False, [], {})
    list(SummaryStrategy(bad).stream(question("Summarize MCUNetV2", [MCU]), answer))
    assert "93.5" not in answer.text.split("withdrawn")[-1] and MCU.sentences[0] in answer.text


def test_a_metadata_reply_that_is_not_a_filter_sends_the_question_to_the_next_kind():
    tools = FakeTools(Settings(), [], json=json.dumps({"year": "last year"}), papers=PAPERS)
    assert take(tools, "papers from last year", route(metadata=0.8, survey=0.2)).kind == "survey"


def test_a_summary_without_the_papers_numbers_gets_its_result_sentence_quoted():
    tools = FakeTools(Settings(), [MCU], reply="MCUNetV2 schedules inference patch by patch [1].")
    answer = _run(SummaryStrategy(tools), tools, "What is MCUNetV2 about?")
    assert answer.text.endswith(f"Main results: “{MCU.sentences[0]}” “{MCU.sentences[1]}”") and "71.8%" in answer.text
    tools = FakeTools(Settings(), [MCU], reply="MCUNetV2 cuts peak SRAM by 4-8x [1].")
    answer = _run(SummaryStrategy(tools), tools, "What is MCUNetV2 about?")
    assert answer.text.endswith(f"Main result: “{MCU.sentences[1]}”")  # the numbers it states are not quoted again
