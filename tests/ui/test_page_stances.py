"""The Stakeholder stances page under Streamlit's AppTest (opened through app.py, like a browser)."""
from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from chipwatch import stances_view as sv
from chipwatch.frames import Filters, apply_filters
from ui_support import open_via_app

PAGE = "pages/3_Stakeholder_stances.py"
TIMEOUT = 60
BARS, TIMELINE = 0, 1
QUOTE_COLUMNS = ["Stakeholder", "Affiliation", "Stance", "Confidence", "Quote", "Reported by", "Article",
                 "Publisher", "Date"]


def open_page(query: dict | None = None) -> AppTest:
    return open_via_app(PAGE, query, check=False, timeout=TIMEOUT)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _plain(value):
    """Plotly writes numeric arrays as {"dtype", "bdata"} (base64); give them back as lists."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def spec(at: AppTest, i: int) -> dict:
    return _plain(json.loads(at.get("plotly_chart")[i].proto.spec))


def bar_traces(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t.get("type") == "bar" and t.get("meta")]


def bar_rows(fig: dict) -> list[str]:
    return list(fig["layout"]["yaxis"]["categoryarray"])


def reported_sum(fig: dict) -> int:
    return sum(abs(x) for t in bar_traces(fig) if t["meta"]["reported"] for x in t["x"])


def quotes(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def select(at: AppTest, name: str) -> AppTest:
    at.session_state["stances_bars"] = {
        "selection": {"points": [{"y": name, "x": 3, "curve_number": 2, "point_number": 0, "point_index": 0}],
                      "point_indices": [0], "box": [], "lasso": []}}
    return at.run()


# -- the corpus -------------------------------------------------------------------------------

def test_page_draws_bars_timeline_and_quotes(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = ok(open_page())
    assert at.title[0].value == "Stakeholder stances"
    assert len(at.get("plotly_chart")) == 2
    bars = spec(at, BARS)
    xs = [x for t in bar_traces(bars) for x in t["x"] if t["xaxis"] == "x"]
    assert min(xs) < 0 < max(xs)  # against to the left, favor to the right
    assert reported_sum(bars) > 0
    rows = bar_rows(bars)
    assert "Donald Trump" in rows and "<b>United States</b>" in rows
    assert not any(r.startswith("anonymous:") or r in ("CHN", "USA") for r in rows)  # display names
    table = quotes(at)
    assert list(table.columns) == QUOTE_COLUMNS
    assert len(table) == len(corpus_frames.stances)
    assert table["Confidence"].between(0, 100).all()
    assert table["Reported by"].notna().sum() == corpus_frames.stances["reported_by"].notna().sum()
    assert spec(at, TIMELINE)["data"][0]["type"] == "scatter"


def test_controls_change_the_charted_data(corpus_db, use_db):
    use_db(corpus_db)
    at = ok(open_page())
    before = spec(at, BARS)
    assert "<b>White House</b>" not in bar_rows(before)

    at.segmented_control(key="stances_group_by").set_value("affiliation")
    ok(at.run())
    after = spec(at, BARS)
    assert "<b>White House</b>" in bar_rows(after)
    assert "White House" in spec(at, TIMELINE)["data"][0]["y"]

    at.toggle(key="stances_include_reported").set_value(False)
    ok(at.run())
    assert reported_sum(spec(at, BARS)) == 0
    assert quotes(at)["Reported by"].isna().all()

    months = set(spec(at, TIMELINE)["data"][0]["x"])
    at.segmented_control(key="stances_freq").set_value("D")
    ok(at.run())
    days = set(spec(at, TIMELINE)["data"][0]["x"])
    assert len(days) > len(months)

    n = len(bar_traces(spec(at, BARS))[0]["y"])
    at.slider(key="stances_top").set_value(10)
    ok(at.run())
    assert len(bar_traces(spec(at, BARS))[0]["y"]) == 10 < n


def test_a_bar_selection_narrows_the_quote_table(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = ok(open_page())
    everyone = len(quotes(at))
    ok(select(at, "Donald Trump"))
    table = quotes(at)
    assert set(table["Stakeholder"]) == {"Donald Trump"}
    assert len(table) == (corpus_frames.stances["holder"] == "Donald Trump").sum() < everyone
    assert any("Donald Trump" in c.value and "selected" in c.value for c in at.caption)
    # a display name (not an id) picks its holder: China is CHN
    ok(select(at, "China"))
    assert set(quotes(at)["Stakeholder"]) == {"China"}
    assert len(quotes(at)) == (corpus_frames.stances["holder"] == "CHN").sum()
    # a stale selection (a name no longer on the chart) shows everyone again
    ok(select(at, "Nobody At All"))
    assert len(quotes(at)) == everyone


def test_shared_country_filter_narrows(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    expected = apply_filters(corpus_frames, Filters(countries=("USA",))).stances
    assert 0 < len(expected) < len(corpus_frames.stances)
    at = ok(open_page({"country": "USA"}))
    assert len(quotes(at)) == len(expected)
    counts = sv.stance_counts(expected, "country", kb=corpus_frames.kb, top=30)
    assert [r for r in bar_rows(spec(at, BARS)) if not r.startswith("<b>")] == list(counts["name"])


def test_filters_with_no_stances_give_a_message(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    arts = corpus_frames.articles.dropna(subset=["published"])
    with_stances = set(corpus_frames.stances["article_id"])
    days_with = set(arts[arts["id"].isin(with_stances)]["published"].dt.date)
    quiet = sorted(d for d in arts[~arts["id"].isin(with_stances)]["published"].dt.date if d not in days_with)
    if not quiet:
        pytest.skip("every day of the corpus has stances")
    day = quiet[0].isoformat()
    at = ok(open_page({"from": day, "to": day}))
    assert any("No stakeholder stances" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe


# -- an empty store ---------------------------------------------------------------------------

def test_empty_store_says_so(empty_db, use_db):
    use_db(empty_db)
    at = ok(open_page())
    assert at.title[0].value == "Stakeholder stances"
    assert any("no articles" in i.value for i in at.info)
    assert not at.get("plotly_chart") and not at.dataframe
