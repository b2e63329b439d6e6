"""Pure transforms behind the Overview and Articles pages (no plotting, no streamlit).

Overview: headline figures, article volume over time (day/week/month, counts or
share by language/publisher), the most-mentioned entities (distinct articles,
display names) and the latest status changes.
Articles: text search and what one article's view shows (entities grouped by
type, quotes, stances, status claims, flags in words).

Every function takes DataFrames from `chipwatch.frames` (and the knowledge base
for display names) and returns plain values or DataFrames whose columns are
documented in the docstring; labels are words an analyst reads, never codes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Optional

import pandas as pd

from chipwatch.charts.theme import STANCE_LABELS, STATUS_LABELS  # the one vocabulary of words
from chipwatch.columns import map_distinct

# -- vocabularies ----------------------------------------------------------------------------------

LANGUAGE_NAMES = {"ko": "Korean", "en": "English", "zh": "Chinese", "ja": "Japanese", "other": "Other"}
GRANULARITIES = {"day": "Day", "week": "Week", "month": "Month"}
BREAKDOWNS = {"language": "Language", "publisher": "Publisher"}
MEASURES = {"count": "Article count", "share": "Share of articles"}
ENTITY_TYPE_LABELS = {
    "chip": "Chip", "architecture": "Architecture", "company": "Company", "country": "Country",
    "person": "Person", "organization": "Organisation",
}
ENTITY_TYPE_PLURALS = {
    "chip": "chips", "architecture": "architectures", "company": "companies", "country": "countries",
    "person": "people", "organization": "organisations",
}
SIDE_LABELS = {"export": "Export", "import": "Import"}
KIND_LABELS = {"direct": "Direct", "indirect": "Indirect"}
UNKNOWN_PUBLISHER = "Publisher unknown"
OTHER_PUBLISHERS = "Other publishers"


def language_name(code) -> str:
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return "Unknown"
    return LANGUAGE_NAMES.get(str(code), str(code))


def format_count(n) -> str:
    """1234 -> '1,234' (integers only; None/NaN -> '—')."""
    if n is None or (isinstance(n, float) and pd.isna(n)):
        return "—"
    return f"{int(n):,}"


def compact_count(n) -> str:
    """A count that fits a narrow card: exact below 10,000 ('9,999'), then '23.0k', '423k', '1.2M'."""
    if n is None or (isinstance(n, float) and pd.isna(n)):
        return "—"
    n = int(n)
    if abs(n) < 10_000:
        return f"{n:,}"
    if abs(n) < 100_000:
        return f"{n / 1000:.1f}k"
    if abs(n) < 1_000_000:
        return f"{n / 1000:.0f}k"
    return f"{n / 1_000_000:.1f}M"


# -- display names ---------------------------------------------------------------------------------

def display_name(entity_id, kb=None) -> str:
    """What an analyst reads for an id: 'China' for CHN, 'anonymous source (Reuters)', ids otherwise."""
    if entity_id is None or (isinstance(entity_id, float) and pd.isna(entity_id)) or entity_id == "":
        return ""
    eid = str(entity_id)
    if eid.startswith("anonymous:"):
        outlet = eid.split(":", 1)[1]
        return "Anonymous source" + (f" ({outlet})" if outlet and outlet != "unknown" else "")
    if kb is not None:
        row = kb.countries.get(eid)
        if row and row.get("name"):
            return row["name"]
    return eid


def country_name(code, kb=None) -> str:
    return display_name(code, kb) or "—"


# -- headline figures ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    articles: int
    publishers: int
    languages: int
    first: Optional[pd.Timestamp]
    last: Optional[pd.Timestamp]
    undated: int
    chips: int
    countries: int
    quotes: int

    @property
    def span_days(self) -> Optional[int]:
        if self.first is None or self.last is None:
            return None
        return int((self.last - self.first).days) + 1

    def span_text(self, short: bool = False) -> str:
        """'2022-09-01 – 2026-05-14', short: 'Sep 2022 – May 2026' (or '—' with no dated article)."""
        if self.first is None:
            return "—"
        fmt = "%b %Y" if short else "%Y-%m-%d"
        first, last = self.first.strftime(fmt), self.last.strftime(fmt)
        return first if first == last else f"{first} – {last}"

    def span_length(self) -> str:
        """'1,352 days' under two years, else '3.7 years' ('—' with no dated article)."""
        days = self.span_days
        if days is None:
            return "—"
        if days < 730:
            return f"{days:,} day{'s' if days != 1 else ''}"
        return f"{days / 365.25:.1f} years"

    def span_help(self) -> str:
        """'2022-09-01 – 2026-05-14: 1,352 days (about 3.7 years); 1 article without a date'."""
        days = self.span_days
        parts = []
        if days is not None:
            span = f"{self.span_text()}: " + (f"{days:,} day{'s' if days != 1 else ''}" if days < 730
                                              else f"{days:,} days (about {days / 365.25:.1f} years)")
            parts.append(span)
        if self.undated:
            parts.append(f"{self.undated:,} article{'s' if self.undated != 1 else ''} without a date")
        return "; ".join(parts)


def headline(frames) -> Headline:
    """Counts under the (already filtered) frames; chips and countries are distinct ids mentioned."""
    arts = frames.articles
    published = arts["published"].dropna() if "published" in arts.columns else pd.Series([], dtype="datetime64[ns]")
    m = frames.mentions

    def distinct(etype: str) -> int:
        if m.empty:
            return 0
        return int(m.loc[m["type"] == etype, "entity_id"].nunique())

    return Headline(
        articles=len(arts),
        publishers=int(arts["publisher"].dropna().nunique()) if not arts.empty else 0,
        languages=int(arts["language"].dropna().nunique()) if not arts.empty else 0,
        first=published.min() if not published.empty else None,
        last=published.max() if not published.empty else None,
        undated=int(arts["published"].isna().sum()) if not arts.empty else 0,
        chips=distinct("chip"),
        countries=distinct("country"),
        quotes=len(frames.quotes),
    )


# -- volume over time -----------------------------------------------------------------------------

def period_start(published: pd.Series, granularity: str) -> pd.Series:
    """The first day of each date's period: the day, the Monday of its week, the 1st of its month."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {list(GRANULARITIES)}, not {granularity!r}")
    s = pd.to_datetime(published)
    if granularity == "day":
        return s.dt.normalize()
    if granularity == "week":
        return s.dt.normalize() - pd.to_timedelta(s.dt.day_of_week, unit="D")
    return s.dt.to_period("M").dt.start_time


