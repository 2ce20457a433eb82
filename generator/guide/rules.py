"""Small rules of the lint: what a test id, a CSS selector and a key chord look like,
where a step's texts are."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Config
from .load import suggest
from .model import (
    Guide,
)
from .yamlfile import Loc

SCHEMA_FILE = Path(__file__).parent.parent / "schema" / "guide.schema.json"


PROJECT_SCHEMA = Path(".guidegen") / "guide.schema.json"


MODELINE = "# yaml-language-server: $schema="


def schema_path(config: Config) -> Path:
    """The schema guides link to: the package's own when the project is guidegen's
    source tree, else a copy in the project, which works wherever guidegen is installed."""
    if SCHEMA_FILE.parents[2] == config.root:
        return SCHEMA_FILE
    return config.root / PROJECT_SCHEMA


def is_setup(path: Path) -> bool:
    return path.name.startswith("_")


# What data-testid values look like in practice: ASCII letters and digits, joined
# by -, _ or . (submit-button, user_menu, nav.home). A leading # or ., brackets,
# spaces, colons or any other character belong to a CSS selector or to the words
# the element shows, and Japanese text is never a test id either.
_TEST_ID_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$")


_CSS_RE = re.compile(r"[#.\[\]>~+*:=()]")


_FIELD_RE = re.compile(r"#id_|\b(input|textarea|select)\b|\[name", re.IGNORECASE)


# The actions whose value is a target (the others hold theirs under 'target').
_TARGET_ACTIONS = frozenset(
    (
        "tap",
        "click",
        "highlight",
        "scroll-to",
        "expect-visible",
        "expect-absent",
        "wait-for",
        "blur",
        "mask",
    )
)


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'" if '"' in text else f'"{text}"'


def _not_a_test_id(target: str) -> str:
    if _CSS_RE.search(target):
        better = "{label: …}" if _FIELD_RE.search(target) else "{role: …, name: …}"
        return (
            f"'{target}' looks like a CSS selector, not a test id; write "
            f"{{css: {_quoted(target)}}} or, better, {better}"
        )
    return (
        f"'{target}' is not a test id (test ids are letters, digits, -, _ and .); to find "
        f"the element by what it shows, write {{text: {_quoted(target)}}} or "
        f"{{role: …, name: {_quoted(target)}}}"
    )


# Keys as Playwright names them (its US keyboard layout), besides single characters.
_MODIFIERS = ("Shift", "Control", "Alt", "Meta", "ControlOrMeta")


_KEY_NAMES = """
Enter Tab Space Backspace Delete Escape Insert Home End PageUp PageDown ArrowUp ArrowDown
ArrowLeft ArrowRight CapsLock ContextMenu NumLock ScrollLock Pause PrintScreen AltGraph
NumpadEnter NumpadAdd NumpadSubtract NumpadMultiply NumpadDivide NumpadDecimal Backquote Minus
Equal Backslash BracketLeft BracketRight Semicolon Quote Comma Period Slash ShiftLeft ShiftRight
ControlLeft ControlRight AltLeft AltRight MetaLeft MetaRight
"""


_NAMED_KEYS = tuple(_KEY_NAMES.split())


_KEY_RE = re.compile(r"^(.|F([1-9]|1[0-2])|Key[A-Z]|Digit[0-9]|Numpad[0-9])$")


def _key_problem(chord: str) -> str | None:
    """What is wrong with a key or chord such as Control+B, or None."""
    parts = chord.split("+")
    if chord.endswith("+"):  # the + key itself, as in Control++
        parts = [*parts[:-2], "+"]
    *modifiers, key = parts
    for word in modifiers:
        if word not in _MODIFIERS:
            return f"unknown modifier '{word}' in '{chord}'{suggest(word, list(_MODIFIERS))}"
    if key in _MODIFIERS or key in _NAMED_KEYS or _KEY_RE.match(key):
        return None
    hint = suggest(key, [*_NAMED_KEYS, *_MODIFIERS])
    if not hint.startswith(" ("):
        hint = "; write a single character or a key name such as Enter, Tab, ArrowDown or F2"
    inside = f" in '{chord}'" if chord != key else ""
    return f"unknown key '{key}'{inside}{hint}"


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system is no schema either
        return False


def step_indexes(guide: Guide) -> dict[str, int]:
    """Each step id's place in the guide (the first step of an id, as lint's
    message about a duplicate names it): built once per guide, so that lint
    takes time in proportion to the steps, not to their square."""
    indexes: dict[str, int] = {}
    for index, step in enumerate(guide.steps):
        indexes.setdefault(step.id or f"step-{index + 1}", index)
    return indexes


def _target_texts(loc: Loc, target: Any) -> Iterator[tuple[Loc, Any, bool]]:
    if isinstance(target, dict):
        for key in ("name", "text", "label", "placeholder"):
            if key in target:
                yield (*loc, key), target[key], False


def _step_texts(loc: Loc, step: dict[str, Any]) -> Iterator[tuple[Loc, Any, bool]]:
    for key in ("text", "note", "warning"):
        if key in step:
            yield (*loc, key), step[key], True
    actions = step.get("actions")
    if not isinstance(actions, list):
        return
    for index, action in enumerate(actions):
        if not isinstance(action, dict) or len(action) != 1:
            continue
        ((name, value),) = action.items()
        where_: Loc = (*loc, "actions", index, name)
        if name in ("fill", "select", "expect-text", "select-text", "press") and isinstance(
            value, dict
        ):
            for key in ("value", "option", "text"):
                if key == "value" and isinstance(value.get(key), dict) and "env" in value[key]:
                    continue  # read from the environment, not written per language
                if key in value:
                    yield (*where_, key), value[key], False
            yield from _target_texts((*where_, "target"), value.get("target"))
        else:
            yield from _target_texts(where_, value)
