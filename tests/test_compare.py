"""Comparing images: cached decoding; a one-pixel move is no change, anything more is."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageDraw, ImageFont

from guidegen.capture.compare import Tolerance, pixel_difference
from guidegen.capture.imagefile import decode


def test_decoding_the_same_bytes_twice_decodes_once():
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(out, "PNG")
    png = out.getvalue()
    copy = bytes(bytearray(png))
    assert copy is not png
    assert decode(png) is decode(copy)  # equal bytes, even as another object
    assert decode(png).mode == "RGB" and decode(png).size == (3, 2)


# A picture like a phone's list: lines of dark text on white and a grey rule,
# at device scale 2 (large glyphs), drawn with Pillow's own font.
FONT = ImageFont.load_default(size=28)
LINES = ("Jane Austen 1815 Novel", "Natsume Soseki 1914", "Leaves of Grass")


def _screen(moved: dict[int, tuple[int, int]] | None = None, **changes: object) -> Image.Image:
    """The list, with line i moved by moved[i] = (dx, dy) device pixels; changes
    replace a line's words (text_N) or colour (colour_N)."""
    image = Image.new("RGB", (400, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.line((0, 200, 400, 200), fill=(200, 200, 200), width=2)
    for index, words in enumerate(LINES):
        dx, dy = (moved or {}).get(index, (0, 0))
        words = str(changes.get(f"text_{index}", words))
        colour = changes.get(f"colour_{index}", (34, 34, 34))
        draw.text((20 + dx, 20 + 60 * index + dy), words, fill=colour, font=FONT)
    return image


def _changed(old: Image.Image, new: Image.Image) -> int:
    return pixel_difference(old, new, Tolerance()).changed_pixels


def test_a_line_of_text_moved_by_one_device_pixel_is_no_change():
    old = _screen()
    for shift in ((0, 1), (0, -1), (1, 0), (-1, 1)):
        new = _screen({1: shift})
        raw = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > 24 else 0)
        assert raw.histogram()[255] > 200  # far beyond the budget, pixel by pixel
        assert _changed(old, new) == 0, shift
    # Every line moved, each its own way: still the same picture.
    assert _changed(old, _screen({0: (0, 1), 1: (0, -1), 2: (1, 0)})) == 0


def test_a_move_of_two_pixels_a_changed_glyph_or_colour_is_a_change():
    old = _screen()
    tolerance = Tolerance()
    for new in (
        _screen({1: (0, 2)}),  # moved two pixels
        _screen(text_0="Jane Austen 1816 Novel"),  # one glyph changed
        _screen(text_2="Leaves of Glass"),  # one glyph changed, same width
        _screen(colour_1=(200, 30, 30)),  # another colour
        _screen({1: (0, 1)}, text_1="Natsume Soseki 1915"),  # moved and a glyph changed
    ):
        assert pixel_difference(old, new, tolerance).beyond(tolerance)
    bigger = _screen().resize((401, 240))
    assert pixel_difference(old, bigger, tolerance).size_changed


def test_only_the_glyph_that_changed_counts_in_a_moved_line():
    old = _screen()
    changed_glyph = _changed(old, _screen(text_1="Natsume Soseki 1915"))
    both = _changed(old, _screen({0: (0, 1)}, text_1="Natsume Soseki 1915"))
    assert changed_glyph > 0 and both == changed_glyph  # the moved line adds nothing
