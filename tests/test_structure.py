"""The package's shape: the CLI on top of the pipeline, Playwright loaded only for a browser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import guidegen

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _module(path: Path) -> str:
    """The dotted name a file of the package is imported as: guidegen.capture.runner."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("guidegen", *(p for p in parts if p != "__init__")))


def _imports(path: Path) -> set[str]:
    """The absolute names a module imports; relative imports resolved."""
    found: set[str] = set()
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(filter(None, [*package[: len(package) - node.level + 1], base]))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_only_the_cli_is_on_top_nothing_imports_it() -> None:
    importers = [
        path.name
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name not in ("cli.py", "__main__.py") and "guidegen.cli" in _imports(path)
    ]
    assert importers == [], "the CLI parses and calls; the pipeline never reaches back into it"


def test_the_package_is_imported_only_as_guidegen() -> None:
    # The folder is generator/, the import package guidegen: a module imported
    # under both names would be loaded twice, with two copies of its state.
    root = PACKAGE.parent
    code = [*PACKAGE.rglob("*.py"), *(root / "tests").rglob("*.py"), *(root / "bench").glob("*.py")]
    importers = [
        str(path.relative_to(root))
        for path in code
        if any(name.split(".")[0] == "generator" for name in _imports_absolute(path))
    ]
    assert importers == []


def _imports_absolute(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_lint_render_and_redraw_never_load_playwright() -> None:
    # redraw lives in capture, whose browser work imports Playwright only when it runs.
    code = (
        "import sys\n"
        "import guidegen.guide.lint, guidegen.site.render\n"
        "import guidegen.capture.pipeline, guidegen.capture.frames\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'playwright'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_python_m_guidegen_runs_and_no_module_is_named_generator(tmp_path: Path) -> None:
    # From a folder outside the repository: only the installed name resolves.
    code = (
        "import importlib.util, guidegen\n"
        "print(importlib.util.find_spec('generator') is None, guidegen.__version__)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["True", guidegen.__version__]
    version = subprocess.run(
        [sys.executable, "-m", "guidegen", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert guidegen.__version__ in version.stdout


# A module that grows past this does more than one job: split it by job.
MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines_and_the_pipeline_has_its_subpackages() -> None:
    lines = {
        str(path.relative_to(PACKAGE)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert not {name: n for name, n in lines.items() if n > MAX_MODULE_LINES}
    for stage in ("guide", "capture", "site"):
        assert sum(1 for name in lines if name.startswith(f"{stage}/")) >= 3, stage
