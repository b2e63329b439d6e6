"""Figures of the Stakeholder stances page (DataFrame -> plotly Figure, no streamlit).

- stance_bars(counts): diverging horizontal bars per stakeholder — statements against the
  chip trade to the left, in favour to the right, neutral/unclear in a narrow column of their
  own — grouped under bold group headers on shaded bands; positions reported by others are
  hatched and lighter.
- stance_timeline(df): per group and period, a dot sized by statements and coloured by the
  net stance (favor − against, as a share of statements).
"""
from __future__ import annotations

import math
from typing import Optional

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from chipwatch import stances_view as sv
from chipwatch.charts import ChartSection
from chipwatch.charts import theme

REPORTED_LABEL = "Reported by others"
REPORTED_PATTERN = "/"
ROW_PX = 24
BAND_COLOR = "#F3F5F8"
HEADER_COLOR = "#1F4E79"
NET_COLORSCALE = [[0.0, theme.STANCE_COLORS["against"]], [0.5, "#E6E9EE"], [1.0, theme.STANCE_COLORS["favor"]]]
SHORT_LABELS = {"favor": "Favor", "against": "Against", "neutral": "Neutral", "unclear": "Unclear"}


def _lighter(hex_color: str, amount: float = 0.45) -> str:
    """Mix a colour with white (the fill behind the hatch of reported positions)."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    mix = lambda c: round(c + (255 - c) * amount)  # noqa: E731
    return f"#{mix(r):02X}{mix(g):02X}{mix(b):02X}"


def _header(group: str) -> str:
    # A group header row (a category of its own, no bar): drawn as a bold tick label.
    return f"<b>{group}</b>"


def _tick_label(row: str, headers: set[str]) -> str:
    """What the y axis shows for a row: header rows bold, names escaped (plotly renders HTML in tick labels;
    a stakeholder's name can come from an article, e.g. "anonymous (<publisher>)")."""
    if row in headers:
        return f"<b>{theme.plain(row[3:-4])}</b>"
    return theme.plain(row)


def _nice_step(span: float, target_ticks: int = 4) -> int:
    raw = max(span / target_ticks, 1)
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return int(m * mag)
    return int(10 * mag)


def _symmetric_ticks(limit: float) -> tuple[list[int], list[str]]:
    step = _nice_step(limit)
    top = int(math.floor(limit / step) * step)
    vals = list(range(-top, top + 1, step)) or [0]
    return vals, [f"{abs(v):,}" for v in vals]


def _count_text(values, minimum: float) -> list[str]:
    """Counts as labels, only on segments long enough to hold them (hover has every number)."""
    return [f"{int(v):,}" if v and v >= minimum else "" for v in values]


def bar_rows(counts: pd.DataFrame) -> list[str]:
    """The y categories top to bottom: each group's header followed by its stakeholders."""
    rows: list[str] = []
    for group, part in counts.groupby("group", sort=False):
        rows.append(_header(group))
        rows.extend(part["name"].tolist())
    return rows


def stance_bars(counts: pd.DataFrame, *, title: Optional[str] = None) -> go.Figure:
    """Diverging bars from `stances_view.stance_counts` (rows already in drawing order)."""
    if counts is None or counts.empty:
        return theme.empty_figure("No stances to chart under the current filters.")
    counts = counts.reset_index(drop=True)
    rows = bar_rows(counts)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.8, 0.2], horizontal_spacing=0.025)
    names = counts["name"].tolist()
    hover_data = counts[["holder", "group", "favor", "favor_reported", "against", "against_reported", "neutral",
                         "neutral_reported", "unclear", "unclear_reported", "total", "net"]]
    custom = hover_data.to_numpy(dtype=object)
    # The hover shows escaped names (customdata[1] group, customdata[12] name); the y values stay the raw
    # names, because a click hands them back to the page (stances_view.holders_for_names).
    custom[:, 1] = [theme.plain(g) for g in custom[:, 1]]
    custom = [list(row) + [theme.plain(n)] for row, n in zip(custom, names)]
    hover = ("<b>%{customdata[12]}</b> · %{customdata[1]}<br>"
             "Favor: %{customdata[2]} own, %{customdata[3]} reported by others<br>"
             "Against: %{customdata[4]} own, %{customdata[5]} reported by others<br>"
             "Neutral: %{customdata[6]} own, %{customdata[7]} reported · Unclear: %{customdata[8]} own, "
             "%{customdata[9]} reported<br>"
             "Statements: %{customdata[10]} · net %{customdata[11]:+d}<extra></extra>")

    left = int((counts["against"] + counts["against_reported"]).max())
    right = int((counts["favor"] + counts["favor_reported"]).max())
    limit = max(left, right, 1)
    side = int((counts[["neutral", "neutral_reported", "unclear", "unclear_reported"]].sum(axis=1)).max())
    side = max(side, 1)
    # A label needs ~16 px: the main column is ~2*limit counts over ~70 % of the width, the side one ~side
    # counts over ~17 %.
    min_label = {1: 2 * limit * 0.035, 2: side * 0.14}

    def bar(stance: str, reported: bool, sign: int, col: int, show: bool) -> go.Bar:
        column = f"{stance}_reported" if reported else stance
        values = [int(v) for v in counts[column]]
        color = theme.STANCE_COLORS[stance]
        marker = dict(color=_lighter(color) if reported else color, line=dict(width=0.6, color="white"))
        if reported:
            marker["pattern"] = dict(shape=REPORTED_PATTERN, fgcolor=color, fgopacity=0.9, size=6, solidity=0.35)
        return go.Bar(
            x=[sign * v for v in values], y=names, orientation="h", customdata=custom, hovertemplate=hover,
            name=theme.STANCE_LABELS[stance] if not reported else f"{theme.STANCE_LABELS[stance]}, reported",
            legendgroup=stance, showlegend=show, marker=marker,
            text=_count_text(values, min_label[col]), textposition="inside", insidetextanchor="middle", textangle=0,
            constraintext="none",
            textfont=dict(color="#1B2430" if reported or stance in ("neutral", "unclear") else "white", size=11,
                          **({"shadow": "0 0 3px white, 0 0 2px white", "weight": "bold"} if reported else {})),
            meta=dict(stance=stance, reported=reported),
        )

    # Own words nearest the axis, reported positions stacked outside them.
    fig.add_trace(bar("against", False, -1, 1, True), row=1, col=1)
    fig.add_trace(bar("against", True, -1, 1, False), row=1, col=1)
    fig.add_trace(bar("favor", False, 1, 1, True), row=1, col=1)
    fig.add_trace(bar("favor", True, 1, 1, False), row=1, col=1)
    for stance in ("neutral", "unclear"):
        fig.add_trace(bar(stance, False, 1, 2, True), row=1, col=2)
        fig.add_trace(bar(stance, True, 1, 2, False), row=1, col=2)
    # One legend entry for every hatched segment.
    fig.add_trace(go.Bar(x=[0], y=[names[0]], orientation="h", name=REPORTED_LABEL,
                         showlegend=bool(counts["reported_total"].sum() > 0),
                         hoverinfo="skip", marker=dict(color="#FFFFFF", line=dict(width=0.8, color=theme.MUTED),
                                                       pattern=dict(shape=REPORTED_PATTERN, fgcolor=theme.MUTED,
                                                                    size=6, solidity=0.35))),
                  row=1, col=1)
    # Header rows hold no bar; an invisible point keeps them on the axis (no hover, no click).
    headers = [r for r in rows if r not in set(names)]
    fig.add_trace(go.Scatter(x=[0] * len(headers), y=headers, mode="markers", marker=dict(opacity=0),
                             hoverinfo="skip", showlegend=False), row=1, col=1)

    vals, texts = _symmetric_ticks(limit)
    pad = limit * 0.06 + 0.3
    fig.update_xaxes(range=[-limit - pad, limit + pad], tickvals=vals, ticktext=texts, zeroline=True,
                     zerolinecolor="#8A94A3", zerolinewidth=1.5, row=1, col=1, side="top",
                     title=dict(text="◀ Against (restrict)   ·   statements   ·   Favor (let chips flow) ▶",
                                font=dict(size=12)))
    s_step = _nice_step(side, 2)
    fig.update_xaxes(range=[0, side * 1.08 + 0.2], dtick=s_step, tickformat=",d", row=1, col=2,
                     side="top", title=dict(text="Neutral / unclear", font=dict(size=12)))

    # Shaded bands behind every other group; the header row is part of its band.
    index = {r: i for i, r in enumerate(rows)}
    for n, (group, part) in enumerate(counts.groupby("group", sort=False)):
        if n % 2:
            continue
        y0 = index[_header(group)] - 0.5
        y1 = index[part["name"].iloc[-1]] + 0.5
        fig.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=y0, y1=y1, fillcolor=BAND_COLOR,
                      line_width=0, layer="below")

    plot_px = ROW_PX * len(rows)
    top_margin = 120
    header_rows = {_header(g) for g in counts["group"]}
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed", showgrid=False,
                     ticks="", automargin=True, tickfont=dict(size=12), row=1, col=1,
                     tickmode="array", tickvals=rows, ticktext=[_tick_label(r, header_rows) for r in rows])
    fig.update_yaxes(showgrid=False, ticks="", row=1, col=2)
    fig.update_layout(
        template=theme.register(), barmode="relative", bargap=0.28, height=plot_px + top_margin + 30,
        margin=dict(l=10, r=20, t=top_margin, b=20),
        legend=dict(orientation="h", yanchor="bottom", y=1 + 62 / plot_px, x=0, xanchor="left",
                    traceorder="normal", font=dict(size=12)),
        hovermode="closest", dragmode=False,
        clickmode="event+select",
        **({"title": dict(text=title)} if title else {}),
    )
    return fig


