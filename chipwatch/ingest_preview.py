"""Pure helpers behind the Load articles page: what an uploaded file would add, and what
adding it did (no streamlit).

Uploaded bytes are read with `chipwatch.loading.load_bytes(data, name)`: the upload's
name only gives the extension and the label shown in messages and stored as the
article's source. It is never used as a path (it is reduced to a plain base name
first), and nothing is written to disk except the store.
"""
from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

import pandas as pd

from chipwatch.extract import extract
from chipwatch.loading import EXTENSIONS, load_bytes
from chipwatch.models import Article, LoadError
from chipwatch.overview_view import flags_short, language_name
from chipwatch.store import FileResult

MAX_UPLOAD_MB = 25  # per file; also given to st.file_uploader(max_upload_size=...)
UPLOAD_TYPES = [ext.lstrip(".") for ext in EXTENSIONS]  # json, jsonl, csv, html, htm, txt

PREVIEW_COLUMNS = ["title", "published", "publisher", "language", "entities", "quotes", "claims", "state", "notes",
                   "source"]
REJECTED_COLUMNS = ["source", "reason"]
RESULT_COLUMNS = ["file", "added", "duplicates", "renamed", "rejected"]

STATE_NEW = "New"
STATE_KNOWN = "Already in the store"
STATE_REPEATED = "Repeated in this upload"

Item = Union[Article, LoadError]


def upload_label(name: str) -> str:
    """A safe label for an uploaded file's name: its last path component, without control
    characters ('../../x/records.json' -> 'records.json'). Never used as a path."""
    text = "".join(ch for ch in str(name or "") if unicodedata.category(ch)[0] != "C")
    text = text.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return text if text not in ("", ".", "..") else "upload"


def upload_items(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_MB * 1024 * 1024) -> list[Item]:
    """Articles and LoadErrors of one uploaded file (a file over the limit is one LoadError)."""
    label = upload_label(name)
    if len(data) > max_bytes:
        return [LoadError(label, f"the file is {len(data) / 1024 / 1024:.1f} MB, over the "
                                 f"{max_bytes / 1024 / 1024:.0f} MB limit per file")]
    return list(load_bytes(bytes(data), label))


def known_content_hashes(db_path: Union[str, Path, None]) -> set[str]:
    """Content hashes already in the store (read-only; a missing or unreadable store gives none)."""
    if db_path is None or not Path(db_path).exists():
        return set()
    try:
        conn = sqlite3.connect(f"file:{Path(db_path).resolve()}?mode=ro", uri=True, timeout=30)
        try:
            return {r[0] for r in conn.execute("SELECT content_hash FROM articles")}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


@dataclass
class FilePreview:
    """What one uploaded file holds: the articles (with what extraction finds) and the rejections."""

    name: str
    size: int
    articles: pd.DataFrame  # PREVIEW_COLUMNS
    rejected: pd.DataFrame  # REJECTED_COLUMNS
    hashes: tuple[str, ...] = ()  # content hashes of the articles, in order

    @property
    def n_articles(self) -> int:
        return len(self.articles)

    @property
    def n_new(self) -> int:
        return int((self.articles["state"] == STATE_NEW).sum()) if not self.articles.empty else 0

    @property
    def n_rejected(self) -> int:
        return len(self.rejected)

    def summary(self) -> str:
        """'3 articles (2 new, 1 already in the store), 1 rejected'."""
        parts = [f"{self.n_articles:,} article{'s' if self.n_articles != 1 else ''}"]
        if self.n_articles:
            known = self.n_articles - self.n_new
            parts[0] += f" ({self.n_new:,} new" + (f", {known:,} already stored or repeated" if known else "") + ")"
        parts.append(f"{self.n_rejected:,} rejected")
        return ", ".join(parts)


