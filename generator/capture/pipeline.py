"""Capture: run guides in the browser and write their screenshots.

For every (guide, platform, language, colour scheme) it writes, in the job's
folder (``guidegen.capture.layout``): one annotated image per step, the raw frames in
``raw/``, and ``frames.json`` with the boxes of every mark and redaction, so
images can be redrawn and compared without a browser.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import re
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__, platforms
from ..config import Config, ConfigError, Server, capture_style
from ..faults import DriverGone
from ..files import write_atomic
from ..guide import model as guide_model
from ..guide.load import load_guide
from ..guide.model import ColorScheme, Guide, Platform
from ..progress import progress
from ..safepath import WRITE_FIX, own_folder, shown, within
from ..server import serve
from . import layout
from .annotate import Picture, compose
from .appserver import exited, require_reachable, reset, started
from .browser import configured_chromium, launch
from .compare import (
    StepImages,
    Tolerance,
    Verdict,
    diff_image,
    judge,
    pixel_difference,
)
from .dialogs import draw as draw_dialog
from .digests import WholeFolders
from .frames import Failure, Frame, Run, frame_entry, frame_from_entry
from .imagefile import decode, encode, stored
from .imagefile import problem as image_problem
from .report import Item, Results, write_images, write_report
from .state import FIX, Damaged, check_image, read_frames

if TYPE_CHECKING:
    from PIL import Image
    from playwright.sync_api import Browser

# Redraw needs the raw frames, which only a capture makes.
REDRAW_FIX = "guidegen capture --force for that guide captures it again"


@dataclass(frozen=True)
class Job:
    guide: Guide
    platform: Platform
    lang: str
    scheme: ColorScheme = "light"
    setup: Guide | None = None  # the hidden setup guide (sign-in) run before it

    @property
    def name(self) -> str:
        return f"{self.guide.id} › {self.platform}/{self.lang}" + _scheme_suffix(self.scheme)


def _scheme_suffix(scheme: str) -> str:
    return "" if scheme == "light" else f"/{scheme}"


def setup_run(failure: Failure) -> str:
    """A setup guide's run, named as a job is: _sign-in › web/en."""
    return f"{failure.guide} › {failure.platform}/{failure.lang}" + _scheme_suffix(failure.scheme)


@dataclass(frozen=True)
class Outcome:
    job: Job
    run: Run | None
    failure: Failure | None
    settled: Any = None  # what the caller's `then` made of the run, in the worker
    # The failed run of the setup guide the job needs: the job was not run. The
    # same Failure for every job that needs that run, so it is reported once.
    blocked: Failure | None = None

    @property
    def not_run(self) -> str:
        """The line that says the job was not run, and why."""
        assert self.blocked is not None
        return f"{self.job.name}: setup guide {self.blocked.guide} failed"


def plan(
    guides: Iterable[Guide],
    config: Config,
    *,
    guide_ids: Sequence[str] = (),
    platforms: Sequence[str] = (),
    langs: Sequence[str] = (),
    schemes: Sequence[str] = (),
    setups: Mapping[str, Guide] | None = None,
) -> list[Job]:
    """Every (guide, platform, language, colour scheme) to run, in a stable order,
    after filters. A guide and a platform's device can each narrow the project's
    colour schemes; setups are the hidden setup guides by id."""
    setups = setups or {}
    return [
        Job(guide, platform, lang, scheme, setups.get(guide.setup) if guide.setup else None)
        for guide in sorted(guides, key=lambda g: g.id)
        if not guide_ids or guide.id in guide_ids
        for platform in config.platforms
        if platform in guide.platforms and (not platforms or platform in platforms)
        for lang in config.languages
        if not langs or lang in langs
        for scheme in config.schemes_for(platform)
        if (guide.color_schemes is None or scheme in guide.color_schemes)
        and (not schemes or scheme in schemes)
    ]


def job_dir(config: Config, job: Job) -> Path:
    return layout.job_dir(
        config.path("screenshots_dir"), job.guide.id, job.platform, job.lang, job.scheme
    )


@contextmanager
def app_url(config: Config, worker: int = 0) -> Iterator[str]:
    """The app under test: a given URL, the configured one, the app's own server (the
    worker's own where the server has {worker}), or the static app folder.
    AppNotReady before any run when none of them answers."""
    if config.base_url:
        require_reachable(config.base_url)
        yield config.base_url
        return
    if config.server is not None:
        with started(config, config.server, worker) as url:
            yield url
        return
    if not config.shop_dir:
        raise ConfigError(
            "no app to run the guides against: set [tool.guidegen.server] (a command that "
            "starts it), base_url (a running app) or shop_dir (a static app folder)"
        )
    with serve(within(config.root, config.path("shop_dir"))) as url:
        yield url


