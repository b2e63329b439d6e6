"""Chart exports: pure functions from a Figure or DataFrame to bytes/str.

- PNG and SVG: rendered by kaleido, which drives a local Chromium. One Chromium is kept
  alive per process (started on the first export, ~1.5 s; later exports take ~0.1-0.3 s),
  serialised by a lock, restarted after any failure. When no Chromium is installed,
  `static_export_status()` says so and `figure_to_image` raises `StaticExportUnavailable`;
  HTML and CSV never need it.
- Standalone interactive HTML: plotly.js inlined, and for maps the vendored world topojson
  inlined as `window.PlotlyGeoAssets`, so the file works with no network.
- CSV of the data behind a chart: UTF-8 with BOM (spreadsheets read Korean and Chinese right),
  cells a spreadsheet would run as formulas neutralised.
- `export_filename(page, chart, filters_label, ext)`: what was exported, under which filters, when.

Maps offline: plotly.js fetches country shapes from https://cdn.plot.ly/un/world_110m.json unless
told otherwise. The file is vendored in static/topojson/ (see its README); kaleido is pointed at it
with a file:// URL (also set as `plotly.io.defaults.topojson` for any other `pio.to_image` caller).
"""
from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import functools
import hashlib
import html
import os
import re
import shutil
import threading
import unicodedata
from pathlib import Path
from typing import Any, Optional, Union

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from chipwatch.paths import REPO_ROOT

TOPOJSON_DIR = REPO_ROOT / "static" / "topojson"
WORLD_TOPOJSON = TOPOJSON_DIR / "world_110m.json"
TOPOJSON_URI = TOPOJSON_DIR.resolve().as_uri() + "/"

EXPORT_WIDTH, EXPORT_HEIGHT, EXPORT_SCALE = 1200, 650, 2
IMAGE_FORMATS = ("png", "svg")
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html", "csv": "text/csv"}

START_TIMEOUT_S = 60  # Chromium start-up
RENDER_TIMEOUT_S = 60  # one image

# Where exported HTML looks for map shapes that are NOT inlined (a relative path: never the network).
OFFLINE_TOPOJSON_URL = "topojson/"
HTML_CONFIG = {"displaylogo": False, "responsive": True, "topojsonURL": OFFLINE_TOPOJSON_URL}

# Cells starting with these are read as formulas by spreadsheet programs (OWASP "CSV injection"),
# plus the full-width forms some East Asian input methods produce.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

MISSING_CHROMIUM = ("PNG and SVG export needs Chromium on the server (Debian: apt-get install chromium). "
                    "HTML and CSV downloads work without it.")
MISSING_KALEIDO = "PNG and SVG export needs the kaleido package (pip install kaleido). HTML and CSV downloads work."


class StaticExportUnavailable(RuntimeError):
    """PNG/SVG export cannot run on this machine (no Chromium or no kaleido)."""


# -- file names ------------------------------------------------------------------------------------

