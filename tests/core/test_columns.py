"""map_distinct gives what a per-row map gives, calling the function once per distinct value."""
import numpy as np
import pandas as pd

from chipwatch.columns import map_distinct


def test_same_as_a_per_row_map_and_one_call_per_value():
    calls = []

    def fn(v):
        calls.append(v)
        return "—" if v is None else f"<{v}>"

    for values in (pd.Series(["a", None, "b", "a", np.nan], index=[5, 4, 3, 2, 1], dtype=object),
                   pd.Series(["a", None, "b", "a"], dtype="str"),
                   pd.Series(pd.Categorical(["x", None, "x", "y"], categories=["y", "x", "unused"]))):
        calls.clear()
        out = map_distinct(values, fn)
        expected = [fn(None if pd.isna(v) else v) for v in values]
        calls.clear()
        out = map_distinct(values, fn)
        assert list(out) == expected and list(out.index) == list(values.index) and out.dtype == object
        assert sorted(map(str, calls)) == sorted(map(str, set(values.dropna()) | {None}))


def test_empty():
    out = map_distinct(pd.Series([], dtype=object), lambda v: 1)
    assert out.empty and out.dtype == object


def test_positions_and_take_match_a_join():
    from chipwatch.columns import positions_in, take_or_missing

    articles = pd.DataFrame({"id": ["a", "b", "c"], "published": pd.to_datetime(["2025-01-01", None, "2025-03-01"]),
                             "title": ["A", "B", None]})
    for ids in (pd.Series(["c", None, "a", "zz", "b"], index=[9, 8, 7, 6, 5], dtype=object),
                pd.Series(pd.Categorical(["c", None, "a", "zz", "b"], categories=["zz", "a", "b", "c", "d"]),
                          index=[9, 8, 7, 6, 5])):
        pos = positions_in(ids, articles["id"])
        assert list(pos) == [2, -1, 0, -1, 1]
        meta = articles.set_index("id")
        for column in ("published", "title"):
            got = take_or_missing(articles[column], pos, ids.index)
            expected = ids.astype(object).map(meta[column])
            assert list(got.index) == list(ids.index)
            assert [None if pd.isna(v) else v for v in got] == [None if pd.isna(v) else v for v in expected]
