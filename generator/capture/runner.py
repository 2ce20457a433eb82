"""Run one guide on one platform and language in a real browser.

The runner executes a guide's actions with Playwright and returns what it saw:
for every step, the frames (raw screenshots) with the boxes of its marks and
redactions. It draws nothing and writes nothing; ``annotate`` and ``capture``
do that. ``check`` uses it with screenshots off.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ElementHandle,
    Locator,
    Page,
    Playwright,
    Request,
    expect,
)
from playwright.sync_api import Dialog as PlaywrightDialog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .. import platforms
from ..config import LOCALES, Config, ConfigError, capture_style, hide_secrets
from ..guide.model import (
    CIRCLED,
    DIALOG_ACTIONS,
    AcceptDialog,
    Blur,
    Click,
    ColorScheme,
    CropArea,
    CssTarget,
    EnvValue,
    ExpectAbsent,
    ExpectText,
    Fill,
    Goto,
    Guide,
    Highlight,
    LabelTarget,
    Mask,
    PlaceholderTarget,
    Platform,
    PlatformStep,
    Press,
    RedactItem,
    RoleTarget,
    ScrollTo,
    Select,
    SelectText,
    Tap,
    Target,
    TestIdTarget,
    TextTarget,
    action_name,
    action_target,
    is_marked,
    steps_for,
    text_in,
)
from ..jsfiles import script
from .dialogs import Dialog, dialog_for
from .dialogs import plan as dialog_plan
from .dialogs import words as dialog_words
from .frames import Box, CropRule, Failure, Frame, Mark, Redaction, Run, StepShot

JS = Path(__file__).parent / "js"

# The screen a failure happened on is named by the nearest [data-screen]
# attribute when the app has one, else by the page title.
SCREEN_JS = script(JS, "screen.js")

# Whether an element is what the reader sees at its place: null when it (or a
# part of it) is the topmost element at the centre of its part on the screen,
# or when it is gone from the page (a re-rendered screen gives no evidence);
# "hidden" or "off the screen"; else the name of the element on top of it (the
# outermost one that does not hold it: the flyout, not a word inside it). An
# ancestor on top means the element lets the pointer through, and a field's
# own label over it is part of it: it is seen.

# What tells one screen from another besides its address: its name, and the
# overlays open on it (dialogs, menus, listboxes, popovers) by name; with
# whether each of the marks taken on it is still the topmost at its centre.
STATE_JS = script(JS, "state.js")

# Whether revealing the element will scroll the page (REVEAL_JS's conditions).
SCROLLS_JS = script(JS, "scrolls.js")


# Scrolled as the browser's "scroll into view if needed" does, on each axis: not
# at all when the element is in view, to the nearest edge when it is partly in
# view, to the middle when it is out of view. In one call, since a reveal comes
# before every mark. In view is not enough: a fixed bar (a phone's tab bar) can
# cover an element that the viewport contains; then it goes to the middle.
# Says whether it scrolled.
REVEAL_JS = script(JS, "reveal.js")

# The project's capture stylesheet, added to every document before its scripts
# run and after its own stylesheets in the cascade (an adopted style sheet).
CAPTURE_STYLE_JS = script(JS, "capture_style.js")

# One look at whether the page has settled, for at most `frames` animation
# frames: fonts loaded, the app's ready selector (if any) there, and the layout
# still, i.e. two animation frames in a row with the same scroll position,
# document size and box of every element. Running animations and transitions
# are finished at each frame (endless ones cancelled), so the picture and the
# boxes show where they end, never a frame midway.
#
# Once per document, after it has loaded, the page's fonts are looked up again
# (adding a font face to document.fonts makes every text look its font up
# anew). Chromium on Linux lays text out with or without subpixel positioning,
# a setting of the whole renderer process, and a new renderer can lay out its
# first document before the setting has its final value. Blink moves a pixel
# of a font's ascent to its descent when subpixel positioning is on and the
# descent rounds down, so a line of text with such a font sat a pixel higher
# in some runs than in others (the Django admin's change list at device
# scale 2 and 3: element boxes a whole CSS pixel apart, one of two layouts per
# run). Looked up again after the load, every run gets the final setting.
SETTLE_JS = script(JS, "settle.js")

# A look at the page (SETTLE_JS) lasts at most this many animation frames, so
# that the network and the time left are seen to between looks.
SETTLE_FRAMES = 30
# A page that keeps moving (an animation the app drives from a script) is
# photographed as it is after this long; `capture_css` can stop it.
STILL_LIMIT_S = 2.0


class _Network:
    """The page's requests in flight, for waiting until the network is quiet.
    A request open longer than the action timeout (a long poll) is no longer
    waited for; an event stream is open by design."""

    def __init__(self, page: Page, timeout_s: float) -> None:
        self.open: dict[Request, float] = {}
        self.events = 0
        self.timeout_s = timeout_s
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        if request.resource_type != "eventsource":
            self.open[request] = time.monotonic()
            self.events += 1

    def _ended(self, request: Request) -> None:
        if self.open.pop(request, None) is not None:
            self.events += 1

    def busy(self) -> bool:
        oldest = time.monotonic() - self.timeout_s
        return any(started > oldest for started in self.open.values())


# Everything a picture needs from the page at a screenshot, in one call: the
# box of each mark (tightened to what it shows when the element paints no box
# of its own), each mark's and redaction's container, the lines of text on the
# screen (DOM Range rects), the screen's bars, and the controls, pictures and
# painted boxes (cards, buttons) a crop must not cut through. Generic HTML and
# ARIA only: no app's names. The lists are bounded and sorted, so that the same
# screen gives the same data.
MEASURE_JS = script(JS, "measure.js")

# Where the value of a secret shows on the screen outside the masked elements:
# the text of the page (a secret split over inline elements is found too), the
# values and placeholders of its fields (not a password field's, which shows
# dots) and the chosen options of its select boxes. Returns [index of the
# secret, the element it shows in], or null.
SECRETS_JS = script(JS, "secrets.js")

# A page load waits on the server and a cold browser, not on the app's UI, so
# it gets more time than finding an element.
NAVIGATION_TIMEOUT_MS = 30_000
# The colour of a mask, as annotate draws it.
MASK_COLOR = "#5a5a5a"


@dataclass(frozen=True)
class Where:
    """A screen as the runner tells screens apart, and what covers the marks on it."""

    url: str
    screen: str
    overlays: tuple[str, ...]
    covered: tuple[str | None, ...]

    def same_screen(self, other: Where) -> bool:
        return (self.url, self.screen, self.overlays) == (other.url, other.screen, other.overlays)


# A missing target is looked for in windows of a tenth of the action timeout
# (at least half a second). When a window ends with the page loaded, no request
# in flight and nothing in its document changed, nothing more is coming: the
# target is reported missing then, not after the whole timeout (drift is
# reported in a second or two). A page that keeps changing gets the timeout.
QUIET_WINDOWS = 10
QUIET_MIN_MS = 500

# Watches the document for any change since the last call; "still" says whether
# the page has loaded and nothing changed since then. A new document has no
# watch yet, so it never counts as still before a window has passed on it.
WATCH_JS = script(JS, "watch.js")

# The names a missing target could have meant, of its kind, among the visible
# elements: test ids, labels of fields (as Playwright's get_by_label reads them:
# aria-labelledby, aria-label, then <label>), placeholders, or texts; each with
# the other names a field goes by, its name and id, which usually outlive a
# renamed label (Django's id_title). Bounded.
CANDIDATES_JS = script(JS, "candidates.js")

# Selects the first occurrence of the words (or all the text) in a field or
# in an element's text, as dragging over it would, and focuses the editor that
# holds it so that its toolbar shows. Returns whether the words were found.
SELECT_JS = script(JS, "select.js")


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
    """The target is not on the settled screen: the app and the guide have drifted apart."""


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


def context_options(
    config: Config,
    playwright: Playwright,
    platform: Platform,
    lang: str,
    scheme: ColorScheme = "light",
) -> dict[str, Any]:
    device = config.devices[platform]
    if device.descriptor:
        if device.descriptor not in playwright.devices:
            raise ConfigError(
                f"[tool.guidegen.devices.{platform}] descriptor: '{device.descriptor}' is not a "
                "Playwright device; use a name such as 'iPhone 13' or 'Pixel 7'"
            )
        options = dict(playwright.devices[device.descriptor])
        options.pop("default_browser_type", None)
    else:
        width, height = device.viewport or (1280, 800)
        options = {"viewport": {"width": width, "height": height}, "device_scale_factor": 1}
    if device.scale is not None:
        options["device_scale_factor"] = device.scale
    return {
        **options,
        "locale": LOCALES.get(lang, lang),
        "timezone_id": config.timezone,
        "reduced_motion": "reduce",
        "color_scheme": scheme,
        "service_workers": "block",
    }


class _Session:
    """The state of one guide run: its page, where it is, what it must redact."""

    def __init__(
        self, page: Page, config: Config, base_url: str, platform: Platform, lang: str, shoot: bool
    ) -> None:
        self.page = page
        self.config = config
        self.base_url = base_url
        self.platform = platform
        self.lang = lang
        self.shoot = shoot
        self.redact: list[_Hidden] = []
        # The secrets a guide may type, by name; their values must show in no picture.
        self.secrets = config.secret_values()
        self.leaked = False
        # The dialog action that follows the action being performed, if any: a
        # dialog blocks the page until it is answered, so it is answered at once.
        self.dialog_plan: AcceptDialog | Any | None = None
        self.dialog: Dialog | None = None
        self.unexpected: str | None = None
        page.on("dialog", self._on_dialog)
        self.network = _Network(page, config.timeout_ms / 1000)
        self.still = True  # whether the page kept still when it last settled

    def _on_dialog(self, dialog: PlaywrightDialog) -> None:
        planned, self.dialog_plan = self.dialog_plan, None
        if planned is None:
            self.unexpected = f"{dialog.type} dialog '{dialog.message}'"
            dialog.dismiss()
            return
        accept = isinstance(planned, AcceptDialog)
        args = getattr(planned, next(iter(type(planned).model_fields)))
        prompt = None
        if dialog.type == "prompt" and args is not None and args.prompt is not None:
            prompt = text_in(args.prompt, self.lang)
        self.dialog = dialog_for(dialog.type, dialog.message, self.lang, accept, prompt)
        if not accept:
            dialog.dismiss()
        elif prompt is not None:
            dialog.accept(prompt)
        else:
            dialog.accept()

    def no_unexpected_dialog(self) -> None:
        if self.unexpected is not None:
            shown, self.unexpected = self.unexpected, None
            raise _ActionFailed(
                f"unexpected {shown} opened by this action; answer it with accept-dialog "
                "or dismiss-dialog as the next action"
            )

    def fill_value(self, value: Any) -> str:
        if isinstance(value, EnvValue):
            if value.env not in self.config.secrets:
                raise _ActionFailed(
                    f'environment variable {value.env} is not a declared secret; add "{value.env}"'
                    " to [tool.guidegen] secrets"
                )
            if value.env not in os.environ:
                raise _ActionFailed(
                    f"environment variable {value.env} is not set; set it where guidegen runs"
                )
            return os.environ[value.env]
        return text_in(value, self.lang)

    def locate(self, target: Target, *, visible: bool = True) -> Locator:
        page = self.page
        if isinstance(target, str):
            found = page.get_by_test_id(target)
        elif isinstance(target, TestIdTarget):
            found = page.get_by_test_id(target.testid)
        elif isinstance(target, RoleTarget):
            found = page.get_by_role(
                target.role,  # type: ignore[arg-type]
                name=text_in(target.name, self.lang),
                exact=target.exact,
            )
        elif isinstance(target, LabelTarget):
            found = page.get_by_label(text_in(target.label, self.lang), exact=target.exact)
        elif isinstance(target, PlaceholderTarget):
            found = page.get_by_placeholder(
                text_in(target.placeholder, self.lang), exact=target.exact
            )
        elif isinstance(target, CssTarget):
            found = page.locator(target.css)
        else:
            assert isinstance(target, TextTarget)
            found = page.get_by_text(text_in(target.text, self.lang), exact=target.exact)
        return found.filter(visible=True) if visible else found

    def appears(self, found: Locator) -> bool:
        """Whether the element shows up: at once, or before the page is still without it
        (see QUIET_WINDOWS), or at the latest when the action timeout ends."""
        timeout = self.config.timeout_ms
        window = max(timeout // QUIET_WINDOWS, QUIET_MIN_MS)
        deadline = time.monotonic() + timeout / 1000
        while True:
            self._watch(reset=True)
            left = int((deadline - time.monotonic()) * 1000)
            try:
                found.first.wait_for(state="visible", timeout=max(1, min(window, left)))
                return True
            except PlaywrightTimeout:
                if time.monotonic() >= deadline or (not self.network.busy() and self._watch()):
                    return False

    def _watch(self, reset: bool = False) -> bool:
        try:
            return bool(self.page.evaluate(WATCH_JS, reset))
        except PlaywrightError:  # a document going away in a navigation is not still
            return False

    def one(self, target: Target) -> Locator:
        """The single visible element the target names, waiting for it to appear."""
        found = self.locate(target)
        if not self.appears(found):
            if self.locate(target, visible=False).count():
                raise _Missing(
                    f"{describe_target(target, self.lang)} is on the page but hidden; show it "
                    "first (the action that opens it), or target the element that is shown"
                )
            raise _Missing(
                f"no element with {describe_target(target, self.lang)}{self.nearest(target)}"
            )
        count = found.count()
        if count > 1:
            raise _ActionFailed(
                f"{count} elements match {describe_target(target, self.lang)}; "
                "make the target specific (a test id, or role and exact name)"
            )
        return found

    def nearest(self, target: Target) -> str:
        """'; did you mean …?' naming what the screen has instead: elements of the
        target's kind with a near name; else elements of any role with a near
        accessible name (a link that became a button, a field labelled by a
        picture); else the nearest of the target's kind, however far."""
        if isinstance(target, CssTarget):
            return ""  # a selector has no near miss to name
        kind, wanted = _kind_and_name(target, self.lang)
        try:
            named: list[Choice] = [(role, name, ()) for role, name in self._roles()]
            same: list[Choice]
            if isinstance(target, RoleTarget):
                same = [choice for choice in named if choice[0] == target.role]
            else:
                same = [
                    (kind, str(name), tuple(map(str, aliases)))
                    for name, aliases in self.page.evaluate(CANDIDATES_JS, kind)
                ]
        except (PlaywrightError, yaml.YAMLError):  # the page went away: nothing to name
            return ""
        near = _nearest(wanted, same, NEAR) or _nearest(wanted, named, NEAR)
        # Of all the texts on a screen only near ones help; of its few fields, any.
        if not near and kind != "text":
            near = _nearest(wanted, same, 0.0)
        if not near:
            return ""
        return "; did you mean " + " or ".join(f"{k} '{name}'" for k, name in near) + "?"

    def _roles(self) -> list[tuple[str, str]]:
        """(role, accessible name) of every named element on the screen, as Playwright
        computes them for get_by_role (from its ARIA snapshot of the page)."""
        snapshot = self.page.locator("body").aria_snapshot(timeout=NAVIGATION_TIMEOUT_MS)
        found: list[tuple[str, str]] = []
        _aria_names(yaml.safe_load(snapshot), found)
        return found

    def reveal(self, element: Locator) -> None:
        """Scroll the element into view, and to the middle when something covers it."""
        if element.evaluate(REVEAL_JS):
            # A scroll can load images or move a sticky bar: the page settles before
            # its boxes are measured and its picture taken.
            self.settle()

    def settle(self, timeout_ms: int | None = None) -> None:
        """Wait until the page has settled: the document loaded, the network quiet (no
        request started or ended during a look at the page), the ready selector there
        and the page still (SETTLE_JS). A condition, never a sleep: a still page costs
        one animation frame. A page that keeps moving is taken as it is after
        STILL_LIMIT_S; one that never shows the ready selector fails."""
        timeout = timeout_ms or self.config.timeout_ms
        start = time.monotonic()
        deadline = start + timeout / 1000
        look = {"ready": self.config.ready, "frames": SETTLE_FRAMES}
        while True:
            left_ms = max((deadline - time.monotonic()) * 1000, 1)
            self.page.wait_for_load_state("load", timeout=left_ms)
            seen = self.network.events
            try:
                state = self.page.evaluate(SETTLE_JS, look)
            except PlaywrightError as error:
                # The page navigated while it was looked at: look at the new one.
                if "navigat" in str(error) and time.monotonic() < deadline:
                    continue
                raise
            quiet = self.network.events == seen and not self.network.busy()
            self.still = state["still"]
            if state["ready"] and quiet and state["still"]:
                return
            now = time.monotonic()
            if state["ready"] and quiet and now - start >= STILL_LIMIT_S:
                return
            if now >= deadline:
                if not state["ready"]:
                    raise PlaywrightTimeout(
                        f"the page did not match the ready selector {self.config.ready!r} "
                        f"within {timeout} ms"
                    )
                return

    def screen(self) -> str:
        try:
            return str(self.page.evaluate(SCREEN_JS))
        except PlaywrightError:
            return self.page.url

    def where(self, marks: list[ElementHandle | None] | None = None) -> Where:
        """Where the page is: its address, its screen's name and the overlays open
        on it; and for each of marks, what covers it (None when it is seen)."""
        try:
            state = self.page.evaluate(STATE_JS, {"marks": marks or []})
        except PlaywrightError:
            # A page that went away mid-call (a navigation) is another screen.
            return Where(self.page.url, "", (), ())
        covered = tuple(str(c) if c is not None else None for c in state["covered"])
        return Where(self.page.url, str(state["screen"]), tuple(state["overlays"]), covered)

    def covered(self, marks: list[ElementHandle | None]) -> bool:
        """Whether any of marks is no longer seen at its centre (see js/on_top.js)."""
        return any(c is not None for c in self.where(marks).covered)

    def scrolls(self, element: ElementHandle | None) -> bool:
        """Whether revealing the element will scroll the page."""
        try:
            return element is not None and bool(element.evaluate(SCROLLS_JS))
        except PlaywrightError:
            return True

    def handles(self, target: Target) -> list[ElementHandle]:
        return self.locate(target).element_handles()

    def measure(
        self,
        marks: list[ElementHandle | None],
        redactions: list[ElementHandle],
        focus: ElementHandle | None,
    ) -> dict[str, Any]:
        """The page's geometry now (see MEASURE_JS), once fonts are ready."""
        arg = {"marks": marks, "redactions": redactions, "focus": focus, "details": self.shoot}
        return self.page.evaluate(MEASURE_JS, arg)

    def masks(self) -> list[Locator]:
        return [self.locate(h.target) for h in self.redact if h.style == "mask"]

    def screenshot(self) -> bytes:
        """The picture of the screen. A page that did not keep still when it last settled
        is taken again until two pictures in a row are the same (as Playwright's
        toHaveScreenshot does), for at most the action timeout; a still page is taken
        once (within a page load, two pictures of a still page are always the same)."""
        # Taking the picture waits on the machine, not on the app: it gets a page load's time.
        # Masked elements are covered in the raw frame too, so no picture on disk shows a secret.
        options: dict[str, Any] = {
            "animations": "disabled",
            "caret": "hide",
            "scale": "device",
            "timeout": NAVIGATION_TIMEOUT_MS,
            "mask": self.masks(),
            "mask_color": MASK_COLOR,
        }
        shot = self.page.screenshot(**options)
        deadline = time.monotonic() + self.config.timeout_ms / 1000
        while not self.still and time.monotonic() < deadline:
            again = self.page.screenshot(**options)
            if again == shot:
                break
            shot = again
        return shot

    def no_secret_shown(self) -> None:
        """_SecretShown when a secret's value is on the screen outside a masked element."""
        if not self.secrets:
            return
        masked = [
            handle
            for hidden in self.redact
            if hidden.style == "mask"
            for handle in self.handles(hidden.target)
        ]
        names = list(self.secrets)
        found = self.page.evaluate(
            SECRETS_JS, {"secrets": [self.secrets[n] for n in names], "masked": masked}
        )
        if found is not None:
            self.leaked = True
            raise _SecretShown(
                f"the value of secret {names[found[0]]} shows on the screen in {found[1]}, "
                "outside a masked element; mask that element (mask: its target) or keep the "
                "app from showing the value"
            )

    def failure_screenshot(self) -> bytes | None:
        """The screen as the run failed, with all the guide blurs or masks covered (no
        blur is drawn on it); none when a secret shows on it or the page cannot be read."""
        try:
            self.no_secret_shown()
            return self.page.screenshot(
                animations="disabled",
                caret="hide",
                timeout=NAVIGATION_TIMEOUT_MS,
                mask=[self.locate(hidden.target) for hidden in self.redact],
                mask_color=MASK_COLOR,
            )
        except (_ActionFailed, PlaywrightError):
            return None

    def perform(self, action: Any, element: Locator | None) -> None:
        page = self.page
        if isinstance(action, Tap | Click):
            assert element is not None
            if platforms.profile(self.platform).pointer == "click":
                element.click()
            else:
                element.tap()
            # A tap leaves the element hovered, as a click does: off the page, the
            # pointer leaves no hover colour in the picture.
            page.mouse.move(-1, -1)
        elif isinstance(action, Fill):
            assert element is not None
            element.fill(self.fill_value(action.fill.value))
        elif isinstance(action, Select):
            assert element is not None
            element.select_option(label=text_in(action.select.option, self.lang))
        elif isinstance(action, ScrollTo):
            assert element is not None
            self.reveal(element)
        elif isinstance(action, Press):
            key = action.press if isinstance(action.press, str) else action.press.key
            if element is not None:
                element.press(key)
            else:
                page.keyboard.press(key)
        elif isinstance(action, SelectText):
            assert element is not None
            words = action.select_text.text
            wanted = None if words is None else text_in(words, self.lang)
            if not element.evaluate(SELECT_JS, wanted):
                where = describe_target(action.select_text.target, self.lang)
                what = "no text" if wanted is None else f"no '{wanted}'"
                raise _ActionFailed(f"{what} to select in {where}")
        elif isinstance(action, Goto):
            page.goto(
                self.base_url.rstrip("/") + "/" + action.goto.lstrip("/"),
                timeout=NAVIGATION_TIMEOUT_MS,
            )
        elif isinstance(action, ExpectAbsent):
            target = action.expect_absent
            try:
                expect(self.locate(target)).to_have_count(0, timeout=self.config.timeout_ms)
            except AssertionError:
                raise _ActionFailed(
                    f"{describe_target(target, self.lang)} is visible but should be absent"
                ) from None
        elif isinstance(action, ExpectText):
            wanted = text_in(action.expect_text.text, self.lang)
            assert element is not None
            try:
                expect(element).to_contain_text(wanted, timeout=self.config.timeout_ms)
            except AssertionError:
                # Hidden before it is cut short: a cut secret would not be found whole.
                text = hide_secrets(element.inner_text().strip(), self.secrets.values())
                shown = text[:80]
                raise _ActionFailed(f"expected text '{wanted}', found '{shown}'") from None
        elif isinstance(action, Blur | Mask):
            style = "blur" if isinstance(action, Blur) else "mask"
            target = action.blur if isinstance(action, Blur) else action.mask
            try:
                self.locate(target).first.wait_for(state="visible", timeout=self.config.timeout_ms)
            except PlaywrightTimeout:
                raise _ActionFailed(
                    f"no element with {describe_target(target, self.lang)} to {style}, so the "
                    "pictures would show what it should hide; fix the target"
                ) from None
            self.redact.append(_Hidden(style, target, seen=True))
        # Highlight, ExpectVisible and WaitFor need nothing beyond finding the element.
        self.settle()


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
"""An element a missing target may have meant: its kind, its name, and the other names
it goes by (a field's name and id)."""


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


