"""Export status by country: the world map, the chip x destination matrix and the status timeline.

Pure figure builders over the frames of :mod:`chipwatch.status_timeline` (no streamlit). Status
colours, order and labels come from :mod:`chipwatch.charts.theme`; every figure uses its template.
Article text reaches a figure only as an HTML-escaped hover snippet.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Callable, Optional

import pandas as pd
import plotly.graph_objects as go

from chipwatch.charts import ChartSection, theme
from chipwatch.status_timeline import (
    DateLike, chips_with_status, country_name, date_span, status_as_of, status_matrix, status_periods, status_rows,
    to_timestamp,
)

# Cell labels for the matrix (the legend and hover use theme.STATUS_LABELS).
SHORT_LABELS = {"allowed": "Allowed", "conditional": "Conditional", "pending": "Pending",
                "license_required": "Licence", "discouraged": "Discouraged", "banned": "Banned"}
SIDE_WORDS = {"export": "export side", "import": "import side"}
NO_DATA_COLOR = "#E6E9EE"
NO_DATA_LABEL = "No decision recorded"
UNKNOWN_COLOR = theme.MUTED

# Territories too small for the 1:110m world map: drawn as dots (centre lat, lon).
SMALL_TERRITORIES = {"HKG": (22.32, 114.17), "MAC": (22.19, 113.54), "SGP": (1.35, 103.82), "BHR": (26.07, 50.55)}

RULE_NOTE = ("Latest decision on or before the date wins; on the same day the curated timeline wins over "
             "article claims. Generation-wide decisions (e.g. “Blackwell”) apply to that generation's "
             "datacenter chips, not to China-specific variants.")


# -- small helpers ------------------------------------------------------------------------------------

def _statuses(values) -> list[str]:
    """Statuses in the theme's order, unknown ones last."""
    present = list(dict.fromkeys(v for v in values if isinstance(v, str)))
    return [s for s in theme.STATUS_ORDER if s in present] + sorted(s for s in present if s not in theme.STATUS_ORDER)


def status_label(status: object) -> str:
    if not isinstance(status, str) or not status:
        return NO_DATA_LABEL
    return theme.STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def status_color(status: object) -> str:
    return theme.STATUS_COLORS.get(status, UNKNOWN_COLOR) if isinstance(status, str) else NO_DATA_COLOR


def side_label(side: Optional[str]) -> str:
    return theme.SIDE_LABELS.get(side, "Both sides") if side else "Both sides"


def day_text(value: DateLike) -> str:
    ts = to_timestamp(value)
    return ts.strftime("%Y-%m-%d") if ts is not None else ""


@lru_cache(maxsize=4096)
def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def snippet(text: object, width: int = 64, lines: int = 3) -> str:
    """Plain text -> at most `lines` lines of about `width` columns (CJK counts double), HTML-escaped,
    joined with <br> for a plotly hover."""
    if not isinstance(text, str):
        return ""
    return _snippet(text, width, lines)


# The same sentence is the evidence of many rows (an architecture row expands to each of its chips,
# reruns redraw the same claims): wrapping it char by char once is enough.
@lru_cache(maxsize=16384)
def _snippet(text: str, width: int, lines: int) -> str:
    words = " ".join(text.split())
    out, line, used = [], "", 0
    for ch in words:
        w = _width(ch)
        if used + w > width:
            # Break at the last space when there is one in the second half of the line.
            cut = line.rfind(" ")
            if cut > len(line) // 2:
                out.append(line[:cut])
                line = line[cut + 1:]
            else:
                out.append(line)
                line = ""
            used = sum(_width(c) for c in line)
            if len(out) == lines:
                break
        line += ch
        used += w
    else:
        if line:
            out.append(line)
    truncated = len(out) >= lines and (sum(len(x) for x in out) + len(out) - 1) < len(words)
    out = out[:lines]
    if truncated:
        out[-1] = out[-1].rstrip(" .,") + "…"
    return "<br>".join(theme.plain(x.strip()) for x in out)


