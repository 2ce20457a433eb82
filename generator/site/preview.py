"""``guidegen serve``: the site on 127.0.0.1, rebuilt and reloaded as editors save.

One loop polls the modification times of the guides, the hand-written pages,
the MkDocs configuration and the app under test (no file-watching dependency,
and it behaves the same on every file system). When a guide changes it is
linted with the others, the site is rendered and built so its text shows at
once, then only that guide is recaptured (the manifest skips the platforms
and languages whose inputs did not change) and the site is built again if an
image moved. A change to the app recaptures every guide.

Served HTML pages get a small script that polls ``/__guidegen/status``: it
reloads the page when the site was rebuilt and shows lint errors and failed
runs in a banner over the page. Polling works offline and needs no
websocket library. Every problem is also printed in the terminal; none stops
the server.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..capture import layout
from ..config import Config
from ..guide.lint import LintReport, lint
from ..guide.yamlfile import Problem
from ..jsfiles import script
from ..server import Handler, serve
from . import assets
from .practice import FOLDER as PRACTICE_FOLDER

JS = Path(__file__).parent / "js"

STATUS_PATH = "/__guidegen/status"
# A save is often several writes (editors write a backup, then the file):
# wait until the watched files hold still this long before acting.
SETTLE_SECONDS = 0.2

_SNIPPET = """
<div id="guidegen-preview" role="alert" hidden style="position:fixed;z-index:10000;left:0;
right:0;top:0;max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#8b0000;
color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap;
box-shadow:0 2px 8px rgba(0,0,0,.4)"></div>
<div id="guidegen-busy" hidden style="position:fixed;z-index:10000;right:1em;bottom:1em;
padding:.4em .8em;border-radius:1em;background:#333;color:#fff;font:13px sans-serif"></div>
<script>
PREVIEW_JS
</script>
"""

_WAITING = """<!doctype html>
<html><head><meta charset="utf-8"><title>guidegen preview</title></head>
<body><p>guidegen is building the site…</p></body></html>
"""


@dataclass
class Status:
    """What the served pages learn by polling; guarded by lock."""

    version: int = 0
    problems: list[str] = field(default_factory=list)
    busy: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            data = {"version": self.version, "problems": self.problems, "busy": self.busy}
        return json.dumps(data, ensure_ascii=False).encode()

    def update(self, *, problems: list[str] | None = None, busy: str | None = None) -> None:
        with self.lock:
            if problems is not None:
                self.problems = problems
            if busy is not None:
                self.busy = busy

    def reload(self) -> None:
        with self.lock:
            self.version += 1


def inject(page: bytes, version: int) -> bytes:
    """The page with the reload and problem banner script before </body>."""
    code = script(JS, "preview.js").replace("STATUS", STATUS_PATH).replace("VERSION", str(version))
    snippet = _SNIPPET.replace("PREVIEW_JS", code)
    text = page.decode("utf-8", errors="replace")
    end = text.lower().rfind("</body>")
    text = text + snippet if end < 0 else text[:end] + snippet + text[end:]
    return text.encode("utf-8")


class _PreviewHandler(Handler):
    status: Status

    def send_head(self) -> io.BytesIO | None:
        url = urlsplit(self.path).path
        if url == STATUS_PATH:
            return self._send(self.status.as_json(), "application/json; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and url.endswith("/"):
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            with self.status.lock:
                version = self.status.version
            try:
                page = path.read_bytes()
            except OSError:  # gone with the site a rebuild replaced
                self.send_error(HTTPStatus.NOT_FOUND, "File not found")
                return None
            return self._send(inject(page, version), "text/html; charset=utf-8")
        if url == "/" and not path.exists():
            with self.status.lock:
                version = self.status.version
            return self._send(inject(_WAITING.encode(), version), "text/html; charset=utf-8")
        return super().send_head()

    def _send(self, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextmanager
def serve_site(directory: Path, status: Status, port: int = 0) -> Iterator[str]:
    """Serve the built site with the preview script; yield its base URL."""
    handler = type("Handler", (_PreviewHandler,), {"status": status})
    with serve(directory, port, handler) as url:
        yield url


Snapshot = dict[Path, tuple[int, int]]


def _files(folder: Path, skip: frozenset[Path] = frozenset()) -> Iterator[Path]:
    for top, dirs, names in os.walk(folder):
        here = Path(top)
        # Hidden entries are editors' swap files and write_atomic's temporaries.
        dirs[:] = [d for d in dirs if not d.startswith(".") and here / d not in skip]
        yield from (here / name for name in names if not name.startswith("."))


def watched(config: Config) -> Iterator[Path]:
    """The files whose change the preview acts on; never what it writes itself."""
    steps = config.path("steps_dir")
    if steps.is_dir():
        yield from (p for p in steps.iterdir() if p.suffix in (".yml", ".yaml"))
    docs = config.path("docs_dir")
    generated = frozenset(
        [
            *(
                docs / lang / sub
                for lang in config.languages
                for sub in (layout.GUIDE_PAGES, layout.SITE_PICTURES, PRACTICE_FOLDER)
            ),
            *assets.written(config),
        ]
    )
    yield from _files(docs, generated)
    yield from config.root.glob("mkdocs*.yml")
    if config.facts and config.path("facts").is_file():
        yield config.path("facts")
    if not config.base_url and config.shop_dir:
        yield from _files(config.path("shop_dir"))
    if config.server is not None:
        yield from (p for pattern in config.server.watch for p in config.root.glob(pattern))


def snapshot(config: Config) -> Snapshot:
    found: Snapshot = {}
    for path in watched(config):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and looking
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Preview:
    """Turns file changes into lint, capture, render and build."""

    def __init__(
        self,
        config: Config,
        status: Status,
        *,
        platforms: Sequence[str] = (),
        langs: Sequence[str] = (),
        recapture: bool = True,
    ) -> None:
        self.config = config
        self.status = status
        self.platforms = platforms
        self.langs = langs
        self.recapture = recapture

    def lint(self) -> LintReport:
        report = lint([self.config.path("steps_dir")], self.config, dt.date.today())
        for problem in report.problems:
            print(problem, file=sys.stderr, flush=True)
        return report

    def shown(self, problem: Problem) -> str:
        """A problem as the page shows it: its path relative to the project."""
        text = str(problem)
        return text.removeprefix(f"{self.config.root}{os.sep}")

    def build(self, report: LintReport) -> list[str]:
        """Render and build; the problems of the build (none when it worked)."""
        from .build import SectionMissing, build_site
        from .render import render

        self.status.update(busy="building the site…")
        started = time.monotonic()
        render(self.config, report.guides, report.facts)
        try:
            failed = build_site(self.config)
        except SectionMissing as error:
            failed = str(error)
        if failed is not None:
            print(failed, file=sys.stderr, flush=True)
            return [line for line in failed.splitlines() if line.strip()]
        self.status.reload()
        _say(f"site rebuilt in {time.monotonic() - started:.1f}s")
        return []

    def capture(self, report: LintReport, ids: Collection[str] | None) -> tuple[int, list[str]]:
        """Recapture the guides named (all when None) where outdated: (images written, failures)."""
        from ..capture.jobs import plan
        from ..capture.lock import screenshots_lock
        from ..capture.pipeline import capture

        if ids is not None and not ids:
            return 0, []
        jobs = plan(
            report.guides,
            self.config,
            guide_ids=sorted(ids) if ids is not None else (),
            platforms=self.platforms,
            langs=self.langs,
            setups={g.id: g for g in report.setups},
        )
        if not jobs:
            return 0, []
        self.status.update(busy=f"capturing {', '.join(sorted({j.guide.id for j in jobs}))}…")
        with screenshots_lock(self.config):
            result = capture(self.config, jobs)
        failures = [failure.line() for failure in result.failures]
        for line in failures:
            print(line, file=sys.stderr, flush=True)
        if result.captured or result.failures:
            _say(f"captured {result.captured}, {result.changed} images changed")
        return result.changed, failures

    def update(self, guides: set[str] | None, *, app: bool = False) -> None:
        """Act on a change: guides is the ids of changed guides (None: startup)."""
        report = self.lint()
        errors = [self.shown(problem) for problem in report.errors]
        if errors:
            # The last good site stays up; the banner says what to fix.
            _say(f"{len(errors)} lint errors; the site keeps its last good build")
            self.status.update(problems=errors, busy="")
            return
        problems = self.build(report)
        self.status.update(problems=problems)
        if problems or not self.recapture:
            self.status.update(busy="")
            return
        known = {guide.id for guide in report.guides}
        if app:
            wanted: set[str] | None = None
        elif guides is None:
            wanted = self.never_captured(report)
        else:
            wanted = guides & known
        written, failures = self.capture(report, wanted)
        if written:
            problems = self.build(report)
        self.status.update(problems=problems + failures, busy="")

    def never_captured(self, report: LintReport) -> set[str]:
        """Guides with no image at all yet, e.g. one just made with guidegen new."""
        from ..capture import layout
        from ..capture.jobs import job_dir, plan

        jobs = plan(report.guides, self.config, platforms=self.platforms, langs=self.langs)
        return {
            job.guide.id
            for job in jobs
            if not layout.frames_file(job_dir(self.config, job)).is_file()
        }

    def safely(self, guides: set[str] | None, *, app: bool = False) -> None:
        """update, but any failure becomes a problem on the page, never a crash."""
        try:
            self.update(guides, app=app)
        except Exception as error:  # the preview must outlive any one build
            message = f"guidegen: {type(error).__name__}: {error}"
            print(message, file=sys.stderr, flush=True)
            self.status.update(problems=[message], busy="")

    def classify(self, paths: set[Path]) -> tuple[set[str], bool]:
        """The ids of changed guides, and whether the app under test changed."""
        steps = self.config.path("steps_dir")
        shop = self.config.path("shop_dir")
        guides = {p.stem for p in paths if p.parent == steps}
        static = bool(self.config.shop_dir) and not self.config.base_url
        app = static and any(p.is_relative_to(shop) for p in paths)
        if self.config.server is not None:
            served = {
                p for pattern in self.config.server.watch for p in self.config.root.glob(pattern)
            }
            app = app or bool(paths & served)
        return guides, app


class _Wake(FileSystemEventHandler):
    """Sets the event on any change the file system reports under a watched folder."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.event.set()


