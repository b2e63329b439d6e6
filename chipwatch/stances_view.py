"""Pure transforms behind the Stakeholder stances page (no plotting, no streamlit).

Input is `Frames.stances` (one row per stance: a holder's own position from a quote, or a
position a reporter/outlet attributes to the holder, `reported_by` set) and `Frames.quotes`.
Every function reads only the columns it needs and takes an optional KnowledgeBase for
display names (the cached one by default), so tests can pass hand-made frames.

Counting unit: one stance row = one statement (a quote, or a reported position). The
extractor emits one row per quote, so a stakeholder quoted five times in one article
counts five statements.
"""
from __future__ import annotations

import weakref
from typing import Iterable, Optional

import numpy as np
import pandas as pd

from chipwatch.charts.theme import STANCE_LABELS
from chipwatch.knowledge import KnowledgeBase, load_knowledge
from chipwatch.models import ANONYMOUS_PREFIX, STANCES

GROUP_BY = ("country", "affiliation", "type")
GROUP_BY_LABELS = {"country": "Country", "affiliation": "Affiliation", "type": "Type"}
FREQS = {"D": "Day", "W": "Week", "M": "Month"}

ANONYMOUS_GROUP = "Anonymous sources"
NO_COUNTRY = "No country known"
NO_AFFILIATION = "No affiliation known"
UNIDENTIFIED = "Unidentified speaker"
OTHER = "Other stakeholders"
TYPE_LABELS = {
    "person": "People", "company": "Companies", "government": "Governments and agencies",
    "media": "News organisations", "organization": "Other organisations", "country": "Countries",
    "anonymous": ANONYMOUS_GROUP,
}
GOVERNMENT_KINDS = {"government", "agency", "regulator", "legislature", "party"}

STANCE_COLUMNS = list(STANCES)  # favor, against, neutral, unclear
REPORTED_COLUMNS = [f"{s}_reported" for s in STANCES]
COUNT_COLUMNS = ["holder", "name", "group", "holder_type", "country", "affiliation",
                 *STANCE_COLUMNS, *REPORTED_COLUMNS, "own_total", "reported_total", "total", "net", "net_share",
                 "first_seen", "last_seen"]
TIME_COLUMNS = ["period", "group", *STANCE_COLUMNS, "total", "net", "net_share", "favor_share", "against_share"]
QUOTE_TABLE_COLUMNS = ["Stakeholder", "Affiliation", "Stance", "Confidence", "Quote", "Reported by", "Article",
                       "Publisher", "Date"]


# -- names -----------------------------------------------------------------------------------

def _kb(kb: Optional[KnowledgeBase]) -> KnowledgeBase:
    return kb if kb is not None else load_knowledge()


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def country_name(iso3, kb: Optional[KnowledgeBase] = None) -> Optional[str]:
    """'China' for 'CHN'; unknown codes pass through; missing gives None."""
    if _missing(iso3):
        return None
    row = _kb(kb).countries.get(str(iso3))
    return (row or {}).get("name") or str(iso3)


def display_name(holder, kb: Optional[KnowledgeBase] = None) -> str:
    """How a holder/speaker id reads on screen.

    'Donald Trump' stays; 'anonymous:Reuters' -> 'anonymous (Reuters)';
    'anonymous:unknown' -> 'anonymous (outlet unknown)'; 'CHN' -> 'China'; None -> 'Unidentified speaker'.
    """
    if _missing(holder):
        return UNIDENTIFIED
    holder = str(holder)
    if holder.startswith(ANONYMOUS_PREFIX):
        outlet = holder[len(ANONYMOUS_PREFIX):].strip()
        if not outlet or outlet.lower() == "unknown":
            return "anonymous (outlet unknown)"
        return f"anonymous ({outlet})"
    kb = _kb(kb)
    if holder in kb.countries:
        return country_name(holder, kb)
    return holder


def _holder_info(holder: str, kb: KnowledgeBase) -> dict:
    """Type, affiliation and country of a holder id (from the knowledge base)."""
    if holder.startswith(ANONYMOUS_PREFIX):
        return {"holder_type": "anonymous", "affiliation": None, "country": None}
    return {"holder_type": kb.type_of(holder), "affiliation": kb.affiliation(holder),
            "country": kb.country_of(holder)}


