"""Every screen of every look of the mock shop: nothing serious or critical for
axe-core, the same test ids on every look, and web breadcrumbs that read well.

Each look's screens are loaded once per module (`readings`); every test reads
what it checks from there instead of loading the screens again.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

import pytest

from tests import mockshop_fixtures
from tests.axe_check import (
    BLOCKING_RULES,
    COLOUR_RULES,
    STYLE_AND_NAME_RULES,
    axe_on_every_page,
    blocking_violations,
)
from tests.mockshop_fixtures import (
    LANGS,
    PLATFORMS,
    SCREENS,
    Screen,
    Shop,
    screen,
    tap,
    untagged_controls,
    visible_testids,
)

# The module-scoped fixture, bound here so pytest finds it in this module.
shop = mockshop_fixtures.shop

# Japanese everywhere, English on one look: labels differ, structure does not.
# The dark theme has its own colours, so its contrast is checked on every look.
LOOKS = [(platform, "ja", "light") for platform in PLATFORMS] + [("ios", "en", "light")]
LOOKS += [(platform, "ja", "dark") for platform in PLATFORMS]
# axe reads the Japanese looks: the English one has the same elements, names
# and colours in other words. Android's light look has the iPhone's elements
# (both are the phone layout) but for its back button, an icon with a label,
# and has a stylesheet of its own: there axe runs STYLE_AND_NAME_RULES.
AXE_LOOKS = [look for look in LOOKS if look[1] == "ja"]
PHONE_TWIN = ("android", "ja", "light")

# Ids that exist in one kind of look only; everything else must match exactly.
PHONE_ONLY = {"nav-back"}
WEB_ONLY_PATTERN = re.compile(r"^(header-orders|breadcrumb-.+|order-problem-\d+)$")
HOME_SEARCH = {"header-search-input", "header-search-submit"}


@dataclass(frozen=True)
class Reading:
    """What one screen of one look shows, as the tests below check it."""

    screen: str
    lang: str
    testids: list[str]
    untagged: list[str]
    crumbs: list[str]
    background: str
    violations: list[str]


Read = Callable[[str, str, str], dict[str, Reading]]
_BACKGROUND = "() => getComputedStyle(document.body).backgroundColor"


@pytest.fixture(scope="module")
def readings(shop: Shop) -> Read:
    """read(platform, lang, scheme): each screen's Reading by name, loaded on first use.

    A look is read in light and dark from one visit of each screen: the shop's
    dark theme is CSS alone (prefers-color-scheme), so switching the page's
    colour scheme shows the screen as a visit in dark would, for half the loads.
    For the same reason, in dark axe runs only its rules that read colours.
    """

    @functools.cache
    def read_look(platform: str, lang: str) -> dict[str, dict[str, Reading]]:
        dark = (platform, lang, "dark") in LOOKS
        page = shop.look(platform, lang)
        axe = (platform, lang, "light") in AXE_LOOKS
        if axe:
            axe_on_every_page(page.context)
        found: dict[str, dict[str, Reading]] = {"light": {}, "dark": {}}
        for name, scenario, route, act in SCREENS:
            page.emulate_media(color_scheme="light")
            shop.visit(page, platform, lang, scenario, route)
            if act:
                act(page)
            light = Reading(
                screen=screen(page),
                lang=page.evaluate("document.documentElement.lang"),
                testids=visible_testids(page),
                untagged=untagged_controls(page),
                crumbs=page.locator(".crumbs li").all_inner_texts(),
                background=page.evaluate(_BACKGROUND),
                violations=blocking_violations(
                    page,
                    STYLE_AND_NAME_RULES
                    if (platform, lang, "light") == PHONE_TWIN
                    else BLOCKING_RULES,
                )
                if axe
                else [],
            )
            found["light"][name] = light
            if dark:
                page.emulate_media(color_scheme="dark")
                found["dark"][name] = replace(
                    light,
                    background=page.evaluate(_BACKGROUND),
                    violations=blocking_violations(page, COLOUR_RULES),
                )
        return found

    def read(platform: str, lang: str, scheme: str) -> dict[str, Reading]:
        return read_look(platform, lang)[scheme]

    return read


@pytest.mark.parametrize(
    ("platform", "lang", "scheme"),
    AXE_LOOKS,
    ids=[f"{p}-{lang}-{s}" for p, lang, s in AXE_LOOKS],
)
def test_no_serious_or_critical_violations(
    readings: Read, platform: str, lang: str, scheme: str
) -> None:
    failures = [
        f"[{name}]\n" + "\n".join(reading.violations)
        for name, reading in readings(platform, lang, scheme).items()
        if reading.violations
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_dark_looks_are_checked_in_dark(readings: Read, platform: str) -> None:
    light, dark = readings(platform, "ja", "light"), readings(platform, "ja", "dark")
    assert light.keys() == dark.keys() == {s[0] for s in SCREENS}
    same = [name for name in light if light[name].background == dark[name].background]
    assert not same, f"{platform}: these screens were not dark: {same}"


@pytest.mark.parametrize("entry", SCREENS, ids=[s[0] for s in SCREENS])
def test_testids_identical_across_looks_and_unique(readings: Read, entry: Screen) -> None:
    per_look = {}
    for platform in PLATFORMS:
        for lang in LANGS if platform == "ios" else ("ja",):
            reading = readings(platform, lang, "light")[entry[0]]
            assert reading.lang == lang
            assert not reading.untagged, f"{platform}/{lang}: {reading.untagged}"
            ids = reading.testids
            hidden = [i for i in ids if i.endswith("!hidden")]
            assert not hidden, f"{platform}/{lang}: hidden elements with test ids: {hidden}"
            dupes = [i for i, n in Counter(ids).items() if n > 1]
            assert not dupes, f"{platform}/{lang}: duplicate test ids: {dupes}"
            per_look[(platform, lang)] = (reading.screen, set(ids))
    assert per_look[("ios", "ja")] == per_look[("ios", "en")], "ids differ between languages"
    names = {name for name, _ in per_look.values()}
    assert len(names) == 1, names
    ios = per_look[("ios", "ja")][1] - PHONE_ONLY
    android = per_look[("android", "ja")][1] - PHONE_ONLY
    web = {i for i in per_look[("web", "ja")][1] if not WEB_ONLY_PATTERN.match(i)}
    assert ios == android
    # The web header always has the product search; the phones show it on home only.
    assert ios - HOME_SEARCH == web - HOME_SEARCH


def test_web_breadcrumbs_never_repeat_a_label(readings: Read) -> None:
    for name, reading in readings("web", "ja", "light").items():
        labels = reading.crumbs
        repeats = [a for a, b in pairwise(labels) if a.strip() == b.strip()]
        assert not repeats, (name, labels)


# The three text fields of the shop, each on a screen that shows it (with the
# button that opens it), and the rows it shows before anything is typed.
FIELDS = [
    (
        "assistant-message-input",
        "damaged-item",
        "#/orders/1001/contact",
        "assistant-choice-damaged",
        2,
    ),
    ("return-comment", "damaged-item", "#/orders/1001/return?reason=missing-parts", None, 3),
    ("claim-details", "no-reply-14-days", "#/orders/1001/claim", None, 3),
]
# Five lines, more than any field shows empty, each short enough for a phone.
LONG_TEXT = "\n".join(["1個しか入っていませんでした。"] * 5)
_FIELD = """f => ({
  rows: (f.clientHeight - parseFloat(getComputedStyle(f).paddingTop)
         - parseFloat(getComputedStyle(f).paddingBottom))
        / parseFloat(getComputedStyle(f).lineHeight),
  hidden: f.scrollHeight - f.clientHeight,
})"""


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_text_field_grows_to_show_all_its_text(shop: Shop, platform: str) -> None:
    """A picture of a field filled in shows its last line too: the field grows."""
    page = shop.look(platform, "ja")
    for testid, scenario, route, opener, rows in FIELDS:
        shop.visit(page, platform, "ja", scenario, route)
        if opener:
            tap(page, opener)
        field = page.get_by_test_id(testid)
        empty = field.evaluate(_FIELD)
        assert round(empty["rows"]) == rows, f"{platform} {testid}: {empty}"
        field.fill(LONG_TEXT)
        filled = field.evaluate(_FIELD)
        shown = round(filled["rows"]) == 5 and filled["hidden"] <= 0
        assert shown, f"{platform} {testid}: {filled}"