def dialog_frame(
    behind: Frame, dialog: Dialog, platform: str, viewport: tuple[int, int], lang: str, number: int
) -> Frame:
    """The frame of a native dialog: the screen behind it, the dialog to draw over it,
    and the pressed button marked. The page's text, controls and cards stay where the
    dialog leaves them in sight, so that the crop cuts none of them; the dialog's own
    text and buttons join them, so that the mark's badge covers no word of it."""
    layout = dialog_plan(dialog, platform, viewport, lang)
    box = Box(*layout.buttons[dialog.pressed].rect)
    # The whole drawn dialog is the button's container, so a crop keeps it whole.
    panel = Box(*layout.panel)

    def seen(boxes: tuple[Box, ...]) -> tuple[Box, ...]:
        return tuple(part for b in boxes for part in _outside(b, panel))

    field = (Box(*layout.field),) if layout.field is not None else ()
    return Frame(
        behind.png,
        (Mark(number, box, panel),),
        tuple(replace(r, box=part) for r in behind.redactions for part in _outside(r.box, panel)),
        text=seen(behind.text) + tuple(Box(*t) for t in dialog_words(layout, dialog)),
        bars=seen(behind.bars),
        elements=seen(behind.elements) + tuple(Box(*b.rect) for b in layout.buttons) + field,
        panels=(*seen(behind.panels), panel),
        controls=seen(behind.controls) + tuple(Box(*b.rect) for b in layout.buttons) + field,
        dialog=dialog,
    )


