"""Draw a step's image from its raw frames: marks, outlines, redactions, layout.

Pure image work on bytes and boxes, no browser: the annotation style can change
and every image be redrawn without running a guide again.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, PngImagePlugin

from generator.runner import Frame

ACCENT = (217, 48, 37)  # a red that reads on white, grey and dark UI alike
HALO = (255, 255, 255)
GAP_CSS = 16
BACKGROUND = (241, 243, 244)

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


def _scaled(box: tuple[float, float, float, float], scale: float) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return (round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale))


def draw_frame(frame: Frame, scale: float) -> Image.Image:
    """One frame with its redactions applied and its marks drawn."""
    image = Image.open(io.BytesIO(frame.png)).convert("RGB")
    width, height = image.size
    for redaction in frame.redactions:
        b = redaction.box
        left, top, right, bottom = _scaled((b.x, b.y, b.width, b.height), scale)
        area = (max(left, 0), max(top, 0), min(right, width), min(bottom, height))
        if area[2] <= area[0] or area[3] <= area[1]:
            continue
        if redaction.style == "mask":
            ImageDraw.Draw(image).rectangle(area, fill=(90, 90, 90))
        else:
            region = image.crop(area).filter(ImageFilter.GaussianBlur(radius=6 * scale))
            image.paste(region, area[:2])
    draw = ImageDraw.Draw(image)
    line = max(2, round(2 * scale))
    radius = round(12 * scale)
    for mark in frame.marks:
        b = mark.box
        pad = 3 * scale
        left, top, right, bottom = _scaled(
            (
                b.x - pad / scale,
                b.y - pad / scale,
                b.width + 2 * pad / scale,
                b.height + 2 * pad / scale,
            ),
            scale,
        )
        draw.rounded_rectangle(
            (left, top, right, bottom), radius=round(6 * scale), outline=HALO, width=line + 2
        )
        draw.rounded_rectangle(
            (left + 1, top + 1, right - 1, bottom - 1),
            radius=round(6 * scale),
            outline=ACCENT,
            width=line,
        )
        # The badge sits on the outline's top-left corner, pulled inside the
        # frame when the target touches an edge.
        cx = min(max(left, radius + line), width - radius - line)
        cy = min(max(top, radius + line), height - radius - line)
        draw.ellipse(
            (cx - radius - line, cy - radius - line, cx + radius + line, cy + radius + line),
            fill=HALO,
        )
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=ACCENT)
        draw.text((cx, cy), str(mark.number), fill=HALO, font=_font(round(15 * scale)), anchor="mm")
    return image


def compose(frames: Sequence[Frame], scale: float, *, side_by_side: bool) -> Image.Image:
    """A step's image: its frames in a row (phones) or a column (desktop)."""
    drawn = [draw_frame(frame, scale) for frame in frames]
    if len(drawn) == 1:
        return drawn[0]
    gap = round(GAP_CSS * scale)
    if side_by_side:
        size = (sum(i.width for i in drawn) + gap * (len(drawn) - 1), max(i.height for i in drawn))
    else:
        size = (max(i.width for i in drawn), sum(i.height for i in drawn) + gap * (len(drawn) - 1))
    canvas = Image.new("RGB", size, BACKGROUND)
    offset = 0
    for image in drawn:
        canvas.paste(image, (offset, 0) if side_by_side else (0, offset))
        offset += (image.width if side_by_side else image.height) + gap
    return canvas


def png_bytes(image: Image.Image, info: dict[str, str], compress_level: int = 6) -> bytes:
    """PNG bytes with text metadata and nothing time-dependent in them."""
    meta = PngImagePlugin.PngInfo()
    for key, value in sorted(info.items()):
        meta.add_text(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=meta, compress_level=compress_level)
    return out.getvalue()
