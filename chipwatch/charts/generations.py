"""Chip generations: figure builders and the pure transforms behind them (no streamlit).

Three charts:

- `tpp_scatter`: every chip of the knowledge base on release date x TPP (log scale), coloured by
  vendor, China-specific variants as open diamonds linked to the chip(s) they were cut from, and
  the 3A090 thresholds / later review windows drawn from the rows of ``thresholds.csv``;
- `architecture_timeline`: one lane per vendor, one bar per architecture generation;
- `mentions_by_generation`: distinct articles per period that mention a chip (or the
  architecture by name) of each generation.

Chips with a TPP but no release date in the knowledge base are drawn in a separate strip at the
right of the scatter ("release date not in the knowledge base") so that e.g. the H20 stays on
the chart; chips without a TPP cannot be placed and are listed in the chart's note.
"""
from __future__ import annotations

import math
import weakref
from datetime import date
from typing import Iterable, Optional, Sequence, Union
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go

from chipwatch.charts import ChartSection
from chipwatch.charts import theme
from chipwatch.columns import map_distinct, positions_in, take_or_missing

# -- vocabulary ---------------------------------------------------------------------------------

POINT_COLUMNS = [
    "Chip", "Vendor", "Family", "Architecture", "Market", "Release", "Release date", "TPP",
    "Perf. density", "BF16 TFLOPS", "FP8 TFLOPS", "Memory (GB)", "Bandwidth (TB/s)", "Die area (mm²)",
    "China variant of", "Uncertain", "Placement", "Source",
]
PLACED_DATED = "release date x TPP"
PLACED_UNDATED = "TPP only (release date not in the knowledge base)"
NOT_PLOTTED = "not plotted (no TPP in the knowledge base)"

FREQ_LABELS = {"D": "day", "W": "week", "M": "month", "Q": "quarter"}

SCATTER_HEIGHT = 660
SCATTER_MARGIN = dict(l=78, r=250, t=70, b=56)
NOMINAL_PLOT_WIDTH = 680  # px: the plot area at a 1400 px wide browser with the sidebar open
LABEL_FONT = 11
MARKER_SIZE = 11
VARIANT_SYMBOL = "diamond-open"
THRESHOLD_LINE = "#8B1E1E"
GRAY_ZONE_FILL = "rgba(233, 180, 76, 0.16)"
REVIEW_FILL = "rgba(31, 78, 121, 0.04)"
REVIEW_LINE = "#1F4E79"
LINK_COLOR = "#8A94A6"


def _num(value) -> Optional[float]:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def fmt_number(value, decimals: int = 0) -> str:
    """Thousands separators, at most `decimals` decimals (trailing zeros dropped); '—' when missing.

    fmt_number(5284.8) == '5,285'; fmt_number(6.04, 2) == '6.04'; fmt_number(4.0, 3) == '4'.
    """
    f = _num(value)
    if f is None:
        return "—"
    text = f"{f:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if decimals else text


def _vendor_color(vendor: str) -> str:
    return theme.VENDOR_COLORS.get(vendor, theme.VENDOR_COLORS["Other"])