def stance_timeline(df: pd.DataFrame, *, freq: str = "M", title: Optional[str] = None) -> go.Figure:
    """Dots per group and period from `stances_view.stance_over_time`: size = statements,
    colour = net stance share (-1 all against … +1 all favor)."""
    if df is None or df.empty:
        return theme.empty_figure("No dated stances to chart under the current filters.")
    groups = list(dict.fromkeys(df["group"]))
    biggest = max(int(df["total"].max()), 1)
    sizes = [6 + 14 * math.sqrt(t / biggest) for t in df["total"]]
    period_fmt = {"D": "%Y-%m-%d", "W": "week of %Y-%m-%d", "M": "%B %Y"}.get(freq, "%Y-%m-%d")
    custom = df[["favor", "against", "neutral", "unclear", "total", "net"]].to_numpy(dtype=object)
    custom = [list(row) + [theme.plain(g)] for row, g in zip(custom, df["group"])]  # [6]: the escaped group
    fig = go.Figure(go.Scatter(
        x=df["period"], y=df["group"], mode="markers", customdata=custom,
        marker=dict(size=sizes, color=df["net_share"].astype(float), cmin=-1, cmax=1, colorscale=NET_COLORSCALE,
                    line=dict(width=1, color="#5B6573"), opacity=0.95,
                    colorbar=dict(title=dict(text="Net stance", side="top"), tickvals=[-1, 0, 1],
                                  ticktext=["All against", "Balanced or neutral", "All favor"], len=0.9,
                                  thickness=12, outlinewidth=0)),
        hovertemplate=("<b>%{customdata[6]}</b> · %{x|" + period_fmt + "}<br>Statements: %{customdata[4]}"
                       "<br>Favor %{customdata[0]} · Against %{customdata[1]} · Neutral %{customdata[2]}"
                       " · Unclear %{customdata[3]}<br>Net %{customdata[5]:+d}<extra></extra>"),
        showlegend=False,
    ))
    fig.update_yaxes(categoryorder="array", categoryarray=groups, autorange="reversed", showgrid=True,
                     ticks="", automargin=True, tickmode="array", tickvals=groups,
                     ticktext=[theme.plain(g) for g in groups])
    fig.update_xaxes(type="date", automargin=True, title=None)
    if df["period"].nunique() == 1:  # one period: give the dot some room
        p = pd.Timestamp(df["period"].iloc[0])
        span = {"D": pd.Timedelta(days=3), "W": pd.Timedelta(days=14)}.get(freq, pd.Timedelta(days=60))
        fig.update_xaxes(range=[p - span, p + span])
    fig.update_layout(template=theme.register(), height=110 + 46 * len(groups),
                      margin=dict(l=10, r=20, t=30, b=40), hovermode="closest",
                      **({"title": dict(text=title)} if title else {}))
    return fig


