"""Pure figure builders and transforms of the Chip generations page (chipwatch/charts/generations.py)."""
from __future__ import annotations

import copy
import itertools
import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from chipwatch.charts import ChartSection
from chipwatch.charts import generations as gen
from chipwatch.frames import Filters, Frames, chips_frame
from chipwatch.knowledge import load_knowledge

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


@pytest.fixture(scope="module")
def chips(kb):
    return chips_frame(kb)


@pytest.fixture(scope="module")
def scatter(chips, kb):
    return gen.tpp_scatter(chips, kb.thresholds, today=TODAY)


def traces(fig: go.Figure, role: str):
    return [t for t in fig.data if (t.meta or {}).get("role") == role]


def chip_xy(fig: go.Figure) -> dict[str, tuple]:
    out = {}
    for t in traces(fig, "chips"):
        for cd, x, y in zip(t.customdata, t.x, t.y):
            out[cd[0]] = (pd.Timestamp(x), y)
    return out


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def tiny_frames(kb, articles, mentions) -> Frames:
    empty = pd.DataFrame()
    return Frames(articles=articles, mentions=mentions, quotes=empty, stances=empty, claims=empty, status=empty,
                  chips=chips_frame(kb), kb=kb)


# -- numbers ------------------------------------------------------------------------------------------

def test_fmt_number():
    assert gen.fmt_number(15832) == "15,832"
    assert gen.fmt_number(5284.8) == "5,285"
    assert gen.fmt_number(6.04, 2) == "6.04"
    assert gen.fmt_number(4.0, 3) == "4"
    assert gen.fmt_number(1307.4, 1) == "1,307.4"
    assert gen.fmt_number(None) == "—"
    assert gen.fmt_number(float("nan")) == "—"


# -- chips ----------------------------------------------------------------------------------------------

def test_chip_points_have_clean_columns_and_placements(chips):
    points = gen.chip_points(chips)
    assert list(points.columns) == gen.POINT_COLUMNS
    placed = dict(zip(points["Chip"], points["Placement"]))
    assert placed["H200"] == gen.PLACED_DATED
    assert placed["H20"] == gen.PLACED_UNDATED  # TPP known, release date not in the knowledge base
    assert placed["Vera Rubin"] == gen.NOT_PLOTTED  # no TPP
    assert points.loc[points["Chip"] == "H20", "China variant of"].item() == "H100, H200"


def test_not_plotted_lists_chips_without_tpp(chips):
    points = gen.chip_points(chips)
    expected = set(chips.loc[chips["tpp"].isna(), "id"])
    assert set(gen.not_plotted(points)) == expected
    undated = set(chips.loc[chips["tpp"].notna() & chips["release"].isna(), "id"])
    assert set(gen.not_plotted(points, include_undated=True)) == expected | undated


def test_scatter_note_lists_not_plotted_and_undated(chips, kb):
    points = gen.chip_points(chips)
    note = gen.scatter_note(points, gen.threshold_rules(kb.thresholds))
    not_plotted = note.split("Not plotted")[1]
    for chip in chips.loc[chips["tpp"].isna(), "id"]:
        assert chip in not_plotted
    assert "H20" in note.split("Release date not in the knowledge base")[1].split("Not plotted")[0]


def test_select_chips_by_vendor_and_variants(chips):
    amd = gen.select_chips(chips, vendors=["AMD"])
    assert set(amd["vendor"]) == {"AMD"}
    variants = gen.select_chips(chips, variants_only=True)
    ids = set(variants["id"])
    assert {"A800", "H800", "H20", "B30A", "MI308", "MI309"} <= ids  # the variants
    assert {"A100", "H100", "H200", "B300", "MI300X"} <= ids  # and what they were cut from
    assert "GB300" not in ids and "Ascend 910C" not in ids


def test_filters_map_to_vendors_and_highlight(chips):
    assert gen.vendors_from_filters(chips, ["AMD", "TSMC"]) == ["AMD"]
    assert gen.vendors_from_filters(chips, ["TSMC"]) is None
    assert gen.vendors_from_filters(chips, []) is None
    assert gen.highlight_from_filters(chips, ["H200"]) == {"H200"}
    assert gen.highlight_from_filters(chips, ["Ampere"]) == {"A100", "A800"}  # an architecture id


