"""The GitHub Actions workflows, checked by actionlint (syntax, expressions, shell)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str | None:
    beside = Path(sys.executable).parent / "actionlint"
    return str(beside) if beside.is_file() else shutil.which("actionlint")


def test_the_publishing_and_screenshot_workflows_exist() -> None:
    assert {path.name for path in WORKFLOWS} >= {"pages.yml", "screenshots.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing(workflow: Path) -> None:
    actionlint = _actionlint()
    assert actionlint is not None, "actionlint is missing: run bash scripts/setup.sh"
    result = subprocess.run(
        [actionlint, "-no-color", str(workflow)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr
