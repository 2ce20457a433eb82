"""The guide model: plain, typed, immutable data. No I/O here.

The JSON Schema in ``generator/schema/guide.schema.json`` is generated from
these classes, so every field's description is also the editors' reference.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    RootModel,
    StringConstraints,
    Tag,
    WithJsonSchema,
)

from .. import platforms

UNKNOWN_PLATFORM = "unknown platform"


def _known_platform(name: str) -> str:
    # Read at validation time, so a platform registered later is known too.
    if name not in platforms.names():
        raise ValueError(UNKNOWN_PLATFORM)
    return name


# A platform's name, as the registry (generator/platforms.py) has it.
Platform = Annotated[
    str,
    AfterValidator(_known_platform),
    WithJsonSchema({"enum": list(platforms.names()), "type": "string"}),
]
PLATFORMS: tuple[Platform, ...] = platforms.names()
ColorScheme = Literal["light", "dark"]
SCHEMES: tuple[ColorScheme, ...] = ("light", "dark")

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=64)]
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_RE = re.compile(f"[{CIRCLED}]")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Localized(RootModel[dict[LangCode, Annotated[str, StringConstraints(min_length=1)]]]):
    """Text in every language the site declares, keyed by language code."""

    model_config = ConfigDict(frozen=True)

    def get(self, lang: str) -> str:
        return self.root[lang]


def _text_kind(value: object) -> str:
    return "plain" if isinstance(value, str) else "localized"


Text = Annotated[
    Annotated[str, Tag("plain")] | Annotated[Localized, Tag("localized")],
    Discriminator(_text_kind),
]
"""A value that is the same in every language (a plain string) or localized."""


def text_in(value: Text, lang: str) -> str:
    return value if isinstance(value, str) else value.get(lang)


class RoleTarget(Strict):
    """An element found by its accessible role and name, as a screen reader would."""

    role: str = Field(description="ARIA role, e.g. button, link, tab, textbox.")
    name: Text = Field(description="Accessible name; localized when the UI is.")
    exact: bool = Field(default=False, description="Match the whole name, not a part.")


class TextTarget(Strict):
    """An element found by the text it shows."""

    text: Text = Field(description="Visible text; localized when the UI is.")
    exact: bool = Field(default=False, description="Match the whole text, not a part.")


class TestIdTarget(Strict):
    """An element found by its test id (data-testid)."""

    testid: str = Field(min_length=1, description="The element's data-testid.")


class LabelTarget(Strict):
    """A form field found by its label: the text of its <label>, or its aria-label or
    aria-labelledby (which also names a content-editable editor)."""

    label: Text = Field(description="The field's label; localized when the UI is.")
    exact: bool = Field(default=False, description="Match the whole label, not a part.")


class PlaceholderTarget(Strict):
    """A field found by the hint it shows while it is empty (its placeholder)."""

    placeholder: Text = Field(description="The field's placeholder; localized when the UI is.")
    exact: bool = Field(default=False, description="Match the whole placeholder, not a part.")


class CssTarget(Strict):
    """An element found by a CSS selector: the last resort, for elements with no test id,
    role and name, label, placeholder or text to find them by."""

    css: str = Field(min_length=1, description="A CSS selector, e.g. #searchbar.")


_TARGET_TAGS: dict[type, str] = {
    str: "testid-string",
    TestIdTarget: "testid",
    RoleTarget: "role",
    TextTarget: "text",
    LabelTarget: "label",
    PlaceholderTarget: "placeholder",
    CssTarget: "css",
}
TARGET_KEYS = ("testid", "role", "label", "placeholder", "text", "css")
"""The keys that say what kind of target a mapping is."""


def _target_kind(value: object) -> str | None:
    if isinstance(value, str | BaseModel):
        return _TARGET_TAGS.get(type(value))
    if isinstance(value, dict):
        for key in TARGET_KEYS:
            if key in value:
                return key
    return None


Target = Annotated[
    Annotated[str, Tag("testid-string"), StringConstraints(min_length=1)]
    | Annotated[TestIdTarget, Tag("testid")]
    | Annotated[RoleTarget, Tag("role")]
    | Annotated[TextTarget, Tag("text")]
    | Annotated[LabelTarget, Tag("label")]
    | Annotated[PlaceholderTarget, Tag("placeholder")]
    | Annotated[CssTarget, Tag("css")],
    Discriminator(
        _target_kind,
        custom_error_type="invalid_target",
        custom_error_message=(
            "a target is a test id, or a mapping with testid, role+name, label, placeholder, "
            "text or css"
        ),
    ),
    Field(
        description=(
            "The element an action works on: a test id as a plain string, or {testid}, "
            "{role, name}, {label}, {placeholder}, {text} or {css}, in that order of preference."
        )
    ),
]


class EnvValue(Strict):
    """A value read from an environment variable when the guide runs (a password,
    say): never written into the guide, images, pages, traces or logs."""

    env: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")] = Field(
        description="The environment variable's name, e.g. LIBRARY_PASSWORD."
    )


def _value_kind(value: object) -> str:
    if isinstance(value, EnvValue) or (isinstance(value, dict) and "env" in value):
        return "env"
    return _text_kind(value)


FillValue = Annotated[
    Annotated[str, Tag("plain")]
    | Annotated[Localized, Tag("localized")]
    | Annotated[EnvValue, Tag("env")],
    Discriminator(_value_kind),
]
"""Text to type: the same in every language, localized, or {env: NAME}."""


class FillArgs(Strict):
    target: Target
    value: FillValue = Field(
        description="What to type into the field; {env: NAME} reads an environment variable."
    )


class SelectArgs(Strict):
    target: Target
    option: Text = Field(description="The label of the option to choose.")


class ExpectTextArgs(Strict):
    target: Target
    text: Text = Field(description="Text the element must contain.")


class PressArgs(Strict):
    key: str = Field(
        min_length=1,
        description="A key or chord as Playwright names it: Enter, Control+B, Shift+ArrowLeft.",
    )
    target: Target | None = Field(
        default=None, description="The element to focus first; default: the focused one."
    )


def _press_kind(value: object) -> str:
    return "key" if isinstance(value, str) else "args"


class SelectTextArgs(Strict):
    target: Target
    text: Text | None = Field(
        default=None,
        description="The words to select (their first occurrence); default: all the text.",
    )


class Tap(Strict):
    """Tap (phones) or click (web) an element. Marked with the next circled number."""

    tap: Target


class Click(Strict):
    """Same as tap; reads better in web-only guides. Marked."""

    click: Target


class Fill(Strict):
    """Type text into a field. Marked."""

    fill: FillArgs


class Select(Strict):
    """Choose an option of a select box. Marked."""

    select: SelectArgs


class Highlight(Strict):
    """Put the next circled number on an element without acting on it. Marked."""

    highlight: Target


class ScrollTo(Strict):
    """Scroll until the element is in view. Not marked."""

    scroll_to: Target = Field(alias="scroll-to")


# A path of the app: from its root ("/orders", "/#/orders") or a query or
# fragment of the start page. Never another address: a scheme (http:, file:,
# javascript:, data:), "//host" or a backslash, which browsers read as "/".
GOTO_PATTERN = r"^(/([^/\\][^\\]*)?|[?#][^\\]*)$"


class Goto(Strict):
    """Open a path of the app (relative to its base URL). Not marked."""

    goto: str = Field(
        min_length=1,
        pattern=GOTO_PATTERN,
        description="The path to open, from the app's root, e.g. /orders; never a URL.",
    )


class ExpectVisible(Strict):
    """Fail the guide unless the element is visible. Not marked."""

    expect_visible: Target = Field(alias="expect-visible")


class ExpectAbsent(Strict):
    """Fail the guide if the element is visible. Not marked."""

    expect_absent: Target = Field(alias="expect-absent")


class ExpectText(Strict):
    """Fail the guide unless the element contains the text. Not marked."""

    expect_text: ExpectTextArgs = Field(alias="expect-text")


class WaitFor(Strict):
    """Wait until the element is visible. Not marked."""

    wait_for: Target = Field(alias="wait-for")


class Blur(Strict):
    """Blur the element beyond recognition in this and every later image of the guide
    (personal data, where a blurred shape reads better than a box). The run fails
    if the element is not there."""

    blur: Target


class Mask(Strict):
    """Cover the element with a solid box in this and every later image of the guide.
    The run fails if the element is not there."""

    mask: Target


def _redact_kind(value: object) -> str | None:
    if isinstance(value, Blur) or (isinstance(value, dict) and set(value) == {"blur"}):
        return "blur"
    return _target_kind(value)


RedactItem = Annotated[
    Annotated[str, Tag("testid-string"), StringConstraints(min_length=1)]
    | Annotated[TestIdTarget, Tag("testid")]
    | Annotated[RoleTarget, Tag("role")]
    | Annotated[TextTarget, Tag("text")]
    | Annotated[LabelTarget, Tag("label")]
    | Annotated[PlaceholderTarget, Tag("placeholder")]
    | Annotated[CssTarget, Tag("css")]
    | Annotated[Blur, Tag("blur")],
    Discriminator(
        _redact_kind,
        custom_error_type="invalid_target",
        custom_error_message="a redaction is a target (covered by a solid box) or {blur: target}",
    ),
    Field(
        description=(
            "An element hidden in every picture: a target is covered by a solid box; "
            "{blur: target} blurs it instead."
        )
    ),
]


class Press(Strict):
    """Press a key or chord, as a reader would on a keyboard: Enter, Control+B. Not marked."""

    press: Annotated[
        Annotated[str, Tag("key"), StringConstraints(min_length=1)]
        | Annotated[PressArgs, Tag("args")],
        Discriminator(_press_kind),
    ] = Field(description="A key or chord (pressed where the focus is), or {key, target}.")


class SelectText(Strict):
    """Select text in a field or an editor, as a reader would by dragging over it (an
    editor then shows its toolbar). Not marked."""

    select_text: SelectTextArgs = Field(
        alias="select-text", description="The element, and the words in it to select."
    )


class DialogArgs(Strict):
    message: Text | None = Field(
        default=None, description="Text the dialog's message must contain; the run fails if not."
    )
    prompt: Text | None = Field(default=None, description="What to type into a prompt() dialog.")


class AcceptDialog(Strict):
    """Press OK in the native dialog (alert, confirm, prompt) the previous action opened.
    The step's image shows the dialog, drawn in the platform's style. Marked."""

    accept_dialog: DialogArgs | None = Field(alias="accept-dialog")


class DismissDialog(Strict):
    """Press Cancel in the native dialog the previous action opened; drawn and marked
    like accept-dialog."""

    dismiss_dialog: DialogArgs | None = Field(alias="dismiss-dialog")


ACTION_TYPES: dict[str, type[Strict]] = {
    "tap": Tap,
    "click": Click,
    "fill": Fill,
    "select": Select,
    "highlight": Highlight,
    "scroll-to": ScrollTo,
    "goto": Goto,
    "expect-visible": ExpectVisible,
    "expect-absent": ExpectAbsent,
    "expect-text": ExpectText,
    "wait-for": WaitFor,
    "blur": Blur,
    "mask": Mask,
    "accept-dialog": AcceptDialog,
    "dismiss-dialog": DismissDialog,
    "press": Press,
    "select-text": SelectText,
}


def _action_kind(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return action_name(value)
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in ACTION_TYPES else None
    return None


Action = Annotated[
    Annotated[Tap, Tag("tap")]
    | Annotated[Click, Tag("click")]
    | Annotated[Fill, Tag("fill")]
    | Annotated[Select, Tag("select")]
    | Annotated[Highlight, Tag("highlight")]
    | Annotated[ScrollTo, Tag("scroll-to")]
    | Annotated[Goto, Tag("goto")]
    | Annotated[ExpectVisible, Tag("expect-visible")]
    | Annotated[ExpectAbsent, Tag("expect-absent")]
    | Annotated[ExpectText, Tag("expect-text")]
    | Annotated[WaitFor, Tag("wait-for")]
    | Annotated[Blur, Tag("blur")]
    | Annotated[Mask, Tag("mask")]
    | Annotated[AcceptDialog, Tag("accept-dialog")]
    | Annotated[DismissDialog, Tag("dismiss-dialog")]
    | Annotated[Press, Tag("press")]
    | Annotated[SelectText, Tag("select-text")],
    Discriminator(
        _action_kind,
        custom_error_type="invalid_action",
        custom_error_message="an action is a mapping with exactly one known key",
    ),
]

MARKED_ACTIONS = (Tap, Click, Fill, Select, Highlight, AcceptDialog, DismissDialog)
DIALOG_ACTIONS = (AcceptDialog, DismissDialog)


def action_name(action: BaseModel) -> str:
    """The YAML key of an action, e.g. 'tap' or 'expect-visible'."""
    (field_name,) = type(action).model_fields
    return field_name.replace("_", "-")


def action_target(action: Action) -> Target | None:
    value = getattr(action, next(iter(type(action).model_fields)))
    if isinstance(value, FillArgs | SelectArgs | ExpectTextArgs | PressArgs | SelectTextArgs):
        return value.target
    if isinstance(action, Press):
        return None
    if isinstance(action, Goto | AcceptDialog | DismissDialog):
        return None
    return value


def is_marked(action: Action) -> bool:
    return isinstance(action, MARKED_ACTIONS)


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
