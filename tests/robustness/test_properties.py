"""Property-based tests: random bytes and random records into every parser, and never
an unexpected exception. Every result is an Article or a LoadError with a reason, an
Article is storable (text is valid UTF-8, a real date or none, a known language), and
the last-resort "internal error" net of the loader is never what catches a problem.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chipwatch.limits import Limits
from chipwatch.loading import EXTENSIONS, load_bytes, load_file
from chipwatch.loading.encoding import NotTextError, decode, decode_detailed
from chipwatch.loading.language import LANGUAGES
from chipwatch.loading.page import PageParts, clean_fragment, parse_page
from chipwatch.loading.records import FIELDS
from chipwatch.models import Article, LoadError

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
_HEX64 = re.compile(r"[0-9a-f]{64}")


def check_items(items: list) -> None:
    """The loader's contract, for any input."""
    assert items, "every file yields at least one Article or LoadError"
    for item in items:
        assert isinstance(item, (Article, LoadError)), type(item)
        if isinstance(item, LoadError):
            assert isinstance(item.source, str) and item.source
            assert isinstance(item.error, str) and item.error.strip()
            assert "internal error" not in item.error, item.error
            continue
        a = item
        assert isinstance(a.id, str) and a.id
        assert isinstance(a.body, str) and a.body.strip()
        assert isinstance(a.title, str)
        assert _HEX64.fullmatch(a.content_hash)
        assert a.language in LANGUAGES
        assert a.published is None or date.fromisoformat(a.published)
        assert all(isinstance(f, str) and f for f in a.flags)
        for text in (a.id, a.title, a.body, a.url or "", a.publisher or "", *a.captions, *a.flags):
            text.encode("utf-8")  # storable: no lone surrogates


def load(data: bytes, name: str, limits=None) -> list:
    items = list(load_bytes(data, name, limits=limits))
    check_items(items)
    return items


# ---------------------------------------------------------------------------
# random bytes, for every extension

_PREFIXES = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\x89PNG", b"[", b"{", b'{"title": "',
             b"id,title,body\n", b"<html><p>", "한국어 ".encode("cp949"), "中文".encode("gb18030")]


@SETTINGS
@given(prefix=st.sampled_from(_PREFIXES), data=st.binary(max_size=1500), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_every_extension(prefix, data, ext):
    load(prefix + data, "fuzz" + ext)


@FEW
@given(data=st.binary(max_size=800), ext=st.sampled_from(EXTENSIONS))
def test_load_file_and_load_bytes_agree(data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("fuzz" + ext)
        path.write_bytes(data)
        via_file = [(type(i).__name__, {**i.to_dict(), "source": i.source.replace(f"{tmp}{os.sep}", "")})
                    for i in load_file(path)]
    via_bytes = [(type(i).__name__, i.to_dict()) for i in load(data, "fuzz" + ext)]
    assert via_file == via_bytes


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_decode_returns_text_or_says_binary(data):
    try:
        text, name = decode(data)
    except NotTextError:
        return
    assert isinstance(text, str) and isinstance(name, str) and name
    d = decode_detailed(data)
    assert (d.text, d.encoding) == (text, name)


@SETTINGS
@given(text=st.text(max_size=300), enc=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp949",
                                                         "euc-kr", "gb18030", "cp1252", "utf-8-sig"]))
def test_decode_reads_encoded_text(text, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        assume(False)
    try:
        decoded, _ = decode(data)
    except NotTextError:
        return  # control characters in the text: a fair call
    assert isinstance(decoded, str)


# ---------------------------------------------------------------------------
# random records: wrong types, missing keys, unicode, long strings

_KEYS = list(FIELDS) + ["text", "content", "headline", "date", "link", "lang", "outlet", "Title", "BODY", "extra",
                        "", "\ufeffid", "published_at"]
_json_scalar = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=60),
                         st.sampled_from(["2025-02-30", "2025-12-14", "1e999", "9" * 40, "<p>x</p>", "\u200b",
                                          "Nvidia H20 to China", "엔비디아", "1765702860", "2099-01-01"]))
