"""Check guides beyond their shape: ids, translations, marks, cross references, facts.

The checks read the plain data with its positions rather than the model, so a
guide with a shape error still gets every other problem reported in the same
run. Only the circled-number check needs the model (it counts valid actions
per platform after overrides).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..safepath import own_folder, within
from .checker import _Checker
from .facts import load_facts, page_problems
from .load import cap, load_guide, suggested_id
from .model import (
    Guide,
    SharedFact,
)
from .page_pictures import picture_problems
from .rules import (
    SCHEMA_FILE,
    is_setup,
    schema_path,
)
from .terms import term_problems
from .yamlfile import Loaded, Problem


@dataclass(frozen=True)
class LintReport:
    guides: tuple[Guide, ...]
    problems: tuple[Problem, ...]
    files: int
    setups: tuple[Guide, ...] = ()
    """Hidden setup guides (steps/_NAME.yml): run before the guides that name them,
    never shown as a page or captured."""
    facts: Mapping[str, SharedFact] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def guide_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yml")))
        else:
            files.append(path)
    return files


def _misnamed(paths: Sequence[Path]) -> list[Problem]:
    """Guides saved as .yaml would be skipped without a word; say so."""
    problems = []
    for path in paths:
        for found in sorted(path.glob("*.yaml")) if path.is_dir() else []:
            name = ("_" if is_setup(found) else "") + suggested_id(found.stem) + ".yml"
            message = f"ignored: guides end in .yml; rename it to {name}"
            problems.append(Problem(str(found), 1, 1, message, "warning"))
    return problems


def known_scenarios(config: Config) -> tuple[frozenset[str] | None, list[Problem]]:
    """The scenario names the app offers, or None when the project declares none yet."""
    if not config.scenarios:
        return None, []
    path = config.root / config.scenarios
    if not path.is_file():
        return None, []
    try:
        table = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return None, [Problem(str(path), 1, 1, f"cannot read the scenarios: {error}")]
    if not isinstance(table, dict):
        return None, [Problem(str(path), 1, 1, "scenarios must be a JSON object keyed by name")]
    return frozenset(table), []


def refresh_schema(config: Config) -> Path:
    """Bring the project's copy of the schema up to date with this guidegen and the
    project's languages; return its path."""
    from .schema import write_schema

    path = schema_path(config)
    if path != SCHEMA_FILE:
        own_folder(config.root, path.parent)
        write_schema(path, config.languages)
    return path


def order_problems(config: Config, known: frozenset[str]) -> list[Problem]:
    """An id in [tool.guidegen] guide_order that is no guide, at its place in pyproject.toml."""
    unknown = [guide_id for guide_id in config.guide_order if guide_id not in known]
    if not unknown:
        return []
    path = config.root / "pyproject.toml"
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    start = next((n for n, line in enumerate(lines) if line.lstrip().startswith("guide_order")), 0)
    problems = []
    for guide_id in unknown:
        line, column = start + 1, 1
        for number in range(start, len(lines)):
            found = re.search(rf"[\"']{re.escape(guide_id)}[\"']", lines[number])
            if found:
                line, column = number + 1, found.start() + 1
                break
        problems.append(
            Problem(
                str(path),
                line,
                column,
                f"guide_order: no guide '{guide_id}' in {config.steps_dir}/; "
                "remove it or write the id of a guide",
            )
        )
    return problems


def _known_ids(config: Config, loaded: Sequence[Loaded]) -> frozenset[str]:
    folder = config.path("steps_dir")
    files = folder.glob("*.yml") if folder.is_dir() else []
    ids = {p.stem for p in files if not is_setup(p)}
    ids |= {
        x.data["id"]
        for x in loaded
        if isinstance(x.data, dict) and isinstance(x.data.get("id"), str) and not is_setup(x.path)
    }
    return frozenset(ids)


def lint(paths: Sequence[Path], config: Config, today: dt.date | None = None) -> LintReport:
    """Load and check every guide under paths; all problems of all files in one report."""
    today = today or dt.date.today()
    for path in (config.steps_dir, config.facts, config.scenarios):
        if path:
            within(config.root, config.root / path)
    files = guide_files(paths)
    loaded = [load_guide(path) for path in files]
    scenarios, problems = known_scenarios(config)
    problems.extend(_misnamed(paths))
    shared = load_facts(config, today)
    problems.extend([*shared.problems, *page_problems(config, shared)])
    known = _known_ids(config, loaded)
    guides: list[Guide] = []
    setups: list[Guide] = []
    for item in loaded:
        checked = isinstance(item.data, dict)
        found = _Checker(item, config, known, scenarios, today, shared).run() if checked else []
        problems.extend(cap([*item.problems, *found]))
        if item.guide is not None and not any(p.severity == "error" for p in found):
            (setups if is_setup(item.path) else guides).append(item.guide)
    problems.extend(picture_problems(config, guides, known))
    problems.extend(order_problems(config, known))
    problems.extend(term_problems(config, loaded))
    return LintReport(
        tuple(guides), tuple(sorted(set(problems))), len(files), tuple(setups), shared.facts
    )
