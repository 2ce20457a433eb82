"""The runner against a tiny fixture app: frames, marks, redactions, failures."""

from __future__ import annotations

import time
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Browser, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from guidegen.capture.frames import Run
from guidegen.capture.framing import MARK_ROOM, related
from guidegen.capture.page import MEASURE_JS, REVEAL_JS, SCROLLS_JS
from guidegen.capture.runner import run_guide
from guidegen.capture.session import _Session
from guidegen.capture.targets import GuideFailed
from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.server import Handler, serve


def guide(*steps: dict[str, Any], **extra: Any) -> Guide:
    return Guide.model_validate(
        {"id": "g", "title": {"en": "T"}, "summary": {"en": "S"}, "steps": list(steps), **extra}
    )


def run(
    browser: Browser, playwright: Playwright, config: Config, url: str, g: Guide, platform="ios"
) -> Run:
    return run_guide(browser, playwright, config, g, platform, "en", url)


def test_a_tap_that_changes_screen_starts_a_new_frame(browser, playwright, app_config, app_url):
    g = guide(
        {
            "text": {"en": "①{tap} Next, ②type, ③send"},
            "actions": [
                {"tap": "next"},
                {"fill": {"target": "message", "value": "hello"}},
                {"tap": "send"},
            ],
        },
        {"text": {"en": "Done"}, "actions": [{"expect-text": {"target": "sent", "text": "hello"}}]},
    )
    result = run(browser, playwright, app_config, app_url, g)
    first, second = result.steps
    assert [[m.number for m in f.marks] for f in first.frames] == [[1], [2, 3]]
    assert len(second.frames) == 1 and second.frames[0].marks == ()
    assert all(f.png.startswith(b"\x89PNG") for s in result.steps for f in s.frames)
    assert result.device == "iPhone 13" and result.scale == 3 and result.viewport == (390, 664)


def test_marks_are_boxed_where_the_element_is(browser, playwright, app_config, app_url):
    g = guide({"text": {"en": "①"}, "actions": [{"highlight": "next"}]})
    page_run = run(browser, playwright, app_config, app_url, g, "web")
    (frame,) = page_run.steps[0].frames
    (mark,) = frame.marks
    assert 0 < mark.box.y < 300 and mark.box.width > 20 and mark.box.height > 20


def test_a_far_target_is_scrolled_into_view(browser, playwright, app_config, app_url):
    g = guide({"text": {"en": "①"}, "actions": [{"highlight": "far"}]})
    (frame,) = run(browser, playwright, app_config, app_url, g).steps[0].frames
    assert 0 <= frame.marks[0].box.y < 664


def test_a_target_covered_by_a_fixed_bar_is_scrolled_clear_of_it(
    browser, playwright, app_config, app_url
):
    g = guide({"text": {"en": "①"}, "actions": [{"highlight": "under-bar"}]})
    (frame,) = run(browser, playwright, app_config, app_url, g).steps[0].frames
    box = frame.marks[0].box
    assert box.y + box.height <= 664 - 120


def test_blur_records_the_box_of_personal_data(browser, playwright, app_config, app_url):
    g = guide({"text": {"en": "look"}, "actions": [{"blur": "secret"}]})
    (frame,) = run(browser, playwright, app_config, app_url, g).steps[0].frames
    assert [r.style for r in frame.redactions] == ["blur"]


