"""The one-file report: every dashboard page's charts under the current filters, as ONE HTML file.

`build_report(frames, filters)` returns a self-contained page: plotly.js is inlined once, the
offline map shapes once (only when a chart draws a map), and nothing is loaded from the network,
so the file can be mailed, archived and opened offline. Charts come from the same figure builders
as the dashboard (`chipwatch.charts.<page>.report_sections(frames)`), so the report looks like the
screen. Under each chart: its note and the first rows of the data behind it.

Everything that comes from data (titles, notes, cells, filter values) is HTML-escaped: article
text is data, never markup. Figures are embedded as JSON by plotly, which escapes '<' and '>'.

CLI: `python -m chipwatch report --out FILE.html [--db FILE] [--company X] [--chip H200] ...`
"""
from __future__ import annotations

import datetime as dt
import html
import importlib
import inspect
import math
from dataclasses import dataclass
from typing import Optional

import pandas as pd

from chipwatch import export
from chipwatch.charts import ChartSection
from chipwatch.frames import Filters, Frames, apply_filters

# (page title as in the dashboard, module under chipwatch.charts), in report order.
REPORT_PAGES: tuple[tuple[str, str], ...] = (
    ("Overview", "overview"),
    ("Chip generations", "generations"),
    ("Export status", "status"),
    ("Stakeholder stances", "stances"),
)
TABLE_ROWS = 10  # rows of data shown under each chart (the CSV download has them all)
TABLE_COLUMNS = 12
CELL_CHARS = 160
SHORT_CELL = 16  # cells this short never wrap (ids, dates, codes)

LANGUAGE_NAMES = {"ko": "Korean", "en": "English", "zh": "Chinese", "ja": "Japanese", "other": "Other"}


@dataclass
class PageResult:
    title: str
    module: str
    sections: list[ChartSection]
    error: str = ""  # the page's charts could not be built (strict=False only): shown in the report


def _accepts(func, name: str) -> bool:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.name == name or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)


def page_sections(frames: Frames, filters: Optional[Filters] = None, *, strict: bool = False) -> list[PageResult]:
    """Each report page's sections, built from the (filtered) frames, in report order.

    `filters` is passed on to each report_sections that accepts a `filters` (or **params) argument
    (some pages highlight the filtered chips, as on screen).

    A page whose charts cannot be built (its module fails to import or its report_sections raises)
    is returned with `error` set, so one broken page does not cost the analyst the whole report;
    with `strict=True` the error propagates instead (the tests use it).
    """
    results = []
    for title, module in REPORT_PAGES:
        try:
            build = importlib.import_module(f"chipwatch.charts.{module}").report_sections
            params = {"filters": filters or Filters()} if _accepts(build, "filters") else {}
            sections = list(build(frames, **params))
        except Exception as exc:  # noqa: BLE001
            if strict:
                raise
            results.append(PageResult(title, module, [], error=f"{type(exc).__name__}: {exc}"))
            continue
        results.append(PageResult(title, module, sections))
    return results


# -- words ------------------------------------------------------------------------------------------

def _join(values) -> str:
    return ", ".join(str(v) for v in values)


def describe_filters(filters: Filters, frames: Optional[Frames] = None) -> list[tuple[str, str]]:
    """The filters in words, as (facet, values) pairs; empty when nothing is filtered."""
    kb = frames.kb if frames is not None else None

    def country(code: str) -> str:
        name = ((kb.countries.get(code) or {}).get("name") if kb is not None else None)
        return f"{name} ({code})" if name else code

    rows = []
    if filters.companies:
        rows.append(("Companies", _join(filters.companies)))
    if filters.chips:
        rows.append(("Chips or architectures", _join(filters.chips)))
    if filters.countries:
        rows.append(("Countries", _join(country(c) for c in filters.countries)))
    if filters.date_from or filters.date_to:
        if filters.date_from and filters.date_to:
            rows.append(("Published", f"{filters.date_from:%Y-%m-%d} to {filters.date_to:%Y-%m-%d}"))
        elif filters.date_from:
            rows.append(("Published", f"on or after {filters.date_from:%Y-%m-%d}"))
        else:
            rows.append(("Published", f"on or before {filters.date_to:%Y-%m-%d}"))
    if filters.languages:
        rows.append(("Languages", _join(LANGUAGE_NAMES.get(code, code) for code in filters.languages)))
    if filters.publishers:
        rows.append(("Publishers", _join(filters.publishers)))
    return rows


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# -- tables -----------------------------------------------------------------------------------------

