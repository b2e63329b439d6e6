"""Structured record files: .json, .jsonl and .csv -> Article / LoadError.

Each record is checked on its own, so one bad line or row is reported (with
its line or element number) and the good records around it still load.

Fields: id, url, title, published, publisher, language, body. ``text`` and
``content`` are accepted for body (also headline/date/link/lang, see _SYNONYMS).
Header names and keys are matched case-insensitively.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from typing import Iterator, Optional, TextIO, Union

from chipwatch.loading import dates, page, publishers
from chipwatch.loading.assemble import make_article
from chipwatch.models import Article, LoadError

FIELDS = ("id", "url", "title", "published", "publisher", "language", "body")
_SYNONYMS = {
    "text": "body", "content": "body", "article": "body", "body_text": "body",
    "headline": "title", "date": "published", "published_at": "published", "publish_date": "published",
    "pubdate": "published", "datetime": "published", "link": "url", "lang": "language",
    "source_url": "url", "outlet": "publisher",
}
# Keys that may hold an array of records in a .json object.
_ARRAY_KEYS = ("articles", "items", "data", "records")
_HAS_MARKUP = re.compile(r"<(?:p|div|br|span|a|img|figure|h[1-6]|ul|ol|li|strong|em|b|i|blockquote|table)\b[^<>]*>", re.I)
_DELIMITERS = (",", ";", "\t")

Result = Union[Article, LoadError]


def _kind(value) -> str:
    """The JSON type of a value in words an analyst can read."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return "text"


def _canonical_key(key: str) -> Optional[str]:
    k = re.sub(r"[\s-]+", "_", str(key).strip().lstrip("\ufeff").casefold())
    if k in FIELDS:
        return k
    return _SYNONYMS.get(k)


def build(record: dict, source: str, where: str, file_flags=()) -> Result:
    """One record (a dict of raw values) -> Article, or LoadError naming the problem.

    ``where`` is how the message names the record: "line 7" or "record 3".
    """
    fields: dict[str, object] = {}
    exact: set[str] = set()
    for key, value in record.items():
        name = _canonical_key(key)
        if name is None:
            continue  # unknown columns are ignored
        is_exact = str(key).strip().lstrip("\ufeff").casefold() == name
        # The field's own name wins over a synonym ("body" over "text"), else the first.
        if name not in fields or (is_exact and name not in exact):
            fields[name] = value
            if is_exact:
                exact.add(name)
    for name, value in fields.items():
        if value is None:
            continue
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue  # numeric ids are fine, stored as text
        if name == "published" and isinstance(value, (int, float)) and not isinstance(value, bool):
            continue  # epoch seconds
        if not isinstance(value, str):
            return LoadError(source, f"{where}: field '{name}' should be text, got {_kind(value)}")
    text = {k: (str(v).strip() if v is not None else "") for k, v in fields.items()}
    title, body = text.get("title", ""), text.get("body", "")
    flags = list(file_flags)
    captions: list[str] = []
    if body and _HAS_MARKUP.search(body):
        paras, captions = page.clean_fragment(body)
        body = "\n\n".join(paras)
    if not body:
        # An article needs a body: a title alone gives extraction nothing to read.
        if fields.get("body") is not None:
            return LoadError(source, f"{where}: body is empty")
        if title:
            return LoadError(source, f"{where}: no article text (only a title)")
        return LoadError(source, f"{where}: no title and no body")

    url = text.get("url") or None
    raw_date = fields.get("published")
    result = dates.resolve(
        metadata=[raw_date] if raw_date not in (None, "") else [],
        url_dates=dates.dates_in_url(url or ""),
    )
    flags.extend(result.flags)
    given_lang = text.get("language", "").casefold()
    publisher = (publishers.normalise_publisher(text.get("publisher")) or publishers.find_publisher(body)
                 or publishers.from_url(url))
    article = make_article(
        source=source, title=title, body=body, url=url, given_id=text.get("id") or None,
        published=result.published, publisher=publisher, captions=captions, flags=flags,
    )
    # The detected language is stored; a disagreeing label is kept as a flag to review.
    if given_lang and given_lang != article.language:
        article.flags.append(f"language_given:{given_lang}")
    return article


# ---------------------------------------------------------------------------
# .json

