"""The dashboard shell under Streamlit's AppTest: every page, the shared frame, filters in the URL.

Layout checks from streamlit-notes §1.1: the frame (shared sidebar filters) must be drawn on
EVERY run and after switch_page, a filter in the URL must apply, and a filter picked on one
page must still apply on the next.
"""
from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from chipwatch.frames import Filters, apply_filters
from chipwatch.models import Article
from chipwatch.store import Store
from chipwatch_ui.pages import PAGES
from ui_support import ROOT

APP = str(ROOT / "app.py")
MULTISELECT_KEYS = ["company", "chip", "country", "language", "publisher"]
DATE_KEYS = ["from", "to"]
PAGE_SCRIPTS = [p.script for p in PAGES]
TIMEOUT = 30


def open_page(script: str, query: dict | None = None) -> AppTest:
    """Run the app the way a browser would open `script` (entrypoint first, like AppTest requires)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    if script == "app.py":
        return at.run()
    # AppTest needs one run before switch_page; query params stay on the AppTest for the next run.
    at.run()
    return at.switch_page(script).run()


def assert_frame(at: AppTest) -> None:
    """The shared frame is on screen: the five filter multiselects and two date inputs, in the sidebar."""
    assert not at.exception, [e.value for e in at.exception]
    assert [m.key for m in at.sidebar.multiselect] == MULTISELECT_KEYS
    assert [d.key for d in at.sidebar.date_input] == DATE_KEYS
    assert at.sidebar.button(key="chipwatch_clear_filters")


def match_count(at: AppTest) -> int:
    """How many articles the frame says pass the filters (its sidebar count line).

    Every page draws different tables, so the shell's tests read the frame's own count:
    "N of M articles match" under filters, "M articles in the store" without.
    """
    for caption in at.sidebar.caption:
        m = re.match(r"(\d[\d,]*) (?:of [\d,]+ articles match|articles in the store)", caption.value)
        if m:
            return int(m.group(1).replace(",", ""))
    raise AssertionError("the frame's article count line is missing")


def url(at: AppTest, key: str) -> list[str]:
    """The values of a query param after the run (AppTest gives a str for one value, a list for several)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)




# -- every page, on the corpus and on an empty store --------------------------------------------

