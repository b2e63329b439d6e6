"""Hand-made rows shaped like Frames.status, for the Export status tests."""
from __future__ import annotations

import itertools

import pandas as pd

_ids = itertools.count(1)


def row(day, chip, status, dest="CHN", side="export", origin="curated", article=None, evidence="why"):
    """One row shaped like Frames.status."""
    n = next(_ids)
    return {
        "origin": origin, "date": pd.Timestamp(day) if day else pd.NaT, "chip": chip, "side": side,
        "actor": "USA" if side == "export" else dest, "destination": dest, "status": status,
        "evidence": evidence, "source": f"https://example.org/{n}" if origin == "curated" else f"Article {article}",
        "article_id": article if origin == "article" else None,
        "event_id": f"ev-{n}" if origin == "curated" else None, "uncertain": False,
    }


def frame(*rows) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df["date"] = pd.to_datetime(df["date"])
    return df


def articles(**published) -> pd.DataFrame:
    return pd.DataFrame([{"id": a, "title": f"Title of {a}", "published": pd.Timestamp(d),
                          "url": f"https://news.test/{a}"} for a, d in published.items()])
