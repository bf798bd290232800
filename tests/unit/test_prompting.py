from rag.answer.prompting import build_messages, count_tokens
from rag.retrieve.retriever import Hit
from rag.settings import Settings


def _hit(i: int, sentences: int) -> Hit:
    passage = " ".join(f"Paper {i} sentence {j} states a measured result of {j}.{i} points." for j in range(sentences))
    return Hit(f"p{i}", f"Paper {i}", 1.0 / (i + 1), passage, f"p{i}#0", {"title": f"Paper {i}"}, 0.5)


def _settings(window: int) -> Settings:
    return Settings(llm={"context_window": window, "max_new_tokens": 100})


def test_everything_fits_in_a_large_window():
    messages, sources = build_messages("What is measured?", [_hit(i, 3) for i in range(3)], _settings(4096), "summary")
    assert [s.n for s in sources] == [1, 2, 3]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert "[3] Paper 2" in messages[1]["content"] and "What is measured?" in messages[1]["content"]


def test_lower_ranked_sources_are_dropped_first_and_the_prompt_fits():
    settings = _settings(600)
    messages, sources = build_messages("What is measured?", [_hit(i, 6) for i in range(6)], settings)
    assert 1 <= len(sources) < 6
    assert [s.hit.paper_id for s in sources] == [f"p{i}" for i in range(len(sources))]  # a prefix of the ranking
    total = sum(count_tokens(m["content"]) for m in messages)
    assert total + settings.llm.max_new_tokens <= settings.llm.context_window


def test_an_oversized_first_source_is_cut_at_a_sentence_end():
    messages, sources = build_messages("What is measured?", [_hit(0, 80)], _settings(500), "summary")
    (source,) = sources
    assert source.passage.endswith("points.") and source.passage in _hit(0, 80).passage
    assert len(source.passage) < len(_hit(0, 80).passage)


def test_tiktoken_works_offline():
    assert count_tokens("hello world") == 2


def test_every_prompt_template_has_the_placeholders_its_callers_fill(monkeypatch):
    import pytest

    from rag.answer import prompts
    from rag.errors import UserError

    prompts.check()  # the shipped templates
    monkeypatch.setitem(prompts.PLACEHOLDERS, "refusal_rule", {"refusal", "today"})  # a caller that fills one more
    with pytest.raises(UserError, match="'refusal_rule' has placeholders \\['refusal'\\]; its callers fill \\['refusal', 'today'\\]"):
        prompts.check(["refusal_rule"])
