"""Progress for long work: a bar on a terminal, one plain line per item in CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from .safetext import CleanLines, clean, cleaned_output


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
        from rich.text import Text

        # The bar writes to the terminal itself, past CleanLines: the line is
        # cleaned here, and given as Text, which rich reads as neither markup
        # nor emoji codes.
        self.progress.console.print(Text(clean(line)))  # type: ignore[attr-defined]
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
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    # The terminal itself: the bar's escape sequences would not pass CleanLines.
    terminal = sys.stdout.inner if isinstance(sys.stdout, CleanLines) else sys.stdout
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=terminal),
        transient=True,
    )
    # What is printed meanwhile goes through rich's stand-ins for stdout and
    # stderr, which write to the terminal: it is cleaned on the way in.
    with bar, cleaned_output():
        yield _Bar(bar, bar.add_task(label, total=total))