def _all_periods(first: pd.Timestamp, last: pd.Timestamp, granularity: str) -> pd.DatetimeIndex:
    freq = {"day": "D", "week": "W-MON", "month": "MS"}[granularity]
    return pd.date_range(first, last, freq=freq)


def group_labels(articles: pd.DataFrame, breakdown: Optional[str], max_groups: int = 7) -> pd.Series:
    """Each article's group label: the language's name, or the publisher (all but the top
    `max_groups` publishers folded into 'Other publishers'); a constant 'Articles' without breakdown."""
    if breakdown is None:
        return pd.Series("Articles", index=articles.index, dtype=object)
    if breakdown == "language":
        return map_distinct(articles["language"], language_name)
    if breakdown == "publisher":
        pub = articles["publisher"].astype(object).where(articles["publisher"].notna(), UNKNOWN_PUBLISHER)
        pub = pub.where(pub.astype(str).str.strip() != "", UNKNOWN_PUBLISHER)
        counts = pub.value_counts()
        ranked = sorted(counts.index, key=lambda p: (-counts[p], str(p).casefold()))
        keep = set(ranked[:max_groups]) if len(ranked) > max_groups + 1 else set(ranked)
        return pub.where(pub.isin(keep), OTHER_PUBLISHERS)
    raise ValueError(f"breakdown must be None or one of {list(BREAKDOWNS)}, not {breakdown!r}")


VOLUME_COLUMNS = ["period", "group", "articles", "share", "period_total"]


