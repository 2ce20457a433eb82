"""The search index rewrite: Japanese keys, widths, and readers' words (no browser)."""

from __future__ import annotations

import json
import re

import pytest

from guidegen.config import ConfigError
from guidegen.site.search import (
    HIDDEN_KEYS,
    PAGE_BOOST,
    load_synonyms,
    rewrite_index,
    rewrite_zensical_index,
    searchable,
)
from guidegen.site.words import (
    SEPARATOR,
    base_forms,
    is_japanese_phrase,
    keys,
    phrase_forms,
    phrase_key,
    readings,
)


def _index(tmp_path, lang: str, title: str, text: str):
    index = tmp_path / "search_index.json"
    index.write_text(
        json.dumps(
            {
                "config": {"lang": [lang], "separator": "[\\\\s]+", "pipeline": [], "fields": {}},
                "docs": [{"location": "", "title": title, "text": text}],
            }
        ),
        "utf-8",
    )
    index.chmod(0o644)
    return index


def test_the_japanese_index_is_rewritten_once_and_stays_readable(tmp_path):
    index = _index(tmp_path, "ja", "送信済み", "<p>送信済みのメッセージ</p>")
    assert rewrite_index(index)
    rewritten = json.loads(index.read_text("utf-8"))
    assert rewritten["config"]["lang"] == ["en"]
    assert {"送信済_", "メッセージ_"} <= set(rewritten["docs"][0]["keys_text"].split())
    assert index.stat().st_mode & 0o777 == 0o644
    assert not rewrite_index(index), "a second run leaves it alone"


def test_search_keys_cover_every_part_of_a_run():
    found = keys("「送信済み」を iPhone で確認")
    assert "送信済_" in found and "信済_" in found and "iphone" in found
    assert "確認_" in found and "認_" in found
    # A key of kanji alone would make the browser re-cut kanji in queries.
    assert all(key.endswith("_") for key in found if not key.isascii())


def test_hiragana_separates_the_words_a_reader_types():
    assert re.split(SEPARATOR, "出品者から返事が来ない") == ["出品者", "返事", "来", ""]


def test_half_width_katakana_and_full_width_letters_find_the_same_page():
    found = keys("ＡＢＣのメッセージ")
    assert {"abc", "メッセージ_", "ﾒｯｾｰｼﾞ_"} <= set(found)


def test_readers_words_are_indexed_under_the_pages_words(tmp_path):
    synonyms = {"ja": {"返信": ["返事", "壊れ"]}}
    index = _index(tmp_path, "ja", "返信を確認する", "<p>ほかの話</p>")
    assert rewrite_index(index, synonyms)
    doc = json.loads(index.read_text("utf-8"))["docs"][0]
    assert {"返事_", "壊_"} <= set(doc["keys_title"].split())
    assert "返事_" not in doc["keys_text"].split(), "only where the page's word is"


def test_a_japanese_phrase_is_one_key_that_none_of_its_words_begins(tmp_path):
    assert [is_japanese_phrase(w) for w in ("届いたメッセージ", "来ない", "って何")] == [True] * 3
    assert [is_japanese_phrase(w) for w in ("壊れ", "売って", "返事", "refund")] == [False] * 4
    # A query's key ends with the mark too: いつ does not find いつまで.
    assert not phrase_key("いつまで").startswith(phrase_key("いつ"))
    synonyms = {"ja": {"返信": ["届いたメッセージ", "来ない", "返事"]}}
    index = _index(tmp_path, "ja", "返信を確認する", "<p>ほかの話</p>")
    assert rewrite_index(index, synonyms)
    title = set(json.loads(index.read_text("utf-8"))["docs"][0]["keys_title"].split())
    assert {"〆届イタメッセージ_", "〆来ナイ_", "返事_"} <= title
    # Cut at its kana, the phrase would make every question with 届 or 来 find the page.
    assert not {"届_", "来_", "メッセージ_"} & title
    phrases = json.loads((tmp_path / "phrases.json").read_text("utf-8"))
    # Its key, then the ways a query says it: as written and as read.
    assert ["〆来ナイ_", "来ナイ", "コナイ"] in phrases
    assert ["〆届イタメッセージ_", "届イタメッセージ", "トドイタメッセージ"] in phrases


