"""The worker pool of a capture: each worker with its app server and browser runs jobs
(their setup guides first) and hands each run to be settled."""

from __future__ import annotations

import os
import queue
import re
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config, ConfigError
from ..faults import DriverGone
from ..guide.load import load_guide
from ..safepath import within
from ..server import serve
from . import browsers, layout
from .appserver import exited, require_reachable, reset, started
from .browser import configured_chromium
from .frames import Failure, Run
from .jobs import Job, Outcome

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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
    from .runner import run_guide
    from .targets import GuideFailed

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
    owner: browsers.BrowserThread,
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

    from .runner import run_guide
    from .targets import GuideFailed

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
        with app as url:
            # The worker's thread keeps its driver and browser for the next capture.
            browser, playwright = owner.started()
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
                            owner.retire()
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
                    browser, playwright = owner.started()
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


# Runs each worker has at least before a browser more than the cores is started.
RUNS_PER_WORKER = 4


def default_workers(runs: int) -> int:
    """One browser per core, and one more for a long capture: a run waits on the
    app, the network and the renderer, and one more worker keeps the cores busy
    meanwhile (the full capture of the example, 72 runs: 66 s instead of 73 s on
    2 cores); a short one would pay more for starting that browser than it gains."""
    cores = os.cpu_count() or 1
    return cores + 1 if runs >= RUNS_PER_WORKER * (cores + 1) else cores


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

    Each worker runs on a browser thread of its own (browsers.take), whose
    driver and browser outlive the capture: the next one in this process finds
    them started. Every job gets a fresh browser context.
    `then`, when given, runs on each successful run on a thread of the worker,
    while its browser goes on to the next run (drawing and comparing images
    overlaps with browsing, the worker's own and the others').
    """
    if not jobs:
        return
    clear_failures(config, jobs)
    # Before the app and each worker's Playwright start (half a second of CPU each).
    configured_chromium()
    count = max(1, min(workers or default_workers(len(jobs)), len(jobs)))
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
    # Each worker starts its own server on its own browser thread, all at once.
    with nullcontext(None) if isolated else app_url(config) as shared:
        owners = browsers.take(count)
        for index, owner in enumerate(owners):
            owner.hand(
                partial(
                    _worker,
                    config=config,
                    shared=shared,
                    worker=index,
                    todo=todo,
                    done=done,
                    stop=stop,
                    shoot=shoot,
                    trace_dir=trace_dir,
                    then=then,
                    states=states,
                )
            )
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
            for owner in owners:
                owner.wait()
            browsers.give_back(owners)
