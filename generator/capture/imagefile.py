"""The committed image format: lossless WebP.

Screenshots of a UI are flat colour and sharp text. Lossless WebP keeps every
pixel, so the comparisons stay exact, in 38% fewer bytes than an oxipng-optimised
PNG, written in 59% of the time and decoded in about half (see FAST). The
encoding is a pure function of the pixels and the libwebp version: no time,
no path and no metadata go in, so two machines with the same Pillow write the
same bytes. What made an image (device, guide, step,
scheme, width) is in the job's frames.json, not in the file.

Raw frames are the exception: they stay on the machine that took them (git
ignores them), so they are kept as the browser's PNG, byte for byte; encoding
them as WebP cost more CPU than anything else a capture does outside the browser.
"""

from __future__ import annotations

import functools
import io
import struct

from PIL import Image

_HEADER = struct.Struct("<4sI4s")
_CHUNK = struct.Struct("<4sI")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHUNK = struct.Struct(">I4s")

# libwebp's lossless effort: (method, quality). Measured on 40 of the example's
# frames against what a capture did before (PNG, then oxipng's lowest preset):
# FAST writes 38% fewer bytes in 59% of the time; SMALL 52% fewer in 95% of it.
# Higher methods and qualities cost more time for little: (4, 75) saves 3% more.
FAST = (1, 0)
SMALL = (1, 50)


# A capture checks each committed image, compares it with the fresh one, then
# compares again before writing; decoding costs more than all the rest of that
# work, so the last few images stay decoded (about 9 MB each for a phone frame).
@functools.lru_cache(maxsize=12)
def decode(data: bytes) -> Image.Image:
    """An image file's pixels as RGB; callers never change the image they get."""
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def encode(image: Image.Image, smaller: bool = False) -> bytes:
    """The image's pixels as lossless WebP, with nothing else in the file."""
    method, quality = SMALL if smaller else FAST
    out = io.BytesIO()
    image.save(out, format="WEBP", lossless=True, method=method, quality=quality)
    return out.getvalue()


def is_webp(data: bytes) -> bool:
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"


def _structure_problem(data: bytes) -> str | None:
    """Why data is not a whole WebP file, read from its chunk sizes alone: a cut
    or padded file, or another format, is caught without decoding a pixel."""
    if len(data) < _HEADER.size + _CHUNK.size or not is_webp(data):
        return "not a WebP image"
    _, size, _ = _HEADER.unpack_from(data)
    if size + 8 != len(data):
        return f"cut or padded: the header says {size + 8} bytes, the file has {len(data)}"
    at = _HEADER.size
    while at < len(data):
        if at + _CHUNK.size > len(data):
            return "cut inside a chunk header"
        _, length = _CHUNK.unpack_from(data, at)
        at += _CHUNK.size + length + (length & 1)
    if at != len(data):
        return "cut inside a chunk"
    return None


def _png_structure_problem(data: bytes) -> str | None:
    """Why data is not a whole PNG file, read from its chunk lengths alone."""
    if not data.startswith(PNG_SIGNATURE):
        return "not a PNG image"
    at = len(PNG_SIGNATURE)
    while at + _PNG_CHUNK.size <= len(data):
        length, kind = _PNG_CHUNK.unpack_from(data, at)
        at += _PNG_CHUNK.size + length + 4  # the chunk's data, then its CRC
        if kind == b"IEND":
            return None if at == len(data) else "data after its end"
    return "cut before its end"


def problem(data: bytes, *, full: bool = True, png: bool = False) -> str | None:
    """Why data is not a usable image, or None: a committed image in WebP, or a
    raw frame in PNG (png). full decodes every pixel (cached, so a comparison
    that follows reuses them); else only the file's structure is checked, which
    costs no decoding."""
    found = _png_structure_problem(data) if png else _structure_problem(data)
    if found is None and full:
        try:
            decode(data)
        except Exception as error:  # Pillow raises many kinds for a damaged file
            found = f"does not decode ({str(error).splitlines()[0] if str(error) else 'damaged'})"
    kind = "PNG" if png else "WebP"
    return None if found is None else f"not a readable {kind} image ({found})"