def step_location(config: Config, guide: str, step_id: str, hidden: bool = False) -> str:
    """file:line of a guide's step, for messages; "" when the file no longer has it."""
    path = config.path("steps_dir") / f"{'_' if hidden else ''}{guide}.yml"
    loaded = load_guide(path)
    steps = loaded.data.get("steps") if isinstance(loaded.data, dict) else None
    shown = path.relative_to(config.root) if path.is_relative_to(config.root) else path
    if not step_id:
        return f"{shown}:1"
    for index, step in enumerate(steps if isinstance(steps, list) else []):
        own = step.get("id") if isinstance(step, dict) else None
        if (own if isinstance(own, str) else f"step-{index + 1}") == step_id:
            return f"{shown}:{loaded.positions.of(('steps', index))[0]}"
    return ""


class SetupStates:
    """Each setup guide's result per worker, platform, language and colour scheme:
    the browser storage it leaves (cookies, local storage), or its failure. Per
    worker, since a worker may have an app server of its own, where another's
    sign-in is unknown. Kept in memory only: signed-in cookies are never written
    anywhere."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.locks: dict[tuple[str, ...], threading.Lock] = {}
        self.results: dict[tuple[str, ...], dict[str, Any] | Failure] = {}

    def get(self, key: tuple[str, ...], run: Callable[[], dict[str, Any] | Failure]) -> Any:
        with self.lock:
            own = self.locks.setdefault(key, threading.Lock())
        with own:
            if key not in self.results:
                self.results[key] = run()
            return self.results[key]

    def forget(self, worker: str) -> None:
        """Drop a worker's results: a reset of its app's data may have undone them
        (a sign-in's session), so each setup guide runs again."""
        with self.lock:
            for key in [key for key in self.results if key[0] == worker]:
                del self.results[key]


def _sign_in(
    browser: Any, playwright: Any, config: Config, job: Job, url: str, trace_dir: Path | None
) -> dict[str, Any] | Failure:
    """Run the job's setup guide: the storage it leaves, or its failure, which is
    named by the setup guide's file name (_sign-in) and has its screenshot (the
    secrets it typed masked) and, when traces are asked for, its trace."""
    from .runner import GuideFailed, run_guide

    assert job.setup is not None
    name = f"_{job.setup.id}"
    trace = None
    if trace_dir is not None:
        trace = str(trace_dir / layout.trace_name(name, job.platform, job.lang, job.scheme))
    kept: dict[str, Any] = {}
    try:
        run_guide(
            browser,
            playwright,
            config,
            job.setup,
            job.platform,
            job.lang,
            url,
            scheme=job.scheme,
            shoot=False,
            trace_path=trace,
            keep=kept,
        )
    except GuideFailed as failed:
        where = step_location(config, job.setup.id, failed.failure.step_id, hidden=True)
        return replace(failed.failure, guide=name, where=where)
    return kept["storage_state"]


# Runs of one worker whose images are settled at once, beside its browsing.
SETTLING = 2

# Added to a failed run's reason when workers run side by side against one app.
SHARED_HINT = (
    "; {count} workers share one app, so another run may have changed the app's data "
    "meanwhile: give each worker its own app server ({{worker}} in [tool.guidegen.server], "
    "see the editors' docs, Document your own app › One app server per worker) or set "
    "workers = 1"
)


def _worker(
    config: Config,
    shared: str | None,
    worker: int,
    todo: queue.Queue[Job],
    done: queue.Queue[Outcome | BaseException | None],
    stop: threading.Event,
    shoot: bool,
    trace_dir: Path | None,
    then: Callable[[Job, Run], Any] | None,
    states: SetupStates,
) -> None:
    # Playwright is imported only where a browser starts, so that redraw,
    # which shares this module, never loads it.
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from .runner import GuideFailed, run_guide

    # The images of a run are settled (drawn, compared, written) on threads of
    # the worker's own while its browser goes on to the next run; at most
    # SETTLING runs wait there, so memory stays bounded.
    settling = ThreadPoolExecutor(max_workers=SETTLING)
    waiting: deque[Future[None]] = deque()
    server = None if config.base_url else config.server
    # The app: the one all workers share, or this worker's own server.
    app = nullcontext(shared) if shared is not None else app_url(config, worker)

    def settle(job: Job, run: Run) -> None:
        try:
            if not stop.is_set():
                done.put(Outcome(job, run, None, then(job, run) if then else None))
        except BaseException as error:  # handed to the main thread, which re-raises it
            if not stop.is_set():
                done.put(error)

    try:
        with app as url, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                while not stop.is_set():
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        break
                    trace = None
                    if trace_dir is not None:
                        name = layout.trace_name(job.guide.id, job.platform, job.lang, job.scheme)
                        trace = str(trace_dir / name)
                    if server is not None and server.reset:
                        scenario = job.guide.scenario or ""
                        reset(config, server, url, worker, scenario, job.name)
                        states.forget(str(worker))
                    state = None
                    if job.setup is not None:
                        key = (str(worker), job.setup.id, job.platform, job.lang, job.scheme)
                        state = states.get(
                            key,
                            partial(_sign_in, browser, playwright, config, job, url, trace_dir),
                        )
                        if isinstance(state, Failure):
                            done.put(Outcome(job, None, None, blocked=state))
                            continue
                    try:
                        run = run_guide(
                            browser,
                            playwright,
                            config,
                            job.guide,
                            job.platform,
                            job.lang,
                            url,
                            scheme=job.scheme,
                            shoot=shoot,
                            trace_path=trace,
                            storage_state=state,
                        )
                    except GuideFailed as failed:
                        where = step_location(config, job.guide.id, failed.failure.step_id)
                        failure = _crashed(job, replace(failed.failure, where=where), browser)
                        done.put(Outcome(job, None, failure))
                    except PlaywrightError:
                        if browser.is_connected():
                            if _driver_gone(browser):
                                raise DriverGone() from None
                            raise
                        done.put(Outcome(job, None, _crashed(job, None, browser)))
                    else:
                        if stop.is_set():  # interrupted: write nothing more
                            break
                        if len(waiting) == SETTLING:
                            waiting.popleft().result()
                        waiting.append(settling.submit(settle, job, run))
                    if not browser.is_connected() and not stop.is_set():
                        # A crash fails only the run in flight; the next gets a new browser.
                        browser = launch(playwright)
            finally:
                with suppress(PlaywrightError):
                    browser.close()
    except BaseException as error:  # handed to the main thread, which re-raises it
        if not stop.is_set():  # after an interrupt nobody listens, and noise helps no one
            done.put(error)
    finally:
        settling.shutdown(wait=True)
        done.put(None)


def _driver_gone(browser: Browser) -> bool:
    """Whether Playwright's driver died under a browser that still counts as
    connected (the browser is the driver's child: nothing tells it so)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        browser.new_context().close()
    except PlaywrightError:
        return True
    return False


def _crashed(job: Job, failure: Failure | None, browser: Browser) -> Failure:
    """The failure of a run, saying so when the browser itself died under it."""
    if browser.is_connected() and failure is not None:
        return failure
    reason = "the browser crashed or was killed; the other runs go on in a new one"
    if failure is not None:
        return replace(failure, reason=reason, screenshot=None)
    return Failure(
        job.guide.id, 0, job.platform, job.lang, "open the app", reason, "", None, job.scheme
    )


def clear_failures(config: Config, jobs: Sequence[Job]) -> None:
    """Remove the failure screenshots and traces that earlier runs of these jobs left
    in .guidegen/, so that what is there belongs to runs that failed last time they
    ran. Never through a symlink: a folder that is one (a pull request can commit
    one) is left alone."""
    guidegen = config.root / ".guidegen"
    names: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for job in jobs:
        names.add(layout.trace_name(job.guide.id, job.platform, job.lang, job.scheme))
        first = layout.failure_name(job.guide.id, 0, job.platform, job.lang, job.scheme)
        head = f"{job.guide.id}-step"
        patterns.append(re.compile(re.escape(head) + r"\d+" + re.escape(first[len(head) + 1 :])))
    for folder in (guidegen / "failures", guidegen / "traces"):
        if guidegen.is_symlink() or folder.is_symlink() or not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name in names or any(p.fullmatch(path.name) for p in patterns):
                with suppress(FileNotFoundError):
                    path.unlink()


def execute(
    config: Config,
    jobs: Sequence[Job],
    *,
    shoot: bool,
    trace_dir: Path | None = None,
    workers: int | None = None,
    then: Callable[[Job, Run], Any] | None = None,
) -> Iterator[Outcome]:
    """Run jobs in parallel, yielding each run or failure as it ends.

    Each worker thread has its own browser: Playwright's sync API is bound to
    the thread that started it. Every job gets a fresh browser context.
    `then`, when given, runs on each successful run on a thread of the worker,
    while its browser goes on to the next run (drawing and comparing images
    overlaps with browsing, the worker's own and the others').
    """
    if not jobs:
        return
    clear_failures(config, jobs)
    # Before the app and each worker's Playwright start (half a second of CPU each).
    configured_chromium()
    count = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    todo: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue[Outcome | BaseException | None] = queue.Queue()
    stop = threading.Event()
    states = SetupStates()
    server = None if config.base_url else config.server
    isolated = server is not None and server.isolated
    if server is not None and server.reset and not isolated and count > 1:
        raise ConfigError(
            f"[tool.guidegen.server] reset: {count} workers share one app server, so a reset "
            "would change the data under another worker's run; put {worker} in its command, "
            "cwd or env (one server per worker), or set workers = 1"
        )
    shared_app = count > 1 and not isolated and (server is not None or bool(config.base_url))
    hint = SHARED_HINT.format(count=count) if shared_app else ""
    # Each worker starts its own server in its own thread, all at once.
    with nullcontext(None) if isolated else app_url(config) as shared:
        threads = [
            threading.Thread(
                target=_worker,
                args=(config, shared, index, todo, done, stop, shoot, trace_dir, then, states),
                daemon=True,
            )
            for index in range(count)
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
                    raise exited() or item
                else:
                    if item.failure is not None:
                        # A run that failed because the app died is the app's exit, not the guide's.
                        gone = exited()
                        if gone is not None:
                            raise gone
                        if hint:
                            reason = item.failure.reason + hint
                            item = replace(item, failure=replace(item.failure, reason=reason))
                    yield item
        finally:
            stop.set()
            for thread in threads:
                thread.join()


def shows(path: Path, pixels: Image.Image) -> bool:
    """Whether the file at path shows exactly these pixels, whatever its
    encoding; a damaged file shows nothing."""
    if not path.is_file():
        return False
    try:
        return decode(path.read_bytes()).tobytes() == pixels.tobytes()
    except Exception:  # Pillow raises many kinds for a damaged file
        return False


def write_unless_shown(path: Path, pixels: Image.Image, data: Callable[[], bytes]) -> bool:
    """Write data() unless the file already shows exactly these pixels: bytes on
    disk are kept whatever their encoding, so no capture, forced or not, churns
    files whose pixels did not change (and an unchanged image is never encoded).
    Returns whether the file was written."""
    return not shows(path, pixels) and write_atomic(path, data())


def step_images(run: Run, smaller: bool = False) -> list[StepImages]:
    """Each step's raw frames (as the browser took them), drawn image (in the
    committed format) and frames.json entry, in memory."""
    result = []
    for shot in run.steps:
        # A native dialog is not in the screenshot: it is drawn into the raw frame,
        # so the frame shows what the reader saw and redraw needs no dialog data.
        frames = [
            replace(
                frame, png=draw_dialog(frame.png, frame.dialog, run.platform, run.scale, run.lang)
            )
            if frame.dialog is not None and frame.png
            else frame
            for frame in shot.frames
        ]
        picture = compose(frames, run.scale, side_by_side=run.platform in platforms.phones())
        entries = frame_entries(
            [layout.raw_name(shot.step.id, i) for i in range(1, len(frames) + 1)],
            frames,
            picture,
        )
        for frame_json, frame in zip(entries, frames, strict=True):
            if frame.dialog is not None:
                frame_json["dialog"] = frame.dialog.as_json()
        entry = {"id": shot.step.id, "number": shot.step.number, "frames": entries}
        raw = tuple(frame.png for frame in frames)
        result.append(StepImages(shot.step.id, raw, b"", entry, picture.image, smaller))
    return result


def frame_entries(
    raws: Sequence[str], frames: Sequence[Frame], picture: Picture
) -> list[dict[str, Any]]:
    """The frames.json entries of a step's frames, with where the picture put them."""
    return [
        frame_entry(
            frame,
            raw,
            crop=drawn.crop,
            at=at,
            badges=[p.badge for p in drawn.placements],
            outlines=[(p.outline, p.stroke) for p in drawn.placements],
        )
        for raw, frame, drawn, at in zip(raws, frames, picture.frames, picture.at, strict=True)
    ]


