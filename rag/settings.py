"""All configuration in one typed place.

Sources, highest priority first: keyword arguments, environment variables (``PAPERCHAT_`` prefix,
``__`` between group and field, e.g. ``PAPERCHAT_RETRIEVAL__MODE=bm25``), a TOML file
(``PAPERCHAT_CONFIG`` or ``./paperchat.toml``), then the defaults below. Zero configuration works.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

RetrievalMode = Literal["hybrid", "dense", "bm25"]


class EmbedSettings(BaseModel):
    backend: Literal["torch", "onnx-int8", "openai"] = Field("torch", description="torch: sentence-transformers in this "
                                                             "process; onnx-int8: its int8 ONNX export (made once, cached "
                                                             "under DATA_DIR/models); openai: an OpenAI-compatible server")
    model_path: Path | None = Field(None, description="sentence-transformers folder; None = the packaged all-MiniLM-L6-v2")
    batch_size: int = Field(8, ge=1, description="texts per forward pass (small batches of length-sorted texts were "
                            "fastest on 2 cores)")
    base_url: str = Field("http://127.0.0.1:7997/v1", description="embeddings server (backend=openai), up to /embeddings")
    model_name: str = Field("all-MiniLM-L6-v2", description="model name sent to the server; also what the store records, "
                            "so a server running the packaged model shares stores with the local embedder")
    api_key: str = "not-needed"
    server_batch_size: int = Field(64, ge=1, description="texts per request to the embeddings server")
    max_tokens: int = Field(256, description="the embedder's input window in word pieces; longer text is cut silently")


class ChunkSettings(BaseModel):
    tokens: int = Field(160, description="chunk size in the embedder's word pieces, title included")
    overlap: int = Field(32, description="word pieces shared by neighbouring chunks")


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


class LLMSettings(BaseModel):
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
    server: ModelServerSettings = Field(default_factory=ModelServerSettings)
    base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible server (backend=openai)")
    model_name: str = Field("local-model", description="model name sent to the OpenAI-compatible server")
    api_key: str = "not-needed"


class SentenceSettings(BaseModel):
    """The evidence sentences every model call about a question reads (rag/answer/sentences.py)."""
    papers: int = Field(2, ge=1, description="papers whose sentences are offered, the best by evidence score")
    per_paper: int = Field(3, ge=1, description="sentences offered per paper at most")
    most: int = Field(5, ge=1, le=9, description="sentences offered in all")


class JudgeSettings(BaseModel):
    """Whether the evidence answers the question: the model's calibrated Yes/No (rag/answer/judge.py)."""
    instructions: list[str] = Field(["judge_states"], min_length=1, description="prompt templates asking whether the "
                                    "sentences answer (averaged; a second one added nothing on the dev split)")
    relevance_weight: float = Field(3.0, ge=0, description="weight of the question's best passage cosine in the score")
    min_score: float = Field(2.0, description="score (calibrated log-odds shift + weight x relevance) below which a "
                             "detail question is refused: about 5% false refusals on the dev split")


class YesNoSettings(BaseModel):
    min_score: float = Field(1.5, description="judge score below which a yes/no question gets no verdict (lower than a "
                             "detail's: a 'no' often rests on a sentence that says otherwise)")
    verdict_above: float = Field(0.7, description="the model's log-odds of Yes over No, with the sentences, above which "
                                 "the verdict is Yes (set on the dev splits of two domains: bundled papers and ACL)")


class IdentifySettings(BaseModel):
    candidates: int = Field(20, ge=1, le=100, description="papers retrieved for an identify question")
    judged: int = Field(4, ge=1, description="of those, the first this many are judged by the model")
    sentences: int = Field(1, ge=1, description="best sentences the model reads of each judged paper, with its title")
    min_score: float = Field(2.5, description="judge score (log-odds shift + weight x relevance) the best paper needs")
    gap: float = Field(0.3, ge=0, description="papers judged within this of the best are named too")


