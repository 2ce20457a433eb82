"""Search on the built site in real Chromium: literal recall, readers' own words, the box."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.site_fixtures import ROOT, Site, pages_containing, search, search_index

# Words a reader would type, taken from the guides and the site's own pages:
# screen names and labels the guides tell the reader to tap, and the nouns and
# verbs of their text. Compounds are here on purpose: Material's segmenter
# splits them when indexing but not when searching.
QUERIES_JA = [
    "出品者",
    "返信",
    "保証",
    "連絡",
    "確認",
    "送信済み",
    "送信",
    "メッセージ",
    "メッセージセンター",
    "アカウント",
    "アカウントサービス",
    "注文履歴",
    "注文の詳細",
    "注文",
    "販売元",
    "出荷元",
    "マーケットプレイス保証",
    "マーケットプレイス",
    "申請",
    "返品リクエスト",
    "返品",
    "返金",
    "2週間",
    "数日",
    "破損",
    "不具合",
    "部品",
    "不足",
    "商品",
    "タップ",
    "クリック",
    "出品者/購入者の連絡",
    "購入者",
    "メッセージアシスタント",
    "問い合わせ",
    "メール",
    "メールアドレス",
    "氏名",
    "住所",
    "発送",
    "販売",
    "商品代金",
    "理由",
    "注文に関する問題",
    "届いた",
    "誰が売った",
    "出品者に連絡する",
    "送ったメッセージ",
    "送信済みのメッセージ",
    "スクロール",
]

_LOCALIZED_KEYS = {"title", "summary", "text", "note", "warning", "prerequisites", "facts"}
_WORD = re.compile(r"[ァ-ヴー]{2,}|[一-龥々]{2,}[ぁ-ん]{0,2}")


def _japanese(node: object, key: str = "") -> list[str]:
    if isinstance(node, dict):
        if "ja" in node and key in _LOCALIZED_KEYS:
            return [str(node["ja"])]
        return [text for k, v in node.items() for text in _japanese(v, str(k))]
    if isinstance(node, list):
        return [text for item in node for text in _japanese(item, key)]
    return []


def guide_words(steps: Path) -> list[str]:
    """Katakana words and kanji compounds (with their okurigana) of every guide."""
    found: dict[str, None] = {}
    for path in sorted(steps.glob("*.yml")):
        for text in _japanese(yaml.safe_load(path.read_text("utf-8"))):
            for word in _WORD.findall(text.replace("{tap}", "タップ")):
                found[word] = None
    return list(found)


# Searches in readers' own words, each with the guide it should find, in two
# halves: the search is tuned on one, the other (holdout) is the honest figure.
NATURAL = yaml.safe_load((ROOT / "tests/natural_queries.yml").read_text("utf-8"))
HALVES = ("tune", "holdout")
_KANA_ONLY = re.compile(r"[ぁ-ゖァ-ヺー\s]+")
# Floors per engine, language and half: the recall@3 measured when the search
# was last changed, less a query or so. Before readings, ranking and the
# Zensical query filter (tune / holdout): MkDocs ja 76.8 / 68.0 %, en 90.5 /
# 80.0 %; Zensical ja 64.6 / 44.0 %, en 74.6 / 54.0 %. After: MkDocs ja 95.1 /
# 96.0 %, en 95.2 / 86.0 %; Zensical ja 80.5 / 70.0 %, en 84.1 / 70.0 %.
# Then English indexed by base forms and queried by stems without function
# words; Zensical with the title keys and a query tree (readings as one
# alternative, the items with the most words when none has all), with 33
# English tune queries more: MkDocs ja 96.3 / 98.0 %, en 95.8 / 92.0 %;
# Zensical ja 91.5 / 88.0 %, en 92.7 / 78.0 %. Then Zensical asked for any
# word of a query and its results ranked again as lunr ranks Material's (rare
# words, titles, guides first): ja 95.1 / 100.0 %, en 94.8 / 92.0 %. Then
# English phrases of the synonyms table as one word each, and phrases readers
# use for "no answer" and "don't want it": MkDocs en 99.0 / 92.0 %, Zensical
# en 96.9 / 92.0 %. Then 11 English tune queries more (written before they were
# measured: 8 of 11 found on both engines) and readers' phrases for the three
# missed ("doesn't work", "refused", "wrong size"): MkDocs en 99.1 / 92.0 %,
# Zensical en 97.2 / 94.0 %. Then 44 English queries more (22 per half, 129
# tune / 72 holdout), written before the search changed, which measured MkDocs
# en 94.6 / 91.7 %, Zensical en 93.0 / 90.3 %; then irregular verb forms as
# their base on both sides, "who" kept as a question word and readers' words
# for damage, talking, escalating and exchanging, the table's English phrases
# as one word only (tuned on the tune half): MkDocs en 99.2 / 94.4 %, Zensical
# en 99.2 / 93.1 %. Then 28 English queries more (14 per half, 143 tune / 86
# holdout, written before they were measured; all 14 holdout ones found on
# both engines). On these lists, the search before this round: MkDocs en
# 94.4 / 93.0 %, Zensical en 93.0 / 91.9 %; after: MkDocs en 99.3 / 95.3 %,
# Zensical en 97.9 / 94.2 %. Then "who" kept in Material's index, and each
# English section's own readers' words in Zensical's ranking: MkDocs en 99.3 /
# 95.3 %, Zensical en 99.3 / 95.3 %; Japanese unchanged (MkDocs 96.3 / 98.0 %,
# Zensical 95.1 / 100.0 %). Then Japanese phrases of the synonyms table as one
# key each (連絡がつかない, 来ない, 届いたメッセージ: cut at their kana, 届 and 来
# had found the replies guide), readers' words for time without an answer and
# for "what is", a first list of 24 + 24 queries written before that change
# added to the tune half, and a second one (22 + 20 new), written after it and
# before it was measured, to the holdout half (103 / 72 ja, 164 / 106 en). The
# second list alone, before and after: ja 18 / 22 and 20 / 22, en 16 / 20 and
# 17 / 20. All lists now: MkDocs ja 100.0 / 95.8 %, en 99.4 / 93.4 %;
# Zensical ja 98.1 / 98.6 %, en 99.4 / 94.3 %. Then lists written blind by
# readers who saw neither the pages nor the synonyms table, each measured
# before the search was changed for it: list 1 (60 per language) MkDocs ja
# 93.3, en 93.3 %; list 2 (54) MkDocs ja 81.5, en 85.2 %, Zensical ja 79.6, en
# 85.2 %. Then a run of kanji that no page has whole (保証申請) cut into parts
# pages have, phrases matched without their particles (連絡つかない), and
# readers' words for what lists 1 and 2 and the first holdout half missed:
# those three became the tune half, and list 3 (48 per language, less 6 queries
# the tune half had) the holdout half, read as figures only: MkDocs ja 100.0,
# en 95.5 %; Zensical ja 97.8, en 95.5 %. List 4 (48), measured as it came:
# MkDocs ja 95.8, en 97.9 %; Zensical ja 93.8, en 95.8 %. Then "not" and "no"
# no longer begin the table's phrases in a query ("not sure I sent it" found
# the claim guide), and a few readers' words for list 4, which joined the tune
# half: MkDocs ja 99.7 / 100.0 %, en 99.3 / 97.7 %; Zensical ja 97.5 / 97.8 %,
# en 98.6 / 97.7 %.
MIN_RECALL = {
    ("mkdocs", "ja", "tune"): 0.98,
    ("mkdocs", "ja", "holdout"): 0.97,
    ("mkdocs", "en", "tune"): 0.98,
    ("mkdocs", "en", "holdout"): 0.95,
    ("zensical", "ja", "tune"): 0.96,
    ("zensical", "ja", "holdout"): 0.95,
    ("zensical", "en", "tune"): 0.97,
    ("zensical", "en", "holdout"): 0.95,
}


def _page(site: Site, browser: Browser, root: str = "") -> Page:
    context = site.context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(site.url + root)
    return page


Searcher = Callable[[Site, str], Page]


@pytest.fixture(scope="module")
def searcher(browser: Browser) -> Iterator[Searcher]:
    """searcher(site, root): the one page of the module that asks the site's
    search worker (search()) in that section. Those queries read nothing of the
    page but its config, and the worker keeps its index between them: one page
    and one index per section instead of one for every test."""
    pages: dict[tuple[str, str], Page] = {}

    def page_for(site: Site, root: str = "") -> Page:
        if (site.engine, root) not in pages:
            pages[(site.engine, root)] = _page(site, browser, root)
        return pages[(site.engine, root)]

    yield page_for
    for page in pages.values():
        page.context.close()


def _type(page: Page, query: str) -> None:
    """Type a query into Material's search box."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    # Material searches on key-up; text typed through an input method, as
    # Japanese is, ends with one too.
    box.press("End")


