"""Native dialogs: answered by accept-dialog/dismiss-dialog, drawn in the platform's
style with the pressed button marked; an unexpected one fails naming its message."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from generator.config import Config
from generator.dialogs import dialog_for, draw, pressed_box
from generator.model import Guide
from generator.runner import GuideFailed, run_guide
from generator.server import serve

PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>Dialogs</title>
<body data-ready="true" style="margin:0;font:16px sans-serif">
<button data-testid="cancel" onclick="
  const ok = confirm('Cancel the reservation?');
  document.querySelector('[data-testid=result]').textContent = ok ? 'cancelled' : 'kept';
">Cancel reservation</button>
<button data-testid="rename" onclick="
  document.querySelector('[data-testid=result]').textContent = prompt('New name?', 'old') ?? 'none';
">Rename</button>
<p data-testid="result"></p></body></html>"""


@pytest.fixture(scope="module")
def dialog_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dialog-app")
    (folder / "index.html").write_text(PAGE)
    with serve(folder) as url:
        yield url


def guide(*steps: dict[str, Any]) -> Guide:
    return Guide.model_validate(
        {"id": "g", "title": {"en": "T"}, "summary": {"en": "S"}, "steps": list(steps)}
    )


def config(tmp_path: Path) -> Config:
    return Config(root=tmp_path, languages=("en",), start_url="/index.html", timeout_ms=5000)


def test_accept_dialog_answers_the_confirm_and_keeps_it_for_the_image(
    browser, playwright, dialog_app, tmp_path
):
    g = guide(
        {
            "text": {"en": "{Tap} ① Cancel reservation, then ② OK."},
            "actions": [
                {"tap": "cancel"},
                {"accept-dialog": {"message": "Cancel the"}},
                {"expect-text": {"target": "result", "text": "cancelled"}},
            ],
        }
    )
    run = run_guide(browser, playwright, config(tmp_path), g, "ios", "en", dialog_app)
    first, second = run.steps[0].frames
    assert [m.number for m in first.marks] == [1] and first.dialog is None
    assert second.dialog == dialog_for("confirm", "Cancel the reservation?", "en", True, None)
    (mark,) = second.marks
    assert mark.number == 2
    assert (mark.box.x, mark.box.y, mark.box.width, mark.box.height) == pressed_box(
        second.dialog, "ios", run.viewport, "en"
    )


def test_dismiss_dialog_types_into_a_prompt_and_presses_cancel(
    browser, playwright, dialog_app, tmp_path
):
    g = guide(
        {
            "text": {"en": "① ②"},
            "actions": [
                {"tap": "rename"},
                {"dismiss-dialog": {"prompt": "new"}},
                {"expect-text": {"target": "result", "text": "none"}},
            ],
        }
    )
    run = run_guide(browser, playwright, config(tmp_path), g, "web", "en", dialog_app)
    shown = run.steps[0].frames[1].dialog
    assert shown is not None and shown.kind == "prompt" and shown.buttons[shown.pressed] == "Cancel"


def test_an_unexpected_dialog_fails_naming_its_message_and_step(
    browser, playwright, dialog_app, tmp_path
):
    g = guide(
        {"text": {"en": "Start."}},
        {"id": "cancel-it", "text": {"en": "{Tap} ①."}, "actions": [{"tap": "cancel"}]},
    )
    with pytest.raises(GuideFailed) as failed:
        run_guide(browser, playwright, config(tmp_path), g, "web", "en", dialog_app)
    failure = failed.value.failure
    assert failure.step == 2 and failure.step_id == "cancel-it"
    assert "unexpected confirm dialog 'Cancel the reservation?'" in failure.reason


def test_a_dialog_that_says_something_else_fails(browser, playwright, dialog_app, tmp_path):
    g = guide(
        {
            "text": {"en": "① ②"},
            "actions": [{"tap": "cancel"}, {"accept-dialog": {"message": "Delete everything"}}],
        }
    )
    with pytest.raises(GuideFailed, match="expected 'Delete everything'"):
        run_guide(browser, playwright, config(tmp_path), g, "android", "en", dialog_app)


@pytest.mark.parametrize(
    ("platform", "scale", "accent"),
    [("ios", 3.0, (0, 122, 255)), ("android", 2.625, (103, 80, 164)), ("web", 1.0, None)],
)
def test_the_dialog_is_drawn_in_the_platforms_style(platform, scale, accent) -> None:
    viewport = (390, 664) if platform != "web" else (1280, 800)
    blank = Image.new("RGB", (round(viewport[0] * scale), round(viewport[1] * scale)), "white")
    out = io.BytesIO()
    blank.save(out, format="PNG")
    shown = dialog_for("confirm", "予約を取り消しますか？", "ja", True, None)
    drawn = Image.open(io.BytesIO(draw(out.getvalue(), shown, platform, scale, "ja")))
    x, y, w, h = pressed_box(shown, platform, viewport, "ja")
    inside = drawn.convert("RGB").crop(
        (round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale))
    )
    colours = {colour for _, colour in inside.getcolors(maxcolors=1 << 20)}
    # The pressed button's label (iOS, Android) or its filled face (web) is the accent.
    assert (accent or (26, 115, 232)) in colours
    # Phones dim the screen behind the dialog; the desktop browser does not.
    corner = drawn.convert("RGB").getpixel((2, 2))
    assert (corner != (255, 255, 255)) == (platform != "web")
