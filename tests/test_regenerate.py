"""Screenshot regeneration for CI: --check, --update, tolerance, prune, shards, report."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from guidegen.commands import CHANGED_BY_ITSELF
from guidegen.server import serve
from tests.commands import guidegen
from tests.test_cli_capture import project

SECOND_GUIDE = """\
id: second
title: {en: Second}
summary: {en: Only looks.}
platforms: [ios, web]
steps:
  - text: {en: "①This is Next."}
    actions:
      - highlight: next
"""


def captured_project(folder: Path) -> Path:
    """The small project with a second guide, captured."""
    root = project(folder)
    (root / "steps" / "second.yml").write_text(SECOND_GUIDE)
    result = guidegen(root, "capture")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def first_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One capture of the small project, made once: each test works on a copy."""
    return captured_project(tmp_path_factory.mktemp("captured"))


@pytest.fixture
def captured(first_capture: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(first_capture, root)
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "screenshots").rglob("*"))
        if p.is_file()
    }


def turn_send_red(root: Path) -> None:
    """The Send button turns red: only the steps that show the form change."""
    app = root / "app" / "index.html"
    app.write_text(
        app.read_text().replace(".tall {", "[data-testid=send] { background: #c00; }\n  .tall {")
    )


def changed_keys(stderr: str) -> list[str]:
    return sorted(ln.split(": ", 1)[1] for ln in stderr.splitlines() if ln.startswith("changed: "))


def test_check_passes_and_writes_nothing_when_the_ui_is_the_same(captured):
    root = captured
    before = tree(root)
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 0, result.stderr
    assert "checked 4, up to date 0, failed 0; 6 unchanged; 0 files written" in result.stdout
    assert tree(root) == before


def test_a_css_change_is_caught_and_update_rewrites_exactly_those_images(captured):
    root = captured
    before = tree(root)
    turn_send_red(root)
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 1
    changed = changed_keys(result.stderr)
    assert changed == ["en/ios/demo/step-2", "en/web/demo/step-2"]
    # What to do when nothing in the app changed: its last line.
    assert result.stderr.splitlines()[-1] == CHANGED_BY_ITSELF
    assert tree(root) == before  # check wrote nothing
    report = json.loads((root / ".guidegen/report/results.json").read_text())
    assert sorted(i["key"] for i in report["items"] if i["status"] == "changed") == changed

    result = guidegen(root, "capture", "--update")
    assert result.returncode == 0, result.stderr
    after = tree(root)
    rewritten = sorted(k for k in after if after[k] != before.get(k))
    images = sorted(
        k.removeprefix("screenshots/").removesuffix(".webp")
        for k in rewritten
        if k.endswith(".webp") and "/raw/" not in k
    )
    assert images == changed
    assert guidegen(root, "capture", "--check").returncode == 0


def test_a_change_outside_the_steps_pictures_changes_none_of_them(captured):
    # The home screen's heading is above both pictures of step 1 (their crops
    # start below it): the raw frames change, what a reader sees does not. A
    # check here says so as one on a clean clone (no raw frames) would, and
    # --force writes no committed file but keeps the new raw frames for redraw.
    root = captured
    app = root / "app" / "index.html"
    app.write_text(app.read_text().replace("<h1>Home</h1>", "<h1>Start page</h1>"))
    before = tree(root)
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 0, result.stderr
    assert "6 unchanged; 0 files written" in result.stdout, result.stdout
    result = guidegen(root, "capture", "--force")
    assert result.returncode == 0, result.stderr
    assert "6 unchanged; 0 files written" in result.stdout, result.stdout
    after = tree(root)
    rewritten = sorted(k for k in after if after[k] != before[k])
    # The manifest notes the app's files, which changed.
    assert rewritten == [
        "screenshots/en/ios/demo/raw/step-1-1.png",
        "screenshots/en/ios/second/raw/step-1-1.png",
        "screenshots/en/web/demo/raw/step-1-1.png",
        "screenshots/en/web/second/raw/step-1-1.png",
        "screenshots/manifest.json",
    ]
    # A change inside the pictures still counts: the button they show, renamed.
    app.write_text(app.read_text().replace('|| "Next"', '|| "Continue"'))
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 1
    assert changed_keys(result.stderr) == [
        "en/ios/demo/step-1",
        "en/ios/second/step-1",
        "en/web/demo/step-1",
        "en/web/second/step-1",
    ]