def test_the_build_rewrote_the_japanese_index_and_added_english_synonyms(site: Site) -> None:
    ja = json.loads((site.root / "site/search/search_index.json").read_text("utf-8"))
    en = json.loads((site.root / "site/en/search/search_index.json").read_text("utf-8"))
    assert "keys_text" in ja["config"]["fields"]
    assert all("keys_text" in doc for doc in ja["docs"])
    assert en["config"]["lang"] == ["en"] and "keys_text" not in en["config"]["fields"]
    assert "syn_title" in en["config"]["fields"]


def test_japanese_search_finds_every_word_of_every_page(engine_site: Site, searcher: Searcher):
    site = engine_site
    queries = list(dict.fromkeys(QUERIES_JA + guide_words(site.root / "steps")))
    index = search_index(site.root / "site")
    expected = {q: pages_containing(index, q) for q in queries}
    present = [q for q in QUERIES_JA if expected[q]]
    assert len(present) >= 40, f"only {len(present)} of the listed words are on the site"
    results = search(searcher(site, ""), [q for q in queries if expected[q]])
    missed = {q: sorted(expected[q] - set(pages)) for q, pages in results.items()}
    missed = {q: pages for q, pages in missed.items() if pages}
    print(f"{site.engine}: {len(results) - len(missed)} of {len(results)} words found")
    assert not missed, f"pages not found: {missed}"


