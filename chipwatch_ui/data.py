"""Cached access to the store for the dashboard.

Every cache entry is keyed by (resolved db path, store version). The version is the
size and modification time of the database file and its write-ahead log, so:
- a filter change never re-reads the store (same path + version -> cache hit);
- an article's text and a text search are read from the store when asked for (chipwatch.reader);
- an ingest (CLI or the Load articles page) changes the version, so the next rerun
  reads the new articles without a restart.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

import streamlit as st

from chipwatch.frames import Filters, Frames, apply_filters, load_frames
from chipwatch.paths import default_db_path
from chipwatch.reader import ArticleRecord, read_article, search_article_ids
from chipwatch_ui.filters import FilterOptions, filter_options

PathLike = Union[str, Path]


def resolve_db_path(db_path: Optional[PathLike] = None) -> Path:
    """The store the dashboard reads: the given path, else $CHIPWATCH_DB, else data/chipwatch.db."""
    return Path(db_path if db_path is not None else default_db_path()).expanduser().resolve()


def store_version(db_path: Optional[PathLike] = None) -> tuple:
    """A cheap fingerprint that changes whenever the store's content may have changed."""
    path = resolve_db_path(db_path)
    parts = []
    for suffix in ("", "-wal"):
        try:
            st_ = os.stat(f"{path}{suffix}")
            parts.append((suffix, st_.st_size, st_.st_mtime_ns))
        except FileNotFoundError:
            parts.append((suffix, None, None))
    return tuple(parts)


# cache_resource, not cache_data: every session and rerun shares ONE copy of the frames.
# cache_data would pickle them into the cache and unpickle a fresh copy on every rerun: at 100k
# articles that cost seconds per rerun and gigabytes of memory. The frames are never modified
# (chipwatch.frames says so; tests/ui check it), so sharing them is safe.
@st.cache_resource(show_spinner="Reading the store…", max_entries=2)
def _load(path: str, version: tuple) -> Frames:  # version is part of the cache key only
    return load_frames(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def _options(path: str, version: tuple) -> FilterOptions:
    return filter_options(_load(path, version))


@st.cache_resource(show_spinner=False, max_entries=8)
def _filtered(path: str, version: tuple, filters: Filters) -> Frames:
    return apply_filters(_load(path, version), filters)


@st.cache_data(show_spinner="Searching the article texts…", max_entries=32)
def _search(path: str, version: tuple, terms: tuple[str, ...]) -> frozenset:
    return frozenset(search_article_ids(path, list(terms)))


@st.cache_data(show_spinner=False, max_entries=32)
def _article(path: str, version: tuple, article_id: str) -> Optional[ArticleRecord]:
    return read_article(path, article_id)


def all_frames(db_path: Optional[PathLike] = None) -> Frames:
    """Every row of the store (unfiltered), cached per store version."""
    path = resolve_db_path(db_path)
    return _load(str(path), store_version(path))


def options_for(db_path: Optional[PathLike] = None) -> FilterOptions:
    """Filter options and labels (values that occur in the data), cached per store version."""
    path = resolve_db_path(db_path)
    return _options(str(path), store_version(path))


def filtered_frames(filters: Filters, db_path: Optional[PathLike] = None) -> Frames:
    """The frames under filters, cached per (store version, filters)."""
    path = resolve_db_path(db_path)
    version = store_version(path)
    if filters.is_empty():
        return _load(str(path), version)
    return _filtered(str(path), version, filters)


def search_ids(terms: list[str], db_path: Optional[PathLike] = None) -> frozenset:
    """Ids of the stored articles whose title, text or publisher holds every term, cached per store version."""
    path = resolve_db_path(db_path)
    return _search(str(path), store_version(path), tuple(terms))


def article_record(article_id: str, db_path: Optional[PathLike] = None) -> Optional[ArticleRecord]:
    """One article in full (text, mentions with surfaces, quotes, stances, claims), cached per store version."""
    path = resolve_db_path(db_path)
    return _article(str(path), store_version(path), article_id)


def clear_caches() -> None:
    """Forget every cached frame (tests; after deleting a store)."""
    for cached in (_load, _options, _filtered, _search, _article):
        cached.clear()
