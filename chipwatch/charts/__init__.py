"""Figure builders: pure functions from DataFrames to plotly Figures.

Every builder takes DataFrames (usually from chipwatch.frames) plus plain
parameters and returns a plotly Figure styled with the project template, so the
screen, the PNG/SVG/HTML exports and the one-file report look alike. Each page's
module also offers `report_sections(frames, ...)`, the charts that page puts in
the report, so the report is built from the same builders.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go


@dataclass
class ChartSection:
    """One chart as the report and the export buttons see it."""

    name: str  # short slug for file names: "tpp-by-release"
    title: str  # what the analyst reads above the chart
    figure: go.Figure
    data: pd.DataFrame  # the rows behind the chart (exported as CSV)
    note: str = ""  # one line under the chart: what is counted, where data comes from
