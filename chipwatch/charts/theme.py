"""The one plotly template and colour vocabulary every chart uses.

Charts are drawn with theme=None in Streamlit so the screen matches the
kaleido/HTML exports, which only know plotly templates.
"""
from __future__ import annotations

import html

import plotly.graph_objects as go
import plotly.io as pio

TEMPLATE_NAME = "chipwatch"
FONT_FAMILY = "Inter, 'Noto Sans', 'Noto Sans CJK KR', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif"

PRIMARY = "#1F4E79"
MUTED = "#6C757D"
GRID = "#E5E9F0"

CATEGORICAL = ["#1F4E79", "#C8553D", "#2A9D8F", "#E9B44C", "#6C757D", "#8E6C8A", "#4F772D", "#D08C60"]

VENDOR_COLORS = {
    "Nvidia": "#4F772D", "AMD": "#C8553D", "Huawei": "#B22234", "Intel": "#1F77B4",
    "Cambricon": "#8E6C8A", "Other": MUTED,
}

# Ordered from most to least open; the same order is used in legends and matrices.
STATUS_ORDER = ["allowed", "conditional", "pending", "license_required", "discouraged", "banned"]
STATUS_LABELS = {
    "allowed": "Allowed", "conditional": "Allowed with conditions", "pending": "Pending",
    "license_required": "Licence required", "discouraged": "Discouraged", "banned": "Banned",
}
STATUS_COLORS = {
    "allowed": "#2A9D8F", "conditional": "#8AB17D", "pending": "#E9B44C",
    "license_required": "#F4A261", "discouraged": "#D08C60", "banned": "#B5403A",
}

STANCE_ORDER = ["favor", "neutral", "unclear", "against"]
STANCE_LABELS = {"favor": "Favor (let chips flow)", "against": "Against (restrict)", "neutral": "Neutral",
                 "unclear": "Unclear"}
STANCE_COLORS = {"favor": "#2A9D8F", "against": "#B5403A", "neutral": "#9AA5B1", "unclear": "#D9DEE5"}

SIDE_LABELS = {"export": "Export side (exporting government)", "import": "Import side (destination)"}


def register() -> str:
    """Register the template (idempotent) and return its name."""
    if TEMPLATE_NAME not in pio.templates:
        layout = go.Layout(
            font=dict(family=FONT_FAMILY, size=13, color="#1B2430"),
            title=dict(font=dict(size=16), x=0, xanchor="left", y=0.97),
            paper_bgcolor="white", plot_bgcolor="white",
            colorway=CATEGORICAL,
            margin=dict(l=60, r=24, t=56, b=48),
            xaxis=dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor="#B8C0CC", ticks="outside"),
            yaxis=dict(showgrid=True, gridcolor=GRID, zeroline=False, linecolor="#B8C0CC", ticks="outside"),
            legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title_text=""),
            hoverlabel=dict(bgcolor="white", font_size=12),
        )
        pio.templates[TEMPLATE_NAME] = go.layout.Template(layout=layout)
    return TEMPLATE_NAME


def plain(text: object) -> str:
    """Data text (titles, publishers, names, evidence) made safe for plotly labels, hovers, legends and tables.

    Plotly renders a subset of HTML in every text it draws (<b>, <i>, <br>, <a href>, <span style>);
    '&', '<' and '>' are escaped so a string from an article shows literally (plotly turns the entities
    back into characters). Quotes are left alone. None gives ''.
    """
    if text is None:
        return ""
    return html.escape(str(text), quote=False)


def empty_figure(message: str) -> go.Figure:
    """A figure that says why there is nothing to draw (never a blank chart)."""
    fig = go.Figure(layout=dict(template=register(), height=260))
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=14, color=MUTED))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
