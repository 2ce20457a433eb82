"""The walkthrough videos on the built site, in real Chromium: present for every
guide, platform, language and captured scheme, captioned step by step, and
loaded only when the reader presses "play all steps"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, Request, expect

from guidegen.capture import layout
from guidegen.config import Config
from guidegen.guide.model import Guide, steps_for
from guidegen.site.render import step_text
from tests.site_fixtures import ROOT, Site

GUIDES = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
LANGS = {"ja": "", "en": "en/"}
PLAY = {"ja": "すべての手順を再生", "en": "Play all steps"}


def _guide(guide: str) -> Guide:
    return Guide.model_validate(
        yaml.safe_load((ROOT / "steps" / f"{guide}.yml").read_text("utf-8"))
    )


def _captured(screenshots: Path, lang: str, platform: str, guide: Guide) -> list[str]:
    """The schemes of a job whose every step picture is committed (a guide not
    captured yet has no walkthrough; render warns about its missing pictures)."""
    found = []
    for scheme in ("light", "dark"):
        folder = layout.job_dir(screenshots, guide.id, platform, lang, scheme)
        steps = steps_for(guide, platform)
        if all(layout.step_image(folder, s.id).is_file() for s in steps):
            found.append(scheme)
    return found


def _cue_texts(vtt: str) -> list[str]:
    assert vtt.startswith("WEBVTT\n")
    blocks = [b.splitlines() for b in vtt.split("\n\n")[1:] if b.strip()]
    for block in blocks:
        assert re.fullmatch(r"[\d:.]+ --> [\d:.]+", block[1]), block
    return [" ".join(block[2:]) for block in blocks]


def test_every_guide_has_a_captioned_walkthrough_under_a_megabyte(
    site: Site, project_config: Config
) -> None:
    count = dark = 0
    for lang, root in LANGS.items():
        for guide_id in GUIDES:
            guide = _guide(guide_id)
            for platform in guide.platforms:
                expected = [
                    f"{s.number}. "
                    + " ".join(step_text(s.text.get(lang), project_config, platform, lang).split())
                    for s in steps_for(guide, platform)
                ]
                captured = _captured(site.root / "screenshots", lang, platform, guide)
                if not captured:
                    html = site.root / "site" / root / "guides" / guide_id / "index.html"
                    assert f"walkthroughs/{platform}/{guide_id}" not in html.read_text("utf-8")
                dark += "dark" in captured
                for scheme in captured:
                    suffix = "" if scheme == "light" else "-dark"
                    base = site.root / "site" / root / "assets/walkthroughs" / platform
                    video = base / f"{guide_id}{suffix}.mp4"
                    where = f"{lang}/{platform}/{guide_id}{suffix}"
                    assert video.is_file(), f"no walkthrough {where}"
                    assert 0 < video.stat().st_size <= 1_000_000, where
                    vtt = (base / f"{guide_id}{suffix}.vtt").read_text("utf-8")
                    escaped = [t.replace("&", "&amp;").replace("<", "&lt;") for t in expected]
                    assert _cue_texts(vtt) == [t.replace(">", "&gt;") for t in escaped], where
                    count += 1
    assert count >= 2 * len(GUIDES)
    assert dark, "the site's test build has dark captures of at least one guide"


def _walkthrough_requests(page: Page) -> list[str]:
    found: list[str] = []

    def record(request: Request) -> None:
        if "/assets/walkthroughs/" in request.url:
            found.append(request.url)

    page.on("request", record)
    return found


def _press_play(site: Site, browser: Browser, devices, lang: str, dark: bool) -> Page:
    """Open the contact-seller guide on a phone, read to the end, then press play."""
    context = site.context(browser, **devices["phone"])
    page = context.new_page()
    requests = _walkthrough_requests(page)
    page.goto(site.url + LANGS[lang] + "guides/contact-seller/")
    page.wait_for_load_state("load")
    height = page.evaluate("() => document.body.scrollHeight")
    for _ in range(0, height, 400):
        page.mouse.wheel(0, 400)
    # The wheel scrolls after mouse.wheel() returns: wait until the page is at its end.
    page.wait_for_function(
        "() => { const e = document.scrollingElement;"
        " return e.scrollTop + e.clientHeight >= e.scrollHeight - 1; }"
    )
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done)))")
    assert requests == [], "nothing of a walkthrough loads before the press"
    assert page.locator("video").count() == 0
    if dark:
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    button = page.get_by_role("button", name=PLAY[lang])
    assert button.count() == 1, "one button in the shown tab (the others are hidden)"
    button.focus()
    page.keyboard.press("Enter")
    page.requests = requests  # type: ignore[attr-defined]
    return page


def _wait_playing(page: Page) -> dict:
    video = page.locator(".gg-walkthrough video")
    video.wait_for()
    page.wait_for_function(
        """() => {
          const v = document.querySelector(".gg-walkthrough video");
          const t = v.textTracks[0];
          // The cues come in as the captions file is parsed; all are in once the
          // track is LOADED (2).
          return v.readyState >= 2 && v.duration > 0 && v.currentTime > 0
            && t && t.mode === "hidden" && t.cues && t.cues.length > 0
            && v.querySelector("track").readyState === 2;
        }"""
    )
    return video.evaluate(
        """v => ({
          source: v.querySelector("source").src,
          track: v.querySelector("track").src,
          kind: v.textTracks[0].kind,
          language: v.textTracks[0].language,
          cues: [...v.textTracks[0].cues].map(c => c.text),
          focused: document.activeElement === v,
          controls: v.controls,
        })"""
    )


@pytest.mark.parametrize("lang", list(LANGS))
def test_play_all_steps_loads_nothing_until_pressed_then_plays_with_captions(
    site: Site, browser: Browser, devices, lang: str
) -> None:
    page = _press_play(site, browser, devices, lang, dark=False)
    played = _wait_playing(page)
    steps = steps_for(_guide("contact-seller"), "ios")
    assert played["source"].endswith("/assets/walkthroughs/ios/contact-seller.mp4")
    assert played["track"].endswith("/assets/walkthroughs/ios/contact-seller.vtt")
    assert played["kind"] == "captions" and played["language"] == lang
    assert len(played["cues"]) == len(steps)
    assert played["cues"][0].startswith("1. ")
    assert played["focused"] and played["controls"]
    assert set(page.requests) >= {played["source"], played["track"]}  # type: ignore[attr-defined]
    assert all("/walkthroughs/ios/" in url for url in page.requests)  # type: ignore[attr-defined]
    # A reader can jump to the last step: its picture and its caption show.
    last = page.evaluate(
        """() => {
          const v = document.querySelector(".gg-walkthrough video");
          const cues = v.textTracks[0].cues;
          const cue = cues[cues.length - 1];
          v.pause();
          v.currentTime = (cue.startTime + cue.endTime) / 2;
          return cue.text;
        }"""
    )
    page.wait_for_function(
        """(text) => {
          const v = document.querySelector(".gg-walkthrough video");
          const active = v.textTracks[0].activeCues;
          return !v.seeking && v.readyState >= 2 && active.length === 1 && active[0].text === text;
        }""",
        arg=last,
    )
    # Its caption in the band under the picture, not over it (the browser draws
    # a showing track on the video).
    band = page.locator(".gg-walkthrough__captions")
    expect(band).to_have_text(last.replace("\n", " "))
    video_box = page.locator(".gg-walkthrough video").bounding_box()
    band_box = band.bounding_box()
    assert video_box and band_box and band_box["y"] >= video_box["y"] + video_box["height"]
    page.context.close()
    assert not site.external


def test_a_dark_palette_plays_the_dark_walkthrough_when_there_is_one(
    site: Site, browser: Browser, devices
) -> None:
    page = _press_play(site, browser, devices, "en", dark=True)
    played = _wait_playing(page)
    dark = (ROOT / "screenshots/en/ios/contact-seller/dark/frames.json").is_file()
    name = "contact-seller-dark" if dark else "contact-seller"
    assert played["source"].endswith(f"/assets/walkthroughs/ios/{name}.mp4")
    assert played["track"].endswith(f"/assets/walkthroughs/ios/{name}.vtt")
    page.context.close()


def test_the_script_prefers_the_dark_video_in_a_dark_palette(
    site: Site, browser: Browser, devices
) -> None:
    """The choice itself, also before any dark capture exists: the control is
    given another real walkthrough as its dark one."""
    context = site.context(browser, **devices["phone"])
    page = context.new_page()
    page.goto(site.url + "en/guides/contact-seller/")
    page.wait_for_load_state("load")
    page.evaluate(
        """() => {
          document.body.setAttribute("data-md-color-scheme", "slate");
          for (const box of document.querySelectorAll(".gg-walkthrough")) {
            box.dataset.videoDark = "assets/walkthroughs/android/contact-seller.mp4";
            box.dataset.captionsDark = "assets/walkthroughs/android/contact-seller.vtt";
          }
        }"""
    )
    page.get_by_role("button", name=PLAY["en"]).click()
    played = _wait_playing(page)
    assert played["source"].endswith("/assets/walkthroughs/android/contact-seller.mp4")
    assert played["track"].endswith("/assets/walkthroughs/android/contact-seller.vtt")
    context.close()