# -- (a) scatter ------------------------------------------------------------------------------------------

def test_scatter_uses_a_log_tpp_axis_and_release_dates(scatter, chips):
    assert scatter.layout.yaxis.type == "log"
    assert "TPP" in scatter.layout.yaxis.title.text
    assert scatter.layout.template.layout.font.family  # the project template
    xy = chip_xy(scatter)
    h200 = chips.set_index("id").loc["H200"]
    assert xy["H200"] == (h200["release"], h200["tpp"])
    # y ticks are formatted numbers
    assert "10,000" in scatter.layout.yaxis.ticktext


def test_scatter_draws_every_chip_with_a_tpp_and_no_other(scatter, chips):
    assert set(chip_xy(scatter)) == set(chips.loc[chips["tpp"].notna(), "id"])


def test_undated_chips_go_to_the_strip_right_of_the_dated_ones(scatter, chips):
    xy = chip_xy(scatter)
    latest_release = chips["release"].max()
    assert xy["H20"][0] > pd.Timestamp(TODAY) > latest_release
    assert any("Release date not" in t for t in annotation_texts(scatter))
    hidden = gen.tpp_scatter(chips, load_knowledge().thresholds, today=TODAY, show_undated=False)
    assert "H20" not in chip_xy(hidden)


def test_china_variants_are_marked_and_linked_to_their_parents(scatter):
    links = traces(scatter, "variant-links")
    assert len(links) == 1
    pairs = {tuple(p) for p in links[0].meta["pairs"]}
    assert {("H20", "H100"), ("H20", "H200"), ("A800", "A100"), ("H800", "H100"), ("B30A", "B300")} <= pairs
    assert links[0].line.dash == "dot"
    # each pair is drawn as a segment between the two points
    xy = chip_xy(scatter)
    segments = [(pd.Timestamp(links[0].x[i]), links[0].y[i], pd.Timestamp(links[0].x[i + 1]), links[0].y[i + 1])
                for i in range(0, len(links[0].x), 3)]
    for variant, parent in [("H20", "H100"), ("H20", "H200")]:
        assert (*xy[variant], *xy[parent]) in segments
    # variants have their own symbol
    symbols = {}
    for t in traces(scatter, "chips"):
        symbols.update({cd[0]: s for cd, s in zip(t.customdata, t.marker.symbol)})
    assert symbols["H20"] == symbols["A800"] == gen.VARIANT_SYMBOL
    assert symbols["H100"] == "circle"


def test_vendor_colours_come_from_the_theme(scatter):
    from chipwatch.charts import theme

    for t in traces(scatter, "chips"):
        assert t.marker.color == theme.VENDOR_COLORS[t.name]


def test_hover_shows_formatted_specs(scatter):
    hover = {}
    for t in traces(scatter, "chips"):
        hover.update({cd[0]: h for cd, h in zip(t.customdata, t.hovertext)})
    h200 = hover["H200"]
    for expected in ("Hopper", "TPP: 15,832", "141 GB", "4.8 TB/s", "BF16: 989 TFLOPS", "FP8: 1,979 TFLOPS",
                     "performance density: 19.45", "lzwjava.github.io"):
        assert expected in h200, expected
    assert "China-specific variant of: H100, H200" in hover["H20"]
    assert "not in the knowledge base" in hover["H20"]


def test_threshold_levels_come_from_the_thresholds_table(kb, chips):
    rules = gen.threshold_rules(kb.thresholds)
    raw = pd.DataFrame(kb.thresholds)
    with_tpp = raw[raw["tpp_min"].notna() | raw["tpp_max"].notna()]
    assert set(rules["id"]) == set(with_tpp["id"])  # rows without a TPP bound are not drawn
    fig = gen.tpp_scatter(chips, kb.thresholds, today=TODAY)
    drawn = {t.meta["id"]: t for t in traces(fig, "threshold")}
    for _, row in with_tpp.iterrows():
        t = drawn[row["id"]]
        if pd.notna(row["tpp_min"]) and pd.isna(row["tpp_max"]):
            assert set(t.y) == {row["tpp_min"]}
        else:
            assert max(t.y) == row["tpp_max"]


