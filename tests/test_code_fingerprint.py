"""The code fingerprint that decides recapture follows the package's files."""

from __future__ import annotations

from pathlib import Path

import guidegen
from guidegen.capture import manifest

PACKAGE = Path(guidegen.__file__).parent


def test_every_module_and_script_of_the_capture_package_counts() -> None:
    files = {p.relative_to(PACKAGE).as_posix() for p in manifest.code_files()}
    capture = {
        p.relative_to(PACKAGE).as_posix()
        for p in (PACKAGE / "capture").rglob("*")
        if p.suffix in (".py", ".js")
    }
    assert capture <= files
    assert files - capture == {"guide/model.py"}
