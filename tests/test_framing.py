"""Where crops, outlines and badges go, on synthetic frames (no browser, no pixels)."""

from __future__ import annotations

import itertools
import subprocess
import sys

from guidegen.capture.frames import Box, CropRule, Frame, Mark, Redaction
from guidegen.capture.framing import (
    BADGE,
    GAP,
    STROKE,
    THIN_STROKE,
    bands,
    crop_region,
    outline_for,
    place_marks,
    touches,
)

PHONE = (390.0, 664.0)


def frame(*marks: Box, **geometry: object) -> Frame:
    numbered = tuple(Mark(n, box) for n, box in enumerate(marks, start=1))
    return Frame(b"", numbered, (), **geometry)  # type: ignore[arg-type]


def test_the_default_crop_shows_the_marked_element_and_its_container():
    button = Box(40, 300, 120, 40)
    card = Box(16, 260, 358, 140)
    crop = crop_region(Frame(b"", (Mark(1, button, card),), ()), *PHONE)
    assert crop.contains(card) and crop.contains(button.grown(BADGE))
    assert crop.height < PHONE[1] / 2
    # Wider than two thirds of a phone screen: the whole width, no slivers at the sides.
    assert (crop.x, crop.width) == (0, PHONE[0])


def test_a_crop_shows_a_bar_only_when_a_mark_is_in_it():
    title, tabs = Box(0, 0, 390, 44), Box(0, 600, 390, 64)
    near_top = crop_region(frame(Box(20, 90, 100, 30), bars=(title, tabs)), *PHONE)
    assert not near_top.intersects(title) and not near_top.intersects(tabs)
    near_bottom = crop_region(frame(Box(100, 560, 80, 30), bars=(title, tabs)), *PHONE)
    assert not near_bottom.intersects(tabs) and near_bottom.contains(Box(100, 560, 80, 30))
    in_tabs = crop_region(frame(Box(100, 610, 80, 40), bars=(title, tabs)), *PHONE)
    assert in_tabs.contains(tabs) and not in_tabs.intersects(title)


def test_a_crop_of_a_tab_leaves_out_the_grid_of_products_above_it():
    tabs, tab = Box(0, 591, 390, 73), Box(121, 598, 50, 40)
    cards = (Box(16, 290, 174, 222), Box(200, 290, 174, 222))
    pictures = (Box(26, 531, 154, 133), Box(210, 531, 154, 133))
    crop = crop_region(frame(tab, bars=(tabs,), panels=cards, elements=pictures), *PHONE)
    assert crop.contains(tabs) and not any(crop.intersects(card) for card in cards)


def test_a_crop_cuts_no_sentence_and_keeps_no_empty_band():
    icon = Box(40, 200, 16, 10)
    sentence = (Box(20, 140, 300, 20), Box(20, 160, 300, 20), Box(20, 180, 16, 20))
    crop = crop_region(frame(icon, text=sentence, bars=(Box(0, 600, 390, 64),)), *PHONE)
    assert crop.y <= 140
    # Nothing below the icon but grey: the crop ends a padding under the room
    # for its badge, though the smallest crop would be taller.
    assert crop.bottom <= icon.bottom + 8.5 + GAP + BADGE + 16


def test_full_shows_the_whole_screen_and_element_shows_that_element():
    target = Box(40, 300, 100, 30)
    assert crop_region(frame(target, crop=CropRule(full=True)), *PHONE) == Box(0, 0, *PHONE)
    form = Box(0, 100, 390, 400)
    crop = crop_region(frame(target, crop=CropRule(element=form, padding=0)), *PHONE)
    assert crop.contains(form) and crop.height < 420


def test_a_crop_takes_in_redactions_and_stays_inside_the_frame():
    secret = Box(10, 620, 200, 30)
    crop = crop_region(
        Frame(b"", (Mark(1, Box(300, 5, 60, 30)),), (Redaction("blur", secret),)), *PHONE
    )
    assert crop.contains(secret) and Box(0, 0, *PHONE).contains(crop)


def test_without_marks_the_picture_is_the_whole_screen():
    assert crop_region(frame(), *PHONE) == Box(0, 0, *PHONE)


def test_an_outline_keeps_clear_of_its_own_and_its_neighbours_text():
    # Two rows 4 px apart (the seller and shipper lines): each outline's
    # stroke runs between the lines of text, touching neither.
    first, second = Box(131, 187, 100, 21), Box(131, 212, 100, 21)
    text = (Box(131, 189, 96, 17), Box(131, 214, 96, 17), Box(20, 189, 50, 17))
    for box in (first, second):
        outline, stroke = outline_for(box, text)
        assert outline.contains(box) and stroke == STROKE
        for band, line in itertools.product(bands(outline, stroke), text):
            assert not band.intersects(line)


