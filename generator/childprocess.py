"""Running a helper program (a site engine, the app's server) that dies with guidegen.

A run killed outright (SIGKILL, the out-of-memory killer, a CI job cancelled)
cannot stop what it started. An orphaned site engine would go on writing into
a staging folder that the next run is deleting, and leave it half there; an
orphaned encoder would burn a core for nothing. On Linux the kernel can send
the child SIGKILL when the thread that started it ends (``PR_SET_PDEATHSIG``),
which covers every such death. ```run`` waits for the child in the thread that
started it, so that thread always outlives the child.

The app's server is more: a shell command whose processes can start their own
(a worker pool, a database, a daemon that leaves the process group with
``setsid``), none of which the parent-death signal reaches. It runs under
``supervise`` (``python -m guidegen.childprocess COMMAND``): a small process
that is told of guidegen's death (SIGTERM), adopts every orphan its command
leaves (``PR_SET_CHILD_SUBREAPER``), and when it is stopped or guidegen dies
ends every process below it, whatever group or session it went to.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
# How long the supervised processes get to end after SIGTERM, before SIGKILL.
GRACE_S = 4.0
_POLL_S = 0.01


def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return None


def tie_to_parent(signum: int = signal.SIGKILL) -> Callable[[], None] | None:
    """The function a child (forked from the caller) runs first to get signum when
    the caller dies, or None where the system has no such request."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    # Runs in the forked child, so it only calls what was looked up beforehand.
    def request() -> None:
        prctl(_PR_SET_PDEATHSIG, signum)
        if os.getppid() != parent:  # the parent died before the request took hold
            os._exit(1)

    return request


def run(command: Sequence[str], **options: Any) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(command, **options), with a child that is killed if guidegen dies."""
    return subprocess.run(command, preexec_fn=tie_to_parent(), **options)


def supervised(command: str) -> list[str]:
    """The argument list that runs a shell command under ``supervise``. Safe path
    (-P): a project folder named like a module must not stand in for guidegen's."""
    return [sys.executable, "-P", "-m", "guidegen.childprocess", command]


def _children_by_parent() -> dict[int, list[int]]:
    """Every live process's children (from /proc; none where there is no /proc)."""
    children: dict[int, list[int]] = {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return children
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(name))
    return children


def descendants(root: int) -> list[int]:
    """Every live process below root."""
    children = _children_by_parent()
    found: list[int] = []
    todo = [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def signal_children(signum: int) -> None:
    """Send signum to this process's own children (browser drivers, the app's
    supervisor, a site engine), as a terminal sends Ctrl-C to every process of
    its job; each ends what it started."""
    for pid in _children_by_parent().get(os.getpid(), []):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _reap() -> None:
    """Collect the exit of every child that has ended (orphans are ours to collect)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def end_all_below(root: int) -> None:
    """End every process below root: SIGTERM, then SIGKILL for those still there."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for pid in descendants(root):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signum)
        deadline = time.monotonic() + GRACE_S
        while time.monotonic() < deadline:
            _reap()
            if not descendants(root):
                return
            time.sleep(_POLL_S)


class _Stop(Exception):
    pass


def supervise(command: str) -> int:
    """Run command in a shell until it exits or this process is asked to stop
    (SIGTERM, SIGINT, SIGHUP, or guidegen's death); then end everything the command
    started. The command's exit code, or 128 + the signal that ended it."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_CHILD_SUBREAPER, 1)
    stopped: list[int] = []
    waiting = False

    def stop(signum: int, frame: object) -> None:
        nonlocal waiting
        stopped.append(signum)
        # Raised once, and only into the wait below: the ending must not be cut short.
        if waiting:
            waiting = False
            raise _Stop

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    code = 0
    try:
        waiting = True
        if stopped:  # asked to stop before the wait began
            raise _Stop
        code = subprocess.Popen(["/bin/sh", "-c", command]).wait()
        waiting = False
    except _Stop:
        pass
    end_all_below(os.getpid())
    if stopped:
        return 128 + stopped[0]
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(supervise(sys.argv[1]))
