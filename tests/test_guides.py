"""Docs as tests: every guide on every platform and language, against the real shop.

Each (guide, platform, language) is one test running the same runner as
``guidegen check``, so a guide that drifted from the UI fails here by name.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidegen.capture.runner import run_guide
from guidegen.capture.settle import step_images
from guidegen.capture.targets import GuideFailed
from guidegen.config import Config, load_config
from guidegen.guide.lint import lint
from guidegen.guide.model import Guide
from guidegen.server import serve
from tests.commands import guidegen
from tests.conftest import ROOT

CONFIG = load_config(ROOT)
GUIDES = lint([CONFIG.path("steps_dir")], CONFIG, dt.date.today()).guides
# One guide runs in test_three_runs_give_identical_bytes (the first language,
# three times on every platform) and in test_check_passes_on_the_real_shop_for_one_guide
# (the second, every platform, light and dark): test_guide_runs leaves it to them.
COVERED = "check-sent"
# Android runs in the first language only: its screens are the iPhone's phone
# layout with a stylesheet of their own (its own back button), and no guide has
# Android's own text, so each language's words are run on the iPhone and Android's
# screens in Japanese.
ONE_LANGUAGE = {"android"}
CASES = [
    pytest.param(guide, platform, lang, id=f"{guide.id}-{platform}-{lang}")
    for guide in GUIDES
    for platform in guide.platforms
    for lang in CONFIG.languages
    if guide.id != COVERED and (platform not in ONE_LANGUAGE or lang == CONFIG.languages[0])
]


def test_no_guide_has_steps_of_its_own_for_android():
    """What lets Android run in one language: were a step to say or do something
    on Android alone, its words in every language would need a run."""
    for guide in GUIDES:
        for step in guide.steps:
            for platform in ONE_LANGUAGE:
                assert getattr(step, platform, None) is None, f"{guide.id} › {step.id}"


@pytest.fixture(scope="module")
def shop_url() -> Iterator[str]:
    with serve(CONFIG.path("shop_dir")) as url:
        yield url


def test_every_guide_in_steps_is_valid():
    files = sorted(p.stem for p in CONFIG.path("steps_dir").glob("*.yml"))
    assert files == sorted(g.id for g in GUIDES)
    assert {"contact-seller", "check-replies", "check-sent", "file-claim"} <= set(files)


@pytest.mark.parametrize(("guide", "platform", "lang"), CASES)
def test_guide_runs(browser, playwright, shop_url, guide: Guide, platform, lang):
    try:
        run_guide(browser, playwright, CONFIG, guide, platform, lang, shop_url, shoot=False)
    except GuideFailed as failed:
        pytest.fail(failed.failure.line(), pytrace=False)


def _guide(name: str) -> Guide:
    return next(g for g in GUIDES if g.id == name)


@pytest.mark.parametrize("platform", ["ios", "android", "web"])
def test_three_runs_give_identical_bytes(browser, playwright, shop_url, platform):
    guide = _guide(COVERED)
    lang = CONFIG.languages[0]
    images = [
        step_images(run_guide(browser, playwright, CONFIG, guide, platform, lang, shop_url))
        for _ in range(3)
    ]
    first = [(s.raw, s.annotated) for s in images[0]]
    assert all(len(raw) >= 1 for raw, _ in first)
    for other in images[1:]:
        assert [(s.raw, s.annotated) for s in other] == first


def copy_project(target: Path) -> Path:
    for name in ("steps", "mockshop"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("preview"))
    for name in ("pyproject.toml", "facts.yml", "terms.yml"):
        shutil.copy(ROOT / name, target / name)
    return target


def test_check_catches_a_renamed_button(tmp_path):
    root = copy_project(tmp_path)
    app = root / "mockshop" / "app.js"
    code = app.read_text()
    assert code.count("link('contact-seller',") == 1
    app.write_text(code.replace("link('contact-seller',", "link('message-seller',"))
    # 5 s, not the default 10 s, is still ample for the steps before the renamed
    # button on a busy machine.
    settings = root / "pyproject.toml"
    text = settings.read_text()
    shorter = text.replace("[tool.guidegen]\n", "[tool.guidegen]\ntimeout_ms = 5000\n")
    assert shorter != text
    settings.write_text(shorter)
    # Two runs, a phone and the web: all six would cost a minute of waiting.
    only = ["--guide", "contact-seller", "--scheme", "light", "--lang", "en"]
    result = guidegen(root, "check", *only, "--platform", "android", "--platform", "web")
    assert result.returncode == 1
    failures = sorted(ln for ln in result.stderr.splitlines() if " › step " in ln)
    assert len(failures) == 2  # android/en and web/en
    line = next(ln for ln in failures if " › android/en: " in ln)
    assert line.startswith("contact-seller › step 3 ")
    assert " › android/en: tap 'contact-seller' — no element with test id 'contact-seller'" in line
    assert "(screen: order-detail); screenshot: " in line
    shot = root / line.rsplit("screenshot: ", 1)[1]
    assert shot.read_bytes().startswith(b"\x89PNG")
    # A missing element is named in full: the run is not run again with a trace.
    assert not (root / ".guidegen/traces/contact-seller-android-en.zip").exists()
    assert not (root / "screenshots").exists()  # check writes no screenshot
    assert "Traceback" not in result.stderr


def test_check_passes_on_the_real_shop_for_one_guide(tmp_path):
    lang = CONFIG.languages[1]
    result = guidegen(copy_project(tmp_path), "check", "--guide", COVERED, "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert "6 guide runs OK" in result.stdout  # three platforms × light and dark


def test_config_is_the_projects(tmp_path):
    assert isinstance(CONFIG, Config) and CONFIG.languages == ("ja", "en")