_json_value = st.recursive(_json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                 st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
_long = st.integers(min_value=0, max_value=200_000).map(lambda n: "가나다 abc. " * (n // 10))
_record = st.dictionaries(st.sampled_from(_KEYS), st.one_of(_json_value, _long), max_size=9)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=True)


@SETTINGS
@given(records=st.lists(st.one_of(_record, _json_value), max_size=6), wrap=st.sampled_from(["list", "articles", "one"]))
def test_random_json_documents(records, wrap):
    doc = {"list": records, "articles": {"articles": records}, "one": records[0] if records else {}}[wrap]
    text = _dumps(doc)
    load(text.encode(), "fuzz.json")
    # the same document cut off anywhere: the complete records before the cut still load
    for cut in (len(text) // 3, len(text) // 2, len(text) - 1):
        load(text[:cut].encode(), "cut.json")


@SETTINGS
@given(records=st.lists(st.one_of(_record, _json_value), max_size=8),
       junk=st.lists(st.text(max_size=40), max_size=3), enc=st.sampled_from(["utf-8", "utf-16", "cp949"]))
def test_random_jsonl(records, junk, enc):
    lines = [_dumps(r) for r in records] + junk
    text = "\n".join(lines) + "\n"
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    items = load(data, "fuzz.jsonl")
    for item in items:  # every record is named by its line
        assert re.search(r"fuzz\.jsonl(:\d+)?$", item.source), item.source


_cell = st.one_of(st.text(max_size=40), st.sampled_from(["", '"', '""', "a,b", "x;y", "line\nbreak", "\r", "2025-02-30",
                                                         "Nvidia H20", "\ufeff", "\x00"]))


@SETTINGS
@given(header=st.lists(st.sampled_from(_KEYS + ["notes", "a b", ""]), min_size=1, max_size=7),
       rows=st.lists(st.lists(_cell, max_size=8), max_size=6), delimiter=st.sampled_from([",", ";", "\t"]),
       raw=st.booleans(), bom=st.booleans())
def test_random_csv(header, rows, delimiter, raw, bom):
    if raw:  # joined without quoting: unbalanced quotes, wrong cell counts
        text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    else:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
        text = out.getvalue()
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    load(data, "fuzz.csv")


@SETTINGS
@given(data=st.data(), ext=st.sampled_from([".json", ".jsonl", ".csv", ".txt", ".html"]),
       record_bytes=st.integers(min_value=1, max_value=3000), file_bytes=st.integers(min_value=1, max_value=5000),
       depth=st.integers(min_value=1, max_value=8))
def test_small_limits_never_raise(data, ext, record_bytes, file_bytes, depth):
    limits = Limits(max_file_bytes=file_bytes, max_record_bytes=record_bytes, max_json_depth=depth)
    if ext in (".json", ".jsonl"):
        records = data.draw(st.lists(_record, max_size=5))
        payload = ("\n".join(_dumps(r) for r in records) if ext == ".jsonl" else _dumps(records)).encode()
    else:
        payload = data.draw(st.text(max_size=4000)).encode()
    items = load(payload, "limited" + ext, limits)
    for item in items:
        if isinstance(item, LoadError) and "over the" in item.error:
            assert "CHIPWATCH_MAX_" in item.error  # a refusal names its limit and how to change it


# ---------------------------------------------------------------------------
# random HTML-ish text to the page parser

_TOKENS = ["<p>", "</p>", "<div class='article-body'>", "<div>", "</div>", "<br>", "<br/>", "<figure>", "</figure>",
           "<figcaption>", "</figcaption>", "<script>", "</script>", "<style>", "</style>", "<iframe src=x>",
           "</iframe>", "<form>", "</form>", "<nav>", "</nav>", "<article>", "</article>", "<h1>", "</h1>",
           "<title>", "</title>", "<a href='javascript:x()'>", "</a>", "<p onclick=\"alert(1)\">",
           "<meta property='article:published_time' content='2025-02-30'>", "<time datetime='2025-12-14'>",
           "<script type='application/ld+json'>", '{"@type": "NewsArticle", "headline": "\\ud800"}', "<!--", "-->",
           "<![CDATA[", "]]>", "<", ">", "&amp;", "&#0;", "&#xd800;", "&nbsp;", "관련기사", "Copyright ©", "입력 2025.12.14",
           "WASHINGTON, Aug 11 (Reuters) - ", "(서울=연합뉴스) 홍길동 기자 = ", "hong@example.com", "Nvidia H20",
           "| | |", "좋아요 ", "\n", "\n\n", " ", "text. ", "Share", "Related", "<ul><li>", "</li></ul>", "<b>", "</i>"]
_html = st.lists(st.one_of(st.sampled_from(_TOKENS), st.text(max_size=20)), max_size=60).map("".join)


@SETTINGS
@given(text=_html, is_html=st.sampled_from([True, False, None]))
def test_parse_page_never_raises(text, is_html):
    parts = parse_page(text, is_html=is_html)
    assert isinstance(parts, PageParts)
    assert all(isinstance(p, str) for p in parts.paragraphs + parts.captions)
    assert isinstance(parts.title, str)
    assert parts.published is None or date.fromisoformat(parts.published)
    paras, captions = clean_fragment(text)
    assert all(isinstance(p, str) for p in paras + captions)


@SETTINGS
@given(text=_html, ext=st.sampled_from([".html", ".htm", ".txt"]), enc=st.sampled_from(["utf-8", "cp949", "utf-16"]))
def test_random_pages_load(text, ext, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    load(data, "page" + ext)