def _short(text: object, limit: int = 70) -> str:
    if not isinstance(text, str):
        return ""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def origin_text(row) -> str:
    """'Curated timeline' / 'Article: <title>' (plain text)."""
    if row.get("origin") == "curated":
        return "Curated timeline" + (" (marked uncertain)" if bool(row.get("uncertain")) else "")
    title = row.get("title") if isinstance(row.get("title"), str) else row.get("source")
    return f"Article: {_short(title)}" if isinstance(title, str) and title else "Article"


def since_text(row) -> str:
    when = day_text(row.get("effective"))
    if row.get("date_basis") == "reported":
        return f"reported {when} (decision date not stated)"
    return when


def agreement_text(row) -> str:
    reports, conflicting = int(row.get("reports") or 0), int(row.get("conflicting") or 0)
    if not conflicting:
        return f"{reports} source{'s' if reports != 1 else ''} that day" if reports > 1 else ""
    return (f"{reports} source{'s' if reports != 1 else ''} that day give this status, "
            f"{conflicting} give another")


def named_text(row) -> str:
    named, scope = row.get("named_as"), row.get("scope")
    if scope == "architecture" and isinstance(named, str):
        return f"{named} (whole generation)"
    return named if isinstance(named, str) else ""


# -- the row helpers over whole columns ---------------------------------------------------------------
# At 100k articles one chip has thousands of evidence rows and timeline spans: building hovers and
# tables with to_dict("records") and day_text / snippet / origin_text per row cost about half a
# second per rerun. These give, for every row, exactly what the row helper gives (one strftime per
# column, one call per distinct value); tests/charts/test_status_speed_equivalence.py pins that.

def _values(df: pd.DataFrame, name: str) -> list:
    """The column as row.get(name) sees it in df.to_dict("records") (all None when absent)."""
    return df[name].tolist() if name in df.columns else [None] * len(df)


def per_value(values: list, fn: Callable[[object], object]) -> list:
    """[fn(v) for v in values], calling fn once per distinct value.

    Values must be hashable, and values that compare equal must give the same result (true of the
    texts and days here; a missing NaN is simply computed again)."""
    done: dict = {}
    out = []
    for v in values:
        try:
            out.append(done[v])
        except KeyError:
            out.append(done.setdefault(v, fn(v)))
    return out


def day_texts(values: pd.Series) -> list[str]:
    """[day_text(v) for v in values]: one vectorised strftime for a tz-naive datetime column."""
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.dt.strftime("%Y-%m-%d").fillna("").tolist()
    return per_value(values.tolist(), day_text)


def origin_texts(df: pd.DataFrame) -> list[str]:
    """[origin_text(r) for r in df.to_dict("records")]."""
    article = {}  # "Article: <short title>" per distinct title (or source)

    def one(origin, uncertain, title, source) -> str:
        if origin == "curated":
            return "Curated timeline" + (" (marked uncertain)" if bool(uncertain) else "")
        name = title if isinstance(title, str) else source
        if name not in article:
            article[name] = origin_text({"title": name})
        return article[name]

    return [one(*r) for r in zip(_values(df, "origin"), _values(df, "uncertain"), _values(df, "title"),
                                  _values(df, "source"))]


def since_texts(df: pd.DataFrame) -> list[str]:
    """[since_text(r) for r in df.to_dict("records")]."""
    days = day_texts(df["effective"]) if "effective" in df.columns else [""] * len(df)
    return [f"reported {d} (decision date not stated)" if basis == "reported" else d
            for d, basis in zip(days, _values(df, "date_basis"))]


def named_texts(df: pd.DataFrame) -> list[str]:
    """[named_text(r) for r in df.to_dict("records")]."""
    return [f"{named} (whole generation)" if scope == "architecture" and isinstance(named, str)
            else named if isinstance(named, str) else ""
            for named, scope in zip(_values(df, "named_as"), _values(df, "scope"))]


