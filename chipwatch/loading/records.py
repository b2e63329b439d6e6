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

from chipwatch.limits import ENV_JSON_DEPTH, ENV_RECORD_MB, Limits, human_size
from chipwatch.loading import dates, page, publishers
from chipwatch.loading.assemble import make_article, tidy
from chipwatch.loading.lines import BoundedLines, Oversized, utf8_size
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


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """A JSON escape such as "\\ud800" gives a lone surrogate, which no file or database
    can hold as UTF-8: it becomes U+FFFD like any other undecodable character."""
    return _SURROGATE.sub("\ufffd", text)


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


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
    text = {k: (_no_surrogates(str(v)).strip() if v is not None else "") for k, v in fields.items()}
    title, body = text.get("title", ""), text.get("body", "")
    flags = list(file_flags)
    captions: list[str] = []
    if body and _HAS_MARKUP.search(body):
        paras, captions = page.clean_fragment(body)
        body = "\n\n".join(paras)
    if not tidy(body):  # (tidy: a body of zero-width spaces or a stray BOM is empty too)
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
        article.flags.append(f"language_given:{_short(given_lang)}")
    return article




# ---------------------------------------------------------------------------
# limits

def _depth_over(value, max_depth: int) -> bool:
    """True when ``value`` nests more than ``max_depth`` levels (iterative, stops early)."""
    if not isinstance(value, (dict, list)):
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def _too_deep(limits: Limits) -> str:
    n = limits.max_json_depth
    return (f"nested more than {n} levels deep (the limit is {n}, {ENV_JSON_DEPTH}); "
            f"an article record is a flat object of text fields")


def _record_size(record: dict) -> int:
    """Bytes of a parsed record's text (keys and text values, as UTF-8)."""
    size = 0
    for k, v in record.items():
        size += utf8_size(str(k))
        if isinstance(v, str):
            size += utf8_size(v)
    return size


def _too_big(what: str, size: int, limits: Limits) -> str:
    return (f"{what} is {human_size(size)}, over the {limits.record_limit_text} limit per record "
            f"({ENV_RECORD_MB})")


# ---------------------------------------------------------------------------
# .json

_WS = re.compile(r"[ \t\n\r]*")
# {"articles": [ ... : a wrapped list, read element by element like a bare one.
_WRAPPED_HEAD = re.compile(r'\{[ \t\n\r]*"(' + "|".join(_ARRAY_KEYS) + r')"[ \t\n\r]*:[ \t\n\r]*\[', re.I)


def load_json(text: str, source: str, file_flags=(), limits: Optional[Limits] = None) -> Iterator[Result]:
    """One object, an array of objects, or an object holding one under articles/items/data.

    A list is read element by element, so the records before a syntax error (a
    truncated export, say) still load, and the error says where reading stopped.
    """
    limits = limits or Limits()
    start = _WS.match(text).end()
    if text.startswith("[", start):
        yield from _json_list(text, start, source, file_flags, limits)
        return
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        wrapped = _WRAPPED_HEAD.match(text, start)
        if wrapped:  # a wrapped list that breaks somewhere: keep what comes before the break
            yield from _json_list(text, wrapped.end() - 1, source, file_flags, limits, wrapper_error=exc)
            return
        if exc.msg == "Extra data" and text.startswith("{", start):
            yield LoadError(source, f"line {exc.lineno}: more than one JSON value in the file (a second one starts "
                                    f"at column {exc.colno}); if it holds one object a line, save it as .jsonl")
            return
        yield LoadError(source, f"line {exc.lineno}: not valid JSON ({_json_reason(exc)})")
        return
    except RecursionError:
        yield LoadError(source, _too_deep(limits))
        return
    except ValueError as exc:  # a 5000-digit number...
        yield LoadError(source, f"not valid JSON ({_plain_reason(exc)})")
        return
    if _depth_over(data, limits.max_json_depth):
        yield LoadError(source, _too_deep(limits))
        return
    if isinstance(data, dict):
        key = next((k for k in data if str(k).casefold() in _ARRAY_KEYS and isinstance(data[k], list)), None)
        if key is None:
            size = _record_size(data)
            if size > limits.max_record_bytes:
                yield LoadError(source, _too_big("the record", size, limits))
            else:
                yield build(data, source, "record", file_flags)
            return
        data = data[key]
    if not isinstance(data, list):
        yield LoadError(source, f"expected an object or a list of objects, got {_kind(data)}")
        return
    if not data:
        yield LoadError(source, "no articles in the file (empty list)")
        return
    for n, item in enumerate(data, start=1):
        yield _json_record(item, n, source, file_flags, limits)


def _json_record(item, n: int, source: str, file_flags, limits: Limits) -> Result:
    where = f"{source}#{n}"
    if not isinstance(item, dict):
        return LoadError(where, f"record {n}: should be an object with article fields, got {_kind(item)}")
    size = _record_size(item)
    if size > limits.max_record_bytes:
        return LoadError(where, _too_big(f"record {n}", size, limits))
    return build(item, where, f"record {n}", file_flags)


