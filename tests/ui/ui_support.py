"""Support for the UI tests: the repository root and store builders (no streamlit import here)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import warnings
from pathlib import Path

from chipwatch.models import Article
from chipwatch.paths import ARTICLES_DIR
from chipwatch.store import Store

ROOT = Path(__file__).resolve().parents[2]  # the repository (app.py, pages/, chipwatch_ui/)


def _records_fallback(directory: Path):
    """A minimal reader for the bundled record files (JSON/JSONL/CSV, UTF-8 or EUC-KR).

    Used only while chipwatch.loading is unfinished, so the shell can be tested on real text.
    """
    for path in sorted((directory / "records").glob("*")):
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "cp949"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            continue
        if path.suffix == ".json":
            rows = json.loads(text)
            rows = rows if isinstance(rows, list) else rows.get("articles", [])
        elif path.suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        elif path.suffix == ".csv":
            rows = list(csv.DictReader(io.StringIO(text)))
        else:
            continue
        items = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not row.get("title") or not row.get("body"):
                continue
            title, body = str(row["title"]), str(row["body"])
            items.append(Article(
                id=str(row.get("id") or f"{path.stem}-{i}"), source=f"{path}#{i}", title=title, body=body,
                url=row.get("url") or None, published=(row.get("published") or None),
                publisher=row.get("publisher") or None, language=row.get("language") or "other",
                content_hash=hashlib.sha256((title + "\n" + body).encode()).hexdigest(),
            ))
        yield path, items


def build_corpus_store(db_path: Path, articles_dir: Path = ARTICLES_DIR) -> Path:
    """Ingest the bundled corpus into a new store at db_path (the real loader when it works)."""
    try:
        from chipwatch.loading import iter_files  # noqa: F401  (the loader's public API)

        with Store(db_path) as store:
            from chipwatch.loading import iter_files as _iter

            for path in _iter([articles_dir]):
                store.ingest_file(path)
            if store.count() == 0:
                raise RuntimeError("the loader read no articles")
        return db_path
    except Exception as exc:  # the loader is being finished by others: fall back to the records
        warnings.warn(f"chipwatch.loading unusable ({exc!r}); building the UI test store from records only")
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    with Store(db_path) as store:
        for path, items in _records_fallback(articles_dir):
            store.ingest_file(path, items=items)
    return db_path


def build_empty_store(db_path: Path) -> Path:
    Store(db_path).close()
    return db_path
