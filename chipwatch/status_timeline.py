"""Who may sell which chip to whom, and since when: pure transforms of ``Frames.status``.

No plotting and no streamlit here; ``chipwatch/charts/status.py`` draws what these return.

Input: the status frame of :func:`chipwatch.frames.load_frames` (curated timeline + extracted
claims: origin, date, chip, side, actor, destination, status, evidence, source, article_id,
event_id, uncertain), optionally enriched by :func:`status_rows` with the article's publication
date (``reported``), title and URL.

How one status per (chip, side, destination) is chosen (the *precedence*):

1. **Architecture rows apply to their chips.** A row whose ``chip`` is an architecture id
   ("Blackwell stays banned") applies to the chips of that architecture in the knowledge base
   (``chips.architecture``): the generation's flagship datacenter parts. China-specific variants
   (``chips.china_variant_of`` set, e.g. B30A) and non-datacenter parts (e.g. the RTX Pro 6000D
   workstation card) are left out: they are built for the China market and get their own
   decisions, which a statement about "Blackwell" does not overrule. Asking for the architecture
   itself (``chip="Blackwell"``) gives the generation-wide rows only.
2. **Latest date wins.** A row counts from its decision date on (``date``, inclusive).
3. **On the same date**: a curated row beats article claims; a row naming the chip beats one
   naming its whole architecture; among several rows of that best kind, the status reported by
   the most distinct sources (articles or curated events) wins, and a tie goes to the more
   restrictive status (:data:`OPENNESS`), so the map never looks more open than the evidence.
4. **Undated article claims** (the extractor found no decision date) are not placed in time by
   their publication date when a dated decision exists: "H20 had been put under licence in April"
   in a July article must not overrule July's decision. They only fill the gap *before* the first
   dated decision of their (chip, side, destination), counted from the article's publication
   date (``date_basis == "reported"``), and they always appear in the evidence table.

Every result row keeps its evidence (the sentence or curated summary), source (curated URL or
article title), ``url``, origin, ``article_id`` and ``event_id`` so each status traces back.
"""
from __future__ import annotations

import weakref
from datetime import date, datetime
from typing import Callable, Iterable, Optional, Union

import numpy as np
import pandas as pd

from chipwatch.columns import map_distinct, take_or_missing
from chipwatch.knowledge import KnowledgeBase, load_knowledge

# Most to least open (the same order as chipwatch.charts.theme.STATUS_ORDER); ties go to the right.
OPENNESS: tuple[str, ...] = ("allowed", "conditional", "pending", "license_required", "discouraged", "banned")
SIDES: tuple[str, ...] = ("export", "import")
KEY = ["chip", "side", "destination"]

DateLike = Union[date, datetime, pd.Timestamp, str, None]

STATUS_COLUMNS = ["origin", "date", "chip", "side", "actor", "destination", "status", "evidence", "source",
                  "article_id", "event_id", "uncertain"]
# Columns of every event / as-of / evidence row (after the architecture expansion).
EVENT_COLUMNS = ["chip", "named_as", "scope", "side", "destination", "country", "status", "date", "reported",
                 "effective", "date_basis", "origin", "actor", "evidence", "source", "url", "title",
                 "article_id", "event_id", "uncertain"]


# -- inputs ----------------------------------------------------------------------------------------

def to_timestamp(value: DateLike) -> Optional[pd.Timestamp]:
    """A day as a midnight Timestamp (None for None/NaT/unparseable)."""
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if pd.isna(ts):
        return None
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def status_rows(frames) -> pd.DataFrame:
    """``frames.status`` plus what the evidence needs from the articles.

    Adds ``reported`` (the article's publication day, NaT for curated rows), ``title`` (article
    title) and ``url`` (the curated source URL, or the article's URL). ``frames`` is a
    :class:`chipwatch.frames.Frames`; its status may already be filtered.
    """
    status = frames.status
    articles = frames.articles
    return enrich_status(status, articles)


