"""Overview transforms (chipwatch.overview_view) and figure builders (chipwatch.charts.overview): pure, no streamlit."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from chipwatch import overview_view as view
from chipwatch.charts import ChartSection
from chipwatch.charts import overview as charts
from chipwatch.frames import Filters, apply_filters, load_frames
from chipwatch.knowledge import load_knowledge
from chipwatch.models import Article
from chipwatch.store import Store


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def articles_df(rows) -> pd.DataFrame:
    """rows: (id, published or None, language, publisher)."""
    df = pd.DataFrame(rows, columns=["id", "published", "language", "publisher"])
    df["published"] = pd.to_datetime(df["published"])
    df["title"] = df["id"]
    df["body"] = ""
    df["flags"] = "[]"
    return df


SMALL = articles_df([
    ("a", "2025-01-01", "en", "Reuters"),     # Wednesday
    ("b", "2025-01-02", "ko", "Yonhap"),      # Thursday, same week as a
    ("c", "2025-01-06", "ko", "Yonhap"),      # Monday of the next week
    ("d", "2025-02-15", "zh", "Xinhua"),
    ("e", None, "en", "Reuters"),             # undated: never charted
])


def mentions_df(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "type", "entity_id"]).assign(
        surface="x", field="body", start=0, end=1)


def figure_text(fig: go.Figure) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


# -- volume ----------------------------------------------------------------------------------------

def test_month_volume_counts_every_dated_article_once():
    vol = view.volume(SMALL, "month")
    assert list(vol.columns) == view.VOLUME_COLUMNS
    assert list(vol["period"]) == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-02-01")]
    assert list(vol["articles"]) == [3, 1]
    assert vol["articles"].sum() == 4  # the undated article is left out


def test_week_volume_starts_on_monday_and_keeps_empty_weeks():
    vol = view.volume(SMALL, "week")
    periods = list(vol["period"])
    assert periods[0] == pd.Timestamp("2024-12-30")  # the Monday of the week holding 2025-01-01
    assert all(p.weekday() == 0 for p in periods)
    assert periods == list(pd.date_range("2024-12-30", "2025-02-10", freq="7D"))
    counts = dict(zip(vol["period"], vol["articles"]))
    assert counts[pd.Timestamp("2024-12-30")] == 2
    assert counts[pd.Timestamp("2025-01-06")] == 1
    assert counts[pd.Timestamp("2025-01-13")] == 0  # a gap stays a gap
    assert counts[pd.Timestamp("2025-02-10")] == 1


def test_day_volume_covers_every_day_between_first_and_last():
    vol = view.volume(SMALL, "day")
    assert len(vol) == (pd.Timestamp("2025-02-15") - pd.Timestamp("2025-01-01")).days + 1
    assert vol["articles"].sum() == 4
    assert vol.loc[vol["period"] == pd.Timestamp("2025-01-06"), "articles"].item() == 1


def test_volume_rejects_an_unknown_granularity():
    with pytest.raises(ValueError):
        view.volume(SMALL, "fortnight")


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
@pytest.mark.parametrize("breakdown", ["language", "publisher"])
def test_share_sums_to_one_in_every_period_with_articles(granularity, breakdown):
    vol = view.volume(SMALL, granularity, breakdown)
    per_period = vol.groupby("period").agg(total=("articles", "sum"), share=("share", "sum"))
    with_articles = per_period[per_period["total"] > 0]
    assert not with_articles.empty
    assert with_articles["share"].round(9).eq(1.0).all()
    empty_periods = vol[vol["period_total"] == 0]
    assert empty_periods["share"].isna().all()  # no share for a period without articles


def test_breakdown_by_language_uses_names_and_orders_largest_first():
    vol = view.volume(SMALL, "month", "language")
    assert list(dict.fromkeys(vol["group"])) == ["Korean", "Chinese", "English"]  # ties by name
    jan = vol[vol["period"] == pd.Timestamp("2025-01-01")].set_index("group")
    assert jan.loc["Korean", "articles"] == 2 and jan.loc["English", "articles"] == 1
    assert jan.loc["Korean", "share"] == pytest.approx(2 / 3)


def test_breakdown_by_publisher_folds_small_publishers():
    rows = [(f"p{i}", "2025-03-01", "en", f"Pub {i}") for i in range(10)] + [("big", "2025-03-02", "en", "Pub 0")]
    vol = view.volume(articles_df(rows), "month", "publisher", max_groups=3)
    groups = list(dict.fromkeys(vol["group"]))
    assert groups[0] == "Pub 0"
    assert groups[-1] == view.OTHER_PUBLISHERS and len(groups) == 4
    assert vol["articles"].sum() == 11


def test_volume_of_nothing_is_empty():
    assert view.volume(SMALL.iloc[0:0], "month").empty
    assert view.volume(SMALL[SMALL["published"].isna()], "week").empty


# -- top entities ----------------------------------------------------------------------------------

MENTIONS = mentions_df([
    ("a", "country", "CHN"), ("a", "country", "CHN"), ("a", "country", "CHN"),  # one article, three mentions
    ("b", "country", "CHN"), ("b", "country", "USA"), ("c", "country", "KOR"), ("d", "country", "USA"),
    ("a", "chip", "H200"), ("b", "chip", "H200"), ("c", "chip", "H20"), ("a", "company", "Nvidia"),
])


def test_top_entities_count_distinct_articles_with_display_names(kb):
    top = view.top_entities(MENTIONS, "country", kb)
    assert list(top.columns) == view.TOP_COLUMNS
    assert list(top["entity_id"]) == ["CHN", "USA", "KOR"]
    assert list(top["label"]) == ["China", "United States", "South Korea"]  # not "CHN"
    assert list(top["articles"]) == [2, 2, 1]  # a's three CHN mentions count once
    assert list(view.top_entities(MENTIONS, "country", kb, n=1)["label"]) == ["China"]


def test_top_entities_ties_are_alphabetical_and_other_types_are_ignored(kb):
    top = view.top_entities(MENTIONS, "chip", kb)
    assert list(top["label"]) == ["H200", "H20"]
    assert view.top_entities(MENTIONS, "person", kb).empty
    assert view.top_entities(MENTIONS.iloc[0:0], "chip", kb).empty


def test_articles_mentioning_combines_types_with_and():
    assert view.articles_mentioning(MENTIONS, {}) is None
    assert view.articles_mentioning(MENTIONS, {"chip": []}) is None
    assert view.articles_mentioning(MENTIONS, {"chip": ["H200"]}) == {"a", "b"}
    assert view.articles_mentioning(MENTIONS, {"chip": ["H200", "H20"]}) == {"a", "b", "c"}
    assert view.articles_mentioning(MENTIONS, {"chip": ["H200"], "country": ["USA"]}) == {"b"}
    assert view.articles_mentioning(MENTIONS, {"chip": ["H20"], "country": ["USA"]}) == set()


# -- headline figures -------------------------------------------------------------------------------

def test_headline_and_number_formatting(kb):
    frames = _frames_of(SMALL, MENTIONS, kb, quotes=1234)
    h = view.headline(frames)
    assert (h.articles, h.publishers, h.languages, h.undated) == (5, 3, 3, 1)
    assert (h.chips, h.countries, h.quotes) == (2, 3, 1234)
    assert h.span_text() == "2025-01-01 – 2025-02-15"
    assert h.span_text(short=True) == "Jan 2025 – Feb 2025"
    assert h.span_length() == "46 days"
    assert "1 article without a date" in h.span_help()
    assert view.format_count(1234567) == "1,234,567"
    assert view.format_count(None) == "—"


def test_compact_counts_fit_a_narrow_card():
    """The Overview's cards hold about five characters: '23,018' was cut to '23,…' at 100k articles."""
    cases = {0: "0", 85: "85", 9_999: "9,999", 10_000: "10.0k", 23_018: "23.0k", 93_799: "93.8k",
             100_000: "100k", 423_336: "423k", 1_234_567: "1.2M", None: "—"}
    for n, text in cases.items():
        assert view.compact_count(n) == text
        assert len(view.compact_count(n)) <= 5