def test_each_language_has_a_hundred_natural_queries_in_two_halves() -> None:
    guides = {p.stem for p in (ROOT / "steps").glob("*.yml")}
    for lang in ("ja", "en"):
        assert set(NATURAL[lang]) == set(HALVES), lang
        every = [q for half in HALVES for q in NATURAL[lang][half]]
        assert len(every) >= 100 and len(set(every)) == len(every), lang
        assert all(len(NATURAL[lang][half]) >= 40 for half in HALVES), lang
        assert {g for half in HALVES for g in NATURAL[lang][half].values()} <= guides
    kana = [q for half in HALVES for q in NATURAL["ja"][half] if _KANA_ONLY.fullmatch(q)]
    assert len(kana) >= 20 and all(
        sum(1 for q in NATURAL["ja"][half] if _KANA_ONLY.fullmatch(q)) >= 10 for half in HALVES
    ), kana


def natural_recall(site: Site, searcher: Searcher, lang: str, half: str) -> tuple[float, dict]:
    """The share of the half's natural queries whose guide is in the first three."""
    root = "" if lang == "ja" else f"{lang}/"
    queries = NATURAL[lang][half]
    results = search(searcher(site, root), list(queries))
    missed = {
        q: results[q][:3]
        for q, guide in queries.items()
        if f"guides/{guide}/" not in results[q][:3]
    }
    return 1 - len(missed) / len(queries), missed


