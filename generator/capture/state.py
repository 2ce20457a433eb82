"""The committed captures read as untrusted input: frames.json and the images.

Anything that is not what a capture writes is either damaged (cut, garbled,
undecodable: a capture writes it again) or unsafe (a path leading outside its
job folder: refused). Either way the error is one line naming the file.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..safepath import BadFile, UnsafePath, inside, shown
from . import layout
from .imagefile import problem as image_problem

FIX = "guidegen capture writes it again"
UNSAFE_FIX = "delete the file and run guidegen capture"


class Damaged(BadFile):
    """A committed file that a capture replaces."""


def problem_at(path: Path, data: bytes, *, full: bool = True) -> str | None:
    """Why data, read from path, is not a usable image: in the format its name
    gives (a raw frame's PNG, else a committed WebP); see imagefile.problem."""
    return image_problem(data, full=full, png=path.suffix == layout.RAW_SUFFIX)


def check_image(path: Path, fix: str = FIX) -> bytes:
    """The bytes of the image at path; Damaged when it cannot be decoded."""
    data = path.read_bytes()
    problem = problem_at(path, data)
    if problem:
        raise Damaged(f"{shown(path)}: {problem}; {fix}")
    return data


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _box(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and all(_number(v) and abs(v) < 100_000 for v in value)
        and value[2] >= 0
        and value[3] >= 0
    )


def _expect(ok: bool, path: Path, key: str, what: str) -> None:
    if not ok:
        raise Damaged(f"{shown(path)}: {key} must be {what}; {FIX}")


def read_frames(folder: Path) -> dict[str, Any] | None:
    """A job folder's frames.json, checked key by key; None when there is none.

    Raises Damaged for a file that is cut or has the wrong shape, UnsafePath
    for a step id or raw frame that leads outside the folder.
    """
    path = layout.frames_file(folder)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise BadFile(f"{shown(path)}: not a regular file; {UNSAFE_FIX}")
    if not path.exists():
        return None
    try:
        meta = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Damaged(f"{shown(path)}: not valid JSON ({error}); {FIX}") from None
    _expect(isinstance(meta, dict), path, "the file", "an object")
    for key in ("guide", "platform", "lang", "device"):
        _expect(isinstance(meta.get(key), str), path, key, "a string")
    _expect(meta.get("scheme", "light") in ("light", "dark"), path, "scheme", "light or dark")
    _expect(_number(meta.get("scale")) and 0 < meta["scale"] <= 8, path, "scale", "from 0 to 8")
    steps = meta.get("steps")
    _expect(isinstance(steps, list), path, "steps", "a list")
    for s, step in enumerate(steps):
        where = f"steps[{s}]"
        _expect(isinstance(step, dict), path, where, "an object")
        _expect(isinstance(step.get("id"), str), path, f"{where}.id", "a string")
        inside(folder, layout.step_image_name(step["id"]), path, f"{where}.id", UNSAFE_FIX)
        frames = step.get("frames")
        _expect(
            isinstance(frames, list) and bool(frames), path, f"{where}.frames", "a list of frames"
        )
        for f, frame in enumerate(frames):
            here = f"{where}.frames[{f}]"
            _expect(isinstance(frame, dict), path, here, "an object")
            raw = inside(folder, frame.get("raw"), path, f"{here}.raw", UNSAFE_FIX)
            try:
                layout.raw_path(folder, raw.relative_to(folder).as_posix())
            except ValueError:
                raise UnsafePath(
                    f"{shown(path)}: {here}.raw {frame['raw']!r:.60} is outside "
                    f"{shown(folder / layout.RAW)}; {UNSAFE_FIX}"
                ) from None
            for kind, label in (("marks", "number"), ("redactions", "style")):
                items = frame.get(kind)
                _expect(isinstance(items, list), path, f"{here}.{kind}", "a list")
                for i, item in enumerate(items):
                    spot = f"{here}.{kind}[{i}]"
                    _expect(isinstance(item, dict), path, spot, "an object")
                    _expect(_box(item.get("box")), path, f"{spot}.box", "[x, y, width, height]")
                    if kind == "marks":
                        ok = isinstance(item.get(label), int) and 0 < item[label] < 100
                        _expect(ok, path, f"{spot}.number", "a number from 1 to 99")
                    else:
                        ok = item.get(label) in ("blur", "mask")
                        _expect(ok, path, f"{spot}.style", "blur or mask")
    return meta
