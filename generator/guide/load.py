"""Read a guide file into the model, keeping the line and column of every node.

Every problem becomes a ``Problem`` with a location and a hint; nothing here
raises on bad input. YAML is read with the safe loader, tags and aliases are
refused (no object construction, no alias bombs), nesting is bounded and
duplicate keys are errors.
"""

from __future__ import annotations

import difflib
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, RootModel, ValidationError

from . import actions, types
from . import model as m
from .yamlfile import (
    MAX_BYTES,
    MAX_PROBLEMS,
    Loaded,
    Loc,
    Positions,
    Problem,
    _kind,
    decode,
    parse,
    shorten,
)

ModelT = TypeVar("ModelT", bound=BaseModel)


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or n for n, f in model.model_fields.items()]


def suggested_id(name: str) -> str:
    """A valid id made from a name (a file's), for hints: "My Guide" → "my-guide"."""
    words = re.sub("[^a-z0-9]+", "-", name.lower()).strip("-")
    return words[:64].strip("-") or "my-guide"


# The control characters a guide's text may hold: a tab and a line break (of a
# block scalar). Any other (an escape such as "\e" in a double-quoted string)
# would reach terminals and CI logs through messages and the report; a key or
# a file name holds none.
_TEXT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NAME_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _control(character: str) -> str:
    return f"control character U+{ord(character):04X}"


