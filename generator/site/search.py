"""Search in readers' own words: the built site's search index, rewritten.

Material for MkDocs searches with lunr in the browser. Every query term is
matched as a prefix of an indexed word, and the terms are alternatives (a page
matches any of them; pages matching more rank higher). This module rewrites
``search/search_index.json`` after the build, without touching Material's code:

Japanese (the index's language is ``ja``):

- Material cuts Japanese into words with TinySegmenter when indexing but not
  when searching, so a compound typed whole (「送信済み」) missed pages where
  the segmenter had cut it. Instead, hiragana separates words here, on both
  sides (``SEPARATOR`` becomes the index's separator, which the browser also
  cuts queries with): what remains are the runs of kanji, katakana and Latin
  letters that carry the meaning. A reader's 「出品者から返事が来ない」 becomes
  出品者 / 返事 / 来, and 「送信済み」 becomes 送信済.
- Each run is indexed as every one of its suffixes (up to ``SUFFIX_CAP``
  characters), so any part of a run is a prefix of a key: 「信済」 finds 送信済.
- A run in half-width katakana (ﾒｯｾｰｼﾞ) is also indexed as such.
- Readings: SudachiPy (with its core dictionary) cuts the text into words;
  each word with kanji or katakana is also indexed by its reading in katakana
  (返信 as ヘンシン), a verb also by its dictionary form's (送っ as オクル).
  The readings are written to ``search/readings.json`` as well: the site's
  search-readings.js turns the kana of a reader's query into katakana and cuts
  it, longest reading first, into those words (「へんしんをかくにん」 becomes
  ヘンシン カクニン), so kana-only, kanji and mixed queries meet the same pages.
- Runs: the runs of the index, whole, are written to ``search/runs.json``:
  search-readings.js cuts a query's run that no page has whole into the
  longest parts that pages have (「保証申請」, where a page says 保証を申請,
  also asks for 保証 and 申請). Without them, the run found nothing.
- The keys go into two extra fields (``keys_title``, ``keys_text``) that
  replace ``title`` and ``text``; the page text shown in results is untouched.
  (The cost: results no longer mark the matched words.)
- TinySegmenter is switched off (``lang: en`` with an empty pipeline: no
  stemmer, stop words or trimmer, whose ASCII rules would erase Japanese).
- Every non-ASCII key ends with ``MARK``, so no key is made of kanji only and
  Material's re-cutting of kanji in queries always leaves the query as typed.

English: Material indexes it without stemmer and trimmer (its queries are
prefixes, which a stemmed index would not meet), so "seller's", "sellers" and
"seller?" were words of their own, and lunr weighs a rare form far above the
common one: a page ranked by how its title inflected a word. Its stop-word
filter is left out too: it drops "who", which search-readings.js keeps (it
drops a query's other function words itself). The words in
their base forms, without punctuation (``base_forms``), replace title and
text in two extra fields (``words_title``, ``words_text``); search-readings.js
cuts a query's words to stems that begin those forms and leaves out function
words. Irregular verb forms (``IRREGULAR``: bought, came, paid) become their
base on both sides (``search/forms.json`` for the query side; on Zensical the
bases go into the hidden span below).

Both languages: the synonyms table (``search_synonyms`` in the configuration)
maps a word of the pages to the words readers type instead. A title or text
that contains the page's word is also indexed under the readers' words, in
extra fields for English (``syn_title``, ``syn_text``) so that lunr's English
stemmer still applies to them. An English phrase of the table ("don't want")
is indexed as one word (``phrase_word``), not as its words; the phrases go to
``search/phrases.json``, and search-readings.js adds that word to a query
that says the phrase.

Zensical's index (``search.json``) has fixed fields (title, text, path), one
item per section, and a search that requires every word of the query, each as
a prefix of a word of one item. So, there:

- Each page's first item carries, in a hidden span at the end of its text, the
  keys (and readers' words) of the whole page, and the synonyms table's words
  for every page (how, want to...): a query whose words are spread over several
  sections, or asked as a whole sentence, still finds the page. The snippet Zensical shows keeps
  the span's ``hidden`` attribute.
- Zensical's only weighting ranks a match in a title above any in a text, so
  a guide's first item carries its title's keys and readers' words, hidden,
  in its title as well (what lunr's title boost does for Material).
- Japanese: its Intl.Segmenter is switched off (``lang: en``) and
  ``SEPARATOR`` becomes the index's separator, as for Material; Zensical folds
  widths itself (NFKD), so no half-width keys are needed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..capture.layout import GUIDE_PAGES
from ..config import Config, ConfigError
from ..files import write_atomic
from .words import (
    IRREGULAR,
    SEPARATOR,
    base_forms,
    irregular_bases,
    is_japanese_phrase,
    is_phrase,
    japanese_keys,
    phrase_forms,
    phrase_key,
    phrase_word,
    plain,
)

# Charts and code (a Mermaid chart's source, before the browser draws it) and
# whatever a page marks data-search-exclude: never indexed, never an excerpt.
_EXCLUDED = re.compile(
    r"<pre\b.*?</pre>|<(\w+)\b[^>]*\bdata-search-exclude\b[^>]*>.*?</\1>", re.DOTALL
)
# Pages other than guides (the home page, which names every guide, and the
# pages about the shop) rank below a guide that matches as well: readers who
# search mostly have a task to do.
PAGE_BOOST = 0.3

JA_FIELDS = {"keys_title": {"boost": 1000.0}, "keys_text": {"boost": 1.0}}
SYNONYM_FIELDS = {"syn_title": {"boost": 1000.0}, "syn_text": {"boost": 1.0}}
ENGLISH_FIELDS = {"words_title": {"boost": 1000.0}, "words_text": {"boost": 1.0}}

Synonyms = Mapping[str, Sequence[str]]


def searchable(fragment: str) -> str:
    """An index's text without charts, code and what the page excludes from search."""
    return _EXCLUDED.sub(" ", fragment)