def test_a_query_says_a_phrase_with_or_without_its_particles():
    assert phrase_forms("連絡がつかない") == [
        "連絡ガツカナイ",
        "レンラクガツカナイ",
        "連絡ツカナイ",
        "レンラクツカナイ",
    ]
    # A particle before or after the words is the phrase itself (って何: "what is").
    forms = phrase_forms("って何")
    assert len(forms) == 2 and all(form.startswith("ッテ") for form in forms), forms


def test_the_index_lists_its_whole_runs_for_cutting_a_query(tmp_path):
    """The pages say 保証を申請: a reader's 保証申請 is no part of a page's run,
    so the query side cuts it into runs' parts (search-readings.js pieces)."""
    index = _index(tmp_path, "ja", "保証を申請する", "<p>2週間たっても返信がない</p>")
    assert rewrite_index(index, {"ja": {"返信": ["返事がない", "音沙汰"]}})
    written = json.loads((tmp_path / "runs.json").read_text("utf-8"))
    assert written["separator"] == SEPARATOR
    # Readers' words are runs too; a phrase is a key of its own, not runs.
    assert set(written["runs"]) == {"保証", "申請", "2週間", "返信", "音沙汰"}


def test_zensical_pages_hold_a_japanese_phrase_as_one_word(tmp_path):
    index = tmp_path / "search.json"
    index.write_text(
        json.dumps(
            {
                "config": {"lang": ["ja"], "separator": "[\\s]+"},
                "items": [{"location": "guides/a/", "title": "返信を確認する", "text": "本文"}],
            }
        ),
        "utf-8",
    )
    assert rewrite_zensical_index(index, {"ja": {"返信": ["来ない"]}})
    item = json.loads(index.read_text("utf-8"))["items"][0]
    assert "〆来ナイ_" in item["title"] and "〆来ナイ_" in item["text"]
    assert "来_" not in re.split(SEPARATOR, item["title"])
    assert ["〆来ナイ_", "来ナイ", "コナイ"] in json.loads(
        (tmp_path / "search" / "phrases.json").read_text("utf-8")
    )


def test_english_synonyms_get_their_own_fields(tmp_path):
    index = _index(tmp_path, "en", "Read the seller's reply", "<p>Presently</p>")
    assert rewrite_index(index, {"en": {"reply": ["answer"], "sent": ["outbox"]}})
    rewritten = json.loads(index.read_text("utf-8"))
    assert rewritten["config"]["lang"] == ["en"] and "syn_title" in rewritten["config"]["fields"]
    assert rewritten["docs"][0]["syn_title"] == "answer"
    assert rewritten["docs"][0]["syn_text"] == "", "a word inside another word does not count"
    assert not rewrite_index(index, {"en": {"reply": ["answer"]}})


def test_english_is_indexed_by_base_forms_without_punctuation(tmp_path):
    index = _index(
        tmp_path, "en", "What is a seller?", "<p>The sellers' replies, and the seller's.</p>"
    )
    assert rewrite_index(index, {})
    rewritten = json.loads(index.read_text("utf-8"))
    fields = rewritten["config"]["fields"]
    assert "title" not in fields and fields["words_title"]["boost"] == 1000.0
    doc = rewritten["docs"][0]
    assert doc["words_title"] == "what is a seller"
    assert doc["words_text"] == "the seller reply and the seller"
    assert doc["title"] == "What is a seller?", "shown as built"
    assert base_forms("Address, status, this") == "address status this"
    assert not rewrite_index(index, {})


def test_english_irregular_verb_forms_are_indexed_by_their_base(tmp_path):
    # A reader tells what happened, a page what to do: both meet at the base.
    assert base_forms("It came broken, so I paid and got nothing") == (
        "it come break so i pay and get nothing"
    )
    # Tense that tells tasks apart stays (who sold it, what I sent or wrote).
    assert base_forms("Sold by, sent and wrote") == "sold by sent and wrote"
    index = _index(tmp_path, "en", "Items you bought", "<p>They told you</p>")
    assert rewrite_index(index, {})
    doc = json.loads(index.read_text("utf-8"))["docs"][0]
    assert doc["words_title"] == "item you buy" and doc["words_text"] == "they tell you"
    forms = json.loads((tmp_path / "forms.json").read_text("utf-8"))
    assert forms["bought"] == "buy" and "sold" not in forms, "the query side reads them alike"