def _mix_white(hex_color: str, share: float) -> str:
    """The colour mixed with `share` of white (0 = unchanged)."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    mix = lambda c: round(c + (255 - c) * share)  # noqa: E731
    return f"#{mix(r):02X}{mix(g):02X}{mix(b):02X}"


def _mix_black(hex_color: str, share: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (round(int(h[i:i + 2], 16) * (1 - share)) for i in (0, 2, 4))
    return f"#{r:02X}{g:02X}{b:02X}"


def _shade(hex_color: str, step: float) -> str:
    """step < 0: darker (mixed with black), step > 0: lighter (mixed with white)."""
    return _mix_black(hex_color, -step) if step < 0 else _mix_white(hex_color, step)


def _text_color_on(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#1B2430" if lum > 0.55 else "white"


def _short_source(url: str, limit: int = 48) -> str:
    if not url:
        return "—"
    parsed = urlparse(url)
    text = (parsed.netloc.removeprefix("www.") + parsed.path) if parsed.netloc else url
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap(text: str, width: int = 60) -> str:
    """Wrap plain text for hover labels (<br> between lines)."""
    words, lines, line = str(text).split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _balanced_wrap(text: str, width: int) -> str:
    """Wrap into as few lines as `width` allows, with lines of similar length."""
    if len(text) <= width:
        return text
    n = math.ceil(len(text) / width)
    for w in range(math.ceil(len(text) / n), width + 1):
        wrapped = _wrap(text, w)
        if wrapped.count("<br>") + 1 <= n:
            return wrapped
    return _wrap(text, width)


def _hover_escape(text: str) -> str:
    # Plotly hover/label text understands a small HTML subset; data text must not inject tags.
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- chips -------------------------------------------------------------------------------------

def chip_points(chips: pd.DataFrame) -> pd.DataFrame:
    """The chip table (chipwatch.frames.chips_frame) with clean column names and where each chip goes.

    Placement: PLACED_DATED (release date and TPP), PLACED_UNDATED (TPP, no release date) or
    NOT_PLOTTED (no TPP). Rows keep the knowledge base's order.
    """
    if chips is None or chips.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    get = lambda col: chips[col] if col in chips.columns else pd.Series([None] * len(chips), index=chips.index)  # noqa: E731
    release = get("release")
    if "release" not in chips.columns:
        release = pd.to_datetime(get("release_date").astype("string").str.slice(0, 7), format="%Y-%m",
                                 errors="coerce")
    num = lambda col: pd.to_numeric(get(col), errors="coerce")  # noqa: E731
    text = lambda col: get(col).astype("object").where(get(col).notna(), "").astype(str)  # noqa: E731
    out = pd.DataFrame({
        "Chip": text("id"), "Vendor": text("vendor"), "Family": text("family"),
        "Architecture": text("architecture"), "Market": text("market"),
        "Release": pd.to_datetime(release, errors="coerce"), "Release date": text("release_date"),
        "TPP": num("tpp"), "Perf. density": num("perf_density"), "BF16 TFLOPS": num("bf16_tflops"),
        "FP8 TFLOPS": num("fp8_tflops"), "Memory (GB)": num("memory_gb"),
        "Bandwidth (TB/s)": num("bandwidth_tbs"), "Die area (mm²)": num("die_area_mm2"),
        "China variant of": text("china_variant_of").str.replace(";", ", "),
        "Uncertain": text("uncertain") == "1", "Source": text("source"),
    })
    placement = pd.Series(NOT_PLOTTED, index=out.index, dtype=object)
    has_tpp = out["TPP"].notna() & (out["TPP"] > 0)
    placement[has_tpp & out["Release"].notna()] = PLACED_DATED
    placement[has_tpp & out["Release"].isna()] = PLACED_UNDATED
    out["Placement"] = placement
    return out[POINT_COLUMNS].reset_index(drop=True)


def not_plotted(points: pd.DataFrame, include_undated: bool = False) -> list[str]:
    """Chips the scatter cannot place (no TPP); with include_undated also those without a release date."""
    skip = {NOT_PLOTTED} | ({PLACED_UNDATED} if include_undated else set())
    return list(points.loc[points["Placement"].isin(skip), "Chip"])


def variant_parents(chips: pd.DataFrame) -> dict[str, list[str]]:
    """China-specific variant id -> the chip ids it was cut from (china_variant_of, ';'-separated)."""
    if chips is None or chips.empty:
        return {}
    col = "china_variant_of" if "china_variant_of" in chips.columns else "China variant of"
    idcol = "id" if "id" in chips.columns else "Chip"
    out = {}
    for cid, cell in zip(chips[idcol], chips[col]):
        if cell is None or (isinstance(cell, float) and math.isnan(cell)):
            continue
        parents = [p.strip() for p in str(cell).replace(",", ";").split(";") if p.strip()]
        if parents:
            out[str(cid)] = parents
    return out


def select_chips(chips: pd.DataFrame, vendors: Optional[Iterable[str]] = None,
                 variants_only: bool = False) -> pd.DataFrame:
    """Restrict the chip table to vendors; variants_only keeps China-specific variants and the chips
    they were cut from (so the links still have both ends)."""
    if chips is None or chips.empty:
        return chips
    out = chips
    if vendors is not None:
        out = out[out["vendor"].isin(list(vendors))]
    if variants_only:
        parents = variant_parents(out)
        keep = set(parents) | {p for ps in parents.values() for p in ps}
        out = out[out["id"].isin(keep)]
    return out


def variant_links(points: pd.DataFrame) -> pd.DataFrame:
    """Variant -> parent pairs where both ends are drawn: columns Variant, Parent."""
    drawn = points[points["Placement"] != NOT_PLOTTED].set_index("Chip")
    rows = []
    for chip, cell in zip(points["Chip"], points["China variant of"]):
        for parent in [p.strip() for p in str(cell).split(",") if p.strip()]:
            if chip in drawn.index and parent in drawn.index:
                rows.append({"Variant": chip, "Parent": parent})
    return pd.DataFrame(rows, columns=["Variant", "Parent"])


def highlight_from_filters(chips: pd.DataFrame, chip_filter: Iterable[str]) -> set[str]:
    """The chip ids a chip filter points at: chip ids as such, architecture ids as their chips."""
    wanted = set(chip_filter or ())
    if not wanted or chips is None or chips.empty:
        return set()
    return set(chips.loc[chips["id"].isin(wanted) | chips["architecture"].isin(wanted), "id"])


def vendors_from_filters(chips: pd.DataFrame, companies: Iterable[str]) -> Optional[list[str]]:
    """The chip vendors among the company filter; None when the filter names no chip vendor."""
    if chips is None or chips.empty:
        return None
    known = list(dict.fromkeys(chips["vendor"]))
    picked = [v for v in known if v in set(companies or ())]
    return picked or None


# -- thresholds --------------------------------------------------------------------------------

THRESHOLD_COLUMNS = ["id", "name", "start", "end", "tpp_min", "tpp_max", "pd_min", "pd_max", "bw_max",
                     "description", "source", "kind"]


def threshold_rules(thresholds: Union[pd.DataFrame, Sequence[dict], None]) -> pd.DataFrame:
    """The per-chip TPP rules of thresholds.csv, one row each, with how they are drawn.

    kind: "line" (a TPP floor: tpp_min only), "band" (tpp_min..tpp_max, e.g. the 3A090.b gray
    zone) or "ceiling" (tpp_max only: a review window for chips below it). Rows without any TPP
    bound (HBM, foundry presumption, aggregate caps) are not per-chip TPP thresholds and are left out.
    """
    if thresholds is None:
        return pd.DataFrame(columns=THRESHOLD_COLUMNS)
    df = thresholds if isinstance(thresholds, pd.DataFrame) else pd.DataFrame(list(thresholds))
    if df.empty:
        return pd.DataFrame(columns=THRESHOLD_COLUMNS)
    col = lambda c: df[c] if c in df.columns else pd.Series([None] * len(df), index=df.index)  # noqa: E731
    num = lambda c: pd.to_numeric(col(c), errors="coerce")  # noqa: E731
    out = pd.DataFrame({
        "id": col("id").astype(str), "name": col("name").fillna(col("id")).astype(str),
        "start": pd.to_datetime(col("effective_date"), errors="coerce"),
        "end": pd.to_datetime(col("end_date").replace("", None), errors="coerce"),
        "tpp_min": num("tpp_min"), "tpp_max": num("tpp_max"),
        "pd_min": num("perf_density_min"), "pd_max": num("perf_density_max"),
        "bw_max": num("bandwidth_gbs_max"),
        "description": col("description").fillna("").astype(str), "source": col("source").fillna("").astype(str),
    })
    kind = pd.Series(None, index=out.index, dtype=object)
    kind[out["tpp_min"].notna() & out["tpp_max"].isna()] = "line"
    kind[out["tpp_min"].notna() & out["tpp_max"].notna()] = "band"
    kind[out["tpp_min"].isna() & out["tpp_max"].notna()] = "ceiling"
    out["kind"] = kind
    return out[out["kind"].notna()].reset_index(drop=True)[THRESHOLD_COLUMNS]


def _condition_text(row) -> str:
    """A rule's condition in words, e.g. 'TPP ≥ 1,000, PD ≥ 2.5' (values from the row)."""
    parts = []
    lo, hi = row["tpp_min"], row["tpp_max"]
    if pd.notna(lo) and pd.notna(hi):
        parts.append(f"TPP {fmt_number(lo)}–{fmt_number(hi)}")
    elif pd.notna(lo):
        parts.append(f"TPP ≥ {fmt_number(lo)}")
    elif pd.notna(hi):
        parts.append(f"TPP < {fmt_number(hi)}")
    plo, phi = row["pd_min"], row["pd_max"]
    if pd.notna(plo) and pd.notna(phi):
        parts.append(f"PD {fmt_number(plo, 2)}–{fmt_number(phi, 2)}")
    elif pd.notna(plo):
        parts.append(f"PD ≥ {fmt_number(plo, 2)}")
    elif pd.notna(phi):
        parts.append(f"PD < {fmt_number(phi, 2)}")
    if pd.notna(row["bw_max"]):
        parts.append(f"bandwidth < {fmt_number(row['bw_max'])} GB/s")
    return ", ".join(parts)


def _period_text(row) -> str:
    start = row["start"].strftime("%Y-%m-%d") if pd.notna(row["start"]) else "?"
    return f"{start} – {row['end'].strftime('%Y-%m-%d')}" if pd.notna(row["end"]) else f"from {start}"


def _group_period(group: pd.DataFrame, today: Optional[pd.Timestamp] = None) -> str:
    """'since 2022-10-07' for rules of one level (the earliest start), or 'start – end' when all ended."""
    starts = group["start"].dropna()
    start = starts.min().strftime("%Y-%m-%d") if not starts.empty else "?"
    ended = group["end"].notna() & ((group["end"] < today) if today is not None else True)
    if ended.all():
        return f"{start} – {group['end'].max():%Y-%m-%d} (ended)"
    return f"since {start}"


def threshold_labels(rules: pd.DataFrame, today: Optional[date] = None) -> pd.DataFrame:
    """One margin label per drawn level: columns y (TPP where the label points), lines, ids, kind.

    lines: [(bold part, plain part), ...]. Floors at the same TPP share a label (e.g. the 2022 and
    2023 versions of a rule); a band is labelled at its middle (geometric mean), a ceiling at its top.
    The last line says since when the level applies (or when it ended).
    """
    today_ts = pd.Timestamp(today or date.today())
    rows = []
    floors = rules[rules["kind"] == "line"]
    for value, group in floors.groupby("tpp_min", sort=True):
        conditions = [_condition_text(r) for _, r in group.iterrows()]
        period = _group_period(group, today_ts)
        if len(set(conditions)) == 1:
            lines = [(" / ".join(dict.fromkeys(group["name"])), ""), ("", f"{conditions[0]} · {period}")]
        else:
            lines = [(name, cond) for name, cond in zip(group["name"], conditions)] + [("", period)]
        rows.append({"y": float(value), "lines": lines, "ids": list(group["id"]), "kind": "line"})
    for _, r in rules[rules["kind"] == "band"].iterrows():
        period = _group_period(pd.DataFrame([r]), today_ts)
        rows.append({"y": math.sqrt(r["tpp_min"] * r["tpp_max"]),
                     "lines": [(r["name"], ""), ("", _condition_text(r)), ("", period)],
                     "ids": [r["id"]], "kind": "band"})
    for _, r in rules[rules["kind"] == "ceiling"].iterrows():
        period = _group_period(pd.DataFrame([r]), today_ts)
        rows.append({"y": float(r["tpp_max"]),
                     "lines": [(r["name"], ""), ("", _condition_text(r)), ("", period)],
                     "ids": [r["id"]], "kind": "ceiling"})
    return pd.DataFrame(rows, columns=["y", "lines", "ids", "kind"]).sort_values("y", ignore_index=True)


