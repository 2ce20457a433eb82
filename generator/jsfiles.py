"""JavaScript that the Python hands to a browser or writes into a page, kept in
.js files of the package (so that ESLint reads it) and read when first needed.

A file may include another with a line `// include: NAME.js` (the shared
helpers of several page functions), and may start with ESLint comments
(`/* global ... */`, `/* exported ... */`), which are left out of what runs: a
function's text must begin with the function for Playwright's evaluate.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

INCLUDE = "// include: "


@cache
def script(folder: Path, name: str) -> str:
    """The text of folder/name, includes in place, leading ESLint comments left out."""
    lines = (folder / name).read_text("utf-8").strip().splitlines()
    while lines and lines[0].startswith(("/* global", "/* exported", "/* eslint")):
        lines.pop(0)
    return "\n".join(
        script(folder, line.strip()[len(INCLUDE) :]) if line.strip().startswith(INCLUDE) else line
        for line in lines
    )
