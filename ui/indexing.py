"""The page comes up before a first index is built: ``serve`` on an empty store indexes the bundled corpus in the
background (``Indexing.start``), the page shows how far it has got, and a question asked meanwhile is told to wait
instead of being answered from half an index."""

import logging
import threading
from pathlib import Path

from rag.ingest.pipeline import ingest
from rag.settings import Settings

log = logging.getLogger(__name__)


class Indexing:
    """Where a background ingest stands; also what ``ingest`` reports its progress to (rich's add_task/update)."""

    def __init__(self):
        self.running = False
        self.papers = 0
        self.stage = ""
        self.failed = ""
        self._thread: threading.Thread | None = None

    def start(self, paths: list[Path], settings: Settings) -> "Indexing":
        self.running, self.stage = True, "Indexing the papers"

        def run() -> None:
            try:
                report = ingest(paths, settings, progress=self)
                if not report.papers:
                    self.failed = "; ".join(str(r) for r in report.rejected[:2]) or "no papers were found"
            except Exception as err:  # said on the page; the log has the traceback
                log.exception("indexing failed")
                self.failed = f"{type(err).__name__}: {err}"
            finally:
                self.running = False

        self._thread = threading.Thread(target=run, name="first-index", daemon=True)
        self._thread.start()
        return self

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def add_task(self, description: str, total=None) -> int:
        self.stage = description
        return 0

    def update(self, task: int, completed: int | None = None, description: str | None = None, **_) -> None:
        self.papers = completed if completed is not None else self.papers
        self.stage = description or self.stage

    def line(self) -> str:
        """One line for the page ('' when there is nothing to say)."""
        if self.failed:
            return f"⚠ Indexing failed: {self.failed}. Run `paperchat ingest` and restart the page."
        if self.running:
            done = f": {self.papers} papers so far" if self.papers else " (a few seconds to a minute)"
            return f"⏳ {self.stage}{done}. Questions can be asked when it is done; this line then goes."
        return ""