@pytest.mark.parametrize("script", PAGE_SCRIPTS)
def test_every_page_runs_with_its_frame_on_every_run(script, corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page(script)
    assert_frame(at)
    title = next(p.title for p in PAGES if p.script == script)
    assert at.title[0].value == title
    assert match_count(at) == len(corpus_frames.articles) > 0
    # The frame must be drawn again on later runs (the pages/ + st.navigation trap drops it from run 2).
    for _ in range(2):
        at.run()
        assert_frame(at)
        assert at.title[0].value == title


@pytest.mark.parametrize("script", PAGE_SCRIPTS)
def test_every_page_runs_on_an_empty_store(script, empty_db, use_db):
    use_db(empty_db)
    at = open_page(script)
    assert_frame(at)
    assert match_count(at) == 0
    at.run()
    assert_frame(at)
    if script != "pages/5_Load_articles.py":
        assert any("no articles yet" in i.value for i in at.info)


def test_a_missing_store_is_an_empty_dashboard(tmp_path, use_db):
    use_db(tmp_path / "nothing-here.db")
    at = open_page("app.py")
    assert_frame(at)
    assert match_count(at) == 0
    assert not (tmp_path / "nothing-here.db").exists()  # reading never creates a store


def test_an_unreadable_store_is_reported_not_raised(tmp_path, use_db):
    bad = tmp_path / "not-a-store.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    use_db(bad)
    at = open_page("pages/2_Export_status.py")
    assert not at.exception
    assert any("Cannot read the store" in e.value for e in at.error)
    assert len(at.sidebar.get("page_link")) == len(PAGES)  # the analyst can still navigate


# -- filters from the URL -------------------------------------------------------------------------

def test_query_param_applies_the_filter(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    expected = set(apply_filters(corpus_frames, Filters(chips=("H200",))).articles["id"])
    at = open_page("app.py", {"chip": ["H200"]})
    assert_frame(at)
    assert at.multiselect(key="chip").value == ["H200"]
    assert match_count(at) == len(expected)
    assert 0 < len(expected) < len(corpus_frames.articles)
    at.run()  # and it stays applied
    assert match_count(at) == len(expected)


def test_deep_link_with_repeated_params_and_dates(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    flt = Filters(chips=("H200", "H20"), countries=("CHN",), date_from=date(2025, 7, 1))
    expected = set(apply_filters(corpus_frames, flt).articles["id"])
    at = open_page("pages/2_Export_status.py", {"chip": ["H200", "H20"], "country": ["CHN"], "from": "2025-07-01"})
    assert_frame(at)
    assert at.multiselect(key="chip").value == ["H200", "H20"]
    assert at.multiselect(key="country").value == ["CHN"]
    assert at.date_input(key="from").value == date(2025, 7, 1)
    assert match_count(at) == len(expected)
    assert url(at, "chip") == ["H200", "H20"]  # the URL keeps ids, not labels


def test_link_values_not_in_the_data_are_ignored(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page("app.py", {"chip": ["H200", "NoSuchChip"], "from": "not-a-date"})
    assert_frame(at)
    assert at.multiselect(key="chip").value == ["H200"]
    assert at.date_input(key="from").value is None
    assert any("NoSuchChip" in c.value for c in at.sidebar.caption)
    assert url(at, "chip") == ["H200"]
    assert "from" not in at.query_params


def test_country_labels_are_readable_but_the_url_keeps_iso3(corpus_db, use_db):
    use_db(corpus_db)
    at = open_page("app.py")
    country = at.multiselect(key="country")
    assert "China (CHN)" in country.options
    country.select("CHN").run()
    assert url(at, "country") == ["CHN"]
    assert at.multiselect(key="chip").options[0].endswith(")")  # e.g. "A100 (Nvidia)"


# -- filters from the widgets ---------------------------------------------------------------------

def test_setting_a_filter_widget_changes_the_table_and_the_url(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page("pages/4_Articles.py")
    before = match_count(at)
    at.multiselect(key="language").select("ko").run()
    expected = set(apply_filters(corpus_frames, Filters(languages=("ko",))).articles["id"])
    assert match_count(at) == len(expected)
    assert 0 < len(expected) < before
    assert url(at, "language") == ["ko"]
    at.date_input(key="to").set_value(date(2024, 12, 31)).run()
    expected = set(apply_filters(corpus_frames, Filters(languages=("ko",), date_to=date(2024, 12, 31))).articles["id"])
    assert match_count(at) == len(expected)
    assert url(at, "to") == ["2024-12-31"]


def test_date_inputs_are_bounded_by_the_data(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page("app.py")
    published = corpus_frames.articles["published"].dropna()
    lo, hi = published.min().date(), published.max().date()
    for key in DATE_KEYS:
        proto = at.date_input(key=key).proto
        assert proto.min == lo.isoformat()
        assert proto.max == hi.isoformat()


def test_clear_filters_resets_widgets_table_and_url(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = open_page("app.py", {"chip": ["H200"], "country": ["CHN"], "from": "2025-01-01"})
    assert match_count(at) < len(corpus_frames.articles)
    at.button(key="chipwatch_clear_filters").click().run()
    assert_frame(at)
    assert at.multiselect(key="chip").value == []
    assert at.date_input(key="from").value is None
    assert match_count(at) == len(corpus_frames.articles)
    assert not any(k in at.query_params for k in MULTISELECT_KEYS + DATE_KEYS)


# -- across pages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [s for s in PAGE_SCRIPTS if s != "app.py"])
def test_a_filter_picked_on_one_page_still_applies_after_switch_page(target, corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    expected = set(apply_filters(corpus_frames, Filters(chips=("H200",), countries=("CHN",))).articles["id"])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.multiselect(key="chip").select("H200").run()
    at.multiselect(key="country").select("CHN").run()
    assert match_count(at) == len(expected)

    at.switch_page(target).run()
    assert_frame(at)
    assert at.multiselect(key="chip").value == ["H200"]
    assert at.multiselect(key="country").value == ["CHN"]
    assert match_count(at) == len(expected)
    at.run()  # a rerun on the new page keeps it
    assert_frame(at)
    assert match_count(at) == len(expected)

    at.switch_page("app.py").run()  # and back
    assert_frame(at)
    assert match_count(at) == len(expected)


def test_a_deep_linked_filter_survives_a_page_switch(corpus_db, corpus_frames, use_db):
    """The bind="query-params" failure mode of notes §1.1 (deep-link value lost on the first nav)."""
    use_db(corpus_db)
    expected = set(apply_filters(corpus_frames, Filters(countries=("KOR",))).articles["id"])
    at = open_page("pages/4_Articles.py", {"country": ["KOR"]})
    assert match_count(at) == len(expected)
    at.switch_page("pages/3_Stakeholder_stances.py").run()
    assert_frame(at)
    assert at.multiselect(key="country").value == ["KOR"]
    assert match_count(at) == len(expected)


# -- caching -------------------------------------------------------------------------------------

def test_filter_changes_never_reread_the_store(corpus_db, use_db, monkeypatch):
    import chipwatch_ui.data as data

    calls = []
    real = data.load_frames
    monkeypatch.setattr(data, "load_frames", lambda path: calls.append(path) or real(path))
    use_db(corpus_db)
    at = open_page("app.py")
    at.multiselect(key="chip").select("H200").run()
    at.multiselect(key="language").select("en").run()
    at.switch_page("pages/2_Export_status.py").run()
    at.button(key="chipwatch_clear_filters").click().run()
    assert not at.exception
    assert len(calls) == 1


def test_new_articles_appear_without_a_restart(corpus_db, tmp_path, use_db):
    db = tmp_path / "growing.db"
    shutil.copyfile(corpus_db, db)
    use_db(db)
    at = open_page("pages/4_Articles.py")
    before = match_count(at)
    title, body = "Test: H200 licences reviewed", "The Commerce Department reviewed H200 licences for China."
    with Store(db) as store:
        store.ingest_file("late-arrival", items=[Article(
            id="late-arrival", source="late-arrival", title=title, body=body, published="2026-02-01",
            publisher="Reuters", language="en", content_hash=hashlib.sha256((title + body).encode()).hexdigest())])
    at.run()
    assert_frame(at)
    assert match_count(at) == before + 1
