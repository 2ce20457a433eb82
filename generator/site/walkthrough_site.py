"""Walkthrough videos on the site: made from the committed captures, placed in
``docs/<lang>/assets/walkthroughs/``, and offered in each platform tab behind a
"play all steps" button that loads nothing until it is pressed.

A capture job's folder (``generator/capture/layout.py``: ``screenshots/<lang>/<platform>/<guide>/``,
and ``dark/`` inside it for the dark colour scheme) gives the step pictures and
``frames.json``; that file is read as untrusted data: only numbers are taken
from it, and a raw frame's path is used only when it stays inside ``raw/``.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..capture import layout
from ..capture.digests import Digests
from ..config import Config
from ..files import publish_entry, remove_stale, write_atomic
from ..guide.model import Guide, steps_for
from ..guide.types import Platform
from .walkthrough import (
    Box,
    Canvas,
    Step,
    cache_key,
    canvas_for,
    captions,
    encode_cached,
)

WORDS = {
    "ja": {"play": "すべての手順を再生", "video": "すべての手順の動画", "captions": "日本語"},
    "en": {"play": "Play all steps", "video": "All steps as a video", "captions": "English"},
}

# What {tap} in a step text becomes: render.step_text, handed in by the caller.
Wording = Callable[[str, Config, str, str], str]


@dataclass(frozen=True)
class Published:
    """One walkthrough on the site; paths are relative to the language's docs root."""

    scheme: str
    video: str
    captions: str
    width: int
    height: int


def _meta(folder: Path, digests: Digests) -> dict[str, Any]:
    try:
        meta = digests.parsed(layout.frames_file(folder), layout.RENDERED_KEYS)
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if 0 <= value < 1_000_000 else None


def _rect(value: object) -> Box | None:
    if not isinstance(value, list) or len(value) != 4:
        return None
    numbers = [_number(v) for v in value]
    if any(n is None for n in numbers):
        return None
    x, y, w, h = (round(n) for n in numbers)  # type: ignore[arg-type]
    return (x, y, w, h)


def _raw_size(folder: Path, frame: dict[str, Any], digests: Digests) -> tuple[int, int] | None:
    name = frame.get("raw")
    if not isinstance(name, str):
        return None
    try:
        path = layout.raw_path(folder, name)
    except ValueError:
        return None
    try:
        return digests.picture(path).size
    except OSError:
        return None


def _laid_out(sizes: list[tuple[int, int]], picture: tuple[int, int]) -> list[Box]:
    """Where frames of these sizes sit in a picture made before frames.json had
    "at": in a row or a column with equal gaps. Empty when neither fits."""
    width, height = picture
    for across in (True, False):
        along = [w if across else h for w, h in sizes]
        other = [h if across else w for w, h in sizes]
        total, side = (width, height) if across else (height, width)
        spare = total - sum(along)
        if spare < 0 or spare % (len(sizes) - 1) or max(other) != side:
            continue
        gap, offset, boxes = spare // (len(sizes) - 1), 0, []
        for (w, h), length in zip(sizes, along, strict=True):
            boxes.append((offset, 0, w, h) if across else (0, offset, w, h))
            offset += length + gap
        return boxes
    return []


def _frames_of(
    folder: Path, entry: dict[str, Any], picture: tuple[int, int], digests: Digests
) -> tuple[Box, ...]:
    listed = entry.get("frames")
    frames = [f for f in listed if isinstance(f, dict)] if isinstance(listed, list) else []
    if len(frames) < 2:
        return ()
    placed = [_rect(f.get("at")) for f in frames]
    if all(placed):
        return tuple(b for b in placed if b)
    sizes = [_raw_size(folder, f, digests) for f in frames]
    if not all(sizes):
        return ()
    return tuple(_laid_out([s for s in sizes if s], picture))


def _canvas(
    folder: Path, meta: dict[str, Any], first: tuple[int, int], dark: bool, digests: Digests
) -> Canvas:
    """A canvas for the device's screen: its CSS size is the viewport frames.json
    records, or (in captures made before it did) a raw frame's size over the scale."""
    viewport = meta.get("viewport")
    if isinstance(viewport, list) and len(viewport) == 2:
        width, height = (_number(v) for v in viewport)
        if width and height:
            return canvas_for(max(1, round(width)), max(1, round(height)), dark)
    scale = _number(meta.get("scale")) or 1.0
    size = None
    for entry in meta.get("steps", []) if isinstance(meta.get("steps"), list) else []:
        frames = entry.get("frames") if isinstance(entry, dict) else None
        if isinstance(frames, list) and frames and isinstance(frames[0], dict):
            size = _raw_size(folder, frames[0], digests)
            if size:
                break
    size = size or first
    return canvas_for(max(1, round(size[0] / scale)), max(1, round(size[1] / scale)), dark)


