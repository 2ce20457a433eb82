"""Text on its way out: every line guidegen prints and every string it writes
into a report.

Much of it comes from files a pull request can change (a target's name, a
guide's file name) or from the app under test (the text a failed expect-text
found). A terminal obeys the escape sequences such text can hold, and GitHub
Actions obeys a log line that starts with ``::`` or holds ``##[`` (a workflow
command: an annotation, a masked value, a stop to command processing). So
everything leaves through clean(): control characters go, and a workflow
command is broken so that it reads the same but does nothing.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# A terminal's escape sequences (colours, titles, cursor moves) go whole, so
# a tool's coloured output still reads well. CSI, then OSC ended by BEL or ST.
_SEQUENCE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)")
# Cc (C0, DEL, C1) and the Unicode line and paragraph separators, which some
# viewers break lines at. Those that separate words become a space.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")
REPLACEMENT = "\ufffd"


def _replace(match: re.Match[str]) -> str:
    return " " if match.group(0) in _SPACES else REPLACEMENT


def clean(text: str) -> str:
    """text as one line that is safe to print or write into a report: escape
    sequences removed, other control characters replaced (line breaks and tabs
    by a space, the rest by U+FFFD), a leading ``::`` escaped as ``\\::`` and
    ``##[`` as ``##\\[``."""
    line = _CONTROL.sub(_replace, _SEQUENCE.sub("", text)).replace("##[", "##\\[")
    body = line.lstrip()
    if body.startswith("::"):
        line = line[: len(line) - len(body)] + "\\" + body
    return line


class CleanLines:
    """A text stream that passes each line through clean() on its way to inner
    (sys.stdout or sys.stderr); anything else is inner's.

    Lines are passed on whole, so a command split over two writes is still
    seen; finish() passes on what is left without a line end.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self._pending = ""
        self._lock = threading.Lock()  # server threads print too

    def write(self, text: str) -> int:
        with self._lock:
            *lines, self._pending = (self._pending + text).split("\n")
            if lines:
                self.inner.write("".join(clean(line) + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        self.inner.flush()

    def finish(self) -> None:
        with self._lock:
            if self._pending:
                self.inner.write(clean(self._pending))
                self._pending = ""
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@contextmanager
def cleaned_output() -> Iterator[None]:
    """sys.stdout and sys.stderr through CleanLines while the block runs."""
    saved = sys.stdout, sys.stderr
    wrapped = CleanLines(sys.stdout), CleanLines(sys.stderr)
    sys.stdout, sys.stderr = wrapped
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
        for stream in wrapped:
            stream.finish()
