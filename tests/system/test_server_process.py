"""A model server process that dies while starting is started again, like one that dies later (real processes)."""

import sys

import pytest

from rag.errors import UserError
from rag.llm.server_process import ServerProcess

# dies at once on its first runs (the count is kept in a file), then serves /health until stopped
SERVER = """
import http.server, json, os, pathlib, signal, sys
runs = pathlib.Path(sys.argv[1]); n = int(runs.read_text() or 0) + 1 if runs.exists() else 1; runs.write_text(str(n))
if n <= int(sys.argv[3]):
    os.kill(os.getpid(), signal.SIGSEGV) if sys.argv[4] == "crash" else sys.exit(3)
class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"status": "ok"}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[2])), Health).serve_forever()
"""


def server(tmp_path, deaths: int, how: str = "exit") -> ServerProcess:
    runs = tmp_path / "runs"
    return ServerProcess(lambda port: [sys.executable, "-c", SERVER, str(runs), str(port), str(deaths), how],
                         tmp_path / "server.log", ready_timeout_s=20, max_restarts=3)


def test_a_server_that_dies_while_starting_is_started_again(tmp_path):
    process = server(tmp_path, deaths=2).start()
    try:
        assert (tmp_path / "runs").read_text() == "3" and process.restarts == 2
    finally:
        process.stop()


def test_one_that_keeps_dying_is_given_up_with_one_clear_line(tmp_path):
    with pytest.raises(UserError, match="exited with code 3 while starting"):
        server(tmp_path, deaths=10).start()
    assert (tmp_path / "runs").read_text() == "4"  # the first start and three more


def test_a_crash_is_named_by_its_signal_not_a_bare_exit_code(tmp_path):
    with pytest.raises(UserError, match=r"crashed \(SIGSEGV\) while starting"):
        server(tmp_path, deaths=10, how="crash").start()
