"""Hostile articles in a real browser (Playwright + Debian's chromium) against `streamlit run app.py`.

The store (tests/ui/hostile_support.py) holds articles whose title, body, publisher, url and quotes carry
`<img src=x onerror=alert(1)>`, `<script>alert(2)</script>`, `[click](javascript:alert(3))`, a
`javascript:alert(4)` url, Markdown, LaTeX and spreadsheet formulas. On EVERY page (the Articles page with
the hostile article opened, the Load page with a hostile upload previewed), and in the one-file report and a
chart's standalone HTML opened from file://:

- no dialog opens (page.on("dialog") records every one), no popup, no navigation away from the app;
- the DOM holds no img[src="x"], no element with an on* handler attribute, no href/src to javascript:/data:,
  no script holding an article's code, no iframe;
- the hostile text is there literally, as text (st.text, the tables' accessible grid, plotly's SVG text),
  including in a chart's hover label (hovered with the mouse).

Same rule as test_browser.py: runs when /usr/bin/chromium (or $CHIPWATCH_CHROMIUM) exists, is skipped
otherwise, and FAILS when the environment variable CI is set and chromium or playwright is missing.
Screenshots go to /tmp/cw-shots/hostile-*.png.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import hostile_support as H
from chipwatch.frames import Filters, load_frames
from chipwatch_ui.pages import PAGES
from test_browser import StreamlitServer, browser, wait_for_frame  # noqa: F401 (browser: fixture)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/cw-shots")
VIEWPORT = {"width": 1400, "height": 2000}
TIMEOUT_MS = 30_000

# Everything in the DOM that would mean markup from an article acted.
DOM_CHECK = r"""() => {
  const all = [...document.querySelectorAll('*')];
  const bad = [];
  for (const el of all) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = (a.value || '').replace(/[\x00-\x20]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.tagName} ${a.name}=${a.value.slice(0, 60)}`);
      if (/(^|:)(href|src|action|formaction|srcdoc|data)$/.test(name) &&
          (value.startsWith('javascript:') || value.startsWith('data:text/html') || value.startsWith('vbscript:')))
        bad.push(`${el.tagName} ${a.name}=${a.value.slice(0, 60)}`);
      if (name === 'srcdoc' && /alert\(/.test(a.value)) bad.push(`${el.tagName} srcdoc`);
    }
  }
  return {
    imgX: document.querySelectorAll('img[src="x"]').length,
    imgs: [...document.querySelectorAll('img')].map(i => i.getAttribute('src')).filter(s => !/^(data:image|blob:|https?:|\/|\.)/.test(s || '')),
    bad,
    scripts: [...document.scripts].filter(s => /alert\(\d\)/.test(s.textContent) && !/\\u003cscript|\\u003cimg|&lt;/.test(s.textContent)).length,
    iframes: [...document.querySelectorAll('iframe')].map(f => f.getAttribute('src') || f.getAttribute('srcdoc') || ''),
  };
}"""

# The centre of a bar (or scatter point) of a plotly chart whose trace or point data mentions `needle`.
BAR_POINT = r"""([plot, needle]) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[plot];
  if (!gd) return null;
  for (const g of gd.querySelectorAll('.trace.bars, .trace.scatter')) {
    const cd = g.__data__, tr = cd && cd[0] && cd[0].trace;
    if (!tr) continue;
    for (const pt of g.querySelectorAll('.point')) {
      const d = pt.__data__ || {}, i = d.i;
      const about = JSON.stringify([tr.name, tr.y && tr.y[i], tr.x && tr.x[i], tr.customdata && tr.customdata[i]]);
      const r = pt.getBoundingClientRect();
      if (about.includes(needle) && r.width > 2 && r.height > 2) return [r.left + r.width / 2, r.top + r.height / 2];
    }
  }
  return null;
}"""

# The centre of a country on a plotly choropleth (ISO-3 location).
MAP_POINT = r"""([plot, iso]) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[plot];
  for (const p of (gd ? gd.querySelectorAll('path.choroplethlocation') : [])) {
    if (p.__data__ && p.__data__.loc === iso) { const r = p.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2]; }
  }
  return null;
}"""




@pytest.fixture(scope="module")
def hostile_db(browser, hostile_store, tmp_path_factory) -> Path:
    """A copy of the hostile store, so nothing done in the browser changes the session's store."""
    db = tmp_path_factory.mktemp("browser-hostile") / "chipwatch.db"
    shutil.copyfile(hostile_store, db)
    return db


@pytest.fixture(scope="module")
def server(hostile_db, tmp_path_factory):
    srv = StreamlitServer(hostile_db, tmp_path_factory.mktemp("st-hostile-log") / "streamlit.log")
    yield srv
    srv.stop()


class Guard:
    """Records dialogs, popups and main-frame navigations of one browser context."""

    def __init__(self, context, page, base: str):
        self.base, self.page = base, page
        self.dialogs: list[str] = []
        self.popups: list[str] = []
        self.navigations: list[str] = []
        page.on("dialog", self._dialog)
        context.on("page", lambda p: self.popups.append(p.url))
        page.on("framenavigated", lambda f: self.navigations.append(f.url) if f == page.main_frame else None)

    def _dialog(self, dialog):
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def check(self, where: str) -> dict:
        page = self.page
        page.wait_for_timeout(300)  # an onerror handler or a deferred script would have run by now
        assert not self.dialogs, f"{where}: dialogs {self.dialogs}"
        assert not self.popups, f"{where}: popups {self.popups}"
        assert page.url.startswith(self.base), f"{where}: navigated to {page.url}"
        assert all(u.startswith(self.base) for u in self.navigations), f"{where}: {self.navigations}"
        dom = page.evaluate(DOM_CHECK)
        assert dom["imgX"] == 0, f"{where}: img[src=x] in the DOM"
        assert not dom["imgs"], f"{where}: unexpected images {dom['imgs']}"
        assert not dom["bad"], f"{where}: {dom['bad']}"
        assert dom["scripts"] == 0, f"{where}: a script holds an article's code"
        assert not [f for f in dom["iframes"] if "alert(" in f or f.lower().startswith(("javascript:", "data:"))], \
            f"{where}: {dom['iframes']}"
        return dom


@pytest.fixture
def guarded(browser, server):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    guard = Guard(context, page, server.base)
    yield page, guard
    context.close()


# -- helpers ------------------------------------------------------------------------------------------------

def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"hostile-{name}.png"))


def settle(page) -> None:
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    page.wait_for_timeout(400)


def texts(page, selector: str) -> str:
    return page.evaluate("(s) => [...document.querySelectorAll(s)].map(e => e.textContent).join('\\n')", selector)


def chart_text(page) -> str:
    return texts(page, ".js-plotly-plot")


def grid_text(page) -> str:
    """The text of every st.dataframe (the grid's accessible table mirrors the canvas)."""
    return texts(page, "[data-testid='stDataFrame'] table, [data-testid='stDataFrame'] [role='grid']")


def hover(page, script: str, args, expect: str | None = None) -> str:
    """Move the mouse over a chart point and return the hover label's text.

    expect: text the label must come to hold; the mouse passes over neighbouring (stacked) bars on its
    way, whose labels show first, so wait for the one of the point itself."""
    point = page.evaluate(script, args)
    assert point, f"no chart point for {args}"
    page.mouse.move(point[0], point[1] - 40)
    page.mouse.move(point[0], point[1], steps=4)
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(state="attached", timeout=5_000)
    if expect is not None:
        try:
            page.wait_for_function("(t) => [...document.querySelectorAll('.hoverlayer .hovertext')]"
                                   ".some(e => e.textContent.includes(t))", arg=expect, timeout=5_000)
        except Exception:  # noqa: BLE001 - the caller's assertion reports what the label says
            pass
    return page.evaluate("() => [...document.querySelectorAll('.hoverlayer .hovertext')]"
                         ".map(e => e.textContent).join('\\n')")


def open_page(page, server, url_path: str, title: str, count: str | None = "5 articles in the store"):
    page.goto(server.url(url_path))
    wait_for_frame(page, count)
    from playwright.sync_api import expect

    expect(page.locator("h1").first).to_have_text(title)
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0


def plot_index(page, needle: str) -> int:
    """The index of the first plotly chart whose data mentions needle."""
    i = page.evaluate("""(n) => [...document.querySelectorAll('.js-plotly-plot')].findIndex(
        gd => gd._fullData && JSON.stringify(gd._fullData.map(t => [t.name, t.y, t.x, t.customdata, t.locations]))
              .includes(n))""", needle)
    assert i >= 0, f"no chart carries {needle!r}"
    return i


# -- every page ---------------------------------------------------------------------------------------------

def test_every_page_shows_hostile_articles_as_inert_text(guarded, server):
    page, guard = guarded
    for spec in PAGES:
        open_page(page, server, spec.url_path, spec.title)
        page.mouse.click(700, 300)  # a click on the page itself follows no link
        guard.check(spec.title)
        shot(page, spec.url_path or "Overview")
    # The publisher filter's options are article data: listed as text.
    ms = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(4)
    ms.locator("input").click()
    option = page.get_by_role("option", name=H.PUB_IMG, exact=True)
    option.wait_for()
    page.keyboard.press("Escape")
    guard.check("publisher filter options")


def test_overview_publisher_legend_and_hover(guarded, server):
    page, guard = guarded
    open_page(page, server, "", "Overview")
    page.get_by_role("radio", name="Publisher", exact=True).click()  # the "Split by" control: publisher
    settle(page)
    # Under load the rerun can start after settle() returned: wait for the publisher legend itself.
    page.wait_for_function("(t) => [...document.querySelectorAll('.js-plotly-plot .legend')]"
                           ".some(e => e.textContent.includes(t))", arg=H.PUB_IMG, timeout=TIMEOUT_MS)
    i = plot_index(page, "onerror")
    legend = texts(page, ".js-plotly-plot .legend")
    assert H.PUB_IMG in legend and H.PUB_SCRIPT in legend and H.PUB_AT in legend and H.PUB_CMD in legend
    label = hover(page, BAR_POINT, [i, "onerror=alert(1)&gt; 일보"], expect=H.PUB_IMG)
    assert H.PUB_IMG in label, label  # the publisher, literally, in the hover
    guard.check("Overview volume by publisher")
    shot(page, "overview-publisher-hover")
    assert H.EN_TITLE in grid_text(page) or H.TAB_TITLE.strip() in grid_text(page)


def test_export_status_map_hover_shows_the_hostile_title_and_evidence(guarded, server):
    page, guard = guarded
    open_page(page, server, "Export_status?chip=H200", "Export status", "4 of 5 articles match")
    page.locator("path.choroplethlocation").first.wait_for()
    label = hover(page, MAP_POINT, [0, "CHN"])
    assert "Article: " + H.EN_TITLE[:40] in label, label  # the title, literally (shortened to 70 characters)
    flat = re.sub(r"\s", "", label)  # the evidence is wrapped on several lines
    assert re.sub(r"\s", "", H.HYPERLINK) in flat and re.sub(r"\s", "", H.IMG) in flat, label
    guard.check("Export status map hover")
    shot(page, "export-status-map-hover")
    grid = grid_text(page)
    assert H.EN_EVIDENCE[:60] in grid or H.IMG in grid


def test_stakeholder_stances_ticks_and_hover(guarded, server):
    page, guard = guarded
    open_page(page, server, "Stakeholder_stances", "Stakeholder stances")
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    ticks = texts(page, ".js-plotly-plot .ytick")
    assert H.ANON_NAME in ticks, ticks  # the stakeholder named after the hostile publisher, literally
    i = plot_index(page, "anonymous:")
    label = hover(page, BAR_POINT, [i, "anonymous:<img"])
    assert H.ANON_NAME in label, label
    guard.check("Stakeholder stances hover")
    shot(page, "stances-hover")
    grid = grid_text(page)
    assert H.EN_QUOTE_ANON in grid or H.IMG in grid


def test_articles_page_with_the_hostile_article_opened(guarded, server):
    page, guard = guarded
    open_page(page, server, "Articles", "Articles")
    search = page.get_by_role("searchbox", name="Search")
    search.fill("cleared")  # only the English article: its row is the first
    search.press("Enter")
    settle(page)
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    page.wait_for_timeout(500)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box
    text = page.locator("[data-testid='stText']").filter(has_text="onerror").first
    text.wait_for(timeout=15_000)
    settle(page)
    shown = texts(page, "[data-testid='stText']")
    assert H.EN_TITLE in shown, shown[:300]  # the title, literally, as text
    assert H.SCRIPT in shown and H.MD_LINK in shown and "**bold** :red[x] $x$" in shown
    assert "# heading" in shown
    # Clicking the body text (which holds a javascript: "link") navigates nowhere.
    page.locator("[data-testid='stText']").filter(has_text="javascript:alert(3)").last.click()
    guard.check("Articles, hostile article opened")
    for tab in ("Quotes", "Stances", "Status claims", "Entities"):
        page.get_by_role("tab", name=re.compile(f"^{tab}")).click()
        page.wait_for_timeout(400)
        guard.check(f"Articles, {tab} tab")
    shot(page, "articles-opened")


def test_load_page_previews_a_hostile_upload_as_text(guarded, server):
    page, guard = guarded
    open_page(page, server, "Load_articles", "Load articles")
    record = ('[{"id": "up-x", "title": "%s H200", "body": "Nvidia H200 to China %s %s", "publisher": "%s", '
              '"url": "javascript:alert(4)", "published": "2026-03-01", "language": "en"}]'
              % (H.IMG, H.SCRIPT.replace("/", "\\/"), H.MD_LINK, H.PUB_IMG))
    name = "../../<img src=x onerror=alert(1)>.json"
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": record.encode("utf-8")}])
    summary = page.locator("[data-testid='stExpander'] summary").filter(has_text="onerror").first
    summary.wait_for(timeout=30_000)
    settle(page)
    label = summary.text_content()
    assert "<img src=x onerror=alert(1)>.json" in label and "../" not in label, label
    guard.check("Load articles, hostile upload previewed")
    shot(page, "load-preview")
    assert H.IMG in grid_text(page)


# -- the report and a standalone chart, from file:// ---------------------------------------------------------

def check_file(browser, path: Path, expect_text: list[str]) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        guard = Guard(context, page, path.as_uri())
        page.goto(path.as_uri())
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        page.wait_for_timeout(800)
        guard.check(path.name)
        body = page.evaluate("() => document.body.innerText") + "\n" + chart_text(page)
        for text in expect_text:
            assert text in body, (path.name, text)
        # Hover every bar / point that carries hostile text: still no dialog.
        for i in range(page.locator(".js-plotly-plot").count()):
            point = page.evaluate(BAR_POINT, [i, "onerror"])
            if point:
                page.mouse.move(point[0], point[1], steps=3)
                page.wait_for_timeout(150)
        guard.check(path.name + " after hovering")
        page.screenshot(path=str(SHOTS / f"hostile-{path.stem}.png"))
    finally:
        context.close()


def test_the_report_opened_from_a_file(browser, hostile_db, tmp_path):
    from chipwatch.report import build_report

    SHOTS.mkdir(parents=True, exist_ok=True)
    frames = load_frames(hostile_db)
    path = tmp_path / "report.html"
    path.write_text(build_report(frames, Filters(publishers=(H.PUB_IMG, H.PUB_CMD, H.PUB_SCRIPT, H.PUB_AT,
                                                             H.PUB_CR))), encoding="utf-8")
    check_file(browser, path, [H.IMG, H.SCRIPT, H.PUB_IMG, H.PUB_CMD, H.HYPERLINK])


def test_standalone_chart_pages_opened_from_files(browser, hostile_db, tmp_path):
    from chipwatch import export
    from chipwatch.charts import overview, stances, status

    SHOTS.mkdir(parents=True, exist_ok=True)
    frames = load_frames(hostile_db)
    sections = {s.name: s for s in (overview.report_sections(frames, breakdown="publisher")
                                    + status.report_sections(frames) + stances.report_sections(frames))}
    cases = {
        "volume-month-count-publisher": [H.PUB_IMG, H.PUB_SCRIPT],
        "latest-status-changes": [H.IMG, H.HYPERLINK],
        "stances-by-stakeholder": [H.ANON_NAME],
        "status-map": [],
    }
    for name, expected in cases.items():
        s = sections[name]
        path = tmp_path / f"chart-{name}.html"
        path.write_text(export.figure_to_html(s.figure, f"{s.title} {H.IMG}", f"{s.note} {H.SCRIPT}"),
                        encoding="utf-8")
        check_file(browser, path, expected + [H.SCRIPT])