# -- latest status changes -----------------------------------------------------------------------

def status_df(rows) -> pd.DataFrame:
    cols = ["origin", "date", "chip", "side", "actor", "destination", "status", "evidence", "source", "article_id"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    df["event_id"] = None
    df["uncertain"] = False
    return df


def test_latest_status_changes_are_newest_first_and_only_changes(kb):
    status = status_df([
        ("curated", "2025-04-15", "H20", "export", "USA", "CHN", "license_required", "licence needed",
         "https://example.org/a", None),
        ("article", "2025-04-15", "H20", "export", "USA", "CHN", "banned", "an article disagrees", "Title A", "x1"),
        ("article", "2025-05-01", "H20", "export", "USA", "CHN", "license_required", "same again", "Title B", "x2"),
        ("curated", "2025-07-14", "H20", "export", "USA", "CHN", "allowed", "resumed", "https://example.org/b", None),
        ("article", "2025-08-12", "H20", "import", "CHN", "CHN", "discouraged", "Beijing nudges", "Title C", "x3"),
        ("article", None, "H20", "import", "CHN", "CHN", "banned", "undated", "Title D", "x4"),
    ])
    out = view.latest_status_changes(status, kb)
    assert list(out.columns) == view.STATUS_CHANGE_COLUMNS
    assert list(out["date"]) == [pd.Timestamp("2025-08-12"), pd.Timestamp("2025-07-14"), pd.Timestamp("2025-04-15")]
    first = out.iloc[0]
    assert (first["chip"], first["side"], first["actor"], first["destination"]) == ("H20", "Import", "China", "China")
    assert first["status"] == "Discouraged" and first["previous"] == ""
    assert first["change"] == "Discouraged (first report)"
    assert first["origin"] == "Article" and first["article"] == "Title C" and pd.isna(first["source_url"])
    resumed = out.iloc[1]
    assert resumed["previous"] == "Licence required" and resumed["status"] == "Allowed"
    assert resumed["route"] == "United States → China"
    assert resumed["source_url"] == "https://example.org/b" and pd.isna(resumed["article"])
    # the curated row wins its day over the disagreeing article, and the unchanged 05-01 report is no change
    oldest = out.iloc[2]
    assert oldest["status"] == "Licence required" and oldest["origin"] == "Curated timeline"
    assert oldest["reports"] == 1
    assert list(view.latest_status_changes(status, kb, n=1)["date"]) == [pd.Timestamp("2025-08-12")]


def test_latest_status_changes_of_nothing(kb):
    assert view.latest_status_changes(status_df([]), kb).empty


# -- Articles page helpers -----------------------------------------------------------------------

def test_search_is_case_insensitive_over_title_body_and_publisher():
    arts = pd.DataFrame({"id": ["1", "2", "3"], "title": ["H200 exports", "Customs", "Other"],
                         "body": ["Nvidia said", "China CUSTOMS blocked the H200", "nothing"],
                         "publisher": ["Reuters", "Yonhap", "Reuters"]})
    assert list(view.search_articles(arts, "h200")["id"]) == ["1", "2"]
    assert list(view.search_articles(arts, "customs H200")["id"]) == ["2"]  # every word
    assert list(view.search_articles(arts, "reuters")["id"]) == ["1", "3"]  # publisher
    assert list(view.search_articles(arts, '"blocked the"')["id"]) == ["2"]  # a phrase
    assert list(view.search_articles(arts, '"the blocked"')["id"]) == []
    assert len(view.search_articles(arts, "   ")) == 3


def test_flags_in_words():
    assert "No publication date" in view.flag_text("date_missing")
    assert "07-14" in view.flag_text("date_year_unknown:07-14")
    assert "cp949" in view.flag_text("encoding_replaced:cp949")
    assert view.parse_flags('["date_missing", "date_year_unknown:07-14"]') == ["date_missing",
                                                                               "date_year_unknown:07-14"]
    assert view.flags_short('["date_missing", "date_year_unknown:07-14"]') == "no date; year unknown"
    assert view.flags_short("[]") == ""


def test_display_names(kb):
    assert view.display_name("CHN", kb) == "China"
    assert view.display_name("anonymous:Reuters", kb) == "Anonymous source (Reuters)"
    assert view.display_name("H200", kb) == "H200"


# -- figure builders ------------------------------------------------------------------------------

def test_volume_figure_counts_are_stacked_bars_per_group():
    vol = view.volume(SMALL, "month", "language")
    fig = charts.volume_figure(vol, "month", "count", "language")
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == ["Korean", "Chinese", "English"]
    assert all(t.type == "bar" for t in fig.data)
    assert sum(sum(t.y) for t in fig.data) == 4
    assert fig.layout.yaxis.title.text == "Articles"
    assert fig.layout.template.layout.font.family  # the project template


def test_volume_figure_share_is_a_percent_axis_adding_up_to_one():
    vol = view.volume(SMALL, "week", "publisher")
    fig = charts.volume_figure(vol, "week", "share", "publisher")
    assert fig.layout.yaxis.tickformat == ".0%"
    totals: dict = {}
    for t in fig.data:
        for x, y in zip(t.x, t.y):
            if y == y:  # not NaN
                totals[x] = totals.get(x, 0) + y
    assert totals and all(v == pytest.approx(1.0) for v in totals.values())


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
def test_volume_figure_has_one_bar_per_period(granularity):
    vol = view.volume(SMALL, granularity, "language")
    fig = charts.volume_figure(vol, granularity, "count", "language")
    assert len(fig.data[0].x) == vol["period"].nunique()


def test_empty_data_gives_an_empty_figure_with_a_message():
    fig = charts.volume_figure(view.volume(SMALL.iloc[0:0], "month"), "month", "count", "language")
    assert not fig.data and "No dated articles" in figure_text(fig)
    fig = charts.top_entities_figure(view.top_entities(MENTIONS.iloc[0:0], "chip"), "chips")
    assert not fig.data and "No chips" in figure_text(fig)
    fig = charts.status_changes_figure(pd.DataFrame(columns=view.STATUS_CHANGE_COLUMNS))
    assert not fig.data and figure_text(fig)


def test_top_entities_figure_is_horizontal_with_names_and_ids(kb):
    top = view.top_entities(MENTIONS, "country", kb)
    fig = charts.top_entities_figure(top, "countries")
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["China", "United States", "South Korea"]
    assert list(bar.customdata) == ["CHN", "USA", "KOR"]
    assert list(bar.x) == [2, 2, 1]
    assert fig.layout.yaxis.autorange == "reversed"  # the most mentioned on top


# -- report sections --------------------------------------------------------------------------------

def _frames_of(articles, mentions, kb, quotes=0):
    from chipwatch.frames import Frames

    q = pd.DataFrame({"article_id": ["a"] * quotes})
    empty_status = status_df([])
    return Frames(articles=articles, mentions=mentions, quotes=q, stances=pd.DataFrame(), claims=pd.DataFrame(),
                  status=empty_status, chips=pd.DataFrame(), kb=kb)


@pytest.fixture(scope="module")
def small_store_frames(tmp_path_factory, kb):
    db = tmp_path_factory.mktemp("overview") / "store.db"
    items = []
    for i, (title, body, published, lang) in enumerate([
        ("Trump allows H200 sales to China", "President Donald Trump said Nvidia may sell H200 chips to China.",
         "2025-12-08", "en"),
        ("China customs block H200", "Chinese customs told agents the Nvidia H200 is not permitted.", "2026-01-14",
         "en"),
        ("Undated note on AMD", "AMD said its MI308 sales to China need a licence.", None, "en"),
    ]):
        items.append(Article(id=f"t{i}", source=f"test#{i}", title=title, body=body, published=published,
                             publisher="Reuters", language=lang,
                             content_hash=hashlib.sha256((title + body).encode()).hexdigest()))
    with Store(db, kb) as store:
        store.ingest_file("test", items=items)
    return load_frames(db, kb)


def test_report_sections_build_every_overview_chart(small_store_frames):
    sections = charts.report_sections(small_store_frames)
    assert [s.name for s in sections] == ["volume-month-count-language", "top-chips", "top-companies",
                                          "top-countries", "latest-status-changes"]
    for s in sections:
        assert isinstance(s, ChartSection) and isinstance(s.figure, go.Figure)
        assert s.title and s.note and isinstance(s.data, pd.DataFrame)
        json.dumps(s.figure.to_plotly_json(), default=str)  # serialisable for export and report
    top_chips = sections[1].data
    assert top_chips.iloc[0]["id"] == "H200" and top_chips.iloc[0]["articles"] == 2
    assert "1 article without a date is not charted" in sections[0].note
    countries = sections[3].figure.data[0]
    assert "China" in list(countries.y) and "CHN" not in list(countries.y)


def test_report_sections_take_the_page_parameters(small_store_frames):
    sections = charts.report_sections(small_store_frames, granularity="week", measure="share",
                                      breakdown="publisher", filters=Filters(chips=("H200",)))
    assert sections[0].name == "volume-week-share-publisher"
    assert sections[0].figure.layout.yaxis.tickformat == ".0%"


def test_report_sections_on_frames_with_no_article(small_store_frames):
    nothing = apply_filters(small_store_frames, Filters(chips=("B200",)))
    assert nothing.articles.empty
    sections = charts.report_sections(nothing)
    for s in sections[:4]:
        assert not s.figure.data and figure_text(s.figure)  # a message, never a blank chart


def test_report_sections_on_the_corpus(corpus_frames):
    sections = charts.report_sections(corpus_frames)
    assert all(s.figure.data for s in sections)
    vol = sections[0].data
    assert vol["articles"].sum() == corpus_frames.articles["published"].notna().sum()
    countries = list(sections[3].figure.data[0].y)
    assert countries[0] == "China"
