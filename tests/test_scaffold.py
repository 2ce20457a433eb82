"""guidegen new: a starter guide that lints clean, and a new guide taken from
scaffold to captured, rendered and linted without touching other guides."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from guidegen.config import load_config
from guidegen.guide.lint import lint
from guidegen.guide.scaffold import ScaffoldError, new_guide, parse_platforms
from guidegen.guide.types import PLATFORMS
from tests.commands import guidegen
from tests.editor_project import copy_project

TODAY = dt.date(2026, 11, 26)

# Two steps against the shop on the web, with test ids from mockshop/README.md.
FILLED_STEPS = """\
steps:
  - id: open-account
    text:
      ja: 画面上部の①「アカウント」を{tap}します。
      en: "{Tap} ① your account at the top of the page."
    actions:
      - tap: tab-account
  - id: open-orders
    text:
      ja: ①「注文履歴」を{tap}します。
      en: "{Tap} ① Your Orders."
    actions:
      - tap: order-history
"""


def small_project(tmp_path: Path) -> Path:
    (tmp_path / "steps").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "scenarios.json").write_text('{"empty-cart": {}, "one-order": {}}')
    (tmp_path / "pyproject.toml").write_text(
        '[tool.guidegen]\nshop_dir = "app"\nscenarios = "app/scenarios.json"\n'
    )
    return tmp_path


def test_starter_guide_passes_lint_without_a_warning(tmp_path):
    root = small_project(tmp_path)
    config = load_config(root)
    path = new_guide(config, "see-orders", scenario="one-order")
    assert path == root / "steps" / "see-orders.yml"
    report = lint([path], config, TODAY)
    assert report.problems == ()
    (guide,) = report.guides
    assert guide.id == "see-orders" and guide.scenario == "one-order"
    assert guide.platforms == PLATFORMS
    assert len(guide.steps) == 1 and len(guide.steps[0].actions) == 1
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "①" in guide.steps[0].text.get("ja") and "①" in guide.steps[0].text.get("en")
    # Every top-level and step key is explained, used or shown commented out.
    for key in ("id", "title", "summary", "scenario", "platforms", "related", "prerequisites"):
        assert f"# {key}: " in text
    for key in ("facts", "redact", "compare", "steps", "text", "actions", "note", "only"):
        assert f"# {key}: " in text
    assert "Known scenarios: empty-cart, one-order." in text


def test_starter_for_some_platforms_and_no_scenario(tmp_path):
    config = load_config(small_project(tmp_path))
    path = new_guide(config, "web-only", platforms="web")
    report = lint([path], config, TODAY)
    assert report.problems == ()
    assert report.guides[0].platforms == ("web",) and report.guides[0].scenario is None


@pytest.mark.parametrize(
    "bad", ["Upper", "under_score", "-lead", "trail-", "two--hyphens", "a" * 65, "ドット", ""]
)
def test_refuses_ids_that_are_not_ids(tmp_path, bad):
    config = load_config(small_project(tmp_path))
    with pytest.raises(ScaffoldError, match="is not a guide id"):
        new_guide(config, bad)
    assert list((tmp_path / "steps").iterdir()) == []


def test_refuses_unknown_platforms():
    with pytest.raises(ScaffoldError, match="unknown platform 'tv'"):
        parse_platforms("web,tv")
    assert parse_platforms("web, ios,web") == ("web", "ios")


def test_cli_refuses_a_taken_id_a_bad_id_and_an_unknown_scenario(tmp_path):
    root = small_project(tmp_path)
    assert guidegen(root, "new", "see-orders").returncode == 0
    before = (root / "steps" / "see-orders.yml").read_bytes()
    for args, message in [
        (("see-orders",), "guidegen: steps/see-orders.yml: already exists"),
        (("See_Orders",), "guidegen: 'See_Orders' is not a guide id"),
        (("other", "--scenario", "nope"), "known: empty-cart, one-order"),
        (("other", "--platforms", "tv"), "unknown platform 'tv'"),
    ]:
        result = guidegen(root, "new", *args)
        assert result.returncode == 2, result
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert message in result.stderr
    assert (root / "steps" / "see-orders.yml").read_bytes() == before
    assert sorted(p.name for p in (root / "steps").iterdir()) == ["see-orders.yml"]


def _images(root: Path) -> dict[Path, tuple[bytes, int]]:
    return {
        path: (path.read_bytes(), path.stat().st_mtime_ns)
        for path in (root / "screenshots").rglob("*")
        if path.is_file()
    }


def test_a_new_guide_is_captured_rendered_and_linted_without_touching_others(tmp_path):
    root = copy_project(tmp_path)
    result = guidegen(
        root, "new", "my-orders", "--scenario", "awaiting-reply", "--platforms", "web"
    )
    assert result.returncode == 0, result.stderr
    path = root / "steps" / "my-orders.yml"
    starter = path.read_text("utf-8")
    path.write_text(starter[: starter.index("\nsteps:\n") + 1] + FILLED_STEPS, "utf-8")
    others = _images(root)

    result = guidegen(root, "capture", "--guide", "my-orders")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "captured my-orders › web/ja" in result.stdout
    assert "captured my-orders › web/en" in result.stdout

    after = _images(root)
    mine = [p for p in after if "my-orders" in p.parts]
    for lang in ("ja", "en"):
        folder = root / "screenshots" / lang / "web" / "my-orders"
        assert (folder / "open-account.webp").is_file() and (folder / "open-orders.webp").is_file()
    manifest = root / "screenshots" / "manifest.json"
    unchanged = {p: v for p, v in after.items() if p not in mine and p != manifest}
    assert unchanged == {p: v for p, v in others.items() if p != manifest}

    result = guidegen(root, "lint")
    assert result.returncode == 0, result.stdout + result.stderr
    count = len(list((root / "steps").glob("*.yml")))
    # The project's facts may be due for a re-check by now (a warning); the new guide has none.
    *warnings, summary = result.stdout.splitlines()
    assert re.fullmatch(rf"{count} guides OK \(\d+ warnings?\)", summary), result.stdout
    assert not [line for line in warnings if "my-orders" in line], result.stdout
    result = guidegen(root, "render")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    page = (root / "docs" / "en" / "guides" / "my-orders.md").read_text("utf-8")
    assert re.search(r"assets/screenshots/web/my-orders/open-orders\.1\.\d+\.webp", page)
    assert (root / "docs" / "en" / "assets" / "screenshots" / "web" / "my-orders").is_dir()
