"""A broken config file or variable, or an oversized search, is one line on stderr and exit 2, never a traceback."""

import pytest

from cli import main
from rag.settings import get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PAPERCHAT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("toml, says", [
    ('[retrieval\nmode = "bm25"\n', "is not valid TOML: Expected ']'"),
    ('[retrieval]\ntop_k = "many"\n', "retrieval.top_k: Input should be a valid integer"),
    ('[llm]\nbackend = "gpt"\n', "llm.backend: Input should be 'llama_server', 'llama_cpp', 'transformers' or 'openai'"),
])
def test_a_broken_config_file_is_one_line(tmp_path, monkeypatch, capsys, toml, says):
    (tmp_path / "paperchat.toml").write_text(toml)
    monkeypatch.setenv("PAPERCHAT_CONFIG", str(tmp_path / "paperchat.toml"))
    assert main(["info"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err


def test_a_missing_config_file_and_a_bad_variable_are_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PAPERCHAT_CONFIG", str(tmp_path / "nope.toml"))
    assert main(["info"]) == 2
    assert "PAPERCHAT_CONFIG names" in capsys.readouterr().err
    monkeypatch.delenv("PAPERCHAT_CONFIG")
    get_settings.cache_clear()
    monkeypatch.setenv("PAPERCHAT_RETRIEVAL__TOP_K", "abc")
    assert main(["search", "graphs"]) == 2
    assert "a PAPERCHAT_ environment variable: retrieval.top_k" in capsys.readouterr().err


def test_a_100kb_search_is_refused_like_a_long_question(capsys):
    assert main(["search", "word " * 20_000]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "paperchat: error: the question is 100000 characters long; keep it under 2000"


@pytest.mark.parametrize("command", ["search", "ask"])
@pytest.mark.parametrize("k", ["0", "-3", "101", "five"])
def test_a_paper_count_out_of_range_is_refused(capsys, command, k):
    with pytest.raises(SystemExit) as exit_:
        main([command, "graph neural networks", "-k", k])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"must be a whole number from 1 to 100, not '{k}'" in err and "Traceback" not in err


def test_a_data_dir_that_is_a_file_is_one_line_and_the_file_is_left_alone(tmp_path, monkeypatch, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    monkeypatch.setenv("PAPERCHAT_DATA_DIR", str(notes))
    assert main(["info"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err and notes.read_text() == "mine"


def test_an_empty_question_is_refused_before_the_index_is_opened(tmp_path, capsys):
    assert main(["ask", " \t "]) == 2
    assert "the question is empty" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # nothing was indexed or created for it


@pytest.mark.parametrize("variable", ["PAPERCHAT_LLM__MODEL_PATH", "PAPERCHAT_EMBED__MODEL_PATH"])
def test_a_model_path_that_does_not_exist_stops_serve_before_the_page_starts(tmp_path, monkeypatch, capsys, variable):
    monkeypatch.setenv(variable, str(tmp_path / "no-such-model.gguf"))
    assert main(["serve", "--port", "8999"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-model.gguf does not exist" in err


def test_a_model_name_for_a_model_server_is_not_looked_for_on_disk(monkeypatch):
    monkeypatch.setenv("PAPERCHAT_LLM__BACKEND", "openai")
    monkeypatch.setenv("PAPERCHAT_LLM__MODEL_PATH", "served-elsewhere.gguf")
    assert str(get_settings().llm.model_path) == "served-elsewhere.gguf"