def _cell(value) -> str:
    """One table cell as escaped text: dates as days, floats to 2 decimals, missing as an em dash."""
    if value is None or value is pd.NaT:
        return "—"
    if isinstance(value, float) and math.isnan(value):
        return "—"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        text = value.strftime("%Y-%m-%d") if (value.hour, value.minute, value.second) == (0, 0, 0) \
            else value.strftime("%Y-%m-%d %H:%M")
    elif pd.api.types.is_bool(value):
        text = "yes" if value else "no"
    elif pd.api.types.is_integer(value):
        text = str(int(value))  # no thousands separator: years and ids are integers too
    elif pd.api.types.is_float(value):
        text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    else:
        try:
            if pd.isna(value):
                return "—"
        except (TypeError, ValueError):
            pass
        text = str(value)
    text = " ".join(text.split())
    if len(text) > CELL_CHARS:
        text = text[:CELL_CHARS - 1].rstrip() + "…"
    return html.escape(text)


def _header(column) -> str:
    """A column name as words: 'period_start' -> 'Period start' (ids such as 'TPP' keep their case)."""
    if isinstance(column, tuple):
        return " / ".join(_header(c) for c in column if str(c))
    text = str(column).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _td(text: str) -> str:
    """A cell: short ones never wrap (ids, dates); one long token (a URL) may break anywhere;
    long prose gets room."""
    if len(text) <= SHORT_CELL:
        return f'<td class="nw">{text}</td>'
    if " " not in text and len(text) > 24:
        return f'<td class="brk">{text}</td>'
    if len(text) > 60:
        return f'<td class="long">{text}</td>'
    return f"<td>{text}</td>"