def _json_list(text: str, start: int, source: str, file_flags, limits: Limits,
               wrapper_error: Optional[json.JSONDecodeError] = None) -> Iterator[Result]:
    """The elements of the list opening at text[start] ('['), parsed one at a time.

    ``wrapper_error``: the list sits inside {"articles": [...]} and the document as a
    whole did not parse; it is reported if the list itself turns out to be fine.
    """
    decoder = json.JSONDecoder()
    i = _WS.match(text, start + 1).end()
    n = 0
    while not text.startswith("]", i):
        n += 1
        try:
            item, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            yield _broken(text, exc, n, source)
            return
        except RecursionError:
            yield LoadError(f"{source}#{n}", f"record {n}: {_too_deep(limits)}; nothing from here on could be read")
            return
        except ValueError as exc:
            yield LoadError(f"{source}#{n}", f"record {n}: not valid JSON ({_plain_reason(exc)}); "
                                             "nothing from here on could be read")
            return
        if _depth_over(item, limits.max_json_depth):
            yield LoadError(f"{source}#{n}", f"record {n}: {_too_deep(limits)}")
        else:
            yield _json_record(item, n, source, file_flags, limits)
        del item
        i = _WS.match(text, end).end()
        if text.startswith(",", i):
            i = _WS.match(text, i + 1).end()
            if text.startswith("]", i):
                line, col = _position(text, i)
                yield LoadError(source, f"line {line}: not valid JSON (a comma before the closing ']' at column "
                                        f"{col}); {_records(n, 'all ')} read")
                return
        elif not text.startswith("]", i):
            line, col = _position(text, i)
            if i >= len(text):
                yield LoadError(source, f"line {line}: the file ends inside the list (is it cut off?); "
                                        f"{_records(n, 'the ')} read")
            else:
                yield LoadError(source, f"line {line}: not valid JSON (Expecting ',' delimiter at column {col}); "
                                        f"{_records(n, 'only the first ')} read")
            return
    if n == 0:
        yield LoadError(source, "no articles in the file (empty list)")
    if wrapper_error is not None:
        exc = wrapper_error
        yield LoadError(source, f"line {exc.lineno}: not valid JSON ({_json_reason(exc)}) after the "
                                f"list of records" + (f"; {_records(n, 'its ')} read" if n else ""))
        return
    rest = _WS.match(text, i + 1).end()
    if rest < len(text):
        line, col = _position(text, rest)
        yield LoadError(source, f"line {line}: not valid JSON (more text after the list, at column {col})"
                                + (f"; {_records(n, 'the ')} read" if n else ""))


def _records(n: int, article: str = "") -> str:
    """'all 3 records were' / 'all 1 record was': the caller adds the participle ('read')."""
    return f"{article}{n:,} records were" if n != 1 else f"{article.replace('all ', 'the ')}record was"


def _broken(text: str, exc: json.JSONDecodeError, n: int, source: str) -> LoadError:
    """Record n could not be parsed: say where, whether the file looks cut off, and what was read."""
    read = n - 1
    done = (f"the {read:,} record{'s' if read != 1 else ''} before it {'were' if read != 1 else 'was'} read"
            if read else "no record could be read")
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):  # ran into the end
        return LoadError(f"{source}#{n}", f"line {exc.lineno}: the file ends in the middle of record {n} "
                                          f"(is it cut off?); {done}")
    only = "only " if read else ""
    return LoadError(f"{source}#{n}", f"line {exc.lineno}: not valid JSON ({_json_reason(exc)}); {only}{done}")


def _position(text: str, i: int) -> tuple[int, int]:
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


# ---------------------------------------------------------------------------
# .jsonl

def load_jsonl(lines: TextIO, source: str, file_flags=(), encoding: str = "",
               limits: Optional[Limits] = None) -> Iterator[Result]:
    """One JSON object a line, read line by line (each line bounded); blank lines are skipped."""
    limits = limits or Limits()
    seen = False
    for n, line in enumerate(BoundedLines(lines, limits.max_record_bytes), start=1):
        where = f"{source}:{n}"
        if isinstance(line, Oversized):
            seen = True
            yield LoadError(where, f"line {n}: " + _too_big("the record", line.size, limits))
            continue
        if not line.strip():
            continue
        seen = True
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LoadError(where, f"line {n}: not valid JSON ({_json_reason(exc)})")
            continue
        except RecursionError:
            yield LoadError(where, f"line {n}: {_too_deep(limits)}")
            continue
        except ValueError as exc:
            yield LoadError(where, f"line {n}: not valid JSON ({_plain_reason(exc)})")
            continue
        if _depth_over(item, limits.max_json_depth):
            yield LoadError(where, f"line {n}: {_too_deep(limits)}")
            continue
        if not isinstance(item, dict):
            yield LoadError(where, f"line {n}: should be an object with article fields, got {_kind(item)}")
            continue
        yield build(item, where, f"line {n}", _line_flags(file_flags, line, encoding))
    if not seen:
        yield LoadError(source, "file is empty")


