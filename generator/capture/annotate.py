"""Draw a step's picture from its raw frames: crop, marks, redactions, layout.

Pure image work on bytes and boxes, no browser: the annotation style or the
crop can change and every picture be redrawn without running a guide again.
Where things go is decided in ``framing``; this module only paints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .frames import Box, Frame
from .framing import STROKE, Placement, crop_region, place_marks
from .imagefile import decode

ACCENT = (217, 48, 37)  # a red that reads on white, grey and dark UI alike
HALO = (255, 255, 255)
ARROW = (95, 99, 104)
BACKGROUND = (241, 243, 244)
GAP_CSS = 40  # between the frames of a step: room for the arrow
ARROW_CSS = 14
HALO_CSS = 1.0  # the white edge on each side of an outline's red line
RADIUS_CSS = 6
BADGE_FONT_CSS = 17
MASK = (90, 90, 90)  # the runner's MASK_COLOR
BLUR_BLOCK_CSS = 24  # a blur's blocks: a line of text high
BLUR_STEP = 32  # a blurred block's colour is rounded to a multiple of this

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def _px(box: Box, scale: float) -> tuple[int, int, int, int]:
    return (
        round(box.x * scale),
        round(box.y * scale),
        round(box.right * scale),
        round(box.bottom * scale),
    )


@dataclass(frozen=True)
class DrawnFrame:
    """A frame drawn and cropped, with where its crop and marks are (CSS px)."""

    image: Image.Image
    crop: Box
    placements: tuple[Placement, ...]


@dataclass(frozen=True)
class Picture:
    """A step's picture and where each of its frames sits in it."""

    image: Image.Image
    frames: tuple[DrawnFrame, ...]
    at: tuple[Box, ...]  # image pixels
    css_width: float


def _whole_pixels(box: Box, scale: float, width: int, height: int) -> Box:
    """box widened to whole device pixels inside the image, in CSS px."""
    left = max(math.floor(box.x * scale), 0)
    top = max(math.floor(box.y * scale), 0)
    right = min(math.ceil(box.right * scale), width)
    bottom = min(math.ceil(box.bottom * scale), height)
    return Box(left / scale, top / scale, (right - left) / scale, (bottom - top) / scale)


def _redact(image: Image.Image, frame: Frame, scale: float) -> None:
    width, height = image.size
    for redaction in frame.redactions:
        left, top, right, bottom = _px(redaction.box, scale)
        area = (max(left, 0), max(top, 0), min(right, width), min(bottom, height))
        if area[2] <= area[0] or area[3] <= area[1]:
            continue
        if redaction.style == "mask":
            ImageDraw.Draw(image).rectangle(area, fill=MASK)
        else:
            image.paste(_blurred(image.crop(area), scale), area[:2])


def _blurred(region: Image.Image, scale: float) -> Image.Image:
    """region beyond recognition. A plain blur of text can be undone: blur the
    candidate texts in the same font the same way and keep the one that matches.
    Here each block (as tall as a line of text) keeps only its mean colour,
    rounded to a few levels, so that most texts of a length give the same
    pixels; the blocks are then softened, so it reads as a blur, not a mask."""
    block = max(round(BLUR_BLOCK_CSS * scale), 1)
    width, height = region.size
    blocks = region.resize(
        (math.ceil(width / block), math.ceil(height / block)), Image.Resampling.BOX
    )
    levels = [min(round(v / BLUR_STEP) * BLUR_STEP, 255) for v in range(256)] * 3
    tinted = blocks.point(levels).resize((width, height), Image.Resampling.NEAREST)
    return tinted.filter(ImageFilter.GaussianBlur(radius=block / 2))


