"""Read a guide file into the model, keeping the line and column of every node.

Every problem becomes a ``Problem`` with a location and a hint; nothing here
raises on bad input. YAML is read with the safe loader, tags and aliases are
refused (no object construction, no alias bombs), nesting is bounded and
duplicate keys are errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Protocol, TypeVar, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, RootModel, ValidationError

from . import model as m

MAX_BYTES = 1_000_000
# Far deeper than any guide (about 8 levels) yet shallow enough that the
# recursive composer never meets Python's recursion limit.
MAX_DEPTH = 40
# A file with thousands of shape errors is the wrong file; the first ones say so.
MAX_PROBLEMS = 50

Loc = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


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
    guide: m.Guide | None
    data: Any
    positions: Positions
    problems: tuple[Problem, ...]
    source: str = ""
    """The decoded text, empty when it could not be read as text."""


class _Place(Protocol):
    """Where PyYAML's parsers (pure Python or libyaml) say a node is."""

    line: int
    column: int


class _Refused(Exception):
    def __init__(self, mark: _Place | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _mark(mark: _Place | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


class _GuideLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, explicit tags and deep nesting while composing.

    Checking before a node is composed means a billion-laughs document is
    stopped at its first alias, before anything could be expanded.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"alias '*{event.anchor}' is not supported in guides; write the value out",
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            written = tag.replace("tag:yaml.org,2002:", "!!")
            raise _Refused(
                event.start_mark, f"tag '{written}' is not supported in guides; remove it"
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark, f"nested deeper than {MAX_DEPTH} levels; a guide never is"
                )
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self.depth -= 1


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_object(node)
    # PyYAML's implicit resolvers raise whatever the Python constructor raises
    # (a date of 2026-02-30, an integer of 5000 digits), so any failure here
    # is a value the editor has to fix, not a bug of ours.
    except Exception as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        if node.tag == "tag:yaml.org,2002:timestamp":
            message = f"{node.value!r} is not a real date ({reason}); write YYYY-MM-DD"
        else:
            message = f"cannot read {shorten(node.value)}; put it in quotes if it is text"
        raise _Refused(node.start_mark, message) from None


def _convert(loader: yaml.SafeLoader, node: yaml.Node, loc: Loc, positions: Positions) -> Any:
    positions.values[loc] = _mark(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark, "a key must be a plain word, not a list or map")
            # The key as written: YAML 1.1 would read `on:` as true and `1:` as 1.
            key = key_node.value
            if key in result:
                first = positions.keys[(*loc, key)]
                raise _Refused(
                    key_node.start_mark,
                    f"duplicate key '{key}' (first on line {first[0]}); keep one of them",
                )
            positions.keys[(*loc, key)] = _mark(key_node.start_mark)
            result[key] = _convert(loader, value_node, (*loc, key), positions)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*loc, index), positions)
            for index, item in enumerate(node.value)
        ]
    return _scalar(loader, node)  # type: ignore[arg-type]


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode(name: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Guide bytes to text, or the problem that stops it."""
    if len(raw) > MAX_BYTES:
        message = f"file is {len(raw):,} bytes, over the {MAX_BYTES:,} limit; split the guide"
        return None, [Problem(name, 1, 1, message)]
    if b"\0" in raw:
        message = "file is binary (or UTF-16), not YAML text; save it as UTF-8"
        return None, [Problem(name, 1, 1, message)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1 : error.start].decode()) + 1
        return None, [Problem(name, line, column, "not UTF-8 text; save the file as UTF-8")]


def parse(path: Path, text: str) -> tuple[Any, Positions, list[Problem]]:
    """YAML text to plain data and positions, or the problems that stop it."""
    name = str(path)
    positions = Positions()
    empty = "file is empty; a guide needs id, title, summary and steps"
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, positions, [Problem(name, 1, 1, empty)]
    fast = _parse_with_libyaml(text)
    if fast is not None:
        return _checked_top(name, *fast, empty)
    loader: _GuideLoader | None = None
    try:
        # The reader checks every character as soon as it is made, so even
        # making the loader can fail.
        loader = _GuideLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, positions, [Problem(name, 1, 1, empty)]
        data = _convert(loader, node, (), positions)
    except _Refused as refused:
        return None, positions, [Problem(name, *_mark(refused.mark), refused.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if "expected a single document" in (error.context or ""):
            what = "more than one YAML document; keep one guide per file and remove the '---'"
        elif error.problem == "expected ',' or '}', but got '{'":
            what = "invalid YAML: a '{' inside a {…} mapping; put text like {tap} in quotes"
        else:
            what = " ".join((error.problem or error.context or "not YAML").split())
            what = f"invalid YAML: {what}; check the indentation and quoting"
        return None, positions, [Problem(name, *_mark(mark), what)]
    except yaml.reader.ReaderError as error:
        line, column = _line_col(text, error.position)
        what = f"character U+{error.character:04X} is not allowed in YAML; remove it"
        return None, positions, [Problem(name, line, column, what)]
    except yaml.YAMLError as error:
        reason = " ".join(str(error).split())
        return None, positions, [Problem(name, 1, 1, f"invalid YAML: {reason}")]
    finally:
        if loader is not None:
            loader.dispose()
    return _checked_top(name, data, positions, empty)


def _checked_top(
    name: str, data: Any, positions: Positions, empty: str
) -> tuple[Any, Positions, list[Problem]]:
    if data is None:
        return None, positions, [Problem(name, 1, 1, empty)]
    if not isinstance(data, dict):
        message = f"a guide is a mapping with id, title, summary and steps, not {_kind(data)}"
        return None, positions, [Problem(name, *positions.of(()), message)]
    return data, positions, []


_STR = "tag:yaml.org,2002:str"
_RESOLVERS = yaml.SafeLoader.yaml_implicit_resolvers


def _parse_with_libyaml(text: str) -> tuple[Any, Positions] | None:
    """The document's data and positions parsed by libyaml, or None for the slow path.

    The pure-Python parser is about 30 times slower, which a project of a
    thousand guides feels on every lint. libyaml is used only for documents
    the guide loader would accept as they are (no alias, no tag, not nested
    near the limit, one document, unique keys that are words, no scalar that
    fails to construct); anything else goes through _GuideLoader, so every
    error keeps its exact message and position. The data is built from
    libyaml's events in one pass: composing nodes first, and resolving each
    scalar through PyYAML's resolver, took most of the time of a large guide.
    """
    if not yaml.__with_libyaml__:
        return None
    try:
        return _from_events(yaml.parse(text, Loader=yaml.CSafeLoader))
    except (yaml.YAMLError, _Refused):
        return None


def _from_events(events: Iterable[Any]) -> tuple[Any, Positions] | None:
    """Data and positions from a document's events, as _convert makes them from
    its nodes; None for anything only the slow path may judge. (Any: PyYAML's
    stubs give an event neither its tag nor its value.)"""
    positions = Positions()
    values, keys = positions.values, positions.keys
    constructor = yaml.SafeLoader("")
    # Each open collection: [the collection, its loc, the key whose value comes next].
    stack: list[list[Any]] = []
    data: Any = None
    documents = 0
    for event in events:
        kind = type(event)
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            continue
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return None
            continue
        if kind is yaml.AliasEvent:
            return None
        if kind not in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
            continue  # the stream's and the document's end
        if event.tag not in (None, "!"):
            return None
        mark = _mark(event.start_mark)
        loc: Loc = ()
        if stack:
            top = stack[-1]
            if type(top[0]) is dict:
                if top[2] is None:  # a key
                    if kind is not yaml.ScalarEvent or event.value in top[0]:
                        return None
                    keys[(*top[1], event.value)] = mark
                    top[2] = event.value
                    continue
                loc = (*top[1], top[2])
            else:
                loc = (*top[1], len(top[0]))
        values[loc] = mark
        value: Any
        if kind is yaml.ScalarEvent:
            value = _event_scalar(constructor, event)
        else:
            value = {} if kind is yaml.MappingStartEvent else []
        if stack:
            top = stack[-1]
            if type(top[0]) is dict:
                top[0][top[2]] = value
                top[2] = None
            else:
                top[0].append(value)
        else:
            data = value
        if kind is not yaml.ScalarEvent:
            stack.append([value, loc, None])
            if len(stack) >= MAX_DEPTH - 1:
                return None
    return (data, positions) if data is not None else None


def _event_scalar(constructor: yaml.SafeLoader, event: Any) -> Any:
    """A scalar's value, resolved as PyYAML's resolver does: plain text may be a
    number, a date, true/false or null; quoted text is text."""
    value: str = event.value
    tag = _STR
    if event.implicit[0]:
        for candidate, pattern in [*_RESOLVERS.get(value[:1], []), *_RESOLVERS.get(None, [])]:
            if pattern.match(value):
                tag = candidate
                break
    if tag == _STR:
        return value
    # Without marks: a value that fails to construct sends the guide down the
    # slow path, which names the place.
    return _scalar(constructor, yaml.ScalarNode(tag, value, style=event.style))


def shorten(value: object, limit: int = 40) -> str:
    """repr of a value from the file, cut so that one line stays readable."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 4]}…{text[-3:]}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, int | float):
        return "a number"
    return "text"


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
_TARGET_TAGS = {"testid-string", *m.TARGET_KEYS}
_TARGET_FIELDS = {name for name in m.ACTION_TYPES if name not in _ARGS_ACTIONS} | {"target"}
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
            tags = set(m.ACTION_TYPES)
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
            hint = suggest(word, list(m.ACTION_TYPES))
            return (*real, word), True, f"unknown action '{word}'{hint}"
        if isinstance(value, dict) and value:
            keys = ", ".join(f"'{k}'" for k in value)
            message = f"an action has exactly one key, not {keys}; make one list item of each"
            return real, False, message
        return real, False, "an action is a mapping with one key, e.g. '- tap: order-history'"
    if kind == "invalid_target":
        if isinstance(value, dict):
            names = [str(k) for k in value]
            hint = suggest(names[0], list(m.TARGET_KEYS)) if names else ""
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
    if kind == "value_error" and m.UNKNOWN_PLATFORM in error["msg"]:
        # Platform names are short: at 0.6 'windows' would suggest 'ios'.
        hint = suggest(str(value), list(m.PLATFORMS), cutoff=0.7)
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
        return real, False, f"'{name}' must be a mapping of keys and values, not {_kind(value)}"
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