def test_lines_of_text_too_close_for_the_full_stroke_get_a_thin_one_between_them():
    # Rows 25 px apart whose lines of text are 21 px tall: 4 px between lines.
    rows = [Box(242, 329.5, 84, 20), Box(242, 354.5, 84, 20)]
    text = (Box(242, 329, 84, 21), Box(242, 354, 84, 21), Box(143, 329, 42, 21))
    for box in rows:
        outline, stroke = outline_for(box, text)
        assert stroke == THIN_STROKE
        for band, line in itertools.product(bands(outline, stroke), text):
            assert not band.intersects(line)


def test_a_badge_is_outside_its_outline_over_no_text_and_inside_the_picture():
    picture = Box(0, 0, 390, 400)
    words = Box(20, 120, 90, 20)  # text to the left of the target: the badge avoids it
    marked = frame(Box(120, 118, 100, 24), text=(words,))
    (placement,) = place_marks(marked, picture)
    assert not placement.badge.intersects(placement.outline)
    assert not placement.badge.intersects(words.grown(1))
    assert picture.contains(placement.badge)


def test_badges_cover_no_other_outline_or_badge():
    picture = Box(0, 0, 390, 664)
    rows = [Box(131, 187 + 25 * i, 227, 21) for i in range(4)]
    labels = tuple(Box(20, 189 + 25 * i, 50, 17) for i in range(4))
    placements = place_marks(frame(*rows, text=labels), picture)
    outlines = [p.outline for p in placements]
    badges = [p.badge for p in placements]
    for i, badge in enumerate(badges):
        assert picture.contains(badge)
        assert not any(badge.intersects(t.grown(1)) for t in labels)
        assert not any(badge.intersects(o) for j, o in enumerate(outlines) if j != i)
        assert not any(badge.intersects(b) for j, b in enumerate(badges) if j != i)


def test_a_full_width_row_gets_its_badge_where_no_text_is():
    picture = Box(0, 0, 390, 300)
    row = Box(0, 100, 390, 60)
    text = (Box(0, 60, 390, 36), Box(80, 110, 200, 20), Box(0, 164, 390, 40))
    (placement,) = place_marks(frame(row, text=text), picture)
    assert picture.contains(placement.badge)
    assert not any(placement.badge.intersects(t.grown(1)) for t in text)


def test_a_badge_stays_off_the_neighbouring_rows_and_touches_its_own_outline():
    # A list of rows that are links (file-claim's reasons): the free space on
    # the row above is another control, where a reader would tap by the number.
    picture = Box(0, 154, 390, 284)
    rows = tuple(Box(16, 181 + 48 * i, 358, 48) for i in range(5))
    words = tuple(Box(30, 192 + 48 * i, 224, 25) for i in range(5))
    chevrons = tuple(Box(344, 197 + 48 * i, 16, 17) for i in range(5))
    marked = frame(rows[1], text=words, controls=rows, elements=chevrons)
    (placement,) = place_marks(marked, picture)
    assert touches(placement.badge, placement.outline, placement.stroke, picture)
    for row in (rows[0], *rows[2:]):
        assert not placement.badge.intersects(row)
    assert not any(placement.badge.intersects(w) for w in words)


def test_a_row_of_tabs_under_a_title_bar_has_its_badge_in_the_bar():
    # The tabs' neighbours are tabs, the list below is rows of links, the
    # label fills its tab: the only free spot is above it, in the title bar.
    title = Box(0, 0, 390, 45)
    tabs = (Box(18, 59, 85, 36), Box(103, 59, 170, 36), Box(272, 59, 100, 36))
    rows = tuple(Box(16, 108 + 100 * i, 358, 100) for i in range(4))
    words = (Box(41, 67, 39, 19), Box(110, 67, 156, 19), Box(296, 67, 53, 19), Box(130, 9, 130, 26))
    marked = frame(tabs[1], text=words, controls=(*tabs, *rows), bars=(title,))
    crop = crop_region(marked, *PHONE)
    (placement,) = place_marks(marked, crop)
    assert placement.badge.intersects(title)
    assert not any(placement.badge.intersects(c) for c in (tabs[0], tabs[2], *rows))
    assert not any(placement.badge.intersects(w) for w in words)


def test_placement_is_the_same_every_time():
    marked = frame(Box(120, 118, 100, 24), Box(120, 150, 100, 24), text=(Box(0, 0, 50, 10),))
    assert place_marks(marked, Box(0, 0, *PHONE)) == place_marks(marked, Box(0, 0, *PHONE))


