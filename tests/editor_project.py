"""A copy of the real project in a temporary folder, for tests that write into it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHES = ("site",)
# Site images are cached by content, and an entry is
# checked against its own hash before use, so every project copy of a test run
# can share one cache: the first build encodes, the others reuse. conftest's
# session fixture sets the folder; None leaves each copy a cache of its own.
shared_caches: Path | None = None


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The test run's temporary folder: with several workers (pytest-xdist), the
    one that holds each worker's own."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def share_caches(target: Path) -> None:
    """Point target's cache of site images at the run's shared one."""
    if shared_caches is None:
        return
    for kind in CACHES:
        shared = shared_caches / kind
        shared.mkdir(parents=True, exist_ok=True)
        link = target / ".guidegen" / "cache" / kind
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(shared, target_is_directory=True)


def copy_project(target: Path) -> Path:
    """steps/, the shop (without its previews), the configuration, the facts, the
    hand-written pages and the committed screenshots."""
    for name in ("steps", "screenshots"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copytree(
        ROOT / "mockshop", target / "mockshop", ignore=shutil.ignore_patterns("preview")
    )

    def generated(folder: str, names: list[str]) -> list[str]:
        return [
            n for n in names if n == "guides" or (n == "screenshots" and folder.endswith("assets"))
        ]

    shutil.copytree(ROOT / "docs", target / "docs", ignore=generated)
    shutil.copytree(ROOT / "generator" / "schema", target / "generator" / "schema")
    for config in [*ROOT.glob("mkdocs*.yml"), ROOT / "facts.yml", ROOT / "terms.yml"]:
        shutil.copy(config, target / config.name)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    share_caches(target)
    return target
