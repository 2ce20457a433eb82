"""Progress for long work: a bar on a terminal, one plain line per item in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def advance(self, line: str) -> None: ...


class _Plain:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def advance(self, line: str) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total}] {line}", flush=True)


class _Bar:
    def __init__(self, progress: object, task: object) -> None:
        self.progress = progress
        self.task = task

    def advance(self, line: str) -> None:
        self.progress.console.print(line)  # type: ignore[attr-defined]
        self.progress.advance(self.task)  # type: ignore[attr-defined]


def interactive() -> bool:
    return sys.stdout.isatty() and not os.environ.get("CI")


@contextmanager
def progress(total: int, label: str) -> Iterator[Progress]:
    if not interactive():
        yield _Plain(total)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        yield _Bar(bar, bar.add_task(label, total=total))
