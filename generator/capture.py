"""Capture: run guides in the browser and write their screenshots.

For every (guide, platform, language) it writes, under
``screenshots/<lang>/<platform>/<guide>/``: one annotated PNG per step, the
raw frames in ``raw/``, and ``frames.json`` with the boxes of every mark and
redaction, so images can be redrawn and compared without a browser.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator import __version__
from generator.annotate import compose, png_bytes
from generator.browser import launch
from generator.config import Config
from generator.files import write_atomic
from generator.model import PHONES, Guide, Platform
from generator.progress import progress
from generator.runner import Failure, GuideFailed, Run, run_guide
from generator.server import serve


@dataclass(frozen=True)
class Job:
    guide: Guide
    platform: Platform
    lang: str

    @property
    def name(self) -> str:
        return f"{self.guide.id} › {self.platform}/{self.lang}"


@dataclass(frozen=True)
class Outcome:
    job: Job
    run: Run | None
    failure: Failure | None


def plan(
    guides: Iterable[Guide],
    config: Config,
    *,
    guide_ids: Sequence[str] = (),
    platforms: Sequence[str] = (),
    langs: Sequence[str] = (),
) -> list[Job]:
    """Every (guide, platform, language) to run, in a stable order, after filters."""
    return [
        Job(guide, platform, lang)
        for guide in sorted(guides, key=lambda g: g.id)
        if not guide_ids or guide.id in guide_ids
        for platform in config.platforms
        if platform in guide.platforms and (not platforms or platform in platforms)
        for lang in config.languages
        if not langs or lang in langs
    ]


def guide_dir(config: Config, guide: str, platform: str, lang: str) -> Path:
    return config.path("screenshots_dir") / lang / platform / guide


@contextmanager
def app_url(config: Config, base_url: str | None = None) -> Iterator[str]:
    """The app under test: a given URL, the configured one, or the served shop."""
    if base_url or config.base_url:
        yield base_url or config.base_url
        return
    with serve(config.path("shop_dir")) as url:
        yield url


def _worker(
    config: Config,
    url: str,
    todo: queue.Queue[Job],
    done: queue.Queue[Outcome | BaseException | None],
    stop: threading.Event,
    shoot: bool,
    trace_dir: Path | None,
) -> None:
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                while not stop.is_set():
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        break
                    trace = None
                    if trace_dir is not None:
                        trace = str(trace_dir / f"{job.guide.id}-{job.platform}-{job.lang}.zip")
                    try:
                        run = run_guide(
                            browser,
                            playwright,
                            config,
                            job.guide,
                            job.platform,
                            job.lang,
                            url,
                            shoot=shoot,
                            trace_path=trace,
                        )
                    except GuideFailed as failed:
                        done.put(Outcome(job, None, failed.failure))
                    else:
                        done.put(Outcome(job, run, None))
            finally:
                browser.close()
    except BaseException as error:  # handed to the main thread, which re-raises it
        done.put(error)
    finally:
        done.put(None)


def execute(
    config: Config,
    jobs: Sequence[Job],
    *,
    shoot: bool,
    base_url: str | None = None,
    trace_dir: Path | None = None,
    workers: int | None = None,
) -> Iterator[Outcome]:
    """Run jobs in parallel, yielding each run or failure as it ends.

    Each worker thread has its own browser: Playwright's sync API is bound to
    the thread that started it. Every job gets a fresh browser context.
    """
    if not jobs:
        return
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[Outcome | BaseException | None] = queue.Queue()
    stop = threading.Event()
    with app_url(config, base_url) as url:
        threads = [
            threading.Thread(
                target=_worker, args=(config, url, todo, done, stop, shoot, trace_dir), daemon=True
            )
            for _ in range(count)
        ]
        for thread in threads:
            thread.start()
        try:
            running = count
            while running:
                item = done.get()
                if item is None:
                    running -= 1
                elif isinstance(item, BaseException):
                    raise item
                else:
                    yield item
        finally:
            stop.set()
            for thread in threads:
                thread.join()


def _box(box: object) -> list[float]:
    return [round(getattr(box, k), 2) for k in ("x", "y", "width", "height")]


def write_run(config: Config, run: Run) -> list[Path]:
    """Write a run's annotated images, raw frames and frames.json; return what changed."""
    folder = guide_dir(config, run.guide, run.platform, run.lang)
    changed: list[Path] = []
    steps = []
    for shot in run.steps:
        frames = []
        for index, frame in enumerate(shot.frames, start=1):
            raw = folder / "raw" / f"{shot.step.id}-{index}.png"
            if write_atomic(raw, frame.png):
                changed.append(raw)
            frames.append(
                {
                    "raw": raw.relative_to(folder).as_posix(),
                    "marks": [{"number": m.number, "box": _box(m.box)} for m in frame.marks],
                    "redactions": [
                        {"style": r.style, "box": _box(r.box)} for r in frame.redactions
                    ],
                }
            )
        image = compose(shot.frames, run.scale, side_by_side=run.platform in PHONES)
        info = {
            "Software": f"guidegen {__version__}",
            "guidegen:device": run.device,
            "guidegen:guide": run.guide,
            "guidegen:step": shot.step.id,
            "guidegen:platform": run.platform,
            "guidegen:lang": run.lang,
        }
        path = folder / f"{shot.step.id}.png"
        if write_atomic(path, png_bytes(image, info)):
            changed.append(path)
        steps.append({"id": shot.step.id, "number": shot.step.number, "frames": frames})
    meta = {
        "guide": run.guide,
        "platform": run.platform,
        "lang": run.lang,
        "device": run.device,
        "scale": run.scale,
        "viewport": list(run.viewport),
        "steps": steps,
    }
    text = json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if write_atomic(folder / "frames.json", text.encode()):
        changed.append(folder / "frames.json")
    return changed