def test_changing_a_threshold_in_the_table_moves_its_line_and_label(kb, chips):
    rows = copy.deepcopy(kb.thresholds)
    target = next(r for r in rows if r["id"] == "3a090a-1")
    old = target["tpp_min"]
    # move only the 2023 rule: its line and its own label follow
    target["tpp_min"] = 6000.0
    fig = gen.tpp_scatter(chips, rows, today=TODAY)
    line = next(t for t in traces(fig, "threshold") if t.meta["id"] == "3a090a-1")
    assert set(line.y) == {6000.0}
    labels = {a.name: a for a in fig.layout.annotations if (a.name or "").startswith("threshold-label:")}
    label = next(a for n, a in labels.items() if "3a090a-1" in n)
    assert "6,000" in label.text and label.y == pytest.approx(math.log10(6000))
    assert gen.fmt_number(old) not in label.text
    # a DataFrame of the rows works too
    fig2 = gen.tpp_scatter(chips, pd.DataFrame(rows), today=TODAY)
    assert set(next(t for t in traces(fig2, "threshold") if t.meta["id"] == "3a090a-1").y) == {6000.0}


def test_rules_at_one_level_share_one_label(scatter, kb, chips):
    labels = [a for a in scatter.layout.annotations if (a.name or "").startswith("threshold-label:")]
    floors = gen.threshold_rules(kb.thresholds)
    floors = floors[floors["kind"] == "line"]
    assert len([a for a in labels if a.arrowcolor == gen.THRESHOLD_LINE]) == floors["tpp_min"].nunique()
    # labels do not overlap each other (vertical extents after spreading)
    geo = gen.scatter_geometry(gen.chip_points(chips), gen.threshold_rules(kb.thresholds), TODAY)
    boxes = []
    for a in labels:
        n_lines = a.text.count("<br>") + 1
        centre = geo["to_px_y"](10 ** a.y) + a.ay
        boxes.append((centre - n_lines * 13.5 / 2, centre + n_lines * 13.5 / 2))
    boxes.sort()
    assert all(b[0] >= a[1] for a, b in zip(boxes, boxes[1:]))


def test_no_threshold_value_is_written_in_the_chart_code():
    source = Path(gen.__file__).read_text(encoding="utf-8")
    for literal in ("4800", "4,800", "1600", "21000", "21,000", "5.92"):
        assert literal not in source, literal


def test_point_labels_do_not_collide(chips, kb):
    points = gen.chip_points(chips)
    layout = gen.point_labels(points, gen.threshold_rules(kb.thresholds), TODAY)
    assert set(layout["Text position"]) <= set(gen.TEXT_POSITIONS)
    boxes = gen.label_boxes(layout["x_px"], layout["y_px"], layout["Chip"], layout["Text position"])
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert gen._overlap(a, b) == 0, (layout["Chip"][i], layout["Chip"][j])
    # and they are the positions the figure uses
    fig = gen.tpp_scatter(chips, kb.thresholds, today=TODAY)
    used = {}
    for t in traces(fig, "chips"):
        used.update({cd[0]: p for cd, p in zip(t.customdata, t.textposition)})
    assert used == dict(zip(layout["Chip"], layout["Text position"]))


def test_place_labels_separates_two_points_at_the_same_x():
    pos = gen.place_labels([100, 100], [100, 112], ["GB200", "B200"], width=400, height=300)
    boxes = gen.label_boxes([100, 100], [100, 112], ["GB200", "B200"], pos)
    assert gen._overlap(*boxes) == 0


def test_spread_labels_keeps_gaps_and_order():
    out = gen.spread_labels([100, 105, 110], [30, 30, 30], 0, 400, gap=4)
    assert out[0] < out[1] < out[2]
    assert out[1] - out[0] >= 34 - 1e-6 and out[2] - out[1] >= 34 - 1e-6


