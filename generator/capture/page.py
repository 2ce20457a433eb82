"""The page functions the runner hands to the browser (read from js/), and
what it learns from the page between them: the requests in flight, which
screen it is."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import (
    Page,
    Request,
    Response,
)

from ..jsfiles import script

JS = Path(__file__).parent / "js"


# The screen a failure happened on is named by the nearest [data-screen]
# attribute when the app has one, else by the page title.
SCREEN_JS = script(JS, "screen.js")


# What tells one screen from another besides its address: its name, and the
# overlays open on it (dialogs, menus, listboxes, popovers) by name; with
# whether each of the marks taken on it is still the topmost at its centre.
STATE_JS = script(JS, "state.js")


# Whether revealing the element will scroll the page (REVEAL_JS's conditions).
SCROLLS_JS = script(JS, "scrolls.js")


# Scrolled as the browser's "scroll into view if needed" does, on each axis: not
# at all when the element is in view, to the nearest edge when it is partly in
# view, to the middle when it is out of view; at the nearest edge with a margin
# (framing.MARK_ROOM) for its mark's outline, also when it is in view but too
# close to the top or bottom to show the outline whole (near_edge.js). In one
# call, since a reveal comes before every mark. In view is not enough: a fixed
# bar (a phone's tab bar) can cover an element that the viewport contains; then
# it goes to the middle. Says whether it scrolled.
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
    waited for; an event stream is open by design. Also the server errors the
    app answered, which explain most runs that fail on a real app."""

    def __init__(self, page: Page, timeout_s: float) -> None:
        self.open: dict[Request, float] = {}
        self.events = 0
        self.timeout_s = timeout_s
        # Each as "500 to POST /path": no query, which may carry a token.
        self.server_errors: list[str] = []
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("response", self._answered)

    def _answered(self, response: Response) -> None:
        if response.status >= 500:
            path = urlsplit(response.url).path or "/"
            answer = f"{response.status} to {response.request.method} {path}"
            if answer not in self.server_errors:
                self.server_errors.append(answer)

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


# For a missing CSS selector: the visible elements a looser form of it finds,
# written as selectors, so that the nearest can be named like the one missing.
CSS_NEAR_JS = script(JS, "css_near.js")

# For elements that one target matched, a CSS selector of each that finds it alone.
TELL_APART_JS = script(JS, "tell_apart.js")

# For elements that one target matched, whether another element covers each.
COVERED_JS = script(JS, "covered.js")

# For a label target that finds no field: a label on the screen with its text
# that is tied to no field, and the field beside it.
UNTIED_LABEL_JS = script(JS, "untied_label.js")


# Selects the first occurrence of the words (or all the text) in a field or
# in an element's text, as dragging over it would, and focuses the editor that
# holds it so that its toolbar shows. Returns whether the words were found.
SELECT_JS = script(JS, "select.js")

# For a select action: whether the list offers the option, and, when it does
# not, the labels it offers instead.
HAS_OPTION_JS = script(JS, "has_option.js")
OPTION_LABELS_JS = script(JS, "option_labels.js")
