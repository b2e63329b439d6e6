"""Chipwatch dashboard: Stakeholder stances."""
import pandas as pd
import streamlit as st

from chipwatch import stances_view as sv
from chipwatch.charts import stances as charts
from chipwatch_ui.components import TABLE_ROW_LIMIT, empty_store_notice
from chipwatch_ui.frame import page_frame
from chipwatch_ui.panel import chart_panel
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Stakeholder stances")

PAGE = "Stakeholder stances"
BARS_KEY = "stances_bars"
TOP_DEFAULT = 30

st.title(PAGE, anchor=False)
st.caption("Who is for and who is against letting AI chips flow, in their own words and as others report it.")
if empty_store_notice(ctx):
    st.stop()

kb = ctx.frames.kb
stances = ctx.frames.stances
quotes = ctx.frames.quotes

# -- controls ---------------------------------------------------------------------------------
c1, c2, c3, c4 = st.columns([1.5, 1.3, 1.3, 1.5], vertical_alignment="bottom")
group_by = c1.segmented_control(
    "Group stakeholders by", list(sv.GROUP_BY), format_func=sv.GROUP_BY_LABELS.get, default="country",
    required=True, key="stances_group_by")
freq = c2.segmented_control(
    "Time step", list(sv.FREQS), format_func=sv.FREQS.get, default="M", required=True, key="stances_freq",
    help="The period of the stance-over-time chart.")
include_reported = c3.toggle(
    "Reported positions", value=True, key="stances_include_reported",
    help="Include positions that a reporter, an outlet or another speaker attributes to the stakeholder "
         "(drawn hatched). Off: only the stakeholders' own words.")
top = c4.slider(
    "Stakeholders shown", min_value=5, max_value=max(60, TOP_DEFAULT), value=TOP_DEFAULT, step=5,
    key="stances_top", help="The most quoted stakeholders are charted; the quote table lists everyone.")

if stances.empty:
    n = len(ctx.frames.articles)
    where = ((f"the {n} articles that match the filters" if n != 1 else "the one article that matches the filters")
             if ctx.filtered else "the articles in the store")
    st.info(f"No stakeholder stances were found in {where}. Widen the filters in the sidebar to see stances.",
            icon=":material/info:")
    st.stop()

shown = stances if include_reported else sv.without_reported(stances)
if shown.empty:
    st.info("Every stance under these filters is a position reported by others. "
            "Turn on “Reported positions” to see them.", icon=":material/info:")
    st.stop()

all_counts = sv.stance_counts(shown, group_by, include_reported, kb=kb)
counts = sv.top_holders(all_counts, top)
filters_label = ctx.filters.describe()

# -- diverging bars (click a bar to narrow the quote table) ----------------------------------
event = chart_panel(charts.bars_section(counts, group_by, include_reported, shown_of=len(all_counts)),
                    page=PAGE, filters_label=filters_label, key=BARS_KEY, on_select="rerun",
                    selection_mode=("points",))
picked = []
try:
    points = (event or {})["selection"]["points"] or []
except (KeyError, TypeError):
    points = []
for point in points:
    value = point.get("y") if isinstance(point, dict) else None
    if value is None and isinstance(point, dict) and point.get("customdata"):
        value = point["customdata"][0]
    if value is not None:
        picked.append(value)
selected = sv.holders_for_names(all_counts, picked)
st.caption("Click a bar to list that stakeholder’s quotes below; double-click the chart to show everyone again.")

# -- stance over time -------------------------------------------------------------------------
over_time = sv.stance_over_time(shown, freq=freq, by=group_by, include_reported=include_reported, kb=kb)
chart_panel(charts.timeline_section(over_time, freq, group_by), page=PAGE, filters_label=filters_label,
            key="stances_timeline")

# -- quotes -----------------------------------------------------------------------------------
st.subheader("Quotes behind the stances", anchor=False)
table_stances = sv.select_holders(shown, selected)
table = sv.quote_table(quotes, table_stances, kb=kb, include_unattributed=not selected, limit=TABLE_ROW_LIMIT)
total = table.attrs.get("total", len(table))
listed = f"; the newest {len(table):,} are listed" if len(table) < total else ""
if selected:
    names = ", ".join(all_counts.set_index("holder").loc[selected, "name"])
    st.caption(escape_markdown(f"{total:,} statements by {names} (selected in the chart above){listed}."))
else:
    st.caption(escape_markdown(f"{total:,} statements by {shown['holder'].nunique():,} stakeholders{listed}."))
if table.empty:
    st.info("No quotes for this selection.", icon=":material/info:")
else:
    picked_rows = st.dataframe(
        table, hide_index=True, width="stretch", placeholder="—",
        key="stances_quotes" + ("|" + "|".join(selected) if selected else ""),  # a new selection starts afresh
        height=min(35 * (len(table) + 1) + 3, 35 * 16 + 3), on_select="rerun", selection_mode="single-row",
        column_order=["Date", "Stakeholder", "Affiliation", "Stance", "Confidence", "Quote", "Reported by",
                      "Article", "Publisher"],
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width=95),
            "Stakeholder": st.column_config.TextColumn("Stakeholder", width=150),
            "Affiliation": st.column_config.TextColumn("Affiliation", width=130),
            "Stance": st.column_config.TextColumn("Stance", width=145),
            "Confidence": st.column_config.ProgressColumn(
                "Confidence", format="%d%%", min_value=0, max_value=100, width=95,
                help="How sure the stance rule is (0–100 %)."),
            "Quote": st.column_config.TextColumn("Quote", width=420),
            "Reported by": st.column_config.TextColumn(
                "Reported by", width=140,
                help="Who attributes this position to the stakeholder; empty when it is their own words."),
            "Article": st.column_config.TextColumn("Article", width=300),
            "Publisher": st.column_config.TextColumn("Publisher", width=130),
        },
    )
    try:
        rows = (picked_rows or {})["selection"]["rows"] or []
    except (KeyError, TypeError):
        rows = []
    if rows and rows[0] < len(table):
        chosen = table.iloc[rows[0]]
        date = chosen["Date"].strftime("%Y-%m-%d") if not pd.isna(chosen["Date"]) else "undated"
        who = chosen["Stakeholder"] + (f", reported by {chosen['Reported by']}" if not pd.isna(chosen["Reported by"])
                                       else "")
        st.caption(escape_markdown(f"{who} · {chosen['Stance']} · {date} · {chosen['Article']}"))
        st.text(chosen["Quote"] if not pd.isna(chosen["Quote"]) else "—")
    else:
        st.caption("Select a row to read the whole quote.")