def test_highlight_fades_the_other_chips(chips, kb):
    fig = gen.tpp_scatter(chips, kb.thresholds, highlight={"H200"}, today=TODAY)
    opacity = {}
    for t in traces(fig, "chips"):
        opacity.update({cd[0]: o for cd, o in zip(t.customdata, t.marker.opacity)})
    assert opacity["H200"] > 0.9 and opacity["H100"] < 0.5


def test_empty_chip_tables_give_a_message_not_a_blank_chart(kb, chips):
    for table in (pd.DataFrame(), chips[chips["tpp"].isna()]):
        fig = gen.tpp_scatter(table, kb.thresholds, today=TODAY)
        assert not traces(fig, "chips")
        assert fig.layout.annotations and "No chip to plot" in fig.layout.annotations[0].text
    fig = gen.tpp_scatter(chips[chips["tpp"].isna()], kb.thresholds, today=TODAY)
    assert "Vera Rubin" in fig.layout.annotations[0].text


# -- (b) timeline -----------------------------------------------------------------------------------------

def test_architecture_spans_run_to_the_next_generation(kb, chips):
    spans = gen.architecture_spans(kb.architectures, chips, today=TODAY).set_index("Architecture")
    assert spans.loc["Ampere", "From"] == pd.Timestamp("2020-01-01")
    assert spans.loc["Ampere", "To"] == pd.Timestamp("2022-01-01")
    assert spans.loc["Hopper", "To"] == spans.loc["Blackwell", "From"]
    # Hopper and Ada Lovelace share a generation: same lane, different rows
    assert spans.loc["Hopper", "Lane"] == spans.loc["Ada Lovelace", "Lane"]
    assert spans.loc["Hopper", "Row"] != spans.loc["Ada Lovelace", "Row"]
    # the last generation is open-ended to today
    for arch in ("Rubin", "CDNA 4", "Ascend", "MLU"):
        assert spans.loc[arch, "Open-ended"] and spans.loc[arch, "To"] == pd.Timestamp(TODAY)
    assert not spans.loc["CDNA 3", "Open-ended"]
    assert "H20" in spans.loc["Hopper", "Chips"] and "MI308" in spans.loc["CDNA 3", "Chips"]
    assert list(dict.fromkeys(spans["Vendor"])) == ["Nvidia", "AMD", "Huawei", "Cambricon"]


def test_architecture_timeline_has_a_lane_per_vendor_and_chips_in_the_hover(kb, chips):
    fig = gen.architecture_timeline(kb.architectures, chips, today=TODAY)
    assert list(fig.layout.yaxis.ticktext) == ["Nvidia", "AMD", "Huawei", "Cambricon"]
    bars = {t.meta["id"]: t for t in traces(fig, "architecture")}
    assert set(bars) == set(kb.architectures)
    assert "H100" in bars["Hopper"].hovertext and "today" in bars["Rubin"].hovertext
    only_amd = gen.architecture_timeline(kb.architectures, chips, today=TODAY, vendors=["AMD"])
    assert {t.meta["vendor"] for t in traces(only_amd, "architecture")} == {"AMD"}


def test_architecture_timeline_labels_fit_their_bars():
    assert gen._fit_list(["B200", "GB200", "B300", "GB300", "RTX Pro 6000D", "B30A"], 120).endswith("more")
    assert gen._fit_list(["A100", "A800"], 300) == "A100, A800"


def test_empty_architectures_give_a_message(chips):
    fig = gen.architecture_timeline([], chips, today=TODAY)
    assert "No architecture" in fig.layout.annotations[0].text
    fig = gen.architecture_timeline(load_knowledge().architectures, chips, today=TODAY, vendors=[])
    assert "No architecture" in fig.layout.annotations[0].text


# -- (c) mentions by generation -------------------------------------------------------------------------------

@pytest.fixture
def small_corpus():
    articles = pd.DataFrame({
        "id": ["a1", "a2", "a3", "a4"],
        "title": ["t1", "t2", "t3", "t4"],
        "published": pd.to_datetime(["2025-01-06", "2025-01-20", "2025-02-03", None]),
        "publisher": ["P"] * 4,
    })
    mentions = pd.DataFrame({
        "article_id": ["a1", "a1", "a1", "a2", "a2", "a3", "a4"],
        "type": ["chip", "chip", "architecture", "chip", "company", "chip", "chip"],
        "entity_id": ["H100", "H20", "Hopper", "MI300X", "Nvidia", "B200", "H100"],
        "surface": [""] * 7, "field": ["body"] * 7, "start": [0] * 7, "end": [1] * 7,
    })
    return articles, mentions


