"""Run one guide on one platform and language in a real browser.

The runner executes a guide's actions with Playwright and returns what it saw:
for every step, the frames (raw screenshots) with the boxes of its marks and
redactions. It draws nothing and writes nothing; ``annotate`` and ``capture``
do that. ``check`` uses it with screenshots off.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, expect
from playwright.sync_api import Dialog as PlaywrightDialog
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from generator.config import LOCALES, Config, ConfigError
from generator.dialogs import Dialog, dialog_for, pressed_box
from generator.model import (
    DIALOG_ACTIONS,
    AcceptDialog,
    Blur,
    Click,
    EnvValue,
    ExpectAbsent,
    ExpectText,
    Fill,
    Goto,
    Guide,
    Highlight,
    Mask,
    Platform,
    PlatformStep,
    RoleTarget,
    ScrollTo,
    Select,
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

# The screen a failure happened on is named by the nearest [data-screen]
# attribute when the app has one, else by the page title.
SCREEN_JS = """() => {
  const el = document.querySelector('[data-screen]');
  return (el && el.getAttribute('data-screen')) || document.title || location.pathname;
}"""


# In view is not enough: a fixed bar (a phone's tab bar) can cover an element
# that the viewport contains. Then it is scrolled to the middle of the screen.
REVEAL_JS = """(element) => {
  const r = element.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = y >= 0 && y < innerHeight && x >= 0 && x < innerWidth
    ? document.elementFromPoint(x, y) : null;
  if (!hit || !(hit === element || element.contains(hit))) {
    element.scrollIntoView({block: "center", inline: "nearest"});
  }
}"""

# A page load waits on the server and a cold browser, not on the app's UI, so
# it gets more time than finding an element.
NAVIGATION_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels of the viewport."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Mark:
    number: int
    box: Box


@dataclass(frozen=True)
class Redaction:
    style: str  # "blur" or "mask"
    box: Box


@dataclass(frozen=True)
class Frame:
    png: bytes
    marks: tuple[Mark, ...]
    redactions: tuple[Redaction, ...]
    dialog: Dialog | None = None  # a native dialog to draw over png (it is not in a screenshot)


@dataclass(frozen=True)
class StepShot:
    step: PlatformStep
    frames: tuple[Frame, ...]


@dataclass(frozen=True)
class Run:
    guide: str
    platform: Platform
    lang: str
    device: str
    scale: float
    viewport: tuple[int, int]
    steps: tuple[StepShot, ...]


@dataclass(frozen=True)
class Failure:
    guide: str
    step: int
    platform: str
    lang: str
    action: str
    reason: str
    screen: str
    screenshot: bytes | None
    step_id: str = ""
    where: str = ""  # file:line of the step, filled in by whoever knows the file

    def line(self, screenshot_path: str | None = None) -> str:
        step = f"step {self.step}"
        if self.step_id:
            step += f" '{self.step_id}'"
        if self.where:
            step += f" ({self.where})"
        text = (
            f"{self.guide} › {step} › {self.platform}/{self.lang}: "
            f"{self.action} — {self.reason} (screen: {self.screen})"
        )
        return f"{text}; screenshot: {screenshot_path}" if screenshot_path else text


class GuideFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.line())
        self.failure = failure


class _ActionFailed(Exception):
    pass


class _StepFailed(Exception):
    def __init__(self, action: str, reason: str) -> None:
        super().__init__(reason)
        self.action = action
        self.reason = reason


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
    return f"text '{text_in(target.text, lang)}'"


def describe_action(action: Any, lang: str) -> str:
    target = action_target(action)
    if isinstance(action, DIALOG_ACTIONS):
        return action_name(action)
    if target is None:
        return f"{action_name(action)} '{action.goto}'"
    if isinstance(target, str):
        return f"{action_name(action)} '{target}'"
    return f"{action_name(action)} {describe_target(target, lang)}"


def context_options(config: Config, playwright: Playwright, platform: Platform, lang: str) -> dict:
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
    return {
        **options,
        "locale": LOCALES.get(lang, lang),
        "timezone_id": config.timezone,
        "reduced_motion": "reduce",
        "color_scheme": "light",
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
        self.redact: list[tuple[str, Target]] = []
        # The dialog action that follows the action being performed, if any: a
        # dialog blocks the page until it is answered, so it is answered at once.
        self.dialog_plan: AcceptDialog | Any | None = None
        self.dialog: Dialog | None = None
        self.unexpected: str | None = None
        page.on("dialog", self._on_dialog)

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

    def test_ids(self) -> list[str]:
        try:
            found = self.page.eval_on_selector_all(
                "[data-testid]", "els => els.map(e => e.getAttribute('data-testid'))"
            )
        except PlaywrightError:
            return []
        return sorted({str(x) for x in found if x})

    def fill_value(self, value: Any) -> str:
        if isinstance(value, EnvValue):
            if value.env not in os.environ:
                raise _ActionFailed(
                    f"environment variable {value.env} is not set; set it where guidegen runs"
                )
            return os.environ[value.env]
        return text_in(value, self.lang)

    def locate(self, target: Target) -> Locator:
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
        else:
            assert isinstance(target, TextTarget)
            found = page.get_by_text(text_in(target.text, self.lang), exact=target.exact)
        return found.filter(visible=True)

    def one(self, target: Target) -> Locator:
        """The single visible element the target names, waiting for it to appear."""
        found = self.locate(target)
        try:
            found.first.wait_for(state="visible", timeout=self.config.timeout_ms)
        except PlaywrightTimeout:
            hint = ""
            wanted = target if isinstance(target, str) else getattr(target, "testid", None)
            if wanted is not None:
                near = difflib.get_close_matches(wanted, self.test_ids(), n=1, cutoff=0.5)
                hint = f"; did you mean '{near[0]}'?" if near else ""
            raise _ActionFailed(
                f"no element with {describe_target(target, self.lang)}{hint}"
            ) from None
        count = found.count()
        if count > 1:
            raise _ActionFailed(
                f"{count} elements match {describe_target(target, self.lang)}; "
                "make the target specific (a test id, or role and exact name)"
            )
        return found

    def reveal(self, element: Locator) -> None:
        """Scroll the element into view, and to the middle when something covers it."""
        element.scroll_into_view_if_needed()
        element.evaluate(REVEAL_JS)

    def settle(self) -> None:
        if self.config.ready:
            self.page.wait_for_selector(
                self.config.ready, state="attached", timeout=self.config.timeout_ms
            )

    def screen(self) -> str:
        try:
            return str(self.page.evaluate(SCREEN_JS))
        except PlaywrightError:
            return self.page.url

    def where(self) -> tuple[str, str]:
        return self.page.url, self.screen()

    def box(self, locator: Locator) -> Box | None:
        found = locator.bounding_box()
        if found is None:
            return None
        return Box(found["x"], found["y"], found["width"], found["height"])

    def redactions(self) -> tuple[Redaction, ...]:
        result = []
        for style, target in self.redact:
            for element in self.locate(target).all():
                box = self.box(element)
                if box is not None:
                    result.append(Redaction(style, box))
        return tuple(result)

    def screenshot(self) -> bytes:
        self.page.evaluate("() => document.fonts.ready.then(() => true)")
        return self.page.screenshot(animations="disabled", caret="hide", scale="device")

    def perform(self, action: Any, element: Locator | None) -> None:
        page = self.page
        if isinstance(action, Tap | Click):
            assert element is not None
            if self.platform == "web":
                element.click()
            else:
                element.tap()
        elif isinstance(action, Fill):
            assert element is not None
            element.fill(self.fill_value(action.fill.value))
        elif isinstance(action, Select):
            assert element is not None
            element.select_option(label=text_in(action.select.option, self.lang))
        elif isinstance(action, ScrollTo):
            assert element is not None
            self.reveal(element)
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
                shown = element.inner_text().strip()[:80]
                raise _ActionFailed(f"expected text '{wanted}', found '{shown}'") from None
        elif isinstance(action, Blur | Mask):
            style = "blur" if isinstance(action, Blur) else "mask"
            self.redact.append((style, action_target(action)))  # type: ignore[arg-type]
        # Highlight, ExpectVisible and WaitFor need nothing beyond finding the element.
        self.settle()


def _needs_element(action: Any) -> bool:
    return not isinstance(action, Goto | ExpectAbsent | Blur | Mask)


class _StepRun:
    """Runs a step's actions, grouping its marks into frames, one per screen."""

    def __init__(self, session: _Session) -> None:
        self.session = session
        self.frames: list[Frame] = []
        self.group: list[tuple[int, Locator, Box]] = []
        self.pending: Frame | None = None
        self.number = 0

    def measure(self) -> tuple[Mark, ...]:
        # Marks taken earlier on the same screen are measured again, since a
        # later scroll may have moved them; a vanished one keeps its last box.
        marks = []
        for index, (number, element, last_box) in enumerate(self.group):
            box = self.session.box(element) if element.count() == 1 else None
            self.group[index] = (number, element, box or last_box)
            marks.append(Mark(number, box or last_box))
        return tuple(marks)

    def shoot(self) -> Frame:
        if not self.session.shoot:
            return Frame(b"", self.measure(), ())
        png = self.session.screenshot()
        return Frame(png, self.measure(), self.session.redactions())

    def close_frame(self) -> None:
        if self.pending is not None:
            self.frames.append(self.pending)
        self.group.clear()
        self.pending = None

    def answered(self, action: Any) -> None:
        """The dialog the previous action opened, drawn over the screen behind it, with
        the pressed button marked; it was answered the moment it opened."""
        session = self.session
        shown, session.dialog = session.dialog, None
        if shown is None:
            raise _ActionFailed(
                "no dialog was opened by the previous action; remove this action or "
                "put it right after the action that opens the dialog"
            )
        args = getattr(action, next(iter(type(action).model_fields)))
        if args is not None and args.message is not None:
            wanted = text_in(args.message, session.lang)
            if wanted not in shown.message:
                raise _ActionFailed(f"the dialog says '{shown.message}', expected '{wanted}'")
        behind = self.pending or (self.frames[-1] if self.frames else None)
        self.close_frame()
        self.number += 1
        size = session.page.viewport_size or {"width": 1280, "height": 800}
        box = Box(
            *pressed_box(shown, session.platform, (size["width"], size["height"]), session.lang)
        )
        png = behind.png if behind is not None else self.shoot().png
        redactions = behind.redactions if behind is not None else ()
        self.frames.append(Frame(png, (Mark(self.number, box),), redactions, shown))
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
            session.perform(action, element)
            session.no_unexpected_dialog()
            if self.pending is not None and session.where() != before:
                self.close_frame()
            return
        assert element is not None and target is not None
        self.number += 1
        session.reveal(element)
        box = session.box(element)
        if box is None:
            raise _ActionFailed(f"{describe_target(target, session.lang)} has no size on screen")
        self.group.append((self.number, element, box))
        # A filled-in field is shown filled; a tap is shown before it happens.
        if isinstance(action, Fill | Select):
            session.perform(action, element)
            session.no_unexpected_dialog()
            if isinstance(action, Fill) and isinstance(action.fill.value, EnvValue):
                # A value from the environment is a secret: never in an image.
                session.redact.append(("mask", target))
            self.pending = self.shoot()
            return
        self.pending = self.shoot()
        session.perform(action, element)
        session.no_unexpected_dialog()
        if isinstance(action, Highlight):
            return
        if session.where() != before or element.count() == 0:
            self.close_frame()

    def run(self, step: PlatformStep) -> StepShot:
        following = [*step.actions[1:], None][: len(step.actions)]
        for action, after in zip(step.actions, following, strict=True):
            self.session.dialog_plan = after if isinstance(after, DIALOG_ACTIONS) else None
            try:
                self.act(action)
            except (_ActionFailed, PlaywrightError) as error:
                raise _StepFailed(
                    describe_action(action, self.session.lang), _reason(error)
                ) from None
        self.close_frame()
        if not self.frames:
            self.frames.append(self.shoot())
        return StepShot(step, tuple(self.frames))