def volume(articles: pd.DataFrame, granularity: str = "month", breakdown: Optional[str] = None,
           max_groups: int = 7) -> pd.DataFrame:
    """Articles per period (and group), one row per (period, group).

    Columns: period (Timestamp, the period's first day), group (label), articles (int),
    share (articles / period_total, NaN when the period has no article), period_total (int).
    Every period between the first and the last dated article is present (zero counts
    included) so gaps show as gaps; undated articles are left out. Groups are ordered
    largest first (the 'Other publishers' group last).
    """
    dated = articles[articles["published"].notna()] if not articles.empty else articles
    if dated.empty:
        return pd.DataFrame(columns=VOLUME_COLUMNS)
    periods = period_start(dated["published"], granularity)
    groups = group_labels(dated, breakdown, max_groups)
    counts = pd.DataFrame({"period": periods.values, "group": groups.values}).value_counts().rename("articles")
    totals_by_group = counts.groupby(level="group").sum()
    order = sorted(totals_by_group.index,
                   key=lambda g: (g in (OTHER_PUBLISHERS, UNKNOWN_PUBLISHER), -totals_by_group[g], str(g)))
    full = _all_periods(periods.min(), periods.max(), granularity)
    index = pd.MultiIndex.from_product([full, order], names=["period", "group"])
    out = counts.reindex(index, fill_value=0).reset_index()
    out["articles"] = out["articles"].astype(int)
    out["period_total"] = out.groupby("period")["articles"].transform("sum").astype(int)
    out["share"] = (out["articles"] / out["period_total"].where(out["period_total"] > 0)).astype(float)
    return out[VOLUME_COLUMNS]


def period_label(period: pd.Timestamp, granularity: str) -> str:
    if granularity == "month":
        return period.strftime("%b %Y")
    if granularity == "week":
        return f"Week of {period:%Y-%m-%d}"
    return period.strftime("%Y-%m-%d")


# -- most-mentioned entities ------------------------------------------------------------------------

TOP_COLUMNS = ["entity_id", "label", "articles"]


def top_entities(mentions: pd.DataFrame, etype: str, kb=None, n: int = 10) -> pd.DataFrame:
    """The `n` entities of a type mentioned in the most distinct articles.

    Columns: entity_id, label (display name: 'China' for CHN), articles (distinct articles).
    Sorted by articles (descending), then label.
    """
    if mentions.empty:
        return pd.DataFrame(columns=TOP_COLUMNS)
    sel = mentions.loc[mentions["type"] == etype, ["article_id", "entity_id"]].dropna().drop_duplicates()
    if sel.empty:
        return pd.DataFrame(columns=TOP_COLUMNS)
    counts = sel.groupby("entity_id")["article_id"].nunique()
    out = pd.DataFrame({"entity_id": counts.index.astype(str), "articles": counts.values.astype(int)})
    out["label"] = out["entity_id"].map(lambda e: display_name(e, kb))
    out = out.sort_values(["articles", "label"], ascending=[False, True])
    return out.head(n)[TOP_COLUMNS].reset_index(drop=True)


def articles_mentioning(mentions: pd.DataFrame, selections: dict[str, Iterable[str]]) -> Optional[set]:
    """Ids of articles that mention, for every type in `selections`, at least one of its ids.

    `selections` maps an entity type to the selected ids ({'chip': ['H200'], 'country': ['CHN']}).
    Returns None when nothing is selected (no narrowing).
    """
    chosen = {t: set(ids) for t, ids in selections.items() if ids}
    if not chosen:
        return None
    result: Optional[set] = None
    for etype, ids in chosen.items():
        hit = set(mentions.loc[(mentions["type"] == etype) & mentions["entity_id"].isin(ids), "article_id"])
        result = hit if result is None else result & hit
    return result or set()


# -- latest status changes -------------------------------------------------------------------------

STATUS_CHANGE_COLUMNS = ["date", "chip", "side", "actor", "destination", "status", "previous", "route", "change",
                         "reports", "evidence", "origin", "source_url", "article", "article_id"]
_KEY = ["chip", "side", "actor", "destination"]