def label_text(lines) -> str:
    """Plotly annotation text of a threshold label (bold names, plain conditions)."""
    out = []
    for bold, plain in lines:
        part = f"<b>{_balanced_wrap(_hover_escape(bold), 33)}</b>" if bold else ""
        if plain:
            part += (" " if part else "") + _hover_escape(plain)
        out.append(part)
    return "<br>".join(out)


def spread_labels(centers: Sequence[float], heights: Sequence[float], lo: float, hi: float,
                  gap: float = 4.0) -> list[float]:
    """1-D repel: move label centres (pixels, any order) apart so boxes of the given heights keep `gap`
    between them, staying inside [lo, hi] where possible. Returns new centres in the input order."""
    order = sorted(range(len(centers)), key=lambda i: centers[i])
    pos = {i: float(centers[i]) for i in order}
    for _ in range(50):
        moved = False
        for a, b in zip(order, order[1:]):
            need = (heights[a] + heights[b]) / 2 + gap
            if pos[b] - pos[a] < need - 1e-6:
                push = (need - (pos[b] - pos[a])) / 2
                pos[a] -= push
                pos[b] += push
                moved = True
        if order:
            first, last = order[0], order[-1]
            if pos[first] - heights[first] / 2 < lo:
                shift = lo - (pos[first] - heights[first] / 2)
                for i in order:
                    pos[i] += shift
                moved = True
            if pos[last] + heights[last] / 2 > hi and pos[first] - heights[first] / 2 - (
                    pos[last] + heights[last] / 2 - hi) >= lo:
                shift = pos[last] + heights[last] / 2 - hi
                for i in order:
                    pos[i] -= shift
                moved = True
        if not moved:
            break
    return [pos[i] for i in range(len(centers))]


# -- point-label placement ------------------------------------------------------------------------

TEXT_POSITIONS = ["top center", "bottom center", "middle right", "middle left",
                  "top right", "bottom right", "top left", "bottom left"]


def _text_box(pos: str, cx: float, cy: float, w: float, h: float, r: float) -> tuple[float, float, float, float]:
    """Screen box (x0, y0, x1, y1; y grows downwards) of a point label at plotly's textposition."""
    vert, horiz = pos.split()
    if vert == "top":
        y0, y1 = cy - r - h, cy - r
    elif vert == "bottom":
        y0, y1 = cy + r, cy + r + h
    else:
        y0, y1 = cy - h / 2, cy + h / 2
    if horiz == "center":
        x0, x1 = cx - w / 2, cx + w / 2
    elif horiz == "right":
        off = r if vert == "middle" else r * 0.4
        x0, x1 = cx + off, cx + off + w
    else:
        off = r if vert == "middle" else r * 0.4
        x0, x1 = cx - off - w, cx - off
    return x0, y0, x1, y1


def _overlap(a, b) -> float:
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


def text_width(text: str, font_px: float = LABEL_FONT) -> float:
    return 0.62 * font_px * len(text) + 2


def place_labels(xs: Sequence[float], ys: Sequence[float], texts: Sequence[str], *, width: float,
                 height: float, hlines: Sequence[tuple[float, float, float]] = (),
                 font_px: float = LABEL_FONT, marker_px: float = MARKER_SIZE) -> list[str]:
    """Greedy label placement: for each point (pixel coordinates, y downwards) the textposition whose
    box overlaps least with other labels, markers, horizontal lines (y, x0, x1) and the plot edges."""
    n = len(xs)
    r = marker_px / 2 + 2
    h = font_px * 1.25
    markers = [(x - marker_px / 2, y - marker_px / 2, x + marker_px / 2, y + marker_px / 2) for x, y in zip(xs, ys)]
    lines = [(x0, y - 1.5, x1, y + 1.5) for y, x0, x1 in hlines]
    crowd = [sum(1 for j in range(n) if j != i and abs(xs[i] - xs[j]) < 80 and abs(ys[i] - ys[j]) < 40)
             for i in range(n)]
    placed: dict[int, tuple] = {}
    result = ["top center"] * n
    for i in sorted(range(n), key=lambda k: (-crowd[k], xs[k])):
        w = text_width(texts[i], font_px)
        best, best_cost = None, None
        for rank, pos in enumerate(TEXT_POSITIONS):
            box = _text_box(pos, xs[i], ys[i], w, h, r)
            cost = rank * 0.5
            cost += 50 * sum(_overlap(box, other) for other in placed.values())
            cost += 20 * sum(_overlap(box, m) for j, m in enumerate(markers) if j != i)
            cost += 4 * sum(_overlap(box, ln) for ln in lines)
            outside = max(0, -box[0]) + max(0, box[2] - width) + max(0, -box[1]) + max(0, box[3] - height)
            cost += 200 * outside
            if best_cost is None or cost < best_cost:
                best, best_cost = pos, cost
        result[i] = best
        placed[i] = _text_box(best, xs[i], ys[i], w, h, r)
    return result


def label_boxes(xs, ys, texts, positions, font_px: float = LABEL_FONT, marker_px: float = MARKER_SIZE):
    """The estimated screen boxes of placed labels (for tests and debugging)."""
    r, h = marker_px / 2 + 2, font_px * 1.25
    return [_text_box(p, x, y, text_width(t, font_px), h, r) for x, y, t, p in zip(xs, ys, texts, positions)]


# -- (a) TPP scatter --------------------------------------------------------------------------------

def _chip_hover(row) -> str:
    lines = [f"<b>{_hover_escape(row['Chip'])}</b>  ({_hover_escape(row['Vendor'])} · "
             f"{_hover_escape(row['Architecture'] or 'architecture ?')})"]
    release = row["Release date"] or "not in the knowledge base"
    lines.append(f"Released: {release}" + (f" · {row['Market']}" if row["Market"] else ""))
    lines.append(f"TPP: {fmt_number(row['TPP'])} · performance density: {fmt_number(row['Perf. density'], 2)}")
    lines.append(f"BF16: {fmt_number(row['BF16 TFLOPS'], 1)} TFLOPS · FP8: {fmt_number(row['FP8 TFLOPS'], 1)} TFLOPS")
    lines.append(f"Memory: {fmt_number(row['Memory (GB)'])} GB · bandwidth: {fmt_number(row['Bandwidth (TB/s)'], 3)} TB/s")
    if row["China variant of"]:
        lines.append(f"China-specific variant of: {_hover_escape(row['China variant of'])}")
    if row["Uncertain"]:
        lines.append("Some values are uncertain (see the knowledge base notes)")
    lines.append(f"Source: {_hover_escape(_short_source(row['Source']))}")
    return "<br>".join(lines)


def _x_layout(points: pd.DataFrame, rules: pd.DataFrame, today: pd.Timestamp):
    """Axis geometry: (x0, dated_end, strip_start, strip_x, x1) as timestamps."""
    dated = points.loc[points["Placement"] == PLACED_DATED, "Release"]
    starts = [d for d in list(dated) + list(rules["start"].dropna()) if pd.notna(d)]
    lo = min(starts) if starts else today - pd.DateOffset(years=5)
    hi = max([today] + list(dated) + list(rules["start"].dropna()))
    x0 = (lo - pd.DateOffset(months=6)).normalize()
    dated_end = (hi + pd.DateOffset(months=1)).normalize()
    span = (dated_end - x0).days
    has_strip = (points["Placement"] == PLACED_UNDATED).any()
    if not has_strip:
        return x0, dated_end, None, None, dated_end
    strip_start = dated_end + pd.Timedelta(days=round(span * 0.02))
    strip_x = strip_start + pd.Timedelta(days=round(span * 0.06))
    x1 = strip_start + pd.Timedelta(days=round(span * 0.24))
    return x0, dated_end, strip_start, strip_x, x1


