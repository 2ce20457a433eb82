"""Reading a guide's YAML safely: size, depth and aliases bounded, every node's line
and column kept, and problems as file:line:col."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from . import model as m


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


MAX_BYTES = 1_000_000


# Far deeper than any guide (about 8 levels) yet shallow enough that the
# recursive composer never meets Python's recursion limit.
MAX_DEPTH = 40


# A file with thousands of shape errors is the wrong file; the first ones say so.
MAX_PROBLEMS = 50


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
