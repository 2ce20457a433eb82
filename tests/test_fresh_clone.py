"""A fresh clone: git keeps the step images and frames.json, not the raw frames."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from guidegen.newproject import Options, init
from tests.commands import guidegen
from tests.test_regenerate import captured_project, changed_keys, tree, turn_send_red


@pytest.fixture(scope="module")
def first_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One capture of the small project, made once: each test clones a copy."""
    return captured_project(tmp_path_factory.mktemp("captured"))


def raw_files(files: dict[str, bytes]) -> set[str]:
    return {name for name in files if "/raw/" in name}


@pytest.fixture
def cloned(first_capture: Path, tmp_path: Path) -> Path:
    """The project as a clone has it: every raw/ folder left out, as git ignores them."""
    root = tmp_path / "clone"
    shutil.copytree(first_capture, root, ignore=shutil.ignore_patterns("raw", ".guidegen"))
    assert not raw_files(tree(root)) and tree(root)
    return root


def test_check_on_a_fresh_clone_compares_the_step_images(cloned: Path) -> None:
    before = tree(cloned)
    result = guidegen(cloned, "capture", "--check")
    assert result.returncode == 0, result.stderr
    assert "6 unchanged; 0 files written" in result.stdout
    assert tree(cloned) == before


def test_a_ui_change_is_caught_on_a_fresh_clone(cloned: Path) -> None:
    turn_send_red(cloned)
    result = guidegen(cloned, "capture", "--check")
    assert result.returncode == 1
    assert changed_keys(result.stderr) == ["en/ios/demo/step-2", "en/web/demo/step-2"]


def test_a_forced_capture_keeps_every_committed_byte_and_brings_the_raw_frames_back(
    cloned: Path, first_capture: Path
) -> None:
    committed = tree(cloned)
    result = guidegen(cloned, "capture", "--force")
    assert result.returncode == 0, result.stderr
    assert "0 files written" in result.stdout
    after = tree(cloned)
    assert {name: data for name, data in after.items() if "/raw/" not in name} == committed
    assert raw_files(after) == raw_files(tree(first_capture))
    # Their pixels differ from the ones that made the committed images by
    # rendering noise only, which redraw does not write either.
    redrawn = guidegen(cloned, "redraw", GUIDEGEN_CHROMIUM=str(cloned / "no-browser"))
    assert redrawn.returncode == 0, redrawn.stderr
    assert "0 images redrawn" in redrawn.stdout
    assert tree(cloned) == after


def test_redraw_on_a_fresh_clone_names_a_missing_raw_frame_and_writes_nothing(
    cloned: Path,
) -> None:
    before = tree(cloned)
    result = guidegen(cloned, "redraw", GUIDEGEN_CHROMIUM=str(cloned / "no-browser"))
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "/raw/" in line and "more raw frames are not on this machine" in line
    assert "guidegen capture --force" in line
    assert tree(cloned) == before


def test_git_ignores_the_raw_frames_of_a_new_project(tmp_path: Path) -> None:
    root = tmp_path / "new"
    init(Options(root, app_url="https://staging.example.com/"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    raw = "screenshots/ja/ios/first-guide/raw/open-1.png"
    dark = "screenshots/ja/ios/first-guide/dark/raw/open-1.png"
    step = "screenshots/ja/ios/first-guide/open.webp"
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", raw, dark, step],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == [raw, dark]


@pytest.mark.parametrize(("shift", "redrawn"), [(5, 0), (60, 1)])
def test_redraw_writes_only_beyond_the_tolerance(
    first_capture: Path, tmp_path: Path, shift: int, redrawn: int
) -> None:
    """Rendering noise in the raw frames (a channel moved by less than the
    threshold) leaves the committed image as it is; a real change does not."""
    root = tmp_path / "project"
    shutil.copytree(first_capture, root)
    raw = root / "screenshots/en/web/demo/raw/step-2-1.png"
    image = Image.open(raw).convert("RGB").point(lambda v: max(0, v - shift))
    image.save(raw, format="PNG")
    step = root / "screenshots/en/web/demo/step-2.webp"
    before = step.read_bytes()
    result = guidegen(root, "redraw", GUIDEGEN_CHROMIUM=str(root / "no-browser"))
    assert result.returncode == 0, result.stderr
    assert f"{redrawn} images redrawn" in result.stdout
    assert (step.read_bytes() == before) == (redrawn == 0)