def data_table(df: Optional[pd.DataFrame], rows: int = TABLE_ROWS) -> str:
    """A compact HTML table of the first rows of a chart's data (every cell escaped)."""
    if df is None:
        return ""
    if df.empty:
        return '<p class="muted">No rows behind this chart under these filters.</p>'
    data = df
    if any(n is not None for n in data.index.names) or not pd.api.types.is_integer_dtype(data.index.dtype):
        data = data.reset_index()
    shown_cols = list(data.columns[:TABLE_COLUMNS])
    head = "".join(f"<th>{_cell(_header(c))}</th>" for c in shown_cols)
    body = []
    for row in data.iloc[:rows][shown_cols].itertuples(index=False, name=None):
        body.append("<tr>" + "".join(_td(_cell(v)) for v in row) + "</tr>")
    caption = f"First {min(rows, len(data)):,} of {_count(len(data), 'row', 'rows')}" if len(data) > rows \
        else _count(len(data), "row", "rows")
    if len(data.columns) > TABLE_COLUMNS:
        caption += f"; first {TABLE_COLUMNS} of {len(data.columns)} columns"
    return (f'<div class="table-wrap"><table><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")


# -- the page ---------------------------------------------------------------------------------------

CSS = """
:root { --ink:#1B2430; --muted:#6C757D; --line:#D9DEE5; --soft:#F3F5F8; --accent:#1F4E79; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK KR", "Noto Sans CJK SC",
        "Helvetica Neue", Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 24px 20px 48px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
header.report h1 { margin: 0 0 4px; font-size: 26px; color: var(--accent); }
.meta { color: var(--muted); margin: 0; }
dl.filters { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 12px 0 0; }
dl.filters dt { font-weight: 600; }
dl.filters dd { margin: 0; }
ul.counts { list-style: none; display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 12px 0 0; }
ul.counts li { background: var(--soft); border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; }
ul.counts b { font-size: 16px; }
nav.toc { margin: 16px 0 0; color: var(--muted); }
nav.toc a { color: var(--accent); text-decoration: none; margin-right: 14px; }
section.page { margin-top: 28px; }
section.page > h2 { font-size: 21px; border-bottom: 1px solid var(--line); padding-bottom: 4px; margin: 0 0 8px; }
article.chart { margin: 18px 0 26px; break-inside: avoid; page-break-inside: avoid; }
article.chart h3 { font-size: 16px; margin: 0 0 6px; }
.plot { width: 100%; border: 1px solid var(--line); border-radius: 4px; }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0 8px; }
.muted { color: var(--muted); }
.notice { background: #FFF7E6; border: 1px solid #E9B44C; border-radius: 4px; padding: 8px 12px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 12px; margin-top: 4px; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 12px; padding-top: 4px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
td.nw { white-space: nowrap; }
td.brk { overflow-wrap: anywhere; min-width: 12em; }
td.long { min-width: 16em; }
th { background: var(--soft); font-weight: 600; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.page { break-before: page; page-break-before: always; margin-top: 0; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"""

# Plotly sizes responsive charts to the window; re-fit them to the paper before printing.
PRINT_SCRIPT = ("<script>window.addEventListener('beforeprint',function(){"
                "document.querySelectorAll('.js-plotly-plot').forEach(function(d){Plotly.Plots.resize(d);});});"
                "</script>")


def _section_html(page_slug: str, index: int, section: ChartSection) -> str:
    div_id = f"chart-{page_slug}-{index}"
    parts = [f'<article class="chart" id="{html.escape(div_id)}-box">']
    if section.title:
        parts.append(f"<h3>{html.escape(section.title)}</h3>")
    parts.append(f'<div class="plot">{export.figure_div(section.figure, div_id=div_id)}</div>')
    if section.note:
        parts.append(f'<p class="note">{html.escape(section.note)}</p>')
    parts.append(data_table(section.data))
    parts.append("</article>")
    return "".join(parts)


def build_report(frames: Frames, filters: Filters, *, title: Optional[str] = None,
                 generated_at: Optional[dt.datetime] = None, strict: bool = False,
                 problems: Optional[list[str]] = None) -> str:
    """ONE self-contained HTML file of every page's charts under the filters.

    `frames`: the store's frames, filtered or not (applying the filters is idempotent: the report
    applies them itself). `generated_at` defaults to now (local time). A page that cannot be built
    gets a visible notice in the report instead of its charts (`strict=True` raises instead); pass a
    list as `problems` to receive one line per such page.
    """
    generated_at = generated_at or dt.datetime.now().astimezone()
    title = title or "Chipwatch report"
    filtered = apply_filters(frames, filters)
    pages = page_sections(filtered, filters, strict=strict)
    if problems is not None:
        problems.extend(f"{p.title}: {p.error}" for p in pages if p.error)

    sections = [s for p in pages for s in p.sections]
    map_names = sorted({n for s in sections for n in export.topojson_names(s.figure)})

    stamp = generated_at.strftime("%Y-%m-%d %H:%M") + (f" {generated_at.strftime('%Z')}".rstrip()
                                                         if generated_at.tzinfo else "")
    filter_rows = describe_filters(filters, frames)
    if filter_rows:
        filters_html = ('<dl class="filters">' + "".join(
            f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in filter_rows) + "</dl>")
    else:
        filters_html = '<p class="meta">No filters: every article in the store.</p>'
    total = len(frames.articles)
    shown = len(filtered.articles)
    counts = [
        _count(shown, "article", "articles") + (f" of {total:,}" if shown != total else ""),
        _count(len(filtered.quotes), "quote", "quotes"),
        _count(len(filtered.claims), "status claim", "status claims"),
    ]
    counts_html = "".join(f"<li>{html.escape(c)}</li>" for c in counts)

    body = []
    toc = []
    for page in pages:
        slug = page.module
        toc.append(f'<a href="#page-{slug}">{html.escape(page.title)}</a>')
        body.append(f'<section class="page" id="page-{slug}"><h2>{html.escape(page.title)}</h2>')
        if page.error:
            body.append(f'<p class="notice">This page\'s charts could not be built ({html.escape(page.error)}). '
                        'Please report this; the other pages are complete.</p>')
        elif not page.sections:
            body.append('<p class="muted">No charts for this page under these filters.</p>')
        for i, section in enumerate(page.sections, 1):
            body.append(_section_html(slug, i, section))
        body.append("</section>")

    return "".join([
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Chipwatch">',
        f"<title>{html.escape(title)} · {html.escape(generated_at.strftime('%Y-%m-%d'))}</title>",
        f"<style>{CSS}</style></head><body>",
        export.plotlyjs_script(),
        export.geo_assets_script(map_names),
        "<main>",
        f'<header class="report"><h1>{html.escape(title)}</h1>',
        f'<p class="meta">Generated {html.escape(stamp)}</p>',
        filters_html,
        f'<ul class="counts">{counts_html}</ul>',
        f'<nav class="toc">{"".join(toc)}</nav></header>',
        *body,
        '<footer>Chipwatch: evidence extracted from news articles and a curated timeline of export-control '
        'decisions. Charts are interactive when opened in a browser; the tables show the first rows '
        'of the data behind each chart.</footer>',
        "</main>",
        PRINT_SCRIPT,
        "</body></html>\n",
    ])
