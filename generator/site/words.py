"""The words of a page's text as the search index holds them, and a query meets
them (generator/site/search.py says how the index uses them, and why).

Japanese: runs of kanji, katakana and Latin letters cut at hiragana, each kept
as every one of its suffixes (``keys``); each word's reading in katakana
(``readings``, by SudachiPy); a phrase of the synonyms table as one key
(``phrase_key``). English: the words in their base forms (``base_forms``), an
irregular verb form as its base, a phrase of the table as one word
(``phrase_word``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from sudachipy import Dictionary, SplitMode, Tokenizer  # type: ignore[import-untyped]

SUFFIX_CAP = 16
MARK = "_"
# Whitespace, hyphens, ASCII and Japanese punctuation, and hiragana (particles
# and verb endings: the glue between the words a reader means). Written so that
# the same pattern means the same in Python here and in JavaScript in the browser,
# also under the `u` flag Zensical compiles it with (no escape it would refuse).
SEPARATOR = (
    r"[\s\u3000\-‐–—―~〜"
    r"、。，．,.:：;；!！?？"
    r"「」『』（）()\[\]［］【】〈〉《》<>＜＞{}｛｝"
    '"'
    r"'“”‘’・･/／\\|｜…→←↑↓※*＊#＃&＆+＋=＝@＠%％"
    r"\u3041-\u309f]+"
)
_SPLIT = re.compile(SEPARATOR)
_TAG = re.compile(r"<[^>]*>")

_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_ENGLISH_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def plain(fragment: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded, widths folded."""
    return unicodedata.normalize("NFKC", html.unescape(_TAG.sub(" ", fragment)))


def _half_width(text: str) -> str:
    """Katakana as a half-width keyboard types it (the reverse of NFKC's folding)."""
    return "".join(_HALF.get(char, char) for char in text)


def _half_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):
        char = chr(code)
        table.setdefault(unicodedata.normalize("NFKC", char), char)
    for full in "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴ":
        base = unicodedata.normalize("NFD", full)
        mark = "\uff9e" if base[1] == "\u3099" else "\uff9f"
        table[full] = table[base[0]] + mark
    return table


_HALF = _half_table()


def _runs(text: str) -> list[str]:
    """A text's runs as the index cuts it: ASCII words and runs of other letters."""
    return [run for run in _SPLIT.split(plain(text).lower()) if run]


def keys(text: str) -> list[str]:
    """The index keys of a text: ASCII words as they are, other runs as suffixes."""
    return _keys_of(_runs(text))


def _keys_of(runs: Sequence[str]) -> list[str]:
    found: dict[str, None] = {}
    for run in runs:
        if run.isascii():
            found[run] = None
            continue
        variants = [run]
        if _KATAKANA.search(run):
            variants.append(_half_width(run))
        for variant in variants:
            for start in range(len(variant)):
                found[variant[start : start + SUFFIX_CAP] + MARK] = None
    return list(found)


_KANJI_OR_KATAKANA = re.compile(r"[\u3400-\u9fff\u30a1-\u30fa\u30fc々]")
_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_tokenizer: Tokenizer | None = None


def _sudachi() -> Tokenizer:
    # Loading the dictionary takes about two seconds: once per build.
    global _tokenizer
    if _tokenizer is None:
        _tokenizer = Dictionary(dict="core").tokenizer(SplitMode.C)
    return _tokenizer


def readings(text: str) -> list[str]:
    """The readings, in katakana, of the words of a text written with kanji or
    katakana (and of a verb's or adjective's dictionary form), two kana or more."""
    found: dict[str, None] = {}
    for run in re.split(r"[\s\u3000]+", plain(text)):
        if not _KANJI_OR_KATAKANA.search(run):
            continue
        for word in _sudachi().tokenize(run[:4000]):
            if not _KANJI_OR_KATAKANA.search(word.surface()):
                continue
            forms = [word.reading_form()]
            if word.part_of_speech()[0] in ("動詞", "形容詞") and word.dictionary_form():
                forms += [m.reading_form() for m in _sudachi().tokenize(word.dictionary_form())]
            for form in forms:
                form = form.translate(_TO_KATAKANA)
                if len(form) >= 2 and re.fullmatch(r"[\u30a1-\u30fa\u30fc]+", form):
                    found[form] = None
    return list(found)


# A Japanese phrase of the synonyms table (a reader's words with kana between
# them: 連絡がつかない, 返事がない) is indexed as one key, not as its words:
# cut at its kana, 「連絡がつかない」 would put 連絡 among the words of the page
# about claims, and every question about contacting a seller would find it; its
# kana, the part that says "can't" or "no", would be lost. The key begins with
# PHRASE_MARK, so no word a reader types begins it, and has the phrase's kana in
# katakana, which the separator leaves whole; it ends with MARK, which the
# query's key also has, so that the key of a phrase (いつ) does not begin
# another's (いつまで). search-readings.js adds the key to a query that says the
# phrase (search/phrases.json: its key and the ways a query says it,
# phrase_forms).
PHRASE_MARK = "〆"
_HIRAGANA = re.compile(r"[\u3041-\u3096]")


_NEGATIVE = re.compile(r"(ない|なかった|ません|ず)$")


