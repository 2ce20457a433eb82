"""The package's shape: the CLI on top of the pipeline, Playwright loaded only for a browser."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_only_the_cli_is_on_top_nothing_imports_it() -> None:
    importers = [
        path.name
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name != "cli.py" and "generator.cli" in _imports(path)
    ]
    assert importers == [], "the CLI parses and calls; the pipeline never reaches back into it"


def test_lint_render_and_redraw_never_load_playwright() -> None:
    # redraw lives in capture, whose browser work imports Playwright only when it runs.
    code = (
        "import sys\n"
        "import generator.lint, generator.render, generator.capture, generator.frames\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'playwright'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
