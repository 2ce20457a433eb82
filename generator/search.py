"""Japanese search that finds any word a reader types from a page.

Material for MkDocs searches with lunr in the browser. For Japanese it cuts
the page text into words with TinySegmenter, but it does not cut the query the
same way: every query term is matched as a prefix of an indexed word, and runs
of kanji in the query are re-cut against the index's own vocabulary. So a
compound the segmenter split while indexing is not found when typed whole:
「送信済み」 misses a page with 「送信済みのメッセージ」 (indexed as 送信 / 済み / …),
and 「送信済」 is re-cut to 「送信」, so the query becomes 「送信み」.

This module rewrites ``search/search_index.json`` after the build so that both
sides agree, without touching Material's code:

- The Japanese words are indexed as every suffix of every phrase (text between
  punctuation), capped at ``SUFFIX_CAP`` characters. Any part of a phrase is a
  prefix of one of its suffixes, which is exactly how lunr matches a query term.
- The suffixes go into two extra fields (``keys_title``, ``keys_text``) that
  replace ``title`` and ``text`` in the index; the page text shown in results is
  untouched. (The cost: results no longer mark the matched words.)
- TinySegmenter is switched off (``lang: en`` with an empty pipeline: no
  stemmer, stop words or trimmer, whose ASCII rules would erase Japanese).
- Every non-ASCII key ends with ``MARK``, so no key is made of kanji only and
  the query side's kanji re-cutting always leaves the query as typed.
- The same punctuation splits phrases here and query terms in the browser
  (``SEPARATOR`` becomes the index's separator).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from generator.files import write_atomic

SUFFIX_CAP = 16
MARK = "_"
# Whitespace, hyphens and ASCII and Japanese punctuation. Written so that the
# same pattern means the same in Python here and in JavaScript in the browser.
SEPARATOR = (
    r"[\s\u3000\-‐–—―~〜"
    r"、。，．,.:：;；!！?？"
    r"「」『』（）()\[\]［］【】〈〉《》<>＜＞{}｛｝"
    r"\"'“”‘’・･/／\\|｜…→←↑↓※*＊#＃&＆+＋=＝@＠%％]+"
)
_SPLIT = re.compile(SEPARATOR)
_TAG = re.compile(r"<[^>]*>")

FIELDS = {"keys_title": {"boost": 1000.0}, "keys_text": {"boost": 1.0}}


def plain(fragment: str) -> str:
    """Text as a reader sees it: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub(" ", fragment))


def keys(text: str) -> list[str]:
    """The index keys of a text: ASCII words as they are, other phrases as suffixes."""
    found: dict[str, None] = {}
    for phrase in _SPLIT.split(plain(text).lower()):
        if not phrase:
            continue
        if phrase.isascii():
            found[phrase] = None
            continue
        for start in range(len(phrase)):
            found[phrase[start : start + SUFFIX_CAP] + MARK] = None
    return list(found)


def rewrite_index(path: Path) -> bool:
    """Rewrite a Japanese site's search index in place; other languages are left alone.

    Returns whether the file was rewritten.
    """
    index = json.loads(path.read_text("utf-8"))
    config = index.get("config", {})
    if "ja" not in config.get("lang", []):
        return False
    config.update(lang=["en"], pipeline=[], separator=SEPARATOR, fields=FIELDS)
    for doc in index.get("docs", []):
        doc["keys_title"] = " ".join(keys(doc.get("title", "")))
        doc["keys_text"] = " ".join(keys(doc.get("text", "")))
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # The temporary file behind write_atomic is private (0600); a web server
    # running as another user must still be able to read the index.
    mode = path.stat().st_mode
    write_atomic(path, data.encode())
    path.chmod(mode)
    return True
