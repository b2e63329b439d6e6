"""Support for the UI tests: the repository root and store builders (no streamlit import here)."""
from __future__ import annotations

from pathlib import Path

from chipwatch.paths import ARTICLES_DIR
from chipwatch.store import Store

ROOT = Path(__file__).resolve().parents[2]  # the repository (app.py, pages/, chipwatch_ui/)


def build_corpus_store(db_path: Path, articles_dir: Path = ARTICLES_DIR) -> Path:
    """Ingest the bundled corpus into a new store at db_path with the real loader."""
    from chipwatch.loading import iter_files

    with Store(db_path) as store:
        for path in iter_files([articles_dir]):
            store.ingest_file(path)
        if store.count() == 0:
            raise RuntimeError(f"the loader read no articles from {articles_dir}")
    return db_path


def build_empty_store(db_path: Path) -> Path:
    Store(db_path).close()
    return db_path


def open_via_app(page: str | None = None, query: dict | None = None, *, check: bool = True, timeout: int = 60):
    """Open a page the way a browser does: app.py first (with the URL's query params), then the page.

    check: assert that neither run raised."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.run()
    if page is not None:
        at.switch_page(page).run()
    if check:
        assert not at.exception, [e.value for e in at.exception]
    return at
