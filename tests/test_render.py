"""Rendering guide pages to Markdown (no browser)."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, PngImagePlugin

from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.site.images import SiteFrame, StepPicture, Variant
from guidegen.site.render import escape, guide_page, phrased, render, step_text


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
    variants = (Variant("assets/screenshots/ios/demo/step-1.1.390.webp", 390, 664),)
    frame = SiteFrame(390, 664, (1,), variants, spots=((1, 0.5, 0.9),))
    images = {("ios", "demo", "step-1"): StepPicture((frame,), (), True)}
    page = guide_page(make_guide(), "ja", c, images)
    assert '=== "iPhone"' in page and '=== "Android"' in page and '=== "パソコン"' in page
    # Japanese text breaks only between its phrases (<wbr>, see phrased).
    assert '1. <span class="gg-phrases">①ボタンを<wbr>タップします。</span>' in page
    assert '1. <span class="gg-phrases">①ボタンを<wbr>クリックします。</span>' in page
    assert 'alt="iPhoneの画面。①ボタンをタップします。印の位置：①は下部中央。"' in page
    assert 'srcset="../../assets/screenshots/ios/demo/step-1.1.390.webp 390w"' in page
    assert 'width="390" height="664" data-css-width="390" loading="lazy"' in page
    assert page.count("<img ") == 1
    assert "2. 完了" in page  # the web-only step is numbered 2 on the web only
    assert '!!! note "補足"' in page
    assert "hide: [toc]" in page  # the pictures get the table of contents' column


def png_with_gradient() -> bytes:
    image = Image.new("RGB", (300, 200), "white")
    for x in range(300):
        for y in range(0, 200, 7):
            image.putpixel((x, y), (x % 256, y, 120))
    info = PngImagePlugin.PngInfo()
    info.add_text("guidegen:device", "iPhone 13")
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def test_render_writes_pages_and_converts_only_captured_images(tmp_path):
    c = config(tmp_path)
    shot = tmp_path / "screenshots/en/ios/demo/step-1.webp"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(png_with_gradient())
    missing = render(c, [make_guide()])
    served = Image.open(tmp_path / "docs/en/assets/screenshots/ios/demo/step-1.1.300.webp")
    assert served.format == "WEBP" and served.size == (300, 200)
    assert "ja/ios/demo/step-1.webp" in missing and "en/ios/demo/step-1.webp" not in missing
    assert (tmp_path / "docs/ja/guides/demo.md").read_text().startswith("---\n# Generated")


def test_yaml_text_cannot_start_block_syntax():
    assert escape("1. one") == r"1\. one"
    assert escape("- item") == r"\- item"
    assert escape('=== "tab"') == '&#61;== "tab"'
    assert escape("line one\n\n    code?\n# heading") == r"line one code? \# heading"


def test_raw_html_in_every_field_is_rendered_as_text(tmp_path):
    evil = "<script>alert(1)</script>"
    guide = make_guide(
        title={"ja": f"</title>{evil}", "en": "t"},
        summary={"ja": f'"><img src=x onerror=alert(1)>{evil}', "en": "s"},
        prerequisites=[{"ja": evil, "en": "p"}],
    )
    page = guide_page(guide, "ja", config(tmp_path), {})
    assert "<script>alert" not in page and "<img" not in page and "</title>" not in page
    assert "# &lt;\u2060/title&gt;&lt;script&gt;alert(1)&lt;\u2060/script&gt;" in page
    # The front matter description lands in an attribute: quotes are escaped too.
    assert 'description: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' in page


def test_facts_come_before_the_steps_and_their_sources_fold_away(tmp_path):
    guide = make_guide(
        facts=[
            {
                "text": {"ja": "返金されます。", "en": "You get a refund."},
                "source": "https://help.komorebi.co.jp/a_(b)?q=[1]",
                "checked": "2026-11-26",
            }
        ]
    )
    ja = guide_page(guide, "ja", config(tmp_path), {})
    en = guide_page(guide, "en", config(tmp_path), {})
    assert '!!! info "始める前に"\n\n    - 返金されます。\n\n## 手順' in ja
    # Collapsed, a readable address as the link's text: spaces where a line may break.
    assert (
        '??? info "参考情報"\n\n    - [help.komorebi.co.jp › a\\_(b)]'
        "(https://help.komorebi.co.jp/a_%28b%29?q=%5B1%5D)（2026年11月26日確認）"
    ) in ja
    assert '??? info "Sources"' in en and "(reviewed November 26, 2026)" in en


def test_related_guides_link_by_title_and_skip_unknown_ids(tmp_path):
    other = make_guide(id="other", title={"ja": "別のガイド", "en": "Other"})
    guide = make_guide(related=["other", "missing"])
    page = guide_page(guide, "ja", config(tmp_path), {}, {"other": other, "demo": guide})
    assert "## 関連するガイド\n\n- [別のガイド](other.md)\n" in page
    assert "概要" not in page.split("## 関連するガイド")[1], "titles only, no summaries"
    assert "missing" not in page


def test_prerequisites_and_tabs_follow_the_guide(tmp_path):
    guide = make_guide(
        platforms=["web"], prerequisites=[{"ja": "ログインしていること", "en": "Signed in"}]
    )
    page = guide_page(guide, "en", config(tmp_path), {})
    assert '!!! info "Before you start"\n\n    - Signed in' in page
    assert '=== "Computer"' in page and '=== "iPhone"' not in page


def test_render_removes_images_of_steps_that_are_gone(tmp_path):
    c = config(tmp_path)
    stale = tmp_path / "docs/ja/assets/screenshots/ios/demo/old-step.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    render(c, [make_guide()])
    assert not stale.exists()


def test_japanese_text_breaks_between_phrases_only():
    shown = phrased("こもれびマーケットの出品者に<b>連絡</b>する", "ja")
    assert shown.startswith('<span class="gg-phrases">') and "<wbr>" in shown
    assert "こもれびマーケット" in shown, "never inside a word"
    assert "&lt;b&gt;" in shown and "<b>" not in shown, "still escaped"
    assert phrased("Contact the seller", "en") == "Contact the seller"
    assert phrased("1. 注文を開きます", "ja").startswith('<span class="gg-phrases">1\\.')
