"""Figure builders of the Overview page (pure: DataFrames in, plotly Figures out; no streamlit).

- `volume_figure`: articles over time, day/week/month, counts or share, stacked by language or publisher;
- `top_entities_figure`: the most-mentioned chips/companies/countries as horizontal bars (distinct articles);
- `status_changes_figure`: the latest status changes as a table (for the report);
- `report_sections(frames, **params)`: the page's charts for the one-file report.
"""
from __future__ import annotations

from typing import Optional

import pandas as pd
import plotly.graph_objects as go

from chipwatch import overview_view as view
from chipwatch.charts import ChartSection, theme

# Fixed colours per language so a language keeps its colour whatever the filters.
LANGUAGE_COLORS = {"Korean": "#1F4E79", "English": "#C8553D", "Chinese": "#2A9D8F", "Japanese": "#E9B44C",
                   "Other": "#8E6C8A", "Unknown": theme.MUTED}
GROUP_FALLBACK = theme.CATEGORICAL

TOP_KINDS = {
    # key: (entity type, report title, short title under a "Most mentioned" heading, noun for messages)
    "chips": ("chip", "Most-mentioned chips", "Chips", "chips"),
    "companies": ("company", "Most-mentioned companies", "Companies", "companies"),
    "countries": ("country", "Most-mentioned countries", "Countries", "countries"),
}


def _group_colors(groups: list[str], breakdown: Optional[str]) -> dict[str, str]:
    colors: dict[str, str] = {}
    palette = iter([c for c in GROUP_FALLBACK if c != theme.MUTED] * 3)
    for g in groups:
        if breakdown == "language" and g in LANGUAGE_COLORS:
            colors[g] = LANGUAGE_COLORS[g]
        elif g in (view.OTHER_PUBLISHERS, view.UNKNOWN_PUBLISHER):
            colors[g] = "#B8C0CC"
        else:
            colors[g] = next(palette)
    return colors


def volume_figure(vol: pd.DataFrame, granularity: str = "month", measure: str = "count",
                  breakdown: Optional[str] = "language") -> go.Figure:
    """Stacked bars of articles per period from `overview_view.volume(...)`.

    measure 'count': bar height = articles in the period, stacked by group;
    measure 'share': each period's bars add up to 100 % (periods without articles are left empty).
    """
    if measure not in view.MEASURES:
        raise ValueError(f"measure must be one of {list(view.MEASURES)}, not {measure!r}")
    if vol.empty or int(vol["articles"].sum()) == 0:
        return theme.empty_figure("No dated articles match the filters, so there is nothing to chart over time.")
    fig = go.Figure(layout=dict(template=theme.register()))
    groups = list(dict.fromkeys(vol["group"]))
    colors = _group_colors(groups, breakdown)
    unit = {"day": "Day", "week": "Week starting", "month": "Month"}[granularity]
    for g in groups:
        part = vol[vol["group"] == g]
        y = part["share"] if measure == "share" else part["articles"]
        labels = [view.period_label(p, granularity) for p in part["period"]]
        # The group may be a publisher's name (article data): escaped for plotly, and kept out of the
        # template itself (a "%{...}" in a name would be read as a placeholder).
        fig.add_bar(
            x=part["period"], y=y, name=theme.plain(g), marker_color=colors[g], marker_line_width=0,
            customdata=list(zip(labels, part["articles"], part["period_total"],
                                part["share"].fillna(0.0), [theme.plain(g)] * len(part))),
            hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[4]}: %{customdata[1]:,} of %{customdata[2]:,} "
                           "articles (%{customdata[3]:.0%})<extra></extra>"),
        )
    title_word = view.BREAKDOWNS.get(breakdown, "") if breakdown else ""
    fig.update_layout(
        barmode="stack", bargap=0.15 if granularity != "day" else 0.0, height=380,
        legend=dict(title_text=f"{title_word}:" if title_word else "", orientation="h", yanchor="bottom", y=1.02,
                    xanchor="left", x=0, font=dict(size=12), traceorder="normal"),
        hovermode="closest", margin=dict(l=64, r=24, t=48, b=48),
    )
    fig.update_xaxes(title_text=unit if granularity != "week" else "Week (starting Monday)", type="date",
                     showgrid=False)
    if granularity == "month":
        fig.update_traces(xperiod="M1", xperiodalignment="middle")
        fig.update_xaxes(dtick="M3" if _n_periods(vol) <= 24 else "M6", tickformat="%b %Y")
    elif granularity == "week":
        fig.update_traces(xperiod=7 * 24 * 3600 * 1000, xperiodalignment="start")
    if measure == "share":
        fig.update_yaxes(title_text="Share of the period's articles", tickformat=".0%", range=[0, 1])
    else:
        fig.update_yaxes(title_text="Articles", tickformat=",d", rangemode="tozero")
    return fig


def _n_periods(vol: pd.DataFrame) -> int:
    return int(vol["period"].nunique())