def _json_reason(exc: json.JSONDecodeError) -> str:
    """json's message with its column, in plainer words where json's are cryptic."""
    if exc.msg.startswith("Invalid control character") and exc.doc[exc.pos:exc.pos + 1] in ("\n", "\r"):
        return f"a quoted text is not closed before the end of the line, at column {exc.colno}"
    if exc.msg.startswith("Unterminated string"):
        return f"a quoted text starting at column {exc.colno} is never closed"
    return f"{exc.msg} at column {exc.colno}"


def _plain_reason(exc: BaseException) -> str:
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

class _RecordTooBig(Exception):
    """Raised from the line source, inside csv's reader, when a record passes the limit."""


def load_csv(lines: TextIO, source: str, file_flags=(), encoding: str = "",
             limits: Optional[Limits] = None) -> Iterator[Result]:
    """A header row naming the fields, then one record a row (quoted newlines allowed)."""
    limits = limits or Limits()
    bounded = BoundedLines(lines, limits.max_record_bytes)
    header_line: Union[str, Oversized] = ""
    for header_line in bounded:
        if isinstance(header_line, Oversized) or header_line.strip():
            break
    header_no = bounded.count
    if isinstance(header_line, Oversized):
        yield LoadError(f"{source}:{header_no}",
                        f"line {header_no}: " + _too_big("the header row", header_line.size, limits))
        return
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
        found = ", ".join(_short(h.strip()) for h in header[:20]) + (", …" if len(header) > 20 else "")
        yield LoadError(
            f"{source}:{header_no}",
            f"line {header_no}: no 'body' or 'title' column in the header "
            f"(expected some of: {', '.join(FIELDS)}; found: {found})",
        )
        return

    _raise_field_limit()
    counter = _RecordLines(bounded, limits.max_record_bytes)
    reader = csv.reader(counter, delimiter=delimiter)
    rows = 0
    while True:
        # csv reads exactly the lines a record needs, so it starts right after the last one.
        start = counter.count + 1
        counter.new_record()
        try:
            row = next(reader)
        except StopIteration:
            break
        except _RecordTooBig:
            # Skip to where the record ends (quotes balanced at the end of a line), unread.
            rows += 1
            size, closed = counter.skip_record()
            end = counter.count
            lines_text = f" (lines {start}–{end})" if end > start else ""
            if closed:
                yield LoadError(f"{source}:{start}", f"line {start}: " + _too_big(f"the record{lines_text}", size, limits))
            else:
                yield LoadError(f"{source}:{start}",
                                f"line {start}: a quote opened in this record is never closed, so the record would "
                                f"run to the end of the file (line {end:,}, {human_size(size)}), over the "
                                f"{limits.record_limit_text} limit per record ({ENV_RECORD_MB})")
            continue
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


class _RecordLines:
    """The lines csv's reader asks for, with a running count and a per-record size limit.

    An oversized line, or a record (quoted newlines) growing past the limit, raises
    _RecordTooBig out of the reader; skip_record() then reads on, without keeping
    anything, to the line where the record's quotes balance, and csv's reader
    starts afresh after it.
    """

    def __init__(self, lines: BoundedLines, max_bytes: int):
        self.lines = lines
        self.max_bytes = max_bytes
        self.record_bytes = 0
        self.record_quotes = 0

    @property
    def count(self) -> int:
        return self.lines.count

    def new_record(self) -> None:
        self.record_bytes = self.record_quotes = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        if isinstance(line, Oversized):
            self.record_bytes += line.size
            self.record_quotes += line.quotes
            raise _RecordTooBig()
        self.record_bytes += len(line) if line.isascii() else utf8_size(line)
        self.record_quotes += line.count('"')
        if self.record_bytes > self.max_bytes:
            raise _RecordTooBig()
        return line

    def skip_record(self) -> tuple[int, bool]:
        """(bytes of the whole record, whether it ended before the end of the file)."""
        while self.record_quotes % 2:
            line = next(self.lines, None)
            if line is None:
                return self.record_bytes, False
            if isinstance(line, Oversized):
                self.record_bytes += line.size
                self.record_quotes += line.quotes
            else:
                self.record_bytes += utf8_size(line)
                self.record_quotes += line.count('"')
        return self.record_bytes, True


def _sniff_delimiter(header: str) -> str:
    """The delimiter used most in the header row, outside quotes (',' when tied)."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _raise_field_limit() -> None:
    # Article bodies can exceed csv's default 128 KiB cell limit (records are bounded by
    # Limits.max_record_bytes before csv sees them).
    limit = sys.maxsize
    while limit > 1 << 20:
        try:
            csv.field_size_limit(max(csv.field_size_limit(), min(limit, 1 << 28)))
            return
        except OverflowError:
            limit //= 2