def test_clock_is_frozen_at_the_configured_time(browser, playwright, app_config, app_url):
    g = guide(
        {
            "text": {"en": "x"},
            "actions": [{"expect-text": {"target": "today", "text": "2026-11-26"}}],
        }
    )
    run(browser, playwright, app_config, app_url, g)


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        ({"tap": "missing"}, "no element with test id 'missing'"),
        ({"tap": {"role": "button", "name": "Nope"}}, "no element with role button named 'Nope'"),
        (
            {"tap": "dup"},
            "2 elements match test id 'dup'; make the target specific: a test id, or the one "
            'you mean of {css: "section > button:nth-of-type(1)"} or '
            '{css: "section > button:nth-of-type(2)"}',
        ),
        ({"expect-absent": "message"}, "test id 'message' is visible but should be absent"),
    ],
)
def test_a_failure_names_guide_step_platform_action_and_screen(
    browser, playwright, app_config, app_url, action, reason
):
    g = guide(
        {"text": {"en": "①"}, "actions": [{"tap": "next"}]},
        {"text": {"en": "x"}, "actions": [action]},
    )
    # The failing action waits out the whole timeout; half the default is still
    # ample for the tap before it on a busy machine.
    config = replace(app_config, timeout_ms=5000)
    with pytest.raises(GuideFailed) as caught:
        run(browser, playwright, config, app_url, g, "android")
    failure = caught.value.failure
    assert (failure.guide, failure.step, failure.platform, failure.lang) == (
        "g",
        2,
        "android",
        "en",
    )
    assert reason in failure.reason
    assert failure.screen == "form"
    assert failure.screenshot and failure.screenshot.startswith(b"\x89PNG")
    line = failure.line("shot.png")
    assert line.startswith("g › step 2 'step-2' › android/en: ")
    assert line.endswith("(screen: form); screenshot: shot.png")


class _SaveFails(Handler):
    """The fixture server of an app whose save answers 500 Internal Server Error."""

    def do_POST(self) -> None:
        self.send_error(500)


SAVE_PAGE = """<body data-ready='true'><button data-testid='save'>Save</button><script>
  document.querySelector('button').onclick = async () => {
    const answer = await fetch('/api/save?token=abc123', {method: 'POST'});
    if (answer.ok) document.body.insertAdjacentHTML('beforeend', '<p data-testid=saved>Saved</p>');
  };
</script>"""


def test_a_failure_names_the_server_errors_the_app_answered_during_the_run(
    browser, playwright, app_config, tmp_path
):
    """Radicale answered a sign-in with 500 (its storage folder was gone): the run
    failed on the next screen's element, and only the picture showed why."""
    (tmp_path / "index.html").write_text(SAVE_PAGE)
    g = guide({"text": {"en": "①"}, "actions": [{"tap": "save"}, {"expect-visible": "saved"}]})
    with serve(tmp_path, handler=_SaveFails) as url, pytest.raises(GuideFailed) as caught:
        run(browser, playwright, replace(app_config, timeout_ms=5000), url, g, "web")
    reason = caught.value.failure.reason
    assert reason.endswith("; the app answered 500 to POST /api/save during the run"), reason
    assert "abc123" not in reason


UNTIED_LABELS = """<body data-ready='true'>
<form hidden><label for='title'>Title:</label><input id='title'></form>
<form><label for='title'>Title:</label><input id='create_title'>
<label>Notes</label><textarea class='notes'></textarea></form>"""


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        (
            "Title:",
            "label 'Title:' is on the screen but tied to no field there (its for=\"title\" "
            'names a hidden element); target the field beside it: {css: "input#create_title"}',
        ),
        (
            "Notes",
            "label 'Notes' is on the screen but tied to no field there (it has no for); "
            'target the field beside it: {css: "textarea.notes"}',
        ),
    ],
)
def test_a_label_tied_to_no_field_on_the_screen_is_named_with_the_field_beside_it(
    browser, playwright, app_config, tmp_path, label, reason
):
    """Radicale's create form labels its title field with for="displayname", the
    id of the edit form's field, which is hidden: the run said the label's field
    was hidden, and nothing of the field the reader sees."""
    (tmp_path / "index.html").write_text(UNTIED_LABELS)
    g = guide(
        {"text": {"en": "①"}, "actions": [{"fill": {"target": {"label": label}, "value": "x"}}]}
    )
    with serve(tmp_path) as url, pytest.raises(GuideFailed) as caught:
        run(browser, playwright, app_config, url, g, "web")
    assert caught.value.failure.reason == reason
    assert caught.value.failure.missing  # drift: reported once the page is still, no trace


