"""The built help site on a phone: every page read to the end (width, weight,
the header's title, Japanese words), and each guide's tab on each device."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.site_fixtures import Site
from tests.site_pages import GUIDES, Read, first_visit, guide_platforms, too_wide

# A guide page on a computer, read to the end (on an iPhone, with each tab
# chosen: tests/test_site_pictures.py, which also counts its screens).
MAX_TAB_BYTES = 1_500_000


def test_no_page_scrolls_sideways_on_a_phone(site: Site, readings: Read) -> None:
    wide = too_wide(readings(site, "phone"))
    assert not wide, "\n".join(wide)


# What a phone may download for one page, read to the end (issue 26).
MAX_PAGE_BYTES = 350_000


def test_every_page_a_phone_reads_to_the_end_weighs_under_the_budget(
    site: Site, readings: Read
) -> None:
    heavy = []
    for reading in readings(site, "phone"):
        weight = sum(reading.transferred.values())
        assert reading.transferred, f"{reading.path}: no request seen"
        if weight > MAX_PAGE_BYTES:
            largest = sorted(reading.transferred.items(), key=lambda item: -item[1])[:5]
            heavy.append(f"{reading.path}: {weight} bytes; largest: {largest}")
    assert not heavy, "\n".join(heavy)


def test_on_a_phone_the_title_fits_and_japanese_words_stay_whole(
    site: Site, readings: Read
) -> None:
    problems = []
    for reading in readings(site, "phone"):
        if reading.title_cut:
            problems.append(f"{reading.path}: the site's name is cut in the header")
        if not reading.path.startswith("en/") and reading.split_words:
            problems.append(f"{reading.path}: broken across lines: {reading.split_words}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("guide", [g for g in GUIDES if "web" in guide_platforms(g)])
def test_a_guide_page_on_a_computer_weighs_under_the_budget(
    site: Site, browser: Browser, playwright, guide: str
) -> None:
    visit = first_visit(site, browser, playwright, f"guides/{guide}/", "web")
    weight = sum(visit["sizes"].values())
    images = [url for url in visit["sizes"] if "/assets/screenshots/" in url]
    print(f"{guide} web: {weight / 1e6:.2f} MB, {len(images)} images")
    assert all("/screenshots/web/" in url for url in images), (
        f"{guide} on a computer ({visit['tab']} tab) also loaded {images}"
    )
    assert weight < MAX_TAB_BYTES, f"{guide} on a computer: {weight} bytes"


def test_a_first_time_reader_sees_the_tab_of_their_device(
    site: Site, browser: Browser, playwright
) -> None:
    for platform, label in (("ios", "iPhone"), ("android", "Android"), ("web", "パソコン")):
        visit = first_visit(site, browser, playwright, "guides/contact-seller/", platform)
        assert visit["tab"] == label
