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
import time
from typing import Any

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

from generator.config import LOCALES, Config, ConfigError, capture_style
from generator.dialogs import Dialog, dialog_for, pressed_box
from generator.dialogs import plan as dialog_plan
from generator.frames import Box, CropRule, Failure, Frame, Mark, Redaction, Run, StepShot
from generator.model import (
    DIALOG_ACTIONS,
    AcceptDialog,
    Blur,
    Click,
    ColorScheme,
    CropArea,
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


# Scrolled as the browser's "scroll into view if needed" does, on each axis: not
# at all when the element is in view, to the nearest edge when it is partly in
# view, to the middle when it is out of view. In one call, since a reveal comes
# before every mark. In view is not enough: a fixed bar (a phone's tab bar) can
# cover an element that the viewport contains; then it goes to the middle.
# Says whether it scrolled.
REVEAL_JS = """(element) => {
  const along = (start, end, size) => (end <= 0 || start >= size ? "center" : "nearest");
  let r = element.getBoundingClientRect();
  const block = along(r.top, r.bottom, innerHeight);
  const inline = along(r.left, r.right, innerWidth);
  let scrolled = false;
  if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) {
    element.scrollIntoView({block, inline});
    r = element.getBoundingClientRect();
    scrolled = true;
  }
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = y >= 0 && y < innerHeight && x >= 0 && x < innerWidth
    ? document.elementFromPoint(x, y) : null;
  if (!hit || !(hit === element || element.contains(hit))) {
    element.scrollIntoView({block: "center", inline: "nearest"});
    scrolled = true;
  }
  return scrolled;
}"""

# The project's capture stylesheet, added to every document before its scripts
# run and after its own stylesheets in the cascade (an adopted style sheet).
CAPTURE_STYLE_JS = """(css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}"""

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
SETTLE_JS = """async ({ready, frames}) => {
  const there = () => !ready || document.querySelector(ready) !== null;
  // A document that has just replaced the last one is looked at once it has loaded.
  if (document.readyState !== 'complete') return {ready: there(), still: false};
  await document.fonts.ready;
  const refreshed = Symbol.for('guidegen.fonts-refreshed');
  if (!document[refreshed]) {
    document[refreshed] = true;
    const face = new FontFace('guidegen-refresh', 'local(guidegen-refresh)');
    document.fonts.add(face);
    document.fonts.delete(face);
  }
  const stop = () => {
    for (const animation of document.getAnimations()) {
      if (animation.playState !== 'running') continue;
      const timing = animation.effect ? animation.effect.getComputedTiming() : null;
      if (timing && timing.endTime !== Infinity) animation.finish();
      else animation.cancel();
    }
  };
  const shape = () => {
    const root = document.documentElement;
    const parts = [scrollX, scrollY, root.scrollWidth, root.scrollHeight, document.fonts.status];
    for (const element of root.getElementsByTagName('*')) {
      const r = element.getBoundingClientRect();
      parts.push(r.left, r.top, r.width, r.height);
    }
    return parts.join();
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  stop();
  let before = shape();
  for (let n = 0; n < frames; n++) {
    await frame();
    stop();
    const now = shape();
    if (now === before && there()) return {ready: true, still: true};
    before = now;
  }
  return {ready: there(), still: false};
}"""

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
MEASURE_JS = """async ({marks, redactions, focus, details}) => {
  await document.fonts.ready;
  const W = innerWidth, H = innerHeight;
  const box = (r) => [r.left, r.top, r.width, r.height];
  const clip = (r) => {
    const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top);
    const x1 = Math.min(W, r.right), y1 = Math.min(H, r.bottom);
    return x1 - x0 >= 1 && y1 - y0 >= 1 ? {left: x0, top: y0, right: x1, bottom: y1} : null;
  };
  const outward = (r) => {
    const x = Math.floor(r.left), y = Math.floor(r.top);
    return [x, y, Math.ceil(r.right) - x, Math.ceil(r.bottom) - y];
  };
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const REPLACED = /^(img|svg|canvas|video|input|select|textarea|button|iframe)$/i;
  const painted = (el) => {
    const s = getComputedStyle(el);
    const edge = ['Top', 'Right', 'Bottom', 'Left'].some(
      (side) => parseFloat(s['border' + side + 'Width']) > 0
        && s['border' + side + 'Style'] !== 'none');
    return REPLACED.test(el.tagName) || edge || s.boxShadow !== 'none'
      || s.backgroundImage !== 'none' || !/^rgba\\(.*, 0\\)$|^transparent$/.test(s.backgroundColor);
  };
  // Text cut off by an ancestor's overflow (an ellipsis) shows only inside it.
  const clips = new Map();
  const clipOf = (el) => {
    if (!el || el === document.documentElement) return new DOMRect(0, 0, W, H);
    if (clips.has(el)) return clips.get(el);
    const outer = clipOf(el.parentElement);
    let result = outer;
    const s = getComputedStyle(el);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      const left = Math.max(outer.left, r.left), top = Math.max(outer.top, r.top);
      const right = Math.min(outer.right, r.right), bottom = Math.min(outer.bottom, r.bottom);
      result = new DOMRect(left, top, Math.max(right - left, 0), Math.max(bottom - top, 0));
    }
    clips.set(el, result);
    return result;
  };
  const lines = (root) => {
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!/\\S/.test(node.data) || !parent || !shown(parent)) continue;
      range.selectNodeContents(node);
      const bounds = clipOf(parent);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, bounds.left), top = Math.max(r.top, bounds.top);
        const right = Math.min(r.right, bounds.right), bottom = Math.min(r.bottom, bounds.bottom);
        if (right > left && bottom > top) {
          found.push({r: new DOMRect(left, top, right - left, bottom - top), parent});
        }
      }
    }
    return found;
  };
  // A mark outlines what the element shows: a bare wrapper far wider than
  // its words is outlined around the words, a button around the button.
  const ink = (el) => {
    const r = el.getBoundingClientRect();
    if (painted(el)) return r;
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    const add = (b) => {
      if (b.width < 1 || b.height < 1) return;
      left = Math.min(left, b.left); top = Math.min(top, b.top);
      right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
    };
    for (const {r: b} of lines(el)) add(b);
    for (const child of el.querySelectorAll('*')) {
      if (shown(child) && painted(child)) add(child.getBoundingClientRect());
    }
    if (left === Infinity) return r;
    left = Math.max(left, r.left); top = Math.max(top, r.top);
    right = Math.min(right, r.right); bottom = Math.min(bottom, r.bottom);
    return new DOMRect(left, top, right - left, bottom - top);
  };
  const SEMANTIC = 'section,article,form,li,dialog,fieldset,figure,aside,table,tr,dl,'
    + '[role=dialog],[role=alertdialog],[role=listitem],[role=group],[role=region],'
    + '[role=article],[role=form],[role=row],[role=radiogroup],[role=tablist],'
    + '[role=toolbar],[role=menu]';
  const context = (el) => {
    const r = el.getBoundingClientRect();
    const area = Math.max(r.width * r.height, 1);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const b = a.getBoundingClientRect();
      const seen = clip(b);
      if (!seen) continue;
      // Most of the screen, or a whole wide page's width, is no focus.
      const width = seen.right - seen.left;
      if (width * (seen.bottom - seen.top) > 0.6 * W * H || width > Math.max(0.75 * W, 480)) {
        return null;
      }
      const larger = b.width * b.height >= 3 * area
        && (b.width > r.width + 24 || b.height > r.height + 24);
      if (a.matches(SEMANTIC) || larger) return box(b);
    }
    return null;
  };
  const measure = (el) => el && el.isConnected && shown(el)
    ? {box: box(ink(el)), context: context(el)} : null;
  const result = {
    marks: marks.map(measure),
    redactions: redactions.map((el) => el && el.isConnected
      ? {box: box(el.getBoundingClientRect()), context: context(el)} : null),
    focus: focus && focus.isConnected ? box(focus.getBoundingClientRect()) : null,
  };
  if (!details) return result;
  const text = [];
  for (const {r, parent} of lines(document.body)) {
    const c = clip(r);
    if (!c) continue;
    // Text under a fixed bar or a dialog's backdrop is not on the screen.
    const hit = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
    if (hit && !(hit === parent || parent.contains(hit) || hit.contains(parent))) continue;
    text.push(outward(c));
  }
  // A field's text is inside its border and padding.
  for (const field of document.querySelectorAll('input:not([type=hidden]),textarea,select')) {
    if (!shown(field)) continue;
    const r = field.getBoundingClientRect(), s = getComputedStyle(field);
    const inset = (side) => parseFloat(s['border' + side + 'Width'])
      + parseFloat(s['padding' + side]);
    const left = r.left + inset('Left'), top = r.top + inset('Top');
    const right = r.right - inset('Right'), bottom = r.bottom - inset('Bottom');
    const c = clip(new DOMRect(left, top, right - left, bottom - top));
    if (c) text.push(outward(c));
  }
  const bars = [], elements = [], panels = [];
  // A page's footer says nothing about the screen; a footer fixed to the
  // bottom (a phone's tab bar) is caught as fixed.
  const BAR = 'header,nav,[role=banner],[role=tablist],[role=navigation]';
  const CONTROL = '[role=button],[role=tab],[role=img],[role=switch],[role=checkbox],[role=radio]';
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const c = clip(el.getBoundingClientRect());
    if (!c) continue;
    const width = c.right - c.left, height = c.bottom - c.top;
    const position = getComputedStyle(el).position;
    const edge = c.top <= 0.25 * H || c.bottom >= 0.75 * H;
    const fixed = (position === 'fixed' || position === 'sticky') && edge;
    if ((el.matches(BAR) || fixed) && width >= 0.5 * W && height <= 0.35 * H) bars.push(outward(c));
    if ((REPLACED.test(el.tagName) || el.matches(CONTROL)) && height <= 0.5 * H) {
      elements.push(outward(c));
    } else if (height <= 0.5 * H && painted(el)) {
      // Only whole on the screen: a card running off it is cut by the screen anyway.
      const r = el.getBoundingClientRect();
      if (r.top >= 0 && r.left >= 0 && r.bottom <= H && r.right <= W) panels.push(outward(c));
    }
  }
  const order = (a, b) => a[1] - b[1] || a[0] - b[0] || a[3] - b[3] || a[2] - b[2];
  const unique = (list, limit) => {
    const seen = new Set();
    const fresh = (b) => !seen.has(b.join()) && seen.add(b.join());
    return list.sort(order).filter(fresh).slice(0, limit);
  };
  return {
    ...result, text: unique(text, 400), bars: unique(bars, 20), elements: unique(elements, 200),
    panels: unique(panels, 200),
  };
}"""

# A page load waits on the server and a cold browser, not on the app's UI, so
# it gets more time than finding an element.
NAVIGATION_TIMEOUT_MS = 30_000


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


def context_options(
    config: Config,
    playwright: Playwright,
    platform: Platform,
    lang: str,
    scheme: ColorScheme = "light",
) -> dict:
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
        self.redact: list[tuple[str, Target]] = []
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

    def where(self) -> tuple[str, str]:
        return self.page.url, self.screen()

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

    def screenshot(self) -> bytes:
        """The picture of the screen. A page that did not keep still when it last settled
        is taken again until two pictures in a row are the same (as Playwright's
        toHaveScreenshot does), for at most the action timeout; a still page is taken
        once (within a page load, two pictures of a still page are always the same)."""
        # Taking the picture waits on the machine, not on the app: it gets a page load's time.
        shot = self.page.screenshot(
            animations="disabled", caret="hide", scale="device", timeout=NAVIGATION_TIMEOUT_MS
        )
        deadline = time.monotonic() + self.config.timeout_ms / 1000
        while not self.still and time.monotonic() < deadline:
            again = self.page.screenshot(
                animations="disabled", caret="hide", scale="device", timeout=NAVIGATION_TIMEOUT_MS
            )
            if again == shot:
                break
            shot = again
        return shot

    def perform(self, action: Any, element: Locator | None) -> None:
        page = self.page
        if isinstance(action, Tap | Click):
            assert element is not None
            if self.platform == "web":
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


def _box(values: list[float] | None) -> Box | None:
    if values is None or values[2] <= 0 or values[3] <= 0:
        return None
    return Box(*(round(v, 2) for v in values))


def _boxes(values: list[list[float]] | None) -> tuple[Box, ...]:
    return tuple(Box(*v) for v in values or ())


class _Marked:
    """A mark of the frame being built: its element and where it was last seen."""

    def __init__(self, number: int, handle: ElementHandle | None) -> None:
        self.number = number
        self.handle = handle
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
        if session.shoot:
            redactions = [
                (style, h) for style, target in session.redact for h in session.handles(target)
            ]
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
        if self.group and self.group[-1].box is None:
            raise _ActionFailed("the element has no size on screen")
        marks = tuple(Mark(m.number, m.box, m.context) for m in self.group if m.box is not None)
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
        if args is not None and args.message is not None:
            wanted = text_in(args.message, session.lang)
            if wanted not in shown.message:
                raise _ActionFailed(f"the dialog says '{shown.message}', expected '{wanted}'")
        behind = self.pending or (self.frames[-1] if self.frames else None)
        self.close_frame()
        self.number += 1
        size = session.page.viewport_size or {"width": 1280, "height": 800}
        viewport = (size["width"], size["height"])
        box = Box(*pressed_box(shown, session.platform, viewport, session.lang))
        # The whole drawn dialog is the button's container, so a crop keeps it whole.
        panel = Box(*dialog_plan(shown, session.platform, viewport, session.lang).panel)
        png = behind.png if behind is not None else self.shoot().png
        redactions = behind.redactions if behind is not None else ()
        self.frames.append(
            Frame(png, (Mark(self.number, box, panel),), redactions, panels=(panel,), dialog=shown)
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
            if self.pending is not None and session.where() != before:
                self.close_frame()
            return
        assert element is not None and target is not None
        self.number += 1
        session.reveal(element)
        self.group.append(_Marked(self.number, element.element_handle()))
        # A filled-in field is shown filled; a tap is shown before it happens.
        if isinstance(action, Fill | Select):
            session.perform(action, element)
            session.no_unexpected_dialog()
            if isinstance(action, Fill) and isinstance(action.fill.value, EnvValue):
                # A value from the environment is a secret: never in an image.
                session.redact.append(("mask", target))
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
        if session.where() != before or element.count() == 0:
            self.close_frame()

    def run(self) -> StepShot:
        following = [*self.step.actions[1:], None][: len(self.step.actions)]
        for action, after in zip(self.step.actions, following, strict=True):
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
    session.redact.extend(("blur", target) for target in guide.redact)
    shots: list[StepShot] = []
    number, action, step_id = 0, "open the start page", ""
    failed = False
    try:
        page.clock.set_fixed_time(dt.datetime.fromisoformat(config.clock))
        start = config.start_url.format(platform=platform, lang=lang, scenario=guide.scenario or "")
        page.goto(base_url.rstrip("/") + "/" + start.lstrip("/"), timeout=NAVIGATION_TIMEOUT_MS)
        # The first screen waits on a cold browser and the app's start-up, not on the UI.
        session.settle(NAVIGATION_TIMEOUT_MS)
        for step in steps_for(guide, platform):
            number, action, step_id = step.number, f"step {step.number}", step.id
            shots.append(_StepRun(session, step).run())
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
            scheme,
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
        scheme=scheme,
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
        return page.screenshot(animations="disabled", caret="hide", timeout=NAVIGATION_TIMEOUT_MS)
    except PlaywrightError:
        return None
