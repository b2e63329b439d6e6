"""Export status: the pure transforms (chipwatch.status_timeline) and the figure builders
(chipwatch.charts.status), on small hand-made status frames and on the curated timeline."""
from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest

from chipwatch.charts import theme
from chipwatch.charts.status import (
    as_of_table, evidence_table, matrix_table, periods_table, report_sections, snippet, status_map,
    status_matrix_figure, status_timeline_figure,
)
from chipwatch.frames import Filters, load_frames
from chipwatch.status_timeline import (
    OPENNESS, architecture_members, chips_with_status, date_span, enrich_status, evidence_rows, status_as_of,
    status_matrix, status_periods,
)
from status_rows import articles, frame, row


def one(df: pd.DataFrame, dest: str = "CHN") -> pd.Series:
    sel = df[df["destination"] == dest]
    assert len(sel) == 1, df
    return sel.iloc[0]


# -- status_as_of ----------------------------------------------------------------------------------------

def test_as_of_picks_the_latest_status_on_or_before_the_date(kb):
    df = frame(row("2025-01-13", "H200", "banned"), row("2025-12-08", "H200", "conditional"),
               row("2026-01-28", "H200", "allowed"), row("2025-06-01", "H200", "license_required", dest="SGP"))
    assert one(status_as_of(df, "H200", "2025-12-07", "export", kb=kb))["status"] == "banned"
    got = status_as_of(df, "H200", date(2025, 12, 8), "export", kb=kb)  # the day itself counts
    assert one(got)["status"] == "conditional"
    assert one(got)["effective"] == pd.Timestamp("2025-12-08")
    assert one(got, "SGP")["status"] == "license_required"
    assert one(status_as_of(df, "H200", None, "export", kb=kb))["status"] == "allowed"
    assert status_as_of(df, "H200", "2024-12-31", "export", kb=kb).empty


def test_as_of_keeps_the_evidence_and_the_source(kb):
    arts = articles(a1="2025-12-09")
    df = enrich_status(frame(row("2025-12-08", "H200", "conditional", origin="article", article="a1",
                                 evidence="Trump said on Monday...")), arts)
    got = one(status_as_of(df, "H200", None, "export", kb=kb))
    assert got["evidence"] == "Trump said on Monday..."
    assert got["origin"] == "article" and got["article_id"] == "a1"
    assert got["title"] == "Title of a1" and got["url"] == "https://news.test/a1"
    assert got["country"] == "China"


def test_sides_are_separate(kb):
    df = frame(row("2025-12-08", "H200", "conditional"), row("2026-01-13", "H200", "banned", side="import"))
    assert one(status_as_of(df, "H200", None, "export", kb=kb))["status"] == "conditional"
    assert one(status_as_of(df, "H200", None, "import", kb=kb))["status"] == "banned"
    with pytest.raises(ValueError):
        status_as_of(df, "H200", None, "both", kb=kb)


def test_a_later_article_claim_overrides_an_earlier_curated_row(kb):
    df = frame(row("2025-12-08", "H200", "conditional"),
               row("2025-12-19", "H200", "pending", origin="article", article="a1"))
    got = one(status_as_of(df, "H200", None, "export", kb=kb))
    assert (got["status"], got["origin"]) == ("pending", "article")


def test_on_the_same_day_curated_wins_over_article_claims(kb):
    df = frame(row("2026-01-13", "H200", "conditional"),
               row("2026-01-13", "H200", "pending", origin="article", article="a1"),
               row("2026-01-13", "H200", "pending", origin="article", article="a2"))
    got = one(status_as_of(df, "H200", None, "export", kb=kb))
    assert (got["status"], got["origin"]) == ("conditional", "curated")
    assert (got["reports"], got["conflicting"]) == (1, 2)


def test_among_same_day_claims_the_majority_wins_and_a_tie_goes_to_the_more_restrictive(kb):
    majority = frame(row("2026-01-13", "H200", "pending", origin="article", article="a1"),
                     row("2026-01-13", "H200", "pending", origin="article", article="a2"),
                     row("2026-01-13", "H200", "banned", origin="article", article="a3"))
    assert one(status_as_of(majority, "H200", None, "export", kb=kb))["status"] == "pending"
    tie = frame(row("2026-01-13", "H200", "allowed", origin="article", article="a1"),
                row("2026-01-13", "H200", "banned", origin="article", article="a2"))
    assert one(status_as_of(tie, "H200", None, "export", kb=kb))["status"] == "banned"
    assert OPENNESS == tuple(theme.STATUS_ORDER)  # the tie-break order is the legend's order


