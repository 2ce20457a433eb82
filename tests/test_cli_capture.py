"""guidegen capture and check, whole commands in this process, on a small project."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from guidegen import cli
from guidegen.capture import runner
from guidegen.capture import workers as capture_module
from guidegen.capture.browser import BrowserNotFound
from guidegen.capture.imagefile import decode, encode
from guidegen.capture.jobs import plan
from guidegen.capture.workers import execute
from guidegen.config import load_config
from guidegen.guide.lint import lint
from tests.commands import guidegen
from tests.conftest import FIXTURE_APP

GUIDE = """\
id: demo
title: {en: Demo}
summary: {en: Send a message.}
platforms: [ios, web]
steps:
  - text: {en: "①{Tap} Next."}
    actions:
      - tap: next
  - text: {en: "①Type a message and ②{tap} Send."}
    actions:
      - fill: {target: message, value: hello}
      - tap: {role: button, name: Send}
"""


def project(
    tmp_path: Path,
    start_url: str = "/index.html",
    optimise: bool = False,
    schemes: str = "light",
    timeout_ms: int = 10000,
) -> Path:
    """A small project running against the fixture app. PNG optimisation is
    off unless asked for: it is slow, and one test covers it. One browser: a
    second one's start costs more CPU than it saves on two or four short runs."""
    shutil.copytree(FIXTURE_APP, tmp_path / "app")
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "demo.yml").write_text(GUIDE)
    (tmp_path / "pyproject.toml").write_text(
        "[tool.guidegen]\n"
        'languages = ["en"]\n'
        'shop_dir = "app"\n'
        f'start_url = "{start_url}"\n'
        "ready = \"body[data-ready='true']\"\n"
        f"timeout_ms = {timeout_ms}\n"
        "workers = 1\n"
        f"optimise = {'true' if optimise else 'false'}\n"
        f"color_schemes = {json.dumps(schemes.split(','))}\n"
    )
    return tmp_path


