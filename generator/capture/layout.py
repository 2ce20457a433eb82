"""The screenshots folder's layout: the one place that knows where a capture lives.

A capture job is (guide, platform, language, colour scheme). Its folder is

    screenshots/<lang>/<platform>/<guide>/        light
    screenshots/<lang>/<platform>/<guide>/dark/   dark

and holds one annotated image per step (``<step>.webp``, lossless WebP: see
``guidegen.capture.imagefile``), the raw frames (``raw/<step>-<n>.png``, the
browser's PNG as it took them) and ``frames.json``. The dark folder nests inside the
light one, so a guide's pictures stay together; everything that walks, names
or deletes job folders asks this module, so nothing mistakes one for the other.
Keys (manifest, report) are the job folder's path below ``screenshots/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from ..safepath import own_folder

FRAMES = "frames.json"
# The keys of frames.json that render reads, at any depth (the rest, such as the
# boxes of every element on the screen, is for redraw).
RENDERED_KEYS = frozenset(
    {"scale", "viewport", "steps", "id", "frames", "at", "crop", "marks", "number", "raw"}
    # What the site's crop for narrow screens is made from (site_images.narrow_crop).
    | {"outline", "badge", "context", "text"}
)
RAW = "raw"
DARK = "dark"
IMAGE_SUFFIX = ".webp"
RAW_SUFFIX = ".png"

# What render makes of the captures below each language's docs folder (git-ignored).
GUIDE_PAGES = "guides"
SITE_PICTURES = "assets/screenshots"


def job_key(guide: str, platform: str, lang: str, scheme: str) -> str:
    """The job's folder below the screenshots folder, as a POSIX path: its manifest key."""
    light = f"{lang}/{platform}/{guide}"
    return light if scheme == "light" else f"{light}/{scheme}"


def step_key(guide: str, platform: str, lang: str, scheme: str, step: str) -> str:
    """A step image's name in reports: the job key and the step id."""
    return f"{job_key(guide, platform, lang, scheme)}/{step}"


def job_dir(screenshots: Path, guide: str, platform: str, lang: str, scheme: str) -> Path:
    return screenshots / job_key(guide, platform, lang, scheme)


def frames_file(folder: Path) -> Path:
    return folder / FRAMES


def frames_text(meta: dict[str, Any]) -> bytes:
    """frames.json as written: a key per line, sorted, so that a change reads well
    in a diff, but each list of numbers (a box, a point) on one line, which
    makes the file a third of its size with every number on a line of its own."""
    return (_json(meta, 0) + "\n").encode()


def _json(value: Any, depth: int) -> str:
    if isinstance(value, list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        return json.dumps(value)
    if isinstance(value, dict | list) and value:
        pad = " " * (depth + 1)
        if isinstance(value, dict):
            items = [
                f"{pad}{json.dumps(k, ensure_ascii=False)}: {_json(v, depth + 1)}"
                for k, v in sorted(value.items())
            ]
            start, end = "{", "}"
        else:
            items = [pad + _json(v, depth + 1) for v in value]
            start, end = "[", "]"
        return start + "\n" + ",\n".join(items) + "\n" + " " * depth + end
    return json.dumps(value, ensure_ascii=False)


def step_image_name(step: str) -> str:
    return f"{step}{IMAGE_SUFFIX}"


def step_image(folder: Path, step: str) -> Path:
    return folder / step_image_name(step)


def raw_name(step: str, index: int) -> str:
    """A raw frame's name as frames.json records it, relative to the job folder."""
    return f"{RAW}/{step}-{index}{RAW_SUFFIX}"


def raw_path(folder: Path, name: str) -> Path:
    """A raw frame named in frames.json; ValueError when the name leaves raw/.

    frames.json is committed and can be edited by anyone, so its names are not
    trusted to stay inside the job folder.
    """
    path = (folder / name).resolve()
    if not path.is_relative_to((folder / RAW).resolve()):
        raise ValueError(f"{folder / FRAMES}: raw frame '{name}' is outside {RAW}/")
    return folder / name


def _suffix(platform: str, lang: str, scheme: str) -> str:
    return f"{platform}-{lang}" if scheme == "light" else f"{platform}-{lang}-{scheme}"


def trace_name(guide: str, platform: str, lang: str, scheme: str) -> str:
    """The Playwright trace of a failed run, in .guidegen/traces/."""
    return f"{guide}-{_suffix(platform, lang, scheme)}.zip"


def failure_name(guide: str, step: int, platform: str, lang: str, scheme: str) -> str:
    """The screenshot of the screen a run failed on, in .guidegen/failures/."""
    return f"{guide}-step{step}-{_suffix(platform, lang, scheme)}.png"


def job_folders(screenshots: Path) -> list[Path]:
    """Every committed job folder, light and dark, in path order. UnsafePath for
    one reached through a symlink: pruning or redrawing it would delete and write
    wherever the link leads."""
    light = screenshots.glob(f"*/*/*/{FRAMES}")
    dark = screenshots.glob(f"*/*/*/{DARK}/{FRAMES}")
    folders = sorted(path.parent for path in (*light, *dark))
    for folder in folders:
        own_folder(screenshots, folder)
    return folders


def remove_job(folder: Path) -> None:
    """Delete a job folder's images and frames.json, keeping a nested scheme's folder.

    A light job folder holds the dark job's folder; pruning the light job alone
    must not take the dark pictures with it.
    """
    for path in folder.iterdir():
        if path == folder / DARK:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    # A dark folder whose light job is gone leaves nothing behind.
    for empty in (folder, folder.parent) if folder.name == DARK else (folder,):
        if empty.is_dir() and not any(empty.iterdir()):
            empty.rmdir()