def _day_statuses(df: pd.DataFrame) -> pd.DataFrame:
    """The one row that stands for each (key, day), with `reports`: the curated row when the day
    has one (the last listed), else the first article claim with the day's most reported status
    (ties: the status reported first). reports = rows that day giving the picked status.

    df: rows with _key, date, origin, status and _row (their listed order). Vectorised: at 100k
    articles there are tens of thousands of (key, day) groups."""
    df = df.sort_values("_row", kind="stable")
    gid = df.groupby(["_key", "date"], sort=False).ngroup().to_numpy()
    rows = df["_row"].to_numpy()
    status = df["status"].astype(object).to_numpy()
    per_status = pd.DataFrame({"gid": gid, "status": status, "_row": rows}).groupby(
        ["gid", "status"], sort=False).agg(n=("_row", "size"), first=("_row", "min")).reset_index()
    # Days without a curated row: the most reported status, the earliest listed on a tie.
    best = per_status.sort_values(["gid", "n", "first"], ascending=[True, False, True], kind="stable")
    best = best.drop_duplicates("gid").set_index("gid")["first"]
    curated = pd.Series(rows[(df["origin"] == "curated").to_numpy()],
                        index=gid[(df["origin"] == "curated").to_numpy()]).groupby(level=0).max()
    pick = best.copy()
    pick.loc[curated.index] = curated.values
    daily = df.set_index("_row", drop=False).loc[pick.values].copy()
    counts = per_status.set_index(["gid", "status"])["n"]
    daily["reports"] = counts.reindex(pd.MultiIndex.from_arrays([pick.index, daily["status"].astype(object)])).values
    return daily.reset_index(drop=True)


def latest_status_changes(status: pd.DataFrame, kb=None, n: int = 15) -> pd.DataFrame:
    """The newest status changes, newest first (at most `n`).

    For each (chip, side, actor, destination) the rows are read day by day: a day's status is
    the curated timeline's when it has a row that day, else the status most article claims
    report that day. A change is a day whose status differs from the previous day's status
    for that key (the first report counts as a change). Undated rows are left out.

    Columns (display values): date (Timestamp), chip, side ('Export'/'Import'), actor and
    destination (country names), status and previous (status words; previous '' for a
    first report), route ('United States → China'), change ('Pending → Allowed' or
    'Allowed (first report)'), reports (rows that day reporting that status), evidence, origin
    ('Curated timeline'/'Article'), source_url (the curated row's URL, else None),
    article (the article's title for an article claim, else None), article_id.
    """
    if status.empty:
        return pd.DataFrame(columns=STATUS_CHANGE_COLUMNS)
    df = status[status["date"].notna()].copy()
    if df.empty:
        return pd.DataFrame(columns=STATUS_CHANGE_COLUMNS)
    # One integer per (chip, side, actor, destination); a missing part is a value of its own.
    df["_key"] = df.groupby(_KEY, sort=False, dropna=False).ngroup().to_numpy()
    df["_row"] = range(len(df))
    daily = _day_statuses(df).sort_values(["date", "_row"], kind="stable")
    daily["_previous"] = daily.groupby("_key")["status"].shift(1)
    changed = daily[daily["_previous"].isna() | (daily["_previous"] != daily["status"])]
    changed = changed.iloc[::-1].head(n)  # newest first
    curated = changed["origin"] == "curated"
    out = pd.DataFrame({
        "date": pd.to_datetime(changed["date"]).values,
        "chip": changed["chip"].astype(object).values,
        "side": changed["side"].map(lambda s: SIDE_LABELS.get(s, s)).values,
        "actor": changed["actor"].map(lambda c: country_name(c, kb)).values,
        "destination": changed["destination"].map(lambda c: country_name(c, kb)).values,
        "status": changed["status"].map(lambda s: STATUS_LABELS.get(s, s)).values,
        "previous": changed["_previous"].map(lambda s: STATUS_LABELS.get(s, s) if isinstance(s, str) else "").values,
        "reports": changed["reports"].astype(int).values,
        "evidence": changed["evidence"].astype(object).values,
        "origin": curated.map({True: "Curated timeline", False: "Article"}).values,
        "source_url": changed["source"].where(curated, None).astype(object).values,
        "article": changed["source"].where(~curated, None).astype(object).values,
        "article_id": changed["article_id"].astype(object).values,
    })
    out["source_url"] = out["source_url"].map(
        lambda u: u if isinstance(u, str) and u.startswith(("http://", "https://")) else None)
    out["route"] = [f"{a} → {d}" for a, d in zip(out["actor"], out["destination"])]
    out["change"] = [f"{p} → {s}" if p else f"{s} (first report)" for p, s in zip(out["previous"], out["status"])]
    return out[STATUS_CHANGE_COLUMNS]


