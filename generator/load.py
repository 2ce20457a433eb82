"""Read a guide file into the model, keeping the line and column of every node.

Every problem becomes a ``Problem`` with a location and a hint; nothing here
raises on bad input. YAML is read with the safe loader, aliases are refused
(no alias bombs) and duplicate keys are errors.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from generator.model import ACTION_TYPES, Guide

MAX_BYTES = 1_000_000

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"


@dataclass(frozen=True)
class Positions:
    """Where each value (and each mapping key) stands in the file, 1-based."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def of(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of loc, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        for end in range(len(loc), -1, -1):
            if loc[:end] in table:
                return table[loc[:end]]
            if key and loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)


@dataclass(frozen=True)
class Loaded:
    path: Path
    guide: Guide | None
    data: Any
    positions: Positions
    problems: tuple[Problem, ...]


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _convert(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, positions: Positions) -> Any:
    positions.values[loc] = _mark(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "a key must be a plain word, not a list or map")
            key = loader.construct_object(key_node)
            if not isinstance(key, str | int | bool) or key is None:
                raise _Refused(key_node.start_mark, "a key must be a plain word")
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                first = positions.keys[(*loc, key)]
                raise _Refused(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first at line {first[0]}); keep one of them",
                )
            positions.keys[(*loc, key)] = _mark(key_node.start_mark)
            result[key] = _convert(loader, value_node, (*loc, key), positions)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*loc, index), positions)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node)


def _refuse_aliases(text: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"alias '*{event.anchor}' is not supported in guides; write the value out",
            )


def parse(path: Path, raw: bytes) -> tuple[Any, Positions, list[Problem]]:
    """YAML bytes to plain data and positions, or the problems that stop it."""
    name = str(path)
    positions = Positions()
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw):,} bytes, over the {MAX_BYTES:,} limit; split the guide"
        return None, positions, [Problem(name, 1, 1, message)]
    if b"\0" in raw:
        return None, positions, [Problem(name, 1, 1, "file is binary, not YAML text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, positions, [Problem(name, line, column, "not UTF-8 text; save as UTF-8")]
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        message = "file is empty; a guide needs id, title, summary and steps"
        return None, positions, [Problem(name, 1, 1, message)]
    try:
        _refuse_aliases(text)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        data = _convert(loader, node, (), positions)
    except _Refused as refused:
        return None, positions, [Problem(name, *_mark(refused.mark), refused.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = (error.problem or error.context or "invalid YAML").strip()
        if "expected a single document" in (error.context or ""):
            what = "more than one YAML document; keep one guide per file"
        else:
            what = f"invalid YAML: {what}; check indentation and quoting"
        return None, positions, [Problem(name, *_mark(mark), what)]
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return None, positions, [Problem(name, 1, 1, f"invalid YAML: {error}")]
    if not isinstance(data, dict):
        message = "a guide is a mapping with id, title, summary and steps"
        return None, positions, [Problem(name, 1, 1, message)]
    return data, positions, []


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(choices)}"


def _parent_model(data: Any, loc: Loc) -> type[BaseModel] | None:
    """Which model a mapping at loc is read as (for listing the allowed keys)."""
    from generator import model as m

    names = [part for part in loc if isinstance(part, str)]
    if not names:
        return m.Guide
    table: dict[str, type[BaseModel]] = {
        "steps": m.Step,
        "facts": m.Fact,
        "ios": m.Override,
        "android": m.Override,
        "web": m.Override,
        "fill": m.FillArgs,
        "select": m.SelectArgs,
        "expect-text": m.ExpectTextArgs,
    }
    last = loc[-1]
    if isinstance(last, int) and names[-1] in table:
        return table[names[-1]]
    if isinstance(last, str) and last in table:
        return table[last]
    return None


def _walk(data: Any, loc: Loc) -> Loc:
    """Map pydantic's error location (with union tags) onto the data's own path."""
    real: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int) and part < len(node)):
            node = node[part]
            real.append(part)
    return tuple(real)


def _describe(error: Any, data: Any, positions: Positions, name: str) -> Problem:
    kind = error["type"]
    loc = tuple(p for p in error["loc"] if p != "__root__")
    real = _walk(data, loc)
    where = ".".join(str(p) for p in real) or "the guide"
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _parent_model(data, real)
        hint = _suggest(key, _allowed_keys(model)) if model else "; remove it"
        return Problem(name, *positions.of((*real, key), key=True), f"unknown key '{key}'{hint}")
    if kind == "missing":
        key = str(loc[-1])
        return Problem(name, *positions.of(real), f"missing key '{key}' in {where}; add it")
    if kind == "invalid_action":
        value = error["input"]
        if isinstance(value, dict) and len(value) == 1:
            word = str(next(iter(value)))
            hint = _suggest(word, list(ACTION_TYPES))
            return Problem(
                name, *positions.of((*real, word), key=True), f"unknown action '{word}'{hint}"
            )
        message = "an action is a mapping with one key, e.g. '- tap: order-history'"
        return Problem(name, *positions.of(real), message)
    if kind == "literal_error" and "'ios'" in error["msg"]:
        message = f"unknown platform {error['input']!r}; use ios, android or web"
        return Problem(name, *positions.of(real), message)
    if kind == "string_pattern_mismatch" and "a-z0-9" in error["msg"]:
        message = f"{where} {error['input']!r} must be lowercase letters, digits and single hyphens"
        return Problem(name, *positions.of(real), message)
    message = f"{where}: {error['msg'].lower()}"
    return Problem(name, *positions.of(real), message)


def validate(name: str, data: Any, positions: Positions) -> tuple[Guide | None, list[Problem]]:
    try:
        return Guide.model_validate(data), []
    except ValidationError as error:
        errors = error.errors()
        deep = [e["loc"] for e in errors]
        kept = [
            e
            for e in errors
            if not (e["type"] == "too_short" and any(len(d) > len(e["loc"]) for d in deep))
        ]
        problems = {_describe(e, data, positions, name) for e in kept}
        return None, sorted(problems)


def load_guide(path: Path) -> Loaded:
    try:
        raw = path.read_bytes()
    except OSError as error:
        problem = Problem(str(path), 1, 1, f"cannot read file: {error.strerror}")
        return Loaded(path, None, None, Positions(), (problem,))
    data, positions, problems = parse(path, raw)
    if problems:
        return Loaded(path, None, data, positions, tuple(problems))
    guide, problems = validate(str(path), data, positions)
    return Loaded(path, guide, data, positions, tuple(problems))