def test_a_one_pixel_difference_stays_under_the_budget(captured):
    root = captured
    raw = root / "screenshots/en/web/second/raw/step-1-1.png"
    image = Image.open(raw).convert("RGB")
    r, g, b = image.getpixel((700, 500))
    image.putpixel((700, 500), ((r + 60) % 256, g, b))
    out = io.BytesIO()
    image.save(out, format="PNG")
    raw.write_bytes(out.getvalue())
    before = tree(root)
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 0, result.stderr
    result = guidegen(root, "capture", "--force", "--guide", "second")
    assert result.returncode == 0
    # Neither --force nor --update rewrites a file for a difference under the tolerance.
    assert raw.read_bytes() == out.getvalue()
    (root / "screenshots/manifest.json").unlink()
    result = guidegen(root, "capture", "--update")
    assert result.returncode == 0
    assert raw.read_bytes() == before["screenshots/en/web/second/raw/step-1-1.png"]


def test_orphans_are_reported_and_pruned(captured):
    root = captured
    (root / "steps" / "second.yml").unlink()
    guide = root / "steps" / "demo.yml"
    guide.write_text(guide.read_text().split('  - text: {en: "①Type')[0])
    result = guidegen(root, "capture", "--check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "orphaned: en/ios/demo/step-2" in lines
    assert "orphaned: en/web/second/*" in lines
    assert CHANGED_BY_ITSELF not in lines  # no picture changed
    assert guidegen(root, "capture", "--prune").returncode == 0
    assert not (root / "screenshots/en/ios/demo/step-2.webp").exists()
    assert not (root / "screenshots/en/web/second").exists()
    assert (root / "screenshots/en/ios/demo/step-1.webp").exists()
    assert guidegen(root, "capture", "--check").returncode == 0


def test_three_shards_merged_equal_the_whole(captured):
    root = captured
    whole = guidegen(root, "capture", "--check", "--report", "whole")
    assert whole.returncode == 0
    for index in (1, 2, 3):
        result = guidegen(
            root, "capture", "--check", "--shard", f"{index}/3", "--report", f"shard{index}"
        )
        assert result.returncode == 0, result.stderr
    shard_items = [
        json.loads((root / f"shard{i}/results.json").read_text())["items"] for i in (1, 2, 3)
    ]
    assert sorted(len(items) for items in shard_items)[0] >= 1
    merged = guidegen(root, "merge", "shard1", "shard2", "shard3", "--out", "merged")
    assert merged.returncode == 0, merged.stderr
    assert json.loads((root / "merged/results.json").read_text()) == json.loads(
        (root / "whole/results.json").read_text()
    )


def test_bad_shard_is_a_usage_error(tmp_path):
    root = project(tmp_path)
    result = guidegen(root, "capture", "--shard", "4/3")
    assert result.returncode == 2 and "--shard 4/3" in result.stderr


def test_the_html_report_opens_with_every_image(captured, browser):
    root = captured
    app = root / "app" / "index.html"
    app.write_text(app.read_text().replace("padding: 16px", "padding: 40px"))
    (root / "steps" / "third.yml").write_text(SECOND_GUIDE.replace("second", "third"))
    assert guidegen(root, "capture", "--check").returncode == 1
    report = root / ".guidegen/report"
    assert "### Changed" in (report / "summary.md").read_text()
    with serve(report) as url:
        page = browser.new_page()
        page.goto(url + "index.html")
        images = page.locator("img")
        assert images.count() >= 6
        widths = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth)")
        assert all(widths), widths
        assert page.get_by_role("heading", name="New (2)").is_visible()
        page.close()
    shutil.rmtree(report)


def test_a_forced_capture_keeps_every_committed_byte(captured):
    """No churn: a file whose pixels did not change keeps its bytes, even under --force."""
    before = tree(captured)
    result = guidegen(captured, "capture", "--force")
    assert result.returncode == 0, result.stderr
    assert "0 files written" in result.stdout
    assert tree(captured) == before
