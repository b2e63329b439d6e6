"""The frame every page shares: page config, sidebar navigation, shared filters.

Layout: Streamlit's legacy ``pages/`` folder WITHOUT ``st.navigation`` (see
/work/shared/streamlit-notes.md §1.1, "layout C"). The auto-generated sidebar menu is
hidden (``client.showSidebarNavigation=false``); this module draws its own menu with
``st.page_link`` and hands the current filters to every link as query params, so a
filter follows the analyst from page to page and every URL is a shareable deep link.

URL <-> filters. The filters live in the URL as ``company``, ``chip``, ``country``,
``from``, ``to``, ``language``, ``publisher`` (repeated keys for several values; the URL
holds ids such as ``CHN`` while the widgets show "China (CHN)"). ``bind="query-params"``
is NOT used: a bound multiselect writes its *formatted* labels to the URL
(``?country=China+(CHN)``), and mixing bound and hand-written params on one page lets
stale bound values be re-broadcast. Instead one rule runs at the top of every page run:

- the URL wins when the session is new, when the page changed (a nav link carries the
  filters in its query params) or when the URL differs from what the frame last wrote
  (deep link, browser back/forward, AppTest ``at.query_params``): the widget keys are
  seeded from it before the widgets are drawn;
- otherwise the widgets win (the analyst just changed one), and the URL is rewritten
  from them at the end of the frame.

Every page script starts with::

    from chipwatch_ui.frame import page_frame
    ctx = page_frame("Export status")

and then draws from ``ctx.frames`` (filtered) / ``ctx.all_frames`` (unfiltered).
Page scripts must not use the filter keys (``company``, ``chip``, ``country``, ``from``,
``to``, ``language``, ``publisher``) as their own widget keys, nor ``chipwatch_*`` keys.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pandas as pd
import streamlit as st

from chipwatch.export import export_filename
from chipwatch.frames import Filters, Frames
from chipwatch.report import build_report
from chipwatch_ui.data import all_frames, filtered_frames, options_for, resolve_db_path
from chipwatch_ui.filters import (
    DATE_KEYS, FACETS, FILTER_KEYS, FilterOptions, filters_from_values, query_params_for, values_from_query,
)
from chipwatch_ui.pages import PAGES
from chipwatch_ui.text import escape_markdown

ASSETS = Path(__file__).resolve().parent / "assets"
LOGO = ASSETS / "logo.svg"
ICON = ASSETS / "icon.svg"
SYNC_KEY = "chipwatch_url_sync"  # {"page": title, "params": the filter params the frame last wrote}

FACET_LABELS = {
    "company": ("Company", "All companies"),
    "chip": ("Chip or architecture", "All chips"),
    "country": ("Country", "All countries"),
    "language": ("Language", "All languages"),
    "publisher": ("Publisher", "All publishers"),
}
FACET_HELP = {
    "company": "Articles that mention the company or one of its chips.",
    "chip": "Articles that mention the chip (or, for an architecture, the generation by name).",
    "country": "Articles that mention the country; status rows where it is the actor or destination.",
}


@dataclass
class PageContext:
    """What a page draws from. `frames` are filtered; `all_frames` are not."""

    title: str
    filters: Filters
    frames: Frames
    all_frames: Frames
    db_path: Path
    options: FilterOptions = field(repr=False, default=None)
    query_params: dict[str, list[str]] = field(default_factory=dict)  # the filters as URL params

    @property
    def filtered(self) -> bool:
        return not self.filters.is_empty()


def clear_filters() -> None:
    """Reset every shared filter (a callback: runs before the widgets are drawn)."""
    for key, _ in FACETS:
        st.session_state[key] = []
    for key, _ in DATE_KEYS:
        st.session_state[key] = None


def _draw_nav(params: dict[str, list[str]]) -> None:
    for spec in PAGES:
        st.page_link(spec.script, label=spec.title, icon=spec.icon, help=spec.help,
                     query_params=params or None, width="stretch")


def _draw_filters(options: FilterOptions) -> Filters:
    values = {}
    for key, _ in FACETS[:3]:
        values[key] = _multiselect(key, options)
    values["from"] = _date_input("from", "Published from", "Articles published on or after this day.", options)
    values["to"] = _date_input("to", "Published to", "Articles published on or before this day.", options)
    for key, _ in FACETS[3:]:
        values[key] = _multiselect(key, options)
    return filters_from_values(values)


def _multiselect(key: str, options: FilterOptions) -> list[str]:
    label, placeholder = FACET_LABELS[key]
    return st.multiselect(
        label, options.values(key), key=key,
        format_func=lambda v, _k=key: options.label(_k, v),
        placeholder=placeholder, help=FACET_HELP.get(key),
    )


def _date_input(key: str, label: str, help: str, options: FilterOptions):
    # Bounded by the data, widened to hold the current value (a link may carry any day).
    current = st.session_state.get(key)
    lo = min(d for d in (options.date_min, current) if d) if (options.date_min or current) else None
    hi = max(d for d in (options.date_max, current) if d) if (options.date_max or current) else None
    return st.date_input(label, value=None, min_value=lo, max_value=hi, key=key, format="YYYY-MM-DD",
                         help=help)


def _url_filter_params() -> dict[str, list[str]]:
    params = {}
    for key in FILTER_KEYS:
        values = [v for v in st.query_params.get_all(key) if v != ""]
        if values:
            params[key] = values
    return params


def _seed_from_url(title: str, options: FilterOptions) -> tuple[dict[str, list[str]], list[str]]:
    """Apply the URL rule (module docstring); returns (the URL's filter params, ignored values)."""
    url = _url_filter_params()
    last = st.session_state.get(SYNC_KEY)
    ignored: list[str] = []
    if last is None or last.get("page") != title or last.get("params") != url:
        values, ignored = values_from_query(url, options)
        for key, value in values.items():
            st.session_state[key] = value
    return url, ignored


def _write_url(title: str, url: dict[str, list[str]], params: dict[str, list[str]]) -> None:
    """Make the URL hold exactly the filter params (other params are kept)."""
    if url != params:
        others = {k: st.query_params.get_all(k) for k in st.query_params if k not in FILTER_KEYS}
        st.query_params.from_dict({**others, **params})
    st.session_state[SYNC_KEY] = {"page": title, "params": params}


def page_frame(title: str, icon: Optional[str] = None) -> PageContext:
    """Draw the shared frame of a page and return what the page draws from.

    Calls st.set_page_config, draws the sidebar (logo, page links carrying the
    current filters, the shared filters kept in the URL, "Clear filters") and
    loads the cached frames. Call it first in every page script, on every run.
    The frame owns the sidebar; the page owns the main area (nothing is drawn there).
    """
    st.set_page_config(page_title=f"Chipwatch · {title}", page_icon=icon or str(ICON), layout="wide",
                       initial_sidebar_state="expanded")
    st.logo(str(LOGO), size="large")

    db_path = resolve_db_path()
    try:
        unfiltered = all_frames(db_path)
        options = options_for(db_path)
    except (sqlite3.Error, pd.errors.DatabaseError, OSError) as exc:
        with st.sidebar:
            _draw_nav({})
        st.error(escape_markdown(f"Cannot read the store at {db_path}: {exc}"), icon=":material/error:")
        st.caption(escape_markdown(
            "Point CHIPWATCH_DB at a Chipwatch store, or ingest articles with: python -m chipwatch ingest data/articles"))
        st.stop()

    url, ignored = _seed_from_url(title, options)
    with st.sidebar:
        nav = st.container(gap="small")
        st.divider()
        st.subheader("Filters", anchor=False)
        filters = _draw_filters(options)
        if ignored:
            st.caption(escape_markdown("Not in the data, ignored: " + ", ".join(ignored)))
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            st.warning("“Published from” is after “Published to”: no article can match.", icon=":material/warning:")
        st.button("Clear filters", icon=":material/filter_alt_off:", on_click=clear_filters,
                  disabled=filters.is_empty(), width="stretch", key="chipwatch_clear_filters")
        frames = filtered_frames(filters, db_path)
        # Built only when clicked (a worker thread runs the callable): every page's charts, one offline file.
        st.download_button("Download report (HTML)", data=lambda: build_report(unfiltered, filters),
                           file_name=export_filename("report", "all-charts", filters.describe(), "html"),
                           mime="text/html", on_click="ignore", icon=":material/summarize:", width="stretch",
                           key="chipwatch_report",
                           help="Every chart of every page under these filters, in one HTML file that opens "
                                "offline and prints well.")
        total, shown = len(unfiltered.articles), len(frames.articles)
        st.caption(escape_markdown(
            f"{shown:,} of {total:,} articles match" if not filters.is_empty() else f"{total:,} articles in the store"))
        st.caption(escape_markdown(f"Store: {db_path}"))

    params = query_params_for(filters)
    _write_url(title, url, params)
    with nav:
        _draw_nav(params)

    return PageContext(title=title, filters=filters, frames=frames, all_frames=unfiltered, db_path=db_path,
                       options=options, query_params=params)
