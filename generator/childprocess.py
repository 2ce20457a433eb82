"""Running a helper program (a site engine, ffmpeg) that dies with guidegen.

A run killed outright (SIGKILL, the out-of-memory killer, a CI job cancelled)
cannot stop what it started. An orphaned site engine would go on writing into
a staging folder that the next run is deleting, and leave it half there; an
orphaned encoder would burn a core for nothing. On Linux the kernel can send
the child SIGKILL when the thread that started it ends (``PR_SET_PDEATHSIG``),
which covers every such death. ```run`` waits for the child in the thread that
started it, so that thread always outlives the child; long-lived servers,
which a thread may hand to another, do not use this.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any

_PR_SET_PDEATHSIG = 1


def tie_to_parent() -> Callable[[], None] | None:
    """The function a child (forked from the caller) runs first to die with
    the caller, or None where the system has no such request."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return None
    parent = os.getpid()

    # Runs in the forked child, so it only calls what was looked up beforehand.
    def request() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took hold
            os._exit(1)

    return request


def run(command: Sequence[str], **options: Any) -> subprocess.CompletedProcess[Any]:
    """subprocess.run(command, **options), with a child that is killed if guidegen dies."""
    return subprocess.run(command, preexec_fn=tie_to_parent(), **options)
