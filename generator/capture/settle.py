"""Settling a run: its step images judged against the committed ones, written only
where a reader would see a change, with frames.json."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import platforms
from ..config import Config
from ..files import write_atomic
from ..safepath import shown
from . import layout
from .annotate import Picture, compose
from .compare import (
    StepImages,
    Tolerance,
    Verdict,
    judge,
    raw_difference,
)
from .dialogs import draw as draw_dialog
from .frames import Frame, Run, frame_entry
from .imagefile import decode
from .state import FIX, Damaged, problem_at, read_frames

if TYPE_CHECKING:
    from PIL import Image


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
    ones. As the browser's PNG: they stay on this machine (see imagefile)."""
    written = []
    for frame, png in zip(entry["frames"], raws, strict=True):
        path = layout.raw_path(folder, frame["raw"])
        # Decoded only to compare with a file that is there and holds other bytes.
        if path.is_file() and (path.read_bytes() == png or shows(path, decode(png))):
            continue
        if write_atomic(path, png):
            written.append(path)
    return written


def _outside_changed(kept: StepImages, fresh: StepImages, tolerance: Tolerance) -> bool:
    """Whether an unchanged step's screens changed beyond the tolerance (then
    outside its picture); the same bytes are the same screens, and are not decoded."""
    if kept.raw == fresh.raw:
        return False
    return raw_difference(kept.raw, fresh.raw, tolerance).beyond(tolerance)


def _committed_image(path: Path) -> bytes:
    """The committed image's bytes; empty when it is missing or damaged (said on
    stderr). Only its structure is checked here: its pixels are decoded once, when
    it is judged (see _judged)."""
    if not path.is_file():
        return b""
    data = path.read_bytes()
    problem = problem_at(path, data, full=False)
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
    # A raw frame's name is not measured but made (layout.raw_name): an older
    # capture's name (raw/<step>-<n>.webp) gives way to this one's.
    merged = [
        {**new, **old, "raw": new["raw"]} for old, new in zip(frames, fresh["frames"], strict=True)
    ]
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
            entry = _with_new_fields(kept.entry, images.entry)
            older = set(_raw_files(folder, kept.entry)) - set(_raw_files(folder, entry))
            if not kept.raw or older or _outside_changed(kept, images, tolerance):
                # A fresh clone, raw frames named as an older capture named them, or
                # a screen changed outside the step's picture: keep this capture's
                # raw frames for redraw (not counted as written: git ignores them).
                _write_raw(folder, entry, images.raw)
            for path in older:
                path.unlink(missing_ok=True)
            entries.append(entry)
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
