"""Native dialogs: answered by accept-dialog/dismiss-dialog, drawn in the platform's
style with the pressed button marked; an unexpected one fails naming its message."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from guidegen.capture.dialogs import Dialog, Rect, dialog_for, draw, plan, text_box
from guidegen.capture.dialogs import words as dialog_words
from guidegen.capture.frames import Box, Frame, Redaction
from guidegen.capture.framing import crop_region, place_marks
from guidegen.capture.runner import dialog_frame, run_guide
from guidegen.capture.settle import step_images
from guidegen.capture.targets import GuideFailed
from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.server import serve

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
    (folder / "long.html").write_text(LONG_PAGE)
    with serve(folder) as url:
        yield url


def _pressed(dialog: Dialog, platform: str, viewport: tuple[int, int], lang: str) -> Rect:
    """Where the pressed button is drawn, in CSS px: the box its mark goes on."""
    return plan(dialog, platform, viewport, lang).buttons[dialog.pressed].rect


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
    assert (mark.box.x, mark.box.y, mark.box.width, mark.box.height) == _pressed(
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
    x, y, w, h = _pressed(shown, platform, viewport, "ja")
    inside = drawn.convert("RGB").crop(
        (round(x * scale), round(y * scale), round((x + w) * scale), round((y + h) * scale))
    )
    colours = {colour for _, colour in inside.getcolors(maxcolors=1 << 20)}
    # The pressed button's label (iOS, Android) or its filled face (web) is the accent.
    assert (accent or (26, 115, 232)) in colours
    # Phones dim the screen behind the dialog; the desktop browser does not.
    corner = drawn.convert("RGB").getpixel((2, 2))
    assert (corner != (255, 255, 255)) == (platform != "web")


def _page_text(viewport: tuple[int, int]) -> tuple[Box, ...]:
    """Lines of text over the whole screen, as a busy page has them."""
    width, height = viewport
    return tuple(Box(8, y, width - 16, 18) for y in range(0, height - 18, 24))


SCREENS = {"ios": (390, 664), "android": (412, 839), "web": (1280, 800)}


@pytest.mark.parametrize("busy", [False, True], ids=["blank-page", "page-of-text"])
@pytest.mark.parametrize("platform", ["ios", "android", "web"])
def test_the_badge_of_the_pressed_button_covers_no_buttons_words(platform: str, busy: bool) -> None:
    viewport = SCREENS[platform]
    # A redaction of the page under the dialog must not blur the dialog.
    hidden = Redaction("blur", Box(0, 0, *viewport))
    behind = Frame(b"", (), (hidden,), text=_page_text(viewport) if busy else ())
    checked = 0
    for lang in ("ja", "en"):
        for kind in ("alert", "confirm", "prompt", "beforeunload"):
            for accept in (True, False):
                for message in ("予約を取り消しますか？", "Delete this book? " * 4):
                    typed = "新しい名前" if kind == "prompt" else None
                    shown = dialog_for(kind, message, lang, accept, typed)
                    frame = dialog_frame(behind, shown, platform, viewport, lang, 2)
                    crop = crop_region(frame, *viewport)
                    (placement,) = place_marks(frame, crop)
                    layout = plan(shown, platform, viewport, lang)
                    panel = Box(*layout.panel)
                    assert not any(r.box.intersects(panel) for r in frame.redactions)
                    for label in layout.labels:
                        words = Box(*text_box(label))
                        assert not placement.badge.intersects(words), (
                            f"{platform}/{lang} {kind} pressing {shown.buttons[shown.pressed]}: "
                            f"badge {placement.badge} covers '{label.text}' at {words}"
                        )
                    # Nor the message, nor what is typed into a prompt.
                    for box in dialog_words(layout, shown):
                        assert not placement.badge.intersects(Box(*box))
                    checked += 1
    assert checked == 2 * 4 * 2 * 2


ROWS = "".join(
    f"<p style='margin:4px 8px'>Row {i}: The Hidden Garden, a novel by A. Writer, on the shelf "
    "by the window, reserved until Friday.</p>"
    for i in range(40)
)
LONG_PAGE = f"""<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width"><title>Books</title>
<body data-ready="true" style="margin:0;font:16px sans-serif">
<header style="background:#2d5a3d;color:#fff;padding:12px 24px">Town Library</header>
{ROWS}
<button data-testid="cancel" onclick="confirm('Cancel the reservation?')">Cancel</button>
</body></html>"""


@pytest.mark.parametrize(("platform", "lang"), [("web", "ja"), ("ios", "en")])
def test_the_dialog_is_drawn_over_a_clean_crop_of_the_page(
    browser, playwright, dialog_app, tmp_path, platform, lang
):
    """Clean: every line of text, control and card of the page behind the dialog
    that the crop reaches is whole in it; none is cut by the crop's edge (the
    dialog may cover them, as the browser's does)."""
    g = Guide.model_validate(
        {
            "id": "g",
            "title": {"en": "T", "ja": "T"},
            "summary": {"en": "S", "ja": "S"},
            "steps": [
                {
                    "text": {"en": "① ②", "ja": "① ②"},
                    "actions": [{"tap": "cancel"}, {"dismiss-dialog": None}],
                }
            ],
        }
    )
    settings = Config(
        root=tmp_path, languages=("en", "ja"), start_url="/long.html", timeout_ms=5000
    )
    run = run_guide(browser, playwright, settings, g, platform, lang, dialog_app)
    (images,) = step_images(run)
    behind, drawn = images.entry["frames"]
    assert "dialog" in drawn
    crop = Box(*drawn["crop"])
    height = run.viewport[1]
    solids = [Box(*b) for kind in ("text", "elements", "panels") for b in behind[kind]]
    assert len(solids) > 20  # the page behind is measured
    for solid in solids:
        if solid.height > height / 2 or not solid.intersects(crop):
            continue
        assert crop.grown(0.5).contains(solid), f"the crop {crop} cuts {solid}"
