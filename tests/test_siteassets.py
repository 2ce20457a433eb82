"""The site's stylesheets and scripts come from the package, into every language."""

from __future__ import annotations

from pathlib import Path

from guidegen.config import Config
from guidegen.site.assets import ASSETS, packaged
from guidegen.site.render import render


def test_render_copies_the_packaged_assets_into_every_language(tmp_path: Path) -> None:
    config = Config(root=tmp_path, languages=("ja", "en"))
    render(config, [])
    for lang in ("ja", "en"):
        assets = tmp_path / "docs" / lang / "assets"
        assert (assets / "stylesheets" / "site.css").read_bytes() == (
            ASSETS / "stylesheets" / "site.css"
        ).read_bytes()
        assert (assets / "javascripts" / "site.js").is_file()
        assert not (assets / "stylesheets").is_symlink()


def test_a_linked_folder_of_an_older_project_is_replaced_and_stale_files_go(
    tmp_path: Path,
) -> None:
    config = Config(root=tmp_path, languages=("ja", "en"))
    (tmp_path / "docs" / "ja" / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "docs" / "ja" / "assets" / "stylesheets" / "old.css").write_text("x")
    (tmp_path / "docs" / "en" / "assets").mkdir(parents=True)
    (tmp_path / "docs" / "en" / "assets" / "stylesheets").symlink_to("../../ja/assets/stylesheets")
    # An older guidegen copied the Mermaid runtime (3.6 MB) into every language.
    mermaid = tmp_path / "docs" / "ja" / "assets" / "vendor" / "mermaid" / "mermaid.min.js"
    mermaid.parent.mkdir(parents=True)
    mermaid.write_text("x")
    render(config, [])
    assert not mermaid.exists()
    assert not (tmp_path / "docs" / "ja" / "assets" / "stylesheets" / "old.css").exists()
    assert not (tmp_path / "docs" / "en" / "assets" / "stylesheets").is_symlink()
    assert sorted(packaged()) == sorted(
        p.relative_to(tmp_path / "docs" / "en" / "assets").as_posix()
        for p in (tmp_path / "docs" / "en" / "assets").rglob("*")
        if p.is_file()
    )
