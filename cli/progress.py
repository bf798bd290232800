"""Progress of long commands (ingest, eval): a live bar on a terminal; elsewhere (a log file, CI) a plain line now and
then, as a bar redrawn in place writes nothing a file keeps."""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

PLAIN_EVERY_S = 30.0  # a plain line at most this often (and at the end of each task)


class PlainProgress:
    """The part of rich's Progress the commands use (add_task, update, advance), as lines like
    "Evaluating dev.jsonl: 40/130 (1m12s)"."""

    def __init__(self, console: Console, every_s: float = PLAIN_EVERY_S):
        self.console, self.every_s = console, every_s
        self.tasks: dict[int, dict] = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for task in self.tasks.values():
            if task["last"] != (task["description"], task["completed"]):
                self._say(task)

    def add_task(self, description: str, total: float | None = None, completed: float = 0) -> int:
        task_id = len(self.tasks)
        self.tasks[task_id] = {"description": description, "total": total, "completed": completed,
                               "start": time.monotonic(), "said": 0.0, "last": None}
        return task_id

    def update(self, task_id: int, completed: float | None = None, description: str | None = None,
               advance: float = 0) -> None:
        task = self.tasks[task_id]
        described = description is not None and description != task["description"]
        task["description"] = description if description is not None else task["description"]
        task["completed"] = (completed if completed is not None else task["completed"]) + advance
        done = task["total"] is not None and task["completed"] >= task["total"]
        if described or done or time.monotonic() - task["said"] >= self.every_s:
            self._say(task)

    def advance(self, task_id: int, advance: float = 1) -> None:
        self.update(task_id, advance=advance)

    def _say(self, task: dict) -> None:
        elapsed = int(time.monotonic() - task["start"])
        count = f"{task['completed']:g}" + (f"/{task['total']:g}" if task["total"] is not None else "")
        self.console.print(f"{task['description']}: {count} ({elapsed // 60}m{elapsed % 60:02d}s)", markup=False)
        task["said"], task["last"] = time.monotonic(), (task["description"], task["completed"])


def progress(console: Console, remaining: bool = False) -> Progress | PlainProgress:
    """A bar on a terminal (with the time left when ``remaining``), plain lines elsewhere."""
    if not console.is_terminal:
        return PlainProgress(console)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    return Progress(*columns, *([TimeRemainingColumn()] if remaining else []), console=console, transient=True)
