"""Faults of the machine a run meets, as one line naming the resource and the fix."""

from __future__ import annotations

import errno
from pathlib import Path

from .safepath import shown

_FIXES = {
    errno.ENOSPC: "the disk is full; free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up; free some space and run the command again",
    errno.EROFS: "the folder is read-only; run where it can be written, or remount it",
    errno.EACCES: "permission denied; make it writable for this user",
    errno.EPERM: "permission denied; make it writable for this user",
    errno.ENOENT: "no such file or folder; check the path",
    errno.EISDIR: "a folder stands where a file should; move it away",
    errno.ENOTDIR: "a file stands where a folder should; move it away",
    errno.EMFILE: "too many open files; raise the limit (ulimit -n)",
}


class DriverGone(Exception):
    """Playwright's browser driver died under a run: one line, exit code 1."""

    def __init__(self) -> None:
        super().__init__(
            "the browser driver (Playwright's node process) was killed or crashed; run the "
            "command again, and if it happens again check the machine's free memory (the "
            "out-of-memory killer) or reinstall Playwright (pip install --force-reinstall "
            "playwright)"
        )


def fault_line(error: BaseException) -> str:
    """error as one line: what failed, where, and what to do about it."""
    if isinstance(error, OSError):
        where = shown(Path(error.filename)) if error.filename else "a file"
        fix = _FIXES.get(error.errno or 0)
        if fix is None:
            fix = f"{error.strerror or error}; check it and run the command again"
        return f"{where}: {fix}"
    first = str(error).splitlines()[0] if str(error) else ""
    return (
        f"unexpected {type(error).__name__}: {first} "
        "(a bug in guidegen; GUIDEGEN_DEBUG=1 shows where)"
    )