def _discrete_colorscale(statuses: list[str]) -> list:
    """A stepwise colorscale: status i of n is z = i (zmin -0.5, zmax n - 0.5)."""
    n = max(len(statuses), 1)
    scale = []
    for i, s in enumerate(statuses):
        scale += [[i / n, status_color(s)], [(i + 1) / n, status_color(s)]]
    return scale


def _hover_custom(df: pd.DataFrame) -> list[list[str]]:
    """customdata rows: [ISO-3, country, status label, since, evidence snippet, origin, notes]."""
    destinations = df["destination"].tolist()
    named = [n if scope == "architecture" else "" for n, scope in zip(named_texts(df), _values(df, "scope"))]
    agreement = [agreement_text({"reports": r, "conflicting": c})
                 for r, c in zip(_values(df, "reports"), _values(df, "conflicting"))]
    notes = [" · ".join(x for x in (f"Decision names {n}" if n else "", a) if x) for n, a in zip(named, agreement)]
    countries = [theme.plain(str(c or d)) for c, d in zip(_values(df, "country"), destinations)]
    return [list(r) for r in zip(destinations, countries, per_value(df["status"].tolist(), status_label),
                                 since_texts(df), per_value(_values(df, "evidence"), snippet),
                                 per_value(origin_texts(df), theme.plain), per_value(notes, theme.plain))]


HOVERLABEL = dict(align="left", font=dict(family=theme.FONT_FAMILY, size=12), bgcolor="white")

HOVER = ("<b>%{customdata[1]}</b> (%{customdata[0]})<br>"
         "<b>%{customdata[2]}</b> since %{customdata[3]}<br>"
         "%{customdata[4]}<br>"
         "<i>%{customdata[5]}</i><br>%{customdata[6]}<extra></extra>")


# -- the map -------------------------------------------------------------------------------------------

def status_map(as_of_df: pd.DataFrame, side: str, chip: str, when: DateLike) -> go.Figure:
    """World choropleth of ``status_as_of``: one colour per status (a legend of status labels),
    ISO-3 locations, world view (fitbounds off), small territories as dots.

    Every trace carries the ISO-3 code as customdata[0] (choropleth points also report it as
    ``location``), so a click can narrow the evidence.
    """
    when_txt = day_text(when) or "today"
    if as_of_df is None or as_of_df.empty:
        return theme.empty_figure(f"No {SIDE_WORDS.get(side, side)} status recorded for {chip} "
                                  f"on or before {when_txt}.")
    df = as_of_df if "country" in as_of_df.columns else as_of_df.assign(
        country=as_of_df["destination"].map(country_name))
    statuses = _statuses(df["status"])
    fig = go.Figure()
    for i, status in enumerate(statuses):
        sub = df[df["status"] == status]
        big = sub[~sub["destination"].isin(SMALL_TERRITORIES)]
        small = sub[sub["destination"].isin(SMALL_TERRITORIES)]
        shown = False
        if not big.empty:
            fig.add_trace(go.Choropleth(
                locations=list(big["destination"]), locationmode="ISO-3", z=[i] * len(big),
                # z is the status's index; a one-colour scale per trace keeps the legend swatch solid.
                zmin=-0.5, zmax=len(statuses) - 0.5, colorscale=[[0, status_color(status)], [1, status_color(status)]],
                showscale=False,
                name=status_label(status), legendgroup=status, showlegend=True,
                marker=dict(line=dict(color="white", width=0.6)),
                customdata=_hover_custom(big), hovertemplate=HOVER))
            shown = True
        if not small.empty:
            fig.add_trace(go.Scattergeo(
                lat=[SMALL_TERRITORIES[c][0] for c in small["destination"]],
                lon=[SMALL_TERRITORIES[c][1] for c in small["destination"]],
                mode="markers", name=status_label(status), legendgroup=status, showlegend=not shown,
                marker=dict(size=10, color=status_color(status), line=dict(color="white", width=1.5)),
                customdata=_hover_custom(small), hovertemplate=HOVER))
    # A legend entry for the grey land (no trace draws it).
    fig.add_trace(go.Scattergeo(lat=[None], lon=[None], mode="markers", name=NO_DATA_LABEL, hoverinfo="skip",
                                marker=dict(symbol="square", size=12, color=NO_DATA_COLOR,
                                            line=dict(color="#C5CCD6", width=1))))
    fig.update_geos(
        fitbounds=False, projection_type="natural earth", showframe=False, showcoastlines=False,
        showcountries=True, countrycolor="white", countrywidth=0.5, showland=True, landcolor=NO_DATA_COLOR,
        showlakes=False, showocean=False, bgcolor="white", lataxis_range=[-57, 84], lonaxis_range=[-170, 190],
    )
    fig.update_layout(
        template=theme.register(), hoverlabel=HOVERLABEL, height=580, margin=dict(l=8, r=8, t=86, b=8),
        title=dict(text=f"{chip}: {side_label(side).lower()}, as of {when_txt}"),
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom", title_text="", itemclick="toggle"),
        clickmode="event+select",
    )
    return fig