def _outline(draw: ImageDraw.ImageDraw, placement: Placement, scale: float) -> None:
    # A thin outline, squeezed between close lines of text, has no halo.
    thin = placement.stroke < STROKE
    stroke = max(round(placement.stroke * scale), 2 if thin else 3)
    halo = 0 if thin else max(round(HALO_CSS * scale), 1)
    radius = round(RADIUS_CSS * scale)
    left, top, right, bottom = _px(placement.outline, scale)
    draw.rounded_rectangle((left, top, right - 1, bottom - 1), radius, outline=HALO, width=stroke)
    draw.rounded_rectangle(
        (left + halo, top + halo, right - 1 - halo, bottom - 1 - halo),
        max(radius - halo, 0),
        outline=ACCENT,
        width=stroke - 2 * halo,
    )


def _badge(draw: ImageDraw.ImageDraw, badge: Box, number: int, scale: float) -> None:
    left, top, right, bottom = _px(badge, scale)
    halo = max(round(1.5 * scale), 1)
    draw.ellipse((left, top, right - 1, bottom - 1), fill=HALO)
    draw.ellipse((left + halo, top + halo, right - 1 - halo, bottom - 1 - halo), fill=ACCENT)
    font = _font(round(BADGE_FONT_CSS * scale))
    draw.text(
        ((left + right) / 2, (top + bottom) / 2), str(number), fill=HALO, font=font, anchor="mm"
    )


def draw_frame(frame: Frame, scale: float) -> DrawnFrame:
    """One frame with its redactions applied, its marks drawn, cropped."""
    # decode's cached pixels (the raw frame is compared and written from them
    # too), copied, since they are drawn on here.
    image = decode(frame.png).copy()
    width, height = image.size
    crop = _whole_pixels(crop_region(frame, width / scale, height / scale), scale, width, height)
    _redact(image, frame, scale)
    placements = tuple(place_marks(frame, crop))
    draw = ImageDraw.Draw(image)
    for placement in placements:
        _outline(draw, placement, scale)
    # Badges last, so that no outline is drawn over a badge.
    for mark, placement in zip(frame.marks, placements, strict=True):
        _badge(draw, placement.badge, mark.number, scale)
    return DrawnFrame(image.crop(_px(crop, scale)), crop, placements)


def _arrow(draw: ImageDraw.ImageDraw, centre: tuple[float, float], down: bool, size: int) -> None:
    x, y = centre
    half = size / 2
    if down:
        points = [(x - size, y - half), (x + size, y - half), (x, y + half)]
    else:
        points = [(x - half, y - size), (x - half, y + size), (x + half, y)]
    draw.polygon(points, fill=ARROW)


def compose(frames: Sequence[Frame], scale: float, *, side_by_side: bool) -> Picture:
    """A step's picture: its frames in a row (phones) or a column (desktop).

    An arrow in the gap between two frames shows the order they come in.
    """
    drawn = tuple(draw_frame(frame, scale) for frame in frames)
    images = [d.image for d in drawn]
    gap = round(GAP_CSS * scale)
    if side_by_side:
        size = (
            sum(i.width for i in images) + gap * (len(images) - 1),
            max(i.height for i in images),
        )
    else:
        size = (
            max(i.width for i in images),
            sum(i.height for i in images) + gap * (len(images) - 1),
        )
    canvas = Image.new("RGB", size, BACKGROUND) if len(images) > 1 else images[0]
    draw = ImageDraw.Draw(canvas)
    at: list[Box] = []
    offset = 0
    for index, image in enumerate(images):
        position = (offset, 0) if side_by_side else (0, offset)
        at.append(Box(position[0], position[1], image.width, image.height))
        if len(images) > 1:
            canvas.paste(image, position)
        offset += (image.width if side_by_side else image.height) + gap
        if index < len(images) - 1:
            middle = offset - gap / 2
            if side_by_side:
                centre = (middle, min(image.height, images[index + 1].height) / 2)
            else:
                centre = (min(image.width, images[index + 1].width) / 2, middle)
            _arrow(draw, centre, not side_by_side, round(ARROW_CSS * scale))
    return Picture(canvas, drawn, tuple(at), round(canvas.width / scale, 2))
