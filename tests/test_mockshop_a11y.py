"""axe-core on every screen of every look of the mock shop: nothing serious or critical."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import mockshop_fixtures
from tests.mockshop_fixtures import PLATFORMS, SCREENS, Shop

# The module-scoped fixture, bound here so pytest finds it in this module.
shop = mockshop_fixtures.shop

AXE = Axe()
BLOCKING = {"serious", "critical"}
# Japanese everywhere, English on one look: labels differ, structure does not.
# The dark theme has its own colours, so its contrast is checked on every look.
LOOKS = [(platform, "ja", "light") for platform in PLATFORMS] + [("ios", "en", "light")]
LOOKS += [(platform, "ja", "dark") for platform in PLATFORMS]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"]][:3]
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("platform", "lang", "scheme"), LOOKS, ids=[f"{p}-{lang}-{s}" for p, lang, s in LOOKS]
)
def test_no_serious_or_critical_violations(
    shop: Shop, platform: str, lang: str, scheme: str
) -> None:
    page = shop.look(platform, lang, scheme)
    failures = []
    for name, scenario, route, act in SCREENS:
        shop.visit(page, platform, lang, scenario, route)
        if act:
            act(page)
        results = AXE.run(page)
        bad = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
        if bad:
            failures.append(f"[{name}]\n{_describe(bad)}")
    assert not failures, "\n".join(failures)