def test_architecture_rows_apply_to_the_generations_chips(kb):
    members = architecture_members(kb)
    assert {"B200", "B300", "GB200", "GB300"} <= set(members["Blackwell"])
    assert "B30A" not in members["Blackwell"]  # a China variant gets its own decisions
    assert "RTX Pro 6000D" not in members["Blackwell"]  # not a datacenter part
    df = frame(row("2025-10-30", "Blackwell", "banned"), row("2025-08-19", "B30A", "pending"))
    for chip in ("B200", "GB300"):
        got = one(status_as_of(df, chip, None, "export", kb=kb))
        assert (got["status"], got["named_as"], got["chip"]) == ("banned", "Blackwell", chip)
    assert one(status_as_of(df, "B30A", None, "export", kb=kb))["status"] == "pending"
    generation = status_as_of(df, "Blackwell", None, "export", kb=kb)
    assert list(generation["status"]) == ["banned"]
    assert "B200" in chips_with_status(df, kb=kb) and "Blackwell" in chips_with_status(df, kb=kb)


def test_a_chip_specific_row_beats_its_generation_on_the_same_day(kb):
    df = frame(row("2025-11-19", "Blackwell", "banned", dest="ARE"),
               row("2025-11-19", "GB300", "conditional", dest="ARE"))
    assert one(status_as_of(df, "GB300", None, "export", kb=kb), "ARE")["status"] == "conditional"
    assert one(status_as_of(df, "B200", None, "export", kb=kb), "ARE")["status"] == "banned"


def test_undated_claims_only_fill_the_gap_before_the_first_dated_decision(kb):
    arts = articles(early="2025-07-01", late="2026-03-01")
    df = enrich_status(frame(
        row(None, "H20", "license_required", origin="article", article="early"),
        row("2025-08-08", "H20", "conditional"),
        row(None, "H20", "banned", origin="article", article="late")), arts)
    early = one(status_as_of(df, "H20", "2025-07-15", "export", kb=kb))
    assert (early["status"], early["date_basis"]) == ("license_required", "reported")
    assert one(status_as_of(df, "H20", "2026-06-01", "export", kb=kb))["status"] == "conditional"
    # Both undated claims stay in the evidence, dated rows first.
    ev = evidence_rows(df, "H20", None, "export", kb=kb)
    assert list(ev["status"]) == ["conditional", "banned", "license_required"]
    assert list(ev["counts"]) == [True, False, False]


def test_evidence_rows_mark_what_the_map_uses_and_narrow_to_countries(kb):
    df = frame(row("2026-01-13", "H200", "conditional"), row("2026-01-13", "H200", "conditional", dest="MAC"),
               row("2026-01-13", "H200", "pending", origin="article", article="a1"),
               row("2025-01-13", "H200", "banned"), row("2026-05-01", "H200", "allowed"))
    ev = evidence_rows(df, "H200", "2026-02-01", "export", kb=kb)
    assert len(ev) == 4  # the May row is after the date
    assert ev.iloc[0]["counts"] and ev.iloc[0]["origin"] == "curated"
    assert ev["counts"].sum() == 2  # CHN and MAC
    only = evidence_rows(df, "H200", "2026-02-01", "export", kb=kb, countries=["MAC"])
    assert list(only["destination"]) == ["MAC"]
    table = evidence_table(ev)
    assert {"Date", "Destination", "Status", "On the map", "Evidence", "Source link", "Article"} <= set(table.columns)
    assert table.iloc[0]["Status"] == "Allowed with conditions" and table.iloc[0]["Destination"] == "China (CHN)"


# -- status_periods --------------------------------------------------------------------------------------

def test_periods_end_at_the_next_change_and_the_last_runs_to_today(kb):
    df = frame(row("2025-01-13", "H200", "banned"), row("2025-06-01", "H200", "banned"),
               row("2025-12-08", "H200", "conditional"), row("2025-12-19", "H200", "pending"),
               row("2025-12-08", "H200", "pending", side="import"))
    p = status_periods(df, "H200", kb=kb, today="2026-11-30")
    exp = p[p["side"] == "export"]
    assert list(exp["status"]) == ["banned", "conditional", "pending"]
    assert list(exp["start"].dt.strftime("%Y-%m-%d")) == ["2025-01-13", "2025-12-08", "2025-12-19"]
    assert list(exp["end"].dt.strftime("%Y-%m-%d")) == ["2025-12-08", "2025-12-19", "2026-11-30"]
    assert list(exp["decisions"]) == [2, 1, 1]  # the June confirmation extends the banned span
    assert list(exp["ongoing"]) == [False, False, True]
    assert list(p[p["side"] == "import"]["end"].dt.strftime("%Y-%m-%d")) == ["2026-11-30"]
    assert list(status_periods(df, "H200", side="import", kb=kb, today="2026-11-30")["status"]) == ["pending"]


