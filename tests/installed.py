"""guidegen as a user gets it: its wheel, installed into a fresh venv outside the repo.

The wheel is built once per test session from a copy of what the package is made
of (pyproject.toml, hatch_build.py, README.md, generator/), offline: the current
venv's hatchling builds it (no build isolation), and the fresh venv sees the current
venv's dependencies through a .pth file, so nothing is downloaded. The build
leaves nothing in the source folder (no build/, no egg-info).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.fixture(scope="session")
def installed_guidegen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin folder of a fresh venv with guidegen installed from its wheel."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    shutil.copytree(
        ROOT / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    wheels = work / "wheels"
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--disable-pip-version-check",
        "-q",
        "-w",
        wheels,
        source,
    )
    (wheel,) = wheels.glob("guidegen-*.whl")
    # As after `pip install /path/to/guidegen`: nothing new in the source folder
    # but Python's bytecode cache of the build hook, which hatchling imports.
    left = sorted(p.name for p in source.iterdir())
    cached = {p.name for p in (source / "__pycache__").glob("*")}
    assert cached <= {f"hatch_build.{sys.implementation.cache_tag}.pyc"}
    assert [name for name in left if name != "__pycache__"] == [
        "README.md",
        "generator",
        "hatch_build.py",
        "pyproject.toml",
    ]
    assert not list(source.rglob("*.egg-info"))
    venv = work / "venv"
    # Without a pip of its own (ensurepip took 4 s of CPU): this venv's pip
    # installs into it (--python), as the venv's own would.
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies come from the current venv; guidegen itself only from the wheel.
    (Path(purelib) / "current-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--disable-pip-version-check",
        "-q",
        wheel,
    )
    yield venv / "bin"
