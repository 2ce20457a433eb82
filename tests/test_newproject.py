"""guidegen init: a complete project, refused over existing work, with its own schema."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from guidegen.cli import main
from guidegen.config import load_config
from guidegen.guide.lint import lint
from guidegen.newproject import InitError, Options, init, options_from
from guidegen.site.render import guides_index
from tests.test_workflows import actionlint_report


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


def test_init_describes_the_apps_server_and_installs_the_app_in_ci(tmp_path: Path) -> None:
    code = main(
        [
            "init",
            str(tmp_path / "p"),
            "--app-command",
            "python manage.py runserver 127.0.0.1:{port}",
            "--cwd",
            "app",
            "--env",
            "LIBRARY_DB=library-{worker}.sqlite3",
            "--env",
            "DJANGO_DEBUG=",
            "--watch",
            "app/**/*.py",
            "--watch",
            "/srv/library/templates/**/*.html",
            "--app-setup",
            "pip install -r app/requirements.txt",
            "--languages",
            "en",
        ]
    )
    assert code == 0
    root = tmp_path / "p"
    server = load_config(root).server
    assert server is not None and server.isolated
    assert server.cwd == "app"
    assert server.env == {"LIBRARY_DB": "library-{worker}.sqlite3", "DJANGO_DEBUG": ""}
    assert server.watch == ("app/**/*.py", "/srv/library/templates/**/*.html")
    assert server.app_setup == "pip install -r app/requirements.txt"
    workflow = root / ".github" / "workflows" / "screenshots.yml"
    text = workflow.read_text()
    install = text.index('pip install --root-user-action=ignore "$GUIDEGEN"')
    step = text.index(
        "      - name: Install the app\n        run: |\n          pip install -r app/"
    )
    assert install < step < text.index("guidegen capture --check")
    assert actionlint_report(workflow) == ""

    # Without --app-setup the workflow has no such step.
    init(Options(tmp_path / "q", app_command="app {port}", languages=("en",)))
    assert "Install the app" not in (tmp_path / "q/.github/workflows/screenshots.yml").read_text()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--cwd", "app"], "--cwd describes the app's server: give --app-command too"),
        (["--app-command", "a {port}", "--env", "DEBUG"], "--env DEBUG: expected NAME=VALUE"),
        (["--app-command", "a {port}", "--env", "1X=2"], "--env 1X=2: expected NAME=VALUE"),
        (["--app-url", "http://x/", "--watch", "a/*"], "--watch describes the app's server"),
    ],
)
def test_bad_server_flags_are_one_line_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    assert main(["init", str(tmp_path / "p"), *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"guidegen: {message}") and err.count("\n") == 1
    assert not (tmp_path / "p").exists()


def test_the_nav_names_the_home_page_home_not_the_site_again(tmp_path: Path) -> None:
    init(Options(tmp_path / "p"))
    for name, home in (("mkdocs.yml", "ホーム"), ("mkdocs.en.yml", "Home")):
        text = (tmp_path / "p" / name).read_text()
        assert f"nav:\n  - {home}: index.md\n" in text


GUIDE = """\
# yaml-language-server: $schema=../.guidegen/guide.schema.json
id: THE-ID
title: {en: TITLE}
summary: {en: Summary.}
platforms: [web]
steps:
  - text: {en: Look.}
"""


def test_guide_order_puts_the_listed_guides_first_and_lint_checks_it(tmp_path: Path) -> None:
    init(Options(tmp_path, languages=("en",), platforms=("web",)))
    (tmp_path / "steps" / "first-guide.yml").unlink()
    for guide_id, title in (("a", "Zebra"), ("b", "Yak"), ("c", "Cat"), ("d", "Ant")):
        guide = GUIDE.replace("THE-ID", guide_id).replace("TITLE", title)
        (tmp_path / "steps" / f"{guide_id}.yml").write_text(guide)
    config = tmp_path / "pyproject.toml"
    text = config.read_text()
    config.write_text(
        text.replace("guide_index = true", 'guide_index = true\nguide_order = ["c", "a"]')
    )
    loaded = load_config(tmp_path)
    report = lint([tmp_path / "steps"], loaded)
    assert not report.problems, report.problems
    index = guides_index(report.guides, "en", loaded)
    titles = [line.split("]")[0][3:] for line in index.splitlines() if line.startswith("- [")]
    assert titles == ["Cat", "Zebra", "Ant", "Yak"]

    config.write_text(
        text.replace("guide_index = true", 'guide_index = true\nguide_order = [\n  "c",\n  "x",\n]')
    )
    loaded = load_config(tmp_path)
    (problem,) = lint([tmp_path / "steps"], loaded).problems
    line = next(n for n, t in enumerate(config.read_text().splitlines(), 1) if '"x"' in t)
    assert str(problem) == (
        f"{config}:{line}:3: guide_order: no guide 'x' in steps/; "
        "remove it or write the id of a guide"
    )
