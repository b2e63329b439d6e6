"""chipwatch.report (the one-file HTML report) and `python -m chipwatch report`."""
from __future__ import annotations

import datetime as dt
import html
import importlib
import re
import sys
import types

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from chipwatch import export, report
from chipwatch.charts import ChartSection
from chipwatch.cli import main
from chipwatch.frames import Filters, apply_filters

HOSTILE = "<img src=x onerror=alert(1)>"
GENERATED = dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.timezone.utc)


def headings(page: str, level: int) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", page)]


def assert_offline(page: str) -> None:
    js = get_plotlyjs()
    assert page.count(js) == 1, "plotly.js must be inlined exactly once"
    rest = page.replace(js, "")  # plotly.js itself names CDN URLs as inert defaults
    assert "https://cdn" not in rest
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", rest, re.I), "a network reference"
    assert not re.search(r"""@import|url\(\s*["']?(?:https?:)?//""", rest, re.I)
    assert "<script src" not in rest and "<link" not in rest


def expected_sections(frames, filters: Filters) -> dict[str, list[ChartSection]]:
    filtered = apply_filters(frames, filters)
    out = {}
    for title, module in report.REPORT_PAGES:
        build = importlib.import_module(f"chipwatch.charts.{module}").report_sections
        out[title] = list(build(filtered, **({"filters": filters} if report._accepts(build, "filters") else {})))
    return out


@pytest.fixture(scope="module")
def full_report(corpus_frames) -> str:
    return report.build_report(corpus_frames, Filters(), generated_at=GENERATED, strict=True)


def test_the_report_holds_every_page_and_every_section_in_order(full_report, corpus_frames):
    sections = expected_sections(corpus_frames, Filters())
    assert headings(full_report, 2) == [title for title, _ in report.REPORT_PAGES]
    expected_titles = [s.title for title in sections for s in sections[title] if s.title]
    assert expected_titles, "the chart modules returned no sections"
    assert [t for t in headings(full_report, 3)] == expected_titles
    n_figures = sum(len(v) for v in sections.values())
    assert full_report.count("Plotly.newPlot(") == n_figures
    for secs in sections.values():
        for s in secs:
            if s.note:
                assert html.escape(s.note) in full_report


def test_the_report_header_says_what_and_when(full_report, corpus_frames):
    assert "<h1>Chipwatch report</h1>" in full_report
    assert "Generated 2026-11-30 09:15 UTC" in full_report
    assert "No filters: every article in the store." in full_report
    n = len(corpus_frames.articles)
    assert f"<li>{n:,} articles</li>" in full_report
    assert f"<li>{len(corpus_frames.quotes):,} quotes</li>" in full_report
    assert f"<li>{len(corpus_frames.claims):,} status claims</li>" in full_report


def test_the_report_is_self_contained(full_report):
    assert full_report.startswith("<!DOCTYPE html>")
    assert_offline(full_report)
    # The status map needs the world shapes: inlined once, after plotly.js, before the charts.
    geo = export.geo_assets_script(["world_110m"])
    assert geo and full_report.count(geo) == 1
    assert full_report.index(get_plotlyjs()) < full_report.index(geo) < full_report.index("Plotly.newPlot(")
    assert "@media print" in full_report


def test_the_report_applies_the_filters_and_says_them_in_words(corpus_frames):
    filters = Filters(chips=("H200", "H20"), countries=("CHN",), date_from=dt.date(2025, 6, 1), languages=("ko",))
    page = report.build_report(corpus_frames, filters, generated_at=GENERATED, strict=True)
    shown = len(apply_filters(corpus_frames, filters).articles)
    assert 0 < shown < len(corpus_frames.articles)
    assert f"<li>{shown:,} articles of {len(corpus_frames.articles):,}</li>" in page
    assert "<dt>Chips or architectures</dt><dd>H200, H20</dd>" in page
    assert "<dt>Countries</dt><dd>China (CHN)</dd>" in page
    assert "<dt>Published</dt><dd>on or after 2025-06-01</dd>" in page
    assert "<dt>Languages</dt><dd>Korean</dd>" in page
    sections = expected_sections(corpus_frames, filters)
    assert headings(page, 3) == [s.title for secs in sections.values() for s in secs if s.title]
    # already-filtered frames give the same report (filtering is idempotent)
    assert report.build_report(apply_filters(corpus_frames, filters), filters, generated_at=GENERATED,
                               strict=True).count("Plotly.newPlot(") == page.count("Plotly.newPlot(")


def test_a_filter_that_matches_nothing_still_gives_a_whole_report(corpus_frames):
    page = report.build_report(corpus_frames, Filters(chips=("No such chip",)), generated_at=GENERATED, strict=True)
    assert headings(page, 2) == [title for title, _ in report.REPORT_PAGES]
    assert f"<li>0 articles of {len(corpus_frames.articles):,}</li>" in page
    assert_offline(page)


def _hostile_section() -> ChartSection:
    fig = go.Figure(go.Bar(x=[HOSTILE, "</script><script>alert(2)</script>"], y=[1, 2], hovertext=[HOSTILE] * 2),
                    layout=dict(title=HOSTILE))
    data = pd.DataFrame({HOSTILE: [HOSTILE, "</table><script>alert(3)</script>", "a & b \"quoted\""],
                         "n": [1, 2, 3]})
    return ChartSection("hostile", HOSTILE, fig, data, note=HOSTILE)


