"""`guidegen lint` on the broken-guide corpus.

Each file in tests/broken/ starts with the problems it must produce, one
`# expect: LINE:COL: message` line each (`warning: ` before the message for
warnings). The lint runs in a throwaway project (its own pyproject.toml,
scenarios and steps/) so the expectations do not move when the real guides
and shop change. The corpus runs through the CLI's entry point in this
process, one file at a time (a subprocess each would prove nothing more and
cost a Python start each); the other tests run `guidegen lint` as a real
subprocess.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from guidegen.config import Config, load_config
from guidegen.guide.lint import lint
from guidegen.guide.rules import MODELINE, SCHEMA_FILE
from guidegen.guide.yamlfile import MAX_BYTES, MAX_PROBLEMS
from tests.commands import guidegen

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "broken"
CORPUS = sorted(BROKEN.glob("*.yml"))
TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text(
        '[tool.guidegen]\nlanguages = ["ja", "en"]\nscenarios = "scenarios.json"\n', "utf-8"
    )
    (root / "scenarios.json").write_text('{"damaged-item": {}, "default": {}}', "utf-8")
    (root / "steps").mkdir()
    (root / "steps" / "check-replies.yml").write_text("", "utf-8")
    return root


def run_lint(cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    # No bytecode: the run must leave every file as it found it.
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "guidegen.cli", "lint", *map(str, paths)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lint_here(cwd: Path, path: Path) -> subprocess.CompletedProcess[str]:
    """`guidegen lint path` run in this process from cwd, as run_lint reports it."""
    return guidegen(cwd, "lint", str(path))


def snapshot(*folders: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for folder in folders
        for path in sorted(folder.rglob("*"))
    }


def expected(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def reported(result: subprocess.CompletedProcess[str], path: Path) -> list[str]:
    prefix = f"{path}:"
    lines = (line[len(prefix) :] for line in result.stdout.splitlines() if line.startswith(prefix))
    return [_dated(line) for line in lines]


def _dated(line: str) -> str:
    """The line with the day the linter ran on as {TODAY}: today, or yesterday
    for a run before midnight (the linter checks facts against the real date)."""
    today = dt.date.today()
    for day in (today, today - dt.timedelta(days=1)):
        line = line.replace(f"(today is {day.isoformat()})", "(today is {TODAY})")
    return line


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 30
    assert all(expected(path) for path in CORPUS), "every broken guide records its problems"


@dataclass(frozen=True)
class CorpusRun:
    results: dict[Path, subprocess.CompletedProcess[str]]
    wrote: list[str]


@pytest.fixture(scope="module")
def corpus(project: Path) -> CorpusRun:
    """One lint per broken guide."""
    before = snapshot(project, BROKEN)
    results = {path: lint_here(project, path) for path in CORPUS}
    after = snapshot(project, BROKEN)
    wrote = sorted(set(before.items()) ^ set(after.items()))
    return CorpusRun(results, [name for name, _ in wrote])


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_broken_guide(path: Path, corpus: CorpusRun, project: Path) -> None:
    result = corpus.results[path]
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    # The schema a guide should link to is the project's own copy.
    schema = os.path.relpath(project / ".guidegen" / "guide.schema.json", path.parent)
    wanted = [line.replace("{SCHEMA}", Path(schema).as_posix()) for line in expected(path)]
    assert reported(result, path) == wanted, output
    assert result.returncode == 2, output
    errors = sum(1 for line in expected(path) if ": warning: " not in line)
    noun = "error" if errors == 1 else "errors"
    assert f"{errors} {noun}, " in result.stderr
    assert corpus.wrote == [], "lint wrote or changed files"


def test_all_files_in_one_run(project: Path) -> None:
    picked = [BROKEN / f"{name}.yml" for name in ("unknown-action", "fact-dates", "empty")]
    result = run_lint(project, *picked)
    for path in picked:
        assert reported(result, path) == expected(path)
    assert result.returncode == 2


def test_clean_guides_exit_zero(project: Path) -> None:
    result = run_lint(project, BROKEN / "ok")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"2 guides OK \(\d+ warnings?\)\n", result.stdout)


def test_one_guide_is_counted_in_the_singular(project: Path, tmp_path: Path) -> None:
    alone = tmp_path / "other-guide.yml"
    text = (BROKEN / "ok" / "other-guide.yml").read_text("utf-8")
    alone.write_text(text.replace("related: [sample-guide]\n", ""), "utf-8")
    result = run_lint(project, alone)
    assert result.returncode == 0, result.stdout + result.stderr
    # Its one warning: the schema comment points where the copy no longer is.
    assert result.stdout.endswith("\n1 guide OK (1 warning)\n"), result.stdout


def test_clean_guides_have_no_problem() -> None:
    report = lint([BROKEN / "ok"], load_config(ROOT), TODAY)
    assert report.problems == ()
    assert sorted(g.id for g in report.guides) == ["other-guide", "sample-guide"]


def test_project_guides_lint_clean() -> None:
    if not any((ROOT / "steps").glob("*.yml")):
        pytest.skip("no guides in steps/ yet")
    result = run_lint(ROOT, ROOT / "steps")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ guides? OK \(\d+ warnings?\)\n", result.stdout)


# Inputs too big or too hostile to commit: made here, in tmp_path.


def _bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


GENERATED: dict[str, tuple[bytes, str]] = {
    "ten-megabytes": (
        b"id: x\n" + b"# padding\n" * 1_000_000,
        f"1:1: file is 10,000,006 bytes, over the {MAX_BYTES:,} limit; split the guide",
    ),
    "binary": (
        bytes(random.Random(7).randrange(256) for _ in range(4096)) + b"\0",
        "1:1: file is binary (or UTF-16), not YAML text; save it as UTF-8",
    ),
    "utf-16": (
        "id: utf-16\n".encode("utf-16"),
        "1:1: file is binary (or UTF-16), not YAML text; save it as UTF-8",
    ),
    "billion-laughs-deep": (
        _bomb(30).encode(),
        "2:10: alias '*a0' is not supported in guides; write the value out",
    ),
    "deep-nesting": (
        b"id: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
        "1:44: nested deeper than 40 levels; a guide never is",
    ),
    "deep-block-nesting": (
        "".join(f"{'  ' * i}k{i}:\n" for i in range(300)).encode(),
        "40:79: nested deeper than 40 levels; a guide never is",
    ),
    "long-line": (
        b"id: '" + b"a" * 900_000 + b"\n",
        "2:1: invalid YAML: found unexpected end of stream; check the indentation and quoting",
    ),
}


@pytest.mark.parametrize("name", list(GENERATED))
def test_generated_hostile_input(name: str, project: Path, tmp_path: Path) -> None:
    content, problem = GENERATED[name]
    path = tmp_path / f"{name}.yml"
    path.write_bytes(content)
    before = snapshot(project, tmp_path)
    started = time.monotonic()
    result = run_lint(project, path)
    output = result.stdout + result.stderr
    assert time.monotonic() - started < 30
    assert "Traceback" not in output
    assert reported(result, path) == [problem], output
    assert result.returncode == 2
    assert snapshot(project, tmp_path) == before


# The checks themselves, in process, where a case needs its own set-up.


def _guide(guide_id: str, extra: str = "", steps: str | None = None) -> str:
    return (
        f"{MODELINE}{SCHEMA_FILE}\n"
        f"id: {guide_id}\n"
        "title: {ja: 題, en: Title}\n"
        "summary: {ja: 概要, en: Summary}\n"
        f"{extra}"
        + (
            steps
            or 'steps:\n  - text: {ja: "①を{tap}", en: "{Tap} ①"}\n    actions:\n      - tap: b\n'
        )
    )


def _lint_text(tmp_path: Path, files: dict[str, str], **config: object) -> list[str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, "utf-8")
    report = lint([tmp_path], Config(root=tmp_path, **config), TODAY)  # type: ignore[arg-type]
    return [str(p).removeprefix(f"{tmp_path}/") for p in report.problems]


def test_related_guides_among_the_linted_files(tmp_path: Path) -> None:
    problems = _lint_text(
        tmp_path,
        {"a.yml": _guide("a", "related: [b]\n"), "b.yml": _guide("b", "related: [a, c]\n")},
    )
    assert problems == ["b.yml:5:14: unknown related guide 'c'; no c.yml among the guides"]


def test_scenarios_are_skipped_until_the_file_exists(tmp_path: Path) -> None:
    files = {"a.yml": _guide("a", "scenario: anything\n")}
    assert _lint_text(tmp_path, files, scenarios="missing.json") == []
    (tmp_path / "scenarios.json").write_text('["not", "an", "object"]', "utf-8")
    assert _lint_text(tmp_path, files, scenarios="scenarios.json") == [
        "scenarios.json:1:1: scenarios must be a JSON object keyed by name"
    ]


def test_fact_dates_against_today(tmp_path: Path) -> None:
    def facts(day: dt.date) -> str:
        fact = "  - text: {ja: 事実, en: Fact}\n    source: https://a.b\n"
        return f"facts:\n{fact}    checked: {day}\n"

    year_ago = TODAY - dt.timedelta(days=365)
    assert _lint_text(tmp_path, {"a.yml": _guide("a", facts(TODAY))}) == []
    assert _lint_text(tmp_path, {"a.yml": _guide("a", facts(year_ago))}) == []
    stale = _lint_text(tmp_path, {"a.yml": _guide("a", facts(year_ago - dt.timedelta(1)))})
    assert [p.split(": ")[1] for p in stale] == ["warning"]
    future = _lint_text(tmp_path, {"a.yml": _guide("a", facts(TODAY + dt.timedelta(1)))})
    assert "in the future" in future[0] and ": warning: " not in future[0]


def test_more_marked_actions_than_circled_numbers(tmp_path: Path) -> None:
    taps = "".join(f"      - tap: b{i}\n" for i in range(21))
    steps = "steps:\n  - text: {ja: 多い, en: Many}\n    actions:\n" + taps
    problems = _lint_text(tmp_path, {"a.yml": _guide("a", steps=steps)})
    assert problems == [
        "a.yml:6:11: 21 marked actions on ios, android, web, over the 20 that can be "
        "numbered; split the step"
    ]


def test_a_circled_number_may_be_repeated(tmp_path: Path) -> None:
    steps = (
        'steps:\n  - text: {ja: "①を{tap}。①は青い", en: "{Tap} ①"}\n    actions:\n      - tap: b\n'
    )
    assert _lint_text(tmp_path, {"a.yml": _guide("a", steps=steps)}) == []


def test_yaml_extension_is_pointed_out(tmp_path: Path) -> None:
    problems = _lint_text(tmp_path, {"a.yml": _guide("a"), "b.yaml": _guide("b")})
    assert problems == ["b.yaml:1:1: warning: ignored: guides end in .yml; rename it to b.yml"]


def test_languages_follow_the_configuration(tmp_path: Path) -> None:
    problems = _lint_text(tmp_path, {"a.yml": _guide("a")}, languages=("ja", "en", "ko"))
    assert "a.yml:3:8: missing ko translation of title; add ko: …" in problems


def test_report_keeps_only_clean_guides(tmp_path: Path) -> None:
    (tmp_path / "good.yml").write_text(_guide("good"), "utf-8")
    (tmp_path / "bad.yml").write_text(_guide("bad", "related: [nope]\n"), "utf-8")
    report = lint([tmp_path], Config(root=tmp_path), TODAY)
    assert [g.id for g in report.guides] == ["good"]
    assert report.files == 2
    assert len(report.errors) == 1


def test_problems_per_file_are_capped(tmp_path: Path) -> None:
    steps = "steps:\n" + "".join(f"  - text: {{ja: 手順{i}}}\n" for i in range(80))
    problems = _lint_text(tmp_path, {"a.yml": _guide("a", steps=steps)})
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == "a.yml:56:11: 30 more problems not shown; fix the ones above first"


def test_colour_schemes_are_the_projects_and_listed_once(tmp_path: Path) -> None:
    light_only = _lint_text(tmp_path, {"a.yml": _guide("a", "color_schemes: [dark]\n")})
    assert light_only == [
        "a.yml:5:17: colour scheme 'dark' is not captured by this project "
        "(color_schemes in [tool.guidegen]: light); remove it or add it there"
    ]
    both = ("light", "dark")
    twice = _lint_text(
        tmp_path, {"a.yml": _guide("a", "color_schemes: [dark, dark]\n")}, color_schemes=both
    )
    assert twice == ["a.yml:5:23: colour scheme 'dark' is listed twice"]
    assert (
        _lint_text(tmp_path, {"a.yml": _guide("a", "color_schemes: [light]\n")}, color_schemes=both)
        == []
    )
    unknown = _lint_text(tmp_path, {"a.yml": _guide("a", "color_schemes: [sepia]\n")})
    assert len(unknown) == 1 and "a.yml:5:" in unknown[0] and "light" in unknown[0]
