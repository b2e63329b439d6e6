"""Column helpers shared by the views: per-value work done once per distinct value.

At 100k articles a column holds hundreds of thousands of rows but a few dozen distinct
chips, countries or speakers; calling a Python function per row (Series.map(lambda ...))
cost seconds per page rerun, calling it per distinct value costs microseconds.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd


def map_distinct(values: pd.Series, fn: Callable[[Any], Any]) -> pd.Series:
    """values.map(fn) as an object Series with values' index, calling fn once per distinct
    value; every missing value (None, NaN, NaT) gives fn(None)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, value in enumerate(uniques):
        results[i] = fn(value)
    results[-1] = fn(None)  # code -1: missing
    return pd.Series(results[codes], index=values.index, dtype=object)


def positions_in(ids: pd.Series, index_values: pd.Series) -> np.ndarray:
    """Where each of `ids` sits in `index_values` (unique values), -1 where absent or missing.

    A categorical `ids` (the loaded frames' article_id) is looked up once per category."""
    index = pd.Index(index_values)
    if isinstance(ids.dtype, pd.CategoricalDtype):
        per_category = index.get_indexer(ids.cat.categories)
        codes = ids.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[np.maximum(codes, 0)], -1)
    return index.get_indexer(ids.astype(object))


def take_or_missing(values: pd.Series, positions: np.ndarray, index=None) -> pd.Series:
    """values at positions (as positions_in gives), missing (NaN/NaT/None) where a position is -1."""
    taken = values.iloc[np.maximum(positions, 0)].reset_index(drop=True) if len(values) else pd.Series(
        [None] * len(positions), dtype=object)
    taken = taken.where(pd.Series(positions >= 0)) if len(positions) else taken.iloc[:0]
    taken.index = index if index is not None else pd.RangeIndex(len(positions))
    return taken