def read_committed(folder: Path) -> tuple[dict[str, Any], dict[str, StepImages]]:
    """The committed frames.json of a job folder and its steps' images.

    A damaged frames.json counts as none and a damaged image as missing, each
    named on stderr, so the capture writes them again; a path leading outside
    the folder is refused (UnsafePath).
    """
    try:
        meta = read_frames(folder)
    except Damaged as damage:
        print(f"guidegen: {damage}", file=sys.stderr, flush=True)
        return {}, {}
    if meta is None:
        return {}, {}
    steps = {}
    for entry in meta["steps"]:
        annotated = _committed_image(layout.step_image(folder, entry["id"]))
        raws = [_committed_image(path) for path in _raw_files(folder, entry)]
        steps[entry["id"]] = StepImages(
            entry["id"], tuple(raws) if annotated and all(raws) else (), annotated, entry
        )
    return meta, steps


def _raw_files(folder: Path, entry: dict[str, Any]) -> list[Path]:
    """A checked frames.json entry's raw frames: on the machine that captured
    them only, since git ignores them (see README, "What is committed")."""
    return [layout.raw_path(folder, frame["raw"]) for frame in entry["frames"]]


def _write_raw(folder: Path, entry: dict[str, Any], raws: Sequence[bytes]) -> list[Path]:
    """Write a step's raw frames under the names entry gives them; the written
    ones. Always at the fast setting: they stay on this machine, so optimise,
    which buys smaller committed files, would cost time for nothing."""
    written = []
    for frame, png in zip(entry["frames"], raws, strict=True):
        path = layout.raw_path(folder, frame["raw"])
        if write_unless_shown(path, decode(png), partial(stored, png, False)):
            written.append(path)
    return written


