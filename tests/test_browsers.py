"""Browsers kept from one capture to the next in the same process (capture/browsers.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from guidegen.capture import browsers
from guidegen.capture.browsers import Work
from tests.commands import guidegen
from tests.test_cli_capture import project


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[Browser]:
    """Every browser the kept threads launch from now on (some may be kept
    from earlier tests of this process)."""
    started: list[Browser] = []
    real = browsers.launch

    def counting(playwright: Playwright) -> Browser:
        started.append(real(playwright))
        return started[-1]

    monkeypatch.setattr(browsers, "launch", counting)
    return started


def on_threads(threads: list[browsers.BrowserThread], work: Work) -> None:
    for thread in threads:
        thread.hand(work)
    for thread in threads:
        thread.wait()


def test_the_next_capture_uses_the_browser_the_last_one_kept(
    tmp_path: Path, launched: list[Browser]
) -> None:
    root = project(tmp_path)
    assert guidegen(root, "capture", "--platform", "web").returncode == 0
    before = len(launched)
    check = guidegen(root, "capture", "--check", "--platform", "web")
    assert check.returncode == 0, check.stderr
    assert "0 files written" in check.stdout
    assert len(launched) == before


def test_a_browser_that_closed_or_another_chromium_asked_for_is_not_kept(
    tmp_path: Path, launched: list[Browser], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    assert guidegen(root, "check", "--platform", "web").returncode == 0
    # As a crash would, between two captures: the thread a one-worker capture takes.
    closed: list[Browser] = []

    def close(kept: browsers.BrowserThread) -> None:
        closed.append(kept.started()[0])
        closed[-1].close()

    thread = browsers.take(1)
    try:
        on_threads(thread, close)
    finally:
        browsers.give_back(thread)
    before = len(launched)
    assert guidegen(root, "check", "--platform", "web").returncode == 0
    assert len(launched) == before + 1 and not closed[0].is_connected()
    # GUIDEGEN_CHROMIUM set to another binary since the last launch.
    monkeypatch.setattr(browsers, "chosen_chromium", lambda: "/another/chromium")
    assert guidegen(root, "check", "--platform", "web").returncode == 0
    assert len(launched) == before + 2


def test_captures_side_by_side_never_share_a_browser(
    tmp_path: Path, launched: list[Browser]
) -> None:
    root = project(tmp_path)
    held = browsers.take(2)
    try:
        on_threads(held, lambda thread: thread.started())  # both with a browser
        before = len(launched)
        # Two threads are taken: a capture of two workers starts two browsers of its own.
        assert guidegen(root, "check", "--workers", "2").returncode == 0
        assert len(launched) == before + 2
    finally:
        browsers.give_back(held)


def _left_behind(tmp: Path) -> list[str]:
    """What of the browsers a process started still runs, or lies in its temporary folder."""
    running = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            line = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if str(tmp).encode() in line:
            running.append(pid)
    return running + [path.name for path in tmp.iterdir()]


def test_a_command_closes_its_browsers_when_it_exits(tmp_path: Path) -> None:
    """Nothing outlives guidegen: no Chromium running, no profile folder left,
    as the command ends."""
    root = project(tmp_path / "project")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    # Output to a file: run() would wait on a pipe for every process that holds it.
    with (tmp_path / "output").open("w") as output:
        code = subprocess.run(
            [sys.executable, "-m", "guidegen.cli", "capture", "--platform", "web"],
            cwd=root,
            env={**os.environ, "CI": "true", "TMPDIR": str(tmp)},
            stdout=output,
            stderr=subprocess.STDOUT,
        ).returncode
    assert code == 0, (tmp_path / "output").read_text()
    # Closed before guidegen returned: a browser its driver closes after that
    # (on seeing guidegen gone) is still there now.
    assert not _left_behind(tmp)


def test_a_render_after_a_capture_still_runs_on_every_core(tmp_path: Path) -> None:
    """The kept browser thread waits for the next capture: it holds nothing a
    forked child could need, so the pieces of work after it are forked still."""
    root = project(tmp_path)
    script = """
import json, os, sys
from guidegen.capture import parallel
from guidegen.cli import main

assert main(["check", "--platform", "web"]) == 0
def where(item):
    return os.getpid()
print(json.dumps({"pids": parallel.each(where, [1, 2], workers=2), "me": os.getpid()}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=root,
        env={**os.environ, "CI": "true"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.splitlines()[-1])
    assert len(set(answer["pids"])) == 2 and answer["me"] not in answer["pids"]


def _below(pid: int) -> list[int]:
    """Every process below pid."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids = [int(kid) for kid in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended since the listing
            continue
        for kid in kids:
            found += [kid, *_below(kid)]
    return found


def test_a_browser_gone_with_its_driver_is_replaced_with_both(
    tmp_path: Path, launched: list[Browser]
) -> None:
    """Ctrl-C in a terminal reaches the kept driver and browser too: a program
    that goes on (the preview, a caller of main()) captures with new ones."""
    root = project(tmp_path)
    before = set(_below(os.getpid()))
    browsers.close_all()
    assert guidegen(root, "check", "--platform", "web").returncode == 0
    for pid in set(_below(os.getpid())) - before:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
    # The kept thread learns of it in its next call: the run that makes it fails
    # as a crash does, and only that run.
    crashed = guidegen(root, "check", "--platform", "web")
    assert crashed.returncode == 0 or "the browser crashed or was killed" in crashed.stderr
    count = len(launched)
    check = guidegen(root, "check", "--platform", "web")
    assert check.returncode == 0, check.stderr
    assert len(launched) == count
