"""A documentation project for a real third-party app: the stock Django admin.

Django is installed from PyPI as a test dependency; the app (tests/fixtures/
djangolib) is a small library with a Book model, list filters and search, and
Japanese and English through LocaleMiddleware. Nothing in it was written for
guidegen: no test ids, no ready signal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
APP = FIXTURES / "djangolib"
DOCS = FIXTURES / "djangolib-docs"
PASSWORD = "admin-s3cret"  # what LIBRARY_PASSWORD holds in these tests


def environment() -> dict[str, str]:
    return {**os.environ, "LIBRARY_PASSWORD": PASSWORD}


def make_project(target: Path) -> Path:
    """The docs project in target, with the app in target/app. Its server and reset
    commands run this Python; the reset command makes each worker's database before
    every guide run."""
    shutil.copytree(DOCS, target)
    config = target / "pyproject.toml"
    config.write_text(config.read_text().replace('"python ', f'"{sys.executable} '))
    schema = target / ".guidegen" / "guide.schema.json"
    schema.parent.mkdir()
    shutil.copy(ROOT / "generator" / "schema" / "guide.schema.json", schema)
    shutil.copytree(APP, target / "app", ignore=shutil.ignore_patterns("*.sqlite3", "__pycache__"))
    return target


def reset(project: Path, database: str = "library.sqlite3") -> None:
    """Put the app's data back to its seed."""
    subprocess.run(
        [sys.executable, "manage.py", "reset_library"],
        cwd=project / "app",
        env={**environment(), "LIBRARY_DB": database},
        check=True,
        timeout=120,
    )
