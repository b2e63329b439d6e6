"""DataFrames over the store and the knowledge base, and the one Filters value
every view applies the same way.

Frames are read once (`load_frames`) and then filtered in memory; filtering
never touches the store, so the dashboard can cache the frames and re-filter
cheaply on every widget change.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Callable, Optional, Union

import numpy as np
import pandas as pd
import pyarrow as pa

from chipwatch.knowledge import KnowledgeBase, load_knowledge
from chipwatch.store import BUSY_TIMEOUT, check_schema


@dataclass(frozen=True)
class Filters:
    """What the analyst narrowed the evidence to. Empty tuple = no restriction."""

    companies: tuple[str, ...] = ()
    chips: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    date_from: Optional[date] = None
    date_to: Optional[date] = None
    languages: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def with_(self, **changes) -> "Filters":
        return replace(self, **{k: tuple(v) if isinstance(v, (list, set)) else v for k, v in changes.items()})

    def describe(self) -> str:
        """A short human label, e.g. for export file names: 'chip-H200_country-CHN_2025-01-01-2025-12-31'."""
        parts = []
        for name, label in (("companies", "company"), ("chips", "chip"), ("countries", "country"),
                            ("languages", "lang"), ("publishers", "publisher")):
            values = getattr(self, name)
            if values:
                parts.append(f"{label}-" + "+".join(values))
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or 'start'}-{self.date_to or 'end'}")
        return "_".join(parts) or "all"


TableOrThunk = Union[pd.DataFrame, Callable[[], pd.DataFrame]]


class Frames:
    """Every DataFrame the dashboard charts. Columns are documented in load_frames.

    A table may be given as a zero-argument function that makes it: it runs on first use and
    its result is kept. apply_filters uses this so that a page pays only for the tables it
    reads (the Chip generations page never touches the 400k quotes and stances at 100k articles).
    """

    TABLES = ("articles", "mentions", "quotes", "stances", "claims", "status")

    def __init__(self, articles: TableOrThunk, mentions: TableOrThunk, quotes: TableOrThunk,
                 stances: TableOrThunk, claims: TableOrThunk, status: TableOrThunk, chips: pd.DataFrame,
                 kb: Optional[KnowledgeBase] = None, article_index: Optional[pd.Index] = None):
        self._tables: dict[str, TableOrThunk] = {
            "articles": articles, "mentions": mentions, "quotes": quotes, "stances": stances, "claims": claims,
            "status": status}
        self.chips = chips
        self.kb = kb
        # The loaded store's article ids in order: the categories of every article_id column, so a
        # row's article is its categorical code. None for hand-made and filtered frames.
        self.article_index = article_index

    def _table(self, name: str) -> pd.DataFrame:
        value = self._tables[name]
        if callable(value):  # two threads may both make it: the same result, either one kept
            value = value()
            self._tables[name] = value
        return value

    articles = property(lambda self: self._table("articles"))
    mentions = property(lambda self: self._table("mentions"))
    quotes = property(lambda self: self._table("quotes"))
    stances = property(lambda self: self._table("stances"))
    claims = property(lambda self: self._table("claims"))
    status = property(lambda self: self._table("status"))

    def replace(self, **changes) -> "Frames":
        """A copy with some tables (or chips / kb / article_index) replaced."""
        args = {name: self._tables[name] for name in self.TABLES}
        args.update(chips=self.chips, kb=self.kb, article_index=self.article_index)
        args.update(changes)
        return Frames(**args)

    @property
    def empty(self) -> bool:
        return self.articles.empty

    def __repr__(self) -> str:
        made = {n: (len(v) if isinstance(v, pd.DataFrame) else "lazy") for n, v in self._tables.items()}
        return f"Frames({made})"


ARTICLE_COLUMNS = ["id", "title", "published", "publisher", "language", "url", "source", "flags",
                   "n_entities", "n_quotes", "n_claims"]
MENTION_COLUMNS = ["article_id", "type", "entity_id"]
# Only what the charts and tables use: cues, rules and offsets are read per article (chipwatch.reader).
QUOTE_COLUMNS = ["article_id", "idx", "speaker", "speaker_text", "kind", "text", "stance", "confidence"]
STANCE_COLUMNS = ["article_id", "idx", "holder", "stance", "reported_by", "evidence", "confidence", "quote_index"]
CLAIM_COLUMNS = ["article_id", "idx", "chip", "side", "actor", "destination", "status", "date", "evidence"]


def _column(values: tuple) -> pd.Series:
    """One column of SQLite values as pandas would type it, built by pyarrow: 5x faster than
    pandas' own object-to-string conversion, which cost 4.4 s of a 19 s load at 100k articles."""
    arr = pa.array(values)
    if pa.types.is_null(arr.type):  # every value NULL
        return pd.Series(values, dtype=object)
    return arr.to_pandas()


