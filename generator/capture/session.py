"""A browser page as the runner drives it: settling, measuring, finding
targets, telling screens apart, masking secrets."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, assert_never

import yaml
from playwright.sync_api import Dialog as PlaywrightDialog
from playwright.sync_api import (
    ElementHandle,
    Locator,
    Page,
    Playwright,
    expect,
)
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .. import platforms
from ..config import LOCALES, Config, ConfigError, hide_secrets
from ..guide.actions import (
    AcceptDialog,
    Action,
    Blur,
    Click,
    CssTarget,
    DismissDialog,
    EnvValue,
    ExpectAbsent,
    ExpectText,
    ExpectVisible,
    Fill,
    Goto,
    Highlight,
    LabelTarget,
    Mask,
    PlaceholderTarget,
    Press,
    RoleTarget,
    ScrollTo,
    Select,
    SelectText,
    Tap,
    Target,
    TestIdTarget,
    TextTarget,
    WaitFor,
)
from ..guide.types import ColorScheme, Platform, text_in
from .dialogs import Dialog, dialog_for
from .framing import MARK_ROOM
from .page import (
    CANDIDATES_JS,
    COVERED_JS,
    CSS_NEAR_JS,
    HAS_OPTION_JS,
    MASK_COLOR,
    MEASURE_JS,
    NAVIGATION_TIMEOUT_MS,
    OPTION_LABELS_JS,
    QUIET_MIN_MS,
    QUIET_WINDOWS,
    REVEAL_JS,
    SCREEN_JS,
    SCROLLS_JS,
    SECRETS_JS,
    SELECT_JS,
    SETTLE_FRAMES,
    SETTLE_JS,
    STATE_JS,
    STILL_LIMIT_S,
    WATCH_JS,
    Where,
    _Network,
)
from .suggest import apart, untied_label
from .targets import (
    NEAR,
    ROLE_CHANGED,
    Choice,
    _ActionFailed,
    _aria_names,
    _did_you_mean,
    _Hidden,
    _kind_and_name,
    _Missing,
    _nearest,
    _SecretShown,
    describe_target,
)


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
        """Whether the element shows up (see until_still)."""
        return self.until_still(
            lambda ms: found.first.wait_for(state="visible", timeout=ms),
            lambda: found.first.is_visible(),
        )

    def until_still(self, wait: Callable[[int], object], holds: Callable[[], bool]) -> bool:
        """Whether wait(timeout_ms) succeeds: at once, or before the page is still
        without it (see QUIET_WINDOWS), or at the latest when the action timeout ends.
        wait raises Playwright's timeout, or an expect's AssertionError, when it fails;
        holds() looks once with no time limit, because on a loaded machine a window
        can end before the browser has answered about an element that is there."""
        timeout = self.config.timeout_ms
        window = max(timeout // QUIET_WINDOWS, QUIET_MIN_MS)
        deadline = time.monotonic() + timeout / 1000
        while True:
            self._watch(reset=True)
            left = int((deadline - time.monotonic()) * 1000)
            try:
                wait(max(1, min(window, left)))
                return True
            except (PlaywrightTimeout, AssertionError):
                if time.monotonic() >= deadline or (not self.network.busy() and self._watch()):
                    return holds()

    def _watch(self, reset: bool = False) -> bool:
        try:
            return bool(self.page.evaluate(WATCH_JS, reset))
        except PlaywrightError:  # a document going away in a navigation is not still
            return False

    def one(self, target: Target) -> tuple[Locator, ElementHandle]:
        """The single visible element the target names, waiting for it to appear:
        its locator (for actions, which check it can take them) and its handle."""
        found = self.locate(target)
        # Usually the element is on the settled page already: one query says so and
        # how many match, where waiting for it and counting takes three calls more.
        handles = found.element_handles()
        if not handles and self.appears(found):
            handles = found.element_handles()
        if not handles:
            untied = isinstance(target, LabelTarget) and untied_label(self.page, target, self.lang)
            if untied:
                raise _Missing(untied)
            if self.locate(target, visible=False).count():
                raise _Missing(
                    f"{describe_target(target, self.lang)} is on the page but hidden; show it "
                    "first (the action that opens it), or target the element that is shown"
                )
            raise _Missing(
                f"no element with {describe_target(target, self.lang)}{self.nearest(target)}"
            )
        if len(handles) > 1:
            # A reader sees only the one on top: an open dialog's field, not the
            # field of the same name in the page behind its backdrop (Fava's Account).
            shown = [i for i, hid in enumerate(self.page.evaluate(COVERED_JS, handles)) if not hid]
            if len(shown) == 1:
                return found.nth(shown[0]), handles[shown[0]]
            one_whole = False
            worded = RoleTarget | TextTarget | LabelTarget | PlaceholderTarget
            if isinstance(target, worded) and not target.exact:
                # Words match where they are a part of an element's (Playwright's default).
                one_whole = self.locate(target.model_copy(update={"exact": True})).count() == 1
            raise _ActionFailed(
                f"{len(handles)} elements match {describe_target(target, self.lang)}; "
                f"make the target specific: {apart(self.page, handles, one_whole=one_whole)}"
            )
        return found, handles[0]

    def nearest(self, target: Target) -> str:
        """'; did you mean …?' naming what the screen has instead: elements of the
        target's kind with a near name; else elements of any role with nearly
        the same accessible name (a link that became a button, a field labelled
        by a picture); else the nearest of the target's kind, however far. For a CSS
        selector, the elements that a looser form of it finds, written as
        selectors (css_near.js), those most like its last compound first:
        however far when they have its structure, near ones only when any
        element would do."""
        if isinstance(target, CssTarget):
            try:
                looseness, last, found = self.page.evaluate(CSS_NEAR_JS, target.css)
            except PlaywrightError:
                return ""
            css: list[Choice] = [("CSS selector", str(written), ()) for written in found]
            return _did_you_mean(_nearest(str(last), css, NEAR if looseness else 0.0))
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
        near = _nearest(wanted, same, NEAR) or _nearest(wanted, named, ROLE_CHANGED)
        # Of all the texts on a screen only near ones help; of its few fields, any.
        if not near and kind != "text":
            near = _nearest(wanted, same, 0.0)
        return _did_you_mean(near)

    def _roles(self) -> list[tuple[str, str]]:
        """(role, accessible name) of every named element on the screen, as Playwright
        computes them for get_by_role (from its ARIA snapshot of the page)."""
        snapshot = self.page.locator("body").aria_snapshot(timeout=NAVIGATION_TIMEOUT_MS)
        found: list[tuple[str, str]] = []
        _aria_names(yaml.safe_load(snapshot), found)
        return found

    def offers(self, element: Locator, target: Target, option: str) -> None:
        """Drift, like a missing target: a list without the option is reported once
        the page is still without it, with the list's nearest options."""
        handle = element.element_handle(timeout=NAVIGATION_TIMEOUT_MS)
        if self.until_still(
            lambda ms: self.page.wait_for_function(HAS_OPTION_JS, arg=[handle, option], timeout=ms),
            lambda: bool(self.page.evaluate(HAS_OPTION_JS, [handle, option])),
        ):
            return
        labels: list[Choice] = [
            ("option", label, ()) for label in handle.evaluate(OPTION_LABELS_JS)
        ]
        # The near options; when none is near, the nearest, for a list has few.
        near = _did_you_mean(_nearest(option, labels, NEAR) or _nearest(option, labels, 0.0))
        raise _Missing(f"no option '{option}' in {describe_target(target, self.lang)}{near}")

    def reveal(self, element: Locator | ElementHandle) -> None:
        """Scroll the element into view, and to the middle when something covers it."""
        if element.evaluate(REVEAL_JS, MARK_ROOM):
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
            return element is not None and bool(element.evaluate(SCROLLS_JS, MARK_ROOM))
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

    def perform(self, action: Action, element: Locator | None) -> None:
        """Do the action; the union is closed, so an action without a case here
        fails the type check (assert_never) instead of silently doing nothing."""
        page = self.page
        match action:
            case Tap() | Click():
                assert element is not None
                if platforms.profile(self.platform).pointer == "click":
                    element.click()
                else:
                    element.tap()
                # A tap leaves the element hovered, as a click does: off the page, the
                # pointer leaves no hover colour in the picture.
                page.mouse.move(-1, -1)
            case Fill():
                assert element is not None
                element.fill(self.fill_value(action.fill.value))
            case Select():
                assert element is not None
                option = text_in(action.select.option, self.lang)
                self.offers(element, action.select.target, option)
                element.select_option(label=option)
            case ScrollTo():
                assert element is not None
                self.reveal(element)
            case Press():
                key = action.press if isinstance(action.press, str) else action.press.key
                if element is not None:
                    element.press(key)
                else:
                    page.keyboard.press(key)
            case SelectText():
                assert element is not None
                words = action.select_text.text
                wanted = None if words is None else text_in(words, self.lang)
                if not element.evaluate(SELECT_JS, wanted):
                    where = describe_target(action.select_text.target, self.lang)
                    what = "no text" if wanted is None else f"no '{wanted}'"
                    raise _ActionFailed(f"{what} to select in {where}")
            case Goto():
                page.goto(
                    self.base_url.rstrip("/") + "/" + action.goto.lstrip("/"),
                    timeout=NAVIGATION_TIMEOUT_MS,
                )
            case ExpectAbsent():
                target = action.expect_absent
                try:
                    expect(self.locate(target)).to_have_count(0, timeout=self.config.timeout_ms)
                except AssertionError:
                    raise _ActionFailed(
                        f"{describe_target(target, self.lang)} is visible but should be absent"
                    ) from None
            case ExpectText():
                expected = text_in(action.expect_text.text, self.lang)
                assert element is not None
                shown_now = element
                # Drift, like a missing target: reported once the page is still without it.
                if not self.until_still(
                    lambda ms: expect(shown_now).to_contain_text(expected, timeout=ms),
                    lambda: (
                        " ".join(expected.split())
                        in " ".join((shown_now.text_content() or "").split())
                    ),
                ):
                    # Hidden before it is cut short: a cut secret would not be found whole.
                    text = hide_secrets(element.inner_text().strip(), self.secrets.values())
                    shown = text[:80]
                    raise _Missing(f"expected text '{expected}', found '{shown}'")
            case Blur() | Mask():
                style = "blur" if isinstance(action, Blur) else "mask"
                target = action.blur if isinstance(action, Blur) else action.mask
                try:
                    self.locate(target).first.wait_for(
                        state="visible", timeout=self.config.timeout_ms
                    )
                except PlaywrightTimeout:
                    raise _ActionFailed(
                        f"no element with {describe_target(target, self.lang)} to {style}, so "
                        "the pictures would show what it should hide; fix the target"
                    ) from None
                self.redact.append(_Hidden(style, target, seen=True))
            case Highlight() | ExpectVisible() | WaitFor():
                pass  # nothing beyond finding the element
            case AcceptDialog() | DismissDialog():
                pass  # planned before the action that opens the dialog (dialog_plan)
            case _:
                assert_never(action)
        self.settle()
