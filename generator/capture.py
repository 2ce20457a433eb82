"""Capture: run guides in the browser and write their screenshots.

For every (guide, platform, language) it writes, under
``screenshots/<lang>/<platform>/<guide>/``: one annotated PNG per step, the
raw frames in ``raw/``, and ``frames.json`` with the boxes of every mark and
redaction, so images can be redrawn and compared without a browser.
"""

from __future__ import annotations

import json
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


def execute(
    config: Config,
    jobs: Sequence[Job],
    *,
    shoot: bool,
    base_url: str | None = None,
    trace_dir: Path | None = None,
) -> Iterator[Outcome]:
    """Run each job in one browser, yielding its run or its failure as it ends."""
    with app_url(config, base_url) as url, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for job in jobs:
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
                    yield Outcome(job, None, failed.failure)
                else:
                    yield Outcome(job, run, None)
        finally:
            browser.close()


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


def capture(config: Config, jobs: Sequence[Job], base_url: str | None = None) -> list[Failure]:
    """Capture every job, writing images as each run succeeds; return the failures."""
    failures: list[Failure] = []
    with progress(len(jobs), "capturing") as bar:
        for outcome in execute(config, jobs, shoot=True, base_url=base_url):
            if outcome.run is not None:
                changed = write_run(config, outcome.run)
                bar.advance(f"captured {outcome.job.name}: {len(changed)} files changed")
            else:
                assert outcome.failure is not None
                failures.append(outcome.failure)
                bar.advance(f"FAILED {outcome.job.name}")
    return failures
