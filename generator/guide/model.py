"""The guide model: plain, typed, immutable data. No I/O here.

The JSON Schema in ``generator/schema/guide.schema.json`` is generated from
these classes, so every field's description is also the editors' reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

from .. import platforms
from .actions import Action, RedactItem, Target
from .types import PLATFORMS, ColorScheme, Id, Localized, Platform, Strict

"""A value that is the same in every language (a plain string) or localized."""


"""The keys that say what kind of target a mapping is."""


"""Text to type: the same in every language, localized, or {env: NAME}."""


class CropArea(Strict):
    """Crop a step's picture to one element's area, or keep the automatic crop with
    another padding."""

    element: Target | None = Field(
        default=None,
        description=(
            "Show this element (a container such as a form or a list) and the step's "
            "marks, instead of the automatic area."
        ),
    )
    padding: int | None = Field(
        default=None,
        ge=0,
        le=400,
        description="Space kept around what is shown, in CSS pixels; default 16.",
    )


Crop = Annotated[
    Literal["auto", "full"] | CropArea,
    Field(
        description=(
            "What a step's picture shows: auto (default: the marked elements with their "
            "containers and a nearby title or tab bar), full (the whole screen), or "
            "{element: TARGET} and/or {padding: N}."
        )
    ),
]


class Override(Strict):
    """Per-platform replacement of a step's text, actions, note or warning."""

    text: Localized | None = Field(default=None, description="Replaces the step's text.")
    actions: tuple[Action, ...] | None = Field(
        default=None, description="Replaces all of the step's actions."
    )
    note: Localized | None = Field(default=None, description="Replaces the step's note.")
    warning: Localized | None = Field(default=None, description="Replaces the step's warning.")
    crop: Crop | None = Field(default=None, description="Replaces the step's crop.")


class Step(Strict):
    """One numbered step: what the reader reads and what the browser does."""

    id: Id | None = Field(
        default=None, description="Stable name for the step's image; default step-N."
    )
    text: Localized = Field(
        description=(
            "What the reader does. Circled numbers ①②… refer to the marked actions "
            "in order; {tap} becomes タップ/tap on phones and クリック/click on the web."
        )
    )
    actions: tuple[Action, ...] = Field(
        default=(),
        description=(
            "What the browser does, in order. tap, click, fill, select and highlight "
            "put the next circled number on their element."
        ),
    )
    note: Localized | None = Field(default=None, description="Shown as a note below the step.")
    warning: Localized | None = Field(default=None, description="Shown as a warning.")
    crop: Crop | None = Field(
        default=None, description="What this step's picture shows; default: the guide's crop."
    )
    only: tuple[Platform, ...] | None = Field(
        default=None, description="Show and run this step only on these platforms."
    )
    ios: Override | None = Field(default=None, description="What differs in the iPhone app.")
    android: Override | None = Field(default=None, description="What differs in the Android app.")
    web: Override | None = Field(default=None, description="What differs on a computer.")


class Fact(Strict):
    """A policy fact the guide rests on, shown with its source."""

    text: Localized = Field(description="The fact, as the reader should know it.")
    source: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] = Field(
        description=(
            "The web page that states the fact. A page readers cannot open (a host "
            "under .example, .test, .invalid, .localhost, .local or .internal) is "
            "shown as text, not as a link."
        )
    )
    checked: dt.date = Field(description="When a person last checked the source (YYYY-MM-DD).")


class SharedFact(Fact):
    """A fact stated once in the project's facts file and shown wherever it is named."""

    id: Id = Field(description="The name guides and pages use for the fact, e.g. two-week-rule.")
    recheck: dt.date | None = Field(
        default=None,
        description=(
            "When to read the source again (YYYY-MM-DD); `guidegen lint` warns from "
            "that day on. Default: a year after 'checked'."
        ),
    )


class FactsFile(Strict):
    """The project's facts file: every shared fact, once."""

    facts: tuple[SharedFact, ...] = Field(description="The facts, each with a unique id.")


