"""Chipwatch dashboard: Overview (the entrypoint: `streamlit run app.py`)."""
from dataclasses import replace

import streamlit as st

from chipwatch import overview_view as view
from chipwatch.charts import overview as charts
from chipwatch_ui.components import article_table, empty_store_notice, status_changes_table
from chipwatch_ui.frame import page_frame
from chipwatch_ui.panel import chart_panel
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Overview")

st.title("Overview", anchor=False)
st.caption("What the news says about AI-chip export controls, under the filters in the sidebar.")
if empty_store_notice(ctx):
    article_table(ctx.frames.articles, key="ov_articles")
    st.stop()

frames = ctx.frames
label = ctx.filters.describe()
if frames.empty:
    st.info("No article matches the filters. Widen them in the sidebar or use “Clear filters”.",
            icon=":material/filter_alt_off:")

# -- headline figures ------------------------------------------------------------------------------
head = view.headline(frames)
total = len(ctx.all_frames.articles)
# (label, value, help, note under the value)
METRICS = [
    ("Articles", view.compact_count(head.articles),
     f"{head.articles:,} articles match the filters, of {total:,} in the store." if ctx.filtered
     else f"{head.articles:,} articles in the store.",
     f"of {view.compact_count(total)}" if ctx.filtered else None),
    ("Publishers", view.format_count(head.publishers), "Distinct publishers of these articles.", None),
    ("Languages", view.format_count(head.languages), "Distinct languages of these articles.", None),
    ("Date span", head.span_length(), head.span_help() or "Publication dates of these articles.",
     head.span_text(short=True) if head.first is not None else None),
    ("Chips", view.format_count(head.chips), "Distinct chip models mentioned in these articles.", None),
    ("Countries", view.format_count(head.countries), "Distinct countries mentioned in these articles.", None),
    ("Quotes", view.compact_count(head.quotes), f"{head.quotes:,} direct and indirect quotes found in these articles.",
     None),
]
for col, (name, value, help_text, note) in zip(st.columns([1, 1.1, 1.1, 1.6, 0.9, 1.1, 1]), METRICS):
    col.metric(name, value, help=help_text, border=True, height="stretch",
               **({"delta": note, "delta_color": "off", "delta_arrow": "off"} if note else {}))

# -- volume over time ------------------------------------------------------------------------------
with st.container(horizontal=True, gap="large", key="ov_volume_controls"):
    granularity = st.segmented_control(
        "Time step", list(view.GRANULARITIES), format_func=view.GRANULARITIES.get, default="month",
        required=True, key="ov_granularity")
    measure = st.segmented_control(
        "Show", list(view.MEASURES), format_func={"count": "Counts", "share": "Share"}.get, default="count",
        required=True, key="ov_measure", help="Counts: articles per period. Share: each period adds up to 100 %.")
    breakdown = st.segmented_control(
        "Split by", list(view.BREAKDOWNS), format_func=view.BREAKDOWNS.get, default="language", required=True,
        key="ov_breakdown", help="Publishers beyond the seven largest are grouped as “Other publishers”.")
chart_panel(charts.volume_section(frames, granularity or "month", measure or "count", breakdown or "language"),
            page="overview", filters_label=label, key="ov_volume")

# -- most-mentioned entities (click a bar to narrow the table) -------------------------------------
st.divider()
st.subheader("Most mentioned", anchor=False)
st.caption("Click a bar to list the articles that mention it (shift-click to add more; several charts combine).")
GEN_KEY = "ov_selection_gen"  # bumping it gives the charts new keys, which clears their selections
gen = st.session_state.setdefault(GEN_KEY, 0)
picked: dict[str, list[str]] = {}
named: list[str] = []  # per chart: "H200 or H20"
for col, kind in zip(st.columns(3, gap="medium"), charts.TOP_KINDS):
    etype = charts.TOP_KINDS[kind][0]
    with col:
        section = charts.top_section(frames, kind)
        event = chart_panel(replace(section, title=charts.TOP_KINDS[kind][2]), page="overview",
                            filters_label=label, key=f"ov_top_{kind}_{gen}", on_select="rerun")
    by_label = dict(zip(section.data.get("name", []), section.data.get("id", [])))
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    ids = []
    for point in points:
        eid = point.get("customdata") if isinstance(point.get("customdata"), str) else by_label.get(point.get("y"))
        if eid and eid not in ids:
            ids.append(eid)
    picked[etype] = ids
    if ids:
        named.append(" or ".join(view.display_name(e, frames.kb) for e in ids))

narrowed = view.articles_mentioning(frames.mentions, picked)
if narrowed is None:
    st.subheader("Articles", anchor=False)
    st.caption(f"{len(frames.articles):,} articles, newest first.")
    article_table(frames.articles, key="ov_articles")
else:
    shown = frames.articles[frames.articles["id"].isin(narrowed)]
    st.subheader("Articles", anchor=False)
    head_cols = st.columns([4, 1])
    head_cols[0].caption(escape_markdown(f"{len(shown):,} of {len(frames.articles):,} articles mention "
                                         + " and ".join(named) + ", newest first."))
    head_cols[1].button("Clear chart selection", icon=":material/close:", key="ov_clear_selection",
                        on_click=lambda: st.session_state.update({GEN_KEY: gen + 1}), width="stretch")
    article_table(shown, key="ov_articles")

# -- latest status changes ------------------------------------------------------------------------
st.divider()
st.subheader("Latest status changes", anchor=False)
st.caption(charts.STATUS_NOTE)
status_changes_table(view.latest_status_changes(frames.status, frames.kb, n=15), key="ov_status")