def _is_guide(location: str) -> bool:
    return location.startswith(GUIDE_PAGES + "/")


READINGS_FILE = "readings.json"
RUNS_FILE = "runs.json"
PHRASES_FILE = "phrases.json"
WORDS_FILE = "words.json"
FORMS_FILE = "forms.json"

EVERY_PAGE = "*"


def readers_words(text: str, synonyms: Synonyms) -> list[str]:
    """The readers' words for the pages' words that a text contains (the words for
    every page, EVERY_PAGE, excepted), each English phrase as its one word only:
    "private seller" would otherwise put "seller" among a page's readers' words."""
    seen = plain(text).lower()
    found = [
        word
        for page_word, words in synonyms.items()
        if page_word != EVERY_PAGE
        and (
            re.search(rf"\b{re.escape(page_word)}", seen)
            if page_word.isascii()
            else page_word in seen
        )
        for word in words
    ]
    return [phrase_word(word) if is_phrase(word) else word for word in found]


def _write_phrases(path: Path, synonyms: Synonyms, *, japanese: bool = False) -> None:
    """The table's phrases for the query side (search-readings.js): English ones
    as written, with the irregular verb forms (FORMS_FILE, beside it); Japanese
    ones as their key and the ways a query says them (phrase_key, phrase_forms)."""
    phrases: list[Any]
    if japanese:
        found = {word for words in synonyms.values() for word in words if is_japanese_phrase(word)}
        phrases = [[phrase_key(word), *phrase_forms(word)] for word in sorted(found)]
    else:
        phrases = sorted({word for words in synonyms.values() for word in words if is_phrase(word)})
    files = [(path.name, phrases)] + ([] if japanese else [(FORMS_FILE, IRREGULAR)])
    for name, data in files:
        _write_public(path.parent / name, json.dumps(data, sort_keys=True, ensure_ascii=False))


def _write_public(path: Path, text: str) -> None:
    """A file of the query side, readable by a web server running as another user
    (write_atomic's temporary file is private)."""
    write_atomic(path, text.encode())
    path.chmod(0o644)