def _slug(text: str, *, lower: bool, keep: str = ".+-") -> str:
    """Letters (any script), digits and the `keep` characters only; runs of anything else become one '-'."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch if (ch.isalnum() or ch in keep) else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return text.lower() if lower else text


def export_filename(page: str, chart: str, filters_label: str, ext: str,
                    today: Optional[dt.date] = None, max_length: int = 150) -> str:
    """'export-status_status-map_chip-H200_2026-11-30.png': page, chart, filters and date, file-system safe.

    Page and chart are lower-cased slugs; the filters label keeps its case (ids such as H200, CHN)
    and is shortened (never the date) when the name would be longer than max_length.
    """
    today = today or dt.date.today()
    head = [p for p in (_slug(page, lower=True), _slug(chart, lower=True)) if p]
    label = _slug(filters_label, lower=False, keep=".+-_") or "all"
    tail = today.isoformat()
    ext = _slug(ext, lower=True) or "bin"
    room = max_length - len("_".join(head + [tail])) - len(ext) - 3
    if len(label) > room:
        digest = hashlib.sha1(filters_label.encode("utf-8")).hexdigest()[:6]
        label = label[:max(room - 7, 0)].rstrip("-.+_") + "~" + digest
    return "_".join(head + [label, tail]) + "." + ext


# -- PNG / SVG (kaleido + Chromium) ------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def chromium_path() -> Optional[str]:
    """The Chromium kaleido will use (same search as kaleido: $BROWSER_PATH, PATH, usual places), or None."""
    found = None
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001  (an older/newer choreographer: fall back to PATH)
        found = os.environ.get("BROWSER_PATH")
    if not found:
        for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
            found = shutil.which(name)
            if found:
                break
    return found if found and Path(found).is_file() else None


@functools.lru_cache(maxsize=1)
def _kaleido_importable() -> bool:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return True


def static_export_status() -> tuple[bool, str]:
    """(available, message) for PNG/SVG export.

    Not available: the message says what to install. Available: the message is empty, or says
    that the last export failed (the next one starts a fresh Chromium).
    """
    if not _kaleido_importable():
        return False, MISSING_KALEIDO
    if chromium_path() is None:
        return False, MISSING_CHROMIUM
    if _RENDERER.last_error:
        return True, f"The last image export failed ({_RENDERER.last_error}). Try again; HTML and CSV work."
    return True, ""


class _Renderer:
    """One kaleido/Chromium kept alive for the process, on its own event-loop thread.

    Why not kaleido.start_sync_server(): its call queue is not safe for concurrent callers
    (Streamlit runs download callables on worker threads, so two users could receive each
    other's images), it has no timeout, and it hangs for ever if Chromium failed to start or
    died. Here calls are serialised by a lock, each has a timeout, and any failure closes
    Chromium so the next export starts a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._kaleido: Any = None
        self.last_error: Optional[str] = None
        self.starts = 0  # how many Chromiums this process started (for tests and diagnostics)
        atexit.register(self.close)

    @property
    def running(self) -> bool:
        return self._kaleido is not None and self._thread is not None and self._thread.is_alive()

    def _start(self) -> None:
        import kaleido

        path = chromium_path()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="chipwatch-kaleido", daemon=True)
        thread.start()

        async def open_browser():
            # mathjax=False: kaleido would otherwise load MathJax from a CDN for every page.
            k = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(START_TIMEOUT_S)
        except BaseException:
            self._loop, self._thread = loop, thread
            self._close_locked()
            raise
        self._loop, self._thread = loop, thread
        self.starts += 1

    def _close_locked(self) -> None:
        loop, thread, k = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if k is not None and thread is not None and thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
            except BaseException:  # noqa: BLE001  (closing a broken browser: best effort)
                pass
        if thread is not None and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
        if not loop.is_running():
            loop.close()

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def render(self, fig: Union[go.Figure, dict], opts: dict, topojson: Optional[str]) -> bytes:
        with self._lock:
            try:
                if not self.running:
                    self._close_locked()
                    self._start()
                future = asyncio.run_coroutine_threadsafe(
                    self._kaleido.calc_fig(fig, opts=opts, topojson=topojson), self._loop)
                try:
                    data = future.result(RENDER_TIMEOUT_S + 15)
                except BaseException:
                    future.cancel()
                    raise
            except BaseException as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"[:300]
                self._close_locked()  # a failed render may leave Chromium unusable: start afresh next time
                raise
            self.last_error = None
            return data


_RENDERER = _Renderer()


def configure_offline_maps() -> None:
    """Point plotly.io's own kaleido calls (pio.to_image, fig.write_image) at the vendored map."""
    if WORLD_TOPOJSON.exists():
        pio.defaults.topojson = TOPOJSON_URI


configure_offline_maps()


def figure_to_image(fig: go.Figure, fmt: str = "png", width: Optional[int] = None,
                    height: Optional[int] = None, scale: Optional[float] = None) -> bytes:
    """PNG or SVG bytes of a figure, rendered by kaleido with the local Chromium (maps offline).

    Size: the given width/height, else the figure's layout size, else 1200x650; PNGs at scale 2.
    Raises StaticExportUnavailable when Chromium or kaleido is missing.
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unsupported image format {fmt!r} (use one of {IMAGE_FORMATS})")
    ok, message = static_export_status()
    if not ok:
        raise StaticExportUnavailable(message)
    opts = {
        "format": fmt,
        "width": int(width or fig.layout.width or EXPORT_WIDTH),
        "height": int(height or fig.layout.height or EXPORT_HEIGHT),
        "scale": scale if scale is not None else (EXPORT_SCALE if fmt == "png" else 1),
    }
    return _RENDERER.render(fig, opts, TOPOJSON_URI if WORLD_TOPOJSON.exists() else None)


def stop_image_renderer() -> None:
    """Close the process's Chromium (it is started again by the next export)."""
    _RENDERER.close()


# -- standalone HTML ---------------------------------------------------------------------------------

def _geo_layouts(fig: go.Figure) -> list:
    layout = fig.layout
    names = {"geo"} | {getattr(t, "geo", None) or "geo" for t in fig.data if hasattr(t, "geo")}
    return [layout[name] for name in sorted(names) if name in layout]


def has_map(fig: go.Figure) -> bool:
    """True when the figure draws on a geo subplot (choropleth, scattergeo)."""
    return any(hasattr(t, "geo") for t in fig.data)


