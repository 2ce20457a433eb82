"""axe-core on a page: the violations that block a reader, one line each.

Shared by the mock-shop screens and the built site, so both hold pages to the
same bar and describe a failure the same way.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page

BLOCKING = ("serious", "critical")
# Every rule that can report a BLOCKING violation (a rule's own
# impact, or a check's of it), and only violations: axe then skips describing
# every element that passes. A rule whose worst is moderate or minor (region,
# heading-order, the landmark rules) can never fail blocking_violations, and
# those rules were a sixth of axe's time on a guide page.
BLOCKING_RULES = """(blocking) => {
  const checks = axe._audit.data.checks;
  const worst = (rule) => [rule.impact,
    ...[...rule.any, ...rule.all, ...rule.none].map((c) => checks[c.id ?? c]?.impact)];
  const rules = axe._audit.rules
    .filter((rule) => rule.enabled !== false && !rule.tags.includes("experimental"))
    .filter((rule) => worst(rule).some((impact) => blocking.includes(impact)))
    .map((rule) => rule.id);
  return axe.run({runOnly: rules, resultTypes: ["violations"]});
}"""
# Only the rules that read colours: for a look that differs from another only
# in its colours (a dark theme made of CSS alone), the others find the same.
COLOUR_RULES = (
    "() => axe.run({runOnly: ['color-contrast', 'link-in-text-block'],"
    " resultTypes: ['violations']})"
)
# The rules that read colours, controls' names and sizes, and their ARIA: for
# a look that has another's elements but its own stylesheet and a few controls
# of its own (an icon button with a label where the other shows a word).
STYLE_AND_NAME_RULES = (
    "() => axe.run({runOnly: ['color-contrast', 'link-in-text-block', 'button-name',"
    " 'link-name', 'target-size', 'aria-allowed-attr', 'aria-valid-attr-value',"
    " 'aria-prohibited-attr'], resultTypes: ['violations']})"
)


def axe_on_every_page(context: BrowserContext) -> None:
    """Give every page the context loads axe-core before its own scripts run:
    registered once, where injecting it into each page sends its 500 KB through
    Playwright every time (a tenth of what a page's check costs)."""
    context.add_init_script(script=AXE_SCRIPT)


def give_axe(page: Page) -> None:
    """axe-core in a page that is already loaded, whose context has no
    axe_on_every_page: for a check of one page."""
    page.add_script_tag(content=AXE_SCRIPT)


def blocking_violations(page: Page, run: str = BLOCKING_RULES) -> list[str]:
    """axe's serious and critical violations on the page, each with up to three
    of the elements it found them on. The page's context must have axe
    (axe_on_every_page) from before the page loaded, or the page must have been
    given it (give_axe)."""
    found = []
    for violation in page.evaluate(run, list(BLOCKING))["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}: {violation['help']}) at {targets}"
            )
    return found