def is_japanese_phrase(word: str) -> bool:
    """Whether a reader's word of the table is a Japanese phrase (PHRASE_MARK):
    kana between its words (届いたメッセージ), before them (って何) or a
    negative at their end (来ない), which the separator would cut off. A word
    with its kana ending (壊れ, 売って) is a word: its stem finds every form."""
    if word.isascii() or not _HIRAGANA.search(word):
        return False
    words = [part for part in _SPLIT.split(word) if part]
    return len(words) != 1 or bool(_HIRAGANA.match(word) or _NEGATIVE.search(word))


def _katakana(text: str) -> str:
    return _HIRAGANA.sub(lambda m: chr(ord(m.group(0)) + 0x60), text)


def _folded(phrase: str) -> str:
    """A phrase as a query meets it: widths folded, lower case, no spaces."""
    return re.sub(r"[\s\u3000]+", "", unicodedata.normalize("NFKC", phrase).lower())


def phrase_key(phrase: str) -> str:
    """The one key a Japanese phrase is indexed by (連絡がつかない: 〆連絡ガツカナイ_)."""
    return PHRASE_MARK + _katakana(_folded(phrase)) + MARK


def phrase_forms(phrase: str) -> list[str]:
    """The ways a query says a Japanese phrase, in katakana without spaces: as
    written and as read, each also without the particles between its words
    (連絡がつかない: 連絡ガツカナイ, レンラクガツカナイ, 連絡ツカナイ,
    レンラクツカナイ), which readers leave out (「連絡つかない」)."""
    tokens = list(_sudachi().tokenize(_folded(phrase)))
    inner = {
        number
        for number, token in enumerate(tokens)
        if 0 < number < len(tokens) - 1 and token.part_of_speech()[0] == "助詞"
    }
    forms: dict[str, None] = {}
    for left_out in (set(), inner):
        kept = [token for number, token in enumerate(tokens) if number not in left_out]
        forms[_katakana("".join(token.surface() for token in kept))] = None
        forms["".join(token.reading_form() for token in kept).translate(_TO_KATAKANA)] = None
    return list(forms)


class JapaneseKeys(NamedTuple):
    """What the index holds for a Japanese text said with readers' words."""

    keys: list[str]  # the suffixes of its runs, its readings (with MARK), its phrases' keys
    readings: list[str]  # its words' readings alone
    runs: list[str]  # its runs that hold more than ASCII, whole (search/runs.json)


def japanese_keys(text: str, readers: Sequence[str]) -> JapaneseKeys:
    """The keys, readings and runs of a Japanese text said with readers' words
    (its phrases are keys of their own, not runs)."""
    words = [word for word in readers if not is_japanese_phrase(word)]
    phrases = [phrase_key(word) for word in readers if is_japanese_phrase(word)]
    said = f"{text} {' '.join(words)}"
    spoken = readings(said)
    runs = _runs(said)
    return JapaneseKeys(
        _keys_of(runs) + [reading + MARK for reading in spoken] + phrases,
        spoken,
        [run for run in runs if not run.isascii()],
    )


# Irregular English verb forms and the base form both sides use for them (the
# index here, the query in search-readings.js, from search/forms.json): a
# reader tells what happened ("it came broken", "I paid"), a page says what to
# do ("if an item arrives damaged", "pay"). Regular forms need none: a query's
# words are cut to stems that begin them. Sold, sent and wrote are left as
# they are: their tense is the difference between asking who sold an item or
# what one sent and selling or sending (and "sell" would begin "seller").
IRREGULAR = {
    form: forms.split()[0]
    for forms in (
        "break broke broken",
        "bring brought",
        "buy bought",
        "come came",
        "find found",
        "get got gotten",
        "give gave given",
        "go went gone",
        "hear heard",
        "keep kept",
        "know knew known",
        "lose lost",
        "make made",
        "mean meant",
        "pay paid",
        "say said",
        "see saw seen",
        "speak spoke spoken",
        "take took taken",
        "tear tore torn",
        "tell told",
        "think thought",
    )
    for form in forms.split()[1:]
}


def _base_form(match: re.Match[str]) -> str:
    word = re.sub(r"['’]s$", "", match.group(0))
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def base_forms(text: str) -> str:
    """The words of an English text in lower case, without punctuation (Material
    indexes English without its trimmer: "seller?" would be a word of its
    own), each without its possessive or plural ending (seller's and sellers
    as seller, replies as reply), an irregular verb form as its base (bought
    as buy)."""
    return " ".join(_base_form(word) for word in _ENGLISH_WORD.finditer(plain(text).lower()))


def phrase_word(phrase: str) -> str:
    """An English phrase of several words as the one word it is indexed by
    ("money back" as moneyback, "don't want" as dontwant): each of its words
    alone says little ("back", "want"), the phrase says what the reader means.
    search-readings.js makes the same word of a phrase in a query."""
    return "".join(re.findall(r"[a-z0-9]+", phrase.lower()))


def is_phrase(word: str) -> bool:
    return word.isascii() and len(word.split()) > 1


def irregular_bases(text: str) -> list[str]:
    """The base forms of a text's irregular verb forms, for Zensical's index,
    whose words are as the page writes them (bought: buy)."""
    words = _ENGLISH_WORD.findall(plain(text).lower())
    return list(dict.fromkeys(IRREGULAR[word] for word in words if word in IRREGULAR))