# Arrow types of the columns read by _read (SQLite's declared types).
_ARROW_TYPES = {"idx": pa.int64(), "confidence": pa.float64(), "quote_index": pa.int64()}
_READ_CHUNK = 50_000


def _read(conn: sqlite3.Connection, table: str, columns: list[str]) -> pd.DataFrame:
    """The columns of a table as a DataFrame (str columns backed by Arrow).

    The rows go from SQLite's tuples to Arrow in one call (a struct array), with no Python
    loop over rows or columns: half the time of transposing the tuples first."""
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.execute(f"SELECT {names} FROM {table}")
    kind = pa.struct([(c, _ARROW_TYPES.get(c, pa.string())) for c in columns])
    chunks = []
    while True:  # in chunks: the Python tuples of a whole table at once doubled the peak memory
        rows = cursor.fetchmany(_READ_CHUNK)
        if not rows:
            break
        chunks.append(pa.array(rows, type=kind))
    if not chunks:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    struct = pa.concat_arrays(chunks)
    return pd.DataFrame({c: struct.field(i).to_pandas() for i, c in enumerate(columns)})


def chips_frame(kb: KnowledgeBase) -> pd.DataFrame:
    """The chip table with release dates as timestamps and the vendor's display name."""
    df = pd.DataFrame(list(kb.chips.values()))
    if df.empty:
        return df
    df["release"] = pd.to_datetime(df["release_date"].str.slice(0, 7), format="%Y-%m", errors="coerce")
    df["is_china_variant"] = df["china_variant_of"].fillna("") != ""
    return df


def curated_status_frame(kb: KnowledgeBase) -> pd.DataFrame:
    """The curated timeline, one row per (event, chip)."""
    rows = []
    for ev in kb.export_events:
        for chip in [c for c in (ev.get("chips") or "").split(";") if c]:
            rows.append({
                "origin": "curated", "date": ev["date"], "chip": chip, "side": ev["side"],
                "actor": ev.get("actor") or None, "destination": ev.get("destination") or None,
                "status": ev["status"], "evidence": ev.get("summary", ""), "source": ev.get("source", ""),
                "article_id": None, "event_id": ev.get("id"), "uncertain": ev.get("uncertain") == "1",
            })
    return pd.DataFrame(rows)


