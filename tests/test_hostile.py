"""A hostile pull request and faults in CI (issue 25), one test per finding.

A contributor controls the guides, docs and files of a pull request: symlinks
out of the project, crafted names and text, huge guides, requests to the
servers. Most tests call the command line in this process on a small project
(tests/test_faults.py's); each fails on the code before its fix.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import generator
from generator.config import Config
from generator.lint import lint

GENERATOR = str(Path(generator.__file__).parent)


# Lint takes time in proportion to a guide's steps (35,000 steps took 107 s).


def many_steps(count: int) -> str:
    steps = "".join(f"  - text: {{en: Step {n}.}}\n" for n in range(count))
    return f"id: big\ntitle: {{en: Big}}\nsummary: {{en: Big}}\nsteps:\n{steps}"


def lines_run(work: Callable[[], Any]) -> int:
    """How many lines of guidegen's own code work runs: a count, not a time, so a
    busy machine cannot change it."""
    count = 0

    def local(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame: FrameType, event: str, arg: object) -> Any:
        return local if frame.f_code.co_filename.startswith(GENERATOR) else None

    sys.settrace(calls)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def test_lint_runs_in_time_linear_in_the_steps(tmp_path: Path) -> None:
    config = Config(root=tmp_path, languages=("en",))
    counts = []
    for size in (300, 600):
        guide = tmp_path / f"{size}" / "big.yml"
        guide.parent.mkdir()
        guide.write_text(many_steps(size))
        report = lint([guide], config)
        assert not report.errors, report.errors
        counts.append(lines_run(lambda guide=guide: lint([guide], config)))
    # Twice the steps, twice the work (and a little): a square would be four times.
    assert counts[1] / counts[0] < 2.3, counts
