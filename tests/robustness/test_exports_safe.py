"""Exports of what articles carry: CSV opens safely in a spreadsheet, HTML (the one-file report and a
chart's standalone page) shows markup as text and links nowhere.

Every page's `report_sections` (the data behind each chart, as the CSV buttons export it) is built on
the hostile store (tests/ui/hostile_support.py), written with chipwatch.export.frame_to_csv and parsed
back: a cell that starts with = + - @ tab or CR must have been neutralised (a leading apostrophe), unless
it is a plain number in a numeric column.
"""
from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import hostile_support as H
from chipwatch import export
from chipwatch.charts import generations, overview, stances, status
from chipwatch.frames import Filters
from chipwatch.report import build_report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$")
RAW_MARKUP = ("<img", "<script", "<b>Wire", "](javascript:")  # hostile payloads as they would act, unescaped


def all_sections(frames):
    """Every page's report sections, plus the variants the pages offer (publisher breakdown, import side...)."""
    out = []
    for module in (overview, generations, status, stances):
        out += module.report_sections(frames)
    out += overview.report_sections(frames, breakdown="publisher")
    out += overview.report_sections(frames, measure="share", breakdown="publisher", granularity="day")
    out += status.report_sections(frames, side="import")
    out += status.report_sections(frames, chip="H20", side="import")
    for group_by in ("affiliation", "type"):
        out += stances.report_sections(frames, group_by=group_by)
    return out


def parse_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def unsafe_cells(rows: list[list[str]]) -> list[str]:
    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not NUMBER.match(c)]


@pytest.fixture(scope="module")
def sections(hostile_frames):
    return all_sections(hostile_frames)


@pytest.fixture(scope="module")
def csv_cells(sections) -> dict[str, list[list[str]]]:
    out = {}
    for s in sections:
        out.setdefault(s.name, [])
        out[s.name] += parse_csv(export.frame_to_csv(s.data))
    return out


# -- CSV ---------------------------------------------------------------------------------------------

def test_every_report_section_csv_neutralises_formula_cells(csv_cells):
    bad = {name: unsafe_cells(rows) for name, rows in csv_cells.items()}
    assert not {k: v for k, v in bad.items() if v}, bad


@pytest.mark.parametrize("section_name, original", [
    ("latest-status-changes", H.EN_EVIDENCE),     # '=HYPERLINK(…)' evidence
    ("latest-status-changes", H.TAB_TITLE),       # tab + '=SUM(…)' article title
    ("latest-status-changes", H.KO_EVIDENCE),     # '@SUM(…)'
    ("latest-status-changes", H.MINUS_EVIDENCE),  # '-2+3 …'
    ("latest-status-changes", H.MINUS_TITLE),
    ("status-map", H.EN_EVIDENCE),
    ("status-timeline", H.ZH_EVIDENCE),           # '+1+1 …'
    ("status-timeline", H.TAB_EVIDENCE),
    ("volume-month-count-publisher", H.PUB_CMD),  # "=cmd|' /C calc'!A0" as a publisher
    ("volume-month-count-publisher", H.PUB_SCRIPT),
    ("volume-month-count-publisher", H.PUB_AT),
    ("volume-month-count-publisher", H.PUB_CR),   # carriage return first
])
def test_hostile_cells_reach_the_csv_neutralised_and_otherwise_intact(csv_cells, section_name, original):
    cells = [c for row in csv_cells[section_name] for c in row]
    assert "'" + original in cells, f"{original!r} not found neutralised in {section_name}"
    assert original not in cells


def test_every_formula_prefix_header_and_index_is_neutralised():
    prefixes = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]
    df = pd.DataFrame({"=cmd|' /C calc'!A0": [p + "1+1" for p in prefixes], "n": range(len(prefixes))},
                      index=pd.Index([f"{p}idx" for p in prefixes], name="@who"))
    rows = parse_csv(export.frame_to_csv(df))
    assert rows[0] == ["'@who", "'=cmd|' /C calc'!A0", "n"]
    assert [r[1] for r in rows[1:]] == ["'" + p + "1+1" for p in prefixes]
    assert [r[0] for r in rows[1:]] == ["'" + p + "idx" for p in prefixes]
    assert not unsafe_cells(rows)