def test_a_missing_expected_text_is_drift_reported_once_the_page_is_still(
    browser, playwright, app_config, app_url
):
    g = guide(
        {"text": {"en": "x"}, "actions": [{"expect-text": {"target": "today", "text": "1999"}}]}
    )
    # Waiting out this timeout would fail the test: a still page without the text
    # is reported after a window of a tenth of it.
    config = replace(app_config, timeout_ms=60000)
    started = time.monotonic()
    with pytest.raises(GuideFailed) as caught:
        run(browser, playwright, config, app_url, g, "web")
    assert time.monotonic() - started < config.timeout_ms / 1000
    failure = caught.value.failure
    assert failure.reason == "expected text '1999', found '2026-11-26'"
    # Drift: check does not run it again with a trace.
    assert failure.missing


def test_the_same_run_gives_the_same_pixels(browser, playwright, app_config, app_url):
    g = guide({"text": {"en": "①"}, "actions": [{"tap": "next"}]})
    first = run(browser, playwright, app_config, app_url, g)
    second = run(browser, playwright, app_config, app_url, g)
    assert first.steps[0].frames[0].png == second.steps[0].frames[0].png


def test_a_frame_records_the_screen_text_bars_and_each_marks_container(
    browser, playwright, app_config, app_url
):
    g = guide(
        {"text": {"en": "①"}, "actions": [{"tap": "next"}]},
        {"text": {"en": "①"}, "actions": [{"highlight": "message"}]},
    )
    home, form = (s.frames[0] for s in run(browser, playwright, app_config, app_url, g).steps)
    (next_button,) = home.marks
    # The button's label is a line of text on the screen, inside the button.
    assert any(next_button.box.contains(line) for line in home.text)
    assert home.text == tuple(sorted(home.text, key=lambda b: (b.y, b.x, b.height, b.width)))
    # The fixed tab bar at the bottom of the screen is a bar.
    assert any(bar.bottom == 664 and bar.width == 390 and bar.height == 120 for bar in home.bars)
    assert all(b.x >= 0 and b.right <= 390 and b.y >= 0 and b.bottom <= 664 for b in home.text)
    (message,) = form.marks
    assert message.context is not None and message.context.contains(message.box)
    assert message.context.height > message.box.height * 2
    # The controls on the screen: the marked button, not the one under the bar
    # nor the one scrolled off it; a field, buttons, not the field's label.
    assert any(related(control, next_button.box) for control in home.controls)
    assert all(control.bottom <= 664 - 120 for control in home.controls)
    assert len(form.controls) == 4 and any(related(c, message.box) for c in form.controls)


def test_a_mark_outlines_what_a_bare_element_shows(browser, playwright, app_config, app_url):
    g = guide({"text": {"en": "①"}, "actions": [{"highlight": "wide"}]})
    (frame,) = run(browser, playwright, app_config, app_url, g).steps[0].frames
    (mark,) = frame.marks
    # A paragraph spans the screen; its one word is what the reader looks for.
    assert 20 < mark.box.width < 100


def test_a_step_can_crop_to_an_element_or_show_the_whole_screen(
    browser, playwright, app_config, app_url
):
    g = guide(
        {"text": {"en": "①"}, "actions": [{"tap": "next"}], "crop": "full"},
        {"text": {"en": "①"}, "actions": [{"highlight": "send"}], "crop": {"element": "compose"}},
    )
    home, form = (s.frames[0] for s in run(browser, playwright, app_config, app_url, g).steps)
    assert home.crop.full
    assert form.crop.element is not None and form.crop.element.contains(form.marks[0].box)


def test_a_crop_element_that_is_not_on_the_screen_fails_the_step(
    browser, playwright, app_config, app_url
):
    g = guide({"text": {"en": "①"}, "actions": [{"tap": "next"}], "crop": {"element": "nope"}})
    with pytest.raises(GuideFailed) as caught:
        run(browser, playwright, app_config, app_url, g)
    assert "no test id 'nope' on the step's screens" in caught.value.failure.reason


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (100, 100),  # in view: not scrolled
        (560, 664 - 200 - MARK_ROOM),  # partly below: to the bottom edge, room for the outline
        (2000, (664 - 200) / 2),  # out of view: brought to the middle
    ],
)
def test_reveal_scrolls_as_the_browser_does_when_needed(
    browser: Browser, top: int, expected: float
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 664})
    page.set_content(
        "<body style='margin:0;height:4000px'>"
        f"<div id='box' style='position:absolute;top:{top}px;width:100px;height:200px'></div>"
    )
    page.locator("#box").evaluate(REVEAL_JS, MARK_ROOM)
    assert page.locator("#box").bounding_box()["y"] == pytest.approx(expected, abs=1)
    page.close()