class _Marked:
    """A mark of the frame being built: its element and where it was last seen."""

    def __init__(self, number: int, handle: ElementHandle | None, label: str) -> None:
        self.number = number
        self.handle = handle
        self.label = label  # what the guide names, for messages
        self.box: Box | None = None
        self.context: Box | None = None


class _StepRun:
    """Runs a step's actions, grouping its marks into frames, one per screen."""

    def __init__(self, session: _Session, step: PlatformStep) -> None:
        self.session = session
        self.step = step
        self.frames: list[Frame] = []
        self.group: list[_Marked] = []
        self.pending: Frame | None = None
        # A fill, select or highlight leaves its screen to be shot later: the
        # next mark on the same screen is shot with it anyway, so the picture is
        # taken only before something else could change the screen.
        self.unshot = False
        self.number = 0

    def _focus(self) -> ElementHandle | None:
        crop = self.step.crop
        if not isinstance(crop, CropArea) or crop.element is None:
            return None
        found = self.session.handles(crop.element)
        return found[0] if found else None

    def _crop(self, focus: Box | None) -> CropRule:
        crop = self.step.crop
        if isinstance(crop, CropArea):
            padding = crop.padding if crop.padding is not None else CropRule.padding
            return CropRule(element=focus, padding=float(padding))
        return CropRule(full=crop == "full")

    def shoot(self) -> Frame:
        session = self.session
        redactions: list[tuple[str, ElementHandle]] = []
        for hidden in session.redact:
            found = session.handles(hidden.target) if session.shoot or not hidden.seen else []
            hidden.seen = hidden.seen or bool(found)
            redactions += [(hidden.style, h) for h in found]
        focus = self._focus() if session.shoot else None
        handles = [m.handle for m in self.group]
        try:
            seen = session.measure(handles, [h for _, h in redactions], focus)
        except PlaywrightError:
            # An earlier mark's element belonged to a page that has gone; it
            # keeps its last box, and the marks still here are measured.
            earlier: list[ElementHandle | None] = [None] * (len(handles) - 1)
            seen = session.measure(earlier + handles[-1:], [h for _, h in redactions], focus)
        # Marks taken earlier on the same screen are measured again, since a
        # later scroll may have moved them; a vanished one keeps its last box.
        for marked, found in zip(self.group, seen["marks"], strict=True):
            box = _box(found["box"]) if found else None
            if box is not None:
                marked.box, marked.context = box, _box(found["context"])
            # A mark is drawn where its element is: on a screen where another covers
            # it, the picture would point at the wrong thing.
            if box is not None and found["covered"] is not None:
                what = found["covered"]
                if what in ("hidden", "off the screen"):
                    place, fix = f"is {what}", "mark it on a screen that shows it"
                else:
                    place = f"is covered by {what} at its centre"
                    fix = "close what covers it first, or mark it before that opens"
                raise _ActionFailed(
                    f"mark {CIRCLED[marked.number - 1]} ({marked.label}) {place} when its "
                    f"picture is taken; {fix}"
                )
        if self.group and self.group[-1].box is None:
            raise _ActionFailed("the element has no size on screen")
        marks = tuple(Mark(m.number, m.box, m.context) for m in self.group if m.box is not None)
        session.no_secret_shown()
        if not session.shoot:
            return Frame(b"", marks, ())
        redacted = tuple(
            Redaction(style, box, _box(found["context"]))
            for (style, _), found in zip(redactions, seen["redactions"], strict=True)
            if found and (box := _box(found["box"])) is not None
        )
        return Frame(
            session.screenshot(),
            marks,
            redacted,
            text=_boxes(seen.get("text")),
            bars=_boxes(seen.get("bars")),
            elements=_boxes(seen.get("elements")),
            panels=_boxes(seen.get("panels")),
            controls=_boxes(seen.get("controls")),
            crop=self._crop(_box(seen["focus"])),
        )

    def catch_up(self) -> None:
        """Take the picture that a fill, select or highlight left for later."""
        if self.unshot:
            self.unshot = False
            self.pending = self.shoot()

    def close_frame(self) -> None:
        self.catch_up()
        if self.pending is not None:
            self.frames.append(self.pending)
        self.group.clear()
        self.pending = None

    def answered(self, action: Any) -> None:
        """The dialog the previous action opened, drawn over the screen behind it, with
        the pressed button marked; it was answered the moment it opened."""
        session = self.session
        self.catch_up()
        shown, session.dialog = session.dialog, None
        if shown is None:
            raise _ActionFailed(
                "no dialog was opened by the previous action; remove this action or "
                "put it right after the action that opens the dialog"
            )
        args = getattr(action, next(iter(type(action).model_fields)))
        for name, value in session.secrets.items():
            if value in shown.message:
                session.leaked = True
                raise _SecretShown(
                    f"the dialog's message shows the value of secret {name}, and the picture "
                    "draws the message; keep the app from showing the value"
                )
        if args is not None and args.message is not None:
            wanted = text_in(args.message, session.lang)
            if wanted not in shown.message:
                raise _ActionFailed(f"the dialog says '{shown.message}', expected '{wanted}'")
        behind = self.pending or (self.frames[-1] if self.frames else None)
        self.close_frame()
        self.number += 1
        size = session.page.viewport_size or {"width": 1280, "height": 800}
        viewport = (size["width"], size["height"])
        screen = behind if behind is not None else self.shoot()
        self.frames.append(
            dialog_frame(screen, shown, session.platform, viewport, session.lang, self.number)
        )
        session.settle()

    def act(self, action: Any) -> None:
        session = self.session
        if isinstance(action, DIALOG_ACTIONS):
            self.answered(action)
            return
        target = action_target(action)
        element = session.one(target) if target is not None and _needs_element(action) else None
        before = session.where()
        if not is_marked(action):
            self.catch_up()
            session.perform(action, element)
            session.no_unexpected_dialog()
            if self.pending is not None and self.moved_on(before):
                self.close_frame()
            return
        assert element is not None and target is not None
        self.number += 1
        handle = element.element_handle()
        if self.unshot and session.scrolls(handle):
            self.catch_up()  # the fields filled in are pictured before the page scrolls
        session.reveal(element)
        if self.group and session.covered([m.handle for m in self.group]):
            # Scrolled away or covered: the earlier marks keep the screen they were on.
            self.close_frame()
        self.group.append(_Marked(self.number, handle, describe_target(target, session.lang)))
        # A filled-in field is shown filled; a tap is shown before it happens.
        if isinstance(action, Fill | Select):
            session.perform(action, element)
            session.no_unexpected_dialog()
            if isinstance(action, Fill) and isinstance(action.fill.value, EnvValue):
                # A value from the environment is a secret: never in an image.
                session.redact.append(_Hidden("mask", target, seen=True))
            self.unshot = True
            return
        if isinstance(action, Highlight):
            session.perform(action, element)
            session.no_unexpected_dialog()
            self.unshot = True
            return
        self.unshot = False  # this shot shows the earlier marks of the screen too
        self.pending = self.shoot()
        session.perform(action, element)
        session.no_unexpected_dialog()
        if self.moved_on(before) or element.count() == 0:
            self.close_frame()

    def moved_on(self, before: Where) -> bool:
        """Whether the screen changed since before: another address or screen name,
        an overlay opened or closed, or a mark of this frame covered or gone from
        sight (a flyout over it, a menu closed). The next marks then go on a new frame."""
        now = self.session.where([m.handle for m in self.group])
        return not now.same_screen(before) or any(c is not None for c in now.covered)

    def run(self) -> StepShot:
        following = [*self.step.actions[1:], None][: len(self.step.actions)]
        for action, after in zip(self.step.actions, following, strict=True):
            self.session.dialog_plan = after if isinstance(after, DIALOG_ACTIONS) else None
            try:
                self.act(action)
            except (_ActionFailed, PlaywrightError) as error:
                raise _StepFailed(
                    describe_action(action, self.session.lang),
                    _reason(error),
                    missing=isinstance(error, _Missing),
                ) from None
        try:
            self.close_frame()
            if not self.frames:
                self.frames.append(self.shoot())
        except (_ActionFailed, PlaywrightError) as error:
            # The picture a fill, select or highlight left for the step's end.
            last = describe_action(self.step.actions[-1], self.session.lang)
            raise _StepFailed(last, _reason(error)) from None
        crop = self.step.crop
        if (
            self.session.shoot
            and isinstance(crop, CropArea)
            and crop.element is not None
            and all(frame.crop.element is None for frame in self.frames)
        ):
            raise _StepFailed(
                "crop",
                f"no {describe_target(crop.element, self.session.lang)} on the step's screens; "
                "crop to an element the step shows",
            )
        return StepShot(self.step, tuple(self.frames))


