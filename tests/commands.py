"""guidegen run by a test: in this process, or as a child process where that is under test."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main


def guidegen(
    root: Path, *args: str, process: bool = False, timeout: float = 600, **env_vars: str
) -> subprocess.CompletedProcess[str]:
    """guidegen args run in root as CI runs it, with env_vars added to the environment:
    its exit code, stdout and stderr.

    In this process by default: main(argv) is the whole command, and starting an
    interpreter for it proves nothing more. process=True starts `python -m
    generator.cli` instead, for what only a process shows (its entry point, its
    exit status, an import done at its start); timeout applies to it alone."""
    if process:
        return subprocess.run(
            [sys.executable, "-m", "generator.cli", *args],
            cwd=root,
            capture_output=True,
            text=True,
            # Safe path: a project copy's generator/schema folder must not shadow the package.
            env={**os.environ, "CI": "true", "PYTHONSAFEPATH": "1", **env_vars},
            timeout=timeout,
        )
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
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
