"""Compare screenshots by decoded pixels, and draw what changed.

Two images match when at most ``budget`` pixels differ by more than
``threshold`` in some colour channel. The encoding never matters: the PNG the
browser took and the committed WebP with the same pixels are the same image.

A piece of the picture that has only moved by one device pixel, as a whole,
is no change: Chromium can place a line of text one device pixel higher or
lower from one run to the next. The changed pixels are looked at in tiles;
where all of a tile's changed area shows the old picture moved by the same
one pixel (up, down, left, right or diagonally), its pixels are not counted.
A changed glyph, colour or size, or a move of more than one pixel, leaves
pixels that no such move explains, and they are counted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from PIL import Image, ImageChops

from .imagefile import decode, encode


@dataclass(frozen=True)
class Tolerance:
    threshold: int = 24
    """Largest colour difference (0-255, per channel) that is not a change."""
    budget: int = 40
    """How many pixels may differ beyond the threshold before an image has changed."""


@dataclass(frozen=True)
class Difference:
    changed_pixels: int
    total_pixels: int
    size_changed: bool

    def beyond(self, tolerance: Tolerance) -> bool:
        return self.size_changed or self.changed_pixels > tolerance.budget


@cache
def _beyond(threshold: int) -> tuple[int, ...]:
    """The lookup table that makes a difference white when it is beyond the
    threshold, built once: a function given to point is called for each of
    the 256 values at every call, and a capture makes one for every picture
    it judges and the search for moves one per tile and move."""
    return tuple(255 if value > threshold else 0 for value in range(256))


def _changed_mask(old: Image.Image, new: Image.Image, threshold: int) -> Image.Image:
    """A black-and-white image: white where a pixel changed beyond the threshold."""
    red, green, blue = ImageChops.difference(old, new).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return largest.point(_beyond(threshold))


def difference(old_png: bytes, new_png: bytes, tolerance: Tolerance) -> Difference:
    return pixel_difference(decode(old_png), decode(new_png), tolerance)


def pixel_difference(old: Image.Image, new: Image.Image, tolerance: Tolerance) -> Difference:
    total = new.width * new.height
    if old.size != new.size:
        return Difference(total, total, True)
    mask = _changed_mask(old, new, tolerance.threshold)
    changed = mask.histogram()[255]
    if changed <= tolerance.budget or changed > SHIFTED_AT_MOST * total:
        return Difference(changed, total, False)
    return Difference(_unexplained(old, new, mask, tolerance.threshold), total, False)


# The side of a tile whose changed pixels must all be explained by one move.
TILE = 32
# The moves of one device pixel, straight ones first (a line of text drawn a row
# lower is the usual one).
SHIFTS = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
# More changed pixels than this share of an image is a change of the UI: no
# search for moves (it would cost time and find none).
SHIFTED_AT_MOST = 0.1


def _unexplained(old: Image.Image, new: Image.Image, mask: Image.Image, threshold: int) -> int:
    """How many changed pixels no one-pixel move of the old picture explains, tile by
    tile: a tile's changed area, one pixel wider on every side, must equal the old
    picture moved by one of SHIFTS there, all of it."""
    width, height = new.size
    left, top, right, bottom = mask.getbbox() or (0, 0, 0, 0)
    count = 0
    for y in range(top - top % TILE, bottom, TILE):
        for x in range(left - left % TILE, right, TILE):
            tile = mask.crop((x, y, min(x + TILE, width), min(y + TILE, height)))
            area = tile.getbbox()
            if area is None:
                continue
            # The changed area, one pixel wider, and far enough from the edges
            # that the old picture can be moved under it.
            x0, y0 = max(x + area[0] - 1, 1), max(y + area[1] - 1, 1)
            x1, y1 = min(x + area[2] + 1, width - 1), min(y + area[3] + 1, height - 1)
            fresh = new.crop((x0, y0, x1, y1))
            if not any(
                _changed_mask(
                    old.crop((x0 - dx, y0 - dy, x1 - dx, y1 - dy)), fresh, threshold
                ).getbbox()
                is None
                for dx, dy in SHIFTS
            ):
                count += tile.histogram()[255]
    return count


def diff_image(old_png: bytes, new_png: bytes, tolerance: Tolerance) -> bytes:
    """The new image faded to grey, with changed pixels in solid magenta."""
    old, new = decode(old_png), decode(new_png)
    if old.size != new.size:
        old = old.resize(new.size)
    mask = _changed_mask(old, new, tolerance.threshold)
    faded = Image.blend(new.convert("L").convert("RGB"), Image.new("RGB", new.size, "white"), 0.6)
    faded.paste(Image.new("RGB", new.size, (255, 0, 200)), mask=mask)
    out = io.BytesIO()
    faded.save(out, format="PNG")
    return out.getvalue()


@dataclass(frozen=True)
class StepImages:
    """One step's images on one platform and language: raw frames, drawn image, boxes.

    A committed step has its drawn image as the file's bytes (empty when there is
    none); a fresh capture has it as pixels, encoded only when it is written or
    shown, since most steps of a capture turn out unchanged.
    """

    step: str
    raw: tuple[bytes, ...]
    file: bytes
    entry: dict[str, Any]  # the step's frames.json entry: marks and redactions per frame
    drawn: Image.Image | None = None
    smaller: bool = False  # the encoding of drawn: optimise's

    @cached_property
    def annotated(self) -> bytes:
        """The drawn image as its file's bytes."""
        return self.file if self.drawn is None else encode(self.drawn, self.smaller)

    def pixels(self) -> Image.Image:
        return self.drawn if self.drawn is not None else decode(self.file)