def _committed_image(path: Path) -> bytes:
    """The committed image's bytes; empty when it is missing or damaged (said on
    stderr). Only its structure is checked here: its pixels are decoded once, when
    it is judged (see _judged)."""
    if not path.is_file():
        return b""
    data = path.read_bytes()
    problem = image_problem(data, full=False)
    if problem is not None:
        print(f"guidegen: {shown(path)}: {problem}; {FIX}", file=sys.stderr, flush=True)
        return b""
    return data


def _judged(key: str, fresh: StepImages, old: StepImages | None, tolerance: Tolerance) -> Verdict:
    """judge; but a committed image whose structure holds while its pixels do not
    decode (garbled or crafted) counts as missing, said on stderr, so it is written again."""
    try:
        return judge(key, fresh, old, tolerance)
    except Exception as error:  # Pillow and zlib raise many kinds for a damaged file
        print(
            f"guidegen: {key}: a committed image does not decode ({error}); {FIX}",
            file=sys.stderr,
            flush=True,
        )
        return Verdict(key, "missing")


def intact(folder: Path, whole: WholeFolders) -> bool:
    """Whether a job folder's frames.json and every step image it lists are whole
    (no pixel is decoded: the files' structure only; raw frames are not
    committed, so a fresh clone lacks them). A folder found whole before
    whose files have not changed since is not read again. Raises UnsafePath for
    a crafted file."""
    if whole.unchanged(folder):
        return True
    try:
        meta = read_frames(folder)
    except Damaged:
        return False
    if meta is None:
        return False
    files = [layout.step_image(folder, entry["id"]) for entry in meta["steps"]]
    if not all(
        path.is_file() and not image_problem(path.read_bytes(), full=False) for path in files
    ):
        return False
    names = [layout.FRAMES, *(path.relative_to(folder).as_posix() for path in files)]
    whole.found_whole(folder, names)
    return True


