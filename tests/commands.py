"""guidegen run by a test, in this process."""

from __future__ import annotations

import contextlib
import io
import subprocess
from pathlib import Path

import pytest

from guidegen.capture import workers
from guidegen.cli import main


def guidegen(root: Path, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """guidegen args run in root as CI runs it, with env_vars added to the environment:
    its exit code, stdout and stderr. main(argv) is the whole command: starting an
    interpreter for it proves nothing more and costs its start and imports each time.
    Tests of what only a process shows (signals, two runs at once, a kill, the
    installed wheel) start `python -m guidegen.cli` themselves.

    A capture or check whose project and flags leave the workers to guidegen
    runs one browser: the suite's workers already keep every core busy, and a
    browser more per capture only adds its start (with Playwright's driver,
    nearly a CPU-second). A test of runs side by side asks for its workers."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workers, "default_workers", lambda runs: 1)
        for name, value in {"CI": "true", **env_vars}.items():
            patch.setenv(name, value)
        with (
            contextlib.chdir(root),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = main(list(args))
            except SystemExit as stop:  # a usage error: the status a process would exit with
                code = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
    return subprocess.CompletedProcess(["guidegen", *args], code, out.getvalue(), err.getvalue())
