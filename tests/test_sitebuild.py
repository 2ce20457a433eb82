"""Site sections and their resolved configurations (no engine run)."""

from __future__ import annotations

from pathlib import Path

import yaml

from guidegen.config import Config
from guidegen.site.build import Section, resolved, restore_picture_urls, section_url, sections


def test_a_child_replaces_its_parents_lists_and_merges_its_mappings(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "nav: [a.md, b.md]\n"
        "theme: {name: material, language: ja}\n"
        "slug: !!python/name:pymdownx.slugs.slugify\n",
        "utf-8",
    )
    (tmp_path / "mkdocs.en.yml").write_text(
        "INHERIT: mkdocs.yml\nnav: [c.md]\ntheme: {language: en}\n", "utf-8"
    )
    text = yaml.serialize(resolved(tmp_path / "mkdocs.en.yml"))
    assert "INHERIT" not in text
    assert "!!python/name:pymdownx.slugs.slugify" in text, "tags reach the engine as written"
    data = yaml.compose(text)
    values = {key.value: value for key, value in data.value}
    assert [item.value for item in values["nav"].value] == ["c.md"], "Zensical would append"
    theme = {key.value: value.value for key, value in values["theme"].value}
    assert theme == {"name": "material", "language": "en"}


def test_the_editors_guide_is_a_section_of_its_own(project_config: Config) -> None:
    folders = [section.folder for section in sections(project_config)]
    assert folders == ["", "en", "editors", "en/editors"]


def test_each_section_knows_its_public_url() -> None:
    section = Section(Path("mkdocs.editors.en.yml"), "en/editors")
    assert (
        section_url("https://example.org/help", section) == "https://example.org/help/en/editors/"
    )
    assert section_url("", section) == ""


def test_zensical_picture_urls_are_made_relative_to_the_page_as_served_again(
    tmp_path: Path,
) -> None:
    # As Zensical writes them: resolved against the source file, one "../" too many.
    zensical = (
        '<a class="gg-zoom" href="../../../assets/screenshots/ios/g/s.1.780.webp">'
        '<img src="../../../assets/screenshots/ios/g/s.1.390.webp" '
        'srcset="../../../assets/screenshots/ios/g/s.1.292.webp 292w,'
        '../../../assets/screenshots/ios/g/s.1.390.webp 390w" '
        'data-gg-dark-src="../../assets/screenshots/ios/g/dark/s.1.390.webp"></a>'
        '<a href="../../other/">other</a><img src="../../assets/logo.svg">'
    )
    page = tmp_path / "guides" / "g" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(zensical, "utf-8")
    (tmp_path / "index.html").write_text('<img src="assets/screenshots/web/g/s.1.727.webp">')
    assert restore_picture_urls(tmp_path) == 1
    fixed = page.read_text("utf-8")
    assert "../../../" not in fixed
    assert 'href="../../assets/screenshots/ios/g/s.1.780.webp"' in fixed
    assert (
        'srcset="../../assets/screenshots/ios/g/s.1.292.webp 292w,'
        '../../assets/screenshots/ios/g/s.1.390.webp 390w"'
    ) in fixed
    assert '<a href="../../other/">' in fixed and 'src="../../assets/logo.svg"' in fixed
    assert restore_picture_urls(tmp_path) == 0  # already right: nothing to do
