"""The Overview page (app.py) under AppTest: headline figures, the volume chart and its toggles,
the most-mentioned bars narrowing the article table, the latest status changes."""
from __future__ import annotations

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from chipwatch import overview_view as view
from chipwatch.frames import Filters, apply_filters
from ui_support import open_via_app

TIMEOUT = 60


def overview(query: dict | None = None) -> AppTest:
    return open_via_app(None, query, timeout=TIMEOUT)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def values(arr) -> list:
    """A plotly array from a figure spec: plain JSON lists, or typed arrays ({"dtype", "bdata"})."""
    if isinstance(arr, dict) and "bdata" in arr:
        import base64

        import numpy as np

        data = np.frombuffer(base64.b64decode(arr["bdata"]), dtype=np.dtype(arr["dtype"]))
        return data.reshape(arr["shape"]).tolist() if "shape" in arr and isinstance(arr["shape"], list) \
            else data.tolist()
    return list(arr or [])


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def article_ids(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["id"])


def select_points(at: AppTest, key: str, points: list[dict]) -> AppTest:
    """Simulate a plotly selection (streamlit-notes §1.8): the page reads the event dict-style."""
    at.session_state[key] = {"selection": {"points": points, "point_indices": [p.get("point_index", 0) for p in points],
                                           "box": [], "lasso": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def annotations(spec: dict) -> str:
    return " ".join(a.get("text", "") for a in spec.get("layout", {}).get("annotations", []))


# -- headline figures -------------------------------------------------------------------------------

def test_headline_figures_are_formatted_counts(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    h = view.headline(corpus_frames)
    m = metrics(at)
    assert list(m) == ["Articles", "Publishers", "Languages", "Date span", "Chips", "Countries", "Quotes"]
    assert m["Articles"] == f"{len(corpus_frames.articles):,}"
    assert m["Publishers"] == str(h.publishers) and m["Languages"] == str(h.languages)
    assert m["Quotes"] == f"{len(corpus_frames.quotes):,}"
    assert m["Chips"] == str(h.chips) and m["Countries"] == str(h.countries)
    assert m["Date span"] == h.span_length()
    span = next(x for x in at.metric if x.label == "Date span")
    assert span.delta == h.span_text(short=True)  # "Sep 2022 – May 2026" under the value


def test_headline_figures_follow_the_filters(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview({"language": ["zh"]})
    expected = apply_filters(corpus_frames, Filters(languages=("zh",)))
    m = metrics(at)
    assert m["Articles"] == str(len(expected.articles))
    assert m["Languages"] == "1"
    assert next(x for x in at.metric if x.label == "Articles").delta == f"of {len(corpus_frames.articles):,}"


# -- the volume chart -------------------------------------------------------------------------------

def test_volume_chart_counts_every_dated_article(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    specs = charts(at)
    assert len(specs) == 4  # volume + chips, companies, countries
    volume = specs[0]
    assert volume["layout"]["barmode"] == "stack"
    names = [t["name"] for t in volume["data"]]
    assert set(names) == {view.language_name(c) for c in corpus_frames.articles["language"].unique()}
    assert sum(sum(values(t["y"])) for t in volume["data"]) == corpus_frames.articles["published"].notna().sum()
    assert volume["layout"]["template"]["layout"]["font"]["family"]  # the project template, theme=None


def test_granularity_toggle_changes_the_periods(corpus_db, use_db):
    use_db(corpus_db)
    at = overview()
    assert at.segmented_control(key="ov_granularity").value == "month"
    months = len(values(charts(at)[0]["data"][0]["x"]))
    at.segmented_control(key="ov_granularity").set_value("week").run()
    weeks = len(values(charts(at)[0]["data"][0]["x"]))
    at.segmented_control(key="ov_granularity").set_value("day").run()
    days = len(values(charts(at)[0]["data"][0]["x"]))
    assert not at.exception
    assert months < weeks < days
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "Day"


def test_share_by_publisher_is_stacked_to_100_percent(corpus_db, use_db):
    use_db(corpus_db)
    at = overview()
    at.segmented_control(key="ov_measure").set_value("share").run()
    at.segmented_control(key="ov_breakdown").set_value("publisher").run()
    volume = charts(at)[0]
    assert volume["layout"]["yaxis"]["tickformat"] == ".0%"
    names = [t["name"] for t in volume["data"]]
    assert names[-1] == view.OTHER_PUBLISHERS and len(names) <= 8  # a readable legend
    totals: dict = {}
    for t in volume["data"]:
        for x, y in zip(values(t["x"]), values(t["y"])):
            if y is not None and y == y:
                totals[x] = totals.get(x, 0) + y
    assert totals and all(abs(v - 1) < 1e-9 for v in totals.values())
    assert any("Share" in s.value for s in at.subheader)


# -- most-mentioned bars and the article table under them -----------------------------------------

def test_bars_show_display_names_counted_by_distinct_articles(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    _, chips, companies, countries = charts(at)
    top = view.top_entities(corpus_frames.mentions, "country", corpus_frames.kb)
    labels = values(countries["data"][0]["y"])
    assert labels[:3] == list(top["label"][:3])
    assert "China" in labels and "CHN" not in labels
    assert values(countries["data"][0]["customdata"])[0] == "CHN"
    assert values(countries["data"][0]["x"])[:3] == list(top["articles"][:3])
    assert values(chips["data"][0]["y"])[0] == "H200"
    assert chips["data"][0]["orientation"] == "h"


def test_a_bar_selection_narrows_the_article_table(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    assert article_ids(at) == set(corpus_frames.articles["id"])
    select_points(at, "ov_top_chips_0", [{"y": "H200", "x": 28, "customdata": "H200", "curve_number": 0,
                                          "point_number": 0, "point_index": 0}])
    expected = set(corpus_frames.mentions.query("type == 'chip' and entity_id == 'H200'")["article_id"])
    assert article_ids(at) == expected
    assert 0 < len(expected) < len(corpus_frames.articles)
    assert any("mention H200" in c.value for c in at.caption)
    # the metrics and the charts are not narrowed by the selection, only the table
    assert metrics(at)["Articles"] == str(len(corpus_frames.articles))


def test_selections_in_two_charts_combine_and_labels_alone_are_enough(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    select_points(at, "ov_top_chips_0", [{"y": "H20", "x": 23, "point_index": 1}])
    select_points(at, "ov_top_countries_0", [{"y": "South Korea", "x": 7, "point_index": 5}])
    m = corpus_frames.mentions
    h20 = set(m.query("type == 'chip' and entity_id == 'H20'")["article_id"])
    kor = set(m.query("type == 'country' and entity_id == 'KOR'")["article_id"])
    assert article_ids(at) == h20 & kor
    assert any("H20 and South Korea" in c.value for c in at.caption)


def test_clear_chart_selection_restores_the_table(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    select_points(at, "ov_top_companies_0", [{"y": "AMD", "customdata": "AMD", "point_index": 1}])
    assert len(article_ids(at)) < len(corpus_frames.articles)
    at.button(key="ov_clear_selection").click().run()
    assert not at.exception
    assert article_ids(at) == set(corpus_frames.articles["id"])
    assert at.session_state["ov_selection_gen"] == 1  # the charts got new keys: their selections are gone


# -- latest status changes ------------------------------------------------------------------------

def test_latest_status_changes_newest_first_with_evidence_and_source_links(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    table = next(d for d in at.dataframe if d.key == "ov_status")
    df = table.value
    expected = view.latest_status_changes(corpus_frames.status, corpus_frames.kb, n=15)
    assert list(df["chip"]) == list(expected["chip"])
    dates = list(df["date"])
    assert dates == sorted(dates, reverse=True)
    assert df["evidence"].notna().all()
    assert df["source_url"].dropna().str.startswith("http").all()
    assert "CHN" not in set(df["destination"]) and "China" in set(df["destination"])
    config = json.loads(table.proto.columns)
    assert config["source_url"]["type_config"]["type"] == "link"
    assert config["date"]["label"] == "Date"  # words, not column names


def test_selecting_a_status_row_shows_its_evidence_as_text(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = overview()
    at.session_state["ov_status"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    first = view.latest_status_changes(corpus_frames.status, corpus_frames.kb, n=15).iloc[0]
    assert first["evidence"] in [t.value for t in at.text]


# -- edge cases ------------------------------------------------------------------------------------

def test_filters_that_match_nothing_give_messages_not_blank_charts(corpus_db, use_db):
    use_db(corpus_db)
    at = overview({"from": "2026-05-15", "to": "2026-05-15"})
    assert at.date_input(key="from").value == date(2026, 5, 15)
    assert any("No article matches the filters" in i.value for i in at.info)
    for spec in charts(at):
        assert not spec.get("data") and annotations(spec)
    assert metrics(at)["Articles"] == "0"
    assert len(at.dataframe[0].value) == 0


def test_an_empty_store_shows_the_notice_and_an_empty_table(empty_db, use_db):
    use_db(empty_db)
    at = overview()
    assert any("no articles yet" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 0
    assert not at.get("plotly_chart")
    at.run()
    assert not at.exception
