"""Capture benchmark: guidegen against a bare Playwright script doing the same work.

Prints, from one run on one machine:
- the full capture of every guide (guidegen capture --force, in a copy of the
  project, so the working tree is untouched);
- a bare Playwright script doing the same navigations, actions and
  screenshots with nothing around it (one browser, one context per run,
  sequential);
- their ratio; guidegen with one worker too, for a like-for-like ratio;
- a no-op incremental run (nothing changed: no browser should start);
- the cost per screenshot.
The last line is machine-readable: ratio=<x> noop_s=<y> shots=<n>.

Run: .venv/bin/python bench/capture.py [--guide ID] [--scheme light|dark]
(each repeatable; by default every guide in every colour scheme).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guidegen.capture.browser import launch  # noqa: E402
from guidegen.capture.jobs import plan  # noqa: E402
from guidegen.capture.session import context_options  # noqa: E402
from guidegen.config import load_config  # noqa: E402
from guidegen.guide.actions import (  # noqa: E402
    Fill,
    Highlight,
    ScrollTo,
    Select,
    action_target,
    is_marked,
)
from guidegen.guide.lint import lint  # noqa: E402
from guidegen.guide.model import steps_for  # noqa: E402
from guidegen.guide.types import text_in  # noqa: E402
from guidegen.server import serve  # noqa: E402


def copy_project(target: Path) -> None:
    for name in ("steps", "mockshop"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("preview"))
    for name in ("pyproject.toml", "facts.yml", "terms.yml"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, target / name)


def guidegen(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "guidegen.cli", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={**os.environ, "CI": "true"},
    )
    return time.perf_counter() - start


def bare(config, jobs) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """The same runs written as a plain script: locate, act, screenshot."""
    shots = 0
    with serve(config.path("shop_dir")) as url, sync_playwright() as playwright:
        start = time.perf_counter()
        browser = launch(playwright)
        for job in jobs:
            context = browser.new_context(
                **context_options(config, playwright, job.platform, job.lang, job.scheme)
            )
            page = context.new_page()
            page.clock.set_fixed_time(dt.datetime.fromisoformat(config.clock))
            start_url = config.start_url.format(
                platform=job.platform, lang=job.lang, scenario=job.guide.scenario or ""
            )
            page.goto(url + start_url.lstrip("/"))
            page.wait_for_selector(config.ready, state="attached")
            for step in steps_for(job.guide, job.platform):
                marked = False
                for action in step.actions:
                    target = action_target(action)
                    element = page.get_by_test_id(target) if isinstance(target, str) else None
                    if element is None:
                        continue
                    if isinstance(action, ScrollTo):
                        element.scroll_into_view_if_needed()
                        continue
                    if not is_marked(action):
                        element.wait_for()
                        continue
                    marked = True
                    element.scroll_into_view_if_needed()
                    element.bounding_box()
                    if isinstance(action, Fill):
                        element.fill(text_in(action.fill.value, job.lang))
                    elif isinstance(action, Select):
                        element.select_option(label=text_in(action.select.option, job.lang))
                    page.screenshot(animations="disabled", caret="hide")
                    shots += 1
                    if isinstance(action, Fill | Select | Highlight):
                        continue
                    if job.platform == "web":
                        element.click()
                    else:
                        element.tap()
                if not marked:
                    page.screenshot(animations="disabled", caret="hide")
                    shots += 1
            context.close()
        browser.close()
        return time.perf_counter() - start, shots


def main() -> None:
    parser = argparse.ArgumentParser(description="guidegen capture against bare Playwright")
    parser.add_argument("--guide", action="append", default=[], metavar="ID")
    parser.add_argument("--scheme", action="append", default=[], choices=("light", "dark"))
    args = parser.parse_args()
    filters = [f"--guide={g}" for g in args.guide] + [f"--scheme={s}" for s in args.scheme]
    config = load_config(ROOT)
    guides = lint([config.path("steps_dir")], config).guides
    jobs = plan(guides, config, guide_ids=args.guide, schemes=args.scheme)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        copy_project(root)
        bare_s, shots = bare(config, jobs)
        full_s = guidegen(root, "capture", "--force", *filters)
        noop_s = guidegen(root, "capture", *filters)
        shutil.rmtree(root / "screenshots")
        one_worker_s = guidegen(root, "capture", "--force", "--workers", "1", *filters)
    ratio = full_s / bare_s
    print(f"runs:                              {len(jobs)} (guide × platform × language × scheme)")
    print(f"screenshots:                       {shots}")
    print(f"bare Playwright script:            {bare_s:7.1f} s")
    print(f"guidegen capture --force:          {full_s:7.1f} s   ratio {ratio:.2f}")
    print(
        f"guidegen capture, 1 worker:        {one_worker_s:7.1f} s   ratio "
        f"{one_worker_s / bare_s:.2f}"
    )
    print(f"no-op incremental capture:         {noop_s:7.2f} s")
    print(f"per screenshot (guidegen):         {full_s / shots:7.3f} s")
    print(f"ratio={ratio:.2f} noop_s={noop_s:.2f} shots={shots}")


if __name__ == "__main__":
    main()