@dataclass(frozen=True)
class JobResult:
    verdicts: tuple[Verdict, ...]
    fresh: dict[str, StepImages]
    old: dict[str, StepImages]
    written: tuple[Path, ...]


def step_key(run: Run, step: str) -> str:
    return layout.step_key(run.guide, run.platform, run.lang, run.scheme, step)


def _with_new_fields(kept: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """A kept step's frames.json entry with what this capture measured that the
    entry lacks (a field a newer capture records), so an unchanged picture gets
    it without churning what it has."""
    frames = kept.get("frames", [])
    if len(frames) != len(fresh.get("frames", [])):
        return kept
    merged = [{**new, **old} for old, new in zip(frames, fresh["frames"], strict=True)]
    return {**kept, "frames": merged}


def settle_run(
    config: Config, run: Run, tolerance: Tolerance, *, write: bool, prune: bool
) -> JobResult:
    """Compare a run with the committed images; write what changed when asked.

    Below the tolerance the committed bytes stay as they are, so a capture,
    forced or not, never churns files for invisible rendering noise: a few
    pixels of a glyph's edge can differ from one run to the next.
    """
    folder = layout.job_dir(
        config.path("screenshots_dir"), run.guide, run.platform, run.lang, run.scheme
    )
    meta, old = read_committed(folder)
    fresh = {images.step: images for images in step_images(run, config.optimise)}
    verdicts: list[Verdict] = []
    entries: list[dict[str, Any]] = []
    written: list[Path] = []
    # Step by step, so that each image is decoded once: judged, then compared
    # before writing while its pixels are still in decode's cache.
    for step, images in fresh.items():
        verdict = _judged(step_key(run, step), images, old.get(step), tolerance)
        verdicts.append(verdict)
        if not write:
            continue
        if verdict.needs_writing:
            written += _write_raw(folder, images.entry, images.raw)
            image = layout.step_image(folder, step)
            if write_unless_shown(image, images.pixels(), partial(attrgetter("annotated"), images)):
                written.append(image)
            entries.append(images.entry)
        else:
            kept = old[step]
            if not kept.raw:
                # A fresh clone: keep this capture's raw frames for redraw.
                _write_raw(folder, kept.entry, images.raw)
            entries.append(_with_new_fields(kept.entry, images.entry))
    orphans = sorted(set(old) - set(fresh))
    verdicts += [Verdict(step_key(run, step), "orphaned") for step in orphans]
    if write:
        if prune:
            for step in orphans:
                for frame in old[step].entry.get("frames", []):
                    with suppress(ValueError):
                        layout.raw_path(folder, frame["raw"]).unlink(missing_ok=True)
                layout.step_image(folder, step).unlink(missing_ok=True)
        else:
            entries += [old[step].entry for step in orphans]
        new_meta = {
            "guide": run.guide,
            "platform": run.platform,
            "lang": run.lang,
            "scheme": run.scheme,
            "device": run.device,
            "scale": run.scale,
            "viewport": list(run.viewport),
            "steps": entries,
        }
        if new_meta != meta and write_atomic(
            layout.frames_file(folder), layout.frames_text(new_meta)
        ):
            written.append(layout.frames_file(folder))
    return JobResult(tuple(verdicts), fresh, old, tuple(written))


MANIFEST = "manifest.json"
CODE_SUFFIXES = frozenset({".py", ".js"})
APP_SUFFIXES = frozenset({".html", ".css", ".js", ".mjs", ".json", ".svg", ".woff2"})


def code_files() -> list[Path]:
    """The files whose change may alter what a capture produces: every module
    and script of the capture package, and the guide model it runs. The rest of
    the package (the CLI, rendering, linting) can change without recapturing."""
    package = Path(__file__).parent
    own = (p for p in package.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES)
    return [*sorted(own), Path(guide_model.__file__)]


def code_hash() -> str:
    digest = hashlib.sha256(__version__.encode())
    root = Path(__file__).parent.parent
    for path in code_files():
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
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
    return layout.job_key(job.guide.id, job.platform, job.lang, job.scheme)


def fingerprint(
    config: Config, job: Job, app: str, code: str, dumped: dict[int, Any] | None = None
) -> str:
    """Everything a job's images depend on, hashed. `dumped` keeps each guide's
    JSON form across calls: a guide has a job per platform, language and scheme."""
    dumped = {} if dumped is None else dumped
    for model in (job.guide, job.setup):
        if model is not None and id(model) not in dumped:
            dumped[id(model)] = model.model_dump(mode="json", by_alias=True)
    device = config.devices[job.platform]
    facts = {
        "guide": dumped[id(job.guide)],
        "setup": dumped[id(job.setup)] if job.setup else None,
        "platform": job.platform,
        "lang": job.lang,
        "scheme": job.scheme,
        "device": [device.descriptor, device.viewport, device.scale],
        "run": [config.start_url, config.ready, config.clock, config.timezone],
        "style": hashlib.sha256(capture_style(config).encode()).hexdigest(),
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


def update_manifest(config: Config, entries: dict[str, str]) -> None:
    """Set entries in the manifest as it is on disk now, keeping every other key."""
    manifest = read_manifest(config)
    manifest.update(entries)
    write_manifest(config, manifest)


def watched(root: Path, pattern: str) -> Iterator[Path]:
    """The paths a watch glob matches: relative to the project's folder, or absolute
    (searched from its longest part without wildcards)."""
    if not Path(pattern).is_absolute():
        yield from root.glob(pattern)
        return
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if any(c in part for c in "*?[")), len(parts))
    base = Path(*parts[:fixed])
    if fixed == len(parts):
        yield base
    else:
        yield from base.glob(str(Path(*parts[fixed:])))


