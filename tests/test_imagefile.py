"""The committed image format: lossless WebP, a pure function of the pixels."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from guidegen.capture.imagefile import decode, encode, is_webp, problem


def _screen() -> Image.Image:
    """A noisy picture, so that the encoder has work and a damaged byte shows."""
    rng = random.Random(7)
    image = Image.new("RGB", (64, 48), "white")
    image.putdata([(rng.randrange(256), rng.randrange(256), 90) for _ in range(64 * 48)])
    return image


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("smaller", [True, False])
def test_encoding_keeps_every_pixel_and_the_same_pixels_give_the_same_bytes(smaller):
    image = _screen()
    data = encode(image, smaller)
    assert is_webp(data) and data[12:16] == b"VP8L"  # the lossless codec, no metadata chunk
    assert decode(data).tobytes() == image.tobytes()
    assert encode(image.copy(), smaller) == data


def test_a_whole_file_has_no_problem():
    data = encode(_screen())
    assert problem(data) is None and problem(data, full=False) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # cut
        lambda b: b + b"\0" * 6,  # padded
        lambda b: b[:4] + (len(b) + 100 - 8).to_bytes(4, "little") + b[8:],  # header lies
        lambda b: b"not an image at all",
        lambda b: _png(_screen()),  # another format
    ],
)
def test_a_cut_padded_or_foreign_file_is_caught_without_decoding(damage):
    found = problem(damage(encode(_screen())), full=False)
    assert found is not None and found.startswith("not a readable WebP image")


def test_garbled_pixels_are_caught_by_a_full_check():
    data = bytearray(encode(_screen()))
    data[30:60] = bytes(30)  # inside the VP8L bitstream: the sizes still add up
    assert problem(bytes(data), full=False) is None
    assert problem(bytes(data)) is not None


def test_a_raw_frame_is_the_browsers_png_checked_as_such():
    png = _png(_screen())
    assert problem(png, png=True) is None and problem(png, full=False, png=True) is None
    for damaged, why in (
        (png[: len(png) // 2], "cut before its end"),
        (png + b"\0", "data after its end"),
        (encode(_screen()), "not a PNG image"),
    ):
        assert problem(damaged, full=False, png=True) == f"not a readable PNG image ({why})"