def topojson_names(fig: go.Figure) -> list[str]:
    """The map files plotly.js will ask for, e.g. ['world_110m'] (scope_resolution'm')."""
    if not has_map(fig):
        return []
    names = set()
    for geo in _geo_layouts(fig) or [None]:
        scope = (getattr(geo, "scope", None) or "world").replace(" ", "-")
        resolution = int(getattr(geo, "resolution", None) or 110)
        names.add(f"{scope}_{resolution}m")
    return sorted(names)


@functools.lru_cache(maxsize=8)
def _topojson_text(name: str) -> Optional[str]:
    path = TOPOJSON_DIR / f"{name}.json"
    if not re.fullmatch(r"[a-z-]+_\d+m", name) or not path.is_file():
        return None
    # The file is JSON (a JS literal); only '</' could end the <script> early.
    return path.read_text(encoding="utf-8").replace("</", "<\\/")


def geo_assets_script(names: list[str]) -> str:
    """A <script> that pre-fills plotly.js's topojson cache, so maps draw with no network.

    Empty when no named file is vendored. Put it after plotly.js and before the figures.
    """
    entries = [(n, _topojson_text(n)) for n in names]
    body = ",".join(f'"{n}":{text}' for n, text in entries if text)
    if not body:
        return ""
    return ("<script>window.PlotlyGeoAssets=window.PlotlyGeoAssets||{};"
            "window.PlotlyGeoAssets.topojson=Object.assign(window.PlotlyGeoAssets.topojson||{},{" + body + "});"
            "</script>")


def plotlyjs_script() -> str:
    """plotly.js (the copy bundled with plotly.py) as one inline <script>."""
    from plotly.offline import get_plotlyjs

    return '<script type="text/javascript">window.PlotlyConfig={MathJaxConfig:"local"};</script>' \
           f'<script type="text/javascript" charset="utf-8">{get_plotlyjs()}</script>'


def figure_div(fig: go.Figure, div_id: Optional[str] = None, *, include_plotlyjs: Union[bool, str] = False,
               config: Optional[dict] = None) -> str:
    """The figure as an HTML fragment (a div and its Plotly.newPlot script; plotly.js not included).

    Width follows the page; height is the figure's own (450 px when it sets none). Strings in the
    figure are JSON-encoded with '<', '>' and '/' escaped by plotly, so data cannot close the script.
    """
    height = fig.layout.height
    return pio.to_html(fig, full_html=False, include_plotlyjs=include_plotlyjs, div_id=div_id,
                       config=config or HTML_CONFIG, validate=False, default_width="100%",
                       default_height=f"{int(height)}px" if height else "450px")


def figure_to_html(fig: go.Figure, title: str = "Chipwatch chart", note: str = "") -> str:
    """A standalone interactive HTML page: plotly.js inlined, maps offline, no network needed."""
    names = topojson_names(fig)
    geo = geo_assets_script(names)
    note_html = f'<p class="note">{html.escape(note)}</p>' if note else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title>"
            "<style>body{margin:0;padding:16px;font-family:system-ui,'Noto Sans','Noto Sans CJK KR',sans-serif;"
            "color:#1B2430}.note{color:#6C757D;font-size:13px}</style></head><body>"
            f"{plotlyjs_script()}{geo}{figure_div(fig)}{note_html}</body></html>\n")


# -- CSV ---------------------------------------------------------------------------------------------

def neutralise_cell(value):
    """Prefix a text cell a spreadsheet would run as a formula with a quote (other values unchanged)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _neutralise_column(col: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col) \
            or pd.api.types.is_bool_dtype(col) or isinstance(col.dtype, pd.PeriodDtype):
        return col
    return col.astype(object).map(neutralise_cell)


def frame_to_csv(df: Optional[pd.DataFrame]) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheet programs read Korean and Chinese right), formula-safe.

    A meaningful index (named, or not integers, e.g. a pivot's row labels) is kept as leading
    columns; an unnamed integer index is row numbers and is dropped.
    """
    if df is None:
        df = pd.DataFrame()
    safe = df.copy()
    named = any(n is not None for n in safe.index.names)
    if named or not pd.api.types.is_integer_dtype(safe.index.dtype):
        safe = safe.reset_index()
    safe.columns = [neutralise_cell(c) if isinstance(c, str) else c for c in safe.columns]
    for i in range(safe.shape[1]):
        safe.isetitem(i, _neutralise_column(safe.iloc[:, i]))
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


# -- helpers -----------------------------------------------------------------------------------------

def figure_digest(fig: go.Figure) -> str:
    """A stable key for caching rendered images of a figure (sha256 of plotly's JSON)."""
    return hashlib.sha256(fig.to_json().encode("utf-8")).hexdigest()
