"""One chart on screen with its export buttons (PNG, SVG, interactive HTML, CSV)."""
from __future__ import annotations

from typing import Optional

import plotly.graph_objects as go
import streamlit as st

from chipwatch import export
from chipwatch.charts import ChartSection
from chipwatch_ui.text import escape_markdown

# The app serves static/ at app/static/ (server.enableStaticServing), so maps load offline.
# The relative URL resolves against the page URL, so it also works under a server.baseUrlPath.
PLOTLY_CONFIG = {"displaylogo": False, "topojsonURL": "app/static/topojson/",
                 "toImageButtonOptions": {"format": "png", "scale": 2}}


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _image(digest: str, fmt: str, _fig: go.Figure) -> bytes:
    """Rendered image, cached by (figure digest, format): a second click on the same chart is free.

    The figure itself is not hashed (leading underscore): `digest` is the sha256 of its JSON,
    computed only when a button is clicked.
    """
    return export.figure_to_image(_fig, fmt)


def _image_download(fig: go.Figure, fmt: str):
    # The button's data: runs on a worker thread only when the analyst clicks.
    return lambda: _image(export.figure_digest(fig), fmt, fig)


def chart_panel(section: ChartSection, *, page: str, filters_label: str, key: str,
                on_select: str = "ignore", selection_mode=("points",), height: Optional[int] = None):
    """Draw the chart, its note and a row of download buttons; return the selection event (dict) or None.

    Every download is built lazily (the button's data is a callable), so nothing is rendered
    or serialised unless clicked. PNG/SVG need Chromium on the server; without it those two
    buttons are disabled and the reason is shown beside them, while HTML and CSV keep working.
    """
    fig = section.figure
    if section.title:
        st.subheader(escape_markdown(section.title), anchor=False)
    event = st.plotly_chart(fig, theme=None, key=key, on_select=on_select, selection_mode=selection_mode,
                            config=PLOTLY_CONFIG, width="stretch",
                            **({"height": height} if height else {}))
    if section.note:
        st.caption(escape_markdown(section.note))

    def name(ext: str) -> str:
        return export.export_filename(page, section.name, filters_label, ext)

    ok, message = export.static_export_status()
    cols = st.columns([1, 1, 1, 1, 4], vertical_alignment="center")
    cols[0].download_button("PNG", data=_image_download(fig, "png"), file_name=name("png"),
                            mime=export.MIME_TYPES["png"], key=f"{key}-png", disabled=not ok, on_click="ignore",
                            icon=":material/image:", help="Picture of the chart (as on screen, 2x resolution)")
    cols[1].download_button("SVG", data=_image_download(fig, "svg"), file_name=name("svg"),
                            mime=export.MIME_TYPES["svg"], key=f"{key}-svg", disabled=not ok, on_click="ignore",
                            icon=":material/draw:", help="Vector picture of the chart, for documents and slides")
    cols[2].download_button("HTML", data=lambda: export.figure_to_html(fig, section.title, section.note),
                            file_name=name("html"), mime=export.MIME_TYPES["html"], key=f"{key}-html",
                            on_click="ignore", icon=":material/code:",
                            help="Interactive chart in one file that opens offline in any browser")
    cols[3].download_button("CSV", data=lambda: export.frame_to_csv(section.data), file_name=name("csv"),
                            mime=export.MIME_TYPES["csv"], key=f"{key}-csv", on_click="ignore",
                            disabled=section.data is None, icon=":material/table:",
                            help="The rows behind the chart (UTF-8, opens in spreadsheet programs)")
    if message:
        cols[4].caption(escape_markdown(message))
    return event