def control_characters(name: str, data: Any, positions: Positions, loc: Loc = ()) -> list[Problem]:
    """A problem for each key and text of data that holds a control character."""
    problems: list[Problem] = []
    if isinstance(data, dict):
        for key, value in data.items():
            found = _NAME_CONTROL.search(key) if isinstance(key, str) else None
            if found:
                where_ = positions.of((*loc, key), key=True)
                message = f"{_control(found.group())} in a key; remove it"
                problems.append(Problem(name, *where_, message))
            problems += control_characters(name, value, positions, (*loc, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems += control_characters(name, item, positions, (*loc, index))
    elif isinstance(data, str):
        found = _TEXT_CONTROL.search(data)
        if found:
            message = f"{_control(found.group())} in {where(loc)}; remove it"
            problems.append(Problem(name, *positions.of(loc), message))
    return problems


def suggest(word: str, choices: list[str], cutoff: float = 0.6) -> str:
    """' (did you mean ...?)' for a near miss, else the list of choices."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else f"; allowed: {', '.join(choices)}"


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The mapping models a field's type may hold, through Optional, tuple and Annotated."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _models_in(get_args(annotation)[0])
    if origin in (Union, UnionType, tuple, list):
        return [model for arg in get_args(annotation) for model in _models_in(arg)]
    is_model = isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return [annotation] if is_model and not issubclass(annotation, RootModel) else []


def _pick(models: list[type[BaseModel]], node: Any) -> type[BaseModel] | None:
    """The union member a mapping was meant as: the one sharing most keys with it."""
    if not models:
        return None
    keys = set(node) if isinstance(node, dict) else set()
    return max(models, key=lambda model: len(keys & set(_allowed_keys(model))))


def _model_at(data: Any, loc: Loc, root: type[BaseModel] = m.Guide) -> type[BaseModel] | None:
    """Which model the mapping at loc is read as, found from the model's own types."""
    current: type[BaseModel] | None = root
    annotation: Any = None
    node = data
    for part in loc:
        if isinstance(part, str):
            if current is None:
                return None
            fields = {f.alias or n: f for n, f in current.model_fields.items()}
            if part not in fields:
                return None
            annotation = fields[part].annotation
        if isinstance(node, list):
            node = node[part] if isinstance(part, int) else None
        elif isinstance(node, dict):
            node = node[part]
        else:
            node = None
        current = _pick(_models_in(annotation), node)
    return current


_ARGS_ACTIONS = {"fill", "select", "expect-text", "goto", "press", "select-text"}
_TARGET_TAGS = {"testid-string", *actions.TARGET_KEYS}
_TARGET_FIELDS = {name for name in actions.ACTION_TYPES if name not in _ARGS_ACTIONS} | {"target"}
_TEXT_FIELDS = {"name", "text", "value", "option", "label", "placeholder"}


def _strip_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the union tags pydantic puts in error locations ('tap', 'role', 'localized').

    A tag follows exactly the places that hold a union (an action list item,
    a target, a text), so it is recognised by position, not by name alone:
    'text' is a tag after a target but a real key after a step.
    """
    out: list[Any] = []
    tags: set[str] = set()
    for part in loc:
        if part in tags:
            tags = set()
            continue
        out.append(part)
        before = out[-2] if len(out) > 1 else None
        redact_item = isinstance(part, int) and before == "redact"
        target_field = part in _TARGET_FIELDS and (part == "target" or isinstance(before, int))
        if isinstance(part, int) and before == "actions":
            tags = set(actions.ACTION_TYPES)
        elif isinstance(part, int) and before == "facts":
            tags = {"id", "inline"}
        elif redact_item:
            tags = _TARGET_TAGS | {"blur"}
        elif target_field:
            tags = _TARGET_TAGS
        elif part in _TEXT_FIELDS:
            tags = {"plain", "localized"}
        elif part == "press":
            tags = {"key", "args"}
        else:
            tags = set()
    return tuple(out)


def _walk(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The longest prefix of an error location that exists in the data."""
    real: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            real.append(part)
    return tuple(real)


def where(loc: Loc) -> str:
    """A location as editors read it: steps[2].actions[1]."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "the guide"


_LOCALIZED_FIELDS = {"title", "summary", "text", "note", "warning"}


def _field(loc: Loc) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "guide"


def _message(
    error: Any, data: Any, real: Loc, root: type[BaseModel] = m.Guide
) -> tuple[Loc, bool, str]:
    """(where to point, at the key?, message) for one pydantic error."""
    kind, value, raw_loc = error["type"], error.get("input"), _strip_tags(error["loc"])
    name = _field(real)
    if "[key]" in raw_loc:
        key = str(raw_loc[raw_loc.index("[key]") - 1])
        return (*real, key), True, f"language code '{key}' must be two lowercase letters, like ja"
    if kind == "extra_forbidden":
        key = str(raw_loc[-1])
        parent = real[:-1] if real and real[-1] == key else real
        model = _model_at(data, parent, root)
        hint = suggest(key, _allowed_keys(model)) if model else "; remove it"
        return (*parent, key), True, f"unknown key '{key}'{hint}"
    if kind == "missing":
        key = str(raw_loc[-1])
        return real, False, f"missing key '{key}' in {where(real)}; add it"
    if kind == "invalid_action":
        if isinstance(value, dict) and len(value) == 1:
            word = str(next(iter(value)))
            hint = suggest(word, list(actions.ACTION_TYPES))
            return (*real, word), True, f"unknown action '{word}'{hint}"
        if isinstance(value, dict) and value:
            keys = ", ".join(f"'{k}'" for k in value)
            message = f"an action has exactly one key, not {keys}; make one list item of each"
            return real, False, message
        return real, False, "an action is a mapping with one key, e.g. '- tap: order-history'"
    if kind == "invalid_target":
        if isinstance(value, dict):
            names = [str(k) for k in value]
            hint = suggest(names[0], list(actions.TARGET_KEYS)) if names else ""
            return (
                real,
                False,
                "a target needs 'testid', 'role' (with 'name'), 'label', 'placeholder', 'text' "
                f"or 'css'{hint}",
            )
        return (
            real,
            False,
            "a target is a test id or a mapping with role+name, label, placeholder, text or css, "
            f"not {_kind(value)}",
        )
    if kind == "value_error" and types.UNKNOWN_PLATFORM in error["msg"]:
        # Platform names are short: at 0.6 'windows' would suggest 'ios'.
        hint = suggest(str(value), list(types.PLATFORMS), cutoff=0.7)
        return real, False, f"unknown platform {shorten(value)}{hint}"
    if kind == "string_pattern_mismatch" and "a-z0-9" in error["msg"]:
        path_like = isinstance(value, str) and ("/" in value or "\\" in value or ".." in value)
        why = " (it names files, so no paths)" if path_like else ""
        return (
            real,
            False,
            (
                f"{name} {shorten(value)} must be lowercase letters, digits and single "
                f"hyphens{why}, like 'contact-seller'"
            ),
        )
    if kind == "string_pattern_mismatch" and name == "goto":
        return (
            real,
            False,
            f"goto {shorten(value)} must be a path of the app, like /orders: not a URL "
            "(http:, file:, javascript:, data:…), nor // or \\ before a host",
        )
    if kind == "string_pattern_mismatch" and name == "source":
        return real, False, f"source {shorten(value)} must be a web address starting with https://"
    if kind in {"dict_type", "model_type", "model_attributes_type"} and name == "press":
        example = "{key: Enter, target: …}"
        return real, False, f"'press' must be a key such as Enter or Control+B, or {example}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        if error["loc"][-1] == "localized":
            example = "{ja: …, en: …}"
            return real, False, f"'{name}' must be text, or text per language like {example}"
        if name in _LOCALIZED_FIELDS or "prerequisites" in real:
            example = "{ja: …, en: …}"
            return real, False, f"'{name}' must give the text per language, e.g. {example}"
        model = _model_at(data, real, root)
        if model is None:
            return real, False, f"'{name}' must be a mapping of keys and values, not {_kind(value)}"
        fields = model.model_fields.items()
        required = [f.alias or n for n, f in fields if f.is_required()] or _allowed_keys(model)
        example = "{" + ", ".join(f"{key}: …" for key in required) + "}"
        return real, False, f"'{name}' must be a mapping like {example}, not {_kind(value)}"
    if kind == "string_type" and value is None:
        return real, False, f"'{name}' is empty; write the text or remove the key"
    if kind == "string_type":
        hint = "; put it in quotes" if not isinstance(value, dict | list) else ""
        return real, False, f"'{name}' must be text, not {_kind(value)}{hint}"
    if kind in {"tuple_type", "list_type"}:
        return real, False, f"'{name}' must be a list ('- item' lines), not {_kind(value)}"
    if kind == "too_short" and name == "steps":
        return real, False, "a guide needs at least one step under 'steps'"
    if kind == "string_too_short":
        return real, False, f"'{name}' is empty; write the text or remove the key"
    if kind == "string_too_long":
        return real, False, f"'{name}' is too long: {error['msg'].lower()}"
    if kind.startswith("date"):
        return real, False, f"'{name}' must be a date like 2026-11-26, not {shorten(value)}"
    if kind == "bool_type" or kind == "bool_parsing":
        return real, False, f"'{name}' must be true or false, not {shorten(value)}"
    return real, False, f"{where(real)}: {error['msg'].lower()}"


def cap(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in file order, the first MAX_PROBLEMS of them and a note on the rest."""
    ordered = sorted(set(problems))
    if len(ordered) <= MAX_PROBLEMS:
        return ordered
    more = ordered[MAX_PROBLEMS]
    note = f"{len(ordered) - MAX_PROBLEMS} more problems not shown; fix the ones above first"
    return [*ordered[:MAX_PROBLEMS], Problem(more.path, more.line, more.column, note)]


def validate(
    name: str,
    data: Any,
    positions: Positions,
    model: type[ModelT] = m.Guide,  # type: ignore[assignment]
) -> tuple[ModelT | None, list[Problem]]:
    """data as the model (a guide unless told), or every problem with its position."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        errors = error.errors()
        deeper = [e["loc"] for e in errors]
        extra: dict[tuple[Any, ...], list[str]] = {}
        for e in errors:
            if e["type"] == "extra_forbidden":
                loc = _strip_tags(e["loc"])
                extra.setdefault(loc[:-1], []).append(str(loc[-1]))
        problems: set[Problem] = set()
        for e in errors:
            # An empty list that pydantic also reports item by item says nothing new.
            if e["type"] == "too_short" and any(len(d) > len(e["loc"]) for d in deeper):
                continue
            # A misspelt key is also a missing one; "did you mean" already says it.
            if e["type"] == "missing":
                loc = _strip_tags(e["loc"])
                if difflib.get_close_matches(str(loc[-1]), extra.get(loc[:-1], []), cutoff=0.6):
                    continue
            real = _walk(data, _strip_tags(e["loc"]))
            loc, at_key, message = _message(e, data, real, model)
            problems.add(Problem(name, *positions.of(loc, key=at_key), message))
        return None, cap(problems)


_ONE_LINE = re.compile(r"\s+")


def _tidy(problem: Problem) -> Problem:
    """One problem, one line: YAML values can carry newlines into messages."""
    message = _ONE_LINE.sub(" ", problem.message).strip()
    if message == problem.message:
        return problem
    return Problem(problem.path, problem.line, problem.column, message, problem.severity)


def load_bytes(path: Path, raw: bytes) -> Loaded:
    """Load a guide from its bytes; path names it in problems and is not read."""
    name = str(path)
    text, problems = decode(name, raw)
    if text is None:
        return Loaded(path, None, None, Positions(), tuple(problems))
    data, positions, problems = parse(path, text)
    if not problems:
        problems = control_characters(name, data, positions)
        guide, invalid = validate(name, data, positions)
        problems += invalid
        if guide is not None and not problems:
            return Loaded(path, guide, data, positions, (), text)
    return Loaded(path, None, data, positions, tuple(_tidy(p) for p in problems), text)


def load_guide(path: Path) -> Loaded:
    def refused(message: str, name: str = str(path)) -> Loaded:
        return Loaded(path, None, None, Positions(), (Problem(name, 1, 1, message),))

    found = _NAME_CONTROL.search(path.name)
    if found:
        # Named with its escapes (\n, \x1b): the name itself would break the line.
        message = f"{_control(found.group())} in the file name, not read; rename the file "
        return refused(message + f"to {suggested_id(path.stem)}.yml", repr(str(path))[1:-1])
    try:
        # A link could make lint print another file's lines (a secret) as problems.
        if path.is_symlink():
            return refused("a symlink, not read; a guide must be a regular file inside steps/")
        info = path.stat()
        # Checked before reading: a pipe would block and a huge file is no guide.
        if not stat.S_ISREG(info.st_mode):
            return refused("not a regular file; a guide is a .yml file")
        if info.st_size > MAX_BYTES:
            size = info.st_size
            return refused(f"file is {size:,} bytes, over the {MAX_BYTES:,} limit; split the guide")
        raw = path.read_bytes()
    except OSError as error:
        return refused(f"cannot read file: {error.strerror or error}")
    return load_bytes(path, raw)