def scatter_geometry(points: pd.DataFrame, rules: pd.DataFrame, today: Optional[date] = None) -> dict:
    """Axis ranges of the scatter and pixel transforms of its plot area (nominal width, exact height).

    Keys: x0, dated_end, strip_start, strip_x, x1 (timestamps; strip_* None without undated chips),
    ylo, yhi (log10 range), plot_w, plot_h, to_px_x(ts), to_px_y(tpp) (pixels from the top left).
    """
    today_ts = pd.Timestamp(today or date.today())
    x0, dated_end, strip_start, strip_x, x1 = _x_layout(points, rules, today_ts)
    drawn = points[points["Placement"] != NOT_PLOTTED]
    levels = list(drawn["TPP"]) + list(rules["tpp_min"].dropna()) + list(rules["tpp_max"].dropna())
    ylo = math.log10(min(levels)) - 0.22
    yhi = math.log10(max(levels)) + 0.2
    plot_h = SCATTER_HEIGHT - SCATTER_MARGIN["t"] - SCATTER_MARGIN["b"]
    span = (x1 - x0).total_seconds()
    return dict(
        x0=x0, dated_end=dated_end, strip_start=strip_start, strip_x=strip_x, x1=x1, ylo=ylo, yhi=yhi,
        plot_w=NOMINAL_PLOT_WIDTH, plot_h=plot_h,
        to_px_x=lambda ts: (pd.Timestamp(ts) - x0).total_seconds() / span * NOMINAL_PLOT_WIDTH,
        to_px_y=lambda v: (yhi - math.log10(v)) / (yhi - ylo) * plot_h,
    )


def point_labels(points: pd.DataFrame, rules: pd.DataFrame, today: Optional[date] = None) -> pd.DataFrame:
    """Where each drawn chip goes and where its label goes.

    Columns: Chip, X (release month, or the strip's x for undated chips), TPP, x_px, y_px (nominal
    pixels), Text position (plotly textposition chosen so labels avoid each other, the markers and
    the threshold lines).
    """
    drawn = points[points["Placement"] != NOT_PLOTTED]
    cols = ["Chip", "X", "TPP", "x_px", "y_px", "Text position"]
    if drawn.empty:
        return pd.DataFrame(columns=cols)
    geo = scatter_geometry(points, rules, today)
    xs = [r if p == PLACED_DATED else geo["strip_x"] for r, p in zip(drawn["Release"], drawn["Placement"])]
    xs_px = [geo["to_px_x"](t) for t in xs]
    ys_px = [geo["to_px_y"](v) for v in drawn["TPP"]]
    levels = list(rules.loc[rules["kind"] == "line", "tpp_min"]) + list(rules.loc[rules["kind"] == "ceiling", "tpp_max"])
    hlines = [(geo["to_px_y"](v), 0.0, float(geo["plot_w"])) for v in levels if pd.notna(v)]
    positions = place_labels(xs_px, ys_px, list(drawn["Chip"]), width=geo["plot_w"], height=geo["plot_h"],
                             hlines=hlines)
    return pd.DataFrame({"Chip": list(drawn["Chip"]), "X": xs, "TPP": list(drawn["TPP"]), "x_px": xs_px,
                         "y_px": ys_px, "Text position": positions})[cols]