class MetadataSettings(BaseModel):
    """Metadata questions: the model writes a typed filter over the stored metadata (rag/answer/strategies/metadata.py)."""
    route_above: float = Field(0.2, ge=0, le=1, description="router probability of the metadata kind above which the "
                               "model is asked for a filter (a filter with no constraint sends the question on)")
    filter_tokens: int = Field(96, ge=16, description="tokens the model may write for the filter")
    candidates: int = Field(40, ge=1, le=100, description="papers retrieved when the question also names a topic")
    topic_relevance: float = Field(0.25, description="a filtered paper needs this dense similarity to the topic the "
                                   "question names (recall 1.00 of the dev survey questions' papers)")
    max_listed: int = Field(25, ge=1, description="papers listed at most")


class AnswerSettings(BaseModel):
    refusal: str = "The indexed papers do not say."
    unsettled: str = Field("The abstracts do not settle it.", description="yes/no questions the evidence does not settle")
    sentences: SentenceSettings = Field(default_factory=SentenceSettings)
    judge: JudgeSettings = Field(default_factory=JudgeSettings)
    yesno: YesNoSettings = Field(default_factory=YesNoSettings)
    identify: IdentifySettings = Field(default_factory=IdentifySettings)
    metadata: MetadataSettings = Field(default_factory=MetadataSettings)
    followup_above: float = Field(0.5, ge=0, le=1, description="a message in a chat is rewritten with the conversation "
                                  "only when it depends on it with at least this probability (rag/answer/followup.py)")
    max_sources: int = Field(2, ge=1, description="papers put in the prompt at most")
    evidence_tokens: int = Field(120, ge=20, description="tokens of question-focused excerpts in the prompt, shared by its papers")
    identify_min_evidence: float = Field(0.45, description="summary: best sentence score a paper needs to be summarised")
    survey_candidates: int = Field(8, ge=1, description="survey questions: papers retrieved")
    survey_min_evidence: float = Field(0.45, description="survey: best sentence score a paper needs to get a line")
    survey_gap: float = Field(0.25, ge=0, description="survey: papers this far below the best one's evidence score get no line")
    survey_max_papers: int = Field(6, ge=1, description="survey: lines at most")
    survey_lines: Literal["evidence", "model"] = Field("evidence", description="survey lines from each paper's best "
                                                       "sentence, or one short model call per paper")
    summary_tokens: int = Field(400, ge=40, description="summary questions: tokens of the abstract the model reads "
                                "(a whole abstract, as a rule: the main result is often its last sentence)")
    min_relevance: float = Field(0.20, description="best dense similarity below which the question is refused unread: a "
                                 "floor for questions about nothing indexed (answerable dev questions start at 0.40); "
                                 "whether the evidence answers is judged by the model")


class UISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    username: str | None = None
    password: str | None = None
    concurrency: int = Field(64, ge=1, description="chats the page serves at once, answering or waiting their turn "
                             "for the model (llm.parallel answers are written at once)")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAPERCHAT_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("paperchat")))
    chroma_host: str | None = Field(None, description="use a Chroma server instead of the embedded store")
    chroma_port: int = 8000
    collection: str = "papers"
    model_cache_dir: Path | None = Field(None, description="where the packaged GGUF is assembled; None = DATA_DIR/models")

    embed: EmbedSettings = EmbedSettings()
    chunk: ChunkSettings = ChunkSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    llm: LLMSettings = LLMSettings()
    answer: AnswerSettings = AnswerSettings()
    ui: UISettings = UISettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return init_settings, env_settings, toml, file_secret_settings

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"


def config_file() -> Path | None:
    explicit = os.environ.get("PAPERCHAT_CONFIG")
    if explicit:
        return Path(explicit)
    local = Path("paperchat.toml")
    return local if local.is_file() else None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings; a config file that is not TOML, or a value of the wrong type, is a one-line UserError."""
    import tomllib

    from pydantic import ValidationError

    from rag.errors import UserError

    path = config_file()
    if path and not path.is_file():
        raise UserError(f"PAPERCHAT_CONFIG names {path}, which is not a file")
    where = f"config file {path} or a PAPERCHAT_ variable" if path else "a PAPERCHAT_ environment variable"
    try:
        return Settings()
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"config file {path} is not valid TOML: {err}") from err
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise UserError(f"{where}: {field}: {first['msg']} (got {first.get('input')!r})") from err
    except OSError as err:
        raise UserError(f"cannot read {where}: {err}") from err