def _mentions_from_index(conn: sqlite3.Connection, article_ids: pd.Series, blobs: list[bytes]) -> pd.DataFrame:
    """One row per (article, entity) the article names, from the packed article index.

    Categorical columns: 2.3 M rows at 100k articles take about 20 MB and filter by integer codes."""
    codes = conn.execute("SELECT code, type, entity_id FROM entity_codes").fetchall()
    if not codes or not blobs:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MENTION_COLUMNS})
    size = max(c for c, _, _ in codes) + 1
    types = sorted({t for _, t, _ in codes})
    entities = sorted({e for _, _, e in codes})
    type_of = np.full(size, -1, dtype=np.int16)
    entity_of = np.full(size, -1, dtype=np.int32)
    type_pos = {t: i for i, t in enumerate(types)}
    entity_pos = {e: i for i, e in enumerate(entities)}
    for code, t, e in codes:
        type_of[code] = type_pos[t]
        entity_of[code] = entity_pos[e]
    lengths = np.fromiter((len(b) // 4 for b in blobs), dtype=np.int64, count=len(blobs))
    packed = np.frombuffer(b"".join(blobs), dtype="<u4").astype(np.int64)
    article_pos = np.repeat(np.arange(len(blobs)), lengths)
    return pd.DataFrame({
        "article_id": pd.Categorical.from_codes(article_pos, categories=pd.Index(article_ids, dtype=object)),
        "type": pd.Categorical.from_codes(type_of[packed], categories=types),
        "entity_id": pd.Categorical.from_codes(entity_of[packed], categories=entities),
    })


def _empty_frames() -> dict[str, pd.DataFrame]:
    def empty(columns):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})

    return {"articles": empty(ARTICLE_COLUMNS), "mentions": empty(MENTION_COLUMNS), "quotes": empty(QUOTE_COLUMNS),
            "stances": empty(STANCE_COLUMNS), "claims": empty(CLAIM_COLUMNS)}


def load_frames(db_path: Union[str, Path], kb: Optional[KnowledgeBase] = None) -> Frames:
    """Read the store at db_path into Frames (read-only; a missing or empty store gives empty frames;
    a file that is not a Chipwatch store of this schema version raises chipwatch.store.StoreError).

    articles: id, title, published (datetime64 or NaT), publisher, language, url, source, flags,
              n_entities, n_quotes, n_claims (the text is not loaded: chipwatch.reader reads it)
    mentions: article_id, type, entity_id -- one row per distinct entity an article names
              (categoricals; surfaces and offsets: chipwatch.reader.read_article)
    quotes:   article_id, idx, speaker, speaker_text, kind, text, stance, confidence,
              speaker_type, affiliation, speaker_country, published, title, publisher
    stances:  article_id, idx, holder, stance, reported_by, evidence, confidence, quote_index,
              holder_type, affiliation, holder_country, published, title, publisher
    claims:   extracted status claims: article_id, idx, chip, side, actor, destination, status, date, evidence
    status:   curated timeline + extracted claims: origin, date (datetime64), chip, side, actor,
              destination, status, evidence, source, article_id, event_id, uncertain
    chips:    the knowledge base's chip table
    The frames are shared (the dashboard caches one copy per store version): never modify them.
    """
    kb = kb or load_knowledge()
    db_path = Path(db_path)
    found = False
    tables = _empty_frames()
    if db_path.exists():
        uri = db_path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            # One read transaction: every table as of the same commit, so an ingest running
            # meanwhile never gives mentions of articles this read does not hold.
            conn.execute("BEGIN")
            found = check_schema(conn, db_path)
            if found:
                rows = conn.execute(
                    "SELECT a.id, a.title, a.published, a.publisher, a.language, a.url, a.source, a.flags, "
                    "i.n_entities, i.n_quotes, i.n_claims, i.entities FROM articles a "
                    "JOIN article_index i ON i.article_id = a.id ORDER BY a.id").fetchall()
                if rows:
                    columns = list(zip(*rows))
                    tables["articles"] = pd.DataFrame(
                        {name: _column(col) for name, col in zip(ARTICLE_COLUMNS, columns[:-1])})
                    tables["mentions"] = _mentions_from_index(conn, tables["articles"]["id"], columns[-1])
                tables["quotes"] = _read(conn, "quotes", QUOTE_COLUMNS)
                tables["stances"] = _read(conn, "stances", STANCE_COLUMNS)
                tables["claims"] = _read(conn, "status_claims", CLAIM_COLUMNS)
        finally:
            conn.close()
    articles, quotes, stances, claims = (tables[k] for k in ("articles", "quotes", "stances", "claims"))
    articles["published"] = pd.to_datetime(articles["published"], errors="coerce")
    article_index = pd.Index(articles["id"], dtype=object)
    if isinstance(tables["mentions"]["article_id"].dtype, pd.CategoricalDtype):
        article_index = tables["mentions"]["article_id"].cat.categories

    def positions(df: pd.DataFrame) -> np.ndarray:
        """Each row's article as a position in articles, and article_id made a categorical over
        article_index: the filters then select rows by integer code instead of by string."""
        if df.empty:
            return np.array([], dtype=np.int64)
        where = article_index.get_indexer(df["article_id"])
        df["article_id"] = pd.Categorical.from_codes(where, categories=article_index)
        return where

    def article_meta(df: pd.DataFrame, where: np.ndarray, columns: list[str]) -> pd.DataFrame:
        """The article columns for each row of df, by position (a take, not a string join)."""
        return pd.DataFrame({c: articles[c].take(where).values if len(where) else articles[c].iloc[:0].values
                             for c in columns}, index=df.index)

    def entity_info(ids: pd.Series, prefix: str) -> pd.DataFrame:
        """Type, affiliation and country of each speaker/holder id, looked up once per distinct id."""
        cols = [f"{prefix}_type", "affiliation", f"{prefix}_country"]
        info = {}
        for eid in ids.dropna().unique():
            if str(eid).startswith("anonymous:"):
                info[eid] = ("anonymous", None, None)
            else:
                info[eid] = (kb.type_of(eid), kb.affiliation(eid), kb.country_of(eid))
        return pd.DataFrame({c: ids.map({k: v[i] for k, v in info.items()}).astype(object)
                             for i, c in enumerate(cols)}, index=ids.index)

    where = positions(quotes)
    quotes = pd.concat([quotes, entity_info(quotes["speaker"], "speaker"),
                        article_meta(quotes, where, ["published", "title", "publisher"])], axis=1)
    where = positions(stances)
    stances = pd.concat([stances, entity_info(stances["holder"], "holder"),
                         article_meta(stances, where, ["published", "title", "publisher"])], axis=1)

    where = positions(claims)
    extracted = claims.assign(origin="article", uncertain=False, event_id=None)
    extracted["source"] = article_meta(claims, where, ["title"])["title"]
    curated = curated_status_frame(kb)
    status_cols = ["origin", "date", "chip", "side", "actor", "destination", "status", "evidence", "source",
                   "article_id", "event_id", "uncertain"]
    parts = [df[status_cols] for df in (curated, extracted) if not df.empty]
    status = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=status_cols)
    status["date"] = pd.to_datetime(status["date"], errors="coerce")
    if len(status):
        positions(status)  # curated rows: no article (code -1)
    return Frames(articles=articles, mentions=tables["mentions"], quotes=quotes, stances=stances, claims=claims,
                  status=status, chips=chips_frame(kb), kb=kb, article_index=article_index)