# -- the matrix -----------------------------------------------------------------------------------------

def _wrap_name(name: str, limit: int = 8) -> str:
    """'United Arab Emirates' -> 'United Arab<br>Emirates' so matrix columns stay narrow."""
    name = theme.plain(name)
    if len(name) <= limit or " " not in name:
        return name
    words, lines, line = name.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > max(limit, len(name) // 2 + 1):
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _is_long(matrix: Optional[pd.DataFrame]) -> bool:
    return matrix is not None and {"chip", "destination", "status"} <= set(matrix.columns)


def _wide(matrix: Optional[pd.DataFrame]) -> Optional[pd.DataFrame]:
    """The wide matrix (chips x destinations) from either form; long cells keep their chip order and
    destinations go most decided first, then by name (as status_matrix orders them)."""
    if not _is_long(matrix):
        return matrix
    cells = matrix
    if cells.empty:
        return pd.DataFrame()
    chips = list(dict.fromkeys(cells["chip"]))
    counts = cells.groupby("destination").size()
    names = cells.drop_duplicates("destination").set_index("destination")["country"]
    dests = sorted(counts.index, key=lambda d: (-counts[d], str(names[d]), d))
    return cells.pivot(index="chip", columns="destination", values="status").reindex(index=chips, columns=dests)


def _text_color(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1B2430" if lum > 0.5 else "white"


def status_matrix_figure(matrix: pd.DataFrame, *, highlight: Optional[str] = None, side: Optional[str] = None,
                         when: DateLike = None) -> go.Figure:
    """A grid of chips (rows) x destinations (columns) coloured by status, with the status in each cell.

    ``matrix``: the wide frame of :func:`status_matrix` (cells are status ids or None), or its long
    form (``long=True``), which adds since-when, evidence and origin to the hover.
    ``highlight`` outlines one chip's row. Drawn as a heatmap (Streamlit returns no selections from
    heatmaps, so this chart is for reading; the map carries the clicks).
    """
    cells = matrix if _is_long(matrix) else None
    wide = _wide(matrix)
    if wide is None or wide.empty or wide.shape[1] == 0 or wide.notna().to_numpy().sum() == 0:
        return theme.empty_figure("No chip has a recorded status for this side and date.")
    chips, dests = list(wide.index), list(wide.columns)
    lookup = {}
    if cells is not None:
        lookup = {(r["chip"], r["destination"]): r for r in cells.to_dict("records")}
    statuses = _statuses(wide.to_numpy().ravel())
    index = {s: i for i, s in enumerate(statuses)}
    z, custom, tx, ty, ttext, tcolor = [], [], [], [], [], []
    names = [country_name(d) for d in dests]
    ticks = [_wrap_name(n) for n in names]
    for chip in chips:
        zrow, crow = [], []
        for dest, name in zip(dests, names):
            status = wide.at[chip, dest]
            status = status if isinstance(status, str) else None
            zrow.append(index[status] if status else None)
            r = lookup.get((chip, dest))
            crow.append([theme.plain(str(chip)), theme.plain(name), dest, status_label(status),
                         since_text(r) if r is not None else "", snippet(r.get("evidence"), 56, 2) if r is not None
                         else "", theme.plain(origin_text(r)) if r is not None else ""])
            tx.append(name)
            ty.append(chip)
            ttext.append(SHORT_LABELS.get(status, status_label(status)) if status else "—")
            tcolor.append(_text_color(status_color(status)) if status else "#9AA5B1")
        z.append(zrow)
        custom.append(crow)
    hover = ("<b>%{customdata[0]}</b> → %{customdata[1]} (%{customdata[2]})<br><b>%{customdata[3]}</b>"
             + (" since %{customdata[4]}<br>%{customdata[5]}<br><i>%{customdata[6]}</i>" if cells is not None else "")
             + "<extra></extra>")
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        z=z, x=names, y=chips, zmin=-0.5, zmax=len(statuses) - 0.5, colorscale=_discrete_colorscale(statuses),
        showscale=False, xgap=2, ygap=2, hoverongaps=False, customdata=custom, hovertemplate=hover,
        name="Status"))
    cell_font = 11 if len(dests) <= 9 else 10
    fig.add_trace(go.Scatter(x=tx, y=ty, mode="text", text=ttext, textfont=dict(color=tcolor, size=cell_font),
                             hoverinfo="skip", showlegend=False))
    for s in statuses:  # legend entries (a heatmap has none)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status_label(s), hoverinfo="skip",
                                 marker=dict(symbol="square", size=12, color=status_color(s))))
    ticktext = [f"<b>{theme.plain(c)}</b>" if c == highlight else theme.plain(c) for c in chips]
    if highlight in chips:
        i = chips.index(highlight)
        fig.add_shape(type="rect", xref="x", yref="y", x0=-0.5, x1=len(dests) - 0.5, y0=i - 0.5, y1=i + 0.5,
                      line=dict(color=theme.PRIMARY, width=2), fillcolor="rgba(0,0,0,0)", layer="above")
    parts = [p for p in (side_label(side).lower() if side else "", f"as of {day_text(when)}" if when else "") if p]
    fig.update_layout(
        template=theme.register(), hoverlabel=HOVERLABEL, height=190 + 30 * len(chips),
        margin=dict(l=16, r=16, t=110, b=56),
        title=dict(text="Status of every chip by destination" + (f": {', '.join(parts)}" if parts else "")),
        plot_bgcolor="#F7F8FA",
        xaxis=dict(side="top", showgrid=False, ticks="", linecolor="rgba(0,0,0,0)", tickangle=0,
                   type="category", categoryorder="array", categoryarray=names, tickvals=names, ticktext=ticks,
                   title=None),
        yaxis=dict(showgrid=False, ticks="", autorange="reversed", type="category", categoryorder="array",
                   categoryarray=chips, tickvals=chips, ticktext=ticktext, title=None, automargin=True),
    )
    fig.update_layout(legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0))
    return fig


