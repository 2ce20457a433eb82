"""Drawing marks and laying out frames, on synthetic frames (no browser)."""

from __future__ import annotations

import io

from PIL import Image

from generator.annotate import ACCENT, compose, draw_frame, png_bytes
from generator.runner import Box, Frame, Mark, Redaction


def blank(width: int, height: int, colour=(255, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_mark_draws_an_outline_and_a_numbered_badge_at_device_scale():
    frame = Frame(blank(300, 300), (Mark(1, Box(100, 100, 50, 20)),), ())
    image = draw_frame(frame, scale=2)
    assert image.size == (300, 300)
    # The outline runs along the box, scaled by 2, on its bottom edge.
    assert any(image.getpixel((250, y)) == ACCENT for y in range(236, 252))
    assert not any(image.getpixel((250, y)) == ACCENT for y in range(215, 230))
    untouched = image.getpixel((10, 290))
    assert untouched == (255, 255, 255)


def test_a_badge_stays_inside_the_frame_at_the_edge():
    frame = Frame(blank(200, 200), (Mark(1, Box(0, 0, 30, 30)),), ())
    image = draw_frame(frame, scale=1)
    assert ACCENT in {image.getpixel((x, y)) for x in range(0, 30) for y in range(0, 30)}


def test_mask_covers_and_blur_softens_personal_data():
    checker = Image.new("RGB", (100, 40), (255, 255, 255))
    for x in range(0, 100, 2):
        for y in range(40):
            checker.putpixel((x, y), (0, 0, 0))
    out = io.BytesIO()
    checker.save(out, format="PNG")
    box = Box(10, 10, 40, 20)
    masked = draw_frame(Frame(out.getvalue(), (), (Redaction("mask", box),)), 1)
    assert {masked.getpixel((x, 20)) for x in range(12, 48)} == {(90, 90, 90)}
    blurred = draw_frame(Frame(out.getvalue(), (), (Redaction("blur", box),)), 1)
    values = {blurred.getpixel((x, 20))[0] for x in range(20, 40)}
    assert all(40 < v < 215 for v in values)


def test_phone_frames_go_side_by_side_and_desktop_frames_stack():
    frames = [Frame(blank(100, 200), (), ()), Frame(blank(100, 200), (), ())]
    assert compose(frames, 1, side_by_side=True).size == (216, 200)
    assert compose(frames, 1, side_by_side=False).size == (100, 416)
    assert compose(frames, 2, side_by_side=True).size == (232, 200)


def test_png_bytes_carry_metadata_and_are_reproducible():
    image = Image.new("RGB", (10, 10), (1, 2, 3))
    first = png_bytes(image, {"guidegen:device": "iPhone 13"})
    assert first == png_bytes(image, {"guidegen:device": "iPhone 13"})
    assert Image.open(io.BytesIO(first)).text["guidegen:device"] == "iPhone 13"
