"""The platform registry: everything guidegen knows about a platform, in one place.

A platform is a look of the app a reader reads the guide for: a phone app or a
desktop browser. Its profile says how captures emulate it (a Playwright device,
or a viewport), how the runner presses (tap or click), how a native dialog is
drawn, how a step with several screens is laid out, what its tab is called and
what {tap} becomes in each language, and how the site tells a reader's device.
The order of PROFILES is the order of the site's tabs.

Everything else (the guide format's platform names, the configuration's
defaults, the reference, the site's tab script) reads this module; a project's
own labels and verbs (`[tool.guidegen.devices.NAME]`) override the defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Pointer = Literal["tap", "click"]
# How a native dialog (alert, confirm, prompt) is drawn over the page.
DialogStyle = Literal["cupertino", "material", "browser"]
# A step with several screens: side by side (phones) or one under another.
MultiScreen = Literal["side-by-side", "stacked"]


@dataclass(frozen=True)
class Profile:
    name: str
    descriptor: str | None  # Playwright's device, or None for a plain browser window
    labels: Mapping[str, str]  # the site's tab label, per language
    verbs: Mapping[str, str]  # what {tap} becomes in the guide text, per language
    pointer: Pointer
    dialog: DialogStyle
    multi_screen: MultiScreen
    # A regular expression over the reader's user agent that picks this tab on
    # a first visit; "" matches every device (the last profile's fallback).
    user_agent: str
    viewport: tuple[int, int] | None = None  # CSS pixels, when there is no descriptor
    help: Mapping[str, str] = field(default_factory=dict)  # "what differs ...", per field

    @property
    def phone(self) -> bool:
        return self.multi_screen == "side-by-side"


PROFILES: list[Profile] = [
    Profile(
        name="ios",
        descriptor="iPhone 13",
        labels={"ja": "iPhone", "en": "iPhone"},
        verbs={"ja": "タップ", "en": "tap"},
        pointer="tap",
        dialog="cupertino",
        multi_screen="side-by-side",
        user_agent="iPhone|iPad|iPod",
    ),
    Profile(
        name="android",
        descriptor="Pixel 7",
        labels={"ja": "Android", "en": "Android"},
        verbs={"ja": "タップ", "en": "tap"},
        pointer="tap",
        dialog="material",
        multi_screen="side-by-side",
        user_agent="Android",
    ),
    Profile(
        name="web",
        descriptor=None,
        labels={"ja": "パソコン", "en": "Computer"},
        verbs={"ja": "クリック", "en": "click"},
        pointer="click",
        dialog="browser",
        multi_screen="stacked",
        user_agent="",
        viewport=(1280, 800),
    ),
]


def names() -> tuple[str, ...]:
    """Every platform's name, in tab order."""
    return tuple(p.name for p in PROFILES)


def profile(name: str) -> Profile:
    for p in PROFILES:
        if p.name == name:
            return p
    raise KeyError(name)


def phones() -> frozenset[str]:
    return frozenset(p.name for p in PROFILES if p.phone)


def agents(platforms: tuple[str, ...] | list[str]) -> list[list[str]]:
    """[pattern, platform] for the site's tab script: the platforms with a
    pattern first, then the one that matches every device (the last one given
    when none has an empty pattern)."""
    chosen = [profile(p) for p in platforms]
    specific = [[p.user_agent, p.name] for p in chosen if p.user_agent]
    fallback = [p.name for p in chosen if not p.user_agent] or [chosen[-1].name]
    return [*specific, ["", fallback[0]]]