def test_normal_text_and_numbers_are_unchanged():
    df = pd.DataFrame({"Publisher": ["Reuters", "연합뉴스", "新华社", "A-B"], "Net": [-2, 0, 3, -1]})
    rows = parse_csv(export.frame_to_csv(df))
    assert rows == [["Publisher", "Net"], ["Reuters", "-2"], ["연합뉴스", "0"], ["新华社", "3"], ["A-B", "-1"]]


def test_export_file_names_from_hostile_filters_are_plain_names():
    label = Filters(publishers=("../../etc/passwd", "C:\\x\\y.csv", H.PUB_IMG, H.PUB_CMD)).describe()
    name = export.export_filename("overview", "volume", label, "csv")
    # One plain file name: no directory part, no markup or shell characters.
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert not set(name) & set("<>|:\"'*?\t\r\n")
    assert name.endswith(".csv")


# -- HTML ----------------------------------------------------------------------------------------------

class Collector(HTMLParser):
    """Tags, attributes, text outside scripts and the scripts of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str]]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not (self._in and self._in[-1] == "style"):
            self.text.append(data)


def check_html(doc: str) -> Collector:
    """No markup from an article acts: no img/iframe/object/embed/form tag, no on* handler, no href/src
    to a javascript:/data:/vbscript: URL, no script holding an article's code; payloads appear only escaped."""
    c = Collector()
    c.feed(doc)
    tags = {t for t, _ in c.tags}
    assert not tags & {"img", "iframe", "object", "embed", "form", "base"}, tags
    for tag, attrs in c.tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name, value)
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data"):
                v = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not v.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)
    for script in c.scripts:
        assert script.strip() not in ("alert(2)", "alert(7)")
        for raw in ("<img", "<script", "<b>Wire"):  # figure JSON escapes '<' (\u003c): a raw tag here broke out
            assert raw not in script, raw
    for raw in (H.IMG, H.SCRIPT, "<b>Wire</b>", "data:text/html,<script>"):
        assert raw not in doc, raw
    return c


@pytest.fixture(scope="module")
def report(hostile_frames) -> str:
    return build_report(hostile_frames, Filters(), strict=True)


def test_the_report_escapes_every_hostile_string(report):
    c = check_html(report)
    text = "".join(c.text)
    # Shown literally, as text: the data tables under the charts carry titles, evidence and publishers.
    for literal in (H.IMG, H.HYPERLINK, H.SCRIPT, H.MD_LINK, H.ANON_NAME):
        assert literal in text, literal
    assert html.escape(H.IMG, quote=False) in report or html.escape(H.IMG) in report
    assert "javascript:alert" not in " ".join(v or "" for _, attrs in c.tags for _, v in attrs).lower()


def test_a_report_filtered_by_hostile_publishers_escapes_the_filter_words(hostile_frames):
    doc = build_report(hostile_frames, Filters(publishers=(H.PUB_CMD, H.PUB_IMG, H.PUB_SCRIPT)), strict=True)
    c = check_html(doc)
    text = "".join(c.text)
    assert H.PUB_IMG in text and H.PUB_SCRIPT in text and H.PUB_CMD in text


def test_the_standalone_chart_pages_escape_every_hostile_string(sections):
    hostile_names = {"latest-status-changes", "status-map", "status-timeline", "status-matrix",
                     "stances-by-stakeholder", "volume-month-count-publisher"}
    seen = set()
    for s in sections:
        if s.name in hostile_names:
            seen.add(s.name)
            check_html(export.figure_to_html(s.figure, title=f"{s.title} {H.IMG}", note=f"{s.note} {H.SCRIPT}"))
    assert seen == hostile_names