def job_steps(
    config: Config,
    guide: Guide,
    platform: str,
    lang: str,
    scheme: str,
    wording: Wording,
    digests: Digests,
) -> tuple[list[Step], Canvas] | None:
    """The walkthrough's steps for one capture job; None when a picture is missing
    or unreadable (render warns about those)."""
    folder = layout.job_dir(config.path("screenshots_dir"), guide.id, platform, lang, scheme)
    meta = _meta(folder, digests)
    entries = (
        {e.get("id"): e for e in meta.get("steps", []) if isinstance(e, dict)}
        if isinstance(meta.get("steps"), list)
        else {}
    )
    steps, sizes = [], []
    for step in steps_for(guide, platform):
        path = layout.step_image(folder, step.id)
        try:
            known = digests.picture(path)
        except OSError:
            return None
        if known.size is None:
            return None
        text = wording(step.text.get(lang), config, platform, lang)
        frames = _frames_of(folder, entries.get(step.id, {}), known.size, digests)
        caption = f"{step.number}. {' '.join(text.split())}"
        steps.append(Step(caption, path, known.digest, frames))
        sizes.append(known.size)
    if not steps:
        return None
    return steps, _canvas(folder, meta, sizes[0], scheme == "dark", digests)


@dataclass(frozen=True)
class _Job:
    platform: str
    guide: str
    scheme: str
    steps: list[Step]
    canvas: Canvas

    @property
    def name(self) -> str:
        return walkthrough_name(self.platform, self.guide, self.scheme)


def walkthrough_name(platform: str, guide: str, scheme: str) -> str:
    suffix = "" if scheme == "light" else f"-{scheme}"
    return f"{layout.SITE_WALKTHROUGHS}/{platform}/{guide}{suffix}"


def publish(
    config: Config, guides: Sequence[Guide], lang: str, wording: Wording, digests: Digests
) -> dict[tuple[str, str], list[Published]]:
    """Make (or take from cache) every walkthrough of one language and write it
    into the docs folder; remove walkthroughs of guides that are gone.

    Encodes on every core (ffmpeg runs one thread per video, so the bytes do
    not depend on the machine), and prints a line per video encoded now and a
    total, since a first build encodes them all and takes a while.
    """
    docs = config.path("docs_dir") / lang
    cache = config.root / ".guidegen" / "cache" / "walkthroughs"
    jobs = []
    for guide in guides:
        for platform in guide.platforms:
            for scheme in config.schemes_for(platform):
                if guide.color_schemes is not None and scheme not in guide.color_schemes:
                    continue
                made = job_steps(config, guide, platform, lang, scheme, wording, digests)
                if made is not None:
                    jobs.append(_Job(platform, guide.id, scheme, *made))

    def encode(job: _Job) -> tuple[Path, bool]:
        cached, encoded = encode_cached(cache, job.steps, job.canvas)
        if encoded:
            print(f"walkthrough {lang}/{job.name}.mp4 encoded", flush=True)
        return cached, encoded

    # Jobs with the same pictures and timing (a guide copied, a flow shared) make one video.
    keys = [cache_key(job.steps, job.canvas) for job in jobs]
    unique = dict(zip(reversed(keys), reversed(jobs), strict=True))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        videos = dict(zip(unique, pool.map(encode, unique.values()), strict=True))
    results = [videos[key] for key in keys]
    found: dict[tuple[str, str], list[Published]] = {}
    wanted: set[Path] = set()
    for job, (cached, _) in zip(jobs, results, strict=True):
        video, vtt = docs / f"{job.name}.mp4", docs / f"{job.name}.vtt"
        publish_entry(cached, video)
        write_atomic(vtt, captions(job.steps).encode())
        wanted |= {video, vtt}
        width, height = job.canvas.width, job.canvas.height
        found.setdefault((job.platform, job.guide), []).append(
            Published(job.scheme, f"{job.name}.mp4", f"{job.name}.vtt", width, height)
        )
    remove_stale(docs / layout.SITE_WALKTHROUGHS, wanted)
    encoded = sum(e for _, e in videos.values())
    if encoded:
        seconds = time.perf_counter() - started
        print(
            f"walkthroughs ({lang}): {encoded} encoded in {seconds:.1f} s, "
            f"{len(results) - encoded} from cache"
        )
    return found


def control(
    walks: Mapping[tuple[str, str], Sequence[Published]],
    platform: Platform,
    guide: str,
    lang: str,
    device: str,
) -> str:
    """The "play all steps" control of one platform tab, as raw HTML; "" without a video.

    It holds only data attributes and a button: walkthrough.js makes the <video>
    when the button is pressed, so nothing is fetched before.
    """
    by_scheme = {p.scheme: p for p in walks.get((platform, guide), ())}
    # The light one by default; a project that captures only dark has that one.
    light = by_scheme.get("light") or by_scheme.get("dark")
    if light is None:
        return ""
    w = WORDS.get(lang, WORDS["en"])
    title = f"{w['video']}（{device}）" if lang == "ja" else f"{w['video']} ({device})"
    attrs = {
        "data-video": light.video,
        "data-captions": light.captions,
        "data-width": str(light.width),
        "data-height": str(light.height),
        "data-lang": lang,
        "data-label": w["captions"],
        "data-title": title,
    }
    dark = by_scheme.get("dark")
    if dark is not None and dark is not light:
        attrs |= {"data-video-dark": dark.video, "data-captions-dark": dark.captions}
    attributes = " ".join(f'{k}="{html.escape(v)}"' for k, v in attrs.items())
    return (
        f'<div class="gg-walkthrough" {attributes}>\n'
        f'<button type="button" class="md-button gg-walkthrough__play" hidden>'
        f"{html.escape(w['play'])}</button>\n"
        "</div>"
    )
