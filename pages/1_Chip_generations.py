"""Chipwatch dashboard: Chip generations.

The chip charts come from the knowledge base (not from the articles): the shared company filter
restricts them to the vendors it names, the chip filter highlights chips. The article table and
the mentions chart follow every shared filter (ctx.frames).
"""
from dataclasses import replace

import streamlit as st

from chipwatch.charts import generations as gen
from chipwatch_ui.components import article_table, empty_store_notice
from chipwatch_ui.frame import page_frame
from chipwatch_ui.panel import chart_panel
from chipwatch_ui.text import escape_markdown

ctx = page_frame("Chip generations")
PAGE = "Chip generations"

st.title("Chip generations", anchor=False)
st.caption("Where each AI chip sits against the US export-control thresholds, how each vendor's generations "
           "follow one another, and which generations the articles talk about.")
store_empty = empty_store_notice(ctx)

kb_chips = ctx.all_frames.chips
all_vendors = list(dict.fromkeys(kb_chips["vendor"])) if not kb_chips.empty else []
filter_vendors = gen.vendors_from_filters(kb_chips, ctx.filters.companies)
vendor_options = filter_vendors or all_vendors
highlight = gen.highlight_from_filters(kb_chips, ctx.filters.chips)

# -- controls -------------------------------------------------------------------------------------
controls = st.columns([3, 2], vertical_alignment="bottom")
with controls[0]:
    vendors = st.pills(
        "Vendors", vendor_options, selection_mode="multi", default=vendor_options,
        key="gen_vendors_" + "_".join(vendor_options),
        help="Chip vendors in the knowledge base (narrowed by the Company filter when it names a vendor).",
    )
with controls[1]:
    variants_only = st.toggle(
        "Only China-specific variants", key="gen_variants_only",
        help="Show only the chips cut down for China, with the chips they were cut from.",
    )
if ctx.filters.companies and filter_vendors is None:
    st.caption(escape_markdown("The Company filter names no chip vendor, so chips of every vendor are shown; "
                               "the articles below still follow the filter."))
if highlight:
    st.caption(escape_markdown("Highlighted by the Chip filter: " + ", ".join(sorted(highlight))))

# Containers in reading order; the mentions control is read before the sections are built.
scatter_box, articles_box, specs_box, timeline_box, mentions_box = (st.container() for _ in range(5))
with mentions_box:
    st.subheader("Which generations the articles talk about", anchor=False)
    freq = st.segmented_control(
        "Count articles per", list(gen.FREQ_LABELS), format_func=lambda f: gen.FREQ_LABELS[f].capitalize(),
        default="M", required=True, key="gen_freq",
    ) or "M"

if not vendors:
    st.info("Pick at least one vendor to draw the chip charts.", icon=":material/info:")
    st.stop()

sections = gen.report_sections(ctx.frames, vendors=vendors, variants_only=variants_only, highlight=highlight,
                               freq=freq)
scatter, timeline, mentions = sections
label = ctx.filters.describe()
plotted = scatter.data[scatter.data["Plotted"] != gen.NOT_PLOTTED] if not scatter.data.empty else scatter.data

# -- (a) TPP against the thresholds + the articles about the selected chips ---------------------------
selected: list[str] = []
with scatter_box:
    if plotted.empty:
        st.subheader(scatter.title, anchor=False)
        missing = ", ".join(scatter.data["Chip"]) if not scatter.data.empty else ""
        st.info("No chip to plot for this choice of vendors" + (" and variants" if variants_only else "") +
                (f" (no TPP in the knowledge base for: {missing})." if missing else "."), icon=":material/info:")
    else:
        event = chart_panel(scatter, page=PAGE, filters_label=label, key="gen_tpp", on_select="rerun",
                            selection_mode=("points", "box", "lasso"))
        selected = gen.selected_chips(event, scatter.figure)

with articles_box:
    arts = ctx.frames.articles
    if selected:
        shown = gen.articles_mentioning(arts, ctx.frames.mentions, selected)
        st.subheader(escape_markdown("Articles that mention " + ", ".join(selected)), anchor=False)
        if shown.empty:
            st.info(escape_markdown(f"No article under the current filters mentions {', '.join(selected)}."),
                    icon=":material/info:")
        else:
            st.caption(escape_markdown(f"{len(shown)} of {len(arts)} articles under the filters. "
                                       "Double-click the chart to clear the selection."))
    else:
        shown = arts
        st.subheader("Articles", anchor=False)
        if store_empty:
            st.caption("No articles to list: the store is empty.")
        elif arts.empty:
            st.info("No article matches the filters in the sidebar.", icon=":material/info:")
        else:
            st.caption(escape_markdown(f"All {len(arts)} articles under the filters. Click a chip on the chart "
                                       "(or drag a box around several) to list only the articles that mention it."))
    # Up to 12 rows before it scrolls; an empty table keeps room for its "empty" line.
    article_table(shown, key="gen_articles", height=35 * (min(max(len(shown), 1), 12) + 1) + 3)

with specs_box:
    with st.expander("Chip specifications (knowledge base)"):
        specs = scatter.data.drop(columns=["Plotted"]) if not scatter.data.empty else scatter.data
        st.dataframe(
            specs, hide_index=True, width="stretch", placeholder="—",
            column_config={
                "Release": st.column_config.TextColumn("Release"),
                "TPP": st.column_config.NumberColumn("TPP", format="localized"),
                "Perf. density": st.column_config.NumberColumn("Perf. density", format="%.2f"),
                "BF16 TFLOPS": st.column_config.NumberColumn("BF16 TFLOPS", format="localized"),
                "FP8 TFLOPS": st.column_config.NumberColumn("FP8 TFLOPS", format="localized"),
                "Memory (GB)": st.column_config.NumberColumn("Memory (GB)", format="localized"),
                "Bandwidth (TB/s)": st.column_config.NumberColumn("Bandwidth (TB/s)", format="%.3g"),
                "Die area (mm²)": st.column_config.NumberColumn("Die area (mm²)", format="localized"),
                "Uncertain": st.column_config.CheckboxColumn("Uncertain values"),
                "Source": st.column_config.LinkColumn("Source", display_text=r"https?://(?:www\.)?([^/]+)/.*"),
            },
        )

# -- (b) architecture timeline ------------------------------------------------------------------------
with timeline_box:
    if timeline.data.empty:
        st.subheader(timeline.title, anchor=False)
        st.info("No architecture in the knowledge base for the selected vendors.", icon=":material/info:")
    else:
        chart_panel(timeline, page=PAGE, filters_label=label, key="gen_timeline")

# -- (c) mentions by generation ---------------------------------------------------------------------------
with mentions_box:
    if mentions.data.empty:
        if store_empty:
            st.info("No articles in the store yet, so there are no mentions to count.", icon=":material/info:")
        else:
            st.info("No article under the current filters mentions a chip or architecture of the selected vendors.",
                    icon=":material/info:")
    else:
        # The subheader is drawn above the control, so the panel draws none.
        chart_panel(replace(mentions, title=""), page=PAGE, filters_label=label, key="gen_mentions")