def _folders(config: Config) -> dict[Path, bool]:
    """The folders to ask the system about, each with whether to look into its
    subfolders: what `watched` lists lies in them. Which change counts is still
    decided by comparing snapshots (an event only says: look)."""
    folders = {config.root: False, config.path("steps_dir"): False, config.path("docs_dir"): True}
    if config.facts:
        folders.setdefault(config.path("facts").parent, False)
    if not config.base_url and config.shop_dir:
        folders[config.path("shop_dir")] = True
    if config.server is not None:
        for pattern in config.server.watch:
            # The pattern's folder before its first wildcard, and all below it.
            fixed = [part for part in Path(pattern).parts[:-1]]
            head = next((i for i, part in enumerate(fixed) if any(c in part for c in "*?[")), None)
            folders[config.root.joinpath(*fixed[:head])] = True
    return {folder: deep for folder, deep in folders.items() if folder.is_dir()}


@contextmanager
def _watching(config: Config) -> Iterator[threading.Event]:
    """An event set whenever something under the watched folders changes
    (watchdog: inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows)."""
    woken = threading.Event()
    observer = Observer()
    for folder, deep in _folders(config).items():
        observer.schedule(_Wake(woken), str(folder), recursive=deep)
    observer.daemon = True
    observer.start()
    try:
        yield woken
    finally:
        observer.stop()
        observer.join()