@pytest.mark.parametrize("half", HALVES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_readers_own_words_find_the_guide_in_the_first_three(
    engine_site: Site, searcher: Searcher, lang: str, half: str
) -> None:
    site = engine_site
    recall, missed = natural_recall(site, searcher, lang, half)
    print(f"{site.engine} {lang} {half}: natural-query recall {recall:.1%}; missed {missed}")
    floor = MIN_RECALL[(site.engine, lang, half)]
    assert recall >= floor, f"{site.engine} {lang} {half}: {recall:.1%} < {floor:.0%}; {missed}"


def test_readers_search_never_lists_the_editors_pages(site: Site, searcher: Searcher) -> None:
    for root, queries in (
        ("", ["書式リファレンス", "送信済み", "返品", "ガイド"]),
        ("en/", ["reference", "guide", "marks"]),
    ):
        docs = json.loads(
            (site.root / "site" / root / "search/search_index.json").read_text("utf-8")
        )
        assert not [d for d in docs["docs"] if d["location"].startswith("editors")]
        found = search(searcher(site, root), queries)
        assert not [p for pages in found.values() for p in pages if "editors" in p], found
    editors = json.loads((site.root / "site/editors/search/search_index.json").read_text("utf-8"))
    assert {d["location"].split("#")[0] for d in editors["docs"]} >= {"", "reference/", "marks/"}


def _titles(index: Path) -> dict[str, str]:
    docs = json.loads(index.read_text("utf-8"))["docs"]
    return {d["location"]: d["title"] for d in docs if "#" not in d["location"]}


def _search_box(site: Site, searcher: Searcher, root: str, query: str) -> list[str]:
    """The pages the search box lists for a query, in order, relative to the root.
    The section's shared page: its box is emptied first, and the results of an
    earlier query are gone before this one is typed."""
    page = searcher(site, root)
    items = page.locator(".md-search-result__item > a.md-search-result__link")
    _type(page, "")
    expect(items).to_have_count(0)
    _type(page, query)
    items.first.wait_for()
    hrefs = items.evaluate_all("links => links.map(a => a.href)")
    return [href.removeprefix(site.url + root).split("#")[0].split("?")[0] for href in hrefs]


@pytest.mark.parametrize(
    ("root", "query", "title_word"),
    [
        ("", "出品者", "出品者"),
        ("", "返信", "返信"),
        ("", "保証", "保証"),
        ("en/", "seller", "seller"),
        ("en/", "claim", "claim"),
    ],
)
def test_the_search_box_lists_the_guides_about_the_word_first(
    site: Site, searcher: Searcher, root: str, query: str, title_word: str
) -> None:
    titles = _titles(site.root / "site" / root / "search/search_index.json")
    about = {loc for loc, title in titles.items() if title_word in title.lower()}
    assert about, f"no page title contains {title_word!r}"
    listed = _search_box(site, searcher, root, query)
    assert listed[: len(about)] and set(listed[: len(about)]) == about, (
        f"{query}: expected {sorted(about)} first, got {listed}"
    )


def test_english_queries_meet_the_pages_in_base_forms_and_ask_who(
    engine_site: Site, searcher: Searcher
) -> None:
    """ "told" is on no page, "tell" is: an irregular form in a query is read as
    its base (search/forms.json). "who" is no function word: it asks who sold
    the item, whom to contact; "not" is one."""
    site = engine_site
    index = search_index(site.root / "site/en")
    assert not pages_containing(index, "told", whole_word=True)
    assert pages_containing(index, "tell", whole_word=True)
    found = search(searcher(site, "en/"), ["told", "who do I contact", "not sure I hit send"])
    assert found["told"] and set(found["told"]) <= pages_containing(index, "tell"), found
    assert "guides/seller-types/" in found["who do I contact"][:3], found
    # "not" is a function word: it began the word of every phrase with it
    # (notanswering, on the claim guide), a phrase the query never said.
    assert found["not sure I hit send"][0] == "guides/check-sent/", found


def test_a_japanese_phrase_finds_its_guide_in_kanji_or_kana_and_its_words_alone_do_not(
    engine_site: Site, searcher: Searcher
) -> None:
    """連絡がつかない is a phrase of the synonyms table, for the claim guide: a
    reader who cannot reach the seller finds it, typed in kanji or in kana,
    while 連絡, a word of the phrase, still asks how to contact the seller."""
    found = search(
        searcher(engine_site, ""),
        ["出品者と連絡がつかない", "れんらくがつかない", "連絡つかない", "出品者に連絡"],
    )
    assert found["出品者と連絡がつかない"][0] == "guides/file-claim/", found
    assert found["れんらくがつかない"][0] == "guides/file-claim/", found
    # Said without its particle, the phrase is still the phrase.
    assert found["連絡つかない"][0] == "guides/file-claim/", found
    assert found["出品者に連絡"][0] == "guides/contact-seller/", found
    assert "guides/file-claim/" not in found["出品者に連絡"][:3], found


def test_a_run_of_kanji_no_page_has_whole_is_searched_as_its_parts(
    engine_site: Site, searcher: Searcher
) -> None:
    """The claim guide says 保証を申請: 保証申請, typed whole, found nothing
    (its hiragana is what cuts a page's text into words)."""
    index = search_index(engine_site.root / "site")
    assert not pages_containing(index, "保証申請")
    found = search(searcher(engine_site, ""), ["保証申請", "ほしょうしんせい"])
    assert found["保証申請"][0] == "guides/file-claim/", found
    assert found["ほしょうしんせい"][0] == "guides/file-claim/", found


# Every word that the search box lists as missing from a result, or passes on
# in a result's link (?h=, the words to mark on the page), is one the reader typed.
_ONLY_TYPED = """(query) => {
  const missing = [...document.querySelectorAll(".md-search-result__terms del")]
    .map((word) => word.textContent).filter(Boolean);
  const passed = [...document.querySelectorAll("a.md-search-result__link")]
    .flatMap((link) => (new URL(link.href).searchParams.get("h") || "").split(" "))
    .filter(Boolean);
  return document.querySelector(".md-search-result__item") !== null
    && [...missing, ...passed].every((word) => query.includes(word));
}"""


def test_the_search_box_shows_only_the_words_the_reader_typed(site: Site, browser: Browser):
    """A query gets readings (レンラク) and phrase keys (〆連絡ガツカナイ_) added; the
    search box never shows them to the reader, nor passes them on."""
    page = _page(site, browser)
    for query in ("れんらくがつかない", "出品者と連絡がつかない", "へんしんをかくにん"):
        _type(page, query)
        page.wait_for_function(_ONLY_TYPED, arg=query)
    page.context.close()


def test_a_run_found_by_its_parts_is_not_listed_as_missing(site: Site, browser: Browser):
    """保証申請 is on no page whole: the claim guide is found by its parts, and the
    search box does not tell the reader that the guide lacks the word typed."""
    page = _page(site, browser)
    _type(page, "保証申請")
    first = page.locator(".md-search-result__item").first
    expect(first.locator("a").first).to_have_attribute("href", re.compile("guides/file-claim/"))
    expect(first.locator(".md-search-result__terms")).to_have_count(0)
    page.context.close()


@pytest.mark.parametrize(("typed", "guide"), [("ﾒｯｾｰｼﾞ", "check-sent"), ("ＳＥＮＴ", "check-sent")])
def test_the_search_box_reads_any_width(site: Site, searcher: Searcher, typed: str, guide: str):
    root = "" if typed.startswith("ﾒ") else "en/"
    listed = _search_box(site, searcher, root, typed)
    assert f"guides/{guide}/" in listed[:3], listed


def test_guides_of_the_project_are_searched(site: Site) -> None:
    steps = sorted(p.stem for p in (ROOT / "steps").glob("*.yml"))
    titles = _titles(site.root / "site/search/search_index.json")
    assert {f"guides/{s}/" for s in steps} <= set(titles)


@pytest.mark.parametrize(("root", "query"), [("", "ぬぬぬぬ"), ("en/", "xylophone")])
def test_a_query_without_results_offers_the_guides(
    site: Site, browser: Browser, root: str, query: str
) -> None:
    page = _page(site, browser, root)
    _type(page, query)
    offer = page.locator("#guidegen-search-offer a")
    offer.first.wait_for()
    hrefs = offer.evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all("/guides/" in href for href in hrefs), hrefs
    assert page.locator(".md-search-result__list > *").count() == 0
    _type(page, "seller" if root else "出品者")
    page.locator(".md-search-result__item").first.wait_for()
    offer.first.wait_for(state="detached")
    page.context.close()


def test_zensicals_own_box_lists_the_ranked_results_and_their_next_page(
    zensical_site: Site, browser: Browser
) -> None:
    """search-readings.js ranks Zensical's results again, as lunr's weights rank
    Material's: its own search box lists the guide first (Zensical's order put
    the page about sellers first) and, scrolled, the next ten of that ranking."""
    page = _page(zensical_site, browser)
    page.keyboard.press("/")
    page.locator("input[role=combobox]").fill("出品者に問い合わせたい")
    links = page.locator("ol[role=listbox] a")
    links.first.wait_for()
    first = links.first.get_attribute("href") or ""
    assert first.split("?")[0].endswith("guides/contact-seller/"), first
    assert links.count() == 10
    links.last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 5000)
    links.nth(10).wait_for()
    page.context.close()
