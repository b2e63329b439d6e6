"""The dashboard shell in a real browser (Playwright + Debian's chromium), against `streamlit run app.py`.

Checks from streamlit-notes §1.1 that only a real browser and server can show:
- every page loads without an exception;
- a deep link with filters opened on a FRESHLY started server shows the page WITH its frame
  (the pages/ + st.navigation trap runs the page alone there) and applies the filters;
- a filter picked on one page is still applied after clicking a nav link and after a reload.

Screenshots (1400x2000) go to /tmp/cw-shots/.

Runs by default when /usr/bin/chromium (or $CHIPWATCH_CHROMIUM) exists, is skipped otherwise, and
FAILS (errors at setup) when the environment variable CI is set and chromium or playwright is missing.
Deselect with `pytest -m "not browser"`.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from chipwatch.frames import Filters, apply_filters
from chipwatch_ui.pages import PAGES
from ui_support import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("CHIPWATCH_CHROMIUM", "/usr/bin/chromium"))  # override for other machines
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SHOTS = Path("/tmp/cw-shots")
VIEWPORT = {"width": 1400, "height": 2000}
TIMEOUT_MS = 30_000
COUNT_TEXT = re.compile(r"^\d[\d,]* (of [\d,]+ articles match|articles in the store)$")


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright==1.65.2)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class StreamlitServer:
    """`streamlit run app.py` on 127.0.0.1 at a free port, reading the store at db."""

    def __init__(self, db: Path, log: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = dict(os.environ, CHIPWATCH_DB=str(db))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
             "--server.address=127.0.0.1", f"--server.port={self.port}", "--browser.gatherUsageStats=false",
             "--server.fileWatcherType=none"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"streamlit exited with {self.proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=1).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"streamlit did not become healthy in 60 s:\n{log.read_text()[-3000:]}")

    def url(self, path: str = "") -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def server(browser, corpus_db, tmp_path_factory):
    srv = StreamlitServer(corpus_db, tmp_path_factory.mktemp("st-log") / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture
def fresh_server(browser, corpus_db, tmp_path):
    """A server nobody has requested anything from yet."""
    srv = StreamlitServer(corpus_db, tmp_path / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


# -- helpers -------------------------------------------------------------------------------------

def sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def wait_for_frame(page, expect_count: str | None = None):
    """Wait until the run is over and the frame is drawn (the article count caption is the frame's last line)."""
    from playwright.sync_api import expect

    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached")
    count = sidebar(page).get_by_text(COUNT_TEXT)
    expect(count).to_be_visible()
    if expect_count is not None:
        expect(count).to_have_text(expect_count)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    return count


def assert_page(page, title: str):
    from playwright.sync_api import expect

    # expect() retries: widgets are mounted lazily (a skeleton first), so plain counts can race.
    expect(page.locator("h1").first).to_have_text(title)
    expect(sidebar(page).locator("[data-testid='stMultiSelect']")).to_have_count(5)
    expect(sidebar(page).locator("[data-testid='stDateInput']")).to_have_count(2)
    expect(sidebar(page).get_by_role("link")).to_have_count(len(PAGES))
    expect(page).to_have_title(f"Chipwatch · {title}")
    assert page.locator("[data-testid='stException']").count() == 0
    # The legacy file-name menu must not be there: our page links are the navigation.
    assert page.locator("[data-testid='stSidebarNav']").count() == 0


def selected(page, index: int) -> list[str]:
    """The tags shown in the index-th sidebar multiselect (0 company, 1 chip, 2 country, 3 language, 4 publisher)."""
    ms = sidebar(page).locator("[data-testid='stMultiSelect']").nth(index)
    ms.locator("input").wait_for(state="attached")
    return [t.get_attribute("aria-label") for t in ms.locator("[data-tag]").all()]


def pick(page, index: int, label: str):
    ms = sidebar(page).locator("[data-testid='stMultiSelect']").nth(index)
    ms.locator("input").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")


def count_text(frames, flt: Filters) -> str:
    return f"{len(apply_filters(frames, flt).articles)} of {len(frames.articles)} articles match"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


# -- tests ---------------------------------------------------------------------------------------

def test_every_page_loads_with_its_frame(server, page, corpus_frames):
    for spec in PAGES:
        page.goto(server.url(spec.url_path))
        wait_for_frame(page, f"{len(corpus_frames.articles)} articles in the store")
        assert_page(page, spec.title)
        page.locator("[data-testid='stDataFrame']").first.wait_for()
        shot(page, spec.url_path or "Overview")


def test_deep_link_on_a_freshly_started_server(fresh_server, page, corpus_frames):
    export = next(p for p in PAGES if p.title == "Export status")
    assert export.url_path == "Export_status"
    page.goto(fresh_server.url(f"{export.url_path}?chip=H200&country=CHN"))
    wait_for_frame(page, count_text(corpus_frames, Filters(chips=("H200",), countries=("CHN",))))
    assert_page(page, "Export status")
    assert selected(page, 1) == ["H200 (Nvidia)"]
    assert selected(page, 2) == ["China (CHN)"]
    assert re.search(r"/Export_status\?chip=H200&country=CHN$", page.url)
    shot(page, "deep-link-Export_status")


def test_a_filter_follows_nav_links_and_reloads(server, page, corpus_frames):
    page.goto(server.url("/"))
    wait_for_frame(page)
    pick(page, 1, "H200 (Nvidia)")
    wait_for_frame(page, count_text(corpus_frames, Filters(chips=("H200",))))
    pick(page, 3, "Korean (ko)")
    expected = count_text(corpus_frames, Filters(chips=("H200",), languages=("ko",)))
    wait_for_frame(page, expected)
    page.wait_for_url(re.compile(r"\?chip=H200&language=ko$"))

    sidebar(page).get_by_role("link", name="Stakeholder stances", exact=True).click()
    page.wait_for_url(re.compile(r"/Stakeholder_stances\?chip=H200&language=ko$"))
    wait_for_frame(page, expected)
    assert_page(page, "Stakeholder stances")
    assert selected(page, 1) == ["H200 (Nvidia)"]
    assert selected(page, 3) == ["Korean (ko)"]
    shot(page, "after-nav-Stakeholder_stances")

    page.reload()
    wait_for_frame(page, expected)
    assert_page(page, "Stakeholder stances")
    assert selected(page, 1) == ["H200 (Nvidia)"]

    sidebar(page).get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_url(re.compile(r"/\?chip=H200&language=ko$"))
    wait_for_frame(page, expected)
    assert_page(page, "Overview")


def test_a_deep_linked_filter_survives_the_first_nav_click(server, page, corpus_frames):
    """With bind="query-params" alone a value that came from the URL was dropped on the first click."""
    expected = count_text(corpus_frames, Filters(countries=("KOR",)))
    page.goto(server.url("Articles?country=KOR"))
    wait_for_frame(page, expected)
    sidebar(page).get_by_role("link", name="Chip generations", exact=True).click()
    page.wait_for_url(re.compile(r"/Chip_generations\?country=KOR$"))
    wait_for_frame(page, expected)
    assert_page(page, "Chip generations")
    assert selected(page, 2) == ["South Korea (KOR)"] or selected(page, 2)[0].endswith("(KOR)")


def test_clear_filters_empties_the_url(server, page, corpus_frames):
    page.goto(server.url("Export_status?chip=H200&from=2025-06-01"))
    wait_for_frame(page, count_text(corpus_frames, Filters(chips=("H200",), date_from=date(2025, 6, 1))))
    sidebar(page).get_by_role("button", name="Clear filters").click()
    wait_for_frame(page, f"{len(corpus_frames.articles)} articles in the store")
    page.wait_for_url(re.compile(r"/Export_status$"))
    assert selected(page, 1) == []


def test_back_and_forward_restore_the_filters_of_that_url(server, page, corpus_frames):
    only_chip = count_text(corpus_frames, Filters(chips=("H200",)))
    chip_and_lang = count_text(corpus_frames, Filters(chips=("H200",), languages=("en",)))
    assert only_chip != chip_and_lang
    page.goto(server.url("Articles?chip=H200"))
    wait_for_frame(page, only_chip)
    pick(page, 3, "English (en)")
    page.wait_for_url(re.compile(r"/Articles\?chip=H200&language=en$"))
    wait_for_frame(page, chip_and_lang)
    page.go_back()
    page.wait_for_url(re.compile(r"/Articles\?chip=H200$"))
    wait_for_frame(page, only_chip)
    assert selected(page, 3) == []
    page.go_forward()
    page.wait_for_url(re.compile(r"/Articles\?chip=H200&language=en$"))
    wait_for_frame(page, chip_and_lang)
    assert selected(page, 3) == ["English (en)"]


def test_an_empty_store_shows_every_page_with_its_frame(browser, empty_db, tmp_path):
    srv = StreamlitServer(empty_db, tmp_path / "streamlit.log")
    context = browser.new_context(viewport=VIEWPORT)
    try:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        for spec in PAGES:
            pg.goto(srv.url(spec.url_path))
            wait_for_frame(pg, "0 articles in the store")
            assert_page(pg, spec.title)
        pg.goto(srv.url("Export_status?chip=H200"))  # curated timeline chips are offered even with no articles
        wait_for_frame(pg, "0 of 0 articles match")
        assert_page(pg, "Export status")
        assert selected(pg, 1) == ["H200 (Nvidia)"]
        pg.get_by_text("The store has no articles yet").wait_for()
        shot(pg, "empty-store-Export_status")
    finally:
        context.close()
        srv.stop()


def test_a_chart_downloads_as_a_png_and_its_map_draws_offline(server, browser):
    """The PNG button of the first chart (the Export status world map): kaleido renders it on the server
    when clicked (a deferred download) and the browser saves a real PNG. The map itself is drawn from
    the vendored topojson the app serves at app/static/topojson/, never from cdn.plot.ly."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    try:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        responses = []
        pg.on("response", lambda r: responses.append((r.url, r.status)))
        pg.goto(server.url("Export_status?chip=H200"))
        wait_for_frame(pg)
        pg.locator("path.choroplethlocation").first.wait_for()
        assert (server.url("app/static/topojson/world_110m.json"), 200) in responses
        assert not [url for url, _ in responses if "cdn.plot.ly" in url]

        button = pg.locator("[data-testid='stDownloadButton']").filter(has_text="PNG").first
        with pg.expect_download(timeout=90_000) as info:  # a cold Chromium start takes a few seconds
            button.click()
        download = info.value
        assert download.failure() is None
        assert Path(download.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert re.fullmatch(r"export-status_[a-z0-9-]+_chip-H200_\d{4}-\d{2}-\d{2}\.png", download.suggested_filename)
        shot(pg, "png-download-Export_status")
    finally:
        context.close()