def _settled(config: Config, current: Snapshot) -> Snapshot:
    while True:
        time.sleep(SETTLE_SECONDS)
        later = snapshot(config)
        if later == current:
            return later
        current = later


def preview(
    config: Config,
    *,
    port: int = 0,
    platforms: Sequence[str] = (),
    langs: Sequence[str] = (),
    recapture: bool = True,
) -> int:
    """Serve, watch and rebuild until Ctrl-C; the exit code."""
    status = Status()
    work = Preview(
        config,
        status,
        platforms=platforms,
        langs=langs,
        recapture=recapture,
    )
    # A supervisor's TERM stops the preview as Ctrl-C does: server closed, exit 0.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with serve_site(config.path("site_dir"), status, port) as url:
            print(f"serving {url}", flush=True)
            _say("watching the guides, the pages and the app; Ctrl-C stops")
            with _watching(config) as woken:
                before = snapshot(config)
                work.safely(None)
                while True:
                    woken.wait()
                    woken.clear()
                    after = snapshot(config)
                    paths = changed(before, after)
                    if not paths:
                        continue
                    after = _settled(config, after)
                    paths = changed(before, after)
                    before = after
                    guides, app = work.classify(paths)
                    names = ", ".join(sorted(p.name for p in paths)[:5])
                    _say(f"changed: {names}{' …' if len(paths) > 5 else ''}")
                    for guide in sorted(guides):
                        _say(f"page: {url}guides/{guide}/")
                    work.safely(guides, app=app)
    except KeyboardInterrupt:
        _say("stopped")
        return 0
