"""All configuration in one typed place: the components here, how questions are answered in answer.py.

Sources, highest priority first: keyword arguments, environment variables (``PAPERCHAT_`` prefix,
``__`` between group and field, e.g. ``PAPERCHAT_RETRIEVAL__MODE=bm25``), a TOML file
(``PAPERCHAT_CONFIG`` or ``./paperchat.toml``), then the defaults below. Zero configuration works.
"""

import os
from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from rag.settings.answer import AnswerSettings
from rag.settings.components import (
    ChunkSettings,
    EmbedSettings,
    LLMSettings,
    RetrievalMode,
    RetrievalSettings,
    UISettings,
)

__all__ = ["BUNDLED_CORPUS", "AnswerSettings", "ChunkSettings", "EmbedSettings", "LLMSettings", "RetrievalMode",
           "RetrievalSettings", "Settings", "UISettings", "get_settings"]

# the Daily Papers listing pages shipped with the project: what a new user's first `serve` indexes
BUNDLED_CORPUS = Path(__file__).resolve().parents[2] / "data" / "daily-papers"


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

    @field_validator("data_dir", "model_cache_dir")
    @classmethod
    def _a_folder(cls, path: Path | None) -> Path | None:
        path = path.expanduser() if path else path
        if path and path.exists() and not path.is_dir():
            raise ValueError(f"{path} is a file, not a folder")
        return path

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
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.sqlite3"

    @property
    def conversations_path(self) -> Path:
        return self.data_dir / "conversations.sqlite3"

    @property
    def latest_eval_path(self) -> Path:
        """Where ``paperchat eval`` notes its latest run over this store (the page's Evaluation tab reads it)."""
        return self.data_dir / "eval" / "latest.json"

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
