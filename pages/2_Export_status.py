"""Chipwatch dashboard: Export status — who may sell which chip to whom, as of a day, and why."""
from datetime import date

import pandas as pd
import streamlit as st

from chipwatch.charts import ChartSection
from chipwatch.charts.status import (
    RULE_NOTE, SIDE_WORDS, as_of_table, evidence_table, matrix_table, periods_table, side_label, status_map,
    status_matrix_figure, status_timeline_figure,
)
from chipwatch.frames import filter_status
from chipwatch.status_timeline import (
    architecture_members, chips_with_status, country_name, date_span, enrich_status, evidence_rows, status_as_of,
    status_matrix, status_periods,
)
from chipwatch_ui.components import empty_store_notice
from chipwatch_ui.filters import describe_filters
from chipwatch_ui.frame import page_frame
from chipwatch_ui.panel import chart_panel
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Export status")

PAGE = "Export status"
CHIP_KEY, SIDE_KEY, WHEN_KEY = "status_chip", "status_side", "status_asof"
MAP_KEY, TIMELINE_KEY, MATRIX_KEY = "status_map", "status_timeline", "status_matrix"

st.title("Export status", anchor=False)
st.caption("Who may sell which chip to whom, as of a day you pick: the curated timeline plus the decisions "
           "the articles report. Every status links to its evidence below the map.")
empty_store_notice(ctx)

kb = ctx.all_frames.kb
filters = ctx.filters
filters_label = filters.describe()

# The shared filters, with one widening: a chip filter also keeps its generation's decisions
# ("Blackwell stays banned" applies to B200), which filter_status would drop by chip id.
status = ctx.frames.status
if filters.chips:
    members = architecture_members(kb)
    extra = tuple(a for a, chips in members.items() if a not in filters.chips and set(chips) & set(filters.chips))
    if extra:
        # Only the generations' rows can come out of this: filter those, not all 260k rows at 100k articles.
        everything = ctx.all_frames.status
        only_extra = ctx.all_frames.replace(status=everything[everything["chip"].isin(extra)])
        generation = filter_status(only_extra, filters.with_(chips=filters.chips + extra))
        status = pd.concat([status, generation]) if not status.empty else generation
rows = enrich_status(status, ctx.all_frames.articles)
first_day, last_day = date_span(rows, kb=kb)

if rows.empty or first_day is None:
    if filters.is_empty():
        st.info("No export or import decision is recorded yet: the curated timeline is empty and no article "
                "reports one.", icon=":material/info:")
    else:
        st.info(escape_markdown(
            f"No export or import decision matches the filters ({describe_filters(filters, ctx.options)}). "
            "Widen the dates or remove a filter in the sidebar."), icon=":material/filter_alt_off:")
    st.stop()

# -- controls -------------------------------------------------------------------------------------------
chip_options = chips_with_status(rows, kb=kb)


def chip_label(chip: str) -> str:
    if chip in kb.chips:
        vendor = kb.chips[chip].get("vendor")
        return f"{chip} ({vendor})" if vendor else chip
    return f"{chip} (whole generation)"


preferred = [c for c in filters.chips if c in chip_options] + (["H200"] if "H200" in chip_options else [])
default_chip = (preferred or chip_options)[0]
if st.session_state.get(CHIP_KEY) not in chip_options:
    st.session_state[CHIP_KEY] = default_chip
if st.session_state.get(SIDE_KEY) not in SIDE_WORDS:
    st.session_state[SIDE_KEY] = "export"
current = st.session_state.get(WHEN_KEY)
if not isinstance(current, date) or not first_day <= current <= last_day:
    st.session_state[WHEN_KEY] = last_day

c_chip, c_side, c_when = st.columns([1.2, 1.6, 3])
chip = c_chip.selectbox("Chip", chip_options, key=CHIP_KEY, format_func=chip_label,
                        help="Chips with a recorded decision under the filters. A generation (e.g. Blackwell) "
                             "shows the decisions that name the whole generation.")
side = c_side.radio("Side", list(SIDE_WORDS), key=SIDE_KEY, format_func=side_label, horizontal=True,
                    help="Export side: the exporting government's decision (e.g. the US licence). Import side: "
                         "the destination's decision (e.g. Beijing telling firms not to buy).")
if first_day < last_day:
    when = c_when.slider("Status as of", min_value=first_day, max_value=last_day, key=WHEN_KEY, format="YYYY-MM-DD",
                         help="The map and the matrix show the decisions in force on this day. The last day is "
                              "the latest recorded decision: a status stays in force until the next one.")
else:
    when = first_day
    c_when.caption(f"Status as of {first_day:%Y-%m-%d} (the only day with a recorded decision).")

when_txt = f"{when:%Y-%m-%d}"
side_words = SIDE_WORDS[side]

# -- map -----------------------------------------------------------------------------------------------
as_of = status_as_of(rows, chip, when, side, kb=kb)
event = None
st.subheader(escape_markdown(f"Where {chip} may go"), anchor=False)
if as_of.empty:
    other = "import" if side == "export" else "export"
    has_other = not status_as_of(rows, chip, when, other, kb=kb).empty
    later = not status_as_of(rows, chip, None, side, kb=kb).empty
    hint = []
    if has_other:
        hint.append(f"the {SIDE_WORDS[other]} has one")
    if later:
        hint.append("a later date has one")
    st.info(escape_markdown(f"No {side_words} decision on {chip} is recorded on or before {when_txt}"
                            + (f" ({' and '.join(hint)})." if hint else ".")), icon=":material/info:")
