"""The embedder variants (the default calibrated int8 on OpenVINO, torch, the int8 ONNX export) and what the store does
with each."""

import threading

import numpy as np
import pytest

from rag import embedder
from rag.embedder import cpu
from rag.errors import UserError
from rag.ingest.pipeline import ingest
from rag.retrieve.retriever import PaperRetriever
from rag.settings import EmbedSettings, Settings
from rag.store import PaperStore, open_store
from tests.conftest import make_settings, paper_record, write_jsonl

INT8 = EmbedSettings(backend="onnx-int8")
TORCH = EmbedSettings(backend="torch")


def test_int8_export_is_cached_and_close_to_the_torch_model(tmp_path):
    torch_settings, int8_settings = make_settings(tmp_path / "a", embed=TORCH), make_settings(tmp_path / "b", embed=INT8)
    texts = [paper_record(i)["abstract"] for i in range(5)] + ["What does MAXIM do?"]
    near = (embedder.load_encoder(torch_settings).encode(texts) * embedder.load_encoder(int8_settings).encode(texts)).sum(1)
    assert np.all(near > 0.97)
    folder = next(p for p in int8_settings.models_dir.iterdir() if "onnx-int8" in p.name)
    assert (folder / "onnx").is_dir() and not (folder / "onnx" / "model.onnx").exists()  # only the int8 file is kept


def test_vectors_come_back_in_the_order_given_whatever_the_batching(tmp_path):
    settings = make_settings(tmp_path, embed=EmbedSettings(backend="torch", precision="fp32", batch_size=2))
    texts = ["short", paper_record(1)["abstract"], "a middling sentence about speech", paper_record(2)["title"], "x"]
    encoder = embedder.load_encoder(settings)
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([text]) for text in texts])
    assert together.shape == (5, 384) and np.allclose(together, alone, atol=1e-4)
    assert encoder.encode([]).shape == (0, 384)


@pytest.mark.skipif(not cpu.has_bf16(), reason="this CPU has no bf16 instructions")
def test_bf16_computes_the_same_vectors_so_its_stores_are_shared_with_fp32(tmp_path):
    fp32 = make_settings(tmp_path / "data", embed=EmbedSettings(backend="torch", precision="fp32"))
    bf16 = make_settings(tmp_path / "data", embed=EmbedSettings(backend="torch", precision="bf16"))
    texts = [paper_record(i)["abstract"] for i in range(5)] + ["What does MAXIM do?"]
    near = (embedder.load_encoder(fp32).encode(texts) * embedder.load_encoder(bf16).encode(texts)).sum(1)
    assert np.all(near > 0.9999)
    ingest([write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(3)])], fp32)
    hits = [PaperRetriever(s).search("speech recognition", mode="dense") for s in (fp32, bf16)]
    assert [h.paper_id for h in hits[0]] == [h.paper_id for h in hits[1]]


def test_openvino_int8_the_default_is_made_once_close_to_the_torch_model_and_keeps_its_own_stores(tmp_path):
    torch_settings, ov_settings = make_settings(tmp_path / "a", embed=TORCH), make_settings(tmp_path / "b")
    assert ov_settings.embed.backend == "openvino-int8"
    texts = [paper_record(i)["abstract"] for i in range(5)] + ["What does MAXIM do?", "speech"]
    near = (embedder.load_encoder(torch_settings).encode(texts) * embedder.load_encoder(ov_settings).encode(texts)).sum(1)
    assert np.all(near > 0.95) and near.mean() > 0.98
    assert [p.name for p in ov_settings.models_dir.iterdir() if "openvino" in p.name] == ["model-openvino-int8"]
    source = write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(3)])
    assert ingest([source], ov_settings).new == 3
    assert PaperRetriever(ov_settings).search("speech recognition", mode="dense")[0].title.startswith("Study 1")
    with pytest.raises(UserError, match=r"built with embedder all-MiniLM-L6-v2\+openvino-int8"):
        open_store(make_settings(tmp_path / "b", embed=TORCH))


def test_a_store_built_with_one_variant_is_refused_by_another(tmp_path):
    source = write_jsonl(tmp_path / "p.jsonl", [paper_record(i) for i in range(3)])
    ingest([source], make_settings(tmp_path / "data", embed=TORCH))
    with pytest.raises(UserError, match=r"built with embedder all-MiniLM-L6-v2 .*not all-MiniLM-L6-v2\+int8"):
        open_store(make_settings(tmp_path / "data", embed=INT8))
    int8 = make_settings(tmp_path / "int8", embed=INT8)
    assert ingest([source], int8).new == 3
    assert PaperRetriever(int8).search("speech recognition", mode="dense")[0].title.startswith("Study 1")


def test_a_store_from_before_the_catalog_is_refused_for_reading_and_reindexed_by_ingest(tmp_path):
    settings = make_settings(tmp_path / "data")
    old = PaperStore(settings, embedder.model_name(settings), embedder.dimension(settings))
    old.collection.add(ids=["x#0"], embeddings=[[0.05] * 384], documents=["old"], metadatas=[{"paper_id": "x", "chunk": 0}])
    with pytest.raises(UserError, match="written by an older PaperChat"):
        open_store(settings)
    report = ingest([write_jsonl(tmp_path / "p.jsonl", [paper_record(1)])], settings)
    assert report.reindexed_legacy and report.new == 1
    store = open_store(settings)
    assert (store.count_papers(), store.collection.get(ids=["x#0"])["ids"]) == (1, [])


def test_threads_asking_for_the_encoder_at_once_share_one_int8_model_made_once_and_embed_side_by_side(tmp_path):
    """The chat page's warm-up and its first indexing ask for the encoder at the same moment on a fresh data dir."""
    from concurrent.futures import ThreadPoolExecutor

    settings = Settings(data_dir=tmp_path / "data")  # its own models folder: the int8 model is made here
    with ThreadPoolExecutor(2) as pool:
        first, second = [f.result() for f in [pool.submit(embedder.load_encoder, settings) for _ in range(2)]]
    assert first is second
    assert [p.name for p in settings.models_dir.iterdir()] == ["model-openvino-int8"]  # no half-made copy beside it
    # eight answers embed their questions at once (each of its own length): none hangs (daemon threads, so that a hang
    # fails the test instead of stopping the run), and every one gets its own vector
    questions = [" ".join(["which paper reads abstracts"] * n) + "?" for n in range(1, 9)]
    vectors: dict[int, np.ndarray] = {}
    threads = [threading.Thread(target=lambda i=i: vectors.update({i: first.encode([questions[i]])[0]}), daemon=True)
               for i in range(len(questions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(vectors) == len(questions), "a thread embedding a question never returned"
    assert np.allclose(np.vstack([vectors[i] for i in range(len(questions))]), first.encode(questions), atol=1e-3)