def test_english_index_keeps_who_for_the_query_side_to_ask(tmp_path):
    index = _index(tmp_path, "en", "Check who sold it", "<p>Who shipped it</p>")
    data = json.loads(index.read_text("utf-8"))
    data["config"]["pipeline"] = ["stopWordFilter"]
    index.write_text(json.dumps(data), "utf-8")
    assert rewrite_index(index, {})
    rewritten = json.loads(index.read_text("utf-8"))
    # lunr's stop words include "who"; search-readings.js drops a query's others.
    assert rewritten["config"]["pipeline"] == []
    assert rewritten["docs"][0]["words_title"] == "check who sold it"


def _zensical(tmp_path, lang: str, items: list[dict]):
    index = tmp_path / "search.json"
    config = {"lang": [lang], "separator": "[\\s]+"}
    index.write_text(json.dumps({"config": config, "items": items}), "utf-8")
    return index


def test_zensical_pages_carry_the_keys_of_all_their_sections_hidden(tmp_path):
    index = _zensical(
        tmp_path,
        "ja",
        [
            {"location": "guides/a/", "title": "出品者に連絡する", "text": "<p>はじめに</p>"},
            {
                "location": "guides/a/#s",
                "title": "送る",
                "text": "<p>送信済みの<b>メッセージ</b></p>",
            },
            {"location": "b/", "title": "ほかのページ", "text": ""},
        ],
    )
    assert rewrite_zensical_index(index, {"ja": {"返信": ["返事"], "連絡": ["問い合わせ"]}})
    rewritten = json.loads(index.read_text("utf-8"))
    assert rewritten["config"] == {"lang": ["en"], "separator": SEPARATOR}
    first, section, other = rewritten["items"]
    assert first["text"].startswith("<p>はじめに</p> " + HIDDEN_KEYS)
    hidden = first["text"].split(HIDDEN_KEYS)[1].removesuffix("</span>").split()
    assert {"出品者_", "信済_", "メッセージ_", "〆問イ合ワセ_"} <= set(hidden)
    assert section["text"] == "<p>送信済みの<b>メッセージ</b></p>", "sections stay as built"
    assert HIDDEN_KEYS in other["text"] and "〆問" not in other["text"], "no readers' words"
    assert "ソウシン_" in hidden, "readings too"
    # The title's readers' words also weigh as a title (Zensical's one weighting).
    assert first["title"].startswith("出品者に連絡する " + HIDDEN_KEYS)
    titled = first["title"].split(HIDDEN_KEYS)[1].removesuffix("</span>").split()
    assert {"〆問イ合ワセ_", "レンラク_"} <= set(titled) and "信済_" not in titled
    assert section["title"] == "送る" and other["title"] == "ほかのページ"
    assert not rewrite_zensical_index(index), "a second run leaves it alone"
    words = json.loads((tmp_path / "search" / "words.json").read_text("utf-8"))
    listed = [{words["words"][n] for n in item} for item in words["items"]]
    assert {"出品者", "〆問イ合ワセ_"} <= listed[0], "each item's words, hidden ones too"
    assert "出品者" not in listed[2]
    titled = [{words["words"][n] for n in item} for item in words["titles"]]
    assert "出品者" in titled[0] and "メッセージ" in listed[1] and "メッセージ" not in titled[1]
    assert words["pages"] == ["guides/a/", "guides/a/", "b/"]
    assert words["boosts"] == [1.0, 1.0, PAGE_BOOST], "pages other than guides rank lower"


def test_zensical_english_pages_get_readers_words_only(tmp_path):
    items = [{"location": "guides/a/", "title": "Read the reply", "text": "<p>x < y</p>"}]
    index = _zensical(tmp_path, "en", items)
    assert rewrite_zensical_index(index, {"en": {"reply": ["answer", "got back"]}})
    rewritten = json.loads(index.read_text("utf-8"))
    assert rewritten["config"]["lang"] == ["en"]
    # A phrase as one word: its words alone ("got", "back") do not mean it.
    hidden = f"{HIDDEN_KEYS}answer gotback</span>"
    assert rewritten["items"][0]["text"] == f"<p>x < y</p> {hidden}"
    assert rewritten["items"][0]["title"] == f"Read the reply {hidden}"
    phrases = json.loads((tmp_path / "search" / "phrases.json").read_text("utf-8"))
    assert phrases == ["got back"], "for the query side, which joins them the same way"


