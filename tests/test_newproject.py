"""guidegen init: a complete project, refused over existing work, with its own schema."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_config
from generator.lint import lint
from generator.newproject import InitError, Options, init, options_from


def test_init_writes_a_project_whose_guides_lint(tmp_path: Path) -> None:
    written = init(Options(tmp_path / "docs-project", app_url="https://staging.example.com/"))
    root = tmp_path / "docs-project"
    assert {p.as_posix() for p in written} >= {
        "pyproject.toml",
        "mkdocs.yml",
        "mkdocs.en.yml",
        "docs/ja/index.md",
        "docs/en/index.md",
        "steps/first-guide.yml",
        ".guidegen/guide.schema.json",
        ".gitignore",
        ".github/workflows/screenshots.yml",
    }
    table = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["guidegen"]
    assert table["base_url"] == "https://staging.example.com/" and table["guide_index"]
    config = load_config(root)
    report = lint([root / "steps"], config)
    assert not report.problems, report.problems
    first = (root / "steps" / "first-guide.yml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../.guidegen/guide.schema.json"
    assert "guides/index.md" in (root / "mkdocs.yml").read_text()


def test_lint_refreshes_the_projects_schema_copy(tmp_path: Path, monkeypatch) -> None:
    init(Options(tmp_path, languages=("en",)))
    schema = tmp_path / ".guidegen" / "guide.schema.json"
    schema.write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 0
    assert json.loads(schema.read_text())["title"] == "guidegen guide"


def test_init_refuses_a_folder_with_files_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InitError, match="not empty"):
        init(Options(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    init(Options(tmp_path, force=True))
    init(Options(tmp_path, force=True))
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("languages", "platforms", "message"),
    [("fr", None, "'fr' is not one guidegen has words for"), (None, "tv", "unknown platform")],
)
def test_bad_options_are_one_line_and_write_nothing(tmp_path, languages, platforms, message):
    with pytest.raises(Exception, match=message):
        init(options_from(str(tmp_path / "p"), None, None, languages, platforms, False))
    assert not (tmp_path / "p").exists()