def _type_label(holder: str, holder_type, kb: KnowledgeBase) -> str:
    if holder_type == "organization":
        kind = (kb.organizations.get(holder) or {}).get("kind", "")
        if kind == "media":
            return TYPE_LABELS["media"]
        if kind in GOVERNMENT_KINDS:
            return TYPE_LABELS["government"]
        return TYPE_LABELS["organization"]
    return TYPE_LABELS.get(holder_type, TYPE_LABELS["organization"])


def group_label(holder: str, group_by: str, kb: Optional[KnowledgeBase] = None, *,
                holder_type=None, affiliation=None, country=None) -> str:
    """The group a holder is drawn under.

    country:     the holder's country name ('United States'); anonymous sources apart.
    affiliation: a person's organisation or company, an organisation's parent; a company, a
                 top-level organisation or a country is its own group.
    type:        People / Companies / Governments and agencies / News organisations / Countries / ...
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}, not {group_by!r}")
    kb = _kb(kb)
    holder = "" if _missing(holder) else str(holder)
    if holder_type is None and holder:
        info = _holder_info(holder, kb)
        holder_type, affiliation, country = info["holder_type"], info["affiliation"], info["country"]
    if not holder or holder_type == "anonymous" or holder.startswith(ANONYMOUS_PREFIX):
        return ANONYMOUS_GROUP
    if group_by == "country":
        return country_name(country, kb) or NO_COUNTRY
    if group_by == "type":
        return _type_label(holder, holder_type, kb)
    if not _missing(affiliation):
        return display_name(affiliation, kb)
    if holder_type in ("company", "organization", "country"):
        return display_name(holder, kb)
    return NO_AFFILIATION


# -- counts per holder -----------------------------------------------------------------------

# The counts and the timeline of one page run both start from the same stances frame:
# remember the last few slim frames, per frame object (neither is ever modified in place).
_HOLDER_INFO_MEMO: dict[tuple[int, int], tuple[weakref.ref, int, pd.DataFrame]] = {}


def _with_holder_info(stances: pd.DataFrame, kb: KnowledgeBase) -> pd.DataFrame:
    """The columns the counts need (holder, stance, reported_by, published, holder_type, affiliation,
    holder_country, is_reported), with the holder's type / affiliation / country filled from the
    knowledge base when missing. A new, slim frame: the caller's frame is never modified."""
    key = (id(stances), id(kb))
    hit = _HOLDER_INFO_MEMO.get(key)
    if hit is not None and hit[0]() is stances and hit[1] == len(stances):
        return hit[2]
    df = _holder_info_frame(stances, kb)
    if len(_HOLDER_INFO_MEMO) >= 8:
        _HOLDER_INFO_MEMO.clear()
    _HOLDER_INFO_MEMO[key] = (weakref.ref(stances), len(stances), df)
    return df


def _holder_info_frame(stances: pd.DataFrame, kb: KnowledgeBase) -> pd.DataFrame:
    df = pd.DataFrame({"holder": stances["holder"].astype(object), "stance": stances["stance"].astype(object)},
                      index=stances.index)
    for col in ("holder_type", "affiliation", "holder_country", "reported_by"):
        df[col] = stances[col].astype(object) if col in stances.columns else None
    df["published"] = (pd.to_datetime(stances["published"], errors="coerce") if "published" in stances.columns
                       else pd.Series(pd.NaT, index=stances.index, dtype="datetime64[ns]"))
    need = df["holder_type"].isna()
    if need.any():
        info = {h: _holder_info(str(h), kb) for h in df.loc[need, "holder"].dropna().unique()}
        holders = df.loc[need, "holder"]
        df.loc[need, "holder_type"] = holders.map({h: i["holder_type"] for h, i in info.items()})
        df.loc[need, "affiliation"] = holders.map({h: i["affiliation"] for h, i in info.items()})
        df.loc[need, "holder_country"] = holders.map({h: i["country"] for h, i in info.items()})
    df["is_reported"] = ~_blank(df["reported_by"])
    return df