def _fact_kind(value: object) -> str:
    return "inline" if isinstance(value, dict | Fact) else "id"


FactItem = Annotated[
    Annotated[Id, Tag("id")] | Annotated[Fact, Tag("inline")],
    Discriminator(_fact_kind),
    Field(
        description=(
            "The id of a fact in the facts file (preferred: one text everywhere), "
            "or a fact written out for this guide only."
        )
    ),
]


class CompareSettings(Strict):
    """How different a recaptured image may be before it counts as changed."""

    threshold: int | None = Field(
        default=None, ge=0, le=255, description="Largest per-channel colour difference ignored."
    )
    budget: int | None = Field(
        default=None, ge=0, description="How many pixels may differ beyond the threshold."
    )


class Guide(Strict):
    """One how-to guide: one file in steps/."""

    id: Id = Field(
        description="Equals the file name without .yml (and without the _ of a setup guide)."
    )
    title: Localized = Field(description="The task, as the reader would say it.")
    summary: Localized = Field(description="One or two sentences shown under the title.")
    scenario: Id | None = Field(
        default=None, description="The app state (fixture) the run starts from."
    )
    setup: Id | None = Field(
        default=None,
        description=(
            "A hidden setup guide (steps/_NAME.yml, e.g. sign-in) run once per platform and "
            "language before this one; its cookies and storage are reused, its steps unseen."
        ),
    )
    platforms: tuple[Platform, ...] = Field(
        default=PLATFORMS,
        description=f"Where the guide applies: {', '.join(platforms.names())}.",
    )
    color_schemes: tuple[ColorScheme, ...] | None = Field(
        default=None,
        description="Capture only these colour schemes (light, dark) of those the project "
        "captures; default: all of them.",
    )
    related: tuple[Id, ...] = Field(default=(), description="Ids of guides to link to.")
    prerequisites: tuple[Localized, ...] = Field(
        default=(), description="What the reader needs before starting."
    )
    facts: tuple[FactItem, ...] = Field(
        default=(),
        description=(
            "Policy facts the guide rests on: ids of facts in the facts file, "
            "or facts written out with their source."
        ),
    )
    redact: tuple[RedactItem, ...] = Field(
        default=(),
        description="Elements hidden in every image of the guide: each target is covered "
        "by a solid box, or blurred when written {blur: target}. The run fails if one "
        "is on none of the guide's screens.",
    )
    compare: CompareSettings | None = Field(
        default=None, description="This guide's own screenshot comparison tolerance."
    )
    crop: Crop = Field(default="auto", description="What every step's picture shows.")
    steps: tuple[Step, ...] = Field(min_length=1, description="The steps, in reading order.")


@dataclass(frozen=True)
class PlatformStep:
    """A step as it runs and reads on one platform, overrides applied.

    A plain dataclass, not a model: it is made from a guide already checked,
    for every step, platform and caller, and validating it again took lint
    longer than all of its checks."""

    id: str
    number: int
    text: Localized
    actions: tuple[Action, ...]
    note: Localized | None
    warning: Localized | None
    crop: Crop = "auto"


def steps_for(guide: Guide, platform: Platform) -> tuple[PlatformStep, ...]:
    """The guide's steps on one platform, in reading order, numbered from 1."""
    result: list[PlatformStep] = []
    for index, step in enumerate(guide.steps, start=1):
        if step.only is not None and platform not in step.only:
            continue
        # A platform without a field of its own in a step has no overrides.
        override = getattr(step, platform, None)
        text, actions, note, warning = step.text, step.actions, step.note, step.warning
        crop = step.crop or guide.crop
        if override is not None:
            crop = override.crop or crop
            text = override.text or text
            actions = override.actions if override.actions is not None else actions
            note = override.note or note
            warning = override.warning or warning
        result.append(
            PlatformStep(
                id=step.id or f"step-{index}",
                number=len(result) + 1,
                text=text,
                actions=actions,
                note=note,
                warning=warning,
                crop=crop,
            )
        )
    return tuple(result)
