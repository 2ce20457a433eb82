"""From YAML to a built site: the guide page has every step's text and image.

Uses the session's site, built by ``guidegen build`` in a temporary copy of the
project with the committed screenshots (tests/site_fixtures.py).
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from PIL import Image

from guidegen.guide.model import steps_for
from guidegen.site.render import step_text
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
    # Every step has its picture: one image per frame, so at least one per step.
    shown = {source.rsplit("/", 1)[1].split(".", 1)[0] for source in sources}
    assert shown == {step.id for step in steps}
    for source in sources:
        path = site.root / "site" / urljoin("guides/contact-seller/", source)
        data = path.read_bytes()
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        with Image.open(path) as image:
            assert image.width >= 100
    assert len(re.findall(r"<img[^>]+data-css-width=", text)) >= len(sources)