# -- the timeline ----------------------------------------------------------------------------------------

def _row_labels(periods: pd.DataFrame) -> pd.Series:
    multi = periods["chip"].nunique() > 1
    side = pd.Series(per_value(periods["side"].tolist(), lambda s: SIDE_WORDS.get(s, s).replace(" side", "")),
                     index=periods.index)
    label = periods["country"].fillna(periods["destination"]).astype(str) + " · " + side
    return (periods["chip"].astype(str) + " · " + label) if multi else label


def _bar_custom(sub: pd.DataFrame, status: str) -> list[list]:
    """Hover rows of one status's bars: [row label, status, from, to, decisions in the span]."""
    ends = ["today (still in force)" if bool(ongoing) else end
            for ongoing, end in zip(_values(sub, "ongoing"), day_texts(sub["end"]))]
    return [[label, status_label(status), start, end, int(decisions or 1)]
            for label, start, end, decisions in zip(per_value(sub["label"].tolist(), theme.plain),
                                                    day_texts(sub["start"]), ends,
                                                    _values(sub, "decisions"))]


def _marker_custom(sub: pd.DataFrame) -> list[list]:
    """Hover rows of the decision diamonds: [row label, status, day, evidence snippet, origin]."""
    return [list(r) for r in zip(per_value(sub["label"].tolist(), theme.plain),
                                 per_value(sub["status"].tolist(), status_label),
                                 day_texts(sub["start"]),
                                 per_value(_values(sub, "evidence"), snippet),
                                 per_value(origin_texts(sub), theme.plain))]


