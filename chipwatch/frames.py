"""DataFrames over the store and the knowledge base, and the one Filters value
every view applies the same way.

Frames are read once (`load_frames`) and then filtered in memory; filtering
never touches the store, so the dashboard can cache the frames and re-filter
cheaply on every widget change.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Optional, Union

import pandas as pd

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


@dataclass
class Frames:
    """Every DataFrame the dashboard charts. Columns are documented in load_frames."""

    articles: pd.DataFrame
    mentions: pd.DataFrame
    quotes: pd.DataFrame
    stances: pd.DataFrame
    claims: pd.DataFrame
    status: pd.DataFrame
    chips: pd.DataFrame
    kb: KnowledgeBase = field(repr=False, default=None)

    @property
    def empty(self) -> bool:
        return self.articles.empty


ARTICLE_COLUMNS = ["id", "title", "published", "publisher", "language", "url", "source", "body", "flags"]


def _read(conn: sqlite3.Connection, sql: str) -> pd.DataFrame:
    return pd.read_sql_query(sql, conn)


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


def load_frames(db_path: Union[str, Path], kb: Optional[KnowledgeBase] = None) -> Frames:
    """Read the store at db_path into Frames (read-only; a missing or empty store gives empty frames;
    a file that is not a Chipwatch store of this schema version raises chipwatch.store.StoreError).

    articles: id, title, published (datetime64 or NaT), publisher, language, url, source, body, flags
    mentions: article_id, type, entity_id, surface, field, start, end
    quotes:   article_id, idx, speaker, speaker_text, kind, text, cue, start, end, stance, confidence, rule,
              speaker_type, affiliation, speaker_country, published, title, publisher
    stances:  article_id, idx, holder, holder_type, affiliation, holder_country, stance, reported_by,
              evidence, confidence, rule, published, title
    claims:   extracted status claims: article_id, chip, side, actor, destination, status, date, evidence
    status:   curated timeline + extracted claims: origin, date (datetime64), chip, side, actor,
              destination, status, evidence, source, article_id, event_id, uncertain
    chips:    the knowledge base's chip table
    """
    kb = kb or load_knowledge()
    db_path = Path(db_path)
    found = False
    if db_path.exists():
        uri = db_path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)
        try:
            # One read transaction: every table as of the same commit, so an ingest running
            # meanwhile never gives mentions of articles this read does not hold.
            conn.execute("BEGIN")
            found = check_schema(conn, db_path)
            if found:
                articles = _read(conn, "SELECT id, title, published, publisher, language, url, source, body, "
                                       "flags FROM articles")
                mentions = _read(conn, 'SELECT article_id, type, entity_id, surface, field, start, "end" '
                                       'FROM mentions')
                quotes = _read(conn, "SELECT * FROM quotes")
                stances = _read(conn, "SELECT * FROM stances")
                claims = _read(conn, "SELECT * FROM status_claims")
        finally:
            conn.close()
    if not found:  # no store, or an empty database (a store being created)
        articles = pd.DataFrame(columns=ARTICLE_COLUMNS)
        mentions = pd.DataFrame(columns=["article_id", "type", "entity_id", "surface", "field", "start", "end"])
        quotes = pd.DataFrame(columns=["article_id", "idx", "speaker", "speaker_text", "kind", "text", "cue",
                                       "start", "end", "stance", "confidence", "rule"])
        stances = pd.DataFrame(columns=["article_id", "idx", "holder", "stance", "reported_by", "evidence",
                                        "confidence", "rule", "quote_index"])
        claims = pd.DataFrame(columns=["article_id", "idx", "chip", "side", "actor", "destination", "status",
                                       "date", "evidence", "start", "end"])
    articles["published"] = pd.to_datetime(articles["published"], errors="coerce")
    meta = articles.set_index("id")[["published", "title", "publisher"]]

    def entity_info(ids: pd.Series, prefix: str) -> pd.DataFrame:
        info = {}
        for eid in ids.dropna().unique():
            if str(eid).startswith("anonymous:"):
                info[eid] = ("anonymous", None, None)
            else:
                info[eid] = (kb.type_of(eid), kb.affiliation(eid), kb.country_of(eid))
        cols = [f"{prefix}_type", "affiliation", f"{prefix}_country"]
        return pd.DataFrame([info.get(e, (None, None, None)) for e in ids], columns=cols, index=ids.index)

    quotes = pd.concat([quotes, entity_info(quotes["speaker"], "speaker")], axis=1)
    quotes = quotes.join(meta, on="article_id")
    stances = pd.concat([stances, entity_info(stances["holder"], "holder")], axis=1)
    stances = stances.join(meta, on="article_id")

    extracted = claims.assign(origin="article", uncertain=False, event_id=None)
    extracted = extracted.join(meta[["title"]], on="article_id")
    extracted["source"] = extracted["title"]
    curated = curated_status_frame(kb)
    status_cols = ["origin", "date", "chip", "side", "actor", "destination", "status", "evidence", "source",
                   "article_id", "event_id", "uncertain"]
    parts = [df[status_cols] for df in (curated, extracted) if not df.empty]
    status = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=status_cols)
    status["date"] = pd.to_datetime(status["date"], errors="coerce")
    return Frames(articles=articles, mentions=mentions, quotes=quotes, stances=stances, claims=claims,
                  status=status, chips=chips_frame(kb), kb=kb)


def _entity_article_ids(mentions: pd.DataFrame, etype: str, ids: set[str]) -> set:
    sel = mentions[(mentions["type"] == etype) & (mentions["entity_id"].isin(ids))]
    return set(sel["article_id"])


def matching_article_ids(frames: Frames, filters: Filters) -> pd.Index:
    """Ids of the articles that pass every facet of the filters.

    A company facet selects articles that mention the company or one of its chips.
    """
    arts = frames.articles
    mask = pd.Series(True, index=arts.index)
    if filters.date_from:
        mask &= arts["published"] >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        mask &= arts["published"] < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)
    if filters.languages:
        mask &= arts["language"].isin(filters.languages)
    if filters.publishers:
        mask &= arts["publisher"].isin(filters.publishers)
    ids = set(arts.loc[mask, "id"])
    m = frames.mentions
    if filters.companies:
        chips = {c for comp in filters.companies for c in frames.kb.chips_by_vendor(comp)}
        ids &= _entity_article_ids(m, "company", set(filters.companies)) | _entity_article_ids(m, "chip", chips)
    if filters.chips:
        ids &= _entity_article_ids(m, "chip", set(filters.chips)) | _entity_article_ids(
            m, "architecture", set(filters.chips))
    if filters.countries:
        ids &= _entity_article_ids(m, "country", set(filters.countries))
    return pd.Index(sorted(ids))


def filter_status(frames: Frames, filters: Filters, article_ids: Optional[pd.Index] = None) -> pd.DataFrame:
    """Status rows under the filters: curated rows by chip/company/country/date; extracted rows
    also only from articles that pass the filters."""
    st = frames.status
    mask = pd.Series(True, index=st.index)
    if filters.chips:
        mask &= st["chip"].isin(filters.chips)
    if filters.companies:
        vendor = st["chip"].map(lambda c: (frames.kb.chips.get(c) or frames.kb.architectures.get(c) or {}).get("vendor"))
        mask &= vendor.isin(filters.companies)
    if filters.countries:
        mask &= st["destination"].isin(filters.countries) | st["actor"].isin(filters.countries)
    if filters.date_from:
        mask &= st["date"].isna() | (st["date"] >= pd.Timestamp(filters.date_from))
    if filters.date_to:
        mask &= st["date"].isna() | (st["date"] < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1))
    if article_ids is None:
        article_ids = matching_article_ids(frames, filters)
    mask &= (st["origin"] == "curated") | st["article_id"].isin(article_ids)
    if filters.languages or filters.publishers:
        # Curated rows have no language or publisher: those facets keep article evidence only.
        mask &= st["origin"] != "curated"
    return st[mask]


def apply_filters(frames: Frames, filters: Filters) -> Frames:
    """A new Frames holding only what passes the filters (chips table untouched)."""
    if filters.is_empty():
        return frames
    ids = matching_article_ids(frames, filters)
    keep = lambda df: df[df["article_id"].isin(ids)]  # noqa: E731
    return Frames(
        articles=frames.articles[frames.articles["id"].isin(ids)],
        mentions=keep(frames.mentions), quotes=keep(frames.quotes), stances=keep(frames.stances),
        claims=keep(frames.claims), status=filter_status(frames, filters, ids), chips=frames.chips, kb=frames.kb,
    )
