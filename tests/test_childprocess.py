"""A helper program started by guidegen does not outlive a guidegen that is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import childprocess

# Generous: the condition usually holds at once, and a loaded machine must not fail it.
DEADLINE_S = 60


def _gone(pid: int) -> bool:
    """True once pid has exited (a zombie waiting for its new parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _wait_for(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_helper_program_dies_when_guidegen_is_killed(tmp_path: Path) -> None:
    pid_file = tmp_path / "helper.pid"
    helper = (
        "import os, pathlib, time; "
        f"pathlib.Path({str(pid_file)!r}).write_text(str(os.getpid())); time.sleep(3600)"
    )
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from generator import childprocess
                childprocess.run([sys.executable, "-c", {helper!r}])
                """
            ),
        ],
    )
    _wait_for(lambda: pid_file.is_file() and pid_file.read_text(), "the helper did not start")
    helper_pid = int(pid_file.read_text())
    try:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        _wait_for(lambda: _gone(helper_pid), "the helper outlived the killed guidegen")
    finally:
        if not _gone(helper_pid):
            os.kill(helper_pid, signal.SIGKILL)


def test_run_returns_what_the_program_did() -> None:
    result = childprocess.run(
        [sys.executable, "-c", "import sys; print('out'); sys.exit(3)"],
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (3, "out\n")
