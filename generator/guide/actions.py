"""The actions of a step and their targets: a closed union, one model per action, told
apart by its key."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    BaseModel,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

from .types import Localized, Strict, Text, _text_kind


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
