"""guidegen serve: a real server in a copy of the project, watched in real Chromium."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from guidegen.config import Config
from guidegen.progress import Interrupted
from guidegen.site.preview import STATUS_PATH, Preview, Status, changed, inject, snapshot
from tests.conftest import as_a_terminal_job
from tests.editor_project import copy_project

WAIT = 600  # seconds: the first build encodes every picture and video; a pass is far quicker


def test_inject_puts_the_script_before_the_end_of_the_body():
    page = inject(b"<html><body><p>x</p></body></html>", 7)
    assert page.endswith(b"</body></html>")
    assert STATUS_PATH.encode() in page and b"})(7);" in page
    assert inject(b"<p>no body</p>", 1).startswith(b"<p>no body</p>")


def test_snapshot_watches_sources_but_not_what_the_preview_writes(tmp_path):
    config = Config(root=tmp_path, shop_dir="app", facts="facts.yml")
    for name in (
        "facts.yml",
        "steps/a.yml",
        "docs/ja/index.md",
        "docs/ja/guides/a.md",
        "docs/en/assets/screenshots/web/a/1.png",
        "docs/en/assets/practice/web/a.json",
        "app/index.html",
        "mkdocs.yml",
        "steps/.a.yml.123.tmp",
        "mkdocs.editors.yml",
        "docs/editors/en/index.md",
        "docs/editors/en/assets/javascripts/search-readings.js",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    before = snapshot(config)
    assert {p.relative_to(tmp_path).as_posix() for p in before} == {
        "facts.yml",
        "steps/a.yml",
        "docs/ja/index.md",
        "app/index.html",
        "mkdocs.yml",
        "mkdocs.editors.yml",
        "docs/editors/en/index.md",
    }
    (tmp_path / "steps/a.yml").write_text("longer")
    (tmp_path / "docs/ja/guides/a.md").write_text("rendered again")
    assert changed(before, snapshot(config)) == {tmp_path / "steps/a.yml"}


class Server:
    """guidegen serve as a subprocess; its output is read on a thread."""

    def __init__(self, root: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "guidegen.cli", "serve", *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "CI": "true", "PYTHONSAFEPATH": "1"},
            preexec_fn=as_a_terminal_job,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.lines.get(timeout=WAIT)
        assert first.startswith("serving http://127.0.0.1:"), first
        self.url = first.split()[1]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, needle: str) -> str:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.output.append(line)
            if needle in line:
                return line
        raise AssertionError(f"no line with {needle!r} in:\n" + "\n".join(self.output))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    root = copy_project(tmp_path)
    running = Server(root, "--platform", "web", "--lang", "en")
    try:
        yield running, root
    finally:
        running.stop()


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # the page may be reloading under the check
            pass
        time.sleep(0.25)
    raise AssertionError(f"not within {WAIT}s: {what}")


def heading(page: Page) -> str:
    """The page's title, without the site's name after it."""
    return page.title().split(" - ")[0]


def test_serve_reloads_on_edit_shows_lint_errors_and_recovers(server, browser: Browser):
    running, root = server
    running.wait_for_line("site rebuilt")
    guide = root / "steps" / "check-sent.yml"
    original = guide.read_text("utf-8")
    page = browser.new_page()
    try:
        page.goto(running.url + "en/guides/check-sent/")
        eventually(lambda: heading(page) == "Check the messages you sent to a seller", "page up")
        banner = page.locator("#guidegen-preview")
        assert banner.is_hidden()

        # A broken guide: the error is on the page, with its place in the file,
        # and the last good build stays up.
        guide.write_text(original.replace("\ntitle:", "\ntitel:"), "utf-8")
        eventually(banner.is_visible, "the lint banner")
        text = banner.inner_text()
        assert "steps/check-sent.yml:3:1: unknown key 'titel' (did you mean 'title'?)" in text
        assert heading(page) == "Check the messages you sent to a seller"

        # Fixed, with a new title: the banner goes and the new title shows up in
        # the open page without touching the browser.
        edited = original.replace(
            "en: Check the messages you sent to a seller", "en: See what you sent"
        )
        assert edited != original
        guide.write_text(edited, "utf-8")
        eventually(lambda: heading(page) == "See what you sent", "the new title on the page")
        eventually(banner.is_hidden, "the banner gone")
        # Then only that guide is recaptured, on the platform and language asked for.
        running.wait_for_line("captured check-sent › web/en")
        assert running.process.poll() is None
    finally:
        page.close()
    assert running.stop() == 0


class _Failing(Preview):
    fault: BaseException = RuntimeError("mkdocs crashed")

    def update(self, guides: set[str] | None, *, app: bool = False) -> None:
        raise self.fault


def test_a_failed_build_is_shown_but_ctrl_c_during_a_capture_stops_the_preview(tmp_path):
    work = _Failing(Config(root=tmp_path), Status())
    work.safely(None)
    assert work.status.problems == ["guidegen: RuntimeError: mkdocs crashed"]
    work.fault = Interrupted(1, 3)  # what capture raises on Ctrl-C
    with pytest.raises(KeyboardInterrupt):
        work.safely(None)