def run_guide(
    browser: Browser,
    playwright: Playwright,
    config: Config,
    guide: Guide,
    platform: Platform,
    lang: str,
    base_url: str,
    *,
    scheme: ColorScheme = "light",
    shoot: bool = True,
    trace_path: str | None = None,
    storage_state: dict[str, Any] | None = None,
    keep: dict[str, Any] | None = None,
) -> Run:
    """Run every step of guide; raise GuideFailed naming the step that broke.

    storage_state starts the run with a setup guide's cookies and storage; keep,
    when given, receives this run's own under "storage_state" (for a setup guide).
    """
    if trace_path and _reads_environment(guide):
        trace_path = None  # a trace records what is typed: no secret may land in one
    options = context_options(config, playwright, platform, lang, scheme)
    if storage_state is not None:
        options["storage_state"] = storage_state
    context: BrowserContext = browser.new_context(**options)
    context.set_default_timeout(config.timeout_ms)
    style = capture_style(config)
    if style:
        context.add_init_script(script=f"({CAPTURE_STYLE_JS})({json.dumps(style)})")
    if trace_path:
        context.tracing.start(screenshots=True, snapshots=True)
    page = context.new_page()
    session = _Session(page, config, base_url, platform, lang, shoot)
    session.redact.extend(_redaction(item) for item in guide.redact)
    shots: list[StepShot] = []
    number, action, step_id = 0, "open the start page", ""
    failed, missing = False, False
    try:
        page.clock.set_fixed_time(dt.datetime.fromisoformat(config.clock))
        start = config.start_url.format(platform=platform, lang=lang, scenario=guide.scenario or "")
        page.goto(base_url.rstrip("/") + "/" + start.lstrip("/"), timeout=NAVIGATION_TIMEOUT_MS)
        # The first screen waits on a cold browser and the app's start-up, not on the UI.
        session.settle(NAVIGATION_TIMEOUT_MS)
        for step in steps_for(guide, platform):
            number, action, step_id = step.number, f"step {step.number}", step.id
            shots.append(_StepRun(session, step).run())
        unseen = [h for h in session.redact if not h.seen]
        if unseen:
            raise _StepFailed(
                "redact",
                f"{describe_target(unseen[0].target, lang)} is on none of the guide's "
                "screens, so nothing is hidden; fix the target or remove it from redact",
            )
        if keep is not None:
            keep["storage_state"] = context.storage_state()
    except (_StepFailed, PlaywrightError) as error:
        failed = True
        if isinstance(error, _StepFailed):
            action, reason, missing = error.action, error.reason, error.missing
        else:
            reason = _reason(error)
        failure = Failure(
            guide.id,
            number,
            platform,
            lang,
            action,
            reason,
            session.screen(),
            session.failure_screenshot(),
            scheme,
            step_id,
            missing=missing,
        )
        raise GuideFailed(_hidden(failure, session.secrets.values())) from None
    finally:
        if trace_path:
            # A trace records every screen: none is kept of a run that showed a secret.
            keep_trace = failed and not session.leaked
            context.tracing.stop(path=trace_path if keep_trace else None)
        context.close()
    viewport = options["viewport"]
    return Run(
        guide=guide.id,
        platform=platform,
        lang=lang,
        device=config.devices[platform].descriptor or "Desktop {width}x{height}".format(**viewport),
        scale=float(options["device_scale_factor"]),
        viewport=(viewport["width"], viewport["height"]),
        steps=tuple(shots),
        scheme=scheme,
    )


def _reads_environment(guide: Guide) -> bool:
    return any(
        isinstance(action, Fill) and isinstance(action.fill.value, EnvValue)
        for platform in guide.platforms
        for step in steps_for(guide, platform)
        for action in step.actions
    )


def _redaction(item: RedactItem) -> _Hidden:
    """A guide's redact entry: a target is masked, {blur: target} blurred."""
    if isinstance(item, Blur):
        return _Hidden("blur", item.blur)
    return _Hidden("mask", item)


def _hidden(failure: Failure, secrets: Iterable[str]) -> Failure:
    """failure with *** for every secret's value in its text (a failed expect-text
    says what it found, a dialog what it said, a screen its title)."""
    return replace(
        failure,
        action=hide_secrets(failure.action, secrets),
        reason=hide_secrets(failure.reason, secrets),
        screen=hide_secrets(failure.screen, secrets),
    )
