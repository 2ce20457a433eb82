"""The committed captures read as untrusted input (state): frames.json and images."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from guidegen.capture.state import Damaged, check_image, read_frames
from guidegen.safepath import BadFile, UnsafePath


def meta(**changes: Any) -> dict[str, Any]:
    frame = {
        "raw": "raw/step-1-1.webp",
        "marks": [{"number": 1, "box": [10, 20, 30, 40]}],
        "redactions": [{"style": "blur", "box": [0, 0, 5, 5]}],
    }
    return {
        "guide": "g",
        "platform": "web",
        "lang": "en",
        "device": "Desktop",
        "scale": 1,
        "steps": [{"id": "step-1", "frames": [frame]}],
        **changes,
    }


def written(folder: Path, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "frames.json").write_text(data if isinstance(data, str) else json.dumps(data))
    return folder


def test_a_folder_without_frames_json_has_none(tmp_path: Path) -> None:
    assert read_frames(tmp_path) is None


def test_frames_json_as_a_capture_writes_it_is_read(tmp_path: Path) -> None:
    assert read_frames(written(tmp_path, meta())) == meta()
    assert read_frames(written(tmp_path, meta(scheme="dark"))) == meta(scheme="dark")


def step(**frame: object) -> list[dict[str, Any]]:
    whole = {"raw": "raw/step-1-1.webp", "marks": [], "redactions": [], **frame}
    return [{"id": "step-1", "frames": [whole]}]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ("{cut", "not valid JSON"),
        ("[]", "the file must be an object"),
        (meta(lang=None), "lang must be a string"),
        (meta(scheme="sepia"), "scheme must be light or dark"),
        (meta(scale=0), "scale must be from 0 to 8"),
        (meta(scale=float("inf")), "scale must be from 0 to 8"),
        (meta(steps={}), "steps must be a list"),
        (meta(steps=[{"id": 7}]), "steps[0].id must be a string"),
        (meta(steps=[{"id": "s", "frames": []}]), "steps[0].frames must be a list of frames"),
        (meta(steps=step(marks=[{"number": 0, "box": [0, 0, 1, 1]}])), "a number from 1 to 99"),
        (meta(steps=step(marks=[{"number": 1, "box": [0, 0, -1, 1]}])), "[x, y, width, height]"),
        (meta(steps=step(marks=[{"number": 1, "box": [0, 0, 1e9, 1]}])), "[x, y, width, height]"),
        (meta(steps=step(redactions=[{"style": "pixelate", "box": [0, 0, 1, 1]}])), "blur or"),
    ],
)
def test_a_damaged_frames_json_is_one_line_naming_file_and_key(
    tmp_path: Path, data: object, said: str
) -> None:
    folder = written(tmp_path / "job", data)
    with pytest.raises(Damaged) as damaged:
        read_frames(folder)
    assert str(folder / "frames.json") in str(damaged.value)
    assert said in str(damaged.value)
    assert str(damaged.value).endswith("; guidegen capture writes it again")


@pytest.mark.parametrize(
    ("steps", "key"),
    [
        ([{"id": "../../x", "frames": []}], "steps[0].id"),
        (step(raw="../outside.webp"), "steps[0].frames[0].raw"),
        (step(raw="step-1.webp"), "steps[0].frames[0].raw"),  # inside, but not in raw/
    ],
)
def test_a_path_leading_out_of_its_place_is_unsafe(
    tmp_path: Path, steps: list[dict[str, Any]], key: str
) -> None:
    folder = written(tmp_path / "job", meta(steps=steps))
    with pytest.raises(UnsafePath, match=key.replace("[", r"\[").replace("]", r"\]")):
        read_frames(folder)


def test_a_frames_json_that_is_a_link_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "frames.json").symlink_to("/etc/passwd")
    with pytest.raises(BadFile, match="not a regular file"):
        read_frames(tmp_path)


def test_check_image_returns_a_good_images_bytes_and_names_a_bad_one(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "WEBP", lossless=True)
    good = tmp_path / "good.webp"
    good.write_bytes(buffer.getvalue())
    assert check_image(good) == buffer.getvalue()
    cut = tmp_path / "cut.webp"
    cut.write_bytes(buffer.getvalue()[:30])
    with pytest.raises(Damaged) as damaged:
        check_image(cut)
    assert str(damaged.value).startswith(f"{cut}: not a readable WebP image")
