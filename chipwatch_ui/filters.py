"""Pure helpers behind the shared filters (no streamlit import, unit-testable).

The URL/query keys are the contract with analysts' bookmarks:
``?company=Nvidia&chip=H200&chip=H20&country=CHN&from=2025-01-01&to=2025-12-31&language=ko&publisher=Reuters``.
Repeated keys carry several values; countries travel as ISO-3 codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping, Optional

import pandas as pd

from chipwatch.frames import Filters, Frames

# (URL key, Filters field) for the multi-value facets, in sidebar order.
FACETS: tuple[tuple[str, str], ...] = (
    ("company", "companies"),
    ("chip", "chips"),
    ("country", "countries"),
    ("language", "languages"),
    ("publisher", "publishers"),
)
DATE_KEYS: tuple[tuple[str, str], ...] = (("from", "date_from"), ("to", "date_to"))
FILTER_KEYS: tuple[str, ...] = tuple(k for k, _ in FACETS) + tuple(k for k, _ in DATE_KEYS)

LANGUAGE_NAMES = {"ko": "Korean", "en": "English", "zh": "Chinese", "ja": "Japanese", "other": "Other"}


@dataclass
class FilterOptions:
    """What each filter may offer: only values that occur in the data (store + curated timeline)."""

    companies: list[str] = field(default_factory=list)
    chips: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)
    date_min: Optional[date] = None
    date_max: Optional[date] = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # URL key -> value -> label

    def values(self, key: str) -> list[str]:
        return getattr(self, dict(FACETS)[key])

    def label(self, key: str, value: str) -> str:
        return self.labels.get(key, {}).get(value, str(value))


def _ids(mentions: pd.DataFrame, etype: str) -> set[str]:
    if mentions.empty:
        return set()
    return set(mentions.loc[mentions["type"] == etype, "entity_id"].dropna().astype(str))


def _column_values(df: pd.DataFrame, column: str) -> set[str]:
    if df.empty or column not in df.columns:
        return set()
    return {str(v) for v in df[column].dropna().unique() if str(v)}


def _to_date(value: Any) -> Optional[date]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def filter_options(frames: Frames) -> FilterOptions:
    """Options and labels for every filter, from the unfiltered frames and their knowledge base."""
    kb = frames.kb
    m = frames.mentions
    status = frames.status
    articles = frames.articles

    # Chips: chip/architecture ids mentioned in articles or named by a status row, in the KB's order.
    chip_ids = _ids(m, "chip") | _ids(m, "architecture") | _column_values(status, "chip")
    chips = [c for c in kb.chips if c in chip_ids] + [a for a in kb.architectures if a in chip_ids]
    chip_labels = {}
    for c in chips:
        row = kb.chips.get(c)
        if row is not None:
            chip_labels[c] = f"{c} ({row['vendor']})" if row.get("vendor") else c
        else:
            vendor = kb.architectures[c].get("vendor")
            chip_labels[c] = f"{c} ({vendor} architecture)" if vendor else f"{c} (architecture)"

    # Companies: mentioned ones plus vendors of the chips above (the company facet matches their chips).
    company_ids = _ids(m, "company") | {
        (kb.chips.get(c) or kb.architectures.get(c) or {}).get("vendor") for c in chips}
    companies = sorted((c for c in company_ids if c and c in kb.companies), key=str.casefold)

    # Countries: mentioned ones plus actors/destinations of status rows; ISO-3 in the URL.
    country_ids = _ids(m, "country") | _column_values(status, "actor") | _column_values(status, "destination")
    country_labels = {c: f"{kb.countries[c].get('name') or c} ({c})" for c in country_ids if c in kb.countries}
    countries = sorted(country_labels, key=lambda c: country_labels[c].casefold())

    langs = _column_values(articles, "language")
    order = list(LANGUAGE_NAMES)
    languages = sorted(langs, key=lambda lang: (order.index(lang) if lang in order else len(order), lang))
    language_labels = {lang: f"{LANGUAGE_NAMES.get(lang, lang)} ({lang})" for lang in languages}

    publishers = sorted(_column_values(articles, "publisher"), key=str.casefold)

    published = articles["published"].dropna() if "published" in articles.columns else pd.Series([])
    date_min = _to_date(published.min()) if not published.empty else None
    date_max = _to_date(published.max()) if not published.empty else None

    return FilterOptions(
        companies=companies, chips=chips, countries=countries, languages=languages, publishers=publishers,
        date_min=date_min, date_max=date_max,
        labels={"chip": chip_labels, "country": country_labels, "language": language_labels},
    )


def filters_from_values(values: Mapping[str, Any]) -> Filters:
    """A Filters value from widget values / query params keyed by the URL keys."""
    changes: dict[str, Any] = {}
    for key, name in FACETS:
        raw = values.get(key) or ()
        if isinstance(raw, str):
            raw = (raw,)
        changes[name] = tuple(str(v) for v in raw if v not in (None, ""))
    for key, name in DATE_KEYS:
        raw = values.get(key)
        if isinstance(raw, (list, tuple)):  # query-param style: ["2025-01-01"]
            raw = raw[-1] if raw else None
        changes[name] = _to_date(raw)
    return Filters(**changes)


def query_params_for(filters: Filters) -> dict[str, list[str]]:
    """The query params that reproduce filters (only the facets in use; repeated keys for several values)."""
    params: dict[str, list[str]] = {}
    for key, name in FACETS:
        values = getattr(filters, name)
        if values:
            params[key] = [str(v) for v in values]
    for key, name in DATE_KEYS:
        value = getattr(filters, name)
        if value:
            params[key] = [value.isoformat()]
    return params


def values_from_query(params: Mapping[str, Any], options: FilterOptions) -> tuple[dict[str, Any], list[str]]:
    """Widget values for the filter keys from URL params (key -> list of strings).

    Keeps only values the filters offer (in URL order, without repeats) and valid ISO dates;
    returns (values, ignored) where ignored lists the dropped 'key=value' pairs.
    """
    values: dict[str, Any] = {}
    ignored: list[str] = []
    for key, _ in FACETS:
        raw = params.get(key) or []
        raw = [raw] if isinstance(raw, str) else list(raw)
        allowed = set(options.values(key))
        kept: list[str] = []
        for v in raw:
            if v in allowed:
                if v not in kept:
                    kept.append(v)
            elif v != "":
                ignored.append(f"{key}={v}")
        values[key] = kept
    for key, _ in DATE_KEYS:
        raw = params.get(key) or []
        raw = [raw] if isinstance(raw, str) else list(raw)
        value = _to_date(raw[-1]) if raw and raw[-1] else None
        if raw and raw[-1] and (value is None or len(str(raw[-1])) != 10):
            ignored.append(f"{key}={raw[-1]}")
            value = None
        values[key] = value
    return values, ignored


def describe_filters(filters: Filters, options: Optional[FilterOptions] = None) -> str:
    """A one-line plain-text summary, e.g. 'Chip: H200 (Nvidia) · Country: China (CHN) · from 2025-01-01'."""
    parts = []
    for key, name in FACETS:
        values = getattr(filters, name)
        if values:
            shown = [options.label(key, v) if options else v for v in values]
            parts.append(f"{key.capitalize()}: {', '.join(shown)}")
    if filters.date_from:
        parts.append(f"from {filters.date_from.isoformat()}")
    if filters.date_to:
        parts.append(f"to {filters.date_to.isoformat()}")
    return " · ".join(parts) if parts else "No filters"