def top_entities_figure(top: pd.DataFrame, kind: str = "chips") -> go.Figure:
    """Horizontal bars from `overview_view.top_entities(...)`: the most mentioned on top.

    Each bar carries its entity id as customdata (a click/selection names the entity).
    """
    etype, _title, short_title, noun = TOP_KINDS[kind]
    if top.empty:
        return theme.empty_figure(f"No {noun} are mentioned in the matching articles.")
    fig = go.Figure(layout=dict(template=theme.register()))
    fig.add_bar(
        x=top["articles"], y=top["label"], orientation="h", customdata=top["entity_id"],
        marker_color=theme.PRIMARY, marker_line_width=0,
        text=[f"{n:,}" for n in top["articles"]], textposition="outside", cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>%{x:,} articles<extra></extra>",
        name=short_title,
    )
    n = len(top)
    fig.update_layout(height=max(200, 70 + 30 * n), bargap=0.3, showlegend=False,
                      margin=dict(l=8, r=40, t=16, b=48), clickmode="event+select", dragmode=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False, ticks="", title_text=None)
    fig.update_xaxes(title_text="Articles mentioning it", tickformat=",d", rangemode="tozero",
                     range=[0, float(top["articles"].max()) * 1.18])
    return fig


def status_changes_figure(changes: pd.DataFrame) -> go.Figure:
    """The latest status changes as a plotly table (the report's version of the page's table)."""
    if changes.empty:
        return theme.empty_figure("No dated export or import decision matches the filters.")
    # Evidence and article titles are article text: every cell is escaped (plotly tables render HTML tags).
    cells = [
        [d.strftime("%Y-%m-%d") if pd.notna(d) else "—" for d in changes["date"]],
        [theme.plain(c) for c in changes["chip"]],
        [theme.plain(f"{s}: {a} → {d}") for s, a, d in zip(changes["side"], changes["actor"], changes["destination"])],
        [theme.plain(f"{p} → {s}" if p else s) for p, s in zip(changes["previous"], changes["status"])],
        [theme.plain(e) for e in changes["evidence"].fillna("")],
        [theme.plain(u if isinstance(u, str) and u else (a or ""))
         for u, a in zip(changes["source_url"], changes["article"])],
    ]
    fig = go.Figure(layout=dict(template=theme.register()))
    fig.add_table(
        columnwidth=[70, 70, 150, 150, 380, 200],
        header=dict(values=["Date", "Chip", "Who → where", "Status", "Evidence", "Source"],
                    fill_color="#F3F5F8", align="left", font=dict(size=12)),
        cells=dict(values=cells, align="left", font=dict(size=11), height=24),
    )
    fig.update_layout(height=min(1400, 120 + 64 * len(changes)), margin=dict(l=8, r=8, t=16, b=8))
    return fig


STATUS_NOTE = ("A row is a day on which a chip's export or import status for a country pair differs from the "
               "previous report: the curated timeline when it has that day, else what most articles say.")


# -- sections --------------------------------------------------------------------------------------

def volume_section(frames, granularity: str = "month", measure: str = "count",
                   breakdown: str = "language") -> ChartSection:
    vol = view.volume(frames.articles, granularity, breakdown)
    undated = int(frames.articles["published"].isna().sum()) if not frames.articles.empty else 0
    note = (f"Articles per {granularity} by publication date"
            + (f", stacked by {breakdown}" if measure == "count" else f"; share of each {granularity}'s articles "
               f"by {breakdown}")
            + (", top publishers, the rest grouped" if breakdown == "publisher" else "")
            + "." + (f" {undated:,} article{'s' if undated != 1 else ''} without a date "
                     f"{'are' if undated != 1 else 'is'} not charted." if undated else ""))
    data = vol.rename(columns={"period": "period_start", "group": breakdown}) if not vol.empty else vol
    title = "Articles over time" if measure == "count" else f"Share of articles by {breakdown}"
    return ChartSection(name=f"volume-{granularity}-{measure}-{breakdown}", title=title,
                        figure=volume_figure(vol, granularity, measure, breakdown), data=data, note=note)


def top_section(frames, kind: str, n: int = 10) -> ChartSection:
    etype, title, _axis, noun = TOP_KINDS[kind]
    top = view.top_entities(frames.mentions, etype, frames.kb, n=n)
    note = f"Distinct articles that mention each of the top {n} {noun} (title or body)."
    return ChartSection(name=f"top-{kind}", title=title, figure=top_entities_figure(top, kind),
                        data=top.rename(columns={"entity_id": "id", "label": "name"}), note=note)


def status_section(frames, n: int = 15) -> ChartSection:
    changes = view.latest_status_changes(frames.status, frames.kb, n=n)
    return ChartSection(
        name="latest-status-changes", title="Latest status changes", figure=status_changes_figure(changes),
        data=changes.drop(columns=["article_id"]), note=STATUS_NOTE)


def report_sections(frames, granularity: str = "month", measure: str = "count", breakdown: str = "language",
                    top_n: int = 10, status_n: int = 15, **_ignored) -> list[ChartSection]:
    """The Overview's charts for the one-file report, under the (already filtered) frames."""
    return [
        volume_section(frames, granularity, measure, breakdown),
        top_section(frames, "chips", top_n),
        top_section(frames, "companies", top_n),
        top_section(frames, "countries", top_n),
        status_section(frames, status_n),
    ]