@dataclass(frozen=True)
class Verdict:
    """What happened to one step image. Status is one of:

    unchanged, changed (the UI looks different), annotation (same UI, marks or
    their drawing differ), new (no committed image), missing (listed in
    frames.json but the file is gone), orphaned (committed, no step makes it).
    """

    key: str
    status: str
    changed_pixels: int = 0
    total_pixels: int = 0

    @property
    def needs_writing(self) -> bool:
        return self.status in ("changed", "annotation", "new", "missing")


def _boxes(entry: dict[str, Any]) -> list[list[list[Any]]]:
    return [
        [[m["number"], [round(v) for v in m["box"]]] for m in frame["marks"]]
        + [[r["style"], [round(v) for v in r["box"]]] for r in frame["redactions"]]
        for frame in entry.get("frames", [])
    ]


def judge(key: str, fresh: StepImages, old: StepImages | None, tolerance: Tolerance) -> Verdict:
    """Compare a fresh step with the committed one by the picture the reader sees
    and its marks; when they differ, the raw frames (where the last capture's are
    on this machine: they are not committed) tell a change of the UI from one of
    the marks only. A change of the screen that the picture leaves out (a clock
    in a footer outside the step's crop) changes nothing: so a check here agrees
    with one on a clean clone, which has no raw frames."""
    if old is None:
        return Verdict(key, "new")
    if not old.annotated:
        return Verdict(key, "missing")
    drawn = pixel_difference(old.pixels(), fresh.pixels(), tolerance)
    if _boxes(old.entry) == _boxes(fresh.entry) and not drawn.beyond(tolerance):
        return Verdict(key, "unchanged", drawn.changed_pixels, drawn.total_pixels)
    ui = raw_difference(old.raw, fresh.raw, tolerance) if old.raw else None
    if ui is None:
        # Without the raw frames the picture cannot tell the marks from the UI.
        return Verdict(key, "changed", drawn.changed_pixels, drawn.total_pixels)
    if ui.beyond(tolerance):
        return Verdict(key, "changed", ui.changed_pixels, ui.total_pixels)
    return Verdict(key, "annotation", drawn.changed_pixels, drawn.total_pixels)


def raw_difference(
    old: tuple[bytes, ...], fresh: tuple[bytes, ...], tolerance: Tolerance
) -> Difference:
    """The raw frames' differences summed; all changed when their number differs."""
    if len(old) != len(fresh):
        total = sum(decode(png).width * decode(png).height for png in fresh)
        return Difference(total, total, True)
    found = [difference(a, b, tolerance) for a, b in zip(old, fresh, strict=True)]
    return Difference(
        sum(f.changed_pixels for f in found),
        sum(f.total_pixels for f in found),
        any(f.size_changed for f in found),
    )