def load_synonyms(path: Path) -> dict[str, dict[str, list[str]]]:
    """The synonyms table per language; empty when the file does not exist."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML; {getattr(error, 'problem', error)}") from None
    table: dict[str, dict[str, list[str]]] = {}
    for lang, words in data.items() if isinstance(data, dict) else [(None, None)]:
        if not isinstance(words, dict) or not all(
            isinstance(key, str)
            and isinstance(value, list)
            and all(isinstance(v, str) for v in value)
            for key, value in words.items()
        ):
            raise ConfigError(
                f"{path}: expected, per language, a page word and a list of readers' words, "
                "e.g. ja: {返信: [返事, 回答]}"
            )
        table[str(lang)] = {key.lower(): [v.lower() for v in value] for key, value in words.items()}
    return table


def _write(path: Path, index: dict[str, Any]) -> None:
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # The temporary file behind write_atomic is private (0600); a web server
    # running as another user must still be able to read the index.
    mode = path.stat().st_mode
    write_atomic(path, data.encode())
    path.chmod(mode)


def rewrite_index(path: Path, synonyms: Mapping[str, Synonyms] | None = None) -> bool:
    """Rewrite a Material (lunr) search index in place, as the module says.

    Returns whether the file was rewritten: an index rewritten before (in
    Japanese or with synonyms) is left alone.
    """
    index = json.loads(path.read_text("utf-8"))
    config = index.get("config", {})
    fields = config.get("fields", {})
    if "keys_text" in fields or "syn_text" in fields or "words_text" in fields:
        return False
    langs = config.get("lang", [])
    lang = langs[0] if langs else "en"
    table = (synonyms or {}).get(lang, {})
    docs = index.get("docs", [])
    vocabulary: dict[str, None] = {}
    whole_runs: dict[str, None] = {}
    for doc in docs:
        doc["text"] = searchable(doc.get("text", ""))
        if not _is_guide(doc.get("location", "")):
            doc["boost"] = PAGE_BOOST
    if lang == "ja":
        config.update(lang=["en"], pipeline=[], separator=SEPARATOR, fields=JA_FIELDS)
        for doc in docs:
            for name in ("title", "text"):
                value = doc.get(name, "")
                found = japanese_keys(value, readers_words(value, table))
                vocabulary.update(dict.fromkeys(found.readings))
                whole_runs.update(dict.fromkeys(found.runs))
                doc[f"keys_{name}"] = " ".join(found.keys)
    elif lang == "en":
        # The words in their base forms replace title and text (shown as built).
        others = {name: value for name, value in fields.items() if name not in ("title", "text")}
        config["fields"] = {**ENGLISH_FIELDS, **others, **(SYNONYM_FIELDS if table else {})}
        # lunr's stop-word filter would leave out "who", which asks who sold
        # an item or whom to contact; search-readings.js leaves out a query's
        # function words itself.
        config["pipeline"] = []
        for doc in docs:
            for name in ("title", "text"):
                value = doc.get(name, "")
                doc[f"words_{name}"] = base_forms(value)
                if table:
                    doc[f"syn_{name}"] = base_forms(" ".join(readers_words(value, table)))
    elif table:
        config["fields"] = {**fields, **SYNONYM_FIELDS}
        for doc in docs:
            for name in ("title", "text"):
                doc[f"syn_{name}"] = " ".join(readers_words(doc.get(name, ""), table))
    _write(path, index)
    if vocabulary:
        _write_readings(path.parent / READINGS_FILE, vocabulary)
        _write_runs(path.parent / RUNS_FILE, whole_runs)
    _write_phrases(path.parent / PHRASES_FILE, table, japanese=lang == "ja")
    return True


def _write_runs(path: Path, found: Mapping[str, None]) -> None:
    """Every run of kanji and katakana of the index, whole, and the separator
    that cuts a query into runs, for the query side (search-readings.js): a
    query's run that no page has whole (「保証申請」, where pages say 保証を申請)
    is cut into runs' parts that pages have."""
    data = {"separator": SEPARATOR, "runs": sorted(found)}
    _write_public(path, json.dumps(data, ensure_ascii=False))


def _write_readings(path: Path, vocabulary: Mapping[str, None]) -> None:
    """The readings of the index, longest first, for the query side (search-readings.js)."""
    words = sorted(vocabulary, key=lambda word: (-len(word), word))
    _write_public(path, json.dumps(words, ensure_ascii=False))


HIDDEN_KEYS = '<span hidden style="display:none" data-guidegen-keys="">'


