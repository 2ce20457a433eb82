"""From YAML to a built site: the guide page has every step's text and image.

Uses the session's site, built by ``guidegen build`` in a temporary copy of the
project with the committed screenshots (tests/site_fixtures.py).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from PIL import Image

from generator.model import steps_for
from generator.render import step_text
from tests.test_guides import CONFIG, GUIDES


def test_the_built_guide_page_has_each_step_text_and_an_iphone_image(site):
    guide = next(g for g in GUIDES if g.id == "contact-seller")
    page = site.root / "site" / "guides" / "contact-seller" / "index.html"
    text = page.read_text("utf-8")
    body = html.unescape(re.sub(r"<[^>]+>", "", text))
    steps = steps_for(guide, "ios")
    assert len(steps) >= 5
    for step in steps:
        assert step_text(step.text.get("ja"), CONFIG, "ios", "ja") in body
    sources = re.findall(r'<img[^>]+src="([^"]*screenshots/ios/contact-seller/[^"]+)"', text)
    assert len(sources) == len(steps)
    for source in sources:
        path = site.root / "site" / urljoin("guides/contact-seller/", source)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        image = Image.open(path)
        assert image.text["guidegen:device"] == "iPhone 13"
        # One or more 390 × 664 iPhone 13 viewports at device scale factor 3.
        assert image.height == 664 * 3 and image.width % 2 == 0 and image.width >= 390 * 3