@pytest.fixture
def hostile_overview(monkeypatch):
    """The Overview returns a hostile section; the other pages none (this test is about escaping only)."""
    for _, module in report.REPORT_PAGES:
        fake = types.ModuleType(f"chipwatch.charts.{module}")
        fake.report_sections = (lambda frames, **params: [_hostile_section()]) if module == "overview" \
            else (lambda frames, **params: [])
        monkeypatch.setitem(sys.modules, f"chipwatch.charts.{module}", fake)


def test_data_is_never_markup(hostile_overview, corpus_frames):
    filters = Filters(publishers=(HOSTILE,))
    page = report.build_report(corpus_frames, filters, title=HOSTILE, generated_at=GENERATED, strict=True)
    assert HOSTILE not in page
    assert "<img" not in page
    assert "alert(2)</script>" not in page and "<script>alert(3)" not in page
    assert page.count(html.escape(HOSTILE)) >= 5  # title, h1, h3, note, table header and cell, filter value
    assert f"<h3>{html.escape(HOSTILE)}</h3>" in page
    assert f"<dt>Publishers</dt><dd>{html.escape(HOSTILE)}</dd>" in page
    assert "&lt;/table&gt;&lt;script&gt;alert(3)&lt;/script&gt;" in page
    assert "a &amp; b &quot;quoted&quot;" in page


def test_tables_show_the_first_rows_only():
    df = pd.DataFrame({"published_date": pd.to_datetime(["2025-01-02"] * 25), "share": [0.1234] * 25,
                       "count": list(range(25)), "missing": [None] * 25})
    table = report.data_table(df)
    assert table.count("<tr>") == 1 + report.TABLE_ROWS
    assert "First 10 of 25 rows" in table
    assert "<th>Published date</th>" in table  # column names in words
    assert ">2025-01-02<" in table and ">0.12<" in table and ">—<" in table
    assert "No rows" in report.data_table(df.iloc[:0])
    assert report.data_table(None) == ""


def test_a_broken_page_gets_a_notice_unless_strict(monkeypatch, corpus_frames):
    fake = types.ModuleType("chipwatch.charts.stances")

    def broken(frames, **params):
        raise KeyError("holder")

    fake.report_sections = broken
    monkeypatch.setitem(sys.modules, "chipwatch.charts.stances", fake)
    problems: list[str] = []
    page = report.build_report(corpus_frames, Filters(), problems=problems)
    assert "could not be built (KeyError: &#x27;holder&#x27;)" in page
    assert headings(page, 2)[-1] == "Stakeholder stances"
    assert problems == ["Stakeholder stances: KeyError: 'holder'"]
    with pytest.raises(KeyError):
        report.build_report(corpus_frames, Filters(), strict=True)


# -- CLI ---------------------------------------------------------------------------------------------

def test_cli_report_writes_the_file_and_applies_the_chips(corpus_db, corpus_frames, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--db", str(corpus_db), "--chip", "H200", "--chip", "H20"]) == 0
    printed = capsys.readouterr().out.strip()
    size = out.stat().st_size
    assert printed == f"{out} {size:,} bytes"
    page = out.read_text(encoding="utf-8")
    shown = len(apply_filters(corpus_frames, Filters(chips=("H200", "H20"))).articles)
    assert f"<li>{shown:,} articles of {len(corpus_frames.articles):,}</li>" in page
    assert "<dd>H200, H20</dd>" in page
    assert_offline(page)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp file left behind
    assert out.stat().st_mode & 0o777 != 0o600


def test_cli_report_takes_every_filter(corpus_db, tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "--out", str(out), "--db", str(corpus_db), "--company", "Nvidia", "--country", "CHN",
                 "--from", "2025-01-01", "--to", "2026-12-31", "--language", "ko", "--language", "en",
                 "--publisher", "Reuters"]) == 0
    page = out.read_text(encoding="utf-8")
    for words in ("<dd>Nvidia</dd>", "<dd>China (CHN)</dd>", "<dd>2025-01-01 to 2026-12-31</dd>",
                  "<dd>Korean, English</dd>", "<dd>Reuters</dd>"):
        assert words in page


def test_cli_report_usage_errors(corpus_db, tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path / "r.html"), "--db", str(tmp_path / "missing.db")]) == 2
    assert main(["report", "--out", str(tmp_path / "no" / "r.html"), "--db", str(corpus_db)]) == 2
    assert main(["report", "--out", str(tmp_path / "r.html"), "--db", str(corpus_db), "--from", "2025-13-01"]) == 2
    assert main(["report", "--db", str(corpus_db)]) == 2  # --out is required
    assert not (tmp_path / "r.html").exists()
    assert "not a date" in capsys.readouterr().err


def test_cli_report_never_leaves_half_a_file(corpus_db, tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    out.write_text("the previous report", encoding="utf-8")

    def fail(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report, "build_report", fail)
    with pytest.raises(RuntimeError):
        main(["report", "--out", str(out), "--db", str(corpus_db)])
    assert out.read_text(encoding="utf-8") == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
