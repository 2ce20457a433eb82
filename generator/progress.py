"""Progress for long work: a bar on a terminal, one plain line per item in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    done: int

    def advance(self, line: str) -> None: ...

    def note(self, line: str) -> None:
        """A line about the work that is not one item of it (a failed setup guide)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during long work: how much of it was done. A KeyboardInterrupt, so that
    no `except Exception` on the way (e.g. the preview's, which outlives a failed build)
    can swallow the user's Ctrl-C."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"{done} of {total}")
        self.done = done
        self.total = total


class _Plain:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def advance(self, line: str) -> None:
        self.done += 1
        print(f"[{self.done}/{self.total}] {line}", flush=True)

    def note(self, line: str) -> None:
        print(line, flush=True)


class _Bar:
    def __init__(self, progress: object, task: object) -> None:
        self.progress = progress
        self.task = task
        self.done = 0

    def advance(self, line: str) -> None:
        self.done += 1
        self.progress.console.print(line)  # type: ignore[attr-defined]
        self.progress.advance(self.task)  # type: ignore[attr-defined]

    def note(self, line: str) -> None:
        self.progress.console.print(line)  # type: ignore[attr-defined]


def interactive() -> bool:
    return sys.stdout.isatty() and not os.environ.get("CI")


@contextmanager
def progress(total: int, label: str) -> Iterator[Progress]:
    """A bar or plain lines; Ctrl-C inside becomes Interrupted with the count done."""
    with _shown(total, label) as bar:
        try:
            yield bar
        except Interrupted:
            raise  # an inner count is the more precise one
        except KeyboardInterrupt:
            raise Interrupted(bar.done, total) from None


@contextmanager
def _shown(total: int, label: str) -> Iterator[Progress]:
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