MANIFEST = "manifest.json"
# Files whose change alters what a capture produces. The rest of the package
# (the CLI, rendering, linting) can change without recapturing anything.
CODE_FILES = ("annotate.py", "browser.py", "capture.py", "model.py", "runner.py")
APP_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".woff2"})


def code_hash() -> str:
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for name in CODE_FILES:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


def app_hash(config: Config) -> str:
    """A hash of the app's UI files: HTML, CSS, scripts, data and images."""
    digest = hashlib.sha256()
    root = config.path("shop_dir")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix.lower() in APP_SUFFIXES:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def job_key(job: Job) -> str:
    return f"{job.lang}/{job.platform}/{job.guide.id}"


def fingerprint(config: Config, job: Job, app: str, code: str) -> str:
    """Everything a job's images depend on, hashed."""
    device = config.devices[job.platform]
    facts = {
        "guide": job.guide.model_dump(mode="json", by_alias=True),
        "platform": job.platform,
        "lang": job.lang,
        "device": [device.descriptor, device.viewport],
        "run": [config.start_url, config.ready, config.clock, config.timezone],
        "app": app,
        "code": code,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def read_manifest(config: Config) -> dict[str, str]:
    path = config.path("screenshots_dir") / MANIFEST
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_manifest(config: Config, manifest: dict[str, str]) -> None:
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    write_atomic(config.path("screenshots_dir") / MANIFEST, text.encode())


def fingerprints(config: Config, jobs: Sequence[Job], base_url: str | None) -> dict[str, str]:
    """Each job's fingerprint; none when the app is elsewhere and cannot be hashed."""
    if base_url or config.base_url:
        return {}
    app, code = app_hash(config), code_hash()
    return {job_key(job): fingerprint(config, job, app, code) for job in jobs}


def outdated(config: Config, jobs: Sequence[Job], prints: dict[str, str]) -> list[Job]:
    """The jobs whose images are missing or were made from something else."""
    manifest = read_manifest(config)
    return [
        job
        for job in jobs
        if job_key(job) not in prints
        or manifest.get(job_key(job)) != prints[job_key(job)]
        or not (guide_dir(config, job.guide.id, job.platform, job.lang) / "frames.json").is_file()
    ]


@dataclass(frozen=True)
class CaptureResult:
    captured: int
    skipped: int
    changed: int
    failures: tuple[Failure, ...]


def capture(
    config: Config,
    jobs: Sequence[Job],
    *,
    base_url: str | None = None,
    force: bool = False,
    workers: int | None = None,
) -> CaptureResult:
    """Capture the jobs whose inputs changed (all with force), writing images as
    each run succeeds; a failed run leaves that job's earlier images as they were."""
    prints = fingerprints(config, jobs, base_url)
    todo = list(jobs) if force else outdated(config, jobs, prints)
    failures: list[Failure] = []
    changed = 0
    if not todo:
        return CaptureResult(0, len(jobs), 0, ())
    manifest = read_manifest(config)
    with progress(len(todo), "capturing") as bar:
        for outcome in execute(config, todo, shoot=True, base_url=base_url, workers=workers):
            if outcome.run is not None:
                written = write_run(config, outcome.run)
                changed += len(written)
                if job_key(outcome.job) in prints:
                    manifest[job_key(outcome.job)] = prints[job_key(outcome.job)]
                    write_manifest(config, manifest)
                bar.advance(f"captured {outcome.job.name}: {len(written)} files changed")
            else:
                assert outcome.failure is not None
                failures.append(outcome.failure)
                bar.advance(f"FAILED {outcome.job.name}")
    return CaptureResult(len(todo) - len(failures), len(jobs) - len(todo), changed, tuple(failures))
