"""The GitHub Actions workflows, this project's and the one guidegen init writes,
checked by actionlint (syntax, expressions, shell)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidegen.newproject import Options, init
from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def actionlint_report(workflow: Path) -> str:
    """What actionlint finds in the workflow: empty when it finds nothing."""
    beside = Path(sys.executable).parent / "actionlint"
    actionlint = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert actionlint is not None, "actionlint is missing: run bash scripts/setup.sh"
    result = subprocess.run(
        [actionlint, "-no-color", str(workflow)], capture_output=True, text=True, cwd=ROOT
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def test_the_publishing_and_screenshot_workflows_exist() -> None:
    assert {path.name for path in WORKFLOWS} >= {"pages.yml", "screenshots.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing(workflow: Path) -> None:
    assert actionlint_report(workflow) == ""


def test_a_new_projects_workflow_takes_chromium_from_debian(tmp_path: Path) -> None:
    # A runner that downloads Playwright's browser draws with another build and
    # other fonts than the Debian machines the screenshots are committed from.
    init(Options(tmp_path, languages=("en",)))
    workflow = tmp_path / ".github" / "workflows" / "screenshots.yml"
    text = workflow.read_text("utf-8")
    assert "playwright install" not in text
    assert "container: python:3.12-bookworm" in text
    assert "apt-get install -y -q --no-install-recommends chromium-headless-shell" in text
    assert actionlint_report(workflow) == ""


# A browser download fails on machines with no network but the package
# registries, and draws with another build than Debian's: nothing this
# repository runs, nor the project guidegen init writes, may start one
# (Playwright's own browser stays a fallback for machines that have it).
# Scripts and workflows are searched for the command itself; Python code, whose
# docstrings name the command, for a call that would run it.
_CALL = r"[\"']playwright[\"']\s*,\s*[\"']install[\"']|compute_driver_executable"
_COMMAND = rf"playwright\s+install|{_CALL}"


def test_nothing_this_repository_runs_downloads_a_browser() -> None:
    scripts = [
        *(ROOT / "scripts").glob("*.sh"),
        *(ROOT / ".ci").iterdir(),
        *WORKFLOWS,
        *(ROOT / "generator" / "templates").iterdir(),
    ]
    code = [*(ROOT / "generator").rglob("*.py"), *(ROOT / "bench").glob("*.py")]
    searched = [(path, _COMMAND) for path in scripts] + [(path, _CALL) for path in code]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path, pattern in searched
        for match in re.finditer(pattern, path.read_text("utf-8"))
    ]
    assert len(scripts) > 5 and len(code) > 30
    assert not found, "\n".join(found)