# -- Articles page ---------------------------------------------------------------------------------

def search_articles(articles: pd.DataFrame, query: str) -> pd.DataFrame:
    """Articles whose title, body or publisher holds every word of `query` (case-insensitive).

    A phrase in double quotes must appear as written ('"state data centres"'). An empty query keeps all.
    In memory, for frames that carry the text; the dashboard's frames do not, and search the store
    with chipwatch.reader.search_article_ids (same rule).
    """
    terms = _terms(query)
    if not terms or articles.empty:
        return articles
    body = articles["body"].fillna("").astype(str) if "body" in articles.columns else ""
    hay = (articles["title"].fillna("").astype(str) + "\n" + body + "\n"
           + articles["publisher"].fillna("").astype(str)).str.casefold()
    mask = pd.Series(True, index=articles.index)
    for term in terms:
        mask &= hay.str.contains(term.casefold(), regex=False)
    return articles[mask]


def search_terms(query: str) -> list[str]:
    """The words and "quoted phrases" of a search, each to be found as written (case-insensitive)."""
    return _terms(query)


def _terms(query: str) -> list[str]:
    query = (query or "").strip()
    terms: list[str] = []
    parts = query.split('"')
    for i, part in enumerate(parts):
        if i % 2 == 1:  # inside quotes
            if part.strip():
                terms.append(part.strip())
        else:
            terms.extend(part.split())
    return terms


def article_counts(frames) -> pd.DataFrame:
    """Per article id: entities (distinct), quotes, claims (ints, 0 when none).

    Read from the articles frame's n_entities / n_quotes / n_claims (the store's article index)
    when it has them; counted from the other frames otherwise (hand-made frames in tests)."""
    arts = frames.articles
    ids = arts["id"]
    if {"n_entities", "n_quotes", "n_claims"} <= set(arts.columns):
        return pd.DataFrame({"entities": arts["n_entities"].fillna(0).astype(int).values,
                             "quotes": arts["n_quotes"].fillna(0).astype(int).values,
                             "claims": arts["n_claims"].fillna(0).astype(int).values}, index=ids.values)

    def per_article(df: pd.DataFrame, distinct: Optional[list[str]] = None) -> pd.Series:
        if df.empty:
            return pd.Series(0, index=ids.values)
        d = df.drop_duplicates(["article_id"] + distinct) if distinct else df
        return d.groupby("article_id", observed=True).size().reindex(ids.values, fill_value=0)

    return pd.DataFrame({
        "entities": per_article(frames.mentions, ["type", "entity_id"]).astype(int).values,
        "quotes": per_article(frames.quotes).astype(int).values,
        "claims": per_article(frames.claims).astype(int).values,
    }, index=ids.values)


ARTICLE_TABLE_COLUMNS = ["id", "title", "published", "publisher", "language", "entities", "quotes", "claims",
                         "notes"]


