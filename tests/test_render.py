"""Rendering guide pages to Markdown (no browser)."""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.model import Guide
from generator.render import escape, guide_page, render, step_text


def make_guide(**extra) -> Guide:
    data = {
        "id": "demo",
        "title": {"ja": "デモ", "en": "Demo"},
        "summary": {"ja": "概要", "en": "Summary"},
        "steps": [
            {
                "text": {"ja": "①ボタンを{tap}します。", "en": "①{Tap} the button."},
                "actions": [{"tap": "b"}],
                "note": {"ja": "注意", "en": "Mind"},
            },
            {"text": {"ja": "完了", "en": "Done"}, "only": ["web"]},
        ],
        **extra,
    }
    return Guide.model_validate(data)


def config(tmp_path: Path) -> Config:
    return Config(root=tmp_path)


def test_verbs_follow_the_platform(tmp_path):
    c = config(tmp_path)
    assert step_text("{tap}", c, "ios", "ja") == "タップ"
    assert step_text("{tap}", c, "web", "ja") == "クリック"
    assert step_text("{Tap} it", c, "android", "en") == "Tap it"
    assert step_text("{Tap} it", c, "web", "en") == "Click it"


def test_yaml_text_cannot_inject_html_or_markdown():
    assert escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape("[x](javascript:1) *b*") == r"\[x\](javascript:1) \*b\*"


def test_a_page_has_a_tab_per_platform_with_numbered_steps_and_images(tmp_path):
    c = config(tmp_path)
    images = {"assets/screenshots/ios/demo/step-1.png"}
    page = guide_page(make_guide(), "ja", c, images)
    assert '=== "iPhone"' in page and '=== "Android"' in page and '=== "パソコン"' in page
    assert "1. ①ボタンをタップします。" in page
    assert "1. ①ボタンをクリックします。" in page
    assert (
        "![手順 1: ボタンをタップします。 (①)](../assets/screenshots/ios/demo/step-1.png)" in page
    )
    assert page.count("![") == 1
    assert "2. 完了" in page  # the web-only step is numbered 2 on the web only
    assert "!!! note" in page


def test_render_writes_pages_and_copies_only_captured_images(tmp_path):
    c = config(tmp_path)
    shot = tmp_path / "screenshots/en/ios/demo/step-1.png"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(b"\x89PNG fake")
    missing = render(c, [make_guide()])
    assert (tmp_path / "docs/en/assets/screenshots/ios/demo/step-1.png").read_bytes() == (
        b"\x89PNG fake"
    )
    assert "ja/ios/demo/step-1.png" in missing and "en/ios/demo/step-1.png" not in missing
    assert (tmp_path / "docs/ja/guides/demo.md").read_text().startswith("<!-- Generated")