def test_generation_counts_count_distinct_articles(kb, chips, small_corpus):
    articles, mentions = small_corpus
    counts = gen.generation_counts(mentions, articles, chips, "M", kb.architectures)
    assert list(counts.columns) == ["Period", "Generation", "Vendor", "Articles"]
    got = {(p.strftime("%Y-%m"), g): n for p, g, n in zip(counts["Period"], counts["Generation"], counts["Articles"])}
    assert got[("2025-01", "Hopper")] == 1  # H100 + H20 + "Hopper" in one article count once
    assert got[("2025-01", "CDNA 3")] == 1
    assert got[("2025-02", "Blackwell")] == 1
    assert got[("2025-02", "Hopper")] == 0  # filled calendar
    assert counts["Articles"].sum() == 3  # a4 has no publication date: not counted
    weekly = gen.generation_counts(mentions, articles, chips, "W", kb.architectures)
    assert weekly["Period"].nunique() == 5  # weeks of 01-06 .. 02-03
    assert weekly["Period"].min() == pd.Timestamp("2025-01-06")  # weeks start on Monday
    only_amd = gen.generation_counts(mentions, articles, chips, "M", kb.architectures, vendors=["AMD"])
    assert set(only_amd["Generation"]) == {"CDNA 3"}
    with pytest.raises(ValueError):
        gen.generation_counts(mentions, articles, chips, "Y")


def test_mentions_by_generation_stacks_one_area_per_generation(kb, chips, small_corpus):
    articles, mentions = small_corpus
    fig = gen.mentions_by_generation(mentions, articles, chips, "M", architectures=kb.architectures)
    areas = traces(fig, "generation")
    assert {t.meta["id"] for t in areas} == {"Hopper", "CDNA 3", "Blackwell"}
    assert all(t.stackgroup == "one" for t in areas)
    assert [t.meta["id"] for t in areas] == ["Hopper", "Blackwell", "CDNA 3"]  # vendor, then generation order
    assert fig.layout.yaxis.title.text == "Articles per month"


def test_empty_mentions_give_a_message(kb, chips, small_corpus):
    articles, mentions = small_corpus
    for m, a in ((mentions.iloc[0:0], articles), (mentions, articles.iloc[0:0]), (None, None)):
        fig = gen.mentions_by_generation(m, a, chips, "M", architectures=kb.architectures)
        assert not traces(fig, "generation")
        assert "No article" in fig.layout.annotations[0].text


# -- selection and articles ------------------------------------------------------------------------------------

def test_selected_chips_reads_customdata_and_falls_back_to_the_figure(scatter):
    event = {"selection": {"points": [{"customdata": ["H20"]}, {"customdata": "H200"}, {"customdata": ["H20"]}],
                           "point_indices": [0, 1, 0], "box": [], "lasso": []}}
    assert gen.selected_chips(event) == ["H20", "H200"]
    chip_trace = next(i for i, t in enumerate(scatter.data) if (t.meta or {}).get("role") == "chips")
    first = scatter.data[chip_trace].customdata[0][0]
    event = {"selection": {"points": [{"curve_number": chip_trace, "point_index": 0}], "point_indices": [0],
                           "box": [], "lasso": []}}
    assert gen.selected_chips(event, scatter) == [first]
    threshold = next(i for i, t in enumerate(scatter.data) if (t.meta or {}).get("role") == "threshold")
    assert gen.selected_chips({"selection": {"points": [{"curve_number": threshold, "point_index": 0}]}},
                              scatter) == []
    assert gen.selected_chips(None) == [] and gen.selected_chips({}) == []