@pytest.mark.parametrize(
    ("page_height", "position", "moves"),
    [
        (4000, "absolute", True),  # the page scrolls on: room is made for the outline
        (664, "absolute", False),  # the page's end: no scroll can make room
        (4000, "fixed", False),  # held by the screen: a scroll leaves it where it is
    ],
)
def test_reveal_makes_room_for_the_outline_of_an_element_at_the_screens_edge(
    browser: Browser, page_height: int, position: str, moves: bool
) -> None:
    """sqlite-web's year field ended 0.3 px above an iPhone screen's bottom: in
    view, so not scrolled, and its mark's outline was cut at the picture's edge."""
    page = browser.new_page(viewport={"width": 390, "height": 664})
    page.set_content(
        f"<body style='margin:0;height:{page_height}px'>"
        f"<input id='box' style='position:{position};top:626px;height:36px;border:0'>"
    )
    box = page.locator("#box")
    assert box.evaluate(SCROLLS_JS, MARK_ROOM) is moves
    assert box.evaluate(REVEAL_JS, MARK_ROOM) is moves
    bottom = 664 - MARK_ROOM if moves else 626 + 36
    assert box.bounding_box()["y"] + 36 == pytest.approx(bottom, abs=0.5)
    # The room was a scroll margin for that scroll only: the element is as it was.
    assert box.get_attribute("style") == f"position:{position};top:626px;height:36px;border:0"
    page.close()


def test_reveal_brings_a_button_half_under_a_fixed_bar_clear_of_it(browser: Browser) -> None:
    # Its middle shows above the tab bar, its lower half does not.
    page = browser.new_page(viewport={"width": 390, "height": 664})
    page.set_content(
        "<body style='margin:0;height:4000px'>"
        "<button id='box' style='position:absolute;top:504px;height:60px'>Submit</button>"
        "<nav style='position:fixed;bottom:0;left:0;right:0;height:120px;background:#333'></nav>"
    )
    page.locator("#box").evaluate(REVEAL_JS, MARK_ROOM)
    assert page.locator("#box").bounding_box()["y"] == pytest.approx((664 - 60) / 2, abs=1)
    page.close()


def test_a_text_box_is_pictured_from_its_first_line(browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 664})
    page.set_content("<body><textarea id='box' rows='2'></textarea>")
    page.locator("#box").fill("one\ntwo\nthree\nfour\nfive")
    assert page.locator("#box").evaluate("(el) => el.scrollTop") > 0
    page.evaluate(MEASURE_JS, {"marks": [], "redactions": [], "focus": None, "details": True})
    assert page.locator("#box").evaluate("(el) => el.scrollTop") == 0
    page.close()


def test_a_window_that_ends_on_a_still_page_looks_once_more_before_missing() -> None:
    """On a loaded machine a window can end before the browser has answered about
    an element that is there: the page is still, so one look with no time limit
    decides, and only its answer says missing."""
    still = SimpleNamespace(
        config=SimpleNamespace(timeout_ms=60_000),
        _watch=lambda reset=False: not reset,
        network=SimpleNamespace(busy=lambda: False),
    )

    def slow(ms: int) -> None:
        raise PlaywrightTimeout(f"no answer within {ms} ms")

    start = time.monotonic()
    assert _Session.until_still(still, slow, lambda: True)  # type: ignore[arg-type]
    assert not _Session.until_still(still, slow, lambda: False)  # type: ignore[arg-type]
    assert time.monotonic() - start < 60  # decided by the still page, not the timeout