def _article_positions(frames: Frames, column: pd.Series) -> np.ndarray:
    """Each row's article as a position in frames.articles (-1: not there).

    The loaded frames hold article_id as a categorical over the articles' ids in order, so this
    is its codes (free); hand-made frames are looked up by id."""
    ids = frames.articles["id"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories
        if categories is frames.article_index or (len(categories) == len(ids) and categories.equals(pd.Index(ids))):
            return column.cat.codes.to_numpy()
        column = column.astype(object)
    return pd.Index(ids).get_indexer(column)


def _rows_of(frames: Frames, df: pd.DataFrame, article_mask: np.ndarray) -> np.ndarray:
    """Which rows of df belong to an article that article_mask keeps."""
    if df.empty or not len(article_mask):
        return np.zeros(len(df), dtype=bool)
    pos = _article_positions(frames, df["article_id"])
    return (pos >= 0) & article_mask[np.maximum(pos, 0)]


def _entity_mask(frames: Frames, etype: str, ids: set[str]) -> np.ndarray:
    """Articles (a mask over frames.articles) that mention an entity of etype among ids."""
    m = frames.mentions
    out = np.zeros(len(frames.articles), dtype=bool)
    if m.empty or not ids:
        return out
    sel = ((m["type"] == etype) & m["entity_id"].isin(list(ids))).to_numpy()
    pos = _article_positions(frames, m["article_id"])[sel]
    out[pos[pos >= 0]] = True
    return out


def article_mask(frames: Frames, filters: Filters) -> np.ndarray:
    """A boolean per row of frames.articles: does the article pass every facet of the filters?

    A company facet selects articles that mention the company or one of its chips."""
    arts = frames.articles
    mask = np.ones(len(arts), dtype=bool)
    if filters.date_from:
        mask &= (arts["published"] >= pd.Timestamp(filters.date_from)).to_numpy()
    if filters.date_to:
        mask &= (arts["published"] < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)).to_numpy()
    if filters.languages:
        mask &= arts["language"].isin(filters.languages).to_numpy()
    if filters.publishers:
        mask &= arts["publisher"].isin(filters.publishers).to_numpy()
    if filters.companies:
        chips = {c for comp in filters.companies for c in frames.kb.chips_by_vendor(comp)}
        mask &= _entity_mask(frames, "company", set(filters.companies)) | _entity_mask(frames, "chip", chips)
    if filters.chips:
        mask &= _entity_mask(frames, "chip", set(filters.chips)) | _entity_mask(
            frames, "architecture", set(filters.chips))
    if filters.countries:
        mask &= _entity_mask(frames, "country", set(filters.countries))
    return mask


