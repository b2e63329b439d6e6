"""Fixtures for the dashboard shell tests: stores built once per session, clean Streamlit caches."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

UI_TESTS = Path(__file__).resolve().parent
ROOT = UI_TESTS.parent.parent
for p in (str(ROOT), str(UI_TESTS)):
    if p not in sys.path:
        sys.path.insert(0, p)

from hostile_support import build_hostile_store  # noqa: E402
from ui_support import build_corpus_store, build_empty_store  # noqa: E402


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A store holding the bundled corpus (data/articles), built once per test session."""
    return build_corpus_store(tmp_path_factory.mktemp("ui-corpus") / "chipwatch.db")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    """A store with the schema but no articles."""
    return build_empty_store(tmp_path_factory.mktemp("ui-empty") / "chipwatch.db")


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Path:
    """A store of articles carrying HTML, JavaScript URLs, Markdown and formulas (tests/ui/hostile_support.py)."""
    return build_hostile_store(tmp_path_factory.mktemp("ui-hostile") / "chipwatch.db")


@pytest.fixture(scope="session")
def corpus_frames(corpus_db):
    from chipwatch.frames import load_frames

    return load_frames(corpus_db)


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Streamlit caches are process-global, even across AppTest instances (streamlit-notes §1.4)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def use_db(monkeypatch):
    """Point the dashboard (CHIPWATCH_DB) at a store for one test."""
    def _use(path):
        monkeypatch.setenv("CHIPWATCH_DB", str(path))
        return path
    return _use
