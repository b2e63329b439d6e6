"""Bad input, case by case: what the loader keeps, what it rejects, and how it says so.

Every case runs through BOTH entry points and must give the same outcome:
  * chipwatch.loading.load_file(path)  - what `python -m chipwatch ingest` reads;
  * chipwatch.loading.load_bytes(data, name) - what the Load articles page reads.
Each case states the exact outcome: how many articles, and for each rejection its
source (file:line for JSONL/CSV, file#N for a JSON list element, the file for a
whole-file problem) and a key phrase of the reason. The last tests run a mixed
folder end to end through `python -m chipwatch ingest`.

CASES is also read by tests/robustness/report.py, which prints the outcome table.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Optional

import pytest

from chipwatch.limits import MB, Limits
from chipwatch.loading import load_bytes, load_file
from chipwatch.models import Article, LoadError

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "robustness"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


# ---------------------------------------------------------------------------
# records used to build the fixtures

def rec(i: int, **extra) -> dict:
    """A good English record, different for each i."""
    r = {"id": f"r-{i}", "title": f"Export licence update number {i}",
         "published": "2025-08-12", "publisher": "Wirewatch",
         "body": f"The Commerce Department said on Tuesday that licence request {i} for Nvidia H20 chips "
                 f"bound for China was still under review, according to a company filing."}
    r.update(extra)
    return r


def jsonl(records) -> bytes:
    """One line per item: dicts (and other values) as JSON, str as given; a newline after each."""
    return b"".join(((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n").encode("utf-8")
                    for r in records)


KO_TITLE = "美 상무부, 엔비디아 H20 중국 수출 허가"
KO_BODY = ("미국 상무부가 엔비디아의 H20 칩 중국 수출을 허가했다고 14일 밝혔다.\n\n"
           "업계 관계자는 \"수출이 재개되면 국내 반도체 업계에도 영향이 있을 것\"이라고 말했다.")
ZH_TITLE = "美国商务部批准英伟达H20芯片对华出口"
ZH_BODY = "美国商务部14日表示，已批准英伟达向中国出口H20芯片。\n\n业内人士表示，出口恢复将影响国内芯片产业。"


def ko_text(extra: str = "") -> str:
    return f"{KO_TITLE}\n\n{KO_BODY}{extra}\n"


def deep(n: int) -> str:
    return "[" * n + "]" * n


def future_day() -> str:
    return (date.today() + timedelta(days=400)).isoformat()


# ---------------------------------------------------------------------------
# the cases

@dataclass
class Case:
    id: str
    name: str  # file name: the extension picks the reader
    data: Callable[[], bytes]
    articles: int  # how many articles load
    errors: list[tuple[str, str]]  # (source with the file name as prefix, key phrase of the reason), in order
    what: str = ""  # the outcome in words, for the report table
    limits: Optional[Limits] = None
    check: Optional[Callable[[list[Article], list[LoadError]], None]] = None


def _flags(*expected):
    def check(arts, errs):
        assert [a.flags for a in arts] == [list(f) for f in expected]
    return check


def _same_text(reference_name: str, reference: bytes):
    """Articles equal (title, body, hash) to those of a UTF-8 reference file."""
    def check(arts, errs):
        ref = [a for a in load_bytes(reference, reference_name) if isinstance(a, Article)]
        assert [(a.title, a.body, a.content_hash) for a in arts] == [(a.title, a.body, a.content_hash) for a in ref]
        assert all("\ufffd" not in a.body for a in arts)
    return check


def _no_leaks(arts, errs):
    (a,) = arts
    text = " ".join([a.title, a.body, *a.captions])
    for leak in ("SCRIPT-LEAK", "STYLE-LEAK", "IFRAME-LEAK", "HANDLER-LEAK", "NOSCRIPT-LEAK", "FORM-LEAK",
                 "SVG-LEAK", "alert(", "onclick", "javascript:", "function", "<"):
        assert leak not in text, leak
    assert a.title == "Nvidia cleared to ship H20 chips to China"
    assert a.body.count("\n\n") == 2 and a.body.startswith("The U.S. Commerce Department told Nvidia")
    assert a.published == "2025-07-15"


def _mixed_jsonl() -> bytes:
    lines: list = [rec(i) for i in range(1, 3001)]
    lines[99] = '{"id": "r-100", "title": "broken", "body": "missing quote}'  # line 100
    lines[1499] = rec(1500, title=["not", "text"])  # line 1500
    return jsonl(lines[:2999]) + b'{"id": "r-3000", "title": "cut off", "bo'  # line 3000: cut off, no newline


def _truncated_json(first: int = 1, last: int = 2000) -> bytes:
    """A JSON list of records first..last, cut off inside the last one."""
    text = json.dumps([rec(i) for i in range(first, last + 1)], indent=1)
    return text[: text.index(f'"r-{last}"') + 20].encode()


def _wrapped_truncated_json() -> bytes:
    text = json.dumps({"articles": [rec(i) for i in range(1, 6)]})
    return text[: text.index('"r-5"') + 10].encode()


def _check_truncated(arts, errs):
    assert [a.id for a in arts[:2]] == ["r-1", "r-2"] and arts[-1].id == "r-1999"


def _csv(rows: list[str], encoding="utf-8", bom=False) -> bytes:
    return (codecs.BOM_UTF8 if bom else b"") + "\n".join(rows).encode(encoding) + b"\n"


def _csv_cells(rows: list[list[str]], encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


CSV_ORDERED = _csv(["id,title,published,body", "c-1,Chip curbs widen,2025-08-12,Officials said the curbs would widen.",
                    "c-2,Second story,2025-08-13,Another body of text here."])
CSV_REORDERED = _csv(["body,published,id,title", "Officials said the curbs would widen.,2025-08-12,c-1,Chip curbs widen",
                      "Another body of text here.,2025-08-13,c-2,Second story"])


def _same_as_ordered(arts, errs):
    ref = [a for a in load_bytes(CSV_ORDERED, "ordered.csv")]
    assert [(a.id, a.title, a.body, a.published, a.content_hash) for a in arts] == \
        [(a.id, a.title, a.body, a.published, a.content_hash) for a in ref]


def _quoted_newlines(arts, errs):
    assert arts[0].body == "First paragraph.\n\nSecond paragraph, with a comma."
    assert arts[1].source.endswith(":5") and arts[1].title == 'Broken "quote'
    assert arts[2].source.endswith(":6") and arts[2].title == "After the multi-line record"


def _bad_utf8_lines(arts, errs):
    damaged = [a for a in arts if a.flags and a.flags[0].startswith("encoding_replaced")]
    assert len(damaged) == 1 and damaged[0].id == "r-1234"
    assert damaged[0].body.startswith("The Commerce \ufffd\ufffdDepartment")
    assert damaged[0].flags == ["encoding_replaced:utf-8"]


def _bad_utf8_text(arts, errs):
    (a,) = arts
    assert "\ufffd" in a.body and a.flags[0] == "encoding_replaced:utf-8" and a.title == KO_TITLE


def _dates(arts, errs):
    future = future_day()
    assert [(a.id, a.published, a.flags) for a in arts] == [
        ("d-missing", None, ["date_missing"]),
        ("d-impossible", None, ["date_invalid:2025-02-30"]),
        ("d-month13", None, ["date_invalid:2025-13-01"]),
        ("d-future", future, ["date_future"]),
        ("d-good", "2025-08-12", []),
        ("d-epoch-garbage", None, ["date_invalid:1e+300"]),
    ]


def _page_dates(arts, errs):
    (a,) = arts
    assert a.published is None and a.flags == ["date_invalid:2025-02-30"]


def _same_article_twice(arts, errs):
    a, b = arts
    assert (a.id, b.id) == ("first-id", "second-id")
    assert a.content_hash == b.content_hash  # the store keeps one: the second is a duplicate


def _same_id_twice(arts, errs):
    a, b = arts
    assert a.id == b.id == "same-id" and a.content_hash != b.content_hash  # the store keeps both


def _non_news(arts, errs):
    (a,) = arts
    assert a.flags == ["date_missing"] and a.published is None


def _oversized_line(arts, errs):
    assert [a.id for a in arts] == ["r-1", "r-3"]


CASES: list[Case] = [
    # -- empty -------------------------------------------------------------------
    *[Case(f"zero-byte{ext}", f"empty{ext}", lambda: b"", 0, [(f"empty{ext}", "file is empty")],
           "rejected: file is empty") for ext in (".json", ".jsonl", ".csv", ".html", ".htm", ".txt")],
    Case("whitespace-only.txt", "blank.txt", lambda: b" \n\t\r\n  \n", 0, [("blank.txt", "file is empty")],
         "rejected: file is empty"),
    Case("blank-lines.jsonl", "blank.jsonl", lambda: b"\n\n  \n", 0, [("blank.jsonl", "file is empty")],
         "rejected: file is empty"),
    Case("header-only.csv", "header.csv", lambda: b"id,title,body\n", 0,
         [("header.csv", "no records (only a header row)")], "rejected: only a header row"),
    Case("empty-list.json", "list.json", lambda: b"[ ]", 0, [("list.json", "no articles in the file (empty list)")],
         "rejected: empty list"),
    Case("empty-object.json", "obj.json", lambda: b"{}", 0, [("obj.json", "record: no title and no body")],
         "rejected: no title and no body"),
    # -- binary with a text extension ----------------------------------------------
    *[Case(f"png-as{ext}", f"image{ext}", lambda: PNG + bytes(range(256)), 0,
           [(f"image{ext}", "not a text file (binary content)")], "rejected: not a text file")
      for ext in (".json", ".jsonl", ".csv", ".html", ".txt")],
    Case("random-bytes.txt", "noise.txt", lambda: random.Random(7).randbytes(4096), 0,
         [("noise.txt", "not a text file (binary content)")], "rejected: not a text file"),
    Case("pdf-as.csv", "report.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 0,
         [("report.csv", "not a text file (binary content)")], "rejected: not a text file"),
    # -- truncated JSON and bad lines among thousands of good ones ---------------------
    Case("jsonl-3-bad-of-3000", "export.jsonl", _mixed_jsonl, 2997,
         [("export.jsonl:100", "line 100: not valid JSON (a quoted text is not closed before the end of the line"),
          ("export.jsonl:1500", "line 1500: field 'title' should be text, got a list"),
          ("export.jsonl:3000", "line 3000: not valid JSON (a quoted text starting at column 38 is never closed)")],
         "2,997 kept; the 3 bad lines rejected with their line numbers"),
    Case("json-truncated-2000", "export.json", _truncated_json, 1999,
         [("export.json#2000", "the file ends in the middle of record 2000 (is it cut off?); "
                               "the 1,999 records before it were read")],
         "the 1,999 complete records kept; the cut-off record 2000 reported", check=_check_truncated),
    Case("json-wrapped-truncated", "wrapped.json", _wrapped_truncated_json, 4,
         [("wrapped.json#5", "the file ends in the middle of record 5")],
         "{\"articles\": [...]} cut off: 4 kept, record 5 reported"),
    Case("json-bad-element", "list.json",
         lambda: json.dumps([rec(1), 42, rec(3, body={"p": 1}), rec(4)]).encode(), 2,
         [("list.json#2", "record 2: should be an object with article fields, got a number"),
          ("list.json#3", "record 3: field 'body' should be text, got an object")],
         "2 kept; elements 2 and 3 rejected"),
    Case("json-syntax-error-midway", "midway.json",
         lambda: (json.dumps([rec(1), rec(2)])[:-1] + ', {"title": "x" "body": "y"}, ' + json.dumps(rec(4)) + "]")
         .encode(), 2,
         [("midway.json#3", "line 1: not valid JSON (Expecting ',' delimiter at column")],
         "records before the syntax error kept; the rest reported as unread"),
    Case("json-not-json", "notes.json", lambda: b"This is not JSON at all.\n", 0,
         [("notes.json", "line 1: not valid JSON (Expecting value at column 1)")], "rejected: not valid JSON"),
    # -- wrong field types ---------------------------------------------------------
    Case("wrong-types.jsonl", "types.jsonl",
         lambda: jsonl([rec(1, title=["a", "list"]), rec(2, body={"text": "nested"}), rec(3, published=True),
                        rec(4, id=1.5), rec(5, url=42), rec(6, publisher=["Reuters"]), rec(7, language=None),
                        rec(8, id=8), rec(9, published=1755000000), [1, 2], json.dumps("just a string"), None, 3.14]), 3,
         [("types.jsonl:1", "line 1: field 'title' should be text, got a list"),
          ("types.jsonl:2", "line 2: field 'body' should be text, got an object"),
          ("types.jsonl:3", "line 3: field 'published' should be text, got true/false"),
          ("types.jsonl:4", "line 4: field 'id' should be text, got a number"),
          ("types.jsonl:5", "line 5: field 'url' should be text, got a number"),
          ("types.jsonl:6", "line 6: field 'publisher' should be text, got a list"),
          ("types.jsonl:10", "line 10: should be an object with article fields, got a list"),
          ("types.jsonl:11", "line 11: should be an object with article fields, got text"),
          ("types.jsonl:12", "line 12: should be an object with article fields, got null"),
          ("types.jsonl:13", "line 13: should be an object with article fields, got a number")],
         "null language, integer id and epoch date accepted; every other wrong type rejected by field"),
    # -- CSV shapes ----------------------------------------------------------------
    Case("csv-no-body-column", "titles.csv", lambda: _csv(["id,title,published", "t-1,Only a title,2025-08-12"]), 0,
         [("titles.csv:2", "line 2: no article text (only a title)")], "rejected: title but no body column"),
    Case("csv-no-known-column", "sheet.csv", lambda: _csv(["a,b,c", "1,2,3"]), 0,
         [("sheet.csv:1", "line 1: no 'body' or 'title' column in the header")], "rejected: header names no field"),
    Case("csv-missing-and-extra-cells", "cells.csv",
         lambda: _csv(["id,title,body", "c-1,One,Body one.", "c-2,Two", "c-3,Three,Body three.,surplus",
                       "c-4,Four,Body four."]), 2,
         [("cells.csv:3", "line 3: has 2 cells but the header has 3 columns"),
          ("cells.csv:4", "line 4: has 4 cells but the header has 3 columns")],
         "rows with missing or extra cells rejected by line"),
    Case("csv-extra-columns", "extra.csv",
         lambda: _csv(["section,id,title,wordcount,body,editor", "tech,e-1,Extra columns,12,Body text here.,Kim"]), 1,
         [], "unknown columns ignored", check=lambda a, e: a[0].body == "Body text here." and a[0].id == "e-1"),
    Case("csv-reordered-columns", "reordered.csv", lambda: CSV_REORDERED, 2, [],
         "same articles as the ordered file", check=_same_as_ordered),
    Case("csv-quoted-newlines", "multiline.csv",
         lambda: _csv(["id,title,body", 'q-1,Multi-line,"First paragraph.', "", 'Second paragraph, with a comma."',
                       'q-2,"Broken ""quote",Body.', "q-3,After the multi-line record,Body three."]), 3, [],
         "quoted newlines kept; line numbers count physical lines", check=_quoted_newlines),
    Case("csv-bom", "bom.csv", lambda: _csv(["ID,Title,Body", "b-1,BOM header,The header starts with a BOM."], bom=True),
         1, [], "BOM stripped from the first header", check=lambda a, e: a[0].id == "b-1"),
    Case("csv-semicolon", "semi.csv",
         lambda: _csv(["id;title;body", "s-1;Nvidia, AMD resume sales;Sales resumed, the firms said."]), 1, [],
         "';' delimiter detected", check=lambda a, e: a[0].title == "Nvidia, AMD resume sales"),
    Case("csv-tab-crlf", "tabs.csv", lambda: b"id\ttitle\tbody\r\nt-1\tTabbed\tBody with tabs.\r\n", 1, [],
         "tab delimiter and CRLF"),
    # -- invalid UTF-8 and legacy encodings ---------------------------------------------
    Case("utf8-bad-bytes.jsonl", "damaged.jsonl",
         lambda: jsonl([rec(i) for i in range(1, 1234)])
         + json.dumps(rec(1234)).encode().replace(b"Commerce ", b"Commerce \xff\xc0") + b"\n"
         + jsonl([rec(i) for i in range(1235, 1501)]), 1500, [],
         "all 1,500 kept; the damaged line shows U+FFFD and is flagged encoding_replaced", check=_bad_utf8_lines),
    Case("utf8-bad-bytes.txt", "damaged.txt", lambda: ko_text().encode().replace("관계자".encode(), b"\xed\xa0\x80\xff"),
         1, [], "kept, U+FFFD shown, flagged encoding_replaced:utf-8", check=_bad_utf8_text),
    Case("cp949.txt", "ko_cp949.txt", lambda: ko_text(" 똠얌꿍.").encode("cp949"), 1, [],
         "decoded as CP949", check=_same_text("ko.txt", ko_text(" 똠얌꿍.").encode())),
    Case("euc-kr.txt", "ko_euckr.txt", lambda: ko_text().encode("euc-kr"), 1, [],
         "decoded as EUC-KR", check=_same_text("ko.txt", ko_text().encode())),
    Case("utf-16-bom.txt", "ko_utf16.txt", lambda: ko_text().encode("utf-16"), 1, [],
         "decoded as UTF-16 (BOM)", check=_same_text("ko.txt", ko_text().encode())),
    Case("utf-16-le-no-bom.txt", "ko_utf16le.txt", lambda: ko_text().encode("utf-16-le"), 1, [],
         "decoded as UTF-16 LE (no BOM)", check=_same_text("ko.txt", ko_text().encode())),
    Case("gb18030.txt", "zh.txt", lambda: f"{ZH_TITLE}\n\n{ZH_BODY}\n".encode("gb18030"), 1, [],
         "decoded as GB18030", check=_same_text("zh.txt", f"{ZH_TITLE}\n\n{ZH_BODY}\n".encode())),
    Case("cp949.csv", "ko.csv", lambda: _csv_cells([["id", "title", "body"], ["k-1", KO_TITLE, KO_BODY]],
                                                   encoding="cp949"), 1, [], "CSV decoded as EUC-KR/CP949",
         check=lambda a, e: a[0].title == KO_TITLE and a[0].language == "ko"),
    Case("utf-16.jsonl", "ko16.jsonl",
         lambda: (json.dumps({"id": "u-1", "title": KO_TITLE, "body": KO_BODY}, ensure_ascii=False) + "\n"
                  + json.dumps(rec(2)) + "\n").encode("utf-16"), 2, [], "JSONL decoded as UTF-16",
         check=lambda a, e: a[0].title == KO_TITLE),
    # -- HTML ----------------------------------------------------------------------
    Case("html-hostile", "hostile_page.html", lambda: (FIX / "hostile_page.html").read_bytes(), 1, [],
         "kept: only the 3 article paragraphs; no script/style/iframe/form/handler text", check=_no_leaks),
    Case("html-no-article", "no_article.html", lambda: (FIX / "no_article.html").read_bytes(), 0,
         [("no_article.html", "no article text found on the page")], "rejected: no article text on the page"),
    Case("html-only-scripts", "scripts.html",
         lambda: b"<html><head><script>alert(1)</script><style>p{}</style></head><body><script>x()</script>"
                 b"<iframe src=x></iframe></body></html>", 0,
         [("scripts.html", "no article text found on the page")], "rejected: no article text on the page"),
    Case("html-deep-markup", "deep.html",
         lambda: b"<div>" * 20000 + b"<p>Nvidia said on Tuesday it would ship H20 chips.</p>" + b"</div>" * 20000
         + b"<b>" * 20000 + b"</i>" * 20000, 1, [], "kept; 20,000 nested elements do not recurse or go quadratic"),
    # -- limits (scaled down: the same code paths as 50 MB / 500 MB, see the tests below) --
    Case("jsonl-record-over-limit", "big.jsonl",
         lambda: jsonl([rec(1), rec(2, body="x" * 5000), rec(3)]), 2,
         [("big.jsonl:2", "line 2: the record is 5.0 KB, over the 4 KB limit per record (CHIPWATCH_MAX_RECORD_MB)")],
         "the oversized line skipped unread; the others kept", limits=Limits(max_record_bytes=4096),
         check=_oversized_line),
    Case("csv-record-over-limit", "big.csv",
         lambda: _csv(["id,title,body", "r-1,One,Body.", "r-2,Two,\"" + "y" * 5000 + "\"", "r-3,Three,Body."]), 2,
         [("big.csv:3", "line 3: the record is 4.9 KB, over the 4 KB limit per record")],
         "the oversized row skipped unread; the others kept", limits=Limits(max_record_bytes=4096)),
    Case("csv-unclosed-quote-over-limit", "unclosed.csv",
         lambda: _csv(["id,title,body", "r-1,One,Body.", 'r-2,Two,"never closed'] + ["more text, more"] * 500), 1,
         [("unclosed.csv:3", "line 3: a quote opened in this record is never closed, so the record would run to "
                             "the end of the file (line 503, 7.8 KB), over the 4 KB limit per record")],
         "an unclosed quote is not read as one giant record", limits=Limits(max_record_bytes=4096)),
    Case("json-element-over-limit", "big.json",
         lambda: json.dumps([rec(1), rec(2, body="z" * 5000), rec(3)]).encode(), 2,
         [("big.json#2", "record 2 is 5.0 KB, over the 4 KB limit per record")],
         "the oversized element rejected; the others kept", limits=Limits(max_record_bytes=4096)),
    Case("json-file-over-limit", "huge.json", lambda: json.dumps([rec(i) for i in range(40)]).encode(), 0,
         [("huge.json", "over the 4 KB limit for .json files (CHIPWATCH_MAX_FILE_MB); split it or save it as .jsonl")],
         "refused before reading, with the limit and what to do", limits=Limits(max_file_bytes=4096)),
    Case("html-file-over-limit", "huge.html", lambda: b"<p>" + b"word " * 2000 + b"</p>", 0,
         [("huge.html", "file is 9.8 KB, over the 4 KB limit for .html files (CHIPWATCH_MAX_FILE_MB)")],
         "refused before reading", limits=Limits(max_file_bytes=4096)),
    Case("txt-page-over-record-limit", "huge.txt", lambda: b"Title\n\n" + b"word " * 2000, 0,
         [("huge.txt", "the text is 9.8 KB, over the 4 KB limit per record (CHIPWATCH_MAX_RECORD_MB); "
                       "a .txt file holds one article")],
         "a .txt file is one record", limits=Limits(max_record_bytes=4096)),
    Case("jsonl-no-file-limit", "stream.jsonl", lambda: jsonl([rec(i) for i in range(1, 201)]), 200, [],
         "JSONL streams: a file over the file limit still loads", limits=Limits(max_file_bytes=4096)),
    # -- deeply nested JSON -----------------------------------------------------------
    Case("jsonl-deep", "deep.jsonl",
         lambda: jsonl([rec(1), '{"title": "t", "body": "b", "x": ' + deep(100) + "}", rec(3),
                        '{"title": "t", "body": "b", "x": ' + deep(100_000) + "}", rec(5)]), 3,
         [("deep.jsonl:2", "line 2: nested more than 64 levels deep (the limit is 64, CHIPWATCH_MAX_JSON_DEPTH)"),
          ("deep.jsonl:4", "line 4: nested more than 64 levels deep")],
         "deep lines rejected (depth check, RecursionError caught); the others kept"),
    Case("json-deep-element", "deep.json",
         lambda: ("[" + json.dumps(rec(1)) + ', {"title": "t", "body": "b", "x": ' + deep(200) + "}, "
                  + json.dumps(rec(3)) + "]").encode(), 2,
         [("deep.json#2", "record 2: nested more than 64 levels deep")], "the deep element rejected, the others kept"),
    Case("json-deep-document", "deeper.json", lambda: deep(100_000).encode(), 0,
         [("deeper.json#1", "record 1: nested more than 64 levels deep")], "rejected, no RecursionError"),
    Case("json-deep-object", "deepobj.json", lambda: ('{"a": ' * 50_000 + "1" + "}" * 50_000).encode(), 0,
         [("deepobj.json", "nested more than 64 levels deep")], "rejected, no RecursionError"),
    # -- duplicates and ids --------------------------------------------------------------
    Case("same-article-two-ids", "dup.jsonl",
         lambda: jsonl([rec(1, id="first-id"), rec(1, id="second-id", body="  " + rec(1)["body"].upper() + " ")]),
         2, [], "both load with one content hash: the store keeps the first, counts the second as a duplicate",
         check=_same_article_twice),
    Case("two-articles-one-id", "sameid.jsonl", lambda: jsonl([rec(11, id="same-id"), rec(12, id="same-id")]), 2, [],
         "both load with the same id: the store keeps both, the second under same-id~<hash>",
         check=_same_id_twice),
    # -- dates ----------------------------------------------------------------------
    Case("dates.jsonl", "dates.jsonl",
         lambda: jsonl([rec(1, id="d-missing", published=None), rec(2, id="d-impossible", published="2025-02-30"),
                        rec(3, id="d-month13", published="2025-13-01"), rec(4, id="d-future", published=future_day()),
                        rec(5, id="d-good"), rec(6, id="d-epoch-garbage", published=1e300)]), 6, [],
         "all kept: date_missing / date_invalid:<raw> (no date) / date_future (date kept)", check=_dates),
    Case("page-impossible-date", "baddate.html",
         lambda: b'<html><head><meta property="article:published_time" content="2025-02-30"></head><body>'
                 b"<article><h1>Shipments resume</h1><p>Nvidia said on Tuesday that it would resume shipments.</p></article>"
                 b"</body></html>", 1, [],
         "kept, flagged date_invalid", check=_page_dates),
    # -- non-news text ----------------------------------------------------------------
    *[Case(f"non-news-{stem}", f"{stem}.txt", (lambda stem=stem: (FIX / f"{stem}.txt").read_bytes()), 1, [],
           "kept (loading does not judge topic); extraction finds no entity (see test_non_news_has_no_mentions)",
           check=_non_news) for stem in ("recipe", "lorem", "shopping")],
]


# ---------------------------------------------------------------------------
# running a case through both entry points

def _portable(items: list, prefix: str) -> list:
    """Items with the folder prefix taken off their sources, to compare load_file with load_bytes."""
    out = []
    for item in items:
        d = item.to_dict()
        if d["source"].startswith(prefix):
            d["source"] = d["source"][len(prefix):]
        out.append((type(item).__name__, d))
    return out


def load_both(tmp_path: Path, name: str, data: bytes, limits: Optional[Limits] = None) -> list:
    """load_file (CLI) and load_bytes (Load page) must agree; returns load_bytes' items.

    With the default limits the Load page's own entry (ingest_preview.upload_items, which
    checks the upload cap and then calls load_bytes) is compared too.
    """
    from chipwatch import ingest_preview

    path = tmp_path / name
    path.write_bytes(data)
    via_file = list(load_file(path, limits=limits))
    via_bytes = list(load_bytes(data, name, limits=limits))
    assert _portable(via_file, f"{tmp_path}{os.sep}") == _portable(via_bytes, "")
    if limits is None:
        via_page = ingest_preview.upload_items(data, name)
        if len(data) > ingest_preview.MAX_UPLOAD_MB * MB:  # the page refuses it before the loader sees it
            assert [e.error for e in via_page] == [f"the file is {len(data) / MB:.1f} MB, over the "
                                                   f"{ingest_preview.MAX_UPLOAD_MB} MB limit per file"]
        else:
            assert _portable(via_page, "") == _portable(via_bytes, "")
    return via_bytes


def run_case(case: Case, tmp_path: Path) -> tuple[list[Article], list[LoadError]]:
    items = load_both(tmp_path, case.name, case.data(), case.limits)
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, LoadError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path):
    arts, errs = run_case(case, tmp_path)
    assert not [e for e in errs if "internal error" in e.error]
    assert len(arts) == case.articles, [e.to_dict() for e in errs][:5]
    assert [e.source for e in errs] == [src for src, _ in case.errors], [e.to_dict() for e in errs][:5]
    for err, (_, phrase) in zip(errs, case.errors):
        assert phrase in err.error, (err.error, phrase)
    for a in arts:
        assert a.body.strip() and a.id and len(a.content_hash) == 64
    if case.check:
        case.check(arts, errs)


# ---------------------------------------------------------------------------
# the real sizes: a 50 MB record and a 500 MB file

def test_50mb_record_is_skipped_unread_and_the_rest_loads(tmp_path):
    """A real 50 MB JSONL line under the default 10 MB limit; both entry points."""
    data = jsonl([rec(1)]) + b'{"id": "huge", "title": "huge", "body": "' + b"x" * (50 * MB) + b'"}\n' + jsonl([rec(3)])
    items = load_both(tmp_path, "fifty.jsonl", data)
    assert [type(i).__name__ for i in items] == ["Article", "LoadError", "Article"]
    assert items[1] == LoadError("fifty.jsonl:2", "line 2: the record is 50.0 MB, over the 10 MB limit per record "
                                                  "(CHIPWATCH_MAX_RECORD_MB)")


def test_500mb_json_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "dump.json"
    with path.open("wb") as fh:  # sparse: 500 MB on paper, nothing written, nothing read
        fh.truncate(500 * MB)
    assert list(load_file(path)) == [LoadError(
        str(path), "file is 500.0 MB, over the 200 MB limit for .json files (CHIPWATCH_MAX_FILE_MB); "
                   "split it or save it as .jsonl (JSON Lines load record by record, with no file limit)")]


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CHIPWATCH_MAX_FILE_MB", "0.5")
    monkeypatch.setenv("CHIPWATCH_MAX_RECORD_MB", "0.0625")
    monkeypatch.setenv("CHIPWATCH_MAX_JSON_DEPTH", "3")
    assert Limits.from_env() == Limits(max_file_bytes=MB // 2, max_record_bytes=MB // 16, max_json_depth=3)
    big = json.dumps([rec(i) for i in range(3000)]).encode()
    (err,) = load_bytes(big, "big.json")
    assert err.error.startswith(f"file is {len(big) / MB:.1f} MB, over the 0.5 MB limit for .json files")
    items = list(load_bytes(jsonl([rec(1), rec(2, body="w" * 70_000), {"title": "t", "body": "b", "x": [[[1]]]}]),
                            "x.jsonl"))
    assert [getattr(i, "error", "ok") for i in items] == [
        "ok", "line 2: the record is 68.5 KB, over the 64 KB limit per record (CHIPWATCH_MAX_RECORD_MB)",
        "line 3: nested more than 3 levels deep (the limit is 3, CHIPWATCH_MAX_JSON_DEPTH); "
        "an article record is a flat object of text fields"]


def test_bad_environment_values_fall_back_to_the_defaults(monkeypatch):
    for value in ("abc", "-1", "0", "nan", "inf"):
        monkeypatch.setenv("CHIPWATCH_MAX_RECORD_MB", value)
        with pytest.warns(RuntimeWarning, match="CHIPWATCH_MAX_RECORD_MB"):
            assert Limits.from_env().max_record_bytes == 10 * MB


# ---------------------------------------------------------------------------
# what the store does with duplicates and repeated ids, and with non-news text

@pytest.fixture(scope="module")
def kb():
    from chipwatch.knowledge import load_knowledge

    return load_knowledge()


def test_store_duplicates_and_repeated_ids(tmp_path, kb):
    """Same article twice with different ids: one stored, the second counted as a duplicate
    (content hash of whitespace-collapsed, casefolded title + body). Two different articles
    with one id: both stored, the second under '<id>~<first 8 of its hash>' and a note."""
    from chipwatch.store import Store

    dup = next(c for c in CASES if c.id == "same-article-two-ids")
    same_id = next(c for c in CASES if c.id == "two-articles-one-id")
    for via in ("file", "bytes"):
        with Store(tmp_path / f"{via}.db", kb=kb) as store:
            results = []
            for case in (dup, same_id):
                if via == "file":
                    path = tmp_path / case.name
                    path.write_bytes(case.data())
                    results.append(store.ingest_file(path))
                else:  # what the Load page does: load_bytes, then the same writer
                    results.append(store.ingest_file(case.name, items=list(load_bytes(case.data(), case.name))))
            r_dup, r_id = results
            assert (r_dup.added, r_dup.duplicates, r_dup.renamed) == (1, 1, [])
            assert store.article("first-id") is not None and store.article("second-id") is None
            assert (r_id.added, r_id.duplicates, len(r_id.renamed)) == (2, 0, 1)
            ids = sorted(r[0] for r in store.conn.execute("SELECT id FROM articles WHERE id LIKE 'same-id%'"))
            assert ids[0] == "same-id" and ids[1].startswith("same-id~") and len(ids[1]) == len("same-id~") + 8
            assert "already holds another article" in r_id.renamed[0]


def test_non_news_has_no_mentions(kb):
    """Non-news text loads (the loader does not judge topic); extraction finds no entity,
    which is what an off_topic flag computed at ingest would rest on."""
    from chipwatch.extract import extract

    for stem in ("recipe", "lorem", "shopping"):
        (a,) = load_file(FIX / f"{stem}.txt")
        ex = extract(a, kb)
        assert ex.mentions == [] and ex.quotes == [] and ex.status_claims == [], stem
    (news,) = load_file(FIX / "hostile_page.html")
    assert extract(news, kb).mentions  # a real story does have entities


# ---------------------------------------------------------------------------
# end to end: python -m chipwatch ingest on a mixed folder

def _mixed_folder(folder: Path) -> None:
    folder.mkdir()
    lines: list = [rec(i) for i in range(1, 121)]
    lines[9] = "{not json at all"  # line 10
    lines[49] = rec(50, body=["wrong", "type"])  # line 50
    lines[89] = '{"title": "big", "body": "' + "q" * 70_000 + '"}'  # line 90, over the 64 KB limit set below
    (folder / "export.jsonl").write_bytes(jsonl(lines))
    (folder / "cut.json").write_bytes(_truncated_json(1001, 1020))
    (folder / "image.txt").write_bytes(PNG)
    (folder / "empty.csv").write_bytes(b"")
    (folder / "page.html").write_bytes((FIX / "hostile_page.html").read_bytes())
    (folder / "nothing.html").write_bytes((FIX / "no_article.html").read_bytes())
    (folder / "recipe.txt").write_bytes((FIX / "recipe.txt").read_bytes())
    (folder / "ko.csv").write_bytes(_csv_cells([["id", "title", "body"], ["k-1", KO_TITLE, KO_BODY]],
                                               encoding="cp949"))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_ingest_mixed_folder(tmp_path, workers):
    folder = tmp_path / "incoming"
    _mixed_folder(folder)
    env = {**os.environ, "CHIPWATCH_MAX_RECORD_MB": "0.0625", "PYTHONPATH": str(ROOT)}
    env.pop("CHIPWATCH_DB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "chipwatch", "ingest", str(folder), "--db", str(tmp_path / "s.db"),
         "--workers", workers],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    f = f"{folder}{os.sep}"
    expected_lines = [
        f"{f}cut.json: 19 added, 0 duplicates, 1 rejected",
        f"  rejected {f}cut.json#20: line 137: the file ends in the middle of record 20 (is it cut off?); "
        f"the 19 records before it were read",
        f"{f}empty.csv: 0 added, 0 duplicates, 1 rejected",
        f"  rejected {f}empty.csv: file is empty",
        f"{f}export.jsonl: 117 added, 0 duplicates, 3 rejected",
        f"  rejected {f}export.jsonl:10: line 10: not valid JSON (Expecting property name enclosed in double quotes "
        f"at column 2)",
        f"  rejected {f}export.jsonl:50: line 50: field 'body' should be text, got a list",
        f"  rejected {f}export.jsonl:90: line 90: the record is 68.4 KB, over the 64 KB limit per record "
        f"(CHIPWATCH_MAX_RECORD_MB)",
        f"{f}image.txt: 0 added, 0 duplicates, 1 rejected",
        f"  rejected {f}image.txt: not a text file (binary content)",
        f"{f}ko.csv: 1 added, 0 duplicates, 0 rejected",
        f"{f}nothing.html: 0 added, 0 duplicates, 1 rejected",
        f"  rejected {f}nothing.html: no article text found on the page",
        f"{f}page.html: 1 added, 0 duplicates, 0 rejected",
        f"{f}recipe.txt: 1 added, 0 duplicates, 0 rejected",
    ]
    lines = out.splitlines()
    pos = 0
    for want in expected_lines:  # in this order, each a prefix of a printed line
        while pos < len(lines) and not lines[pos].startswith(want):
            pos += 1
        assert pos < len(lines), f"missing {want!r} in:\n{out}"
        pos += 1
    assert "internal error" not in out + proc.stderr
    assert "done: 8 files, 139 added, 0 duplicates, 7 rejected" in out
