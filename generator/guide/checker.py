"""The checks of one guide file beyond its schema: placeholders, targets, scenarios,
facts, terms, dates, ids."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Config
from .actions import is_marked
from .facts import FactTable
from .load import suggest, where
from .model import Guide, steps_for
from .rules import (
    _TARGET_ACTIONS,
    _TEST_ID_RE,
    MODELINE,
    _is_file,
    _key_problem,
    _not_a_test_id,
    _step_texts,
    _target_texts,
    is_setup,
    schema_path,
    step_indexes,
)
from .types import CIRCLED, CIRCLED_RE, ID_PATTERN, PLATFORMS, SCHEMES
from .yamlfile import Loaded, Loc, Problem

PLACEHOLDERS = ("tap", "Tap")


PLACEHOLDER_RE = re.compile(r"\{([^{}\s]*)\}")


STALE_AFTER = dt.timedelta(days=365)


_ID_RE = re.compile(ID_PATTERN)


_LANG_RE = re.compile(r"^[a-z]{2}$")


class _Checker:
    """Collects the problems of one loaded guide."""

    def __init__(
        self,
        loaded: Loaded,
        config: Config,
        known_ids: frozenset[str],
        scenarios: frozenset[str] | None,
        today: dt.date,
        shared: FactTable,
    ) -> None:
        self.loaded = loaded
        self.shared = shared
        self.data: dict[str, Any] = loaded.data
        self.config = config
        self.known_ids = known_ids
        self.scenarios = scenarios
        self.today = today
        self.name = str(loaded.path)
        self.problems: list[Problem] = []
        self.hidden = is_setup(loaded.path)

    def add(self, loc: Loc, message: str, *, key: bool = False, warning: bool = False) -> None:
        line, column = self.loaded.positions.of(loc, key=key)
        severity = "warning" if warning else "error"
        self.problems.append(Problem(self.name, line, column, message, severity))

    def run(self) -> list[Problem]:
        self.modeline()
        self.identity()
        self.platforms()
        self.color_schemes()
        self.step_ids()
        self.texts()
        self.related()
        self.scenario()
        self.facts()
        self.setup()
        self.environment()
        self.targets_and_keys()
        if self.loaded.guide is not None:
            self.marks(self.loaded.guide)
        return self.problems

    def modeline(self) -> None:
        lines = self.loaded.source.splitlines()
        schema = schema_path(self.config)
        relative = Path(os.path.relpath(schema, self.loaded.path.resolve().parent))
        wanted = MODELINE + relative.as_posix()
        for number, line in enumerate(lines, start=1):
            if line.startswith(MODELINE):
                target = line[len(MODELINE) :].strip()
                if "://" not in target and not _is_file(self.loaded.path.parent / target):
                    message = f"schema '{target}' not found; write '{wanted}'"
                    self.problems.append(
                        Problem(self.name, number, len(MODELINE) + 1, message, "warning")
                    )
                return
        message = f"no schema line; add '{wanted}' at the top so editors can autocomplete"
        self.problems.append(Problem(self.name, 1, 1, message, "warning"))

    def identity(self) -> None:
        guide_id = self.data.get("id")
        stem = self.loaded.path.stem.removeprefix("_")
        if isinstance(guide_id, str) and _ID_RE.match(guide_id) and guide_id != stem:
            # The file's name is offered as the id only when it is a valid one.
            other = f" or set id: {stem}" if _ID_RE.match(stem) else ""
            self.add(
                ("id",),
                f"id '{guide_id}' differs from the file name '{self.loaded.path.stem}'; "
                f"rename the file to {'_' if self.hidden else ''}{guide_id}.yml{other}",
            )

    def guide_platforms(self) -> tuple[str, ...]:
        listed = self.data.get("platforms", PLATFORMS)
        if not isinstance(listed, list | tuple):
            return PLATFORMS
        return tuple(p for p in listed if p in PLATFORMS)

    def color_schemes(self) -> None:
        listed = self.data.get("color_schemes")
        if not isinstance(listed, list):
            return
        if not listed:
            self.add(
                ("color_schemes",),
                "'color_schemes: []' captures no picture; list light and/or dark or remove the key",
            )
        captured = ", ".join(self.config.color_schemes)
        seen: set[str] = set()
        for index, scheme in enumerate(listed):
            if not isinstance(scheme, str) or scheme not in SCHEMES:
                continue
            if scheme in seen:
                self.add(("color_schemes", index), f"colour scheme '{scheme}' is listed twice")
            elif scheme not in self.config.color_schemes:
                self.add(
                    ("color_schemes", index),
                    f"colour scheme '{scheme}' is not captured by this project "
                    f"(color_schemes in [tool.guidegen]: {captured}); remove it or add it there",
                )
            seen.add(scheme)

    def steps(self) -> Iterator[tuple[int, dict[str, Any]]]:
        steps = self.data.get("steps")
        if isinstance(steps, list):
            yield from ((i, s) for i, s in enumerate(steps) if isinstance(s, dict))

    def platforms(self) -> None:
        listed = self.data.get("platforms")
        if isinstance(listed, list):
            seen: set[str] = set()
            for index, platform in enumerate(listed):
                if not isinstance(platform, str):
                    continue
                if platform in seen:
                    self.add(("platforms", index), f"platform '{platform}' is listed twice")
                seen.add(platform)
        guide_platforms = self.guide_platforms()
        shown = ", ".join(guide_platforms)
        for index, step in self.steps():
            only = step.get("only")
            if isinstance(only, list):
                if not only:
                    self.add(
                        ("steps", index, "only"),
                        "'only: []' hides the step everywhere; "
                        "list its platforms or remove the step",
                    )
                for position, platform in enumerate(only):
                    if platform in PLATFORMS and platform not in guide_platforms:
                        self.add(
                            ("steps", index, "only", position),
                            f"platform '{platform}' is not one of the guide's platforms "
                            f"({shown}); remove it or add it to 'platforms'",
                        )
            for platform in PLATFORMS:
                if step.get(platform) is None:
                    continue
                if platform not in guide_platforms:
                    self.add(
                        ("steps", index, platform),
                        f"override for '{platform}', which is not one of the guide's platforms "
                        f"({shown}); remove it or add it to 'platforms'",
                        key=True,
                    )
                elif isinstance(only, list) and platform not in only:
                    self.add(
                        ("steps", index, platform),
                        f"override for '{platform}', but the step has 'only: "
                        f"[{', '.join(map(str, only))}]'; the override never applies",
                        key=True,
                    )

    def step_ids(self) -> None:
        first: dict[str, int] = {}
        for index, step in self.steps():
            explicit = step.get("id")
            step_id = explicit if isinstance(explicit, str) else f"step-{index + 1}"
            if step_id in first:
                loc: Loc = ("steps", index, "id") if isinstance(explicit, str) else ("steps", index)
                line = self.loaded.positions.of(("steps", first[step_id]))[0]
                self.add(
                    loc,
                    f"duplicate step id '{step_id}' (first: the step on line {line}); "
                    "step ids name the images, so give each step its own",
                )
            else:
                first[step_id] = index

    def localized(self) -> Iterator[tuple[Loc, Any, bool]]:
        """Every text that may be localized: (loc, value, read by readers?)."""
        data = self.data
        for key in ("title", "summary"):
            yield (key,), data.get(key), True
        for key, reader in (("prerequisites", True), ("redact", False)):
            items = data.get(key)
            if isinstance(items, list):
                for index, item in enumerate(items):
                    if reader:
                        yield (key, index), item, True
                    elif isinstance(item, dict) and set(item) == {"blur"}:
                        yield from _target_texts((key, index, "blur"), item["blur"])
                    else:
                        yield from _target_texts((key, index), item)
        facts = data.get("facts")
        if isinstance(facts, list):
            for index, fact in enumerate(facts):
                if isinstance(fact, dict):
                    yield ("facts", index, "text"), fact.get("text"), True
        for index, step in self.steps():
            yield from _step_texts(("steps", index), step)
            for platform in PLATFORMS:
                override = step.get(platform)
                if isinstance(override, dict):
                    yield from _step_texts(("steps", index, platform), override)

    def texts(self) -> None:
        languages = self.config.languages
        for loc, value, reader in self.localized():
            if isinstance(value, dict):
                for lang in value:
                    if _LANG_RE.match(lang) and lang not in languages:
                        self.add(
                            (*loc, lang),
                            f"unknown language '{lang}'{suggest(lang, list(languages))}",
                            key=True,
                        )
                missing = [lang for lang in languages if lang not in value]
                if missing:
                    self.add(
                        loc,
                        f"missing {', '.join(missing)} translation of {where(loc)}; "
                        f"add {missing[0]}: …",
                    )
                if reader:
                    for lang, text in value.items():
                        if isinstance(text, str):
                            self.placeholders((*loc, lang), text)

    def placeholders(self, loc: Loc, text: str) -> None:
        allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
        for match in PLACEHOLDER_RE.finditer(text):
            word = match.group(1)
            if word in PLACEHOLDERS or word.startswith("guide:"):  # terms.py checks it
                continue
            hint = suggest(word, list(PLACEHOLDERS))
            if hint.startswith(";"):
                hint = f"; only {allowed} are replaced (write the word itself otherwise)"
            line, column = self._inside(loc, match.group(0))
            self.problems.append(
                Problem(self.name, line, column, f"unknown placeholder '{match.group(0)}'{hint}")
            )

    def _inside(self, loc: Loc, needle: str) -> tuple[int, int]:
        """The position of needle within the text at loc when it sits on the same line."""
        line, column = self.loaded.positions.of(loc)
        lines = self.loaded.source.splitlines()
        if 0 < line <= len(lines):
            found = lines[line - 1].find(needle, column - 1)
            if found >= 0:
                return line, found + 1
        return line, column

    def related(self) -> None:
        related = self.data.get("related")
        if not isinstance(related, list):
            return
        own = self.data.get("id") if isinstance(self.data.get("id"), str) else None
        seen: set[str] = set()
        for index, other in enumerate(related):
            if not isinstance(other, str) or not _ID_RE.match(other):
                continue
            loc = ("related", index)
            if other == own:
                self.add(loc, f"the guide lists itself as related; remove '{other}'")
            elif other in seen:
                self.add(loc, f"related guide '{other}' is listed twice")
            elif other not in self.known_ids:
                choices = sorted(self.known_ids - {own})
                hint = suggest(other, choices) if choices else ""
                if not hint.startswith(" ("):
                    hint = f"; no {other}.yml among the guides"
                self.add(loc, f"unknown related guide '{other}'{hint}")
            seen.add(other)

    def setup(self) -> None:
        setup = self.data.get("setup")
        if not isinstance(setup, str) or not _ID_RE.match(setup):
            return
        if self.hidden:
            self.add(("setup",), "a setup guide cannot have a setup of its own; remove 'setup'")
        elif not (self.config.path("steps_dir") / f"_{setup}.yml").is_file():
            self.add(
                ("setup",),
                f"no setup guide '{setup}': write it as {self.config.steps_dir}/_{setup}.yml",
            )

    def environment(self) -> None:
        """Values read from the environment must be there when the guides run."""
        for index, step in self.steps():
            places = [("steps", index), *(("steps", index, p) for p in PLATFORMS)]
            for loc in places:
                holder = step if len(loc) == 2 else step.get(str(loc[2]))
                actions = holder.get("actions") if isinstance(holder, dict) else None
                for position, action in enumerate(actions if isinstance(actions, list) else []):
                    fill = action.get("fill") if isinstance(action, dict) else None
                    value = fill.get("value") if isinstance(fill, dict) else None
                    name = value.get("env") if isinstance(value, dict) else None
                    where = (*loc, "actions", position, "fill", "value", "env")
                    if not isinstance(name, str):
                        continue
                    if name not in self.config.secrets:
                        # Only a declared secret is masked and kept out of every message.
                        self.add(
                            where,
                            f"environment variable {name} is not a declared secret, so "
                            f'its value could be published; add "{name}" to '
                            "[tool.guidegen] secrets in pyproject.toml",
                        )
                    elif name not in os.environ:
                        self.add(
                            where,
                            f"environment variable {name} is not set: capture and check "
                            f"will fail; set it (export {name}=…) where guidegen runs",
                            warning=True,
                        )

    def scenario(self) -> None:
        scenario = self.data.get("scenario")
        if self.scenarios is None or not isinstance(scenario, str):
            return
        if scenario not in self.scenarios and _ID_RE.match(scenario):
            hint = suggest(scenario, sorted(self.scenarios))
            self.add(("scenario",), f"unknown scenario '{scenario}'{hint}")

    def facts(self) -> None:
        facts = self.data.get("facts")
        if not isinstance(facts, list):
            return
        named: set[str] = set()
        for index, fact in enumerate(facts):
            if isinstance(fact, str) and _ID_RE.match(fact):
                self.fact_id(index, fact, named)
                named.add(fact)
            checked = fact.get("checked") if isinstance(fact, dict) else None
            if isinstance(checked, str):
                try:
                    checked = dt.date.fromisoformat(checked)
                except ValueError:
                    continue
            if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
                continue
            loc = ("facts", index, "checked")
            if checked > self.today:
                self.add(
                    loc,
                    f"fact checked on {checked}, which is in the future (today is "
                    f"{self.today}); write the day you read the source",
                )
            elif self.today - checked > STALE_AFTER:
                self.add(
                    loc,
                    f"fact last checked on {checked}, over a year ago; read the source again "
                    "and update 'checked'",
                    warning=True,
                )

    def fact_id(self, index: int, fact_id: str, named: set[str]) -> None:
        loc = ("facts", index)
        if fact_id in named:
            self.add(loc, f"fact '{fact_id}' is listed twice")
        elif self.shared.path is None:
            self.add(
                loc,
                f"fact '{fact_id}' names a shared fact, but no facts file is configured; "
                'set facts = "facts.yml" in [tool.guidegen]',
            )
        elif fact_id not in self.shared.facts:
            choices = sorted(self.shared.facts)
            hint = suggest(fact_id, choices) if choices else ""
            if not hint.startswith(" ("):
                hint = f"; add it to {self.shared.path.name} or fix the id"
            self.add(loc, f"unknown fact '{fact_id}'{hint}")

    def marks(self, guide: Guide) -> None:
        # One problem per step, text and language, naming every platform it
        # concerns, rather than the same line three times.
        found: dict[tuple[Loc, str, str, int], list[str]] = {}
        numbered: dict[Loc, dict[str, str]] = {}
        indexes = step_indexes(guide)
        for platform in dict.fromkeys(guide.platforms):
            shown = steps_for(guide, platform)
            if not shown:
                self.add(
                    ("platforms",),
                    f"no step is shown on {platform}; list it in a step's 'only' "
                    "or remove it from 'platforms'",
                )
            for step in shown:
                index = indexes[step.id]
                override = getattr(guide.steps[index], platform)
                text_loc: Loc = ("steps", index, "text")
                if override is not None and override.text is not None:
                    text_loc = ("steps", index, platform, "text")
                count = sum(1 for action in step.actions if is_marked(action))
                if count > len(CIRCLED):
                    found.setdefault((text_loc, "", "", count), []).append(platform)
                    continue
                # A text shared by platforms is read once.
                written_in = numbered.get(text_loc)
                if written_in is None:
                    texts = step.text.root
                    written_in = numbered[text_loc] = {
                        lang: "".join(dict.fromkeys(CIRCLED_RE.findall(texts[lang])))
                        for lang in self.config.languages
                        if lang in texts
                    }
                for lang, written in written_in.items():
                    if written != CIRCLED[:count]:
                        found.setdefault((text_loc, lang, written, count), []).append(platform)
        for (loc, lang, written, count), platforms in found.items():
            on = ", ".join(platforms)
            if count > len(CIRCLED):
                message = f"{count} marked actions on {on}, over the {len(CIRCLED)} that can "
                message += "be numbered; split the step"
            else:
                message = (
                    f"the {lang} text numbers {written or 'nothing'} but the step has "
                    f"{count} marked action{'s' if count != 1 else ''} on {on}; "
                    f"number them {CIRCLED[:count] or 'not at all'}"
                )
            self.add((*loc, lang) if lang else loc, message)

    def actions(self) -> Iterator[tuple[Loc, str, Any]]:
        """Every action written in the guide: (where, name, value), overrides included."""
        for index, step in self.steps():
            for loc in (("steps", index), *(("steps", index, p) for p in PLATFORMS)):
                holder = step if len(loc) == 2 else step.get(str(loc[2]))
                actions = holder.get("actions") if isinstance(holder, dict) else None
                for position, action in enumerate(actions if isinstance(actions, list) else []):
                    if isinstance(action, dict) and len(action) == 1:
                        ((name, value),) = action.items()
                        yield (*loc, "actions", position, name), str(name), value

    def targets(self) -> Iterator[tuple[Loc, Any]]:
        """Every place a target is written: actions, redact and crop elements."""
        redact = self.data.get("redact")
        for index, item in enumerate(redact if isinstance(redact, list) else []):
            yield ("redact", index), item
        crops: list[tuple[Loc, Any]] = [(("crop",), self.data.get("crop"))]
        for index, step in self.steps():
            crops.append((("steps", index, "crop"), step.get("crop")))
            for platform in PLATFORMS:
                override = step.get(platform)
                if isinstance(override, dict):
                    crops.append((("steps", index, platform, "crop"), override.get("crop")))
        for loc, crop in crops:
            if isinstance(crop, dict) and "element" in crop:
                yield (*loc, "element"), crop["element"]
        for loc, name, value in self.actions():
            if name in _TARGET_ACTIONS:
                yield loc, value
            elif isinstance(value, dict) and "target" in value:
                yield (*loc, "target"), value["target"]

    def targets_and_keys(self) -> None:
        """A plain-string target is a test id, so a CSS selector or words written as
        one would find nothing at run time; a key Playwright does not know fails there too."""
        for loc, target in self.targets():
            if isinstance(target, str) and not _TEST_ID_RE.match(target):
                self.add(loc, _not_a_test_id(target))
        for loc, name, value in self.actions():
            if name != "press":
                continue
            if isinstance(value, dict):
                loc, value = (*loc, "key"), value.get("key")
            if isinstance(value, str) and value:
                problem = _key_problem(value)
                if problem:
                    self.add(loc, problem)
