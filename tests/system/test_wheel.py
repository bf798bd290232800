"""A non-editable install (a wheel built from this tree) carries every prompt template and labelled example set."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADS = """
import rag
from rag.answer.prompts import PLACEHOLDERS, check, load_prompt
from rag.answer.kinds.metadata import check_examples
from rag.answer.kinds.router import load_examples
from rag.answer.followup import EXAMPLES as FOLLOWUPS
check(); check_examples()
assert load_examples() and FOLLOWUPS.is_file()
print(rag.__file__)
"""


def test_a_wheel_installed_elsewhere_loads_every_prompt_and_example_set(tmp_path):
    source = tmp_path / "src"  # build from a copy: the working tree gets no build/ folder
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".*", "*.egg-info", "build", "dist", "runs", "__pycache__",
                                                                "test-output", "bench-output", "data"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source], check=True)
    wheel = next((tmp_path / "dist").glob("paperchat-*.whl"))
    subprocess.run([*pip, "install", "--no-deps", "--target", tmp_path / "site", wheel], check=True)
    shutil.rmtree(source)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    done = subprocess.run([sys.executable, "-c", LOADS], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().startswith(str(tmp_path / "site")), done.stdout  # the wheel's copy, not this tree