def tpp_scatter(chips: pd.DataFrame, thresholds: Union[pd.DataFrame, Sequence[dict], None], *,
                highlight: Iterable[str] = (), today: Optional[date] = None,
                show_undated: bool = True) -> go.Figure:
    """Chips on release date (x) x TPP (y, log) with the TPP thresholds of the knowledge base.

    chips: the chip table (chipwatch.frames.chips_frame, already restricted to what should be shown).
    thresholds: thresholds.csv rows (DataFrame or list of dicts, KnowledgeBase.thresholds).
    highlight: chip ids to emphasise (the others are drawn faded); empty = all normal.
    show_undated: draw chips with a TPP but no release date in a strip at the right (else list them
    as not plotted).
    """
    tmpl = theme.register()
    points = chip_points(chips)
    if not show_undated:
        points.loc[points["Placement"] == PLACED_UNDATED, "Placement"] = NOT_PLOTTED
    drawn = points[points["Placement"] != NOT_PLOTTED]
    if drawn.empty:
        missing = not_plotted(points, include_undated=True)
        msg = "No chip to plot" + (f": no TPP in the knowledge base for {', '.join(missing)}" if missing else "")
        return theme.empty_figure(msg)
    today_ts = pd.Timestamp(today or date.today())
    rules = threshold_rules(thresholds)
    geo = scatter_geometry(points, rules, today_ts)
    x0, dated_end, strip_start, x1 = geo["x0"], geo["dated_end"], geo["strip_start"], geo["x1"]
    ylo, yhi, plot_h = geo["ylo"], geo["yhi"], geo["plot_h"]
    to_px_y = geo["to_px_y"]
    y_bottom = 10 ** ylo

    fig = go.Figure()

    # -- thresholds (drawn first, under the points) --------------------------------------------
    # A rule applies to every chip whatever its release date, so levels run across the whole chart;
    # when a rule applies (or ended) is in its label and hover. Ended rules are drawn faint.
    for _, rule in rules.iterrows():
        start, end = x0, x1
        ended = pd.notna(rule["end"]) and rule["end"] < today_ts
        hover = (f"<b>{_hover_escape(rule['name'])}</b><br>{_hover_escape(_condition_text(rule))}<br>"
                 f"{_period_text(rule)}<br>{_wrap(_hover_escape(rule['description']))}<br>"
                 f"Source: {_hover_escape(_short_source(rule['source']))}")
        common = dict(hoverinfo="text", hovertext=hover, hoverlabel=dict(bgcolor="white"), showlegend=False,
                      meta={"role": "threshold", "id": rule["id"], "kind": rule["kind"]},
                      name=f"{rule['name']}")
        if rule["kind"] == "line":
            dashed = pd.notna(rule["pd_min"]) or pd.notna(rule["pd_max"])
            fig.add_trace(go.Scatter(x=[start, end], y=[rule["tpp_min"]] * 2, mode="lines",
                                     line=dict(color=THRESHOLD_LINE, width=1.6, dash="dash" if dashed else "solid"),
                                     opacity=0.35 if ended else 1, **common))
        elif rule["kind"] == "band":
            lo, hi = rule["tpp_min"], rule["tpp_max"]
            fig.add_trace(go.Scatter(x=[start, end, end, start, start], y=[lo, lo, hi, hi, lo], mode="lines",
                                     fill="toself", fillcolor=GRAY_ZONE_FILL, line=dict(width=0),
                                     hoveron="fills", **common))
        else:  # ceiling: chips below tpp_max fall in the window
            hi = rule["tpp_max"]
            fig.add_trace(go.Scatter(x=[start, end, end, start, start], y=[y_bottom, y_bottom, hi, hi, y_bottom],
                                     mode="lines", fill="toself", fillcolor=REVIEW_FILL, line=dict(width=0),
                                     hoveron="fills", **common))
            fig.add_trace(go.Scatter(x=[start, end], y=[hi, hi], mode="lines",
                                     line=dict(width=1.4, color=REVIEW_LINE, dash="dot"),
                                     **{**common, "meta": {**common["meta"], "role": "threshold-edge"}}))

    # -- the undated strip -------------------------------------------------------------------------
    if strip_start is not None:
        fig.add_vrect(x0=strip_start, x1=x1, fillcolor="#F3F5F8", opacity=0.75, line_width=0, layer="below")
        fig.add_vline(x=strip_start, line=dict(color="#B8C0CC", width=1))
        fig.add_annotation(x=strip_start + (x1 - strip_start) / 2, y=1, xref="x", yref="paper", yanchor="top",
                           text="Release date not<br>in the knowledge base", showarrow=False,
                           font=dict(size=11, color=theme.MUTED), align="center")

    # -- points ---------------------------------------------------------------------------------
    layout = point_labels(points, rules, today_ts)
    pos_by_chip = dict(zip(layout["Chip"], layout["Text position"]))
    x_by_chip = dict(zip(layout["Chip"], layout["X"]))
    y_by_chip = dict(zip(layout["Chip"], layout["TPP"]))

    # variant links (under the markers)
    links = variant_links(points)
    if not links.empty:
        lx, ly = [], []
        for variant, parent in zip(links["Variant"], links["Parent"]):
            lx += [x_by_chip[variant], x_by_chip[parent], None]
            ly += [y_by_chip[variant], y_by_chip[parent], None]
        fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", name="Cut from (source chip)", legendrank=900,
                                 line=dict(color=LINK_COLOR, width=1.3, dash="dot"), hoverinfo="skip",
                                 meta={"role": "variant-links",
                                       "pairs": [list(p) for p in zip(links["Variant"], links["Parent"])]}))

    highlight = set(highlight or ())
    for vendor, group in drawn.groupby("Vendor", sort=False):
        color = _vendor_color(vendor)
        faded = [bool(highlight) and chip not in highlight for chip in group["Chip"]]
        is_variant = group["China variant of"] != ""
        fig.add_trace(go.Scatter(
            x=[x_by_chip[c] for c in group["Chip"]], y=list(group["TPP"]), mode="markers+text", name=vendor,
            text=list(group["Chip"]), textposition=[pos_by_chip[c] for c in group["Chip"]],
            textfont=dict(size=LABEL_FONT, color=["#B8C0CC" if f else "#1B2430" for f in faded]),
            marker=dict(size=MARKER_SIZE, color=color,
                        symbol=[VARIANT_SYMBOL if v else "circle" for v in is_variant],
                        line=dict(width=[2.2 if v else 1 for v in is_variant], color=color),
                        opacity=[0.25 if f else 0.95 for f in faded]),
            customdata=[[c] for c in group["Chip"]],
            hovertext=[_chip_hover(r) for _, r in group.iterrows()], hoverinfo="text",
            meta={"role": "chips"},
            legendgroup=vendor, showlegend=False,
        ))
        # The legend entry is a separate empty trace so it keeps the full colour when chips are faded.
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=vendor, legendgroup=vendor,
                                 legendrank=100, marker=dict(size=MARKER_SIZE, color=color, symbol="circle"),
                                 hoverinfo="skip", meta={"role": "legend"}))
    if (drawn["China variant of"] != "").any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="China-specific variant", legendrank=800,
                                 marker=dict(size=MARKER_SIZE, symbol=VARIANT_SYMBOL, color=theme.MUTED,
                                             line=dict(width=2.2, color=theme.MUTED)),
                                 hoverinfo="skip", meta={"role": "legend"}))

    # -- threshold labels in the right margin --------------------------------------------------------
    labels = threshold_labels(rules, today_ts)
    if not labels.empty:
        line_h = 13.5
        heights = [(label_text(t).count("<br>") + 1) * line_h + 2 for t in labels["lines"]]
        centers = [to_px_y(v) for v in labels["y"]]
        new_centers = spread_labels(centers, heights, 0, plot_h, gap=5)
        for (_, lab), cy, cy_new in zip(labels.iterrows(), centers, new_centers):
            text = label_text(lab["lines"])
            color = REVIEW_LINE if lab["kind"] == "ceiling" else (
                "#8A6A1F" if lab["kind"] == "band" else THRESHOLD_LINE)
            fig.add_annotation(
                x=1, xref="paper", y=math.log10(lab["y"]), yref="y", text=text, align="left",
                xanchor="left", yanchor="middle", showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=color,
                ax=14, ay=cy_new - cy, axref="pixel", ayref="pixel", standoff=0,
                font=dict(size=LABEL_FONT, color=color), name="threshold-label:" + ",".join(lab["ids"]),
            )

    # -- axes ------------------------------------------------------------------------------------------
    years = list(range(x0.year + (1 if x0.month > 1 else 0), dated_end.year + 1))
    tickvals = [pd.Timestamp(year=y, month=1, day=1) for y in years if pd.Timestamp(year=y, month=1, day=1) <= dated_end]
    ticks = [10 ** k * m for k in range(2, 7) for m in (1, 2, 5)]
    ticks = [t for t in ticks if ylo <= math.log10(t) <= yhi]
    fig.update_layout(
        template=tmpl, height=SCATTER_HEIGHT, margin=SCATTER_MARGIN, hovermode="closest",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left", font=dict(size=12)),
    )
    fig.update_xaxes(range=[x0, x1], tickvals=tickvals, ticktext=[str(t.year) for t in tickvals],
                     title_text="Release date (month)", showgrid=True)
    fig.update_yaxes(type="log", range=[ylo, yhi], tickvals=ticks, ticktext=[fmt_number(t) for t in ticks],
                     title_text="Total processing performance (TPP, log scale)")
    return fig


def scatter_note(points: pd.DataFrame, rules: pd.DataFrame) -> str:
    undated = [c for c in points.loc[points["Placement"] == PLACED_UNDATED, "Chip"]]
    missing = not_plotted(points)
    parts = ["TPP (total processing performance) and PD (performance density = TPP / die area) from the "
             "knowledge base (chips.csv); thresholds and review windows from thresholds.csv (solid line: TPP "
             "alone; dashed: TPP and PD; shaded: gray zone / review window). Dotted links join a China-specific "
             "variant to the chip it was cut from."]
    if undated:
        parts.append("Release date not in the knowledge base (right-hand strip): " + ", ".join(undated) + ".")
    if missing:
        parts.append("Not plotted (no TPP in the knowledge base): " + ", ".join(missing) + ".")
    return " ".join(parts)


# -- (b) architecture timeline ------------------------------------------------------------------------

SPAN_COLUMNS = ["Vendor", "Architecture", "Generation", "From", "To", "Open-ended", "Chips", "Lane", "Row",
                "Rows in lane"]


def architectures_frame(architectures) -> pd.DataFrame:
    """architectures.csv rows (DataFrame, list of dicts or KnowledgeBase.architectures dict) as a DataFrame."""
    if architectures is None:
        return pd.DataFrame(columns=["id", "vendor", "generation_order", "first_year", "source"])
    if isinstance(architectures, pd.DataFrame):
        return architectures
    if isinstance(architectures, dict):
        architectures = list(architectures.values())
    return pd.DataFrame(list(architectures), columns=["id", "vendor", "generation_order", "first_year", "source"])


