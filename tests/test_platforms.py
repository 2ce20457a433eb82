"""The platform registry: a new platform is a profile in generator/platforms.py."""

from __future__ import annotations

import json
from pathlib import Path

import guidegen
from guidegen import platforms
from guidegen.config import Config
from guidegen.guide.model import Guide
from guidegen.platforms import Profile
from guidegen.site.render import render

TABLET = Profile(
    name="tablet",
    descriptor="iPad Mini",
    labels={"ja": "タブレット", "en": "Tablet"},
    verbs={"ja": "タップ", "en": "tap"},
    pointer="tap",
    dialog="cupertino",
    multi_screen="side-by-side",
    user_agent="iPad|Tablet",
)


def test_a_tablet_profile_gives_the_site_a_tablet_tab(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(platforms, "PROFILES", [*platforms.PROFILES, TABLET])
    everywhere = [*platforms.names()]
    guide = Guide.model_validate(
        {
            "id": "demo",
            "title": {"ja": "デモ", "en": "Demo"},
            "summary": {"ja": "概要", "en": "Summary"},
            "platforms": everywhere,
            "steps": [{"text": {"ja": "①ボタンを{tap}します。", "en": "①{Tap} the button."}}],
        }
    )
    config = Config(root=tmp_path, platforms=tuple(everywhere))
    render(config, [guide])
    en = (tmp_path / "docs/en/guides/demo.md").read_text("utf-8")
    ja = (tmp_path / "docs/ja/guides/demo.md").read_text("utf-8")
    assert '=== "Tablet"' in en and '=== "タブレット"' in ja
    assert "Tap the button." in en.split('=== "Tablet"')[1]
    # The tab script gets the labels and the tablet's user-agent pattern as data,
    # the pattern before the fallback's.
    assert json.dumps({p: config.devices[p].label["en"] for p in everywhere}) in en
    assert json.dumps(platforms.agents(everywhere)) in en
    assert platforms.agents(everywhere)[-1] == ["", "web"]
    assert ["iPad|Tablet", "tablet"] in platforms.agents(everywhere)


def test_the_site_javascript_names_no_platform_or_label() -> None:
    package = Path(guidegen.__file__).parent
    scripts = [*(package / "assets").rglob("*.js"), *(package / "site" / "js").rglob("*.js")]
    words = {p.name for p in platforms.PROFILES}
    words |= {label for p in platforms.PROFILES for label in p.labels.values()}
    for path in scripts:
        text = path.read_text("utf-8")
        named = sorted(w for w in words if f'"{w}"' in text or f"'{w}'" in text)
        assert named == [], f"{path.name} names {named}"
