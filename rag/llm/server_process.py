"""A model server as a child process: started on 127.0.0.1, ready when its /health says so, restarted if it dies,
stopped when PaperChat stops.

No orphans: the child runs in its own session (a Ctrl-C in the terminal reaches only PaperChat, which then stops
it), is stopped at exit (atexit), and watches its parent itself, so even a ``kill -9`` of PaperChat ends it
within a second (see ``llama_server.watch_parent``).
"""

import atexit
import json
import logging
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from rag.errors import UserError

log = logging.getLogger(__name__)


class Exited(UserError):
    """The server process ended while starting (killed, out of memory): started again like one that dies later."""


def ended(code: int) -> str:
    """How a process ended, from its exit code: a signal's name where a shell's 128 + N (or Popen's -N) says one."""
    number = -code if code < 0 else code - 128 if code > 128 else 0
    try:
        return f"crashed ({signal.Signals(number).name})" if number else f"exited with code {code}"
    except ValueError:
        return f"exited with code {code}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, command: Callable[[int], list[str]], log_path: Path, port: int | None = None,
                 host: str = "127.0.0.1", on_ready: Callable[[], None] | None = None, ready_timeout_s: float = 300,
                 max_restarts: int = 3):
        self._command, self.log_path, self.host = command, log_path, host
        self.port = port or free_port(host)
        self._on_ready, self._ready_timeout_s, self._max_restarts = on_ready, ready_timeout_s, max_restarts
        self._proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._started_at = 0.0
        self.restarts = 0  # in a row: a server that then ran for a minute starts the count again

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self) -> "ServerProcess":
        atexit.register(self.stop)
        try:
            while True:
                try:
                    self._launch()
                    break
                except Exited as err:
                    if not self._may_restart(err):
                        raise
        except BaseException:
            self.stop()
            raise
        threading.Thread(target=self._watch, name="model-server-watch", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        proc = self._proc
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def _launch(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab" if self._proc else "wb") as log_file:  # a restart keeps the crash's log
            self._proc = subprocess.Popen(self._command(self.port), stdin=subprocess.DEVNULL, stdout=log_file,
                                          stderr=subprocess.STDOUT, start_new_session=True)
        self._started_at = time.monotonic()
        self._wait_ready()
        if self._on_ready:
            self._on_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self._ready_timeout_s
        while time.monotonic() < deadline and not self._stopping.is_set():
            if self._proc.poll() is not None:
                raise Exited(f"the model server {ended(self._proc.returncode)} while starting; "
                                f"its log: {self.log_path} ({self._last_log_line()})")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as reply:
                    if json.load(reply).get("status") == "ok":
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        if not self._stopping.is_set():
            self.stop()
            raise UserError(f"the model server did not become ready in {self._ready_timeout_s:.0f} s; its log: {self.log_path}")

    def _watch(self) -> None:
        while not self._stopping.is_set():
            code = self._proc.wait()
            if self._stopping.is_set() or not self._may_restart(ended(code)):
                return
            try:
                self._launch()
            except Exited:
                continue  # died again while starting: counted by the next round
            except UserError as err:
                log.error("%s", err)
                return

    def _may_restart(self, why) -> bool:
        """Whether to start the server again after it died (``why``), at most ``max_restarts`` times in a row."""
        if time.monotonic() - self._started_at > 60:
            self.restarts = 0
        if self.restarts >= self._max_restarts:
            log.error("the model server died (%s) %d times; not restarting it. Log: %s", why, self.restarts + 1, self.log_path)
            return False
        self.restarts += 1
        log.warning("the model server died (%s); restarting it (%d/%d)", why, self.restarts, self._max_restarts)
        return True

    def _last_log_line(self) -> str:
        try:
            lines = [line for line in self.log_path.read_text(errors="replace").splitlines() if line.strip()]
        except OSError:
            return "no log"
        return lines[-1][-300:] if lines else "empty log"
