"""What a failure message suggests from the page: a CSS target for each of
several elements that one target matched, and the field a label that is tied
to no field stands beside."""

from __future__ import annotations

import json

from playwright.sync_api import ElementHandle, Page
from playwright.sync_api import Error as PlaywrightError

from ..guide.actions import LabelTarget
from ..guide.types import text_in
from .page import TELL_APART_JS, UNTIED_LABEL_JS
from .targets import describe_target


def _css(selector: str) -> str:
    return f"{{css: {json.dumps(selector, ensure_ascii=False)}}}"


def apart(page: Page, handles: list[ElementHandle], *, one_whole: bool = False) -> str:
    """How a guide can name one of several matched elements: exact: true when
    only one of them has the target's words whole (Fava's Payee field, whose
    placeholder is also part of the filter's 'Filter by tag, payee, …'); a
    CSS target for each (real apps repeat a link's name, in the menu and in
    the tabs)."""
    whole = "exact: true (one of them has those words whole), " if one_whole else ""
    try:
        selectors = page.evaluate(TELL_APART_JS, handles[:4])
    except PlaywrightError:
        selectors = []
    if not selectors or None in selectors:
        return f"{whole}a test id, or role and exact name"
    more = ", …" if len(handles) > len(selectors) else ""
    return f"{whole}a test id, or the one you mean of {' or '.join(map(_css, selectors))}{more}"


def untied_label(page: Page, target: LabelTarget, lang: str) -> str | None:
    """Why a label target finds no field when the screen shows its label: the
    label is tied to none on the screen (Radicale's 'Title:' has for="displayname",
    a field of a hidden form, beside the field create_displayname); names the
    field beside it as a CSS target."""
    try:
        found = page.evaluate_handle(UNTIED_LABEL_JS, [text_in(target.label, lang), target.exact])
        field = found.get_property("field").as_element()
        if field is None:
            return None
        tied_to = found.get_property("for").json_value()
        hidden = found.get_property("hidden").json_value()
        (selector,) = page.evaluate(TELL_APART_JS, [field])
    except PlaywrightError:
        return None
    names = "a hidden element" if hidden else "no element"
    why = f'its for="{tied_to}" names {names}' if tied_to else "it has no for"
    beside = f"; target the field beside it: {_css(selector)}" if selector else ""
    described = describe_target(target, lang)
    return f"{described} is on the screen but tied to no field there ({why}){beside}"