def test_zensical_english_sections_rank_by_their_own_readers_words(tmp_path):
    items = [
        {"location": "guides/a/", "title": "Read the reply", "text": "<p>Intro</p>"},
        {"location": "guides/a/#s", "title": "Steps", "text": "<p>Contact them</p>"},
        {"location": "b/", "title": "Home", "text": "<p>Contact us</p>"},
    ]
    index = _zensical(tmp_path, "en", items)
    assert rewrite_zensical_index(index, {"en": {"contact": ["shop"], "reply": ["answer"]}})
    words = json.loads((tmp_path / "search" / "words.json").read_text("utf-8"))
    listed = [{words["words"][n] for n in item} for item in words["items"]]
    # As Material's index has them per section: a word of readers held by the
    # first item alone would look rarer than it is.
    assert "shop" in listed[1] and "answer" not in listed[1]
    assert "shop" not in listed[2], "pages other than guides get no readers' words"
    rewritten = json.loads(index.read_text("utf-8"))["items"]
    assert HIDDEN_KEYS not in rewritten[1]["text"], "Zensical's own index is as before"


def test_zensical_english_pages_carry_the_base_of_their_irregular_forms(tmp_path):
    items = [
        {"location": "guides/a/", "title": "What you bought", "text": "<p>It came</p>"},
        {"location": "b/", "title": "Home", "text": "<p>We paid</p>"},
    ]
    index = _zensical(tmp_path, "en", items)
    assert rewrite_zensical_index(index, {"en": {}})
    guide, home = json.loads(index.read_text("utf-8"))["items"]
    assert guide["title"] == f"What you bought {HIDDEN_KEYS}buy</span>"
    assert guide["text"] == f"<p>It came</p> {HIDDEN_KEYS}buy come</span>"
    assert home["text"] == f"<p>We paid</p> {HIDDEN_KEYS}pay</span>"
    forms = json.loads((tmp_path / "search" / "forms.json").read_text("utf-8"))
    assert forms["came"] == "come"


def test_a_bad_synonyms_table_is_one_line_naming_the_file(tmp_path):
    path = tmp_path / "search-synonyms.yml"
    path.write_text("ja:\n  返信: 返事\n", "utf-8")
    with pytest.raises(ConfigError, match=r"search-synonyms\.yml: expected"):
        load_synonyms(path)


def test_japanese_words_are_also_indexed_by_their_readings(tmp_path):
    assert {"ヘンシン", "カクニン", "オクル"} <= set(readings("返信を確認し、送った"))
    index = _index(tmp_path, "ja", "返信を確認する", "<p>送信済みのメッセージ</p>")
    assert rewrite_index(index)
    doc = json.loads(index.read_text("utf-8"))["docs"][0]
    assert {"ヘンシン_", "カクニン_"} <= set(doc["keys_title"].split())
    assert {"ソウシン_", "メッセージ_"} <= set(doc["keys_text"].split())
    words = json.loads((tmp_path / "readings.json").read_text("utf-8"))
    assert {"ヘンシン", "ソウシン"} <= set(words) and len(words[0]) >= len(words[-1])


def test_charts_code_and_excluded_elements_never_reach_the_index(tmp_path):
    text = (
        "<p>本文</p><pre><code>flowchart TD\n a[図]</code></pre>"
        '<div class="x" data-search-exclude>除外</div><p>続き</p>'
    )
    assert searchable(text).split() == ["<p>本文</p>", "<p>続き</p>"]
    index = _index(tmp_path, "en", "Home", text)
    assert rewrite_index(index)
    doc = json.loads(index.read_text("utf-8"))["docs"][0]
    assert "flowchart" not in doc["text"] and "除外" not in doc["text"]


def test_pages_other_than_guides_rank_below_guides(tmp_path):
    index = _index(tmp_path, "en", "Home", "<p>Refund</p>")
    data = json.loads(index.read_text("utf-8"))
    data["docs"].append({"location": "guides/a/", "title": "Refund", "text": ""})
    index.write_text(json.dumps(data), "utf-8")
    assert rewrite_index(index)
    docs = json.loads(index.read_text("utf-8"))["docs"]
    assert docs[0]["boost"] == PAGE_BOOST < 1 and "boost" not in docs[1]