def matching_article_ids(frames: Frames, filters: Filters) -> pd.Index:
    """Ids of the articles that pass every facet of the filters (sorted).

    A company facet selects articles that mention the company or one of its chips.
    """
    return pd.Index(sorted(frames.articles.loc[article_mask(frames, filters), "id"]))


def filter_status(frames: Frames, filters: Filters, article_ids: Optional[pd.Index] = None, *,
                  mask: Optional[np.ndarray] = None) -> pd.DataFrame:
    """Status rows under the filters: curated rows by chip/company/country/date; extracted rows
    also only from articles that pass the filters (given as ids, or as article_mask's mask)."""
    st = frames.status
    keep = np.ones(len(st), dtype=bool)
    if filters.chips:
        keep &= st["chip"].isin(filters.chips).to_numpy()
    if filters.companies:
        chips = st["chip"].dropna().unique()
        vendor = {c: (frames.kb.chips.get(c) or frames.kb.architectures.get(c) or {}).get("vendor") for c in chips}
        keep &= st["chip"].map(vendor).isin(filters.companies).to_numpy()
    if filters.countries:
        keep &= (st["destination"].isin(filters.countries) | st["actor"].isin(filters.countries)).to_numpy()
    if filters.date_from:
        keep &= (st["date"].isna() | (st["date"] >= pd.Timestamp(filters.date_from))).to_numpy()
    if filters.date_to:
        keep &= (st["date"].isna() | (st["date"] < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1))).to_numpy()
    if mask is None:
        mask = (article_mask(frames, filters) if article_ids is None
                else frames.articles["id"].isin(article_ids).to_numpy())
    curated = (st["origin"] == "curated").to_numpy()
    keep &= curated | _rows_of(frames, st, mask)
    if filters.languages or filters.publishers:
        # Curated rows have no language or publisher: those facets keep article evidence only.
        keep &= ~curated
    return st[keep]


def apply_filters(frames: Frames, filters: Filters) -> Frames:
    """A new Frames holding only what passes the filters (chips table untouched).

    The article selection is computed here; each table is cut on first use (Frames is lazy)."""
    if filters.is_empty():
        return frames
    mask = article_mask(frames, filters)

    def keep(name: str) -> Callable[[], pd.DataFrame]:
        return lambda: (lambda df: df[_rows_of(frames, df, mask)])(getattr(frames, name))

    return Frames(
        articles=frames.articles[mask], mentions=keep("mentions"), quotes=keep("quotes"),
        stances=keep("stances"), claims=keep("claims"),
        status=lambda: filter_status(frames, filters, mask=mask), chips=frames.chips, kb=frames.kb,
        # No article_index: the codes of article_id count positions in the UNfiltered articles.
    )
