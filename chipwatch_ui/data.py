"""Cached access to the store for the dashboard.

Every cache entry is keyed by (resolved db path, store version). The version is the
size and modification time of the database file and its write-ahead log, so:
- a filter change never re-reads the store (same path + version -> cache hit);
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


@st.cache_data(show_spinner="Reading the store…", max_entries=4)
def _load(path: str, version: tuple) -> Frames:  # version is part of the cache key only
    return load_frames(path)


@st.cache_data(show_spinner=False, max_entries=4)
def _options(path: str, version: tuple) -> FilterOptions:
    return filter_options(_load(path, version))


@st.cache_data(show_spinner=False, max_entries=64)
def _filtered(path: str, version: tuple, filters: Filters) -> Frames:
    return apply_filters(_load(path, version), filters)


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


def clear_caches() -> None:
    """Forget every cached frame (tests; after deleting a store)."""
    _load.clear()
    _options.clear()
    _filtered.clear()