else:
    section = ChartSection("status-map", "", status_map(as_of, side, chip, when), as_of_table(as_of),
                           f"Click a country to see its evidence below (double-click the map to clear). "
                           f"Hong Kong, Macau and Singapore are dots. {RULE_NOTE}")
    event = chart_panel(section, page=PAGE, filters_label=filters_label, key=MAP_KEY, on_select="rerun")


def clicked_countries(evt) -> list[str]:
    """ISO-3 codes of the clicked map points (choropleth: `location`; small-territory dots: customdata[0])."""
    try:
        points = evt["selection"]["points"]
    except (KeyError, TypeError):
        return []
    codes = []
    for p in points or []:
        code = p.get("location") if isinstance(p, dict) else None
        if not code and isinstance(p, dict) and isinstance(p.get("customdata"), (list, tuple)) and p["customdata"]:
            code = p["customdata"][0]
        if isinstance(code, str) and code not in codes:
            codes.append(code)
    return codes


# -- evidence ------------------------------------------------------------------------------------------
picked = clicked_countries(event)
evidence = evidence_rows(rows, chip, when, side, kb=kb, countries=picked or None)
show_evidence = not (evidence.empty and as_of.empty)  # else the message above already says there is nothing
if show_evidence:
    st.subheader("Evidence", anchor=False)
    if picked:
        names = ", ".join(f"{country_name(c, kb)} ({c})" for c in picked)
        st.caption(escape_markdown(f"{chip}, {side_words}, up to {when_txt}, for {names} (picked on the map; "
                                   "double-click the map to show every country)."))
    else:
        st.caption(escape_markdown(f"Every {side_words} decision on {chip} up to {when_txt}, newest first. "
                                   "“On the map” marks the rows the map uses."))
if show_evidence and evidence.empty:
    where = f" for {', '.join(country_name(c, kb) for c in picked)}" if picked else ""
    st.info(escape_markdown(f"No {side_words} evidence on {chip}{where} up to {when_txt}."), icon=":material/info:")
elif show_evidence:
    table = evidence_table(evidence)
    st.dataframe(
        table, key="status_evidence", hide_index=True, width="stretch", placeholder="—",
        height=min(35 * (len(table) + 1) + 3, 35 * 13 + 3),
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small",
                                                help="Decision date (empty: the article does not state it)"),
            "Destination": st.column_config.TextColumn("Destination", width=185),
            "Status": st.column_config.TextColumn("Status", width=160),
            "On the map": st.column_config.CheckboxColumn(
                "On the map", width="small", help="This row decides the status the map shows for that country"),
            "Evidence": st.column_config.TextColumn("Evidence", width="large"),
            "Source link": st.column_config.LinkColumn("Source link", display_text=r"https?://(?:www\.)?([^/]+)",
                                                       help="The curated source, or the article's address"),
            "Article": st.column_config.TextColumn("Article", width="medium"),
            "Origin": st.column_config.TextColumn("Origin"),
            "Reported": st.column_config.DateColumn("Reported", format="YYYY-MM-DD",
                                                    help="Publication day of the article"),
            "Chip": st.column_config.TextColumn("Chip", help="What the decision names"),
            "Actor": st.column_config.TextColumn("Actor", help="The government deciding"),
            "Side": None,
        },
    )
    undated = int((evidence["date"].isna()).sum())
    if undated:
        st.caption(f"{undated} article claim{'s give' if undated != 1 else ' gives'} no decision date: listed last, "
                   "such a claim sets a status only before the first dated decision for its country.")

# -- timeline --------------------------------------------------------------------------------------------
periods = status_periods(rows, chip, kb=kb)
st.subheader(escape_markdown(f"{chip} over time"), anchor=False)
if periods.empty:
    st.info(escape_markdown(f"No decision on {chip} can be placed in time."), icon=":material/info:")
else:
    chart_panel(ChartSection("status-timeline", "", status_timeline_figure(periods, when=when, chip=chip),
                             periods_table(periods),
                             "Both sides. Each bar runs from a decision to the next change, or to today; "
                             "diamonds mark the decisions."),
                page=PAGE, filters_label=filters_label, key=TIMELINE_KEY)

# -- matrix ------------------------------------------------------------------------------------------------
cells = status_matrix(rows, when, side, kb=kb, long=True)
st.subheader("Every chip by destination", anchor=False)
if cells.empty:
    st.info(escape_markdown(f"No chip has an {side_words} decision recorded on or before {when_txt}."),
            icon=":material/info:")
else:
    chart_panel(ChartSection("status-matrix", "", status_matrix_figure(cells, highlight=chip, side=side, when=when),
                             matrix_table(cells),
                             f"Status in force on {when_txt}, {side_words}; the outlined row is {chip}. "
                             "Hover a cell for its evidence."),
                page=PAGE, filters_label=filters_label, key=MATRIX_KEY)