def run_guide(
    browser: Browser,
    playwright: Playwright,
    config: Config,
    guide: Guide,
    platform: Platform,
    lang: str,
    base_url: str,
    *,
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
    options = context_options(config, playwright, platform, lang)
    if storage_state is not None:
        options["storage_state"] = storage_state
    context: BrowserContext = browser.new_context(**options)
    context.set_default_timeout(config.timeout_ms)
    if trace_path:
        context.tracing.start(screenshots=True, snapshots=True)
    page = context.new_page()
    session = _Session(page, config, base_url, platform, lang, shoot)
    session.redact.extend(("blur", target) for target in guide.redact)
    shots: list[StepShot] = []
    number, action, step_id = 0, "open the start page", ""
    failed = False
    try:
        page.clock.set_fixed_time(dt.datetime.fromisoformat(config.clock))
        start = config.start_url.format(platform=platform, lang=lang, scenario=guide.scenario or "")
        page.goto(base_url.rstrip("/") + "/" + start.lstrip("/"), timeout=NAVIGATION_TIMEOUT_MS)
        session.settle()
        for step in steps_for(guide, platform):
            number, action, step_id = step.number, f"step {step.number}", step.id
            shots.append(_StepRun(session).run(step))
        if keep is not None:
            keep["storage_state"] = context.storage_state()
    except (_StepFailed, PlaywrightError) as error:
        failed = True
        if isinstance(error, _StepFailed):
            action, reason = error.action, error.reason
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
            _safe_screenshot(page),
            step_id,
        )
        raise GuideFailed(failure) from None
    finally:
        if trace_path:
            context.tracing.stop(path=trace_path if failed else None)
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
    )


def _reads_environment(guide: Guide) -> bool:
    return any(
        isinstance(action, Fill) and isinstance(action.fill.value, EnvValue)
        for platform in guide.platforms
        for step in steps_for(guide, platform)
        for action in step.actions
    )


def _safe_screenshot(page: Page) -> bytes | None:
    try:
        return page.screenshot(animations="disabled", caret="hide")
    except PlaywrightError:
        return None
