"""Read-only queries for what the dashboard's frames leave out: one article in full, and text search.

The frames (chipwatch.frames) hold what every chart needs for every article and nothing more,
so they load in seconds at 100k articles. An article's text, its mentions with their surfaces
and offsets, and the cues and rules of its quotes are read here, one article at a time, when
the analyst opens it; a text search scans the stored texts in SQLite instead of in memory.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

import pandas as pd

from chipwatch.store import BUSY_TIMEOUT, check_schema

PathLike = Union[str, Path]


@dataclass
class ArticleRecord:
    """One stored article with everything extracted from it."""

    article: pd.Series  # id, title, published (Timestamp or NaT), publisher, language, url, source, body, flags
    mentions: pd.DataFrame  # article_id, type, entity_id, surface, field, start, end, sentence
    quotes: pd.DataFrame  # the quotes table's columns
    stances: pd.DataFrame  # the stances table's columns
    claims: pd.DataFrame  # the status_claims table's columns


def _connect(db_path: PathLike) -> Optional[sqlite3.Connection]:
    """A read-only connection to a Chipwatch store, or None when there is no store (yet)."""
    path = Path(db_path)
    if not path.exists():
        return None
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT,
                           isolation_level=None)
    try:
        if not check_schema(conn, path):
            conn.close()
            return None
    except BaseException:
        conn.close()
        raise
    return conn


def _table(conn: sqlite3.Connection, sql: str, params: tuple) -> pd.DataFrame:
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def read_article(db_path: PathLike, article_id: str) -> Optional[ArticleRecord]:
    """The article with this id and its extraction (None when the store does not hold it)."""
    conn = _connect(db_path)
    if conn is None:
        return None
    with closing(conn):
        conn.execute("BEGIN")  # one snapshot for the article and its rows
        articles = _table(conn, "SELECT id, title, published, publisher, language, url, source, body, flags "
                                "FROM articles WHERE id=?", (article_id,))
        if articles.empty:
            return None
        articles["published"] = pd.to_datetime(articles["published"], errors="coerce")
        article = articles.iloc[0]
        return ArticleRecord(
            article=article,
            mentions=_table(conn, 'SELECT article_id, type, entity_id, surface, field, start, "end", sentence '
                                  'FROM mentions WHERE article_id=? ORDER BY field DESC, start', (article_id,)),
            quotes=_table(conn, "SELECT * FROM quotes WHERE article_id=? ORDER BY idx", (article_id,)),
            stances=_table(conn, "SELECT * FROM stances WHERE article_id=? ORDER BY idx", (article_id,)),
            claims=_table(conn, "SELECT * FROM status_claims WHERE article_id=? ORDER BY idx", (article_id,)),
        )


def _casefold(text: Optional[str]) -> str:
    return text.casefold() if isinstance(text, str) else ""


def search_article_ids(db_path: PathLike, terms: list[str]) -> set[str]:
    """Ids of the stored articles whose title, text or publisher holds every term (case-insensitive,
    Unicode case folding as str.casefold). No terms: every article."""
    conn = _connect(db_path)
    if conn is None:
        return set()
    with closing(conn):
        if not terms:
            return {r[0] for r in conn.execute("SELECT id FROM articles")}
        conn.create_function("casefold", 1, _casefold, deterministic=True)
        where = " AND ".join("instr(hay, ?) > 0" for _ in terms)
        sql = (f"SELECT id FROM (SELECT id, casefold(title || char(10) || body || char(10) || "
               f"coalesce(publisher, '')) AS hay FROM articles) WHERE {where}")
        return {r[0] for r in conn.execute(sql, tuple(t.casefold() for t in terms))}
