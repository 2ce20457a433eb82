"""The screenshots layout: job folders and keys per colour scheme, and the jobs a plan makes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from guidegen.capture import layout
from guidegen.capture.jobs import job_key, orphaned_folders, plan
from guidegen.config import Config
from guidegen.guide.model import Guide


def guide(guide_id: str, **extra: object) -> Guide:
    return Guide.model_validate(
        {
            "id": guide_id,
            "title": {"en": "T"},
            "summary": {"en": "S"},
            "steps": [{"text": {"en": "x"}}],
            **extra,
        }
    )


def test_light_folders_stay_where_they_were_and_dark_ones_nest_inside(tmp_path):
    assert layout.job_key("g", "ios", "ja", "light") == "ja/ios/g"
    assert layout.job_key("g", "ios", "ja", "dark") == "ja/ios/g/dark"
    assert layout.step_key("g", "ios", "ja", "dark", "s") == "ja/ios/g/dark/s"
    assert layout.job_dir(tmp_path, "g", "web", "en", "dark") == tmp_path / "en/web/g/dark"
    assert layout.trace_name("g", "ios", "ja", "light") == "g-ios-ja.zip"
    assert layout.trace_name("g", "ios", "ja", "dark") == "g-ios-ja-dark.zip"
    assert layout.failure_name("g", 3, "ios", "ja", "dark") == "g-step3-ios-ja-dark.png"
    assert layout.raw_name("s", 2) == "raw/s-2.png"


def make_job(folder: Path) -> None:
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / "s-1.webp").write_bytes(b"png")
    (folder / "s.webp").write_bytes(b"png")
    (folder / "frames.json").write_text("{}")


def test_job_folders_of_both_schemes_are_found_and_pruned_apart(tmp_path):
    light, dark = tmp_path / "ja/ios/g", tmp_path / "ja/ios/g/dark"
    make_job(light)
    make_job(dark)
    make_job(tmp_path / "en/web/h/dark")  # a dark-only guide: its light folder holds no job
    assert layout.job_folders(tmp_path) == [tmp_path / "en/web/h/dark", light, dark]
    layout.remove_job(light)
    assert sorted(p.name for p in light.iterdir()) == ["dark"]
    assert (dark / "raw" / "s-1.webp").is_file()
    layout.remove_job(dark)
    assert not light.exists()


def test_raw_frame_names_from_frames_json_stay_in_raw(tmp_path):
    assert layout.raw_path(tmp_path, "raw/s-1.webp") == tmp_path / "raw/s-1.webp"
    for name in ("../s.webp", "raw/../../x.webp", "/etc/passwd"):
        with pytest.raises(ValueError, match="outside raw/"):
            layout.raw_path(tmp_path, name)


def test_a_plan_is_narrowed_by_device_guide_and_filter(tmp_path):
    config = Config(root=tmp_path, languages=("en",), color_schemes=("light", "dark"))
    web = replace(config.devices["web"], color_schemes=("light",))
    config = replace(config, devices={**config.devices, "web": web})
    guides = [guide("a"), guide("b", color_schemes=["dark"], platforms=["ios", "web"])]
    keys = [job_key(job) for job in plan(guides, config)]
    assert keys == [
        "en/ios/a",
        "en/ios/a/dark",
        "en/android/a",
        "en/android/a/dark",
        "en/web/a",
        "en/ios/b/dark",
    ]
    dark = [job_key(job) for job in plan(guides, config, schemes=["dark"], platforms=["ios"])]
    assert dark == ["en/ios/a/dark", "en/ios/b/dark"]
    assert {job.scheme for job in plan(guides, replace(config, color_schemes=("light",)))} == {
        "light"
    }


def test_a_folder_of_a_scheme_no_longer_captured_is_orphaned(tmp_path):
    config = Config(root=tmp_path, languages=("en",), platforms=("ios",))
    shots = config.path("screenshots_dir")
    make_job(shots / "en/ios/a")
    make_job(shots / "en/ios/a/dark")
    universe = plan([guide("a")], config)
    assert orphaned_folders(config, universe) == [shots / "en/ios/a/dark"]


def test_frames_json_has_a_key_per_line_and_each_box_on_one():
    meta = {
        "scale": 3.0,
        "steps": [{"id": "a", "frames": [{"crop": [0.0, 290.5, 390, 374], "text": []}]}],
        "guide": "[ 1, 2 ] stays as written",
    }
    text = layout.frames_text(meta).decode()
    assert json.loads(text) == meta
    lines = text.splitlines()
    assert '     "crop": [0.0, 290.5, 390, 374],' in lines
    assert lines[1] == ' "guide": "[ 1, 2 ] stays as written",'
    assert text.endswith("}\n")
