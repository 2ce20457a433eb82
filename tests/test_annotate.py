"""Drawing marks and laying out frames, on synthetic frames (no browser)."""

from __future__ import annotations

import io

from PIL import Image

from guidegen.capture.annotate import ACCENT, ARROW, compose, draw_frame
from guidegen.capture.frames import Box, Frame, Mark, Redaction


def blank(width: int, height: int, colour=(255, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_mark_draws_an_outline_and_a_numbered_badge_at_device_scale():
    frame = Frame(blank(300, 300), (Mark(1, Box(60, 60, 50, 20)),), ())
    drawn = draw_frame(frame, scale=2)
    assert drawn.image.size == (300, 300) and drawn.crop == Box(0, 0, 150, 150)
    (placement,) = drawn.placements
    # The outline's outer edge, scaled by 2: red just inside it, nothing red beyond it.
    outline = placement.outline
    bottom = round(outline.bottom * 2)
    middle = round((outline.x + outline.width / 2) * 2)
    assert any(drawn.image.getpixel((middle, y)) == ACCENT for y in range(bottom - 10, bottom))
    assert not any(drawn.image.getpixel((middle, y)) == ACCENT for y in range(bottom, bottom + 10))
    badge = placement.badge
    centre = (round((badge.x + badge.width / 2) * 2), round((badge.y + 4) * 2))
    assert drawn.image.getpixel(centre) == ACCENT
    assert drawn.image.getpixel((10, 290)) == (255, 255, 255)


def test_a_badge_stays_inside_the_frame_at_the_edge():
    frame = Frame(blank(200, 200), (Mark(1, Box(0, 0, 30, 30)),), ())
    drawn = draw_frame(frame, scale=1)
    assert Box(0, 0, 200, 200).contains(drawn.placements[0].badge)


def test_a_frame_is_cropped_to_its_mark_and_the_crop_is_whole_pixels():
    frame = Frame(blank(1170, 1992), (Mark(1, Box(100.3, 300.2, 80, 30)),), ())
    drawn = draw_frame(frame, scale=3)
    assert drawn.crop.height < 664 / 2
    assert drawn.image.size == (round(drawn.crop.width * 3), round(drawn.crop.height * 3))
    assert all(float(v * 3).is_integer() for v in (drawn.crop.x, drawn.crop.y))


def test_mask_covers_and_blur_softens_personal_data():
    checker = Image.new("RGB", (100, 40), (255, 255, 255))
    for x in range(0, 100, 2):
        for y in range(40):
            checker.putpixel((x, y), (0, 0, 0))
    out = io.BytesIO()
    checker.save(out, format="PNG")
    box = Box(10, 10, 40, 20)
    masked = draw_frame(Frame(out.getvalue(), (), (Redaction("mask", box),)), 1).image
    assert {masked.getpixel((x, 20)) for x in range(12, 48)} == {(90, 90, 90)}
    blurred = draw_frame(Frame(out.getvalue(), (), (Redaction("blur", box),)), 1).image
    values = {blurred.getpixel((x, 20))[0] for x in range(20, 40)}
    assert all(40 < v < 215 for v in values)


def test_phone_frames_go_side_by_side_and_desktop_frames_stack_with_an_arrow_between():
    frames = [Frame(blank(100, 200), (), ()), Frame(blank(100, 200), (), ())]
    row = compose(frames, 1, side_by_side=True)
    assert row.image.size == (240, 200) and row.css_width == 240
    assert row.at == (Box(0, 0, 100, 200), Box(140, 0, 100, 200))
    assert row.image.getpixel((120, 100)) == ARROW
    column = compose(frames, 1, side_by_side=False)
    assert column.image.size == (100, 440) and column.at[1] == Box(0, 240, 100, 200)
    assert column.image.getpixel((50, 220)) == ARROW
    doubled = compose(frames, 2, side_by_side=True)
    assert doubled.image.size == (280, 200) and doubled.css_width == 140
