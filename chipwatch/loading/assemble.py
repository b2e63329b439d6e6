"""Turn cleaned fields into an Article: tidy text, language, id and content hash.

Shared by record files and pages so an article gets the same id and hash
whichever way it was loaded; the hash is what lets the store recognise the
same article loaded twice (from a JSONL export and a saved page, say).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable, Optional

from chipwatch.loading.language import detect_language
from chipwatch.models import Article

# Control characters other than tab/newline, zero-width characters, and the BOM
# if one survived inside the text: invisible, but they break matching later.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_NBSP = re.compile(r"[\u00a0\u2007\u202f\u3000]")
# Lone surrogates (from JSON escapes such as "\\ud800") cannot be written as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean(text: Optional[str]) -> Optional[str]:
    return _SURROGATE.sub("\ufffd", text) if text else text


def tidy(text: Optional[str]) -> str:
    """NFC (Korean typed on macOS arrives decomposed), one kind of newline and space."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _NBSP.sub(" ", _INVISIBLE.sub("", text))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def tidy_title(text: Optional[str]) -> str:
    return " ".join(tidy(text).split())


def normalised(text: str) -> str:
    """Whitespace collapsed and casefolded: what 'the same text' means for hashing."""
    return " ".join(text.split()).casefold()


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{normalised(title)}\n{normalised(body)}".encode("utf-8")).hexdigest()


def article_id(given: Optional[str], url: Optional[str], title: str, body: str) -> str:
    """The record's own id, else "a-" + 16 hex of sha1(url) or of title+body."""
    if given:
        return given
    key = url.strip() if url and url.strip() else f"{normalised(title)}\n{normalised(body)}"
    return "a-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def make_article(
    *,
    source: str,
    title: Optional[str],
    body: str,
    url: Optional[str] = None,
    given_id: Optional[str] = None,
    published: Optional[str] = None,
    publisher: Optional[str] = None,
    captions: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> Article:
    title, body, url, given_id, publisher = (_clean(v) for v in (title, body, url, given_id, publisher))
    captions = [_clean(c) for c in captions]
    title_t, body_t = tidy_title(title), tidy(body)
    url_t = url.strip() if url and url.strip() else None
    flag_list = list(dict.fromkeys(flags))  # keep order, drop repeats
    if not title_t:
        flag_list.append("title_missing")
    caption_list = list(dict.fromkeys(c for c in (tidy_title(c) for c in captions) if c))
    return Article(
        id=article_id(given_id, url_t, title_t, body_t),
        source=source,
        title=title_t,
        body=body_t,
        url=url_t,
        published=published,
        publisher=publisher or None,
        language=detect_language(f"{title_t}\n{body_t}"),
        captions=caption_list,
        content_hash=content_hash(title_t, body_t),
        flags=flag_list,
    )
