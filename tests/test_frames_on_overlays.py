"""A change of screen within a step starts a new frame, not only a new address: a
flyout over an earlier mark, a menu opening, a scroll that takes a mark away. A
mark whose element is covered when its picture is taken fails the run, naming
the element on top."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from guidegen.capture.runner import run_guide
from guidegen.capture.targets import GuideFailed
from guidegen.server import serve
from tests.test_dialogs import config, guide

APP = Path(__file__).resolve().parent / "fixtures" / "overlays"


@pytest.fixture(scope="module")
def overlays_app() -> Iterator[str]:
    with serve(APP) as url:
        yield url


STEPS = guide(
    {
        "id": "flyout",
        "text": {"en": "{Tap} ① Save, ② Menu and ③ Rename."},
        "actions": [{"tap": "save"}, {"tap": "menu"}, {"tap": "rename"}],
    },
    {
        "id": "close",
        "text": {"en": "{Tap} ① Menu again."},
        "actions": [{"tap": "menu"}],
    },
    {
        "id": "label",
        "text": {"en": "Type ① your email."},
        "actions": [{"fill": {"target": "email", "value": "mio@example.com"}}],
    },
    {
        "id": "menu",
        "text": {"en": "{Tap} ① More, then ② Export."},
        "actions": [{"tap": "more"}, {"tap": "export"}],
    },
    {
        "id": "scroll",
        "text": {"en": "{Tap} ① Save, then ② Far away."},
        "actions": [{"tap": "save"}, {"tap": "far"}],
    },
    {
        "id": "fill",
        "text": {"en": "Type ① a name, then {tap} ② Far away."},
        "actions": [{"fill": {"target": "name", "value": "Mio"}}, {"tap": "far"}],
    },
)


@pytest.mark.parametrize("platform", ["ios", "web"])
def test_each_mark_lands_on_a_frame_that_shows_its_target(
    browser, playwright, overlays_app, tmp_path, platform
):
    run = run_guide(browser, playwright, config(tmp_path), STEPS, platform, "en", overlays_app)
    frames = {s.step.id: [[m.number for m in f.marks] for f in s.frames] for s in run.steps}
    assert frames == {
        # The flyout that Menu opens covers Save: Rename is on a frame of its own.
        "flyout": [[1, 2], [3]],
        "close": [[1]],
        # A field's own label over it does not cover it.
        "label": [[1]],
        # A menu opening is a new screen, though it covers no earlier mark.
        "menu": [[1], [2]],
        # Far away is a scroll away: Save stays on the screen it was on.
        "scroll": [[1], [2]],
        # The field filled in is pictured before the page scrolls to Far away.
        "fill": [[1], [2]],
    }
    # The marks are where their elements were: Save and Menu on the first frame.
    first, second = run.steps[0].frames
    save, menu = first.marks
    (rename,) = second.marks
    assert menu.box.x < save.box.x and rename.box.x < save.box.right


def test_a_mark_covered_when_its_picture_is_taken_fails_naming_what_covers_it(
    browser, playwright, overlays_app, tmp_path
):
    g = guide(
        {"text": {"en": "Start."}},
        {
            "id": "help",
            "text": {"en": "① Help is here."},
            "actions": [{"highlight": "help"}],
        },
    )
    for shoot in (True, False):  # capture and check alike
        with pytest.raises(GuideFailed) as failed:
            run_guide(
                browser, playwright, config(tmp_path), g, "web", "en", overlays_app, shoot=shoot
            )
        failure = failed.value.failure
        assert (failure.step, failure.step_id) == (2, "help")
        assert failure.reason.startswith(
            "mark ① (test id 'help') is covered by div.cookie-banner at its centre"
        ), failure.reason


@pytest.mark.parametrize("platform", ["ios", "web"])
def test_of_the_elements_a_target_matches_the_one_on_top_is_meant(
    browser, playwright, overlays_app, tmp_path, platform
):
    """With the flyout open, 'Save' names two buttons: the page's, under the
    flyout, and the flyout's own. A reader sees the flyout's, and so does the run
    (Fava: the filter's Account field behind a dialog that has one too)."""
    g = guide(
        {
            "text": {"en": "{Tap} ① Menu, then ② Save."},
            "actions": [
                {"tap": "menu"},
                {"tap": {"role": "button", "name": "Save"}},
                {"expect-text": {"target": "status", "text": "Saved from the menu"}},
            ],
        },
    )
    run_guide(browser, playwright, config(tmp_path), g, platform, "en", overlays_app)
    # With the flyout closed, the page's own Save is the one.
    g = guide(
        {
            "text": {"en": "{Tap} ① Save."},
            "actions": [
                {"tap": {"role": "button", "name": "Save"}},
                {"expect-text": {"target": "status", "text": "Saved"}},
            ],
        },
    )
    run_guide(browser, playwright, config(tmp_path), g, platform, "en", overlays_app)
