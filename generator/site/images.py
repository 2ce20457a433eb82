"""Site images: each step's captured picture cut into its frames and encoded as
WebP at a few widths, per colour scheme, for the guide pages.

The committed captures stay lossless (pixel comparison needs them); the
site serves lossy WebP, several widths of each frame, so that a phone downloads
a size for its screen. A multi-frame step becomes one picture per frame, so the
page can lay frames out side by side or one under the other as the screen
allows. Encodings are cached by content hash: a rebuild converts only new or
changed pictures.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeGuard

from PIL import Image

from .. import platforms
from ..capture import layout
from ..capture.digests import Digests, Known
from ..capture.frames import Box
from ..capture.imagefile import problem as image_problem
from ..capture.state import FIX, Damaged
from ..config import Config
from ..files import publish_entry, write_atomic
from ..guide.model import Guide, steps_for
from ..guide.types import Platform
from ..safepath import shown

# Widths offered, in multiples of a frame's CSS width, with their WebP quality.
# A denser picture is seen with more pixels per CSS pixel, which hides
# compression: 2x at quality 60 reads as sharp as 1x at 80, at a fraction of
# the bytes of a 3x picture (what a phone would otherwise pick).
DENSITIES: tuple[tuple[float, int], ...] = ((0.75, 80), (1.0, 80), (1.5, 70), (2.0, 60))
# libwebp's effort. Measured on 60 of the example's pictures at the widths
# above: method 2 encodes in 59% of the time of method 4 (libwebp's default)
# for 4% more bytes; method 3 costs as much as 4, and 1 or 0 write 30% more.
# The first build of a site encodes every picture, so this is most of its time.
WEBP_METHOD = 2
# Part of every cache key: bump it when the encoding changes.
ENCODING = "webp-2"

# A desktop frame is also cut for screens under about 600 CSS px (site_figure),
# which show it across the whole screen (site.css): around its marks, at most
# NARROW_MAX CSS px wide, so that a phone 390 px wide shows it at 0.7 of its
# size (0.64 on a page whose column is 358 px), wider only as far as
# NARROW_LIMIT to take in every badge, and at least NARROW_MIN wide, so that
# the marks keep their surroundings.
NARROW_MAX = 560
NARROW_LIMIT = 640
NARROW_MIN = 360
# Room kept around the marks (less when the badges need it), and the tallest
# crop (CSS px) that still fits 80 % of a phone's screen (844 px high).
NARROW_MARGIN = 32
NARROW_BADGE_MARGIN = 8
NARROW_MAX_HEIGHT = 0.8 * 844 * NARROW_MAX / 390


class PictureError(ValueError):
    """A committed frames.json that the site cannot use; the message says which and why."""


Rect = tuple[int, int, int, int]  # x, y, width, height in image pixels


@dataclass(frozen=True)
class Variant:
    """One encoded width of a frame; name is relative to the language's docs folder."""

    name: str
    width: int
    height: int


@dataclass(frozen=True)
class SiteFrame:
    """One frame of a step as the site shows it."""

    css_width: int  # CSS pixels of the app that the frame shows
    css_height: int
    marks: tuple[int, ...]  # the numbers of the marks drawn on it
    variants: tuple[Variant, ...]  # narrowest first; the last is the sharpest
    # The part around its marks that narrow screens show instead (desktop frames).
    narrow: SiteFrame | None = None
    # Where each mark is: its number and the centre of its outline, as fractions
    # of the frame's width and height (for the alt text); empty in older captures.
    spots: tuple[tuple[int, float, float], ...] = ()


@dataclass(frozen=True)
class StepPicture:
    """A step's frames in the light scheme, and in the dark one when captured."""

    light: tuple[SiteFrame, ...]
    dark: tuple[SiteFrame, ...]
    side_by_side: bool  # how the capture composed them: phones in a row