def _group_labels(df: pd.DataFrame, group_by: str, kb: KnowledgeBase) -> pd.Series:
    """Each row's group label, computed once per holder (a holder's type, affiliation and country
    come from the knowledge base, so they are the same on all its rows)."""
    first = df.drop_duplicates("holder")
    labels = {h: group_label(h, group_by, kb, holder_type=t, affiliation=a, country=c) for h, t, a, c in
              zip(first["holder"], first["holder_type"], first["affiliation"], first["holder_country"])}
    return df["holder"].map(labels)


def empty_counts() -> pd.DataFrame:
    return pd.DataFrame(columns=COUNT_COLUMNS)


def stance_counts(stances: pd.DataFrame, group_by: str = "country", include_reported: bool = True,
                  kb: Optional[KnowledgeBase] = None, top: Optional[int] = None) -> pd.DataFrame:
    """One row per holder: statements per stance, own words and reported by others apart.

    Columns: holder (id), name (display name), group (label of the group_by group), holder_type,
    country (name), affiliation (name), favor/against/neutral/unclear (own words),
    favor_reported/... (positions others attribute to the holder; 0 when include_reported is False),
    own_total, reported_total, total, net (favor - against, own + reported),
    net_share (net / total, -1..1), first_seen, last_seen (publication dates).

    Rows come in drawing order: groups by statements (anonymous/unknown groups last), then
    within a group by net (most in favour first) and statements. top keeps only the `top`
    holders with the most statements (before ordering).
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}, not {group_by!r}")
    if stances is None or stances.empty:
        return empty_counts()
    kb = _kb(kb)
    df = _with_holder_info(stances, kb)
    df = df[~_blank(df["holder"])]
    if not include_reported:
        df = df[~df["is_reported"]]
    if df.empty:
        return empty_counts()
    # Counted on integer codes (np.bincount): crosstabs over 400k rows took most of a page run.
    codes, holders = pd.factorize(df["holder"])  # holders in order of first appearance
    stance = pd.Categorical(df["stance"].where(df["stance"].isin(STANCES), "unclear"), categories=STANCE_COLUMNS)
    reported = df["is_reported"].to_numpy(bool)
    n, k = len(holders), len(STANCE_COLUMNS)
    cell = codes * k + stance.codes

    def per_holder(rows: np.ndarray) -> np.ndarray:
        return np.bincount(cell[rows], minlength=n * k).reshape(n, k)

    out = pd.concat([pd.DataFrame({"holder": np.asarray(holders, dtype=object)}),
                     pd.DataFrame(per_holder(~reported), columns=STANCE_COLUMNS),
                     pd.DataFrame(per_holder(reported), columns=REPORTED_COLUMNS)], axis=1)

    info = df[["holder_type", "affiliation", "holder_country", "published"]].assign(_h=codes)
    first = info.groupby("_h")[["holder_type", "affiliation", "holder_country"]].first()  # first non-missing
    dates = info.groupby("_h")["published"].agg(["min", "max"])
    out["holder_type"] = first["holder_type"].reindex(range(n)).to_numpy(object)
    out["affiliation_id"] = first["affiliation"].reindex(range(n)).to_numpy(object)
    out["country_id"] = first["holder_country"].reindex(range(n)).to_numpy(object)
    out["name"] = out["holder"].map(lambda h: display_name(h, kb))
    out["group"] = [group_label(h, group_by, kb, holder_type=t, affiliation=a, country=c)
                    for h, t, a, c in zip(out["holder"], out["holder_type"], out["affiliation_id"], out["country_id"])]
    out["country"] = out["country_id"].map(lambda c: country_name(c, kb))
    out["affiliation"] = out["affiliation_id"].map(lambda a: None if _missing(a) else display_name(a, kb))
    out["own_total"] = out[STANCE_COLUMNS].sum(axis=1)
    out["reported_total"] = out[REPORTED_COLUMNS].sum(axis=1)
    out["total"] = out["own_total"] + out["reported_total"]
    out["net"] = (out["favor"] + out["favor_reported"]) - (out["against"] + out["against_reported"])
    out["net_share"] = (out["net"] / out["total"]).round(3)
    out["first_seen"] = dates["min"].reindex(range(n)).to_numpy()
    out["last_seen"] = dates["max"].reindex(range(n)).to_numpy()
    out["name"] = _unique_names(out["name"], out["holder"])

    if top is not None and len(out) > top:
        out = out.sort_values(["total", "name"], ascending=[False, True]).head(top)
    return _order(out)[COUNT_COLUMNS].reset_index(drop=True)


def top_holders(counts: pd.DataFrame, top: Optional[int]) -> pd.DataFrame:
    """stance_counts(..., top=top) from the full counts: the `top` holders with the most
    statements, in drawing order (one count for both the chart and the selection lookup)."""
    if top is None or len(counts) <= top:
        return counts
    out = counts.sort_values(["total", "name"], ascending=[False, True]).head(top)
    return _order(out)[COUNT_COLUMNS].reset_index(drop=True)


def _unique_names(names: pd.Series, holders: pd.Series) -> pd.Series:
    """Display names must identify a holder (a chart selection gives the name back)."""
    dup = names.duplicated(keep=False)
    return names.where(~dup, names + " [" + holders.astype(str) + "]")


def _order(counts: pd.DataFrame) -> pd.DataFrame:
    last = {ANONYMOUS_GROUP, NO_COUNTRY, NO_AFFILIATION}
    size = counts.groupby("group")["total"].sum()
    key = counts["group"].map(lambda g: (g in last, -size[g], g))
    return (counts.assign(_g=key)
            .sort_values(["_g", "net", "total", "name"], ascending=[True, False, False, True])
            .drop(columns="_g"))


def holders_for_names(counts: pd.DataFrame, names: Iterable[str]) -> list[str]:
    """Holder ids for display names (or ids) picked on the chart; unknown names are dropped."""
    if counts is None or counts.empty:
        return []
    by_name = dict(zip(counts["name"], counts["holder"]))
    ids = set(counts["holder"])
    out = []
    for n in names:
        if isinstance(n, (list, tuple)):  # a multicategory axis gives [group, name]
            n = n[-1] if n else None
        h = by_name.get(n) if n in by_name else (n if n in ids else None)
        if h is not None and h not in out:
            out.append(h)
    return out


# -- over time -------------------------------------------------------------------------------

def _period_start(dates: pd.Series, freq: str) -> pd.Series:
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {tuple(FREQS)}, not {freq!r}")
    return dates.dt.to_period(freq).dt.start_time


def stance_over_time(stances: pd.DataFrame, freq: str = "M", by: str = "country", top: int = 8,
                     include_reported: bool = True, kb: Optional[KnowledgeBase] = None) -> pd.DataFrame:
    """Statements per period and group: favor/against/neutral/unclear counts, net (favor - against),
    net_share (net / statements), favor_share and against_share.

    by: 'country' / 'affiliation' / 'type' (the holder's group) or 'holder' (display name).
    The `top` groups with the most statements are kept; the rest is summed as 'Other stakeholders'.
    Rows without a publication date are left out. period is the first day of the day/week/month.
    Rows are ordered by group (most statements first) then period.
    """
    if by not in (*GROUP_BY, "holder"):
        raise ValueError(f"by must be one of {(*GROUP_BY, 'holder')}, not {by!r}")
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {tuple(FREQS)}, not {freq!r}")
    empty = pd.DataFrame(columns=TIME_COLUMNS)
    if stances is None or stances.empty:
        return empty
    kb = _kb(kb)
    df = _with_holder_info(stances, kb)
    df = df[~_blank(df["holder"]) & df["published"].notna()]
    if not include_reported:
        df = df[~df["is_reported"]]
    if df.empty:
        return empty
    if by == "holder":
        names = {h: display_name(h, kb) for h in df["holder"].unique()}
        df = df.assign(group=df["holder"].map(names))
    else:
        df = df.assign(group=_group_labels(df, by, kb))
    sizes = df["group"].value_counts()
    sizes = sizes.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    keep = list(sizes.index[:top]) if top else list(sizes.index)
    if len(sizes) > len(keep):
        df = df.assign(group=df["group"].where(df["group"].isin(keep), OTHER))
        keep.append(OTHER)
    # Counted on integer codes (np.bincount) rather than a crosstab: one cell per (group, period, stance).
    g_codes, groups = pd.factorize(df["group"])
    p_codes, periods = pd.factorize(_period_start(df["published"], freq))
    stance = pd.Categorical(df["stance"].where(df["stance"].isin(STANCES), "unclear"), categories=STANCE_COLUMNS)
    k, n_periods = len(STANCE_COLUMNS), len(periods)
    counts = np.bincount((g_codes * n_periods + p_codes) * k + stance.codes,
                         minlength=len(groups) * n_periods * k).reshape(-1, k)
    present = np.flatnonzero(counts.sum(axis=1) > 0)
    out = pd.DataFrame(counts[present], columns=STANCE_COLUMNS)
    out.insert(0, "group", np.asarray(groups, dtype=object)[present // n_periods])
    out.insert(1, "period", periods[present % n_periods])
    out["total"] = out[STANCE_COLUMNS].sum(axis=1)
    out["net"] = out["favor"] - out["against"]
    out["net_share"] = (out["net"] / out["total"]).round(3)
    out["favor_share"] = (out["favor"] / out["total"]).round(3)
    out["against_share"] = (out["against"] / out["total"]).round(3)
    rank = {g: i for i, g in enumerate(keep)}
    out = out.assign(_r=out["group"].map(rank)).sort_values(["_r", "period"]).drop(columns="_r")
    return out[TIME_COLUMNS].reset_index(drop=True)


# -- the quote table -------------------------------------------------------------------------

def _blank(values: pd.Series) -> pd.Series:
    """True where a value is missing: None, NaN or the empty string (vectorised _missing)."""
    return values.isna() | (values.astype(object) == "")


def _holder_affiliation(df: pd.DataFrame, holder_col: str, kb: KnowledgeBase) -> pd.Series:
    """The frame's affiliation column, filled from the knowledge base where missing (once per holder)."""
    aff = df["affiliation"].astype(object) if "affiliation" in df.columns else pd.Series(None, index=df.index,
                                                                                         dtype=object)
    need = _blank(aff) & ~_blank(df[holder_col])
    if need.any():
        holders = df.loc[need, holder_col].astype(object)
        info = {h: (None if str(h).startswith(ANONYMOUS_PREFIX) else kb.affiliation(h)) for h in holders.unique()}
        aff = aff.copy()
        aff.loc[need] = holders.map(info)
    return aff


def _pair_keys(a_ids: pd.Series, a_idx: pd.Series, b_ids: pd.Series, b_idx: pd.Series) -> tuple:
    """(article id, index) pairs of two frames as comparable int64 keys.

    Loaded frames share one categorical of article ids, so its codes serve; otherwise the ids
    are factorized together."""
    if (isinstance(a_ids.dtype, pd.CategoricalDtype) and isinstance(b_ids.dtype, pd.CategoricalDtype)
            and a_ids.cat.categories is b_ids.cat.categories):
        a_codes, b_codes = a_ids.cat.codes.to_numpy(np.int64), b_ids.cat.codes.to_numpy(np.int64)
    else:
        codes, _ = pd.factorize(pd.concat([a_ids.astype(object), b_ids.astype(object)], ignore_index=True))
        a_codes, b_codes = codes[:len(a_ids)].astype(np.int64), codes[len(a_ids):].astype(np.int64)
    shift = np.int64(1 << 24)  # quotes per article stay far below this
    return (a_codes * shift + a_idx.to_numpy(np.int64), b_codes * shift + b_idx.to_numpy(np.int64))


def _column_or_none(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column].astype(object) if column in df.columns else pd.Series(None, index=df.index, dtype=object)


def _published(df: pd.DataFrame) -> pd.Series:
    """The rows' publication dates as datetime64 (NaT where unknown or absent)."""
    if "published" not in df.columns:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    return pd.to_datetime(df["published"], errors="coerce")


def _stance_rows_raw(df: pd.DataFrame, quotes: pd.DataFrame, kb: KnowledgeBase) -> pd.DataFrame:
    """The quote table's raw values for stance rows: the quote's words (else the evidence)."""
    words = pd.Series(None, index=df.index, dtype=object)
    if not quotes.empty and {"article_id", "idx", "text"} <= set(quotes.columns) and "quote_index" in df.columns:
        keyed = df["quote_index"].notna().to_numpy()
        if keyed.any():
            mine, theirs = _pair_keys(df.loc[keyed, "article_id"], df.loc[keyed, "quote_index"],
                                      quotes["article_id"], quotes["idx"])
            # Look up positions, then read only the wanted texts (not all 400k quotes as objects).
            pos = pd.Index(theirs).get_indexer(mine)
            found = pos >= 0
            values = np.full(len(mine), None, dtype=object)
            values[found] = quotes["text"].iloc[pos[found]].astype(object).to_numpy()
            words.loc[keyed] = values
    words = words.where(~_blank(words), _column_or_none(df, "evidence"))
    reported = _column_or_none(df, "reported_by")
    title, publisher = _column_or_none(df, "title"), _column_or_none(df, "publisher")
    if (_blank(title) | _blank(publisher)).any():  # hand-made frames: the article's title from its quotes
        meta = _article_meta(quotes)
        ids = df["article_id"].astype(object)
        title = title.where(~_blank(title), ids.map({a: m.get("title") for a, m in meta.items()}))
        publisher = publisher.where(~_blank(publisher), ids.map({a: m.get("publisher") for a, m in meta.items()}))
    return pd.DataFrame({
        "holder": df["holder"].astype(object).values, "affiliation": _holder_affiliation(df, "holder", kb).values,
        "stance": df["stance"].astype(object).values, "confidence": _column_or_none(df, "confidence").values,
        "words": words.values, "reported_by": reported.where(~_blank(reported), None).values,
        "title": title.values, "publisher": publisher.values, "published": _published(df).values,
    })


def _quote_rows_raw(q: pd.DataFrame, kb: KnowledgeBase) -> pd.DataFrame:
    """The quote table's raw values for quotes no stance refers to (the speaker's own words)."""
    return pd.DataFrame({
        "holder": q["speaker"].astype(object).values, "affiliation": _holder_affiliation(q, "speaker", kb).values,
        "stance": q["stance"].astype(object).values, "confidence": _column_or_none(q, "confidence").values,
        "words": _column_or_none(q, "text").values, "reported_by": None,
        "title": _column_or_none(q, "title").values, "publisher": _column_or_none(q, "publisher").values,
        "published": _published(q).values,
    })


def quote_table(quotes: pd.DataFrame, stances: pd.DataFrame, kb: Optional[KnowledgeBase] = None,
                include_unattributed: bool = False, limit: Optional[int] = None) -> pd.DataFrame:
    """One row per stance with the words it rests on, newest first; columns in words:

    Stakeholder, Affiliation, Stance (label), Confidence (0-100, %), Quote, Reported by (who
    attributed the position; empty for the stakeholder's own words), Article (title), Publisher, Date.

    The quote is looked up in `quotes` (article_id + quote_index); the stance's evidence is the
    fallback. include_unattributed adds the quotes no stance row refers to (their speaker and the
    quote's own stance) — use it only with the unnarrowed frames. limit keeps the newest rows only
    (ties in listed order: stances, then unattributed quotes); attrs["total"] holds the number of
    rows before the limit. The rows are ordered first and only the kept ones are looked up and
    named: at 100k articles there are 400k stances.
    """
    kb = _kb(kb)
    quotes = quotes if quotes is not None else pd.DataFrame()
    stances = stances if stances is not None else pd.DataFrame()
    extra = quotes.iloc[:0]
    if include_unattributed and not quotes.empty:
        extra = quotes
        if not stances.empty and "quote_index" in stances.columns:
            used_rows = stances[stances["quote_index"].notna()]
            used, mine = _pair_keys(used_rows["article_id"], used_rows["quote_index"], quotes["article_id"],
                                    quotes["idx"])
            extra = quotes[~np.isin(mine, used)]
    dates = pd.concat([_published(df).reset_index(drop=True) for df in (stances, extra)], ignore_index=True)
    total = len(dates)
    if total == 0:
        out = pd.DataFrame(columns=QUOTE_TABLE_COLUMNS)
        out.attrs["total"] = 0
        return out
    order = dates.sort_values(ascending=False, na_position="last", kind="stable").index.to_numpy()
    if limit is not None:
        order = order[:limit]
    n_stances = len(stances)
    from_stances, from_quotes = order[order < n_stances], order[order >= n_stances] - n_stances
    raw = pd.concat([_stance_rows_raw(stances.iloc[from_stances], quotes, kb).set_axis(
                         order[order < n_stances]),
                     _quote_rows_raw(extra.iloc[from_quotes], kb).set_axis(order[order >= n_stances])])
    raw = raw.loc[order]
    out = pd.DataFrame([_row(*r, kb) for r in raw.itertuples(index=False, name=None)], columns=QUOTE_TABLE_COLUMNS)
    out["Date"] = pd.to_datetime(out["Date"], errors="coerce")
    out["Confidence"] = out["Confidence"].astype(float)
    out.attrs["total"] = total
    return out


def _article_meta(quotes: pd.DataFrame) -> dict:
    if quotes.empty or "article_id" not in quotes.columns:
        return {}
    cols = [c for c in ("title", "publisher") if c in quotes.columns]
    return quotes.drop_duplicates("article_id").set_index("article_id")[cols].to_dict("index")


def _row(holder, affiliation, stance, confidence, words, reported_by, title, publisher, published, kb) -> dict:
    conf = None if _missing(confidence) else round(float(confidence) * 100)
    return {
        "Stakeholder": display_name(holder, kb),
        "Affiliation": None if _missing(affiliation) else display_name(affiliation, kb),
        "Stance": STANCE_LABELS.get(stance, STANCE_LABELS["unclear"]),
        "Confidence": conf,
        "Quote": None if _missing(words) else str(words),
        "Reported by": None if _missing(reported_by) else display_name(reported_by, kb),
        "Article": None if _missing(title) else str(title),
        "Publisher": None if _missing(publisher) else str(publisher),
        "Date": published,
    }


def select_holders(stances: pd.DataFrame, holders: Iterable[str]) -> pd.DataFrame:
    """The stance rows held by the given holder ids (all rows when holders is empty)."""
    holders = list(holders)
    if not holders or stances is None or stances.empty:
        return stances
    return stances[stances["holder"].isin(holders)]


def without_reported(stances: pd.DataFrame) -> pd.DataFrame:
    """Only the holders' own words."""
    if stances is None or stances.empty or "reported_by" not in stances.columns:
        return stances
    return stances[_blank(stances["reported_by"])]


def counts_for_export(counts: pd.DataFrame) -> pd.DataFrame:
    """The counts with column names in words (the chart's CSV)."""
    names = {"name": "Stakeholder", "group": "Group", "country": "Country", "affiliation": "Affiliation",
             "favor": "Favor (own words)", "against": "Against (own words)", "neutral": "Neutral (own words)",
             "unclear": "Unclear (own words)", "favor_reported": "Favor (reported by others)",
             "against_reported": "Against (reported by others)", "neutral_reported": "Neutral (reported by others)",
             "unclear_reported": "Unclear (reported by others)", "total": "Statements",
             "net": "Net (favor − against)", "first_seen": "First seen", "last_seen": "Last seen"}
    return counts.reindex(columns=list(names)).rename(columns=names)


def timeline_for_export(df: pd.DataFrame) -> pd.DataFrame:
    names = {"period": "Period start", "group": "Group", "favor": "Favor", "against": "Against",
             "neutral": "Neutral", "unclear": "Unclear", "total": "Statements", "net": "Net (favor − against)",
             "net_share": "Net share of statements"}
    return df.reindex(columns=list(names)).rename(columns=names)
