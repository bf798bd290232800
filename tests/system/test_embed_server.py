"""Embeddings from a real OpenAI-compatible server (infinity-emb, started by the test on 127.0.0.1 and stopped
after), serving the packaged MiniLM folder: a store built through it answers like one built in-process."""

import os
from pathlib import Path

import numpy as np
import pytest

from rag import embedder
from rag.ingest.pipeline import ingest
from rag.llm.server_process import free_port
from rag.retrieve.retriever import PaperRetriever
from rag.settings import EmbedSettings
from tests.conftest import make_settings, paper_record, running_server, write_jsonl

SERVER = Path(__file__).resolve().parents[2] / ".venv-embed-server" / "bin" / "infinity_emb"

TORCH = EmbedSettings(backend="torch")  # the server runs the packaged model in torch: stores shared with this variant


@pytest.fixture(scope="module")
def embed_server():
    if not SERVER.exists():
        pytest.fail(f"{SERVER} is missing: run scripts/install.sh")
    port = free_port()
    folder = str(embedder.model_dir(make_settings(Path("/nonexistent"))))
    env = os.environ | {"HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1", "DO_NOT_TRACK": "1",
                        "INFINITY_ANONYMOUS_USAGE_STATS": "0"}
    command = [str(SERVER), "v2", "--model-id", folder, "--served-model-name", "all-MiniLM-L6-v2", "--engine", "torch",
               "--device", "cpu", "--host", "127.0.0.1", "--port", str(port), "--no-vector-disk-cache", "--url-prefix", "/v1"]
    with running_server(command, f"http://127.0.0.1:{port}/health", env=env):
        yield f"http://127.0.0.1:{port}/v1"


def test_vectors_from_the_server_match_the_in_process_embedder(embed_server, tmp_path):
    local = make_settings(tmp_path / "local", embed=TORCH)
    remote = make_settings(tmp_path / "remote", embed=EmbedSettings(backend="openai", base_url=embed_server))
    texts = ["Graph neural networks for molecules.", "A study of speech recognition in noisy rooms."]
    near = (embedder.load_encoder(local).encode(texts) * embedder.load_encoder(remote).encode(texts)).sum(axis=1)
    assert np.all(near > 0.999)
    assert embedder.dimension(remote) == 384 and embedder.model_name(remote) == embedder.model_name(local)


def test_a_store_built_through_the_server_answers_the_same_searches(embed_server, tmp_path):
    source = write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(10)])
    local = make_settings(tmp_path / "local", embed=TORCH)
    remote = make_settings(tmp_path / "remote", embed=EmbedSettings(backend="openai", base_url=embed_server))
    assert ingest([source], remote).new == ingest([source], local).new == 10
    for question in ("better protein folding", "robot grasping with method M3", "weather forecasting benchmarks"):
        assert ([h.paper_id for h in PaperRetriever(remote).search(question, mode="dense")]
                == [h.paper_id for h in PaperRetriever(local).search(question, mode="dense")])
    # the same vectors: the in-process torch embedder may query the store the server built
    hits = PaperRetriever(make_settings(tmp_path / "remote", embed=TORCH)).search("speech recognition", mode="dense")
    assert hits and "speech recognition" in hits[0].title


def test_an_unreachable_server_is_one_clear_error(tmp_path):
    from rag.errors import UserError

    settings = make_settings(tmp_path, embed=EmbedSettings(backend="openai", base_url=f"http://127.0.0.1:{free_port()}/v1"))
    with pytest.raises(UserError, match="cannot reach the embeddings server"):
        embedder.load_encoder(settings).encode(["hello"])