def preview_items(items: Iterable[Item], name: str, size: int, kb=None, known_hashes: Iterable[str] = (),
                  seen_hashes: Optional[set] = None) -> FilePreview:
    """A FilePreview of loaded items: runs extraction to count entities, quotes and claims.

    `known_hashes`: content hashes in the store ('Already in the store');
    `seen_hashes`: hashes of earlier files in the same upload (updated; 'Repeated in this upload').
    """
    known = set(known_hashes)
    seen = seen_hashes if seen_hashes is not None else set()
    rows, rejected, hashes = [], [], []
    for item in items:
        if isinstance(item, LoadError):
            rejected.append({"source": item.source, "reason": item.error})
            continue
        ex = extract(item, kb)
        if item.content_hash in known:
            state = STATE_KNOWN
        elif item.content_hash in seen:
            state = STATE_REPEATED
        else:
            state = STATE_NEW
        seen.add(item.content_hash)
        hashes.append(item.content_hash)
        rows.append({
            "title": item.title, "published": pd.to_datetime(item.published, errors="coerce"),
            "publisher": item.publisher, "language": item.language,
            "entities": len({(m.type, m.id) for m in ex.mentions}), "quotes": len(ex.quotes),
            "claims": len(ex.status_claims), "state": state, "notes": flags_short(item.flags), "source": item.source,
        })
    articles = pd.DataFrame(rows, columns=PREVIEW_COLUMNS)
    if not articles.empty:
        articles["language"] = articles["language"].map(language_name)
        articles["published"] = pd.to_datetime(articles["published"])
    return FilePreview(name=upload_label(name), size=size, articles=articles,
                       rejected=pd.DataFrame(rejected, columns=REJECTED_COLUMNS), hashes=tuple(hashes))


def preview_upload(data: bytes, name: str, kb=None, known_hashes: Iterable[str] = (),
                   seen_hashes: Optional[set] = None, max_bytes: int = MAX_UPLOAD_MB * 1024 * 1024) -> FilePreview:
    """Load and preview one uploaded file (nothing is written anywhere)."""
    return preview_items(upload_items(data, name, max_bytes), name, len(data), kb, known_hashes, seen_hashes)


def count_items(data: bytes, name: str) -> int:
    return len(upload_items(data, name))


def ingest_uploads(store, uploads: list[tuple[str, bytes]],
                   on_progress: Optional[Callable[[int, int, str], None]] = None) -> list:
    """Write each upload to the store in its own transaction (Store.ingest_file with items).

    uploads: [(name, data)]. on_progress(done, total, label) is called after each record.
    Returns the FileResult of each file, in order. A file whose transaction fails is rolled
    back alone; its result carries the error as a rejection and the other files still go in.
    """
    loaded = [(upload_label(name), upload_items(data, name)) for name, data in uploads]
    total = sum(len(items) for _, items in loaded) or 1
    done = 0
    results = []
    for label, items in loaded:
        def tick(label=label):
            nonlocal done
            done += 1
            if on_progress:
                on_progress(done, total, label)
        try:
            results.append(store.ingest_file(label, items=items, on_article=tick))
        except Exception as exc:  # this file's transaction was rolled back; the others still go in
            errors = [i for i in items if isinstance(i, LoadError)]
            results.append(FileResult(path=label, rejected=errors + [
                LoadError(label, f"nothing from this file was stored: its transaction was rolled back "
                                 f"({type(exc).__name__}: {exc})")]))
    return results


def result_rows(results: Iterable) -> pd.DataFrame:
    """One row per ingested file: file, added, duplicates, renamed, rejected (counts)."""
    rows = [{"file": r.path, "added": r.added, "duplicates": r.duplicates, "renamed": len(r.renamed),
             "rejected": len(r.rejected)} for r in results]
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def result_rejections(results: Iterable) -> pd.DataFrame:
    """Every rejection of an ingest, with its source (file:line) and reason."""
    rows = [{"source": e.source, "reason": e.error} for r in results for e in r.rejected]
    return pd.DataFrame(rows, columns=REJECTED_COLUMNS)


def result_summary(results: list) -> str:
    added = sum(r.added for r in results)
    dup = sum(r.duplicates for r in results)
    rej = sum(len(r.rejected) for r in results)
    n = len(results)
    return (f"{n:,} file{'s' if n != 1 else ''}: {added:,} article{'s' if added != 1 else ''} added, "
            f"{dup:,} already in the store, {rej:,} rejected.")