def test_periods_of_every_chip(kb):
    df = frame(row("2025-04-09", "H20", "license_required"), row("2025-10-30", "Blackwell", "banned"))
    p = status_periods(df, kb=kb, today="2026-01-01")
    assert {"H20", "B200", "GB300"} <= set(p["chip"])
    assert "Blackwell" not in set(p["chip"])  # represented by its chips


# -- status_matrix ---------------------------------------------------------------------------------------

def test_matrix_is_chips_by_destinations(kb):
    df = frame(row("2025-01-13", "H200", "license_required", dest="SGP"), row("2025-12-08", "H200", "conditional"),
               row("2025-04-09", "H20", "license_required"), row("2025-04-09", "H20", "license_required", dest="HKG"),
               row("2026-01-28", "H20", "allowed", side="import"), row("2027-01-01", "MI308", "banned"))
    m = status_matrix(df, "2026-01-31", "export", kb=kb)
    assert m.shape == (2, 3)
    assert list(m.index) == ["H20", "H200"]  # knowledge-base order
    assert list(m.columns) == ["CHN", "HKG", "SGP"]  # most decided first, then by name
    assert m.at["H200", "CHN"] == "conditional" and m.at["H20", "SGP"] is None
    given = status_matrix(df, "2026-01-31", "export", ["H200", "B200"], kb=kb)
    assert list(given.index) == ["H200", "B200"] and given.loc["B200"].isna().all()
    long = status_matrix(df, "2026-01-31", "export", kb=kb, long=True)
    assert len(long) == 4 and {"chip", "destination", "status", "effective", "evidence"} <= set(long.columns)
    csv = matrix_table(long)
    assert list(csv.columns) == ["Chip", "China (CHN)", "Hong Kong (HKG)", "Singapore (SGP)"]
    assert csv.iloc[1].tolist() == ["H200", "Allowed with conditions", "", "Licence required"]
    assert matrix_table(m).equals(csv)
    assert status_matrix(df.iloc[0:0], None, "export", kb=kb).empty


# -- figures -------------------------------------------------------------------------------------------

def empty_message(fig) -> str:
    assert not fig.data
    return fig.layout.annotations[0].text


def test_map_is_a_world_view_with_iso3_locations_and_status_legend(kb):
    df = frame(row("2025-12-08", "H200", "conditional"), row("2025-01-13", "H200", "license_required", dest="SGP"),
               row("2025-01-13", "H200", "license_required", dest="IND"))
    fig = status_map(status_as_of(df, "H200", None, "export", kb=kb), "export", "H200", "2026-01-31")
    assert fig.layout.geo.fitbounds is False
    choropleths = [t for t in fig.data if t.type == "choropleth"]
    locations = [loc for t in choropleths for loc in t.locations]
    assert sorted(locations) == ["CHN", "IND"] and all(re.fullmatch(r"[A-Z]{3}", x) for x in locations)
    dots = [t for t in fig.data if t.type == "scattergeo" and t.customdata is not None]
    assert [c[0] for t in dots for c in t.customdata] == ["SGP"]  # too small for the 1:110m map
    names = {t.name for t in fig.data if t.showlegend is not False}
    assert {"Allowed with conditions", "Licence required", "No decision recorded"} <= names
    assert all(c[0] == loc for t in choropleths for c, loc in zip(t.customdata, t.locations))
    assert "China" in json.dumps(fig.to_plotly_json()["data"][0]["customdata"])
    assert "H200" in fig.layout.title.text and "2026-01-31" in fig.layout.title.text
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY


def test_colours_come_from_the_theme(kb):
    df = frame(row("2025-12-08", "H200", "banned"))
    fig = status_map(status_as_of(df, "H200", None, "export", kb=kb), "export", "H200", None)
    assert fig.data[0].colorscale[0][1] == theme.STATUS_COLORS["banned"]