@pytest.fixture(scope="module")
def first_capture(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The small project captured once on both platforms, and what the capture printed:
    the tests that start from a capture work on a copy of it."""
    root = project(tmp_path_factory.mktemp("captured"))
    result = guidegen(root, "capture")
    assert result.returncode == 0, result.stderr
    return root, result


@pytest.fixture
def captured(first_capture: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(first_capture[0], root, symlinks=True)
    return root


def test_capture_writes_annotated_images_raw_frames_and_boxes(first_capture):
    root, result = first_capture
    assert "captured demo › web/en" in result.stdout
    assert "captured demo › ios/en" in result.stdout
    folder = root / "screenshots/en/ios/demo"
    image = Image.open(folder / "step-2.webp")
    assert image.format == "WEBP" and not {"exif", "xmp", "icc_profile"} & set(image.info)
    meta = json.loads((folder / "frames.json").read_text())
    assert meta["device"] == "iPhone 13" and meta["scale"] == 3
    step_2 = meta["steps"][1]
    (frame,) = step_2["frames"]
    assert [m["number"] for m in frame["marks"]] == [1, 2]
    assert all(len(m["badge"]) == 4 for m in frame["marks"]) and frame["text"]
    # The raw frame is the whole screen; the step's picture shows its crop.
    raw = Image.open(io.BytesIO((folder / frame["raw"]).read_bytes()))
    assert raw.size == (390 * 3, 664 * 3)
    *_, width, height = frame["crop"]
    assert image.size == (round(width * 3), round(height * 3)) and height < 664
    assert frame["at"] == [0, 0, image.width, image.height]
    # Step 1 taps Next, which opens a new screen: one frame, marked on Next.
    assert len(meta["steps"][0]["frames"]) == 1
    web = Image.open(root / "screenshots/en/web/demo/step-1.webp")
    assert web.size[0] <= 1280 and web.size[1] < 800


def test_check_writes_no_image_and_passes(tmp_path):
    root = project(tmp_path)
    result = guidegen(root, "check")
    assert result.returncode == 0, result.stderr
    assert "2 guide runs OK" in result.stdout
    assert not (root / "screenshots").exists()


def test_check_names_guide_step_platform_and_language_on_drift(tmp_path):
    # The app renames its Send button: the guide's role target no longer matches.
    root = project(tmp_path, timeout_ms=5000)
    app = root / "app" / "index.html"
    app.write_text(app.read_text().replace(">Send</button>", ">Submit</button>"))
    result = guidegen(root, "check", "--platform", "ios")
    assert result.returncode == 1
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("demo › ")]
    assert line.startswith(
        "demo › step 2 'step-2' (steps/demo.yml:9) › ios/en: tap role button named 'Send' — "
        "no element with role button named 'Send'; did you mean button 'Submit' or "
    )
    assert "(screen: form); screenshot: " in line
    shot = line.rsplit("screenshot: ", 1)[1]
    assert (root / shot).read_bytes().startswith(b"\x89PNG")
    # A missing element is named in full: the run is not run again with a trace.
    assert not list(root.glob(".guidegen/traces/*"))
    assert "Traceback" not in result.stderr


def test_capture_keeps_earlier_images_when_a_run_fails(captured):
    root = captured
    before = (root / "screenshots/en/web/demo/step-1.webp").read_bytes()
    app = root / "app" / "index.html"
    app.write_text(app.read_text().replace('data-testid="next"', 'data-testid="nxt"'))
    result = guidegen(root, "capture", "--platform", "web")
    assert result.returncode == 1
    assert (root / "screenshots/en/web/demo/step-1.webp").read_bytes() == before


def test_bad_filters_are_usage_errors(tmp_path):
    root = project(tmp_path)
    result = guidegen(root, "capture", "--guide", "nope")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "guidegen: --guide nope: no such guide; known: demo"
    result = guidegen(root, "check", "--lang", "xx")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_missing_browser_is_explained(tmp_path):
    root = project(tmp_path)
    env_result = guidegen(root, "check", GUIDEGEN_CHROMIUM=str(tmp_path / "no-such-chromium"))
    assert env_result.returncode == 2
    assert "GUIDEGEN_CHROMIUM=" in env_result.stderr and "is not a file" in env_result.stderr


def test_a_second_capture_starts_no_browser_and_writes_nothing(captured, tmp_path):
    root = captured
    stamps = {p: p.stat().st_mtime_ns for p in (root / "screenshots").rglob("*")}
    # With no browser to be found, only a run that starts none can succeed.
    result = guidegen(root, "capture", GUIDEGEN_CHROMIUM=str(tmp_path / "none"))
    assert result.returncode == 0, result.stderr
    assert "captured 0, up to date 2, failed 0; 0 files written\n" in result.stdout
    assert stamps == {p: p.stat().st_mtime_ns for p in (root / "screenshots").rglob("*")}


def test_only_the_changed_guide_platform_is_recaptured(captured):
    root = captured
    guide = root / "steps/demo.yml"
    guide.write_text(guide.read_text().replace("platforms: [ios, web]", "platforms: [web, ios]"))
    result = guidegen(root, "capture")
    assert "captured 2, up to date 0" in result.stdout  # the definition changed for both
    app = root / "app" / "index.html"
    app.write_text(app.read_text().replace("padding: 16px", "padding: 20px"))
    result = guidegen(root, "capture", "--platform", "web")
    assert "captured 1, up to date 0" in result.stdout
    result = guidegen(root, "capture")
    assert "captured 1, up to date 1" in result.stdout


def test_force_recaptures_everything(captured):
    root = captured
    result = guidegen(root, "capture", "--force")
    assert "captured 2, up to date 0, failed 0" in result.stdout
    assert "; 0 files written" in result.stdout  # same pixels, same bytes: nothing rewritten


def test_step_images_are_lossless_webp_raw_frames_png_and_optimise_shrinks_step_images(
    captured, tmp_path
):
    plain = captured  # captured with optimise = false
    optimised = project(tmp_path / "optimised", optimise=True)
    assert guidegen(optimised, "capture", "--platform", "web").returncode == 0
    a, b = (root / "screenshots/en/web/demo/step-1.webp" for root in (plain, optimised))
    assert a.read_bytes()[8:16] == b.read_bytes()[8:16] == b"WEBPVP8L"  # lossless
    assert Image.open(a).convert("RGB").tobytes() == Image.open(b).convert("RGB").tobytes()
    assert b.stat().st_size < a.stat().st_size
    # Only the committed step image: the raw frame stays on the machine, as the
    # browser's PNG (never decoded and encoded again), whatever optimise says.
    a, b = (root / "screenshots/en/web/demo/raw/step-1-1.png" for root in (plain, optimised))
    assert a.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert a.read_bytes() == b.read_bytes()


def test_raw_frames_of_an_older_capture_are_renamed_without_churning_a_picture(captured):
    """Raw frames were lossless WebP (raw/<step>-<n>.webp) until they became the
    browser's PNG: a capture over such a folder (forced here, as a new version's
    code fingerprint forces it) names and writes them anew and removes the old
    ones, and writes no step picture."""
    folder = captured / "screenshots/en/web/demo"
    frames = folder / "frames.json"
    for png in (folder / "raw").glob("*.png"):
        png.with_suffix(".webp").write_bytes(encode(decode(png.read_bytes())))
        png.unlink()
    frames.write_text(frames.read_text().replace('.png"', '.webp"'))
    pictures = {p: p.read_bytes() for p in folder.glob("*.webp")}
    result = guidegen(captured, "capture", "--platform", "web", "--force")
    assert result.returncode == 0, result.stderr
    assert "; 1 files written" in result.stdout  # frames.json alone
    assert {p: p.read_bytes() for p in folder.glob("*.webp")} == pictures
    names = sorted(f["raw"] for s in json.loads(frames.read_text())["steps"] for f in s["frames"])
    assert names and all(n.endswith(".png") for n in names)
    assert sorted(p.relative_to(folder).as_posix() for p in (folder / "raw").iterdir()) == names
    assert guidegen(captured, "redraw").returncode == 0


def test_redraw_restores_step_images_from_raw_frames_without_a_browser(captured, tmp_path):
    root = captured
    image = root / "screenshots/en/ios/demo/step-2.webp"
    drawn = image.read_bytes()
    Image.new("RGB", (10, 10)).save(image)
    (root / "screenshots/en/web/demo/step-1.webp").unlink()
    result = guidegen(root, "redraw", GUIDEGEN_CHROMIUM=str(tmp_path / "none"))
    assert result.returncode == 0, result.stderr
    assert "2 images redrawn" in result.stdout
    assert image.read_bytes() == drawn
    assert (root / "screenshots/en/web/demo/step-1.webp").is_file()


def test_dark_scheme_is_captured_in_its_own_folder_and_filtered_like_a_platform(tmp_path):
    root = project(tmp_path, schemes="light,dark")
    result = guidegen(root, "capture", "--platform", "web", "--scheme", "dark")
    assert result.returncode == 0, result.stderr
    assert "captured demo › web/en/dark" in result.stdout
    assert not (root / "screenshots/en/web/demo/frames.json").exists()
    dark = root / "screenshots/en/web/demo/dark"
    meta = json.loads((dark / "frames.json").read_text())
    assert meta["scheme"] == "dark"
    # The whole raw frame: the step picture is cropped to what the step is about.
    raw = Image.open(dark / "raw/step-1-1.png").convert("RGB")
    assert raw.getpixel((1270, 10)) == (18, 18, 18)  # the app's dark page
    result = guidegen(root, "capture", "--platform", "web")
    assert "captured 1, up to date 1" in result.stdout  # the light job only
    light = Image.open(root / "screenshots/en/web/demo/raw/step-1-1.png").convert("RGB")
    assert light.getpixel((1270, 10)) == (255, 255, 255)
    manifest = json.loads((root / "screenshots/manifest.json").read_text())
    assert sorted(manifest) == ["en/web/demo", "en/web/demo/dark"]
    # Narrowed to light, the dark folder is orphaned; pruning it leaves the light job whole.
    guide = root / "steps/demo.yml"
    guide.write_text(guide.read_text().replace("platforms: [ios, web]", "platforms: [web]"))
    guide.write_text(guide.read_text() + "color_schemes: [light]\n")
    result = guidegen(root, "capture", "--prune")
    assert result.returncode == 0, result.stderr
    assert not dark.exists()
    assert (root / "screenshots/en/web/demo/step-1.webp").is_file()


def test_the_workers_setting_sets_the_browsers_and_the_flag_overrides_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    asked = []
    real_execute = capture_module.execute

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs["workers"])
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(capture_module, "execute", counted)
    monkeypatch.chdir(root)
    monkeypatch.setenv("CI", "true")
    assert cli.main(["check", "--platform", "web"]) == 0
    assert cli.main(["check", "--platform", "web", "--workers", "2"]) == 0
    config = root / "pyproject.toml"
    config.write_text(config.read_text().replace("workers = 1", "workers = 0"))
    assert cli.main(["capture", "--platform", "web"]) == 0
    assert asked == [1, 2, None], capsys.readouterr().err  # None: the default


def test_a_worker_browses_its_next_run_while_the_last_one_settles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(project(tmp_path))
    jobs = plan(lint([config.path("steps_dir")], config).guides, config)
    assert len(jobs) == 2
    second_started = threading.Event()
    runs = []
    real_run = runner.run_guide

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(args)
        if len(runs) == 2:
            second_started.set()
        return real_run(*args, **kwargs)

    monkeypatch.setattr(runner, "run_guide", counted)
    overlapped = []

    def then(job: Any, run: Any) -> None:
        if not overlapped:  # the first run's settling waits for the next run's browsing
            overlapped.append(second_started.wait(timeout=300))

    outcomes = list(execute(config, jobs, shoot=True, workers=1, then=then))
    assert overlapped == [True]
    assert len(outcomes) == 2 and all(o.run is not None for o in outcomes)


def test_a_wrong_browser_setting_is_said_before_any_playwright_starts(tmp_path, monkeypatch):
    root = project(tmp_path)
    config = load_config(root)
    jobs = plan(lint([config.path("steps_dir")], config).guides, config)
    monkeypatch.setenv("GUIDEGEN_CHROMIUM", str(tmp_path / "none"))
    started = []
    monkeypatch.setattr("playwright.sync_api.sync_playwright", lambda: started.append(1))
    with pytest.raises(BrowserNotFound, match=r"GUIDEGEN_CHROMIUM=.* is not a file"):
        list(execute(config, jobs, shoot=False))
    assert not started