GROUP_WORDS = {"country": "country", "affiliation": "affiliation", "type": "kind of stakeholder"}


def bars_section(counts: pd.DataFrame, group_by: str = "country", include_reported: bool = True,
                 shown_of: Optional[int] = None) -> ChartSection:
    n = len(counts)
    more = f" ({n} of {shown_of} stakeholders, the most quoted)" if shown_of and shown_of > n else ""
    note = ("Statements per stakeholder: quotes and positions others attribute to them (hatched), grouped by "
            f"{GROUP_WORDS.get(group_by, group_by)}{more}.")
    if not include_reported:
        note = ("Statements per stakeholder in their own words (positions reported by others left out), grouped by "
                f"{GROUP_WORDS.get(group_by, group_by)}{more}.")
    return ChartSection(name="stances-by-stakeholder", title="Who is for and against the chip trade",
                        figure=stance_bars(counts), data=sv.counts_for_export(counts),
                        note=note)


def timeline_section(df: pd.DataFrame, freq: str = "M", group_by: str = "country") -> ChartSection:
    step = sv.FREQS.get(freq, freq).lower()
    return ChartSection(name="stance-over-time", title="Stance over time",
                        figure=stance_timeline(df, freq=freq), data=sv.timeline_for_export(df),
                        note=(f"One dot per {GROUP_WORDS.get(group_by, group_by)} and {step}: size = statements, "
                              "colour = (favor − against) ÷ statements. Undated articles are left out."))


def report_sections(frames, group_by: str = "country", include_reported: bool = True, freq: str = "M",
                    top: int = 30, **_ignored) -> list[ChartSection]:
    """The page's charts for the one-file report (same builders as the page)."""
    stances = frames.stances
    kb = frames.kb
    all_counts = sv.stance_counts(stances, group_by, include_reported, kb=kb)
    counts = sv.stance_counts(stances, group_by, include_reported, kb=kb, top=top)
    over_time = sv.stance_over_time(stances, freq=freq, by=group_by, include_reported=include_reported, kb=kb)
    return [bars_section(counts, group_by, include_reported, shown_of=len(all_counts)),
            timeline_section(over_time, freq, group_by)]
