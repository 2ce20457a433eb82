"""Capture: run guides in the browser and write their screenshots.

For every (guide, platform, language, colour scheme) it writes, in the job's
folder (``guidegen.capture.layout``): one annotated image per step, the raw frames in
``raw/``, and ``frames.json`` with the boxes of every mark and redaction, so
images can be redrawn and compared without a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import platforms
from ..config import Config
from ..files import write_atomic
from ..guide.load import load_guide
from ..guide.model import Guide
from ..progress import progress
from ..safepath import WRITE_FIX, own_folder, shown, within
from . import layout
from . import workers as pool
from .annotate import compose
from .compare import (
    Tolerance,
    Verdict,
    diff_image,
    pixel_difference,
)
from .frames import Failure, Frame, Run, frame_from_entry
from .imagefile import decode, encode
from .jobs import Job, job_dir, job_key, orphaned_folders, setup_run
from .manifest import fingerprints, outdated, update_manifest
from .report import Item, Results, write_images, write_report
from .settle import JobResult, _raw_files, frame_entries, settle_run
from .state import FIX, Damaged, check_image, read_frames

if TYPE_CHECKING:
    from PIL import Image

# Redraw needs the raw frames, which only a capture makes.
REDRAW_FIX = "guidegen capture --force for that guide captures it again"


def tolerance_for(config: Config, guide: Guide | None) -> Tolerance:
    """The guide's own tolerance where it sets one, else the project's."""
    own = guide.compare if guide else None
    return Tolerance(
        threshold=own.threshold if own and own.threshold is not None else config.threshold,
        budget=own.budget if own and own.budget is not None else config.budget,
    )


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

            for outcome in pool.execute(config, todo, shoot=True, workers=workers, then=settle):
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
