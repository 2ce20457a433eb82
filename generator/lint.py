"""Check guides beyond their shape: ids, marks against text, cross references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config
from generator.load import Loaded, Problem, load_guide
from generator.model import CIRCLED, CIRCLED_RE, Guide, is_marked, steps_for


@dataclass(frozen=True)
class LintReport:
    guides: tuple[Guide, ...]
    problems: tuple[Problem, ...]
    files: int

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
            files.extend(sorted(p for p in path.glob("*.yml")))
        else:
            files.append(path)
    return files


def _check_guide(loaded: Loaded, config: Config) -> list[Problem]:
    guide = loaded.guide
    assert guide is not None
    name = str(loaded.path)
    at = loaded.positions.of
    problems: list[Problem] = []
    if guide.id != loaded.path.stem:
        problems.append(
            Problem(
                name,
                *at(("id",)),
                f"id '{guide.id}' differs from the file name "
                f"'{loaded.path.stem}'; rename one of them",
            )
        )
    for platform in guide.platforms:
        for step in steps_for(guide, platform):
            marks = sum(1 for action in step.actions if is_marked(action))
            for lang in config.languages:
                text = step.text.root.get(lang, "")
                found = "".join(CIRCLED_RE.findall(text))
                if found != CIRCLED[:marks]:
                    index = next(
                        i
                        for i, s in enumerate(guide.steps, start=1)
                        if (s.id or f"step-{i}") == step.id
                    )
                    problems.append(
                        Problem(
                            name,
                            *at(("steps", index - 1, "text")),
                            f"step {step.number} on {platform} has {marks} marked actions but "
                            f"its {lang} text numbers '{found}'; write {CIRCLED[:marks] or 'none'}",
                        )
                    )
    return problems


def lint(paths: Sequence[Path], config: Config, today: dt.date | None = None) -> LintReport:
    files = guide_files(paths)
    guides: list[Guide] = []
    problems: list[Problem] = []
    for path in files:
        loaded = load_guide(path)
        problems.extend(loaded.problems)
        if loaded.guide is None:
            continue
        found = _check_guide(loaded, config)
        problems.extend(found)
        if not any(p.severity == "error" for p in found):
            guides.append(loaded.guide)
    return LintReport(tuple(guides), tuple(sorted(set(problems))), len(files))
