"""The axe-core check that the site's and the mock shop's tests share."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.axe_check import blocking_violations, give_axe

# Violations of each impact: an image without alt text and a button without a
# name (critical), grey on white and an empty link (serious), a skipped heading
# level and text outside any landmark (moderate).
PAGE = """<!doctype html><html lang="en"><head><title>t</title></head><body>
<h1>Title</h1><h3>Skipped a level</h3>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<button></button>
<p style="color: #bbb; background: #fff">Faint</p>
<a href="#x"></a>
</body></html>"""

EVERY_RULE = "() => axe.run({resultTypes: ['violations']})"


def test_the_blocking_rules_find_what_every_rule_finds_that_blocks(browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.set_content(PAGE)
        give_axe(page)
        found = blocking_violations(page)
        every = page.evaluate(EVERY_RULE)["violations"]
    finally:
        page.close()
    ids = [line.split(" ", 1)[0] for line in found]
    assert sorted(ids) == sorted(v["id"] for v in every if v["impact"] in ("serious", "critical"))
    assert {"image-alt", "button-name", "color-contrast", "link-name"} <= set(ids)
    # What every rule finds besides: moderate, so never run by the check.
    assert {"heading-order", "region"} <= {v["id"] for v in every} - set(ids)