def article_table_rows(frames, query: str = "", matched_ids: Optional[Iterable[str]] = None,
                       limit: Optional[int] = None) -> pd.DataFrame:
    """The Articles page table: searched articles, newest first, with counts and the language in words.

    matched_ids: the ids a text search found (chipwatch.reader.search_article_ids, which also reads
    the texts the frames leave out); when None, `query` is matched in memory (search_articles).
    limit: keep only the newest `limit` rows (a browser table of 100k rows helps nobody).
    Columns: id, title, published, publisher, language, entities, quotes, claims, notes (flags in words).
    """
    if matched_ids is not None:
        arts = frames.articles[frames.articles["id"].isin(set(matched_ids))]
    else:
        arts = search_articles(frames.articles, query)
    cols = ARTICLE_TABLE_COLUMNS
    if arts.empty:
        return pd.DataFrame(columns=cols)
    if arts["id"].is_monotonic_increasing:  # the loaded frames are in id order: one datetime sort suffices
        order = arts.sort_values("published", ascending=False, na_position="last", kind="stable")
    else:
        order = arts.sort_values(["published", "id"], ascending=[False, True], na_position="last", kind="stable")
    if limit is not None:
        order = order.head(limit)
    out = order[["id", "title", "published", "publisher", "language"]].copy()
    out["language"] = out["language"].map(language_name)
    if {"n_entities", "n_quotes", "n_claims"} <= set(order.columns):  # the store's article index
        for c in ("entities", "quotes", "claims"):
            out[c] = order[f"n_{c}"].fillna(0).astype(int).to_numpy()
    else:
        counts = article_counts(frames)
        for c in ("entities", "quotes", "claims"):
            out[c] = out["id"].map(counts[c]).fillna(0).astype(int)
    out["notes"] = order["flags"].map(flags_short).values if "flags" in order.columns else ""
    return out[cols].reset_index(drop=True)


def parse_flags(raw) -> list[str]:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)):
        return []
    if isinstance(raw, (list, tuple)):
        return [str(f) for f in raw]
    try:
        value = json.loads(str(raw))
    except (TypeError, ValueError):
        return [str(raw)] if str(raw).strip() else []
    return [str(f) for f in value] if isinstance(value, list) else []


FLAG_SHORT = {
    "date_missing": "no date", "date_year_unknown": "year unknown", "date_future": "date in the future",
    "date_invalid": "invalid date", "encoding_replaced": "damaged characters", "encoding_guessed": "encoding guessed",
    "language_given": "language label differs",
}


def flags_short(raw) -> str:
    """The flags of an article in a few words for a table cell ('no date; year unknown'); '' when none."""
    words = [FLAG_SHORT.get(str(f).partition(":")[0], str(f).partition(":")[0].replace("_", " "))
             for f in parse_flags(raw)]
    return "; ".join(dict.fromkeys(words))


def flag_text(flag: str) -> str:
    """One loader flag in words ('date_missing' -> 'No publication date was found …')."""
    name, _, detail = str(flag).partition(":")
    if name == "date_missing":
        return "No publication date was found, so the article is left out of charts over time."
    if name == "date_year_unknown":
        return (f"Only a month and day ({detail}) were found; the year is unknown." if detail
                else "Only a month and day were found; the year is unknown.")
    if name == "date_future":
        return "The publication date lies in the future; check it."
    if name == "date_invalid":
        return f"The given publication date ({detail}) is not a valid date; it was ignored."
    if name == "encoding_replaced":
        return (f"Some bytes could not be decoded as {detail}; they were replaced with \ufffd, so the text may be "
                "damaged." if detail else "Some bytes could not be decoded; the text may be damaged.")
    if name == "encoding_guessed":
        return f"The text encoding was guessed ({detail}); characters may be wrong."
    if name == "language_given":
        return (f"The file labels the article as {language_name(detail)}, but the text reads as another "
                "language; the detected language is used.")
    return f"Loader note: {flag}"


def entity_summary(mentions: pd.DataFrame, kb=None) -> pd.DataFrame:
    """One article's entities grouped by type: type (word), entity (display name), mentions (count),
    where ('title', 'body' or 'title and body'). Ordered by type, then mentions descending."""
    cols = ["type", "entity", "mentions", "where"]
    if mentions.empty:
        return pd.DataFrame(columns=cols)
    order = list(ENTITY_TYPE_LABELS)
    rows = []
    for (etype, eid), grp in mentions.groupby(["type", "entity_id"], sort=False):
        fields = set(grp["field"])
        where = "title and body" if fields >= {"title", "body"} else ("title" if "title" in fields else "body")
        rows.append({"_order": order.index(etype) if etype in order else len(order),
                     "type": ENTITY_TYPE_LABELS.get(etype, str(etype)), "entity": display_name(eid, kb),
                     "mentions": len(grp), "where": where})
    out = pd.DataFrame(rows).sort_values(["_order", "mentions", "entity"], ascending=[True, False, True])
    return out[cols].reset_index(drop=True)


