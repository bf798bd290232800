"""backend=llama_server: the GGUF served by llama.cpp's own ``llama-server`` (built for this CPU by scripts/install.sh)
in a child process.

Several answers are written at once (``llm.parallel`` slots, continuous batching: one forward pass advances every
answer under way, and a waiting prompt is read in ``server.batch``-token pieces between them). Every answer's
prompt starts with the same system prompt: while the server starts, before any answer can reach it, the prompt is
read once, in slot 0, and its KV cache copied into every other slot (llama.cpp's slot save/restore, about a
millisecond each). After a restart it is read once more, by an ordinary request only: a slot action sent while
answers are running can be deferred by llama.cpp and then strand a request queued behind it.
PaperChat talks to the server as to any OpenAI-compatible one (openai_backend.py).

    python -m rag.llm.llama_server --parent PID GRACE_S -- llama-server ARGS   (what ServerProcess runs; not for users)
"""

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from rag.errors import UserError
from rag.llm.openai_backend import OpenAIBackend
from rag.llm.server_process import ServerProcess
from rag.settings import Settings

BUILT = Path(sys.prefix) / "llama.cpp" / "bin" / "llama-server"  # where scripts/install.sh puts it
_servers: dict[str, "LlamaServer"] = {}
_lock = threading.Lock()
log = logging.getLogger(__name__)


class LlamaServer:
    def __init__(self, settings: Settings):
        from rag.llm.llama_cpp_backend import model_path

        self.llm = settings.llm
        self.model = model_path(self.llm, settings.models_dir)
        self.slot_dir = settings.cache_dir / "slots"
        self.prefix: list[dict] | None = None
        self.process = ServerProcess(self._command, settings.data_dir / "logs" / "model-server.log",
                                     port=self.llm.server.port, on_ready=self._prime_again,
                                     ready_timeout_s=self.llm.server.ready_timeout_s)

    @property
    def base_url(self) -> str:
        return f"{self.process.url}/v1"

    def _command(self, port: int) -> list[str]:
        llm, server = self.llm, self.llm.server
        binary = Path(server.binary or BUILT).expanduser()
        if not os.access(binary, os.X_OK):
            raise UserError(f"llama.cpp's server {binary} is not there: run `bash scripts/install.sh`, set "
                            "PAPERCHAT_LLM__SERVER__BINARY, or set PAPERCHAT_LLM__BACKEND=llama_cpp")
        threads = str(llm.threads or len(os.sched_getaffinity(0)))
        self.slot_dir.mkdir(parents=True, exist_ok=True)
        return [sys.executable, "-m", "rag.llm.llama_server", "--parent", str(os.getpid()), str(server.stop_grace_s),
                "--", str(binary), "--model", str(self.model), "--alias", "local-model", "--host", "127.0.0.1",
                "--port", str(port),
                "--parallel", str(llm.parallel), "--ctx-size", str(llm.context_window * llm.parallel),
                "--threads", threads, "--threads-batch", threads, "--batch-size", str(server.batch),
                "--ubatch-size", str(server.batch), "--cache-ram", str(server.cache_ram_mib),
                "--slot-save-path", str(self.slot_dir), "--metrics", "--no-webui",
                # one HTTP thread per open connection: a client's idle keep-alive connections must not starve the
                # slots (llama.cpp's default is slots + 2, which hung a question when one slot was configured)
                "--threads-http", str(4 * llm.parallel + 4)]

    def prime(self, messages: list[dict]) -> None:
        """Read ``messages`` (the shared prefix) once and give every slot its cache. Only while nothing else is
        sent to the server (see the module's docstring)."""
        self.prefix, saved = messages, f"prefix-{self.process.port}.bin"
        self._read(messages, slot=0)
        self._post("/slots/0?action=save", {"filename": saved})
        for slot in range(1, self.llm.parallel):
            self._post(f"/slots/{slot}?action=restore", {"filename": saved})

    def _read(self, messages: list[dict], slot: int | None = None) -> None:
        self._post("/v1/chat/completions", {"messages": messages, "max_tokens": 1, "cache_prompt": True,
                                            **({"id_slot": slot} if slot is not None else {})})

    def _prime_again(self) -> None:
        """After a restart (answers may be running): one ordinary request reads the prefix again."""
        if self.prefix:
            try:
                self._read(self.prefix)
            except OSError as err:
                log.warning("could not prime the restarted model server: %s", err)

    def _post(self, path: str, body: dict) -> dict:
        request = urllib.request.Request(self.process.url + path, json.dumps(body).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.llm.server.ready_timeout_s) as reply:
            return json.load(reply)


def server_for(settings: Settings) -> LlamaServer:
    """This process's server for these model settings (whatever the store), started on first use, stopped at exit."""
    key = settings.llm.model_dump_json() + str(settings.models_dir)
    with _lock:
        if key not in _servers:
            server = LlamaServer(settings)
            server.process.start()
            _servers[key] = server
        return _servers[key]


class LlamaServerBackend(OpenAIBackend):
    def _load(self) -> str:
        """Called once, under the backend's load lock: nothing else reaches the server while it is primed."""
        server = server_for(self.settings)
        if self.prefix:
            server.prime(self.prefix)
        return server.base_url

    def close(self) -> None:
        with _lock:
            for server in _servers.values():
                server.process.stop()

    def describe(self) -> str:
        from rag.llm.packaged_gguf import DESCRIPTION

        llm = self.settings.llm
        return f"llama_server: {llm.model_path or DESCRIPTION} ({llm.parallel} slots in a llama.cpp server process)"


def main(argv: list[str]) -> int:
    """``--parent PID GRACE_S -- llama-server ARGS``: run llama-server and stop it as soon as the parent process is gone
    (even after a kill -9 of PaperChat), or this process is asked to stop; exit with its exit code. Asked to stop,
    llama-server first finishes the request under way (measured: 58 s for a long answer), so after GRACE_S it is
    killed."""
    parent, grace, command = int(argv[1]), float(argv[2]), argv[4:]
    server = subprocess.Popen(command, preexec_fn=_die_with_parent)  # this process is single-threaded: safe here
    stopping: list[float] = []

    def stop(*_) -> None:
        server.terminate()
        stopping.append(time.monotonic())

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    while server.poll() is None:
        if os.getppid() != parent and not stopping:
            stop()
        if stopping and time.monotonic() - stopping[0] > grace:
            server.kill()
        time.sleep(0.2)
    return 128 - server.returncode if server.returncode < 0 else server.returncode  # a signal: 128 + N, as a shell


def _die_with_parent() -> None:
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: this wrapper gone (kill -9), the server goes


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