def watch_hash(config: Config, server: Server) -> str:
    """A hash of the server's commands and of the files its watch globs match."""
    digest = hashlib.sha256(server.command.encode() + b"\0")
    if server.reset:
        digest.update(server.reset.encode() + b"\0")
    found = {p for pattern in server.watch for p in watched(config.root, pattern) if p.is_file()}
    for path in sorted(found):
        digest.update(Path(os.path.relpath(path, config.root)).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprints(config: Config, jobs: Sequence[Job]) -> dict[str, str]:
    """Each job's fingerprint; none when the app is elsewhere and cannot be hashed
    (a URL, or a server without watch globs)."""
    if config.base_url:
        return {}
    if config.server is not None:
        if not config.server.watch:
            return {}
        app = watch_hash(config, config.server)
    else:
        app = app_hash(config)
    code = code_hash()
    dumped: dict[int, Any] = {}
    return {job_key(job): fingerprint(config, job, app, code, dumped) for job in jobs}


def outdated(config: Config, jobs: Sequence[Job], prints: dict[str, str]) -> list[Job]:
    """The jobs whose images are missing or were made from something else."""
    manifest = read_manifest(config)
    whole = WholeFolders(config.root / ".guidegen" / "cache" / "whole-folders.json")
    found = [
        job
        for job in jobs
        if job_key(job) not in prints
        or manifest.get(job_key(job)) != prints[job_key(job)]
        or not intact(job_dir(config, job), whole)
    ]
    whole.save()
    return found


def shard(jobs: Sequence[Job], index: int, count: int) -> list[Job]:
    """Shard index (1-based) of count: every count-th job in key order, so shards
    differ by at most one job and together are exactly the whole."""
    ordered = sorted(jobs, key=job_key)
    return ordered[index - 1 :: count]


def tolerance_for(config: Config, guide: Guide | None) -> Tolerance:
    """The guide's own tolerance where it sets one, else the project's."""
    own = guide.compare if guide else None
    return Tolerance(
        threshold=own.threshold if own and own.threshold is not None else config.threshold,
        budget=own.budget if own and own.budget is not None else config.budget,
    )


def orphaned_folders(config: Config, universe: Sequence[Job]) -> list[Path]:
    """Committed job folders that no guide, platform, language and scheme makes any more."""
    wanted = {job_dir(config, job) for job in universe}
    return [p for p in layout.job_folders(config.path("screenshots_dir")) if p not in wanted]


@dataclass(frozen=True)
class CaptureResult:
    captured: int
    skipped: int
    changed: int
    failures: tuple[Failure, ...]  # a failed setup guide's run once, however many need it
    results: Results
    not_run: tuple[str, ...] = ()  # the jobs a failed setup guide kept from running, and why


def verdict_counts(verdicts: Sequence[Verdict]) -> str:
    """What a run's images are, e.g. "2 new", "1 changed, 3 unchanged"."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no images"


def _report_item(verdict: Verdict, job: JobResult, folder: Path | None) -> Item:
    step = verdict.key.rsplit("/", 1)[1]
    names: dict[str, str] = {}
    if folder is not None and verdict.status != "unchanged":
        old = job.old.get(step)
        new = job.fresh.get(step)
        images = {
            "before": old.annotated if old else b"",
            "after": new.annotated if new else b"",
        }
        if old and new and old.annotated:
            images["diff"] = diff_image(old.annotated, new.annotated, Tolerance())
        names = write_images(folder, verdict.key, images)
    return Item(verdict.key, verdict.status, verdict.changed_pixels, verdict.total_pixels, **names)


def capture(
    config: Config,
    jobs: Sequence[Job],
    *,
    check: bool = False,
    force: bool = False,
    prune: bool = False,
    workers: int | None = None,
    report_dir: Path | None = None,
    universe: Sequence[Job] = (),
) -> CaptureResult:
    """Capture jobs and settle them against the committed images.

    Update (the default) runs only jobs whose inputs changed (all with force)
    and writes, either way, what changed beyond the tolerance, as each run succeeds: a
    failed run leaves that job's images as they were. Check runs every job,
    writes no screenshot, and reports what would change. universe is every
    job of the project, for finding orphaned folders.
    """
    screenshots = within(config.root, config.path("screenshots_dir"), WRITE_FIX)
    for job in jobs:
        own_folder(screenshots, job_dir(config, job))
    prints = fingerprints(config, jobs)
    todo = list(jobs) if (force or check) else outdated(config, jobs, prints)
    failures: list[Failure] = []
    not_run: list[str] = []
    items: list[Item] = []
    changed = captured = 0
    for folder in orphaned_folders(config, universe) if universe else []:
        key = folder.relative_to(config.path("screenshots_dir")).as_posix() + "/*"
        items.append(Item(key, "orphaned"))
        if prune and not check:
            layout.remove_job(folder)
    if todo:
        with progress(len(todo), "checking" if check else "capturing") as bar:

            def settle(job: Job, run: Run) -> JobResult:
                # Each job writes only its own folder, so workers settle in parallel.
                tolerance = tolerance_for(config, job.guide)
                return settle_run(config, run, tolerance, write=not check, prune=prune)

            for outcome in execute(config, todo, shoot=True, workers=workers, then=settle):
                if outcome.blocked is not None:
                    if outcome.blocked not in failures:
                        failures.append(outcome.blocked)
                        bar.note(f"FAILED setup guide {setup_run(outcome.blocked)}")
                    not_run.append(outcome.not_run)
                    bar.advance(f"not run {outcome.not_run}")
                    continue
                if outcome.run is None:
                    assert outcome.failure is not None
                    failures.append(outcome.failure)
                    bar.advance(f"FAILED {outcome.job.name}")
                    continue
                captured += 1
                key = job_key(outcome.job)
                settled: JobResult = outcome.settled
                changed += len(settled.written)
                items += [_report_item(v, settled, report_dir) for v in settled.verdicts]
                if key in prints and not check:
                    update_manifest(config, {key: prints[key]})
                verb = "checked" if check else "captured"
                bar.advance(f"{verb} {outcome.job.name}: {verdict_counts(settled.verdicts)}")
    shots: dict[str, str] = {}
    if report_dir is not None:
        for failure in failures:
            if failure.screenshot:
                step = layout.step_key(
                    failure.guide, failure.platform, failure.lang, failure.scheme, str(failure.step)
                )
                key = f"failed/{step}"
                shots.update(
                    {
                        failure.line(): write_images(
                            report_dir, key, {"screen": failure.screenshot}
                        )["screen"]
                    }
                )
    results = Results(
        tuple(items),
        {job_key(j): prints[job_key(j)] for j in jobs if job_key(j) in prints},
        tuple(f.line() for f in failures),
        shots,
        tuple(not_run),
    )
    if report_dir is not None:
        write_report(report_dir, results)
    return CaptureResult(
        captured,
        len(jobs) - len(todo),
        changed,
        tuple(failures),
        results,
        tuple(not_run),
    )


def _frames_from_meta(folder: Path, entry: dict[str, Any]) -> list[Frame]:
    frames = []
    for index, frame in enumerate(entry["frames"]):
        data = check_image(layout.raw_path(folder, frame["raw"]), REDRAW_FIX)
        try:
            frames.append(frame_from_entry(frame, data))
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            where = f"steps[id={entry['id']}].frames[{index}]"
            raise Damaged(
                f"{layout.frames_file(folder)}: {where} is not what a capture writes "
                f"({type(error).__name__}: {error}); {REDRAW_FIX}"
            ) from None
    return frames


def _looks_the_same(path: Path, pixels: Image.Image, tolerance: Tolerance) -> bool:
    """Whether the image at path differs from these pixels by no more than
    rendering noise; a missing or damaged file does not."""
    if not path.is_file():
        return False
    try:
        found = pixel_difference(decode(path.read_bytes()), pixels, tolerance)
        return not found.beyond(tolerance)
    except Exception:  # Pillow raises many kinds for a damaged file
        return False


def redraw(config: Config) -> list[Path]:
    """Draw every step image again from its raw frames and boxes, with no browser.

    For a change of annotation style or crop: the UI is not run, so nothing but
    the drawing can change. The whole raw frames and the page geometry in
    frames.json are enough to crop again. Returns the images it wrote: those
    that differ from the committed ones beyond the guide's tolerance, since the
    raw frames of a capture on a fresh clone differ from those that made the
    committed images by rendering noise. frames.json gets the new crops and badges.
    """
    metas = []
    for folder in layout.job_folders(config.path("screenshots_dir")):
        try:
            meta = read_frames(folder)
        except Damaged as damage:
            raise Damaged(str(damage).replace(FIX, REDRAW_FIX)) from None
        assert meta is not None
        metas.append((folder, meta))
    # Checked before any image is drawn, so a redraw is done whole or not at all.
    absent = [
        path
        for folder, meta in metas
        for entry in meta["steps"]
        for path in _raw_files(folder, entry)
        if not path.is_file()
    ]
    if absent:
        more = f" and {len(absent) - 1} more raw frames are" if len(absent) > 1 else " is"
        raise Damaged(
            f"{shown(absent[0])}{more} not on this machine (git does not keep raw"
            " frames; a capture writes them); run guidegen capture --force, then redraw"
        )
    guide_files = {path.stem: path for path in config.path("steps_dir").glob("*.yml")}
    changed = []
    for folder, meta in metas:
        meta_path = layout.frames_file(folder)
        guide_file = guide_files.get(meta["guide"])
        tolerance = tolerance_for(config, load_guide(guide_file).guide if guide_file else None)
        entries = []
        for entry in meta["steps"]:
            frames = _frames_from_meta(folder, entry)
            side_by_side = meta["platform"] in platforms.phones()
            picture = compose(frames, meta["scale"], side_by_side=side_by_side)
            raws = [frame["raw"] for frame in entry["frames"]]
            entries.append({**entry, "frames": frame_entries(raws, frames, picture)})
            target = layout.step_image(folder, entry["id"])
            if _looks_the_same(target, picture.image, tolerance):
                continue
            if write_atomic(target, encode(picture.image, config.optimise)):
                changed.append(target)
        write_atomic(meta_path, layout.frames_text({**meta, "steps": entries}))
    return changed