def entity_type_counts(mentions: pd.DataFrame) -> str:
    """'3 chips, 2 companies, 4 countries' (distinct entities per type)."""
    if mentions.empty:
        return "No entities found."
    counts = mentions.drop_duplicates(["type", "entity_id"]).groupby("type").size()
    parts = []
    for etype in list(ENTITY_TYPE_LABELS) + [t for t in counts.index if t not in ENTITY_TYPE_LABELS]:
        if etype in counts.index:
            k = int(counts[etype])
            word = ENTITY_TYPE_LABELS.get(etype, etype).lower() if k == 1 else ENTITY_TYPE_PLURALS.get(etype, etype)
            parts.append(f"{k} {word}")
    return ", ".join(parts)


def quote_rows(quotes: pd.DataFrame, kb=None) -> pd.DataFrame:
    """speaker (display name, or the words that named them when unresolved), kind, stance, text."""
    cols = ["speaker", "kind", "stance", "text"]
    if quotes.empty:
        return pd.DataFrame(columns=cols)
    q = quotes.sort_values("start") if "start" in quotes.columns else quotes
    speaker = [display_name(s, kb) if isinstance(s, str) and s else
               (f"Unresolved ({t})" if isinstance(t, str) and t.strip() else "Unresolved")
               for s, t in zip(q["speaker"], q.get("speaker_text", pd.Series([""] * len(q))))]
    return pd.DataFrame({
        "speaker": speaker,
        "kind": q["kind"].map(lambda k: KIND_LABELS.get(k, k)).values,
        "stance": q["stance"].map(lambda s: STANCE_LABELS.get(s, s)).values,
        "text": q["text"].astype(object).values,
    })[cols]


def stance_rows(stances: pd.DataFrame, kb=None) -> pd.DataFrame:
    """holder, stance, reported_by ('' when in the holder's own words), evidence."""
    cols = ["holder", "stance", "reported_by", "evidence"]
    if stances.empty:
        return pd.DataFrame(columns=cols)
    s = stances.sort_values("idx") if "idx" in stances.columns else stances
    return pd.DataFrame({
        "holder": s["holder"].map(lambda h: display_name(h, kb)).values,
        "stance": s["stance"].map(lambda v: STANCE_LABELS.get(v, v)).values,
        "reported_by": s["reported_by"].map(lambda r: display_name(r, kb) if isinstance(r, str) else "").values,
        "evidence": s["evidence"].astype(object).values,
    })[cols]


def claim_rows(claims: pd.DataFrame, kb=None) -> pd.DataFrame:
    """chip, side, actor, destination (country names), status (words), date (Timestamp or NaT), evidence."""
    cols = ["chip", "side", "actor", "destination", "status", "date", "evidence"]
    if claims.empty:
        return pd.DataFrame(columns=cols)
    c = claims.sort_values("idx") if "idx" in claims.columns else claims
    return pd.DataFrame({
        "chip": c["chip"].astype(object).values,
        "side": c["side"].map(lambda v: SIDE_LABELS.get(v, v)).values,
        "actor": c["actor"].map(lambda v: country_name(v, kb)).values,
        "destination": c["destination"].map(lambda v: country_name(v, kb)).values,
        "status": c["status"].map(lambda v: STATUS_LABELS.get(v, v)).values,
        "date": pd.to_datetime(c["date"], errors="coerce").values,
        "evidence": c["evidence"].astype(object).values,
    })[cols]


def article_meta(article) -> pd.DataFrame:
    """One article's metadata as a one-row table: published, publisher, language (word), source, url, id.

    A url that is not http(s) is left out (it could not be a safe link)."""
    url = article.get("url")
    url = url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
    publisher = article.get("publisher")
    return pd.DataFrame([{
        "published": article.get("published"),
        "publisher": publisher if isinstance(publisher, str) and publisher else "Unknown",
        "language": language_name(article.get("language")),
        "source": article.get("source"),
        "url": url,
        "id": article.get("id"),
    }])
