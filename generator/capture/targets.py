"""What a step's target and action are called in a failure, and the errors of
a run: the names a missing target could have meant, its kind and name, the
boxes of what it covers."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from ..guide.actions import (
    DIALOG_ACTIONS,
    Blur,
    CssTarget,
    ExpectAbsent,
    Goto,
    LabelTarget,
    Mask,
    PlaceholderTarget,
    Press,
    RoleTarget,
    Target,
    TestIdTarget,
    TextTarget,
    action_name,
    action_target,
)
from ..guide.types import text_in
from .frames import Box, Failure


class GuideFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.line())
        self.failure = failure


class _ActionFailed(Exception):
    pass


class _SecretShown(_ActionFailed):
    """A secret's value is on the screen outside a masked element."""


@dataclass
class _Hidden:
    """A redaction of the run: what it hides, how, and whether it has matched yet."""

    style: str  # "mask" or "blur"
    target: Target
    seen: bool = False


class _Missing(_ActionFailed):
    """The target, or the text it should show, is not on the settled screen: the app and
    the guide have drifted apart."""


class _StepFailed(Exception):
    def __init__(self, action: str, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.action = action
        self.reason = reason
        self.missing = missing


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def describe_target(target: Target, lang: str) -> str:
    if isinstance(target, str):
        return f"test id '{target}'"
    if isinstance(target, TestIdTarget):
        return f"test id '{target.testid}'"
    if isinstance(target, RoleTarget):
        return f"role {target.role} named '{text_in(target.name, lang)}'"
    if isinstance(target, LabelTarget):
        return f"label '{text_in(target.label, lang)}'"
    if isinstance(target, PlaceholderTarget):
        return f"placeholder '{text_in(target.placeholder, lang)}'"
    if isinstance(target, CssTarget):
        return f"CSS selector '{target.css}'"
    return f"text '{text_in(target.text, lang)}'"


def describe_action(action: Any, lang: str) -> str:
    target = action_target(action)
    if isinstance(action, DIALOG_ACTIONS):
        return action_name(action)
    if isinstance(action, Press):
        key = action.press if isinstance(action.press, str) else action.press.key
        on = f" in {describe_target(target, lang)}" if target is not None else ""
        return f"press '{key}'{on}"
    if target is None:
        return f"{action_name(action)} '{action.goto}'"
    if isinstance(target, str):
        return f"{action_name(action)} '{target}'"
    return f"{action_name(action)} {describe_target(target, lang)}"


_ARIA_ITEM = re.compile(r'^([a-z]+) "((?:[^"\\]|\\.)*)"')


def _aria_names(node: Any, found: list[tuple[str, str]]) -> None:
    """Collect (role, name) from a parsed ARIA snapshot: items such as 'button "Save"',
    as strings or as keys of their children."""
    if isinstance(node, list):
        for item in node:
            _aria_names(item, found)
    elif isinstance(node, dict):
        for key, children in node.items():
            _aria_names(str(key), found)
            _aria_names(children, found)
    elif isinstance(node, str):
        match = _ARIA_ITEM.match(node)
        if match:
            found.append((match.group(1), json.loads(f'"{match.group(2)}"')))


# How alike two names must be (difflib's ratio, case aside) to be offered, and
# how alike a field counts whose name or id says what was wanted.
NEAR = 0.5


ALIAS = 0.9

# How alike the name of an element of another role must be to be offered: a
# role changes with its name kept (a link that became a button), where a name
# only half alike (Filter and a column's 'title') hides the renamed element of
# the wanted role.
ROLE_CHANGED = 0.75


def _kind_and_name(target: Target, lang: str) -> tuple[str, str]:
    """The target's kind as a message names it, and the name it looks for."""
    if isinstance(target, str):
        return "test id", target
    if isinstance(target, TestIdTarget):
        return "test id", target.testid
    if isinstance(target, RoleTarget):
        return target.role, text_in(target.name, lang)
    if isinstance(target, LabelTarget):
        return "label", text_in(target.label, lang)
    if isinstance(target, PlaceholderTarget):
        return "placeholder", text_in(target.placeholder, lang)
    assert isinstance(target, TextTarget)
    return "text", text_in(target.text, lang)


Choice = tuple[str, str, tuple[str, ...]]


def _nearest(
    wanted: str, choices: list[Choice], cutoff: float, count: int = 3
) -> list[tuple[str, str]]:
    """Up to count (kind, name) of the choices nearest to wanted, the nearest first,
    none below cutoff. A field whose name or id is the wanted name in other words
    (Year and id_year) is near whatever its label says now."""
    key = wanted.casefold()
    words = set(_words(wanted))
    scored: dict[tuple[str, str], tuple[float, int]] = {}
    for index, (kind, name, aliases) in enumerate(choices):
        score = difflib.SequenceMatcher(None, key, name.casefold()).ratio()
        for alias in aliases:
            named = set(_words(alias)) - {"id"}
            if named and (named <= words or words <= named):
                score = max(score, ALIAS)
        if (kind, name) not in scored or score > scored[(kind, name)][0]:
            scored[(kind, name)] = (score, index)
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][1]))
    return [choice for choice, (score, _) in ranked if score >= cutoff][:count]


def _did_you_mean(near: list[tuple[str, str]]) -> str:
    """'; did you mean …?' for the nearest choices, or nothing without any."""
    if not near:
        return ""
    return "; did you mean " + " or ".join(f"{k} '{name}'" for k, name in near) + "?"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _needs_element(action: Any) -> bool:
    return not isinstance(action, Goto | ExpectAbsent | Blur | Mask)


def _box(values: list[float] | None) -> Box | None:
    if values is None or values[2] <= 0 or values[3] <= 0:
        return None
    return Box(*(round(v, 2) for v in values))


def _boxes(values: list[list[float]] | None) -> tuple[Box, ...]:
    return tuple(Box(*v) for v in values or ())


def _outside(box: Box, cover: Box) -> list[Box]:
    """The parts of box that cover leaves in sight: box itself, or up to four strips."""
    if not box.intersects(cover):
        return [box]
    parts = [
        Box(box.x, box.y, box.width, cover.y - box.y),  # above
        Box(box.x, cover.bottom, box.width, box.bottom - cover.bottom),  # below
        Box(box.x, box.y, cover.x - box.x, box.height),  # left
        Box(cover.right, box.y, box.right - cover.right, box.height),  # right
    ]
    inside = [part.clamped(box) for part in parts]
    return [part for part in inside if part.width > 0 and part.height > 0]
