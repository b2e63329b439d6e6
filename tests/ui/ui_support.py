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