def architecture_spans(architectures, chips: Optional[pd.DataFrame] = None, *,
                       today: Optional[date] = None, vendors: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """One row per architecture: From = 1 Jan of its first year, To = 1 Jan of the first year of the
    vendor's next generation (generation_order + 1; the last one runs to today, Open-ended).

    Architectures sharing a generation order (e.g. Hopper and Ada Lovelace) share the lane in
    separate rows. Lane: 0 for the first vendor (in the table's order), 1 for the next ...
    """
    arch = architectures_frame(architectures)
    if arch.empty:
        return _typed_spans([])
    arch = arch.copy()
    arch["generation_order"] = pd.to_numeric(arch["generation_order"], errors="coerce")
    arch["first_year"] = pd.to_numeric(arch["first_year"], errors="coerce")
    arch = arch.dropna(subset=["first_year"])
    if vendors is not None:
        arch = arch[arch["vendor"].isin(list(vendors))]
    today_ts = pd.Timestamp(today or date.today())
    chips_by_arch: dict[str, list[str]] = {}
    if chips is not None and not chips.empty:
        ordered = chips.assign(_r=chips["release"] if "release" in chips.columns else pd.NaT)
        ordered = ordered.sort_values("_r", na_position="last", kind="stable")
        for a, cid in zip(ordered["architecture"], ordered["id"]):
            chips_by_arch.setdefault(a, []).append(cid)
    rows = []
    for lane, (vendor, group) in enumerate(arch.groupby("vendor", sort=False)):
        group = group.sort_values(["generation_order", "first_year"], kind="stable")
        orders = sorted(group["generation_order"].dropna().unique())
        sub_counts = group.groupby("generation_order").size()
        n_rows = int(sub_counts.max()) if len(sub_counts) else 1
        seen: dict = {}
        for _, a in group.iterrows():
            start = pd.Timestamp(year=int(a["first_year"]), month=1, day=1)
            later = [o for o in orders if o > a["generation_order"]]
            nxt = group[group["generation_order"] == later[0]]["first_year"].min() if later else None
            if nxt is not None and not pd.isna(nxt):
                end, open_ended = pd.Timestamp(year=int(nxt), month=1, day=1), False
            else:
                end, open_ended = max(today_ts, start + pd.DateOffset(months=6)), True
            row_in_lane = seen.get(a["generation_order"], 0)
            seen[a["generation_order"]] = row_in_lane + 1
            rows.append({
                "Vendor": vendor, "Architecture": a["id"], "Generation": a["generation_order"],
                "From": start, "To": end, "Open-ended": open_ended,
                "Chips": ", ".join(chips_by_arch.get(a["id"], [])), "Lane": lane, "Row": row_in_lane,
                "Rows in lane": n_rows,
            })
    return _typed_spans(rows)


def _typed_spans(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=SPAN_COLUMNS)
    out["From"] = pd.to_datetime(out["From"])
    out["To"] = pd.to_datetime(out["To"])
    return out


def _fit_list(names: list[str], width_px: float, font_px: float = 10.5) -> str:
    """As many names as fit in width_px, then '+N more'."""
    out = ""
    for i, name in enumerate(names):
        candidate = name if not out else f"{out}, {name}"
        rest = len(names) - i - 1
        suffix = f" +{rest} more" if rest else ""
        if text_width(candidate + suffix, font_px) > width_px:
            return (out + f" +{len(names) - i} more").strip() if out else f"{len(names)} chips"
        out = candidate
    return out


TIMELINE_ROW = 60  # px per architecture row
TIMELINE_NOMINAL_WIDTH = 880


def architecture_timeline(architectures, chips: Optional[pd.DataFrame] = None, *,
                          today: Optional[date] = None, vendors: Optional[Iterable[str]] = None) -> go.Figure:
    """Per vendor a lane of architecture generations (bars from first year to the next generation's),
    chip names on the bars (as many as fit; all of them in the hover), dated releases as ticks."""
    tmpl = theme.register()
    spans = architecture_spans(architectures, chips, today=today, vendors=vendors)
    if spans.empty:
        return theme.empty_figure("No architecture in the knowledge base for the selected vendors")
    today_ts = pd.Timestamp(today or date.today())
    colors = generation_colors(architectures, chips)
    # rows from the top: each lane has "Rows in lane" rows; lanes separated by a gap
    gap = 0.45
    lanes = spans.drop_duplicates("Lane").sort_values("Lane")
    lane_top, top = {}, 0.0
    for _, lane in lanes.iterrows():
        lane_top[lane["Lane"]] = top
        top += lane["Rows in lane"] + gap
    total = top - gap
    row_center = lambda s: -(lane_top[s["Lane"]] + s["Row"] + 0.5)  # noqa: E731
    x_start = spans["From"].min() - pd.DateOffset(months=4)
    x_end = max(spans["To"].max(), today_ts) + pd.DateOffset(months=8)
    px_per_day = TIMELINE_NOMINAL_WIDTH / max((x_end - x_start).days, 1)
    dated = None
    if chips is not None and not chips.empty and "release" in chips.columns:
        dated = chips.dropna(subset=["release"])
    fig = go.Figure()
    for _, s in spans.iterrows():
        yc = row_center(s)
        y0, y1 = yc - 0.44, yc + 0.44
        color = colors.get(s["Architecture"], _vendor_color(s["Vendor"]))
        ink = _text_color_on(color)
        end_txt = "today (current generation)" if s["Open-ended"] else str(s["To"].year)
        chip_list = [c for c in s["Chips"].split(", ") if c]
        chips_txt = _wrap(_hover_escape(s["Chips"]), 50) if chip_list else "none in the knowledge base"
        hover = (f"<b>{_hover_escape(s['Architecture'])}</b> ({_hover_escape(s['Vendor'])}, generation "
                 f"{fmt_number(s['Generation'])})<br>{s['From'].year} → {end_txt}<br>Chips: {chips_txt}")
        fig.add_trace(go.Scatter(
            x=[s["From"], s["To"], s["To"], s["From"], s["From"]], y=[y0, y0, y1, y1, y0], mode="lines",
            fill="toself", fillcolor=color, line=dict(width=1, color="white"), hoveron="fills",
            hoverinfo="text", hovertext=hover, showlegend=False, name=s["Architecture"],
            meta={"role": "architecture", "id": s["Architecture"], "vendor": s["Vendor"], "chips": chip_list},
        ))
        bar_px = (s["To"] - s["From"]).days * px_per_day - 12
        label = f"<b>{_hover_escape(s['Architecture'])}</b>"
        fitted = _fit_list(chip_list, bar_px) if chip_list else ""
        if fitted:
            label += f"<br><span style='font-size:10.5px'>{_hover_escape(fitted)}</span>"
        fig.add_annotation(x=s["From"], y=y1 - 0.08, xref="x", yref="y", text=label, showarrow=False,
                           xanchor="left", yanchor="top", xshift=5, align="left",
                           font=dict(size=12, color=ink), name=f"architecture-label:{s['Architecture']}")
        if s["Open-ended"]:
            fig.add_annotation(x=s["To"], y=yc, xref="x", yref="y", text="▶", showarrow=False, xanchor="left",
                               font=dict(size=10, color=theme.MUTED))
        if dated is not None:
            sub = dated[dated["architecture"] == s["Architecture"]]
            if not sub.empty:
                fig.add_trace(go.Scatter(
                    x=list(sub["release"]), y=[y0 + 0.1] * len(sub), mode="markers",
                    marker=dict(symbol="triangle-up", size=7, color=ink, line=dict(width=0)),
                    hoverinfo="text", showlegend=False, name=f"{s['Architecture']} releases",
                    hovertext=[f"<b>{_hover_escape(c)}</b> released {d}" for c, d in
                               zip(sub["id"], sub["release_date"])],
                    meta={"role": "releases", "id": s["Architecture"]},
                ))
    fig.add_vline(x=today_ts, line=dict(color=theme.MUTED, width=1, dash="dot"))
    fig.add_annotation(x=today_ts, y=1, yref="paper", yanchor="bottom", text=f"today ({today_ts:%Y-%m-%d})",
                       showarrow=False, font=dict(size=11, color=theme.MUTED))
    height = int(total * TIMELINE_ROW + 90)
    fig.update_layout(template=tmpl, height=max(200, height), margin=dict(l=96, r=24, t=36, b=40),
                      showlegend=False, hovermode="closest")
    fig.update_xaxes(range=[x_start, x_end], dtick="M12", tickformat="%Y", title_text=None)
    centers = [-(lane_top[l] + n / 2) for l, n in zip(lanes["Lane"], lanes["Rows in lane"])]
    fig.update_yaxes(range=[-total - 0.15, 0.15], tickvals=centers, ticktext=list(lanes["Vendor"]),
                     showgrid=False, zeroline=False, ticks="", fixedrange=True)
    return fig


# -- (c) mentions by generation ------------------------------------------------------------------------

def generation_of(mentions: pd.DataFrame, chips: pd.DataFrame,
                  architectures: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Chip and architecture mentions with the generation (architecture id) they belong to:
    columns article_id, entity_id, type, Generation, Vendor."""
    cols = ["article_id", "entity_id", "type", "Generation", "Vendor"]
    if mentions is None or mentions.empty:
        return pd.DataFrame(columns=cols)
    m = mentions[mentions["type"].isin(["chip", "architecture"])]
    chip_arch = dict(zip(chips["id"], chips["architecture"])) if chips is not None and not chips.empty else {}
    chip_vendor = dict(zip(chips["id"], chips["vendor"])) if chips is not None and not chips.empty else {}
    arch = architectures_frame(architectures)
    arch_vendor = dict(zip(arch["id"], arch["vendor"])) if not arch.empty else {}
    for a, v in zip(chip_arch.values(), chip_vendor.values()):
        arch_vendor.setdefault(a, v)
    entity = m["entity_id"].astype(object)
    gen = map_distinct(entity, chip_arch.get).where((m["type"] == "chip").to_numpy(), entity)
    out = m[["article_id", "entity_id", "type"]].assign(Generation=gen.to_numpy())
    out = out[out["Generation"].notna() & (out["Generation"] != "")]
    out["Vendor"] = map_distinct(out["Generation"], lambda g: arch_vendor.get(g, "Other"))
    return out.reset_index(drop=True)[cols]


def generation_order(architectures, chips: Optional[pd.DataFrame] = None) -> list[str]:
    """Architectures in vendor order (as in the table), then generation order."""
    arch = architectures_frame(architectures)
    order = []
    if not arch.empty:
        arch = arch.assign(_o=pd.to_numeric(arch["generation_order"], errors="coerce"))
        for _, group in arch.groupby("vendor", sort=False):
            order += list(group.sort_values(["_o", "first_year"], kind="stable")["id"])
    if chips is not None and not chips.empty:
        order += [a for a in dict.fromkeys(chips["architecture"]) if a and a not in order]
    return order


def _period_start(published: pd.Series, freq: str) -> pd.Series:
    if freq == "D":
        return published.dt.normalize()
    return published.dt.to_period(freq).dt.start_time


def generation_counts(mentions: pd.DataFrame, articles: pd.DataFrame, chips: pd.DataFrame,
                      freq: str = "M", architectures=None, vendors: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """Distinct articles per (period, generation) that mention a chip of the generation or the
    architecture by name. Periods without articles are filled with 0 between the first and last period.

    Columns: Period (timestamp of the period's start), Generation, Vendor, Articles.
    """
    cols = ["Period", "Generation", "Vendor", "Articles"]
    empty = pd.DataFrame({"Period": pd.Series(dtype="datetime64[ns]"), "Generation": pd.Series(dtype=object),
                          "Vendor": pd.Series(dtype=object), "Articles": pd.Series(dtype=int)})
    if freq not in FREQ_LABELS:
        raise ValueError(f"freq must be one of {sorted(FREQ_LABELS)}, not {freq!r}")
    gm = generation_of(mentions, chips, architectures)
    if vendors is not None:
        gm = gm[gm["Vendor"].isin(list(vendors))]
    if gm.empty or articles is None or articles.empty:
        return empty
    where = positions_in(gm["article_id"], articles["id"])
    published = pd.to_datetime(take_or_missing(articles["published"], where, gm.index), errors="coerce")
    gm = gm.assign(published=published, _article=where)
    gm = gm[gm["published"].notna() & (gm["_article"] >= 0)]
    if gm.empty:
        return empty
    gm["Period"] = _period_start(gm["published"], freq)
    # Distinct articles per (period, generation): an article naming two chips of one generation counts once.
    gm = gm.drop_duplicates(["_article", "Generation"])
    counts = gm.groupby(["Period", "Generation", "Vendor"]).size().rename("Articles").reset_index()
    # fill the calendar so areas drop to zero between mentions
    alias = {"D": "D", "W": "W", "M": "M", "Q": "Q"}[freq]
    if freq == "D":
        calendar = pd.date_range(counts["Period"].min(), counts["Period"].max(), freq="D")
    else:
        calendar = pd.period_range(counts["Period"].min(), counts["Period"].max(), freq=alias).start_time
    gens = counts[["Generation", "Vendor"]].drop_duplicates()
    full = gens.merge(pd.DataFrame({"Period": calendar}), how="cross")
    out = full.merge(counts, on=["Period", "Generation", "Vendor"], how="left")
    out["Articles"] = out["Articles"].fillna(0).astype(int)
    order = {g: i for i, g in enumerate(generation_order(architectures, chips))}
    out["_o"] = out["Generation"].map(lambda g: order.get(g, len(order)))
    return out.sort_values(["_o", "Period"]).drop(columns="_o").reset_index(drop=True)[cols]


GENERATION_SHADES = {1: [0.0], 2: [-0.25, 0.4], 3: [-0.35, 0.05, 0.5], 4: [-0.4, -0.05, 0.35, 0.65],
                     5: [-0.35, -0.08, 0.22, 0.46, 0.68]}


def generation_colors(architectures, chips: Optional[pd.DataFrame] = None) -> dict[str, str]:
    """Each generation in a shade of its vendor's colour, darkest for the oldest (the same colours
    on the timeline and the mentions chart)."""
    arch = architectures_frame(architectures)
    colors = {}
    for vendor, group in arch.groupby("vendor", sort=False):
        group = group.assign(_o=pd.to_numeric(group["generation_order"], errors="coerce")).sort_values(
            ["_o", "first_year"], kind="stable")
        n = len(group)
        shades = GENERATION_SHADES.get(n) or [-0.45 + 1.2 * i / max(n - 1, 1) for i in range(n)]
        for a, step in zip(group["id"], shades):
            colors[a] = _shade(_vendor_color(vendor), step)
    if chips is not None and not chips.empty:
        for a, v in zip(chips["architecture"], chips["vendor"]):
            colors.setdefault(a, _vendor_color(v))
    return colors


def mentions_by_generation(mentions: pd.DataFrame, articles: pd.DataFrame, chips: pd.DataFrame, freq: str = "M",
                           *, architectures=None, vendors: Optional[Iterable[str]] = None,
                           counts: Optional[pd.DataFrame] = None) -> go.Figure:
    """Stacked areas: per period, the distinct articles that mention each chip generation.

    counts: generation_counts(...) of the same arguments when the caller has it already."""
    tmpl = theme.register()
    if counts is None:
        counts = generation_counts(mentions, articles, chips, freq, architectures, vendors)
    if counts.empty:
        return theme.empty_figure("No article under the current filters mentions a chip or a chip architecture")
    colors = generation_colors(architectures, chips)
    unit = FREQ_LABELS[freq]
    fmt = {"D": "%Y-%m-%d", "W": "week of %Y-%m-%d", "M": "%b %Y", "Q": "Q%q %Y"}[freq]
    fig = go.Figure()
    step = {"D": pd.DateOffset(days=1), "W": pd.DateOffset(weeks=1), "M": pd.DateOffset(months=1),
            "Q": pd.DateOffset(months=3)}[freq]
    closing = counts["Period"].max() + step  # each period's block ends where the next period starts
    for (gen, vendor), group in counts.groupby(["Generation", "Vendor"], sort=False):
        group = pd.concat([group, pd.DataFrame([{"Period": closing, "Generation": gen, "Vendor": vendor,
                                                 "Articles": 0}])], ignore_index=True)
        periods = group["Period"]
        if freq == "Q":
            labels = [f"Q{(p.month - 1) // 3 + 1} {p.year}" for p in periods]
        else:
            labels = [p.strftime(fmt) for p in periods]
        fig.add_trace(go.Scatter(
            x=periods, y=group["Articles"], mode="lines", stackgroup="one", name=f"{gen} ({vendor})",
            line=dict(width=0.6, color="white", shape="hv"),
            fillcolor=colors.get(gen, theme.MUTED),
            customdata=labels,
            hovertemplate=f"<b>{_hover_escape(gen)}</b> ({_hover_escape(vendor)})<br>%{{customdata}}: "
                          "%{y:,} article(s)<extra></extra>",
            meta={"role": "generation", "id": gen},
        ))
    fig.update_layout(template=tmpl, height=420, hovermode="x unified" if freq != "D" else "closest",
                      margin=dict(l=64, r=24, t=64, b=48),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left",
                                  traceorder="normal"))
    fig.update_xaxes(title_text=None)
    fig.update_yaxes(title_text=f"Articles per {unit}", rangemode="tozero",
                     tickformat=",d")
    return fig


# -- selection and articles -----------------------------------------------------------------------------

def selected_chips(event, figure: Optional[go.Figure] = None) -> list[str]:
    """Chip ids from a Streamlit plotly selection event (read dict-style), in selection order.

    Uses each point's customdata; falls back to the figure's trace customdata by curve/point index.
    Points on threshold or link traces (no chip) are ignored.
    """
    if not event:
        return []
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    out = []
    for p in points or []:
        cd = p.get("customdata") if isinstance(p, dict) else None
        if cd is None and figure is not None and isinstance(p, dict):
            try:
                trace = figure.data[p.get("curve_number")]
                idx = p.get("point_index", p.get("point_number"))
                cd = trace.customdata[idx] if trace.customdata is not None else None
            except (IndexError, TypeError, KeyError):
                cd = None
        if isinstance(cd, (list, tuple)):
            cd = cd[0] if cd else None
        if cd and cd not in out:
            out.append(str(cd))
    return out


def articles_mentioning(articles: pd.DataFrame, mentions: pd.DataFrame, chip_ids: Iterable[str]) -> pd.DataFrame:
    """The articles that mention any of the chips (as a chip mention)."""
    ids = set(chip_ids or ())
    if articles is None or articles.empty or not ids:
        return articles.iloc[0:0] if articles is not None else pd.DataFrame()
    hit = mentions.loc[(mentions["type"] == "chip") & mentions["entity_id"].isin(ids), "article_id"]
    return articles[articles["id"].isin(set(hit))]


# -- report ---------------------------------------------------------------------------------------------

def scatter_data(points: pd.DataFrame) -> pd.DataFrame:
    """The scatter's CSV: one row per chip, clean column names, 'Plotted' saying where it went."""
    out = points.copy()
    out["Release"] = out["Release date"].replace("", None)
    return out.drop(columns=["Release date"]).rename(columns={"Placement": "Plotted"})


# The chip scatter and the architecture timeline come from the knowledge base alone, yet cost
# about 0.25 s to build: every page run (each filter change) rebuilt them. Remembered per
# (chip table, knowledge base, choices, day); callers get copies of the figures and tables.
_KNOWLEDGE_SECTIONS: dict[tuple, tuple[weakref.ref, tuple[ChartSection, ChartSection]]] = {}


def _knowledge_sections(chips: pd.DataFrame, kb, vendors, variants_only: bool, highlight,
                        today: Optional[date]) -> tuple[ChartSection, ChartSection]:
    day = today or date.today()
    key = (id(chips), id(kb), tuple(vendors) if vendors is not None else None, bool(variants_only),
           tuple(sorted(highlight or ())), day)
    hit = _KNOWLEDGE_SECTIONS.get(key)
    if hit is None or hit[0]() is not chips:
        if len(_KNOWLEDGE_SECTIONS) >= 32:
            _KNOWLEDGE_SECTIONS.clear()
        hit = (weakref.ref(chips), _build_knowledge_sections(chips, kb, vendors, variants_only, highlight, day))
        _KNOWLEDGE_SECTIONS[key] = hit
    return tuple(ChartSection(c.name, c.title, go.Figure(c.figure), c.data.copy(), c.note) for c in hit[1])


def _build_knowledge_sections(chips, kb, vendors, variants_only, highlight, today):
    shown = select_chips(chips, vendors, variants_only)
    rules = threshold_rules(kb.thresholds)
    points = chip_points(shown)

    scatter = ChartSection(
        name="tpp-by-release", title="Chip performance (TPP) against the export-control thresholds",
        figure=tpp_scatter(shown, kb.thresholds, highlight=highlight, today=today),
        data=scatter_data(points), note=scatter_note(points, rules),
    )

    arch = architectures_frame(kb.architectures)
    spans = architecture_spans(arch, shown if shown is not None else chips, today=today, vendors=vendors)
    timeline = ChartSection(
        name="architecture-timeline", title="Architecture generations by vendor",
        figure=architecture_timeline(arch, shown, today=today, vendors=vendors),
        data=spans.assign(
            Generation=pd.to_numeric(spans["Generation"]).astype("Int64"),
            From=spans["From"].dt.year.astype("Int64"),
            To=spans["To"].where(~spans["Open-ended"].astype(bool)).dt.year.astype("Int64"),
        )[["Vendor", "Architecture", "Generation", "From", "To", "Chips"]].rename(
            columns={"From": "From (year)", "To": "To (year; empty = current)"}),
        note="Each bar runs from the generation's first year to the first year of the vendor's next generation "
             "(architectures.csv); the current generation runs to today. Triangles mark dated chip releases; "
             "hover a bar for its chips.",
    )

    return scatter, timeline


def report_sections(frames, *, vendors: Optional[Iterable[str]] = None, variants_only: bool = False,
                    highlight: Iterable[str] = (), freq: str = "M", today: Optional[date] = None,
                    filters=None, **_ignored) -> list[ChartSection]:
    """The page's three charts for the report and the export buttons.

    frames: chipwatch.frames.Frames (mentions/articles already filtered; chips = the knowledge base).
    filters: optional chipwatch.frames.Filters; when given, its company facet restricts the vendors
    (if it names a chip vendor) and its chip facet highlights chips, as on the page.
    """
    kb = frames.kb
    if kb is None:
        from chipwatch.knowledge import load_knowledge
        kb = load_knowledge()
    chips = frames.chips
    if filters is not None:
        if vendors is None:
            vendors = vendors_from_filters(chips, filters.companies)
        if not highlight:
            highlight = highlight_from_filters(chips, filters.chips)
    arch = architectures_frame(kb.architectures)
    scatter, timeline = _knowledge_sections(chips, kb, vendors, variants_only, highlight, today)

    counts = generation_counts(frames.mentions, frames.articles, chips, freq, arch, vendors)
    undated = int(frames.articles["published"].isna().sum()) if not frames.articles.empty else 0
    unit = FREQ_LABELS.get(freq, freq)
    mentions_note = (f"Distinct articles per {unit} that mention a chip of the generation or the architecture by "
                     "name (an article that names two generations counts in both).")
    if undated:
        mentions_note += f" {undated} article(s) without a publication date are not counted."
    mentions = ChartSection(
        name="mentions-by-generation", title="Which generations the articles talk about",
        figure=mentions_by_generation(frames.mentions, frames.articles, chips, freq, architectures=arch,
                                      vendors=vendors, counts=counts),
        data=counts.assign(Period=counts["Period"].dt.strftime("%Y-%m-%d")).rename(
            columns={"Period": f"Period ({unit} starting)"}),
        note=mentions_note,
    )
    return [scatter, timeline, mentions]
