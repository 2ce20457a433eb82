"""Lint benchmark: how `guidegen lint` grows with the steps of one guide.

Issue 25 found lint quadratic in a guide's steps (35,000 steps, 875 KB, took
107 s); it must take under 2 s. Writes one guide of each size into a
temporary project and times `guidegen lint` in a subprocess, as a user runs
it. The first size is the baseline: every row is also printed as a ratio per
step against it, so linear growth reads as ratios near 1.0.

Run: .venv/bin/python bench/lint_steps.py [--sizes 1000,10000,35000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def guide(steps: int) -> str:
    """A guide of `steps` short steps, as the issue's: 35,000 fit under the 1 MB limit."""
    lines = ["id: big", "title: {en: Big}", "summary: {en: Big}", "steps:"]
    lines += [f"  - text: {{en: Step {number}.}}" for number in range(steps)]
    return "\n".join(lines) + "\n"


def timed_lint(steps: int) -> tuple[float, float, int]:
    """Seconds of one `guidegen lint` of a guide of `steps` steps, on the clock and
    of CPU (what a busy machine does not inflate), and the guide's size in bytes."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[tool.guidegen]\nlanguages = ["en"]\n')
        (root / "steps").mkdir()
        text = guide(steps)
        (root / "steps" / "big.yml").write_text(text, "utf-8")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "guidegen.cli", "lint"], cwd=root, capture_output=True
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode())
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return seconds, cpu, len(text.encode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,35000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"{'steps':>8} {'KB':>6} {'seconds':>8} {'CPU s':>6} {'CPU per step vs first':>22}")
    baseline = None
    for steps in sizes:
        seconds, cpu, size = timed_lint(steps)
        per_step = cpu / steps
        baseline = baseline or per_step
        ratio = per_step / baseline
        print(f"{steps:>8} {size // 1000:>6} {seconds:>8.2f} {cpu:>6.2f} {ratio:>22.2f}")


if __name__ == "__main__":
    main()