def enrich_status(status: pd.DataFrame, articles: Optional[pd.DataFrame] = None) -> pd.DataFrame:
    """Add ``reported``, ``title`` and ``url`` to a status frame (see :func:`status_rows`).

    Without ``articles`` an existing ``reported``/``title``/``url`` column is kept; otherwise the
    title is the article claim's ``source`` and undated claims get no publication day.
    """
    extra = [c for c in status.columns if c not in STATUS_COLUMNS]
    df = status.reindex(columns=STATUS_COLUMNS + extra)  # a new frame: pandas copies on write
    df["date"] = pd.to_datetime(df["date"], errors="coerce").dt.normalize()
    curated = df["origin"].eq("curated")
    none = pd.Series(None, index=df.index, dtype=object)
    if articles is not None and "id" in articles.columns and not articles.empty:
        meta, ids = _article_ids(articles)
        pos = _positions(df["article_id"], articles, ids)
        df["reported"] = take_or_missing(meta["published"], pos, df.index) if "published" in meta.columns else pd.NaT
        df["title"] = take_or_missing(meta["title"], pos, df.index) if "title" in meta.columns else none
        article_url = take_or_missing(meta["url"], pos, df.index) if "url" in meta.columns else none
    else:
        if "reported" not in df.columns:
            df["reported"] = pd.NaT
        if "title" not in df.columns:
            df["title"] = df["source"]
        article_url = df["url"] if "url" in df.columns else none
    df["reported"] = pd.to_datetime(df["reported"], errors="coerce").dt.normalize()
    df.loc[curated, "reported"] = pd.NaT
    df["title"] = df["title"].where(~curated, None)
    url = df["source"].where(curated, article_url)
    web = url.astype("str").str.startswith(("http://", "https://")).fillna(False).astype(bool)
    df["url"] = url.astype(object).where(web, None)
    df["uncertain"] = df["uncertain"].fillna(False).astype(bool)
    return df