def load_json(text: str, source: str, file_flags=()) -> Iterator[Result]:
    """One object, an array of objects, or an object holding one under articles/items/data."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield LoadError(source, f"line {exc.lineno}: not valid JSON ({exc.msg} at column {exc.colno})")
        return
    except (ValueError, RecursionError) as exc:  # nesting too deep, a 5000-digit number...
        yield LoadError(source, f"not valid JSON ({_plain_reason(exc)})")
        return
    if isinstance(data, dict):
        key = next((k for k in data if str(k).casefold() in _ARRAY_KEYS and isinstance(data[k], list)), None)
        if key is None:
            yield build(data, source, "record")
            return
        data = data[key]
    if not isinstance(data, list):
        yield LoadError(source, f"expected an object or a list of objects, got {_kind(data)}")
        return
    if not data:
        yield LoadError(source, "no articles in the file (empty list)")
        return
    for n, item in enumerate(data, start=1):
        where = f"{source}#{n}"
        if not isinstance(item, dict):
            yield LoadError(where, f"record {n}: should be an object with article fields, got {_kind(item)}")
        else:
            yield build(item, where, f"record {n}", file_flags)


# ---------------------------------------------------------------------------
# .jsonl

def load_jsonl(lines: TextIO, source: str, file_flags=(), encoding: str = "") -> Iterator[Result]:
    """One JSON object a line, read line by line; blank lines are skipped."""
    seen = False
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        seen = True
        where = f"{source}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LoadError(where, f"line {n}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except (ValueError, RecursionError) as exc:
            yield LoadError(where, f"line {n}: not valid JSON ({_plain_reason(exc)})")
            continue
        if not isinstance(item, dict):
            yield LoadError(where, f"line {n}: should be an object with article fields, got {_kind(item)}")
            continue
        yield build(item, where, f"line {n}", _line_flags(file_flags, line, encoding))
    if not seen:
        yield LoadError(source, "file is empty")


def _plain_reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if "digits" in str(exc):
        return "a number is too long"
    return str(exc)


def _line_flags(file_flags, line: str, encoding: str) -> list[str]:
    """File flags, plus a replacement flag when this line holds undecodable bytes."""
    flags = [f for f in file_flags if not f.startswith("encoding_replaced")]
    if "\ufffd" in line:
        flags.append(f"encoding_replaced:{encoding}")
    return flags


# ---------------------------------------------------------------------------
# .csv

def load_csv(lines: TextIO, source: str, file_flags=(), encoding: str = "") -> Iterator[Result]:
    """A header row naming the fields, then one record a row (quoted newlines allowed)."""
    header_no, header_line = 0, ""
    for header_no, header_line in enumerate(lines, start=1):
        if header_line.strip():
            break
    if not header_line.strip():
        yield LoadError(source, "file is empty")
        return
    delimiter = _sniff_delimiter(header_line)
    try:
        header = next(csv.reader([header_line], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        yield LoadError(f"{source}:{header_no}", f"line {header_no}: header row cannot be read ({exc})")
        return
    columns = [_canonical_key(h) for h in header]
    if not any(c in ("body", "title") for c in columns):
        yield LoadError(
            f"{source}:{header_no}",
            f"line {header_no}: no 'body' or 'title' column in the header "
            f"(expected some of: {', '.join(FIELDS)}; found: {', '.join(h.strip() for h in header)})",
        )
        return

    _raise_field_limit()
    counter = _CountingLines(lines, start=header_no)
    reader = csv.reader(counter, delimiter=delimiter)
    rows = 0
    while True:
        # csv reads exactly the lines a record needs, so it starts right after the last one.
        start = counter.count + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows += 1
            yield LoadError(f"{source}:{start}", f"line {start}: row cannot be read ({exc})")
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank line
        rows += 1
        where = f"{source}:{start}"
        if len(row) != len(header):
            hint = " (an unclosed quote?)" if len(row) < len(header) and any("\n" in c for c in row) else ""
            yield LoadError(where, f"line {start}: has {len(row)} cells but the header has {len(header)} columns{hint}")
            continue
        record = {h: cell for h, cell, c in zip(header, row, columns) if c}
        yield build(record, where, f"line {start}", _line_flags(file_flags, "".join(row), encoding))
    if not rows:
        yield LoadError(source, "no records (only a header row)")


class _CountingLines:
    """Line iterator that counts the physical lines the csv reader has consumed."""

    def __init__(self, lines, start: int):
        self.lines = iter(lines)
        self.count = start

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.count += 1
        return line


def _sniff_delimiter(header: str) -> str:
    """The delimiter used most in the header row, outside quotes (',' when tied)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _raise_field_limit() -> None:
    # Article bodies can exceed csv's default 128 KiB cell limit.
    limit = sys.maxsize
    while limit > 1 << 20:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), min(limit, 1 << 28)))
            return
        except OverflowError:
            limit //= 2
