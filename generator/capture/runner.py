"""Run one guide on one platform and language in a real browser.

The runner executes a guide's actions with Playwright and returns what it saw:
for every step, the frames (raw screenshots) with the boxes of its marks and
redactions. It draws nothing and writes nothing; ``annotate`` and ``capture``
do that. ``check`` uses it with screenshots off.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ElementHandle,
    Playwright,
)
from playwright.sync_api import Error as PlaywrightError

from ..config import Config, capture_style, hide_secrets
from ..guide.actions import (
    DIALOG_ACTIONS,
    Blur,
    EnvValue,
    Fill,
    Highlight,
    RedactItem,
    Select,
    action_target,
    is_marked,
)
from ..guide.model import CropArea, Guide, PlatformStep, steps_for
from ..guide.types import CIRCLED, ColorScheme, Platform, text_in
from .dialogs import Dialog
from .dialogs import plan as dialog_plan
from .dialogs import words as dialog_words
from .frames import Box, CropRule, Failure, Frame, Mark, Redaction, Run, StepShot
from .page import CAPTURE_STYLE_JS, NAVIGATION_TIMEOUT_MS, Where
from .session import _Session, context_options
from .targets import (
    GuideFailed,
    _ActionFailed,
    _box,
    _boxes,
    _Hidden,
    _Missing,
    _needs_element,
    _outside,
    _reason,
    _SecretShown,
    _StepFailed,
    describe_action,
    describe_target,
)

# Whether an element is what the reader sees at its place: null when it (or a
# part of it) is the topmost element at the centre of its part on the screen,
# or when it is gone from the page (a re-rendered screen gives no evidence);
# "hidden" or "off the screen"; else the name of the element on top of it (the
# outermost one that does not hold it: the flyout, not a word inside it). An
# ancestor on top means the element lets the pointer through, and a field's
# own label over it is part of it: it is seen.


"""An element a missing target may have meant: its kind, its name, and the other names
it goes by (a field's name and id)."""


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
        element, handle = (
            session.one(target) if target is not None and _needs_element(action) else (None, None)
        )
        before = session.where()
        if not is_marked(action):
            self.catch_up()
            session.perform(action, element)
            session.no_unexpected_dialog()
            if self.pending is not None and self.moved_on(before):
                self.close_frame()
            return
        assert element is not None and handle is not None and target is not None
        self.number += 1
        if self.unshot and session.scrolls(handle):
            self.catch_up()  # the fields filled in are pictured before the page scrolls
        session.reveal(handle)
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
        errors = session.network.server_errors
        if errors:
            listed = ", ".join(errors[:3]) + (", …" if len(errors) > 3 else "")
            reason += f"; the app answered {listed} during the run"
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
