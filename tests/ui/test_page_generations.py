"""The Chip generations page under Streamlit's AppTest, on the bundled corpus and on an empty store."""
from __future__ import annotations

import json
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from chipwatch.charts import generations as gen
from chipwatch.frames import Filters, apply_filters, chips_frame
from chipwatch.knowledge import load_knowledge
from ui_support import open_via_app

PAGE = "pages/1_Chip_generations.py"
TIMEOUT = 60


def open_page(query: dict | None = None) -> AppTest:
    return open_via_app(PAGE, query, timeout=TIMEOUT)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def role_traces(spec: dict, role: str) -> list[dict]:
    return [t for t in spec["data"] if (t.get("meta") or {}).get("role") == role]


def charted_chips(spec: dict) -> set[str]:
    return {cd[0] for t in role_traces(spec, "chips") for cd in t["customdata"]}


def plain(text: str) -> str:
    """Markdown-escaped text (chipwatch_ui.text.escape_markdown) as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", text)


def captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption]


def infos(at: AppTest) -> list[str]:
    return [plain(i.value) for i in at.info]


def vendor_pills(at: AppTest):
    return next(p for p in at.get("button_group") if p.label == "Vendors")


def table_ids(at: AppTest) -> set[str]:
    return set(at.dataframe[0].value["id"])


def select_points(at: AppTest, chips: list[str]) -> AppTest:
    """Simulate a selection on the scatter (what Streamlit stores for an on_select="rerun" chart)."""
    spec = specs(at)[0]
    points, indices = [], []
    for curve, trace in enumerate(spec["data"]):
        for i, cd in enumerate(trace.get("customdata") or []):
            if (trace.get("meta") or {}).get("role") == "chips" and cd[0] in chips:
                points.append({"curve_number": curve, "point_number": i, "point_index": i, "customdata": cd,
                               "x": trace["x"][i], "y": trace["y"][i]})
                indices.append(i)
    assert len(points) == len(chips)
    at.session_state["gen_tpp"] = {"selection": {"points": points, "point_indices": indices, "box": [],
                                                 "lasso": []}}
    return at.run()


# -- the corpus ---------------------------------------------------------------------------------------------

def test_the_page_draws_its_three_charts(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page()
    assert at.title[0].value == "Chip generations"
    scatter, timeline, mentions = specs(at)
    assert scatter["layout"]["yaxis"]["type"] == "log"
    assert {"H20", "H100", "H200"} <= charted_chips(scatter)
    assert {t["meta"]["id"] for t in role_traces(timeline, "architecture")} >= {"Ampere", "Hopper", "Blackwell"}
    assert role_traces(mentions, "generation")
    # every plotly chart uses the project template, not Streamlit's theme
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.spec)["layout"]["template"]["layout"]["font"]["family"].startswith("Inter")
    # the note names what is not plotted
    assert any("Not plotted" in c and "Vera Rubin" in c for c in captions(at))
    # without a selection the table lists every article under the filters
    assert table_ids(at) == set(corpus_frames.articles["id"])
    at.run()  # and a rerun keeps everything
    assert not at.exception and len(at.get("plotly_chart")) == 3


def test_the_vendor_toggle_changes_what_is_charted(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page()
    before = charted_chips(specs(at)[0])
    assert "MI300X" in before and "H100" in before
    vendor_pills(at).set_value(["AMD"]).run()
    assert not at.exception
    scatter, timeline, mentions = specs(at)
    assert charted_chips(scatter) == {"MI300X", "MI325X"}
    assert {t["meta"]["vendor"] for t in role_traces(timeline, "architecture")} == {"AMD"}
    assert {t["meta"]["id"] for t in role_traces(mentions, "generation")} <= {"CDNA 2", "CDNA 3", "CDNA 4"}


def test_no_vendor_picked_says_so(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page()
    vendor_pills(at).set_value([]).run()
    assert not at.exception
    assert any("Pick at least one vendor" in i for i in infos(at))
    assert not at.get("plotly_chart")


def test_china_variants_only(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page()
    at.toggle(key="gen_variants_only").set_value(True).run()
    assert not at.exception
    scatter = specs(at)[0]
    chips = charted_chips(scatter)
    assert {"A800", "H800", "H20", "B30A"} <= chips
    assert {"A100", "H100", "H200", "B300"} <= chips  # what they were cut from
    assert not chips & {"GB300", "Ascend 910C", "RTX 4090"}
    pairs = {tuple(p) for p in role_traces(scatter, "variant-links")[0]["meta"]["pairs"]}
    assert ("H20", "H100") in pairs and ("H20", "H200") in pairs


def test_the_period_control_changes_the_mentions_chart(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page()
    monthly = role_traces(specs(at)[2], "generation")
    at.segmented_control(key="gen_freq").set_value("Q").run()
    assert not at.exception
    quarterly = role_traces(specs(at)[2], "generation")
    assert len(quarterly[0]["x"]) < len(monthly[0]["x"])
    months = {pd.Timestamp(x).month for t in quarterly for x in t["x"]}
    assert months <= {1, 4, 7, 10}
    assert specs(at)[2]["layout"]["yaxis"]["title"]["text"] == "Articles per quarter"


def test_selecting_a_point_narrows_the_table(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page()
    everything = table_ids(at)
    select_points(at, ["H20"])
    assert not at.exception
    expected = set(gen.articles_mentioning(corpus_frames.articles, corpus_frames.mentions, ["H20"])["id"])
    assert 0 < len(expected) < len(everything)
    assert table_ids(at) == expected
    assert any(s.value == "Articles that mention H20" for s in at.subheader)
    # two chips: the union
    select_points(at, ["A800", "H800"])
    expected = set(gen.articles_mentioning(corpus_frames.articles, corpus_frames.mentions, ["A800", "H800"])["id"])
    assert table_ids(at) == expected


def test_a_selected_chip_no_article_mentions_says_so(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page()
    select_points(at, ["MLU590"])
    assert not at.exception
    assert any("No article under the current filters mentions MLU590" in i for i in infos(at))
    assert table_ids(at) == set()


def test_the_company_filter_restricts_the_vendors(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page({"company": ["Huawei"]})
    assert vendor_pills(at).options == ["Huawei"]
    assert charted_chips(specs(at)[0]) == {"Ascend 910C", "Ascend 950"}


def test_a_company_that_makes_no_chip_keeps_every_vendor(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page({"company": ["TSMC"]})
    assert len(vendor_pills(at).options) == len(set(corpus_frames.chips["vendor"]))
    assert any("names no chip vendor" in c for c in captions(at))
    expected = set(apply_filters(corpus_frames, Filters(companies=("TSMC",))).articles["id"])
    assert table_ids(at) == expected


def test_the_chip_filter_highlights_chips_and_filters_the_articles(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page({"chip": ["H200"]})
    assert any("Highlighted by the Chip filter: H200" in c for c in captions(at))
    scatter = specs(at)[0]
    opacity = {cd[0]: o for t in role_traces(scatter, "chips") for cd, o in zip(t["customdata"], t["marker"]["opacity"])}
    assert opacity["H200"] > 0.9 and opacity["H100"] < 0.5
    assert len(charted_chips(scatter)) > 1  # the knowledge base is not narrowed, only highlighted
    expected = set(apply_filters(corpus_frames, Filters(chips=("H200",))).articles["id"])
    assert table_ids(at) == expected


def test_filters_that_match_no_article(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page({"from": "2030-01-01"})
    assert not at.exception
    assert any("No article matches the filters" in i for i in infos(at))
    assert any("No article under the current filters mentions" in i for i in infos(at))
    assert len(at.get("plotly_chart")) == 2  # the knowledge-base charts are still there


# -- an empty store ------------------------------------------------------------------------------------------

def test_an_empty_store(empty_db, use_db):
    use_db(empty_db)
    at = open_page()
    assert not at.exception
    assert any("no articles yet" in i for i in infos(at))
    assert any("No articles in the store yet" in i for i in infos(at))
    scatter, timeline = specs(at)  # the knowledge base still charts; the mentions chart gives way to a message
    assert "H200" in charted_chips(scatter)
    assert table_ids(at) == set()
    vendor_pills(at).set_value(["Nvidia"]).run()
    assert not at.exception
    nvidia = set(gen.select_chips(chips_frame(load_knowledge()), vendors=["Nvidia"])["id"])
    assert charted_chips(specs(at)[0]) <= nvidia


def test_a_missing_store(tmp_path, use_db):
    use_db(tmp_path / "nothing.db")
    at = open_page()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert not (tmp_path / "nothing.db").exists()
