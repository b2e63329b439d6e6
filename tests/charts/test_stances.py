"""Stakeholder stances: the pure transforms (chipwatch.stances_view) and figure builders (charts.stances)."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from chipwatch import stances_view as sv
from chipwatch.charts import stances as charts
from chipwatch.charts import theme
from chipwatch.knowledge import load_knowledge

KB = load_knowledge()


def row(article, holder, stance, reported_by=None, published="2025-12-08", confidence=0.7, quote_index=0,
        evidence="words"):
    return {"article_id": article, "idx": 0, "holder": holder, "stance": stance, "reported_by": reported_by,
            "evidence": evidence, "confidence": confidence, "rule": "test", "quote_index": quote_index,
            "published": pd.Timestamp(published) if published else pd.NaT, "title": f"Title of {article}"}


@pytest.fixture
def stances() -> pd.DataFrame:
    rows = [
        row("a1", "Donald Trump", "favor", quote_index=0, evidence="sell the H200"),
        row("a1", "Donald Trump", "favor", quote_index=1),
        row("a1", "Donald Trump", "against", quote_index=2),
        row("a1", "Donald Trump", "neutral", quote_index=3),
        row("a1", "Xi Jinping", "favor", reported_by="Donald Trump", quote_index=4),
        row("a2", "Xi Jinping", "against", published="2026-01-10", quote_index=0),
        row("a2", "CHN", "favor", reported_by="anonymous:Reuters", published="2026-01-10", quote_index=1),
        row("a2", "CHN", "against", published="2026-01-10", quote_index=2),
        row("a2", "anonymous:Reuters", "neutral", published="2026-01-10", quote_index=1),
        row("a3", "Jensen Huang", "favor", published="2026-01-20", quote_index=0),
        row("a3", "Nvidia", "unclear", published="2026-01-20", quote_index=1),
        row("a3", "Elizabeth Warren", "against", published="2026-01-21", quote_index=2),
        row("a4", "anonymous:unknown", "neutral", published=None, quote_index=0),
    ]
    return pd.DataFrame(rows)


@pytest.fixture
def quotes(stances) -> pd.DataFrame:
    own = stances[stances["reported_by"].isna()]
    return pd.DataFrame({
        "article_id": own["article_id"], "idx": own["quote_index"], "speaker": own["holder"],
        "text": ["quote " + str(i) for i in range(len(own))], "stance": own["stance"],
        "confidence": own["confidence"], "published": own["published"], "title": own["title"],
        "publisher": "Chipwatch Wire",
    })


def by_holder(counts: pd.DataFrame) -> pd.DataFrame:
    return counts.set_index("holder")


# -- names -----------------------------------------------------------------------------------

def test_display_names():
    assert sv.display_name("Donald Trump", KB) == "Donald Trump"
    assert sv.display_name("anonymous:Reuters", KB) == "anonymous (Reuters)"
    assert sv.display_name("anonymous:unknown", KB) == "anonymous (outlet unknown)"
    assert sv.display_name("CHN", KB) == "China"
    assert sv.display_name("USA", KB) == "United States"
    assert sv.display_name(None, KB) == sv.UNIDENTIFIED
    assert sv.country_name("KOR", KB) == "South Korea"


def test_group_labels():
    assert sv.group_label("Donald Trump", "country", KB) == "United States"
    assert sv.group_label("Donald Trump", "affiliation", KB) == "White House"
    assert sv.group_label("Jensen Huang", "affiliation", KB) == "Nvidia"
    assert sv.group_label("Nvidia", "affiliation", KB) == "Nvidia"  # a company is its own group
    assert sv.group_label("Bureau of Industry and Security", "affiliation", KB) == "US Commerce Department"
    assert sv.group_label("CHN", "affiliation", KB) == "China"
    assert sv.group_label("anonymous:Reuters", "country", KB) == sv.ANONYMOUS_GROUP
    assert sv.group_label("Reuters", "type", KB) == "News organisations"
    assert sv.group_label("US Commerce Department", "type", KB) == "Governments and agencies"
    assert sv.group_label("Donald Trump", "type", KB) == "People"
    with pytest.raises(ValueError):
        sv.group_label("Donald Trump", "party", KB)


# -- counts ----------------------------------------------------------------------------------

def test_counts_per_holder(stances):
    c = by_holder(sv.stance_counts(stances, "country", kb=KB))
    trump = c.loc["Donald Trump"]
    assert (trump["favor"], trump["against"], trump["neutral"], trump["unclear"]) == (2, 1, 1, 0)
    assert trump["total"] == 4 and trump["net"] == 1
    assert trump["name"] == "Donald Trump" and trump["group"] == "United States"
    assert trump["affiliation"] == "White House" and trump["country"] == "United States"
    assert c["total"].sum() == len(stances)


def test_reported_positions_are_counted_apart(stances):
    c = by_holder(sv.stance_counts(stances, "country", kb=KB))
    xi = c.loc["Xi Jinping"]
    assert (xi["favor"], xi["favor_reported"], xi["against"], xi["against_reported"]) == (0, 1, 1, 0)
    assert (xi["own_total"], xi["reported_total"], xi["total"], xi["net"]) == (1, 1, 2, 0)
    china = c.loc["CHN"]
    assert (china["favor_reported"], china["against"]) == (1, 1)
    # the reporter's own row is its own (neutral) statement
    assert c.loc["anonymous:Reuters", "neutral"] == 1


def test_without_reported_positions(stances):
    c = by_holder(sv.stance_counts(stances, "country", include_reported=False, kb=KB))
    assert c[sv.REPORTED_COLUMNS].to_numpy().sum() == 0
    assert c.loc["Xi Jinping", "total"] == 1
    assert c.loc["CHN", "favor"] == 0 and c.loc["CHN", "total"] == 1
    assert c["total"].sum() == stances["reported_by"].isna().sum()


def test_only_reported_holder_disappears_without_reported():
    df = pd.DataFrame([row("a1", "USA", "favor", reported_by="Shu Jueting")])
    assert sv.stance_counts(df, "country", include_reported=False, kb=KB).empty
    assert by_holder(sv.stance_counts(df, "country", kb=KB)).loc["USA", "favor_reported"] == 1


def test_display_names_in_counts(stances):
    c = by_holder(sv.stance_counts(stances, "country", kb=KB))
    assert c.loc["anonymous:Reuters", "name"] == "anonymous (Reuters)"
    assert c.loc["anonymous:unknown", "name"] == "anonymous (outlet unknown)"
    assert c.loc["CHN", "name"] == "China"
    assert c.loc["CHN", "group"] == "China"
    assert c.loc["anonymous:Reuters", "group"] == sv.ANONYMOUS_GROUP


def test_grouping_and_order(stances):
    c = sv.stance_counts(stances, "country", kb=KB)
    groups = list(dict.fromkeys(c["group"]))
    assert groups == ["United States", "China", sv.ANONYMOUS_GROUP]  # biggest first, anonymous last
    us = c[c["group"] == "United States"]
    assert list(us["net"]) == sorted(us["net"], reverse=True)  # most in favour first
    # each group is contiguous
    assert c["group"].ne(c["group"].shift()).sum() == c["group"].nunique()
    a = by_holder(sv.stance_counts(stances, "affiliation", kb=KB))
    assert a.loc["Jensen Huang", "group"] == a.loc["Nvidia", "group"] == "Nvidia"
    assert a.loc["Elizabeth Warren", "group"] == "US Senate"
    t = by_holder(sv.stance_counts(stances, "type", kb=KB))
    assert t.loc["Donald Trump", "group"] == "People" and t.loc["Nvidia", "group"] == "Companies"


def test_top_keeps_the_most_quoted(stances):
    c = sv.stance_counts(stances, "country", kb=KB, top=2)
    assert set(c["holder"]) == {"Donald Trump", "CHN"}  # ties (CHN, Xi: 2 each) go by name
    assert len(c) == 2


def test_top_holders_of_the_full_counts_equals_counting_with_top(stances):
    full = sv.stance_counts(stances, "country", kb=KB)
    for top in (1, 2, 3, 50, None):
        pd.testing.assert_frame_equal(sv.top_holders(full, top),
                                      sv.stance_counts(stances, "country", kb=KB, top=top))


def test_counts_of_nothing_is_empty():
    assert sv.stance_counts(pd.DataFrame(), kb=KB).empty
    assert list(sv.stance_counts(pd.DataFrame(), kb=KB).columns) == sv.COUNT_COLUMNS


def test_counts_from_minimal_columns_use_the_knowledge_base():
    df = pd.DataFrame({"holder": ["Jensen Huang", "CHN"], "stance": ["favor", "against"],
                       "reported_by": [None, None]})
    c = by_holder(sv.stance_counts(df, "country", kb=KB))
    assert c.loc["Jensen Huang", "group"] == "United States" and c.loc["CHN", "group"] == "China"


def test_holders_for_names(stances):
    c = sv.stance_counts(stances, "country", kb=KB)
    assert sv.holders_for_names(c, ["China", "anonymous (Reuters)", "nobody"]) == ["CHN", "anonymous:Reuters"]
    assert sv.holders_for_names(c, [["United States", "Donald Trump"]]) == ["Donald Trump"]
    assert sv.holders_for_names(c, ["Donald Trump"]) == ["Donald Trump"]


# -- over time -------------------------------------------------------------------------------

def test_over_time_by_country_per_month(stances):
    t = sv.stance_over_time(stances, freq="M", by="country", kb=KB)
    assert list(t.columns) == sv.TIME_COLUMNS
    dec = t[(t["group"] == "United States") & (t["period"] == pd.Timestamp("2025-12-01"))].iloc[0]
    assert (dec["favor"], dec["against"], dec["neutral"], dec["total"], dec["net"]) == (2, 1, 1, 4, 1)
    china_dec = t[(t["group"] == "China") & (t["period"] == pd.Timestamp("2025-12-01"))].iloc[0]
    assert china_dec["favor"] == 1  # Xi's reported favour
    jan_us = t[(t["group"] == "United States") & (t["period"] == pd.Timestamp("2026-01-01"))].iloc[0]
    assert (jan_us["favor"], jan_us["against"], jan_us["net"], jan_us["net_share"]) == (1, 1, 0, 0)
    # undated rows are left out
    assert t["total"].sum() == stances["published"].notna().sum()


def test_over_time_shares_and_reported_toggle(stances):
    t = sv.stance_over_time(stances, freq="M", by="country", include_reported=False, kb=KB)
    china = t[t["group"] == "China"].set_index("period")
    assert china.loc[pd.Timestamp("2026-01-01"), "against"] == 2
    assert china.loc[pd.Timestamp("2026-01-01"), "favor"] == 0
    assert china.loc[pd.Timestamp("2026-01-01"), "against_share"] == 1.0
    assert pd.Timestamp("2025-12-01") not in china.index  # only Xi's reported position was there


def test_over_time_by_holder_top_and_other(stances):
    t = sv.stance_over_time(stances, freq="D", by="holder", top=2, kb=KB)
    groups = list(dict.fromkeys(t["group"]))
    assert groups[:2] == ["Donald Trump", "China"]  # ties by name
    assert groups[-1] == sv.OTHER
    assert t["period"].min() == pd.Timestamp("2025-12-08")
    w = sv.stance_over_time(stances, freq="W", by="holder", kb=KB)
    assert set(w["period"].dt.day_of_week) == {0}  # weeks start on Monday


def test_over_time_rejects_unknown_options(stances):
    with pytest.raises(ValueError):
        sv.stance_over_time(stances, freq="Q", kb=KB)
    assert sv.stance_over_time(pd.DataFrame(), kb=KB).empty


# -- quote table -----------------------------------------------------------------------------

def test_quote_table_columns_in_words(quotes, stances):
    t = sv.quote_table(quotes, stances, kb=KB)
    assert list(t.columns) == ["Stakeholder", "Affiliation", "Stance", "Confidence", "Quote", "Reported by",
                               "Article", "Publisher", "Date"]
    assert len(t) == len(stances)
    assert t["Date"].is_monotonic_decreasing or t["Date"].dropna().is_monotonic_decreasing
    trump = t[(t["Stakeholder"] == "Donald Trump") & (t["Quote"] == "quote 0")].iloc[0]
    assert trump["Affiliation"] == "White House"
    assert trump["Stance"] == theme.STANCE_LABELS["favor"]
    assert trump["Confidence"] == 70
    assert pd.isna(trump["Reported by"])
    assert trump["Article"] == "Title of a1" and trump["Publisher"] == "Chipwatch Wire"


def test_quote_table_marks_reported_positions(quotes, stances):
    t = sv.quote_table(quotes, stances, kb=KB)
    xi = t[(t["Stakeholder"] == "Xi Jinping") & t["Reported by"].notna()]
    assert list(xi["Reported by"]) == ["Donald Trump"]
    china = t[(t["Stakeholder"] == "China") & t["Reported by"].notna()].iloc[0]
    assert china["Reported by"] == "anonymous (Reuters)"
    # the reported stance rests on the reporter's quote (article a2, quote 1)
    assert china["Quote"] == t[t["Stakeholder"] == "anonymous (Reuters)"].iloc[0]["Quote"]


def test_quote_table_limit_keeps_the_newest_rows_and_counts_them_all(quotes, stances):
    everything = sv.quote_table(quotes, stances, kb=KB, include_unattributed=True)
    assert everything.attrs["total"] == len(everything) > 3
    for limit in (0, 1, 3, len(everything), len(everything) + 5):
        t = sv.quote_table(quotes, stances, kb=KB, include_unattributed=True, limit=limit)
        # (a column whose kept values are all empty comes out as object/None instead of str/NaN)
        same = lambda df: df.astype(object).where(df.notna(), None)  # noqa: E731
        pd.testing.assert_frame_equal(same(t), same(everything.head(limit)))
        assert t.attrs["total"] == len(everything)


def test_quote_table_falls_back_to_evidence_and_adds_unattributed(quotes, stances):
    t = sv.quote_table(quotes.iloc[0:0], stances.iloc[:1], kb=KB)
    assert t.iloc[0]["Quote"] == "sell the H200"
    extra = pd.concat([quotes, pd.DataFrame([{"article_id": "a9", "idx": 0, "speaker": None, "text": "who said it",
                                              "stance": "unclear", "confidence": 0.0, "title": "Lost",
                                              "published": pd.Timestamp("2026-02-01"), "publisher": "X"}])])
    t = sv.quote_table(extra, stances, kb=KB, include_unattributed=True)
    assert len(t) == len(stances) + 1
    assert t[t["Quote"] == "who said it"].iloc[0]["Stakeholder"] == sv.UNIDENTIFIED
    assert sv.quote_table(pd.DataFrame(), pd.DataFrame(), kb=KB).empty


def test_select_holders_narrows_the_table(quotes, stances):
    t = sv.quote_table(quotes, sv.select_holders(stances, ["Xi Jinping"]), kb=KB)
    assert set(t["Stakeholder"]) == {"Xi Jinping"} and len(t) == 2
    assert len(sv.without_reported(stances)) == stances["reported_by"].isna().sum()


# -- figures ---------------------------------------------------------------------------------

def bar_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.type == "bar" and t.meta]


def test_stance_bars_diverge_both_ways(stances):
    counts = sv.stance_counts(stances, "country", kb=KB)
    fig = charts.stance_bars(counts)
    traces = {(t.meta["stance"], t.meta["reported"]): t for t in bar_traces(fig)}
    against = [x for x in traces[("against", False)].x if x]
    favor = [x for x in traces[("favor", False)].x if x]
    assert against and all(x < 0 for x in against)
    assert favor and all(x > 0 for x in favor)
    assert fig.layout.barmode == "relative"
    assert fig.layout.template.layout.font.family == theme.FONT_FAMILY
    # neutral shown too, in its own narrow column
    assert traces[("neutral", False)].xaxis == "x2" and sum(traces[("neutral", False)].x) == counts["neutral"].sum()
    # tick labels read as counts, not negative numbers
    assert all(not t.startswith("-") for t in fig.layout.xaxis.ticktext)


def test_stance_bars_mark_reported_positions(stances):
    fig = charts.stance_bars(sv.stance_counts(stances, "country", kb=KB))
    reported = [t for t in bar_traces(fig) if t.meta["reported"]]
    assert reported and all(t.marker.pattern.shape == charts.REPORTED_PATTERN for t in reported)
    own = [t for t in bar_traces(fig) if not t.meta["reported"]]
    assert all(not t.marker.pattern.shape for t in own)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert charts.REPORTED_LABEL in legend
    assert theme.STANCE_LABELS["favor"] in legend and theme.STANCE_LABELS["against"] in legend
    own_only = charts.stance_bars(sv.stance_counts(stances, "country", include_reported=False, kb=KB))
    assert charts.REPORTED_LABEL not in [t.name for t in own_only.data if t.showlegend is not False]
    xi = list(reported[0].y).index("Xi Jinping")
    favor_rep = next(t for t in reported if t.meta["stance"] == "favor")
    assert favor_rep.x[xi] == 1


def test_stance_bars_group_headers_and_height(stances):
    counts = sv.stance_counts(stances, "country", kb=KB)
    fig = charts.stance_bars(counts)
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows[0] == "<b>United States</b>" and "<b>China</b>" in rows
    assert rows.index("<b>China</b>") < rows.index("China") < rows.index("<b>Anonymous sources</b>")
    assert len(rows) == len(counts) + counts["group"].nunique()
    many = pd.concat([counts.assign(name=counts["name"] + f" {i}", holder=counts["holder"] + f" {i}")
                      for i in range(4)]).sort_values("group", kind="stable")
    assert charts.stance_bars(many).layout.height > fig.layout.height + 20 * (len(many) - len(counts))


def test_empty_figures_say_why():
    for fig in (charts.stance_bars(sv.empty_counts()), charts.stance_timeline(pd.DataFrame())):
        assert not fig.data
        assert fig.layout.annotations and "No" in fig.layout.annotations[0].text


def test_stance_timeline(stances):
    df = sv.stance_over_time(stances, freq="M", by="country", kb=KB)
    fig = charts.stance_timeline(df, freq="M")
    (trace,) = fig.data
    assert list(trace.y) == list(df["group"])
    assert trace.marker.cmin == -1 and trace.marker.cmax == 1
    assert list(fig.layout.yaxis.categoryarray) == list(dict.fromkeys(df["group"]))
    one = charts.stance_timeline(df[df["period"] == df["period"].iloc[0]], freq="M")
    assert one.layout.xaxis.range is not None


def test_report_sections(stances):
    frames = SimpleNamespace(stances=stances, kb=KB)
    sections = charts.report_sections(frames, group_by="affiliation", freq="M", top=5)
    assert [s.name for s in sections] == ["stances-by-stakeholder", "stance-over-time"]
    bars, timeline = sections
    assert bars.data["Stakeholder"].notna().all() and len(bars.data) == 5
    assert "5 of 8 stakeholders" in bars.note
    assert "Net (favor − against)" in bars.data.columns
    assert bars.figure.data and timeline.figure.data
    assert all(s.title and s.note for s in sections)