def status_timeline_figure(periods: pd.DataFrame, *, when: DateLike = None, chip: Optional[str] = None) -> go.Figure:
    """Gantt-like bars, one row per destination and side, coloured by status; a diamond marks each
    decision that changed the status (hollow when only the article's publication date is known);
    a dotted line marks ``when``."""
    if periods is None or periods.empty:
        name = chip or "this selection"
        return theme.empty_figure(f"No export or import decision recorded for {name}.")
    # assign, not copy(): pandas copies on write, so the caller's frame is never touched.
    df = periods if "country" in periods.columns else periods.assign(
        country=periods["destination"].map(country_name))
    # Only the columns drawn: the frame is filtered once per status and once per marker kind.
    drawn = ["chip", "status", "start", "end", "ongoing", "decisions", "date_basis", "evidence", "origin",
             "uncertain", "title", "source"]
    df = df[[c for c in drawn if c in df.columns]].assign(label=_row_labels(df))
    rows = list(dict.fromkeys(df["label"]))
    fig = go.Figure()
    # Traces are added as dicts, not go.Bar / go.Scatter objects: add_trace validates a trace object
    # a second time, which costs tens of milliseconds with thousands of spans and hover rows.
    for status in _statuses(df["status"]):
        sub = df[df["status"] == status]
        start = pd.to_datetime(sub["start"])
        end = pd.to_datetime(sub["end"])
        duration = ((end - start).dt.total_seconds() * 1000).clip(lower=86_400_000)  # at least one day wide
        fig.add_trace(dict(
            type="bar", orientation="h", y=sub["label"].tolist(), x=list(duration), base=day_texts(start),
            marker=dict(color=status_color(status), line=dict(width=0)), name=status_label(status),
            legendgroup=status, customdata=_bar_custom(sub, status), width=0.6,
            hovertemplate=("<b>%{customdata[0]}</b><br><b>%{customdata[1]}</b> from %{customdata[2]} "
                           "to %{customdata[3]}<br>%{customdata[4]} decision(s) in this span<extra></extra>")))
    for basis, symbol, name in (("decision", "diamond", "Decision (status changes)"),
                                ("reported", "diamond-open", "Reported, decision date not stated")):
        sub = df[df["date_basis"].fillna("decision") == basis]
        if sub.empty:
            continue
        fig.add_trace(dict(
            type="scatter", x=day_texts(sub["start"]), y=sub["label"].tolist(), mode="markers", name=name,
            marker=dict(symbol=symbol, size=10, color="#1B2430", line=dict(color="white", width=1)),
            customdata=_marker_custom(sub),
            hovertemplate=("<b>%{customdata[0]}</b>, %{customdata[2]}<br><b>%{customdata[1]}</b><br>"
                           "%{customdata[3]}<br><i>%{customdata[4]}</i><extra></extra>")))
    lo = pd.to_datetime(df["start"]).min() - pd.Timedelta(days=45)
    hi = pd.to_datetime(df["end"]).max() + pd.Timedelta(days=30)
    when_ts = to_timestamp(when)
    if when_ts is not None:
        fig.add_shape(type="line", xref="x", yref="paper", x0=day_text(when_ts), x1=day_text(when_ts), y0=0, y1=1,
                      line=dict(color=theme.PRIMARY, width=1.5, dash="dot"))
        fig.add_annotation(x=day_text(when_ts), xref="x", y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=f"as of {day_text(when_ts)}", font=dict(size=11, color=theme.PRIMARY))
        lo, hi = min(lo, when_ts - pd.Timedelta(days=45)), max(hi, when_ts + pd.Timedelta(days=30))
    chips = list(dict.fromkeys(df["chip"]))
    title = f"{chips[0]}: status over time, both sides" if len(chips) == 1 else "Status over time"
    fig.update_layout(
        template=theme.register(), hoverlabel=HOVERLABEL, barmode="overlay", height=206 + 44 * len(rows),
        margin=dict(l=16, r=24, t=80, b=110), title=dict(text=title), bargap=0.35,
        xaxis=dict(type="date", range=[day_text(lo), day_text(hi)], tickformat="%b %Y", title=None),
        yaxis=dict(type="category", categoryorder="array", categoryarray=rows, autorange="reversed",
                   showgrid=False, title=None, automargin=True),
        legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0),
    )
    return fig