@dataclass(frozen=True)
class _FrameMeta:
    raw: str | None
    at: Rect | None
    crop: Box | None
    marks: tuple[int, ...]
    # Each mark's outline, badge and context (CSS px), and the boxes of the text
    # lines: what narrow_crop needs; empty in captures older than them.
    drawn: tuple[tuple[Box, Box, Box | None], ...] = ()
    texts: tuple[Box, ...] = ()

    @property
    def crop_size(self) -> tuple[float, float] | None:
        return (self.crop.width, self.crop.height) if self.crop else None


@dataclass(frozen=True)
class _StepMeta:
    scale: float
    frames: tuple[_FrameMeta, ...]


def _number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rect(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 4 and all(_number(v) for v in value)


def read_frames(folder: Path, digests: Digests) -> dict[str, _StepMeta]:
    """What the site needs from a job folder's frames.json, per step id.

    The file can come from a pull request, so every value is checked before
    use; a file that is absent yields nothing (each step is then one frame).
    """
    path = layout.frames_file(folder)
    try:
        data = digests.parsed(path, layout.RENDERED_KEYS)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise PictureError(f"{path}: unreadable ({error}); run guidegen capture again") from None
    fix = "run guidegen redraw (or capture) to write it again"
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise PictureError(f"{path}: expected an object with a 'steps' list; {fix}")
    scale = data.get("scale")
    if not _number(scale) or scale <= 0:
        raise PictureError(f"{path}: 'scale' must be a positive number; {fix}")
    steps: dict[str, _StepMeta] = {}
    for index, step in enumerate(data["steps"]):
        where = f"{path}: steps[{index}]"
        if not (
            isinstance(step, dict)
            and isinstance(step.get("id"), str)
            and isinstance(step.get("frames"), list)
            and all(isinstance(f, dict) for f in step["frames"])
        ):
            raise PictureError(f"{where}: expected an 'id' and a list of 'frames'; {fix}")
        frames = []
        for number, frame in enumerate(step["frames"]):
            at, crop, marks = frame.get("at"), frame.get("crop"), frame.get("marks", [])
            if at is not None and not (_rect(at) and at[2] > 0 and at[3] > 0):
                raise PictureError(f"{where}.frames[{number}].at: expected [x, y, w, h]; {fix}")
            if crop is not None and not (_rect(crop) and crop[2] > 0 and crop[3] > 0):
                raise PictureError(f"{where}.frames[{number}].crop: expected [x, y, w, h]; {fix}")
            if not (
                isinstance(marks, list)
                and all(isinstance(m, dict) and isinstance(m.get("number"), int) for m in marks)
            ):
                raise PictureError(f"{where}.frames[{number}].marks: expected numbers; {fix}")
            frames.append(
                _FrameMeta(
                    raw=frame["raw"] if isinstance(frame.get("raw"), str) else None,
                    at=tuple(round(v) for v in at) if at else None,
                    crop=Box(*(float(v) for v in crop)) if crop else None,
                    marks=tuple(m["number"] for m in marks),
                    drawn=_drawn(marks, f"{where}.frames[{number}]"),
                    texts=_texts(frame.get("text"), f"{where}.frames[{number}]"),
                )
            )
        steps[step["id"]] = _StepMeta(float(scale), tuple(frames))
    return steps


def _drawn(marks: list[dict[str, Any]], where: str) -> tuple[tuple[Box, Box, Box | None], ...]:
    """Each mark's outline, badge and context, when every mark records them."""
    if not all(m.get("outline") is not None and m.get("badge") is not None for m in marks):
        return ()
    drawn = []
    for mark in marks:
        for key in ("outline", "badge", "context"):
            if mark.get(key) is not None and not _rect(mark[key]):
                fix = "run guidegen redraw (or capture) to write it again"
                raise PictureError(f"{where}.marks.{key}: expected [x, y, w, h]; {fix}")
        context = Box(*mark["context"]) if mark.get("context") is not None else None
        drawn.append((Box(*mark["outline"]), Box(*mark["badge"]), context))
    return tuple(drawn)


def _texts(value: Any, where: str) -> tuple[Box, ...]:
    if value is None:
        return ()
    if not (isinstance(value, list) and all(_rect(v) for v in value)):
        fix = "run guidegen redraw (or capture) to write it again"
        raise PictureError(f"{where}.text: expected a list of [x, y, w, h]; {fix}")
    return tuple(Box(*v) for v in value)


def narrow_crop(
    crop: Box, drawn: Sequence[tuple[Box, Box, Box | None]], texts: Sequence[Box]
) -> Box | None:
    """The part of a desktop frame (CSS px, as crop) that a narrow screen shows:
    every badge, the marked elements from their start (where their text begins),
    their context where it fits, NARROW_MARGIN around them, and no text line cut
    at its top or bottom edge. None when the frame is narrow enough already or
    has no marks."""
    if crop.width <= NARROW_MAX or not drawn:
        return None
    badges = _union([badge for _, badge, _ in drawn])
    marked = _union([outline.union(badge) for outline, badge, _ in drawn]).clamped(crop)
    focus = marked
    for _, _, context in drawn:
        if context is not None:
            wider = focus.union(context.clamped(crop))
            if wider.width + 2 * NARROW_MARGIN <= NARROW_MAX:
                focus = wider
    room: float = NARROW_MAX
    for wanted in (marked.width, badges.width):  # all that is marked, else the badges
        if wanted + 2 * NARROW_BADGE_MARGIN <= NARROW_LIMIT:
            room = max(room, wanted + 2 * NARROW_BADGE_MARGIN)
            break
    width = min(max(focus.width + 2 * NARROW_MARGIN, NARROW_MIN), room, crop.width)
    if focus.width + 2 * NARROW_MARGIN <= width:
        left = focus.x + focus.width / 2 - width / 2
    elif marked.width <= width:
        left = marked.x + marked.width / 2 - width / 2
    else:  # too wide: from the marks' start, the badges always in
        margin = min(NARROW_MARGIN, (width - badges.width) / 2)
        left = max(min(focus.x, marked.x) - margin, badges.right + margin - width)
    left = min(max(left, crop.x), crop.right - width)
    top = max(focus.y - NARROW_MARGIN, crop.y)
    bottom = min(focus.bottom + NARROW_MARGIN, crop.bottom, top + NARROW_MAX_HEIGHT)
    # A text line across an edge is taken in whole when the crop's bounds allow.
    for line in texts:
        if line.right <= left or line.x >= left + width:
            continue
        if line.y < top < line.bottom and line.y >= crop.y:
            top = line.y
        if line.y < bottom < line.bottom and line.bottom <= crop.bottom:
            bottom = line.bottom
    # A line running past a side above or below the marks, half a sentence,
    # is left out rather than shown cut.
    outlines = [outline for outline, _, _ in drawn]
    for line in sorted(texts, key=lambda b: b.y):
        cut = line.x < left - 1 or line.right > left + width + 1
        if cut and top < line.bottom and line.bottom <= marked.y and not _inside(line, outlines):
            top = line.bottom
    for line in sorted(texts, key=lambda b: -b.bottom):
        cut = line.x < left - 1 or line.right > left + width + 1
        if cut and line.y < bottom and line.y >= marked.bottom and not _inside(line, outlines):
            bottom = line.y
    return Box(left, top, width, bottom - top)


def _inside(line: Box, outlines: Sequence[Box]) -> bool:
    return any(outline.grown(1).contains(line) for outline in outlines)


def _union(boxes: Sequence[Box]) -> Box:
    found = boxes[0]
    for box in boxes[1:]:
        found = found.union(box)
    return found


def frame_rects(
    size: tuple[int, int], meta: _StepMeta | None, side_by_side: bool, where: Path
) -> list[Rect]:
    """Where each frame sits in the step picture.

    Taken from the frames' "at" when frames.json records it; older captures
    lack it, and annotate.compose put their raw frames in a row (phones) or a
    column (web) with a gap between them.
    """
    width, height = size
    if meta is None or len(meta.frames) <= 1:
        return [(0, 0, width, height)]
    ats = [f.at for f in meta.frames]
    if all(at is not None for at in ats):
        rects = [at for at in ats if at is not None]
        for x, y, w, h in rects:
            if x < 0 or y < 0 or x + w > width or y + h > height:
                raise PictureError(
                    f"{where}: a frame's 'at' lies outside the {width}x{height} picture;"
                    " run guidegen redraw to write frames.json again"
                )
        return rects
    # Older captures: the frames are the raw screenshots as they were, side by
    # side or stacked with equal gaps between them.
    sizes = []
    for frame in meta.frames:
        try:
            with Image.open(layout.raw_path(where.parent, frame.raw or "")) as raw:
                sizes.append(raw.size)
        except (OSError, ValueError):
            return [(0, 0, width, height)]  # raw frames missing: show the picture whole
    along = [w if side_by_side else h for w, h in sizes]
    gap, rest = divmod((width if side_by_side else height) - sum(along), len(sizes) - 1)
    if gap < 0 or rest:
        return [(0, 0, width, height)]
    rects, offset = [], 0
    for (w, h), length in zip(sizes, along, strict=True):
        rects.append((offset, 0, w, h) if side_by_side else (0, offset, w, h))
        offset += length + gap
    return rects


def widths(css_width: float, pixel_width: int) -> list[tuple[int, int]]:
    """The widths to encode with their quality: those of DENSITIES the capture
    has the pixels for, else the capture's own width."""
    chosen = [
        (round(css_width * density), quality)
        for density, quality in DENSITIES
        if round(css_width * density) <= pixel_width
    ]
    return chosen or [(pixel_width, DENSITIES[1][1])]


@dataclass(frozen=True)
class _Job:
    source: Path
    source_hash: str
    rect: Rect
    width: int
    quality: int
    target: Path

    @cached_property
    def key(self) -> str:
        facts = (ENCODING, WEBP_METHOD, self.source_hash, self.rect, self.width, self.quality)
        return hashlib.sha256(repr(facts).encode()).hexdigest()


def _entries(cache: Path) -> dict[str, tuple[Path, os.stat_result]]:
    """The cache's entries by key, with their stat (one listing of the folder)."""
    found: dict[str, tuple[Path, os.stat_result]] = {}
    if not cache.is_dir():
        return found
    with os.scandir(cache) as listing:
        for item in listing:
            name = item.name
            if "-" in name and name.endswith(".webp") and item.is_file(follow_symlinks=False):
                found[name.split("-", 1)[0]] = (Path(item.path), item.stat(follow_symlinks=False))
    return found


def _inodes(folders: set[Path]) -> dict[str, int]:
    """Every file in these folders (not below) by path, with its inode."""
    found: dict[str, int] = {}
    for folder in folders:
        try:
            with os.scandir(folder) as listing:
                found.update((item.path, item.inode()) for item in listing)
        except FileNotFoundError:
            continue
    return found


def _encode(image: Image.Image, rect: Rect, width: int, quality: int) -> bytes:
    x, y, w, h = rect
    frame = image.crop((x, y, x + w, y + h))
    if width != w:
        height = max(1, round(h * width / w))
        # reducing_gap shrinks by an integer factor first: near LANCZOS quality, much faster.
        frame = frame.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    frame.save(out, format="WEBP", quality=quality, method=WEBP_METHOD)
    return out.getvalue()


def _run(config: Config, jobs: Sequence[_Job], digests: Digests) -> None:
    """Write every job's WebP, from the cache when it holds it, else encoded
    on a few threads (Pillow releases the GIL while it resizes and encodes)."""
    cache = config.root / ".guidegen" / "cache" / "site"
    # An entry's name carries the hash of its own bytes, checked before use
    # (read again only when the file changed): a damaged entry is encoded
    # again, never published.
    entries = _entries(cache)
    # A target that is a hard link to its entry is published already; folders
    # are listed once (a listing gives each file's inode without a stat).
    linked = _inodes({job.target.parent for job in jobs})
    todo: dict[Path, list[_Job]] = {}
    # Jobs with the same key (the same picture in several guides) are encoded once.
    sharing: dict[str, list[_Job]] = {}
    for job in jobs:
        key = job.key
        if key in sharing:
            sharing[key].append(job)
            continue
        cached = entries.get(key)
        if cached is not None:
            entry, stat = cached
            if entry.name == _entry_name(key, digests.picture(entry, stat).digest):
                if linked.get(str(job.target)) != stat.st_ino:
                    publish_entry(entry, job.target)
                continue
            entry.unlink(missing_ok=True)
            del entries[key]
        sharing[key] = []
        todo.setdefault(job.source, []).append(job)
    made: dict[str, Path] = {}

    def convert(source: Path) -> None:
        try:
            with Image.open(source) as opened:
                image = opened.convert("RGB")
        except Exception as error:  # Pillow raises many kinds for a damaged file
            raise _damaged(source, source.read_bytes(), error) from None
        for job in todo[source]:
            data = _encode(image, job.rect, job.width, job.quality)
            entry = cache / _entry_name(job.key, hashlib.sha256(data).hexdigest())
            write_atomic(entry, data)
            publish_entry(entry, job.target)
            made[job.key] = entry

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        list(pool.map(convert, sorted(todo)))
    for key, others in sharing.items():
        for job in others:
            publish_entry(made[key], job.target)


def _damaged(source: Path, raw: bytes, error: Exception | None = None) -> Damaged:
    problem = image_problem(raw) or "not a readable image" + (f" ({error})" if error else "")
    return Damaged(f"{shown(source)}: {problem}; {FIX}")


def _entry_name(key: str, digest: str) -> str:
    return f"{key}-{digest}.webp"


def _frames(
    source: Path,
    meta: _StepMeta | None,
    side_by_side: bool,
    stem: str,
    docs: Path,
    jobs: list[_Job],
    known: Known,
) -> tuple[SiteFrame, ...]:
    if known.size is None:
        raise _damaged(source, source.read_bytes())
    size, source_hash = known.size, known.digest
    rects = frame_rects(size, meta, side_by_side, source)
    scale = meta.scale if meta else 1.0
    frames = []
    for number, rect in enumerate(rects, start=1):
        frame_meta = meta.frames[number - 1] if meta and len(rects) == len(meta.frames) else None
        if frame_meta and frame_meta.crop_size:
            css_width, css_height = frame_meta.crop_size
        else:
            css_width, css_height = rect[2] / scale, rect[3] / scale
        variants = []
        for width, quality in widths(css_width, rect[2]):
            name = f"{stem}.{number}.{width}.webp"
            jobs.append(_Job(source, source_hash, rect, width, quality, docs / name))
            variants.append(Variant(name, width, max(1, round(rect[3] * width / rect[2]))))
        if frame_meta:
            marks = frame_meta.marks
        elif meta and len(rects) == 1:
            marks = tuple(m for f in meta.frames for m in f.marks)
        else:
            marks = ()
        narrow = None
        if not side_by_side and frame_meta and frame_meta.crop:
            part = narrow_crop(frame_meta.crop, frame_meta.drawn, frame_meta.texts)
            if part is not None:
                narrow = _narrow(
                    source,
                    source_hash,
                    rect,
                    frame_meta.crop,
                    part,
                    scale,
                    marks,
                    f"{stem}.{number}.narrow",
                    docs,
                    jobs,
                )
        spots = _spots(frame_meta) if frame_meta else ()
        frames.append(
            SiteFrame(round(css_width), round(css_height), marks, tuple(variants), narrow, spots)
        )
    return tuple(frames)


def _spots(meta: _FrameMeta) -> tuple[tuple[int, float, float], ...]:
    if meta.crop is None or len(meta.drawn) != len(meta.marks):
        return ()
    crop = meta.crop
    return tuple(
        (
            number,
            min(max((outline.x + outline.width / 2 - crop.x) / crop.width, 0.0), 1.0),
            min(max((outline.y + outline.height / 2 - crop.y) / crop.height, 0.0), 1.0),
        )
        for number, (outline, _, _) in zip(meta.marks, meta.drawn, strict=True)
    )


def _narrow(
    source: Path,
    source_hash: str,
    rect: Rect,
    crop: Box,
    part: Box,
    scale: float,
    marks: tuple[int, ...],
    stem: str,
    docs: Path,
    jobs: list[_Job],
) -> SiteFrame:
    """The narrow part of a frame, cut from the frame's place in the step picture."""
    x = rect[0] + round((part.x - crop.x) * scale)
    y = rect[1] + round((part.y - crop.y) * scale)
    right = min(rect[0] + rect[2], rect[0] + round((part.right - crop.x) * scale))
    bottom = min(rect[1] + rect[3], rect[1] + round((part.bottom - crop.y) * scale))
    cut = (x, y, right - x, bottom - y)
    variants = []
    for width, quality in widths(part.width, cut[2]):
        name = f"{stem}.{width}.webp"
        jobs.append(_Job(source, source_hash, cut, width, quality, docs / name))
        variants.append(Variant(name, width, max(1, round(cut[3] * width / cut[2]))))
    return SiteFrame(round(part.width), round(part.height), marks, tuple(variants))


def image_stem(platform: str, guide: str, step: str, scheme: str) -> str:
    folder = f"{layout.SITE_PICTURES}/{platform}/{guide}"
    return f"{folder}/{layout.DARK}/{step}" if scheme == layout.DARK else f"{folder}/{step}"


def _captures_dark(config: Config, guide: Guide, platform: Platform) -> bool:
    wanted = guide.color_schemes is None or layout.DARK in guide.color_schemes
    return wanted and layout.DARK in config.schemes_for(platform)


def _steps(guides: Sequence[Guide]) -> Iterator[tuple[Guide, Platform, str]]:
    for guide in guides:
        for platform in guide.platforms:
            for step in steps_for(guide, platform):
                yield guide, platform, step.id


def site_pictures(
    config: Config, guides: Sequence[Guide], lang: str, digests: Digests
) -> tuple[dict[tuple[str, str, str], StepPicture], set[Path]]:
    """Write the site images of every captured step of the language.

    Returns the pictures by (platform, guide id, step id) and every file
    written, so the caller can remove what is left from older builds.
    """
    docs = config.path("docs_dir") / lang
    jobs: list[_Job] = []
    pictures: dict[tuple[str, str, str], StepPicture] = {}
    metas: dict[Path, dict[str, _StepMeta]] = {}
    screenshots = config.path("screenshots_dir")
    for guide, platform, step in _steps(guides):
        side_by_side = platform in platforms.phones()
        schemes: dict[str, tuple[SiteFrame, ...]] = {}
        for scheme in ("light", layout.DARK):
            if scheme == layout.DARK and not _captures_dark(config, guide, platform):
                break  # a dark folder left from an earlier configuration is not shown
            folder = layout.job_dir(screenshots, guide.id, platform, lang, scheme)
            source = layout.step_image(folder, step)
            try:
                known = digests.picture(source)
            except (FileNotFoundError, IsADirectoryError):
                break  # no dark picture without a light one
            if folder not in metas:
                metas[folder] = read_frames(folder, digests)
            stem = image_stem(platform, guide.id, step, scheme)
            meta = metas[folder].get(step)
            schemes[scheme] = _frames(source, meta, side_by_side, stem, docs, jobs, known)
        if schemes:
            pictures[(platform, guide.id, step)] = StepPicture(
                schemes["light"], schemes.get(layout.DARK, ()), side_by_side
            )
    _run(config, jobs, digests)
    return pictures, {job.target for job in jobs}