def test_articles_mentioning(small_corpus):
    articles, mentions = small_corpus
    assert list(gen.articles_mentioning(articles, mentions, ["H100"])["id"]) == ["a1", "a4"]
    assert gen.articles_mentioning(articles, mentions, ["Nvidia"]).empty  # a company, not a chip
    assert gen.articles_mentioning(articles, mentions, []).empty


# -- report sections ----------------------------------------------------------------------------------------------

def test_report_sections(kb, small_corpus):
    articles, mentions = small_corpus
    frames = tiny_frames(kb, articles, mentions)
    sections = gen.report_sections(frames, today=TODAY)
    assert [s.name for s in sections] == ["tpp-by-release", "architecture-timeline", "mentions-by-generation"]
    for s in sections:
        assert isinstance(s, ChartSection) and isinstance(s.figure, go.Figure)
        assert s.title and s.note
        assert all(not re.fullmatch(r"[a-z_]+", c) for c in s.data.columns), s.data.columns  # no raw names
    scatter_data = sections[0].data
    assert {"Chip", "Vendor", "Release", "TPP", "China variant of", "Plotted", "Source"} <= set(scatter_data.columns)
    assert scatter_data.loc[scatter_data["Chip"] == "H200", "Release"].item() == "2023-11-13"
    assert len(scatter_data) == len(kb.chips)
    assert "Vera Rubin" in sections[0].note
    assert {"Vendor", "Architecture", "Chips"} <= set(sections[1].data.columns)
    assert sections[2].data["Articles"].sum() == 3
    assert "1 article(s) without a publication date" in sections[2].note


def test_report_sections_follow_filters_and_params(kb, small_corpus):
    articles, mentions = small_corpus
    frames = tiny_frames(kb, articles, mentions)
    amd = gen.report_sections(frames, filters=Filters(companies=("AMD",), chips=("MI300X",)), today=TODAY)
    assert set(amd[0].data["Vendor"]) == {"AMD"}
    assert set(amd[1].data["Vendor"]) == {"AMD"}
    assert set(amd[2].data["Generation"]) == {"CDNA 3"}
    opacity = {}
    for t in traces(amd[0].figure, "chips"):
        opacity.update({cd[0]: o for cd, o in zip(t.customdata, t.marker.opacity)})
    assert opacity["MI300X"] > opacity["MI325X"]
    weekly = gen.report_sections(frames, freq="W", variants_only=True, today=TODAY)
    assert "week" in weekly[2].note
    assert set(weekly[0].data["Chip"]) == set(gen.select_chips(frames.chips, variants_only=True)["id"])


def test_report_sections_on_empty_frames(kb):
    articles = pd.DataFrame(columns=["id", "title", "published", "publisher"])
    articles["published"] = pd.to_datetime(articles["published"])
    mentions = pd.DataFrame(columns=["article_id", "type", "entity_id", "surface", "field", "start", "end"])
    sections = gen.report_sections(tiny_frames(kb, articles, mentions), today=TODAY)
    assert traces(sections[0].figure, "chips")  # the knowledge base is still there
    assert sections[2].data.empty
    assert "No article" in sections[2].figure.layout.annotations[0].text


def test_knowledge_charts_are_remembered_but_every_caller_gets_its_own_copy():
    """The scatter and the architecture timeline depend only on the knowledge base and the choices:
    built once, then copied; a caller changing its copy changes nothing for the next caller."""
    from chipwatch.charts.generations import _build_knowledge_sections, _knowledge_sections
    from chipwatch.frames import chips_frame
    from chipwatch.knowledge import load_knowledge

    kb = load_knowledge()
    chips = chips_frame(kb)
    args = (chips, kb, ["Nvidia", "Huawei"], False, ["H20"], date(2026, 6, 1))
    first = _knowledge_sections(*args)
    first[0].figure.update_layout(title_text="changed by a caller")
    first[1].data.loc[:, "Vendor"] = "changed"
    second = _knowledge_sections(*args)
    fresh = _build_knowledge_sections(*args)
    for got, want in zip(second, fresh):
        assert got.figure.to_dict() == want.figure.to_dict()
        pd.testing.assert_frame_equal(got.data, want.data)
        assert (got.name, got.title, got.note) == (want.name, want.title, want.note)
    assert second[0].figure is not first[0].figure
