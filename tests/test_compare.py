"""PNG comparison helpers: text chunks read without decoding, cached decoding."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from generator.compare import decode, text_chunks


def _png(info: PngImagePlugin.PngInfo) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def test_text_chunks_say_what_pillow_reads_in_every_kind_of_chunk():
    info = PngImagePlugin.PngInfo()
    info.add_text("guidegen:guide", "contact-seller")
    info.add_text("guidegen:title", "出品者に連絡する")  # not Latin-1: an iTXt chunk
    info.add_text("long", "x" * 500, zip=True)  # zTXt
    info.add_itxt("packed", "ぎゅっと" * 50, zip=True)
    png = _png(info)
    with Image.open(io.BytesIO(png)) as image:
        assert text_chunks(png) == dict(image.text)  # type: ignore[attr-defined]
    assert text_chunks(png)["guidegen:title"] == "出品者に連絡する"


@pytest.mark.parametrize("damage", [lambda b: b[:-20], lambda b: b"GIF89a" + b[6:]])
def test_a_cut_or_foreign_file_is_refused(damage):
    with pytest.raises(ValueError):
        text_chunks(damage(_png(PngImagePlugin.PngInfo())))


def test_decoding_the_same_bytes_twice_decodes_once():
    png = _png(PngImagePlugin.PngInfo())
    copy = bytes(bytearray(png))
    assert copy is not png
    assert decode(png) is decode(copy)  # equal bytes, even as another object
    assert decode(png).mode == "RGB" and decode(png).size == (3, 2)