def rewrite_zensical_index(path: Path, synonyms: Mapping[str, Synonyms] | None = None) -> bool:
    """Rewrite a Zensical search index in place, as the module says; False when it
    was rewritten before."""
    index = json.loads(path.read_text("utf-8"))
    config = index.get("config", {})
    items = index.get("items", [])
    if any(HIDDEN_KEYS in item.get("text", "") for item in items):
        return False
    langs = config.get("lang", [])
    lang = langs[0] if langs else "en"
    table = (synonyms or {}).get(lang, {})
    pages: dict[str, list[dict[str, Any]]] = {}
    vocabulary: dict[str, None] = {}
    whole_runs: dict[str, None] = {}
    for item in items:
        item["text"] = searchable(item.get("text", ""))
        pages.setdefault(item.get("location", "").split("#")[0], []).append(item)
    # English: each section's own readers' words, for ranking only (words.json).
    # Japanese ranks well without them, and would need Sudachi over each section again.
    sections_words = [
        readers_words(f"{item.get('title', '')} {item['text']}", table)
        if lang != "ja" and _is_guide(item.get("location", ""))
        else []
        for item in items
    ]
    for location, sections in pages.items():
        whole = " ".join(f"{item.get('title', '')} {item.get('text', '')}" for item in sections)
        # Zensical has no boost: pages other than guides get no readers' words,
        # so a task asked in a reader's words finds the guides first.
        words = (
            [*readers_words(whole, table), *table.get(EVERY_PAGE, [])]
            if _is_guide(location)
            else []
        )
        if lang == "ja":
            found = japanese_keys(whole, words)
            vocabulary.update(dict.fromkeys(found.readings))
            whole_runs.update(dict.fromkeys(found.runs))
            words = found.keys
        else:
            words += irregular_bases(f"{whole} {' '.join(words)}")
        if words:
            hidden = html.escape(" ".join(words), quote=False)
            sections[0]["text"] = f"{sections[0].get('text', '')} {HIDDEN_KEYS}{hidden}</span>"
        # Zensical ranks a match in a title above any in a text (its only
        # weighting): a guide's title keys and readers' words go, hidden, into
        # its title too, as lunr's title boost does for Material.
        title = sections[0].get("title", "")
        named = readers_words(title, table) if _is_guide(location) else []
        if lang == "ja" and named:
            named = japanese_keys(title, named).keys
        elif lang != "ja":
            named += irregular_bases(f"{title} {' '.join(named)}")
        if named:
            hidden = html.escape(" ".join(named), quote=False)
            sections[0]["title"] = f"{title} {HIDDEN_KEYS}{hidden}</span>"
    if lang == "ja":
        config.update(lang=["en"], separator=SEPARATOR)
    _write(path, index)
    if vocabulary:
        _write_readings(path.parent / "search" / READINGS_FILE, vocabulary)
        _write_runs(path.parent / "search" / RUNS_FILE, whole_runs)
    _write_phrases(path.parent / "search" / PHRASES_FILE, table, japanese=lang == "ja")
    _write_words(path.parent / "search" / WORDS_FILE, index, sections_words)
    return True


def _write_words(
    path: Path, index: dict[str, Any], sections_words: Sequence[Sequence[str]] = ()
) -> None:
    """Every word of a Zensical index, with its separator, and the words of each
    item (as positions in that list). Zensical requires every word of a query
    in one item: search-readings.js drops a query's words found nowhere
    (「箱を開けたら中身が壊れてた」 still finds the page about 中身 and 壊) and asks
    for any of the others; it ranks the results by the words of each item's
    title and text, its page and that page's boost. An item's words include
    sections_words (its own readers' words), as Material's index has them per
    section: held by the first item alone, "shop" looked rarer than the words
    of any guide's title."""
    separator = index.get("config", {}).get("separator", r"[\s\-]+")
    per_item: list[set[str]] = []
    per_title: list[set[str]] = []
    for number, item in enumerate(index.get("items", [])):
        title = set(re.split(separator, plain(item.get("title", "")).lower()))
        words = title | set(re.split(separator, plain(item.get("text", "")).lower()))
        if number < len(sections_words):
            words |= set(sections_words[number])
        per_title.append(title - {""})
        per_item.append(words - {""})
    every = sorted(set().union(*per_item))
    position = {word: number for number, word in enumerate(every)}
    items = [sorted(position[word] for word in words) for words in per_item]
    titles = [sorted(position[word] for word in words) for words in per_title]
    # Zensical ranks by field and position only: search-readings.js ranks its
    # results again by these (rare words, titles, guides above other pages).
    pages = [item.get("location", "").split("#")[0] for item in index.get("items", [])]
    boosts = [1.0 if _is_guide(page) else PAGE_BOOST for page in pages]
    data = {
        "separator": separator,
        "words": every,
        "items": items,
        "titles": titles,
        "pages": pages,
        "boosts": boosts,
    }
    _write_public(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def rewrite_indexes(config: Config, folder: Path) -> bool:
    """Rewrite the search index of a built section of the site (Material's or Zensical's)."""
    synonyms = load_synonyms(config.path("search_synonyms"))
    material = folder / "search" / "search_index.json"
    if material.is_file():
        return rewrite_index(material, synonyms)
    zensical = folder / "search.json"
    if zensical.is_file():
        return rewrite_zensical_index(zensical, synonyms)
    return False