def _article_ids(articles: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """(articles with unique ids, an Index of those ids), remembered per articles frame.

    The page passes the same (cached, never modified) articles frame on every rerun; building the
    id lookup table of 100k articles costs more than the rest of the enrichment.
    """
    def build():
        meta = articles.drop_duplicates("id") if not articles["id"].is_unique else articles
        return meta, pd.Index(meta["id"])
    return _remembered(articles, None, ("article ids",), build)


def _positions(ids: pd.Series, articles: pd.DataFrame, index: pd.Index) -> np.ndarray:
    """chipwatch.columns.positions_in(ids, index): where each id sits in the articles' ids, -1 if absent.

    The loaded frames' article_id is categorical over every article id, and every filtered status
    frame shares those categories: their positions are looked up once per (articles, categories).
    """
    if not isinstance(ids.dtype, pd.CategoricalDtype):
        return index.get_indexer(ids.astype(object))
    categories = ids.cat.categories
    known = _remembered(articles, None, ("category positions", id(categories)),
                        lambda: (categories, index.get_indexer(categories)))
    per_category = known[1] if known[0] is categories else index.get_indexer(categories)
    codes = ids.cat.codes.to_numpy()
    return np.where(codes >= 0, per_category[np.maximum(codes, 0)], -1)


def architecture_members(kb: Optional[KnowledgeBase] = None) -> dict[str, list[str]]:
    """Architecture id -> the chips a generation-wide row applies to (KB order); see the module docstring."""
    kb = kb or load_knowledge()
    members: dict[str, list[str]] = {}
    for chip_id, row in kb.chips.items():
        arch = row.get("architecture") or ""
        if arch not in kb.architectures:
            continue
        if row.get("china_variant_of") or (row.get("market") or "datacenter") != "datacenter":
            continue
        members.setdefault(arch, []).append(chip_id)
    return members


def chip_order(kb: Optional[KnowledgeBase] = None) -> list[str]:
    """Chip ids in the knowledge base's order, then architecture ids."""
    kb = kb or load_knowledge()
    return list(kb.chips) + [a for a in kb.architectures if a not in kb.chips]


def country_name(code: object, kb: Optional[KnowledgeBase] = None) -> str:
    kb = kb or load_knowledge()
    if not isinstance(code, str) or not code:
        return "—"
    return (kb.countries.get(code) or {}).get("name") or code


def events(status_df: pd.DataFrame, kb: Optional[KnowledgeBase] = None) -> pd.DataFrame:
    """Every status row placed in time, with architecture rows expanded (EVENT_COLUMNS).

    ``chip`` is the chip the row applies to, ``named_as`` what the row names (the chip or its
    architecture), ``scope`` "chip" or "architecture". ``effective`` is the day the row counts
    from: the decision date, or (``date_basis == "reported"``) the publication day of an undated
    claim that fills a gap before the first dated decision. Rows that cannot be placed are dropped
    here (they stay in :func:`evidence_rows`).
    """
    kb = kb or load_knowledge()
    return _remembered(status_df, kb, ("events",), lambda: _placed(_expanded_rows(status_df, kb)))


def _expanded_rows(status_df: pd.DataFrame, kb: KnowledgeBase) -> pd.DataFrame:
    """:func:`_expanded`, remembered per status frame (events and the evidence table both start there)."""
    return _remembered(status_df, kb, ("expanded",), lambda: _expanded(status_df, kb))


# A page asks for the events of one status frame six times per rerun (map, matrix, timeline,
# span, chips, ...), and for the same status as of a day twice (the map, the evidence's "On the
# map" marks): remember the last few results, per frame object. Safe because neither the status
# frames nor these results are ever modified in place (every function here filters or assigns).
# An entry whose frame is gone (the previous rerun's) is dropped, so old results do not pile up.
_MEMO: dict[tuple, tuple[weakref.ref, int, object]] = {}
_MEMO_SIZE = 32


def _remembered(frame: pd.DataFrame, kb: Optional[KnowledgeBase], what: tuple, compute: Callable[[], object]):
    """compute(), or its remembered result for (this frame object, kb, what)."""
    key = (id(frame), id(kb)) + what
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is frame and hit[1] == len(frame):
        return hit[2]
    value = compute()
    # list(...) copies the items in one step: sessions run in threads and may add entries meanwhile.
    for old in [k for k, (ref, _, _) in list(_MEMO.items()) if ref() is None]:
        _MEMO.pop(old, None)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = (weakref.ref(frame), len(frame), value)
    return value


def _expanded(status_df: pd.DataFrame, kb: Optional[KnowledgeBase]) -> pd.DataFrame:
    kb = kb or load_knowledge()
    df = status_df if "reported" in status_df.columns and "url" in status_df.columns else enrich_status(status_df)
    df = df[df["chip"].notna() & df["side"].notna() & df["destination"].notna() & df["status"].notna()]
    if df.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    members = architecture_members(kb)
    # The expansion is worked out on the chip column and row positions only, then every other column
    # is taken once: concatenating whole copies (a categorical over every article id among them)
    # cost far more than the rows themselves.
    names = df[["chip"]].assign(_pos=np.arange(len(df)))
    parts = []
    is_arch = df["chip"].isin(kb.architectures.keys()) & ~df["chip"].isin(kb.chips.keys())
    chip_rows = names[~is_arch].assign(named_as=names["chip"], scope="chip")
    parts.append(chip_rows)
    arch_rows = names[is_arch]
    if not arch_rows.empty:
        parts.append(arch_rows.assign(named_as=arch_rows["chip"], scope="architecture"))  # the generation itself
        for arch, chips in members.items():
            sel = arch_rows[arch_rows["chip"] == arch]
            for chip in chips:
                if not sel.empty:
                    parts.append(sel.assign(chip=chip, named_as=arch, scope="architecture"))
    expanded = pd.concat(parts, ignore_index=True)
    out = df.take(expanded["_pos"].to_numpy()).reset_index(drop=True)
    out = out.assign(chip=expanded["chip"], named_as=expanded["named_as"], scope=expanded["scope"])
    out["country"] = map_distinct(out["destination"], lambda c: country_name(c, kb))
    # Columns not there yet (effective, date_basis) as missing; assign + select, as reindex would,
    # without reindex's consolidation of every block.
    return out.assign(**{c: np.nan for c in EVENT_COLUMNS if c not in out.columns})[EVENT_COLUMNS]


def _placed(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df.reindex(columns=EVENT_COLUMNS).assign(effective=pd.Series(dtype="datetime64[us]"))
    dated = df["date"].notna()
    df = df.assign(date_basis="decision")  # a new frame: the expanded rows are shared (remembered)
    df.loc[~dated, "date_basis"] = "reported"
    df["effective"] = df["date"].where(dated, df["reported"])
    df = df[df["effective"].notna()]
    # Undated claims only count before the first dated decision of their key.
    decided = df["date_basis"] == "decision"
    first = df["effective"].where(decided).groupby([df[k] for k in KEY], sort=False).transform("min")
    df = df[decided | first.isna() | (df["effective"] < first)]
    df = df.assign(effective=pd.to_datetime(df["effective"]))
    return df.reset_index(drop=True)


def _restrictiveness(status: str) -> int:
    return OPENNESS.index(status) if status in OPENNESS else len(OPENNESS)


def resolve(ev: pd.DataFrame) -> pd.DataFrame:
    """One row per (chip, side, destination, effective day): the winner under the precedence rules.

    Adds ``reports`` (distinct sources giving the winning status that day) and ``conflicting``
    (distinct sources giving another status that day).
    """
    if ev.empty:
        return ev.assign(reports=pd.Series(dtype=int), conflicting=pd.Series(dtype=int))
    # The choice runs on a narrow frame (one row per ev row, at its position); the chosen rows are
    # taken whole at the end. Filtering and sorting thousands of rows with all their text columns
    # cost most of the time, three times per page rerun.
    curated = ev["origin"].eq("curated").to_numpy()
    work = pd.DataFrame({
        "_group": ev.groupby(KEY + ["effective"], sort=False).ngroup().to_numpy(),
        # curated first, then rows naming the chip itself
        "_tier": (~curated).astype(int) * 2 + ev["scope"].ne("chip").to_numpy().astype(int),
        "_source": _source_ids(ev, curated),
        "status": ev["status"].to_numpy(dtype=object),
        "event_id": ev["event_id"].array,
        "article_id": ev["article_id"].array,
    })
    best = work[work["_tier"] == work.groupby("_group")["_tier"].transform("min")]
    votes = best.groupby(["_group", "status"])["_source"].nunique().rename("_votes").reset_index()
    votes["_restrict"] = map_distinct(votes["status"], _restrictiveness).astype(int)
    votes = votes.sort_values(["_group", "_votes", "_restrict"], ascending=[True, False, False], kind="stable")
    winner = votes.drop_duplicates("_group").set_index("_group")["status"]
    best = best[best["status"].to_numpy() == best["_group"].map(winner).to_numpy()]
    chosen = best.sort_values(["_group", "event_id", "article_id"], na_position="last", kind="stable")
    chosen = chosen.drop_duplicates("_group")
    sources = work[["_group", "status", "_source"]].drop_duplicates()
    agrees = sources["status"].to_numpy() == sources["_group"].map(winner).to_numpy()
    reports = chosen["_group"].map(sources[agrees].groupby("_group")["_source"].nunique()).fillna(0)
    conflicting = chosen["_group"].map(sources[~agrees].groupby("_group")["_source"].nunique()).fillna(0)
    out = ev.iloc[chosen.index.to_numpy()].assign(reports=reports.astype(int).to_numpy(),
                                                  conflicting=conflicting.astype(int).to_numpy())
    return out.sort_values(KEY + ["effective"]).reset_index(drop=True)


def _source_ids(ev: pd.DataFrame, curated: np.ndarray) -> np.ndarray:
    """A number per distinct source of each row, NaN when its id is missing: the sources a day's
    votes count are curated events (``event_id``) and articles (``article_id``), told apart by the
    id as text. Numbers instead of "event:<id>" / "article:<id>" strings: a claim's article_id is
    categorical over every article id, and turning it into text cost milliseconds per call."""
    events = _text_codes(ev["event_id"])
    articles = _text_codes(ev["article_id"])
    offset = np.nanmax(events, initial=-1) + 1  # article numbers after event numbers
    return np.where(curated, events, articles + offset)


def _text_codes(ids: pd.Series) -> np.ndarray:
    """Equal numbers for equal str(id), NaN for a missing id."""
    if isinstance(ids.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(ids.cat.categories):
        codes = ids.cat.codes.to_numpy()  # categories are distinct strings already
    else:
        codes = pd.factorize(ids.astype(str))[0]
    return np.where(codes >= 0, codes, np.nan)


def _select_chip(ev: pd.DataFrame, chip: Optional[str], kb: KnowledgeBase) -> pd.DataFrame:
    """Rows for one chip (a chip id, or an architecture id for its generation-wide rows);
    None: every chip (an architecture's own rows only when it has no member chips)."""
    return ev[_chip_mask(ev, chip, kb)]


def _chip_mask(ev: pd.DataFrame, chip: Optional[str], kb: KnowledgeBase) -> pd.Series:
    """The rows :func:`_select_chip` keeps."""
    if chip is not None:
        if chip in kb.architectures and chip not in kb.chips:
            return (ev["chip"] == chip) & (ev["named_as"] == chip)
        return ev["chip"] == chip
    members = architecture_members(kb)
    return ~ev["chip"].isin([a for a, m in members.items() if m])


def _check_side(side: Optional[str]) -> None:
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be one of {SIDES} or None, not {side!r}")


# -- public transforms -------------------------------------------------------------------------------

def status_as_of(status_df: pd.DataFrame, chip: str, when: DateLike, side: str,
                 *, kb: Optional[KnowledgeBase] = None) -> pd.DataFrame:
    """Per destination, the status of ``chip`` on the ``side`` in force on ``when`` (inclusive).

    ``when`` None means no limit (the latest status). Returns one row per destination, sorted by
    country name, with EVENT_COLUMNS plus ``reports`` and ``conflicting`` (see :func:`resolve`);
    ``effective`` is the day the status took effect. Empty (same columns) when nothing is known.
    """
    _check_side(side)
    kb = kb or load_knowledge()
    cutoff = to_timestamp(when)
    shown = _remembered(status_df, kb, ("as_of", chip, cutoff, side),
                        lambda: _status_as_of(status_df, chip, cutoff, side, kb))
    # A shallow copy: the caller may add columns without touching the remembered frame (copy on write).
    return shown.copy(deep=False)


def _decided(status_df: pd.DataFrame, kb: KnowledgeBase,
             select: Callable[[pd.DataFrame], pd.DataFrame]) -> pd.DataFrame:
    """resolve(select(events(status_df))), where ``select`` keeps some chips, a side, days up to a date.

    Every event is resolved once per status frame and ``select`` is applied to that: resolve decides
    each (chip, side, destination, day) from that day's rows alone, and these selections keep or
    drop whole days of a key, so selecting after resolving gives the same rows in the same order
    (key, day). The page makes three selections per rerun (map, timeline, matrix).
    """
    resolved = _remembered(status_df, kb, ("resolved",), lambda: resolve(events(status_df, kb)))
    rows = select(resolved)
    if rows.empty:  # exactly what resolve() gives for nothing (its empty index included)
        return resolve(select(events(status_df, kb)))
    return rows.reset_index(drop=True)


def _on_side(ev: pd.DataFrame, side: Optional[str]) -> pd.DataFrame:
    return ev if side is None else ev[ev["side"] == side]


def _up_to(ev: pd.DataFrame, cutoff: Optional[pd.Timestamp]) -> pd.DataFrame:
    return ev if cutoff is None else ev[ev["effective"] <= cutoff]


def _status_as_of(status_df: pd.DataFrame, chip: str, cutoff: Optional[pd.Timestamp], side: str,
                  kb: KnowledgeBase) -> pd.DataFrame:
    resolved = _decided(status_df, kb, lambda ev: _up_to(_on_side(_select_chip(ev, chip, kb), side), cutoff))
    if resolved.empty:
        return resolved.reindex(columns=EVENT_COLUMNS + ["reports", "conflicting"])
    latest = resolved.sort_values("effective").groupby("destination", sort=False).tail(1)
    latest = latest.assign(chip=chip)
    return latest.sort_values(["country", "destination"]).reset_index(drop=True)


def status_matrix(status_df: pd.DataFrame, when: DateLike, side: str, chips: Optional[Iterable[str]] = None,
                  *, kb: Optional[KnowledgeBase] = None, long: bool = False) -> pd.DataFrame:
    """Chip x destination: the status in force on ``when`` on ``side``.

    Wide (default): index ``chip`` (KB order, or the order of ``chips``), columns destination
    ISO-3 codes (most decided first, then by name), cells status ids or None. Without ``chips``
    only chips and destinations with a status appear; given ``chips`` are kept even when empty.
    ``long=True`` gives the same cells as rows (chip, destination, country, status, effective,
    evidence, origin, ...), which the figure uses for its hover.
    """
    _check_side(side)
    kb = kb or load_knowledge()
    wanted = list(dict.fromkeys(chips)) if chips is not None else None
    cutoff = to_timestamp(when)
    if wanted is None:
        resolved = _decided(status_df, kb, lambda ev: _up_to(_select_chip(_on_side(ev, side), None, kb), cutoff))
    else:
        ev = events(status_df, kb)
        ev = ev[ev["side"] == side]
        ev = pd.concat([_select_chip(ev, c, kb).assign(chip=c) for c in wanted], ignore_index=True) \
            if wanted else ev.iloc[0:0]
        if cutoff is not None:
            ev = ev[ev["effective"] <= cutoff]
        resolved = resolve(ev)
    if not resolved.empty:
        resolved = resolved.sort_values("effective").groupby(["chip", "destination"], sort=False).tail(1)
    if long:
        order = {c: i for i, c in enumerate(wanted if wanted is not None else chip_order(kb))}
        cells = resolved.assign(_o=resolved["chip"].map(lambda c: order.get(c, len(order))))
        return cells.sort_values(["_o", "country"]).drop(columns="_o").reset_index(drop=True)
    rows = wanted if wanted is not None else [c for c in chip_order(kb) if c in set(resolved["chip"])]
    rows += [c for c in sorted(set(resolved["chip"])) if c not in rows] if wanted is None else []
    if resolved.empty:
        return pd.DataFrame(index=pd.Index(rows, name="chip"), columns=pd.Index([], name="destination"),
                            dtype=object)
    counts = resolved.groupby("destination").size()
    names = resolved.drop_duplicates("destination").set_index("destination")["country"]
    cols = sorted(counts.index, key=lambda d: (-counts[d], names[d], d))
    wide = resolved.pivot(index="chip", columns="destination", values="status")
    wide = wide.reindex(index=rows, columns=cols).astype(object)
    wide = wide.where(wide.notna(), None)
    wide.index.name, wide.columns.name = "chip", "destination"
    return wide


def status_periods(status_df: pd.DataFrame, chip: Optional[str] = None, side: Optional[str] = None,
                   *, kb: Optional[KnowledgeBase] = None, today: DateLike = None) -> pd.DataFrame:
    """Spans of one status per (chip, destination, side), for a timeline.

    Columns: chip, destination, country, side, status, start, end (the next change, or ``today``
    for the status still in force), ongoing, decisions (dated rows within the span that gave this
    status, the first one included), evidence / source / url / origin / article_id / event_id /
    named_as / date_basis / uncertain of the row that started the span. Consecutive decisions
    with the same status extend one span. Sorted by chip (KB order), country, side, start.
    """
    _check_side(side)
    kb = kb or load_knowledge()
    today_ts = to_timestamp(today) or pd.Timestamp.today().normalize()
    columns = ["chip", "destination", "country", "side", "status", "start", "end", "ongoing", "decisions",
               "evidence", "source", "url", "title", "origin", "actor", "article_id", "event_id", "named_as",
               "scope", "date_basis", "uncertain"]
    resolved = _decided(status_df, kb, lambda ev: _on_side(_select_chip(ev, chip, kb), side))  # by key, day
    if resolved.empty:
        return pd.DataFrame(columns=columns).astype({"start": "datetime64[us]", "end": "datetime64[us]"})
    rows = _spans(resolved, columns, today_ts)
    out = pd.DataFrame(rows, columns=columns)
    if chip is not None:
        out["chip"] = chip
    order = {c: i for i, c in enumerate(chip_order(kb))}
    out["_o"] = out["chip"].map(lambda c: order.get(c, len(order)))
    side_order = {s: i for i, s in enumerate(SIDES)}
    out["_s"] = out["side"].map(side_order)
    out = out.sort_values(["_o", "chip", "country", "_s", "start"]).drop(columns=["_o", "_s"])
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out["decisions"] = out["decisions"].astype(int)
    return out.reset_index(drop=True)


def _spans(resolved: pd.DataFrame, columns: list[str], today: pd.Timestamp) -> list[list]:
    """The spans of :func:`status_periods` as rows of Python values (``columns`` order).

    ``resolved`` is sorted by key and day. A span starts at a row whose key or status differs from
    the row before; it takes that row's values, counts its rows as ``decisions`` and ends where the
    next span of its key starts, or (the last span of its key, still in force) at ``today`` (never
    before its start). Found with array comparisons: a chip has thousands of resolved days at 100k.
    """
    n = len(resolved)
    new_key = np.zeros(n, dtype=bool)
    new_key[0] = True
    for k in KEY:
        values = resolved[k].to_numpy(dtype=object)
        new_key[1:] |= values[1:] != values[:-1]
    status = resolved["status"].to_numpy(dtype=object)
    new_span = new_key.copy()
    new_span[1:] |= status[1:] != status[:-1]
    starts = np.flatnonzero(new_span)
    decisions = np.diff(np.append(starts, n))
    # The span after each one, if it continues the same key, ends it.
    continued = np.append(~new_key[starts[1:]], False).tolist()
    first = resolved.iloc[starts]
    values = {c: first[c].tolist() for c in columns if c in first.columns}
    start = first["effective"].tolist()
    values["start"] = start
    values["end"] = [start[i + 1] if cont else max(today, start[i]) for i, cont in enumerate(continued)]
    values["ongoing"] = [not cont for cont in continued]
    values["decisions"] = decisions.tolist()
    missing = [None] * len(starts)
    return [list(r) for r in zip(*(values.get(c, missing) for c in columns))]


def evidence_rows(status_df: pd.DataFrame, chip: str, when: DateLike = None, side: Optional[str] = None,
                  *, kb: Optional[KnowledgeBase] = None, countries: Optional[Iterable[str]] = None) -> pd.DataFrame:
    """Every row behind ``chip``'s status (its own and its architecture's).

    Sorted: dated decisions newest first (on each day the rows the map uses first), then
    undated article claims by publication day.

    Dated rows on or before ``when``; undated article claims whose article was published on or
    before ``when`` (they are evidence even when they do not set a status). ``counts`` marks the
    rows that set a status shown by :func:`status_as_of` for that side and day. ``countries``
    (ISO-3) narrows to destinations.
    """
    _check_side(side)
    kb = kb or load_knowledge()
    # One mask, one filter: each filter copies every column of thousands of rows.
    expanded = _expanded_rows(status_df, kb)
    keep = _chip_mask(expanded, chip, kb)
    if side is not None:
        keep &= expanded["side"] == side
    cutoff = to_timestamp(when)
    if cutoff is not None:
        day = expanded["date"].where(expanded["date"].notna(), expanded["reported"])
        keep &= day.isna() | (day <= cutoff)
    if countries:
        keep &= expanded["destination"].isin(list(countries))
    rows = expanded[keep].assign(counts=False)
    sides = [side] if side is not None else list(SIDES)
    day = rows["date"].where(rows["date"].notna(), rows["reported"])
    keys = ["destination", "status", "origin", "named_as", "effective"]
    mine = None
    for s in sides:
        shown = status_as_of(status_df, chip, when, s, kb=kb)
        if shown.empty:
            continue
        # A row counts when it is the one the map shows: same values (compared as text) as a winner.
        if mine is None:
            mine = pd.MultiIndex.from_frame(rows.assign(effective=day)[keys].astype(str))
        hit = mine.isin(list(map(tuple, shown[keys].astype(str).to_numpy())))
        rows.loc[(rows["side"] == s).to_numpy() & hit, "counts"] = True
    # Dated decisions first, newest first, the row the map uses on top of its day; then undated claims.
    rows["_undated"] = rows["date"].isna()
    rows["_day"] = rows["date"].where(rows["date"].notna(), rows["reported"])
    rows = rows.sort_values(["_undated", "_day", "counts", "origin", "country"],
                            ascending=[True, False, False, True, True], na_position="last", kind="stable")
    return rows.drop(columns=["_undated", "_day"]).reset_index(drop=True)


def date_span(status_df: pd.DataFrame, *, kb: Optional[KnowledgeBase] = None) -> tuple[Optional[date], Optional[date]]:
    """(first, last) day a status takes effect in the rows; (None, None) when none can be placed."""
    ev = events(status_df, kb)
    if ev.empty:
        return None, None
    return ev["effective"].min().date(), ev["effective"].max().date()


def chips_with_status(status_df: pd.DataFrame, *, kb: Optional[KnowledgeBase] = None) -> list[str]:
    """Chip ids that have a status (directly or through their architecture), KB order, then
    architecture ids that have generation-wide rows."""
    kb = kb or load_knowledge()
    ev = events(status_df, kb)
    present = set(ev["chip"].unique().tolist())
    return [c for c in chip_order(kb) if c in present] + sorted(present - set(chip_order(kb)))