def test_matrix_and_timeline_figures(kb):
    df = frame(row("2025-12-08", "H200", "conditional"), row("2025-04-09", "H20", "license_required"),
               row("2026-01-13", "H200", "banned", side="import"))
    cells = status_matrix(df, None, "export", kb=kb, long=True)
    fig = status_matrix_figure(cells, highlight="H200", side="export", when="2026-01-31")
    heat = [t for t in fig.data if t.type == "heatmap"][0]
    assert list(heat.y) == ["H20", "H200"] and list(heat.x) == ["China"]
    labels = [t for t in fig.data if t.type == "scatter" and t.mode == "text"][0].text
    assert list(labels) == ["Licence", "Conditional"]
    assert {t.name for t in fig.data if t.type == "scatter" and t.mode == "markers"} == {
        "Allowed with conditions", "Licence required"}
    assert len(fig.layout.shapes) == 1  # the outlined H200 row
    assert status_matrix_figure(status_matrix(df, None, "export", kb=kb)).data  # the wide form works too

    periods = status_periods(df, "H200", kb=kb, today="2026-11-30")
    tl = status_timeline_figure(periods, when="2026-01-31", chip="H200")
    bars = [t for t in tl.data if t.type == "bar"]
    assert {t.name for t in bars} == {"Allowed with conditions", "Banned"}
    assert all(t.orientation == "h" for t in bars)
    markers = [t for t in tl.data if t.type == "scatter"]
    assert sum(len(t.x) for t in markers) == 2  # one diamond per decision
    assert tl.layout.xaxis.type == "date"
    assert set(tl.layout.yaxis.categoryarray) == {"China · export", "China · import"}


def test_empty_inputs_give_an_empty_figure_with_a_message(kb):
    empty = frame(row("2025-12-08", "H200", "conditional")).iloc[0:0]
    as_of = status_as_of(empty, "H200", None, "export", kb=kb)
    assert as_of.empty and "evidence" in as_of.columns
    assert "No export side status recorded for H200 on or before 2025-01-01" in empty_message(
        status_map(as_of, "export", "H200", "2025-01-01"))
    assert "No chip has a recorded status" in empty_message(status_matrix_figure(status_matrix(empty, None, "export",
                                                                                               kb=kb)))
    assert "No export or import decision" in empty_message(status_timeline_figure(status_periods(empty, kb=kb),
                                                                                  chip="H200"))
    assert status_map(None, "import", "H20", None).layout.annotations[0].text.startswith("No import side status")
    assert date_span(empty, kb=kb) == (None, None)
    for table in (as_of_table(as_of), periods_table(status_periods(empty, kb=kb)), evidence_table(None)):
        assert table.empty and len(table.columns) > 3


def test_hover_snippets_are_escaped_and_short():
    text = "<b>Bold</b> claim " + "word " * 80
    out = snippet(text, width=40, lines=3)
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert out.count("<br>") == 2 and out.endswith("…")
    cjk = "美国商务部工业与安全局当地时间13日发布最终规则" * 4
    assert snippet(cjk, width=20, lines=2).count("<br>") == 1
    assert snippet(None) == ""


# -- on the knowledge base's curated timeline -------------------------------------------------------------

@pytest.fixture(scope="module")
def curated_frames(tmp_path_factory):
    return load_frames(tmp_path_factory.mktemp("no-store") / "missing.db")  # no store: the curated timeline only


def test_curated_h200_story(curated_frames, kb):
    rows = enrich_status(curated_frames.status, curated_frames.articles)
    assert one(status_as_of(rows, "H200", "2025-12-10", "export", kb=kb))["status"] == "conditional"
    assert one(status_as_of(rows, "H200", "2025-12-20", "export", kb=kb))["status"] == "pending"
    assert one(status_as_of(rows, "H200", "2026-01-14", "import", kb=kb))["status"] == "banned"
    assert one(status_as_of(rows, "H200", "2026-02-01", "import", kb=kb))["status"] == "allowed"
    assert one(status_as_of(rows, "B200", "2025-12-31", "export", kb=kb))["named_as"] == "Blackwell"
    first, last = date_span(rows, kb=kb)
    assert first == date(2022, 8, 26) and last == date(2026, 1, 28)


def test_report_sections_have_worded_csv_columns(curated_frames):
    sections = report_sections(curated_frames)
    assert [s.name for s in sections] == ["status-map", "status-timeline", "status-matrix"]
    for s in sections:
        assert s.title and s.note and s.figure.data
        assert not s.data.empty
        assert all("_" not in c and c[0].isupper() for c in s.data.columns), list(s.data.columns)
    assert "China" in set(sections[0].data["Country"])
    assert sections[0].figure.layout.geo.fitbounds is False
    # The report's filters pick the chip, as on the page.
    h20 = report_sections(curated_frames, filters=Filters(chips=("H20",)))
    assert h20[0].figure.layout.title.text.startswith("H20:")
    # No status at all: empty figures with a message, not an exception.
    bare = curated_frames.replace(status=curated_frames.status.iloc[0:0])
    for section in report_sections(bare):
        assert not section.figure.data and section.figure.layout.annotations[0].text.startswith("No ")
        assert section.data.empty
