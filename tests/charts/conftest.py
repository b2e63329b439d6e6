"""Fixtures for the chart, export and report tests: the bundled corpus in a store, built once per session."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for p in (str(TESTS.parent), str(TESTS / "ui"), str(TESTS / "charts")):
    if p not in sys.path:
        sys.path.insert(0, p)

from ui_support import build_corpus_store  # noqa: E402


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> Path:
    """A store holding the bundled corpus (data/articles)."""
    return build_corpus_store(tmp_path_factory.mktemp("charts-corpus") / "chipwatch.db")


@pytest.fixture(scope="session")
def corpus_frames(corpus_db):
    from chipwatch.frames import load_frames

    return load_frames(corpus_db)


def needs_chromium(what: str = "PNG/SVG export") -> None:
    """Skip when kaleido cannot find Chromium; FAIL instead when the environment variable CI is set."""
    from chipwatch import export

    ok, message = export.static_export_status()
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {what} cannot run: {message}", pytrace=False)
        pytest.skip(f"{what} skipped: {message}")


@pytest.fixture
def chromium() -> None:
    """Use in tests that render with kaleido: skipped without Chromium, failing when CI is set."""
    needs_chromium()
