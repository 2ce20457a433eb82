"""The GitHub Actions workflows, this project's and the one guidegen init writes,
checked by actionlint (syntax, expressions, shell)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.newproject import Options, init
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
