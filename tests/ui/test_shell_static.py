"""The shell's rules that need no Streamlit run: layering, no HTML, config, pure filter helpers."""
from __future__ import annotations

import ast
import tomllib
from datetime import date

import pytest

from chipwatch.frames import Filters
from chipwatch_ui.filters import (
    FILTER_KEYS, filter_options, filters_from_values, query_params_for, values_from_query,
)
from chipwatch_ui.pages import PAGES
from chipwatch_ui.text import escape_markdown
from ui_support import ROOT

UI_FILES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "chipwatch_ui").glob("*.py"))]


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_the_core_library_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "chipwatch").rglob("*.py")
                 if any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(p))]
    assert offenders == []


def test_pure_shell_modules_do_not_import_streamlit():
    for name in ("filters.py", "pages.py", "text.py", "__init__.py"):
        assert not any(m.startswith("streamlit") for m in imported_modules(ROOT / "chipwatch_ui" / name)), name


def test_no_html_rendering_anywhere_in_the_ui():
    for path in UI_FILES:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path
        assert "st.html(" not in text and "components.html" not in text, path


def test_every_page_is_registered_and_starts_with_the_frame():
    scripts = {p.script for p in PAGES}
    on_disk = {"app.py"} | {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert scripts == on_disk
    for spec in PAGES:
        tree = ast.parse((ROOT / spec.script).read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "page_frame"]
        assert len(calls) == 1 and calls[0].args[0].value == spec.title, spec.script


def test_page_url_paths_follow_streamlits_pages_router():
    assert [p.url_path for p in PAGES] == ["", "Chip_generations", "Export_status", "Stakeholder_stances",
                                           "Articles", "Load_articles"]


def test_streamlit_config():
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["client"]["showSidebarNavigation"] is False
    assert cfg["client"]["toolbarMode"] == "viewer"
    assert cfg["server"]["enableStaticServing"] is True
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["theme"]["base"] == "light"


# -- pure filter helpers ---------------------------------------------------------------------------

def test_filters_round_trip_through_query_params():
    flt = Filters(companies=("Nvidia",), chips=("H200", "H20"), countries=("CHN",), date_from=date(2025, 1, 1),
                  date_to=date(2025, 12, 31), languages=("ko",), publishers=("Reuters",))
    params = query_params_for(flt)
    assert params == {"company": ["Nvidia"], "chip": ["H200", "H20"], "country": ["CHN"], "language": ["ko"],
                      "publisher": ["Reuters"], "from": ["2025-01-01"], "to": ["2025-12-31"]}
    assert set(params) <= set(FILTER_KEYS)
    assert filters_from_values(params) == flt
    assert query_params_for(Filters()) == {}
    assert filters_from_values({}) == Filters()


def test_filter_options_hold_only_values_in_the_data(corpus_frames):
    opts = filter_options(corpus_frames)
    mentioned = set(corpus_frames.mentions["entity_id"])
    status_chips = set(corpus_frames.status["chip"].dropna())
    assert opts.chips and set(opts.chips) <= mentioned | status_chips
    assert "H200" in opts.chips
    assert opts.label("country", "CHN") == "China (CHN)"
    assert opts.label("chip", "H200") == "H200 (Nvidia)"
    assert opts.languages and set(opts.languages) == set(corpus_frames.articles["language"])
    assert set(opts.publishers) == set(corpus_frames.articles["publisher"].dropna())
    published = corpus_frames.articles["published"].dropna()
    assert (opts.date_min, opts.date_max) == (published.min().date(), published.max().date())


def test_values_from_query_keeps_known_values_and_reports_the_rest(corpus_frames):
    opts = filter_options(corpus_frames)
    values, ignored = values_from_query(
        {"chip": ["H200", "H200", "Nope"], "country": ["CHN"], "from": ["2025-02-30"], "to": ["2025-03-01"]}, opts)
    assert values["chip"] == ["H200"]
    assert values["country"] == ["CHN"]
    assert values["from"] is None and values["to"] == date(2025, 3, 1)
    assert values["company"] == [] and values["publisher"] == []
    assert ignored == ["chip=Nope", "from=2025-02-30"]


@pytest.mark.parametrize("raw", ["*bold* _x_ [link](http://e.x) :red[alarm] :material/home: <b>x</b> # h", "a\\b"])
def test_escape_markdown_leaves_no_markup(raw):
    escaped = escape_markdown(raw)
    for ch in "*_[]():<>#":
        assert ch not in escaped.replace("\\" + ch, "")
