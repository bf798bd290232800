"""The components' settings: embedder, chunking, retrieval, the model and its server, the page."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class _LocalModel(BaseModel):
    """A component whose ``model_path`` is read on this machine (every backend but a server's): a path that does not
    exist is said when the settings load, not at the first question."""

    @model_validator(mode="after")
    def _model_exists(self):
        self.model_path = self.model_path.expanduser() if self.model_path else None
        if self.model_path and self.backend != "openai" and not self.model_path.exists():
            raise ValueError(f"model_path {self.model_path} does not exist")
        return self


class EmbedSettings(_LocalModel):
    backend: Literal["torch", "onnx-int8", "openvino-int8", "openai"] = Field(
        "openvino-int8", description="openvino-int8: int8 on OpenVINO, calibrated on the bundled abstracts (the "
        "default: the whole ACL ingest, 29,868 abstracts on a 2-core Zen 5 EPYC with VNNI, 121 a second against 68 for "
        "torch in bf16, peak RSS 1.6 against 2.0 GB; retrieval nDCG@10 within 0.01 of torch on the bundled and ACL "
        "dev and test sets); torch: sentence-transformers in this process (fp32 or bf16: ``precision``); onnx-int8: "
        "its int8 ONNX export (dynamic quantisation); the int8 models are made once (~20-35 s), cached under DATA_DIR/models; openai: an "
        "OpenAI-compatible server")
    precision: Literal["auto", "fp32", "bf16"] = Field("auto", description="backend=torch: bf16 (the model's weights "
                                                      "in bf16) computes the same vectors (cosine >= 0.9999 to fp32, "
                                                      "bench/embed.py) about 2.4x faster where the CPU has bf16 "
                                                      "instructions (600 ACL abstracts, 2-core Sapphire Rapids: 87 against 37 "
                                                      "a second); auto: bf16 there, else fp32 (emulated bf16 is slower)")
    model_path: Path | None = Field(None, description="sentence-transformers folder; None = the packaged all-MiniLM-L6-v2")
    batch_size: int | None = Field(None, ge=1, description="texts per forward pass; None: 32 in bf16, 8 otherwise. "
                                   "Length-sorted and padded (pad_multiple), 3,000 ACL abstracts in bf16 took 58-65 s "
                                   "at 32 against 72-73 s at 8 (peak RSS 1.3 against 1.0 GB; all 29,868: 2.0 GB); "
                                   "in fp32 on an AVX2 CPU, 8 was the fastest")
    pad_multiple: int = Field(16, ge=1, description="each batch padded to a multiple of this many word pieces: every "
                              "new input shape gets kernels of its own in the CPU's math library, kept for good; 16 "
                              "shapes instead of 256 took the encoder's memory after 6,000 chunks from 1.55 to 0.70 GB "
                              "(bf16; fp32 1.01 to 0.72) and made bf16 10-25% faster (1: pad to the longest only)")
    base_url: str = Field("http://127.0.0.1:7997/v1", description="embeddings server (backend=openai), up to /embeddings")
    model_name: str = Field("all-MiniLM-L6-v2", description="model name sent to the server; also what the store records, "
                            "so a server running the packaged model shares stores with the local embedder")
    api_key: str = "not-needed"
    server_batch_size: int = Field(64, ge=1, description="texts per request to the embeddings server")
    max_tokens: int = Field(256, description="the embedder's input window in word pieces; longer text is cut silently")


class ChunkSettings(BaseModel):
    tokens: int = Field(160, description="chunk size in the embedder's word pieces, title included")
    overlap: int = Field(32, description="word pieces shared by neighbouring chunks")
    whole: int = Field(254, ge=0, description="an abstract whose title and text fit in this many word pieces is one "
                       "chunk (254: the embedder's 256 less its two markers; 0: always split at `tokens`)")


class RetrievalSettings(BaseModel):
    mode: RetrievalMode = "hybrid"
    top_k: int = Field(5, ge=1, le=100, description="papers returned")
    candidates: int = Field(40, ge=1, description="chunks each retriever contributes before fusion")


class ModelServerSettings(BaseModel):
    """llama.cpp's own server for backend=llama_server: a child process on 127.0.0.1 that PaperChat starts and stops."""
    binary: Path | None = Field(None, description="llama-server executable; None = the one scripts/install.sh built")
    port: int | None = Field(None, ge=1, le=65535, description="None = any free port")
    batch: int = Field(128, ge=16, le=4096, description="tokens per forward pass: a smaller one lets waiting prompts and "
                       "answers being written take turns sooner")
    cache_ram_mib: int = Field(256, ge=0, description="host memory for llama.cpp's prompt cache (0 = none)")
    ready_timeout_s: float = Field(300, gt=0, description="longest wait for the server to load the model")
    stop_grace_s: float = Field(2.0, gt=0, description="on exit, how long the server may take to stop before it is "
                                "killed (llama-server finishes the request it is reading or writing first: up to a minute)")


class LLMSettings(_LocalModel):
    backend: Literal["llama_server", "llama_cpp", "transformers", "openai"] = Field(
        "llama_server", description="llama_server: the GGUF served by a llama.cpp server process with parallel slots; "
        "llama_cpp: the GGUF in this process (one answer at a time); transformers: a Hugging Face folder or GGUF; "
        "openai: any OpenAI-compatible server at base_url")
    model_path: Path | None = Field(None, description="GGUF file or HF folder; None = the packaged Qwen2.5-Coder-1.5B GGUF")
    context_window: int = Field(4096, ge=256, description="tokens one answer may use (per slot for llama_server)")
    max_new_tokens: int = Field(256, ge=1)
    temperature: float = Field(0.0, ge=0)
    threads: int | None = Field(None, ge=1, description="CPU threads for llama.cpp; None = all available cores")
    parallel: int = Field(8, ge=1, le=64, description="answers written at once: the llama_server's slots, or requests "
                          "sent at once to an openai server (in-process backends write one at a time); more wait in a "
                          "queue and are told their place")
    request_timeout_s: float = Field(300, gt=0, description="longest wait for one reply of a model server, time queued "
                                     "behind other answers' calls included (an eval at --parallel 4 on 2 cores waited "
                                     "over 120 s)")
    keep_examples: bool = Field(True, description="warm-up has a model server read the long few-shot examples once "
                                "(the metadata filter's), so that the first such question does not wait for them")
    server: ModelServerSettings = Field(default_factory=ModelServerSettings)
    base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible server (backend=openai)")
    model_name: str = Field("local-model", description="model name sent to the OpenAI-compatible server")
    api_key: str = "not-needed"


class UISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    username: str | None = None
    password: str | None = None
    users: dict[str, str] = Field(default_factory=dict, description="more logins, name -> password (e.g. "
                                  "PAPERCHAT_UI__USERS='{\"ada\": \"...\", \"bo\": \"...\"}'); each user sees only "
                                  "their own chats and feedback")
    max_upload_mb: int = Field(50, ge=1, description="largest file the page accepts for 'Add papers' (megabytes)")
    concurrency: int = Field(64, ge=1, description="chats the page serves at once, answering or waiting their turn "
                             "for the model (llm.parallel answers are written at once)")

    def logins(self) -> list[tuple[str, str]]:
        """Every (name, password) the page accepts; none: the page is open to whoever reaches it."""
        single = [(self.username, self.password)] if self.username and self.password else []
        return single + [(name, password) for name, password in self.users.items() if name and password]

