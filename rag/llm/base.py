"""The one interface every answer-model backend implements; nothing outside a backend touches its internals.

A backend is cheap to make: the model loads on first use (or ``warm``). What strategies need from a model:
- ``stream``: the reply's text deltas (closing the generator stops the model writing);
- ``next_word``: the probability of each option as the reply's next word, read from the logits, not sampled;
- ``structured``: JSON constrained to a JSON schema where the backend can (the caller validates it);
- ``capacity`` / ``lock``: how many answers it writes at once, and what to hold while one is written;
- ``warm``: load, and read the prompt start every call shares once; ``keep``: have a server read more prompt starts
  once (its cache keeps them); ``describe``: one line for people.
"""

import contextlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator

from rag.settings import Settings


def variants(option: str) -> set[str]:
    """How an option may appear as the model's first token: with or without a leading space and capital."""
    return {option, option.lower(), option.capitalize(), " " + option, " " + option.lower(), " " + option.capitalize()}


class Backend(ABC):
    served = False  # behind a server that schedules requests itself: nothing to hold while writing

    def __init__(self, settings: Settings, prefix: list[dict] | None = None):
        self.settings = settings
        self.prefix = prefix  # messages every prompt starts with, read once where the backend can
        self._model = None
        self._load_lock = threading.Lock()
        self._write_lock = threading.Lock()

    @property
    def model(self):
        """The loaded model (or the client of its server), loaded once, thread-safe."""
        with self._load_lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    @abstractmethod
    def _load(self):
        """Load the model; raise UserError with one line when it cannot be."""

    @property
    def capacity(self) -> int:
        """Answers written at once: a server's parallel slots, or one for a model in this process."""
        return self.settings.llm.parallel if self.served else 1

    def lock(self):
        """Held while a model in this process writes (llama.cpp aborts when two threads use one model)."""
        return contextlib.nullcontext() if self.served else self._write_lock

    @abstractmethod
    def stream(self, messages: list[dict], max_tokens: int | None = None) -> Iterator[str]:
        """Text deltas of the reply to ``messages`` (role/content dicts)."""

    def complete(self, messages: list[dict], max_tokens: int | None = None) -> str:
        """The whole reply (the caller holds ``lock``, as for every call)."""
        with contextlib.closing(self.stream(messages, max_tokens)) as deltas:
            return "".join(deltas)

    def choose(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        """The options' probabilities as the reply's next word, normalised over the options."""
        raw = self.next_word(messages, options)
        total = sum(raw.values()) or 1.0
        return {o: p / total for o, p in raw.items()}

    @abstractmethod
    def next_word(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        """Each option's probability (its first token, any of ``variants``) as the next token of the reply."""

    @abstractmethod
    def structured(self, messages: list[dict], schema: dict, max_tokens: int) -> str:
        """The reply as JSON text, constrained to ``schema`` where the backend can."""

    def warm(self) -> None:
        """Load the model and have it read ``prefix``, so that no answer reads it again: a model in this process
        keeps the last prompt it read."""
        _ = self.model
        if self.prefix:
            with self.lock(), contextlib.closing(self.stream(self.prefix, max_tokens=1)) as deltas:
                next(deltas, None)

    def keep(self, prompts: list[list[dict]], busy: Callable[[], bool] = lambda: False) -> None:
        """Have a model server read each of ``prompts`` once, so that the first call that starts the same way finds
        that start in its prompt cache: as many as it has slots to spare, the first first (a server of one slot would
        make the first question wait for the reading, and the slot would lose the system prompt). A model in this
        process keeps only the last prompt it read: nothing to do. None is read once ``busy()``: a question asked
        while serve warms up must not share the cores with a reading that only saves a later question time (a
        question asked 24 s after the start took 25 s instead of 50 s on 2 cores, the reading skipped)."""
        if self.served:
            for messages in prompts[: self.capacity - 1]:
                if busy():
                    return
                self.complete(messages, max_tokens=1)

    def close(self) -> None:
        """Stop what this backend started (a model server process); a model in this process needs nothing."""
        return None

    @abstractmethod
    def describe(self) -> str:
        """One line: what model, run how."""