def test_drawing_rendering_linting_and_redrawing_never_load_playwright():
    # A fresh interpreter: this test session has imported Playwright already.
    code = (
        "import sys\n"
        "import guidegen.capture.annotate, guidegen.capture.pipeline, guidegen.cli\n"
        "import guidegen.capture.frames\n"
        "import guidegen.capture.framing, guidegen.guide.lint, guidegen.site.render\n"
        "assert not [m for m in sys.modules if m.startswith('playwright')], 'playwright loaded'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_badge_keeps_off_a_neighbouring_card_but_may_sit_in_its_own():
    picture = Box(0, 0, 1280, 800)
    neighbour, own = Box(124, 439, 335, 84), Box(473, 439, 334, 84)
    marked = frame(own, panels=(neighbour, own, Box(100, 0, 1080, 800)))
    (placement,) = place_marks(marked, picture)
    assert not placement.badge.intersects(neighbour)


def test_an_outline_takes_in_a_line_that_touches_its_element_rather_than_cross_it():
    link = Box(247, 350, 308, 21)
    text = (Box(247, 322, 150, 24), Box(247, 350, 309, 21), Box(247, 372, 124, 20))
    outline, stroke = outline_for(link, text)
    for band, line in itertools.product(bands(outline, stroke), text):
        assert not band.intersects(line)
    assert outline.contains(text[2]) and outline.contains(link)


def test_a_tabs_badge_keeps_off_the_pictures_the_tab_bar_half_hides():
    """Pictures scrolled under a tab bar show above it only: the marked tab is not
    in them, and its badge goes between them, not on one."""
    tabs, tab = Box(0, 591, 390, 73), Box(121, 598, 50, 40)
    controls = tuple(Box(x, 598, 98, 40) for x in (0, 97, 195, 292))
    label = Box(121, 623, 51, 15)
    pictures = (Box(26, 531, 154, 133), Box(210, 531, 154, 133))
    picture = Box(0, 512, 390, 152)
    shot = frame(tab, bars=(tabs,), elements=pictures, controls=controls, text=(label,))
    (placement,) = place_marks(shot, picture)
    badge = placement.badge
    centre = Box(badge.x + badge.width / 2, badge.y + badge.height / 2, 0.01, 0.01)
    assert not any(centre.intersects(p) for p in pictures), badge
    assert touches(badge, placement.outline, placement.stroke, picture)
    assert not badge.intersects(label) and not any(badge.intersects(c) for c in controls[::2])


def test_a_crop_shows_a_marked_cards_container_without_its_empty_end():
    """The page's content box a mark is in reaches far below its last line: the
    crop ends a padding below what is in it, not with the container."""
    title, tabs = Box(0, 0, 412, 64), Box(0, 759, 412, 80)
    card, beside = Box(16, 134, 185, 128), Box(211, 134, 185, 128)
    content = Box(0, 64, 412, 425)  # to 489, with nothing below 386
    orders = (Box(16, 313, 72, 73), Box(98, 313, 72, 73))
    shot = Frame(
        b"",
        (Mark(1, card, content),),
        (),
        bars=(title, tabs),
        panels=(card, beside),
        elements=orders,
        text=(Box(31, 185, 65, 24), Box(16, 277, 85, 26)),
    )
    crop = crop_region(shot, 412, 839)
    assert crop.contains(card) and all(crop.contains(o) for o in orders)
    assert crop.bottom <= 386 + 16 + 1, crop


def test_a_tabs_badge_leaves_its_icon_in_view():
    """A tab's icon is part of what the reader looks for: the badge goes beside
    the tab, off the pictures above the bar and the names under them, not on it."""
    tabs, tab, icon = Box(0, 759, 412, 80), Box(124.48, 775, 60.02, 49), Box(142, 775, 25, 24)
    controls = tuple(Box(x, 771, 103, 54) for x in (0, 103, 206, 309))
    names = (Box(26, 742, 112, 21), Box(221, 742, 154, 21))
    label = Box(124, 807, 61, 17)
    pictures = (Box(26, 572, 165, 166), Box(221, 572, 165, 166))
    cards = (Box(16, 562, 185, 233), Box(211, 562, 185, 233))
    shot = Frame(
        b"",
        (Mark(1, tab, controls[1]),),
        (),
        text=(*names, label),
        bars=(tabs,),
        elements=(*pictures, icon),
        panels=(*cards, tabs),
        controls=controls,
    )
    picture = Box(0, 562, 412, 277)
    (placement,) = place_marks(shot, picture)
    badge = placement.badge
    assert not badge.intersects(icon), badge
    assert not any(badge.intersects(t.grown(1)) for t in (*names, label)), badge
    assert touches(badge, placement.outline, placement.stroke, picture)
