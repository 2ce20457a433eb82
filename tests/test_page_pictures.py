"""A guide step's pictures on hand-written pages: the marker, its lint, its filling."""

from __future__ import annotations

from pathlib import Path, PurePath

from guidegen.config import Config
from guidegen.guide.lint import lint
from guidegen.site.figure import page_prefix
from guidegen.site.images import SiteFrame, StepPicture, Variant
from guidegen.site.render import render_pages
from tests.test_render import make_guide

PAGE = """\
# About

Text before.

<!-- picture demo/step-1 -->
<!-- /picture -->

Text after.
"""


def _project(tmp_path: Path, page: str) -> Config:
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "demo.yml").write_text(
        "id: demo\ntitle: {ja: 題, en: Title}\nsummary: {ja: 要約, en: Summary}\n"
        "steps:\n  - text: {ja: 開く, en: Open}\n",
        "utf-8",
    )
    for lang in ("ja", "en"):
        (tmp_path / "docs" / lang).mkdir(parents=True)
        (tmp_path / "docs" / lang / "about.md").write_text(page, "utf-8")
    return Config(root=tmp_path)


def _picture(platform: str, width: int) -> StepPicture:
    name = f"assets/screenshots/{platform}/demo/step-1.1.{width}.webp"
    frame = SiteFrame(width, 600, (1,), (Variant(name, width, 600),), spots=((1, 0.8, 0.1),))
    return StepPicture((frame,), (), True)


def test_a_marker_shows_the_steps_pictures_a_tab_per_platform_and_stays_a_marker(tmp_path):
    config = _project(tmp_path, PAGE)
    images = {("ios", "demo", "step-1"): _picture("ios", 390)}
    images[("web", "demo", "step-1")] = _picture("web", 672)
    guides = {"demo": make_guide()}
    page = tmp_path / "docs" / "ja" / "about.md"
    assert render_pages(config, {}, "ja", images, guides, True) == [page]
    text = page.read_text("utf-8")
    assert text.startswith("# About\n\nText before.\n\n<!-- picture demo/step-1 -->\n\n<script>")
    assert text.endswith("<!-- /picture -->\n\nText after.\n")
    assert '=== "iPhone"' in text and '=== "パソコン"' in text and '=== "Android"' not in text
    # The page is built as about/, one folder below the docs root.
    assert 'src="../assets/screenshots/ios/demo/step-1.1.390.webp"' in text
    # A page without steps: no step number in the pictures' alt text.
    assert 'alt="iPhoneの画面。①ボタンをタップします。印の位置：①は右上。"' in text
    assert text.count("window.ggShowScheme = function") == 1
    assert render_pages(config, {}, "ja", images, guides, True) == [], (
        "filling again changes nothing"
    )
    other = tmp_path / "docs" / "en" / "about.md"
    assert other.read_text("utf-8") == PAGE, "the other language is filled in its own pass"


def test_without_a_picture_the_marker_is_left_as_it_is(tmp_path):
    config = _project(tmp_path, PAGE)
    assert render_pages(config, {}, "ja", {}, {"demo": make_guide()}, True) == []


def test_the_way_up_from_a_page_follows_its_built_url():
    assert page_prefix(PurePath("index.md"), True) == ""
    assert page_prefix(PurePath("about.md"), True) == "../"
    assert page_prefix(PurePath("help", "about.md"), True) == "../../"
    assert page_prefix(PurePath("help", "index.md"), True) == "../"
    assert page_prefix(PurePath("about.md"), False) == ""
    assert page_prefix(PurePath("help", "about.md"), False) == "../"


def test_a_marker_for_an_unknown_guide_or_step_or_left_open_is_a_lint_error(tmp_path):
    page = (
        "<!-- picture dem/step-1 -->\n<!-- /picture -->\n\n"
        "<!-- picture demo/step-9 -->\n<!-- /picture -->\n\n"
        "Inline <!-- picture demo/step-1 --> here\n\n"
        "`<!-- picture shown/in-code -->`\n"
    )
    config = _project(tmp_path, page)
    report = lint([config.path("steps_dir")], config)
    problems = [str(p).replace(f"{tmp_path}/", "") for p in report.problems]
    open_marker = (
        "picture marker 'demo/step-1' must stand on a line of its own and be closed by "
        "'<!-- /picture -->' on a line of its own"
    )
    for lang in ("en", "ja"):
        assert (
            f"docs/{lang}/about.md:1:1: picture of an unknown guide 'dem' (did you mean 'demo'?)"
            in problems
        )
        assert (
            f"docs/{lang}/about.md:4:1: guide 'demo' has no step 'step-9' (did you mean 'step-1'?)"
            in problems
        )
        assert f"docs/{lang}/about.md:7:8: {open_marker}" in problems
    assert len([p for p in problems if "about.md" in p]) == 6, problems