# -- tables (column names in words) ------------------------------------------------------------------------

def as_of_table(as_of_df: pd.DataFrame) -> pd.DataFrame:
    """The map's rows for CSV: one row per destination."""
    cols = ["Country", "Country code", "Chip", "Side", "Status", "In force since", "Date basis", "Decision names",
            "Actor", "Evidence", "Origin", "Source link", "Sources agreeing that day", "Sources disagreeing that day"]
    if as_of_df is None or as_of_df.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in as_of_df.to_dict("records"):
        rows.append([r.get("country"), r["destination"], r["chip"], side_label(r["side"]), status_label(r["status"]),
                     day_text(r["effective"]),
                     "publication date (decision date not stated)" if r.get("date_basis") == "reported"
                     else "decision date", named_text(r), r.get("actor"), r.get("evidence"), origin_text(r),
                     r.get("url"), int(r.get("reports") or 0), int(r.get("conflicting") or 0)])
    return pd.DataFrame(rows, columns=cols)


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix for CSV: chips down, countries across, status labels in the cells ('' = none)."""
    if matrix is None or matrix.empty:
        return pd.DataFrame(columns=["Chip"])
    wide = _wide(matrix)
    out = wide.apply(lambda col: col.map(lambda s: status_label(s) if isinstance(s, str) else ""))
    out.columns = [f"{country_name(c)} ({c})" for c in out.columns]
    out.index.name = "Chip"
    return out.reset_index()


def periods_table(periods: pd.DataFrame) -> pd.DataFrame:
    cols = ["Chip", "Country", "Country code", "Side", "Status", "From", "To", "Still in force", "Decisions in span",
            "Evidence", "Origin", "Source link"]
    if periods is None or periods.empty:
        return pd.DataFrame(columns=cols)
    columns = [periods["chip"].tolist(), _values(periods, "country"), periods["destination"].tolist(),
               per_value(periods["side"].tolist(), side_label), per_value(periods["status"].tolist(), status_label),
               day_texts(periods["start"]), day_texts(periods["end"]),
               ["yes" if ongoing else "no" for ongoing in _values(periods, "ongoing")],
               [int(n or 0) for n in _values(periods, "decisions")],
               _values(periods, "evidence"), origin_texts(periods), _values(periods, "url")]
    # Rows of Python values, as before, so pandas infers the same column types.
    return pd.DataFrame([list(r) for r in zip(*columns)], columns=cols)


EVIDENCE_COLUMNS = ["Date", "Destination", "Status", "On the map", "Evidence", "Source link", "Article", "Origin",
                    "Reported", "Chip", "Actor", "Side"]


def _mapped(values: pd.Series, fn: Callable[[object], object]) -> pd.Series:
    """values.map(fn), calling fn once per distinct value."""
    return pd.Series(per_value(values.tolist(), fn), index=values.index, name=values.name)


def _actor_text(actor: object) -> object:
    """An ISO-3 actor as its country name; other actors (e.g. "Nvidia") as they are."""
    return country_name(actor) if isinstance(actor, str) and len(actor) == 3 and actor.isupper() else actor


def evidence_table(evidence: pd.DataFrame) -> pd.DataFrame:
    """Rows of :func:`chipwatch.status_timeline.evidence_rows` with column names in words (for the page).

    Date: the decision date (NaT when the article does not state it); Reported: the article's
    publication day; On the map: the row decides the status shown for that country.
    """
    if evidence is None or evidence.empty:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    out = pd.DataFrame({
        "Date": pd.to_datetime(evidence["date"]),
        "Destination": [f"{n} ({c})" for n, c in zip(evidence["country"].tolist(), evidence["destination"].tolist())],
        "Status": _mapped(evidence["status"], status_label),
        "On the map": evidence["counts"].astype(bool) if "counts" in evidence else False,
        "Evidence": evidence["evidence"],
        "Source link": evidence["url"],
        "Article": evidence["title"].where(evidence["origin"] != "curated", None),
        "Origin": ["Curated timeline" + (" (uncertain)" if bool(u) else "") if o == "curated" else "Article claim"
                   for o, u in zip(evidence["origin"].tolist(), evidence["uncertain"].tolist())],
        "Reported": pd.to_datetime(evidence["reported"]),
        "Chip": named_texts(evidence),
        "Actor": per_value(evidence["actor"].tolist(), _actor_text),
        "Side": _mapped(evidence["side"], lambda s: SIDE_WORDS.get(s, s).capitalize()),
    })
    return out.reset_index(drop=True)


# -- report --------------------------------------------------------------------------------------------------

def report_sections(frames, chip: str = "H200", when: DateLike = None, side: str = "export",
                    filters=None) -> list[ChartSection]:
    """The page's charts for the one-file report: map, timeline and matrix for ``chip`` as of ``when``
    (default: the latest decision in the data) on ``side``.

    ``frames`` may be filtered. When ``chip`` has no status there (or ``filters`` name other chips),
    the first filtered chip with a status is charted, else the first chip with one, as on the page.
    """
    rows = status_rows(frames)
    options = chips_with_status(rows)
    wanted = [c for c in (getattr(filters, "chips", ()) or ()) if c in options]
    if wanted and chip not in wanted:
        chip = wanted[0]
    elif chip not in options and options:
        chip = options[0]
    if when is None:
        when = date_span(rows)[1]
    when_txt = day_text(when) or "today"
    as_of = status_as_of(rows, chip, when, side)
    periods = status_periods(rows, chip)
    cells = status_matrix(rows, when, side, long=True)
    return [
        ChartSection("status-map", f"Where {chip} may go ({SIDE_WORDS.get(side, side)})",
                     status_map(as_of, side, chip, when), as_of_table(as_of),
                     f"Status in force on {when_txt}. {RULE_NOTE}"),
        ChartSection("status-timeline", f"{chip} status over time",
                     status_timeline_figure(periods, when=when, chip=chip),
                     periods_table(periods),
                     "Each bar runs from a decision to the next change (or today). Both sides are shown."),
        ChartSection("status-matrix", "Every chip by destination", status_matrix_figure(
            cells, highlight=chip, side=side, when=when), matrix_table(cells),
            f"Status in force on {when_txt} ({SIDE_WORDS.get(side, side)})."),
    ]
