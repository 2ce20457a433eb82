"""Scale benchmark: how lint, render, a no-op capture and build grow with guides.

Makes synthetic projects in a temporary folder: the example's guides copied
under new ids (`<id>-s<N>`), their committed screenshots hard-linked (no bytes
copied), and a manifest that says they are up to date, so a no-op capture has
as many entries as a real project of that size. Then it times the commands in
a subprocess, as a user runs them, and prints one table.

The first size is the baseline: every other row is also printed as a ratio
per guide against it, so linear growth reads as ratios near 1.0.

Run: .venv/bin/python bench/scale.py [--sizes 50,200,1000] [--build-sizes 50,200]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guidegen.capture.jobs import plan  # noqa: E402
from guidegen.capture.manifest import fingerprints, write_manifest  # noqa: E402
from guidegen.config import load_config  # noqa: E402
from guidegen.guide.lint import lint  # noqa: E402

COPIED = (
    "mockshop",
    "docs",
    "pyproject.toml",
    "mkdocs.yml",
    "mkdocs.en.yml",
    "facts.yml",
    "terms.yml",
    "search-synonyms.yml",
)
# Render and capture trust what they read of a file only once its time is
# this old (generator/capture/digests.py), so the second run waits that long.
SETTLE_S = 2.5
SECTION_SIZE = 50
ID_LINE = re.compile(r"^id: (\S+)$", re.MULTILINE)
RELATED_LINE = re.compile(r"^related: \[(.*)\]$", re.MULTILINE)
GUIDE_ENTRY = re.compile(r"^(\s*)- guides/[a-z0-9-]+\.md$")


def _link_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, copy_function=os.link, dirs_exist_ok=True)


def make_project(target: Path, size: int) -> None:
    """A project of `size` guides: the example's own guides (which its pages
    name), then copies of them under new ids."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, symlinks=True, ignore=_generated)
        elif source.is_file():
            shutil.copy(source, target / name)
    # The guides name their schema by a path relative to themselves.
    (target / "generator").symlink_to(ROOT / "generator")
    originals = sorted((ROOT / "steps").glob("*.yml"))
    (target / "steps").mkdir()
    shots = ROOT / "screenshots"
    for path in originals:
        shutil.copy(path, target / "steps" / path.name)
    _link_tree(shots, target / "screenshots")
    copy = 0
    while (copy + 1) * len(originals) < size:
        copy += 1
        copied = originals[: size - copy * len(originals)]
        in_copy = {p.stem for p in copied}

        def renamed(match: re.Match[str], c: int = copy, names: set[str] = in_copy) -> str:
            ids = (r.strip() for r in match.group(1).split(","))
            return "related: [" + ", ".join(f"{r}-s{c}" if r in names else r for r in ids) + "]"

        for path in copied:
            new_id = f"{path.stem}-s{copy}"
            text = ID_LINE.sub(f"id: {new_id}", path.read_text("utf-8"), count=1)
            text = RELATED_LINE.sub(renamed, text)
            (target / "steps" / f"{new_id}.yml").write_text(text, "utf-8")
            for folder in shots.glob(f"*/*/{path.stem}"):
                lang, platform = folder.parent.parent.name, folder.parent.name
                _link_tree(folder, target / "screenshots" / lang / platform / new_id)
    _list_in_nav(target, sorted(p.stem for p in (target / "steps").glob("*.yml")))


def _list_in_nav(root: Path, ids: list[str]) -> None:
    """List every guide where the example's configuration lists its guides, in
    sections of SECTION_SIZE (with navigation.prune, a page holds the links of
    its own section and one link per other section)."""
    for name in ("mkdocs.yml", "mkdocs.en.yml"):
        path = root / name
        lines = path.read_text("utf-8").splitlines()
        guide_lines = [i for i, line in enumerate(lines) if GUIDE_ENTRY.match(line)]
        if not guide_lines:
            continue
        indent = GUIDE_ENTRY.match(lines[guide_lines[0]]).group(1)  # type: ignore[union-attr]
        entries = []
        for start in range(0, len(ids), SECTION_SIZE):
            entries.append(f"{indent}- Set {start // SECTION_SIZE + 1}:")
            entries += [f"{indent}    - guides/{i}.md" for i in ids[start : start + SECTION_SIZE]]
        lines[guide_lines[0] : guide_lines[-1] + 1] = entries
        path.write_text("\n".join(lines) + "\n", "utf-8")


def _generated(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n in {"guides", "screenshots", "preview"}]


def mark_up_to_date(root: Path) -> int:
    """Write the manifest a finished capture would have written."""
    config = load_config(root)
    guides = lint([config.path("steps_dir")], config).guides
    jobs = plan(guides, config)
    write_manifest(config, fingerprints(config, jobs))
    return len(jobs)


def timed(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "guidegen.cli", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "CI": "true"},
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"guidegen {' '.join(args)} failed in {root}:\n{done.stderr[-2000:]}")
    return elapsed


def site_megabytes(root: Path) -> float:
    total = sum(p.stat().st_size for p in (root / "site").rglob("*.html"))
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--build-sizes", default="50,200,1000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    build_sizes = {int(s) for s in args.build_sizes.split(",") if s}
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            make_project(root, size)
            runs = mark_up_to_date(root)
            lint_s = timed(root, "lint")
            # First: nothing cached (a fresh clone); again: nothing changed
            # since a run that saw every file settled.
            render_first = timed(root, "render")
            time.sleep(SETTLE_S)
            timed(root, "render")
            render_s = timed(root, "render")
            noop_first = timed(root, "capture")
            noop_s = timed(root, "capture")
            build_s = html_mb = None
            if size in build_sizes:
                build_s = timed(root, "build")
                html_mb = site_megabytes(root)
            rows.append(
                (size, runs, lint_s, render_first, render_s, noop_first, noop_s, build_s, html_mb)
            )
        print(f"{size} guides measured", file=sys.stderr, flush=True)
    base = rows[0]
    print(
        f"{'guides':>6} {'runs':>6} {'lint s':>7} {'render s':>14} {'no-op s':>12} "
        f"{'build s':>8} {'HTML MB':>8}   per-guide ratio vs {base[0]} (lint, render, build)"
    )
    print(f"{'':>6} {'':>6} {'':>7} {'first / again':>14} {'first / again':>12}")
    for size, runs, lint_s, render_first, render_s, noop_first, noop_s, build_s, html in rows:
        per = size / base[0]
        ratios = [
            f"{lint_s / base[2] / per:.2f}",
            f"{render_s / base[4] / per:.2f}",
            f"{build_s / base[7] / per:.2f}" if build_s and base[7] else "-",
        ]
        build = f"{build_s:8.1f}" if build_s is not None else f"{'-':>8}"
        megabytes = f"{html:8.1f}" if html is not None else f"{'-':>8}"
        print(
            f"{size:>6} {runs:>6} {lint_s:7.2f} {render_first:6.1f} / {render_s:5.2f} "
            f"{noop_first:5.2f} / {noop_s:4.2f} {build}{megabytes}   {', '.join(ratios)}"
        )
    last = rows[-1]
    print(
        f"guides={last[0]} lint_render_s={last[2] + last[4]:.2f} noop_s={last[6]:.2f} "
        f"runs={last[1]}"
    )


if __name__ == "__main__":
    main()
