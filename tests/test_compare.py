"""Cached decoding of committed and fresh images."""

from __future__ import annotations

import io

from PIL import Image

from generator.imagefile import decode


def test_decoding_the_same_bytes_twice_decodes_once():
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(out, "PNG")
    png = out.getvalue()
    copy = bytes(bytearray(png))
    assert copy is not png
    assert decode(png) is decode(copy)  # equal bytes, even as another object
    assert decode(png).mode == "RGB" and decode(png).size == (3, 2)
