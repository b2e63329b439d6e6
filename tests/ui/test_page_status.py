"""The Export status page under Streamlit's AppTest, on the bundled corpus and on an empty store.

Checks: the shared frame on every run; the chip / side / "as of" widgets change the charted data;
a (simulated) click on the map narrows the evidence table; the deep link ?chip=H200&country=CHN;
empty states (an empty store still shows the curated timeline; a chip with no status; filters
that match nothing) say so instead of raising or drawing a blank chart.
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone

from streamlit.testing.v1 import AppTest

from chipwatch.frames import Filters, apply_filters
from chipwatch.status_timeline import date_span, enrich_status
from ui_support import open_via_app

PAGE = "pages/2_Export_status.py"
TIMEOUT = 60
CHIP, SIDE, WHEN, MAP = "status_chip", "status_side", "status_asof", "status_map"


def open_status(query: dict | None = None) -> AppTest:
    return open_via_app(PAGE, query, check=False, timeout=TIMEOUT)


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert [m.key for m in at.sidebar.multiselect] == ["company", "chip", "country", "language", "publisher"]
    assert at.title[0].value == "Export status"


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def chart(at: AppTest, kind: str) -> dict | None:
    """The map (a geo layout), the timeline (bars) or the matrix (a heatmap); None when not drawn."""
    for spec in specs(at):
        types = {t["type"] for t in spec["data"]}
        if (kind == "map" and "geo" in spec["layout"] and types & {"choropleth", "scattergeo"}) or \
                (kind == "timeline" and "bar" in types) or (kind == "matrix" and "heatmap" in types):
            return spec
    return None


def map_statuses(spec: dict) -> dict[str, str]:
    """ISO-3 -> status label on the map."""
    out = {}
    for trace in spec["data"]:
        for point in trace.get("customdata") or []:
            out[point[0]] = point[2]
    return out


def evidence(at: AppTest):
    frames = [d.value for d in at.dataframe if "Evidence" in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def plain(text: str) -> str:
    """Text as shown (the page escapes Markdown in data-derived messages)."""
    return re.sub(r"\\(.)", r"\1", text)


def infos(at: AppTest) -> str:
    return " | ".join(plain(i.value) for i in at.info)


# -- the corpus ------------------------------------------------------------------------------------

def test_defaults_on_the_corpus(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_status()
    ok(at)
    assert at.selectbox(key=CHIP).value == "H200"
    assert at.radio(key=SIDE).value == "export"
    first, last = date_span(enrich_status(corpus_frames.status, corpus_frames.articles))
    slider = at.slider(key=WHEN)
    assert slider.value == last  # latest by default
    day = lambda micros: datetime.fromtimestamp(micros / 1e6, tz=timezone.utc).date()  # noqa: E731
    assert (day(slider.min), day(slider.max)) == (first, last)  # the span of the status data
    the_map = chart(at, "map")
    assert the_map["layout"]["geo"]["fitbounds"] is False
    assert map_statuses(the_map)["CHN"] == "Allowed with conditions"
    assert "H200" in the_map["layout"]["title"]["text"]
    assert chart(at, "timeline") and chart(at, "matrix")
    table = evidence(at)
    assert len(table) > 5
    assert {"Date", "Destination", "Status", "On the map", "Evidence", "Source link", "Article"} <= set(table.columns)
    assert not any("_" in c for c in table.columns)  # words, not column names
    assert table["On the map"].any()
    at.run()  # the frame and the page stay on later runs
    ok(at)
    assert chart(at, "map") == the_map


def test_the_chip_widget_changes_the_charted_data(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status()
    before = {k: chart(at, k) for k in ("map", "timeline", "matrix")}
    at.selectbox(key=CHIP).set_value("H20").run()
    ok(at)
    after = {k: chart(at, k) for k in ("map", "timeline", "matrix")}
    assert after["map"] != before["map"] and after["timeline"] != before["timeline"]
    assert "H20:" in after["map"]["layout"]["title"]["text"]
    assert map_statuses(after["map"])["CHN"] == "Allowed with conditions"  # the 15% deal, Aug 2025
    assert set(evidence(at)["Chip"]) == {"H20"}


def test_the_side_widget_changes_the_charted_data(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status()
    export_map = chart(at, "map")
    at.radio(key=SIDE).set_value("import").run()
    ok(at)
    import_map = chart(at, "map")
    assert import_map != export_map
    assert map_statuses(import_map) == {"CHN": "Allowed"}  # Beijing's first batch, 2026-01-28
    assert set(evidence(at)["Side"]) == {"Import side"}


def test_the_date_slider_changes_the_charted_data(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status()
    latest = chart(at, "map")
    at.slider(key=WHEN).set_value(date(2025, 6, 1)).run()
    ok(at)
    earlier = chart(at, "map")
    assert earlier != latest
    assert map_statuses(earlier)["CHN"] == "Banned"  # AI Diffusion Rule, Jan 2025
    assert "2025-06-01" in earlier["layout"]["title"]["text"]
    dated = evidence(at)["Date"].dropna()
    assert (dated <= "2025-06-01").all()


def test_a_chip_with_no_status_yet_says_so(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status()
    at.slider(key=WHEN).set_value(date(2023, 1, 1)).run()
    ok(at)
    assert chart(at, "map") is None  # no blank map
    assert "No export side decision on H200 is recorded on or before 2023-01-01" in infos(at)
    assert chart(at, "timeline")  # the timeline still shows what came later


def test_clicking_a_country_narrows_the_evidence(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status()
    everything = evidence(at)
    assert len(set(everything["Destination"])) > 1
    at.session_state[MAP] = {"selection": {"points": [{"location": "CHN"}], "point_indices": [0], "box": [],
                                           "lasso": []}}
    at.run()
    ok(at)
    narrowed = evidence(at)
    assert set(narrowed["Destination"]) == {"China (CHN)"}
    assert len(narrowed) == (everything["Destination"] == "China (CHN)").sum()
    assert any("China (CHN)" in plain(c.value) for c in at.caption)
    # A small territory drawn as a dot reports its code in customdata.
    at.session_state[MAP] = {"selection": {"points": [{"customdata": ["MAC", "Macau"]}], "point_indices": [0],
                                           "box": [], "lasso": []}}
    at.run()
    assert set(evidence(at)["Destination"]) == {"Macau (MAC)"}


def test_deep_link_chip_and_country(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_status({"chip": ["H200"], "country": ["CHN"]})
    ok(at)
    assert at.multiselect(key="chip").value == ["H200"]
    assert at.multiselect(key="country").value == ["CHN"]
    assert at.selectbox(key=CHIP).value == "H200"
    assert set(map_statuses(chart(at, "map"))) == {"CHN"}
    table = evidence(at)
    assert set(table["Destination"]) == {"China (CHN)"}
    # Article claims come only from articles that pass the filters.
    allowed = set(apply_filters(corpus_frames, Filters(chips=("H200",), countries=("CHN",))).articles["title"])
    assert set(table["Article"].dropna()) <= allowed


def test_a_chip_filter_keeps_its_generations_decisions(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status({"chip": ["B200"]})
    ok(at)
    assert at.selectbox(key=CHIP).value == "B200"
    assert map_statuses(chart(at, "map"))["CHN"] == "Banned"  # "Blackwell stays banned"
    assert any(c.startswith("Blackwell") for c in evidence(at)["Chip"])


def test_filters_that_match_nothing_say_so(corpus_db, use_db):
    use_db(corpus_db)
    at = open_status({"from": "2026-06-01"})
    ok(at)
    assert not at.get("plotly_chart")
    assert "No export or import decision matches the filters" in infos(at)


# -- an empty store ------------------------------------------------------------------------------

def test_an_empty_store_still_shows_the_curated_timeline(empty_db, use_db):
    use_db(empty_db)
    at = open_status()
    ok(at)
    assert "no articles yet" in infos(at)
    assert at.selectbox(key=CHIP).value == "H200"
    assert map_statuses(chart(at, "map"))["CHN"] == "Allowed with conditions"
    assert chart(at, "timeline") and chart(at, "matrix")
    table = evidence(at)
    assert set(table["Origin"]) <= {"Curated timeline", "Curated timeline (uncertain)"}
    assert table["Source link"].str.startswith("https://").all()
    at.selectbox(key=CHIP).set_value("RTX Pro 6000D").run()  # import-side decisions only
    ok(at)
    assert "No export side decision on RTX Pro 6000D" in infos(at)
    at.radio(key=SIDE).set_value("import").run()
    assert map_statuses(chart(at, "map")) == {"CHN": "Banned"}
