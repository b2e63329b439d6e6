"""Publication dates from metadata, visible date lines and URLs.

An article's date anchors every relative date extraction later resolves ("on
Friday", "8일"), so a wrong date is worse than none: when nothing supports a
date, ``published`` stays None and the article is flagged ``date_missing``.

Evidence, strongest first:
  1. metadata and record fields (article:published_time, JSON-LD datePublished,
     <time datetime>, a record's ``published``);
  2. visible date lines ("입력 2025.12.14 09:01", "Published Dec 14, 2025");
  3. dates inside the page URL and image URLs (/2025/12/10/, /202512/14/,
     20251214090140);
  4. year-less dates ("작성일 04-16", "Aug 11 (Reuters)") completed with a year
     from 1-3 when one lies close by, or from a copyright year that weekday
     mentions ("Tuesday, Jan. 13") confirm; never with a guessed year.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Iterable, NamedTuple, Optional

FLAG_MISSING = "date_missing"
FLAG_FUTURE = "date_future"
FLAG_INVALID = "date_invalid"  # + ":<raw value>"
FLAG_NO_YEAR = "date_year_unknown"  # + ":MM-DD" when only a month-day was seen

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?"

# Full dates as written in values and on pages. Named groups y, m|mon, d.
_FULL = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20|21)\d\d)\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]?"),
    re.compile(_WEEKDAY + _MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)", re.I),
    re.compile(_WEEKDAY + r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+(?P<y>\d{4})(?!\d)", re.I),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})(?!\d)"),  # US or European, if unambiguous
]
# Compact forms only trusted as whole values or inside URLs: 20251214, 20251214090140.
_COMPACT = re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?")

# Labels in front of a visible date. Publication labels outrank update labels.
_PUB_LABELS = r"입력|작성일|작성|기사입력|등록일?|송고|게재|발행|승인|Published|Posted|Created|Date|发布时间|发布日期|发表时间|日期"
_UPD_LABELS = r"수정|최종\s*수정|업데이트|Updated|Modified|更新时间"
_LABELLED = re.compile(
    r"(?<![A-Za-z])(?P<label>" + _PUB_LABELS + "|" + _UPD_LABELS + r")(?![A-Za-z])\s*(?:일시|시간|on)?\s*[:：]?\s*"
    r"(?=(?P<rest>[^\n]{0,40}))", re.I)  # lookahead: the next label may sit inside "rest"
_MONTH_DAY = re.compile(r"^(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})(?!\d|[-./]\d)")
# Wire dateline: "WASHINGTON, Aug 11 (Newswire) -", optionally with ", 2025".
DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z.' ]{1,40}(?:,\s*[A-Z][A-Za-z.' ]{1,30})?),\s+" + _MON
    + r"\s+(?P<d>\d{1,2})(?:,\s*(?P<y>\d{4}))?\s*\((?P<outlet>[^()]{2,40})\)\s*[-–—]+\s*")

# URL shapes: /2025/12/10/, /2025-12-10/, /202512/14/, /20251214/, 20251214090140...
_URL_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>20\d\d)[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"),
    re.compile(r"(?<!\d)(?P<y>20\d\d)(?P<m>0[1-9]|1[0-2])/(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
    _COMPACT,
]

# "(c) 2026 Newswire", "Copyright © 2024-2026": the year a story's footer was written.
_COPYRIGHT_YEAR = re.compile(
    r"(?:Copyright\s*(?:©|ⓒ|\(c\))?|©|ⓒ|\(c\))\s*(?:(?:19|20)\d\d\s*[-–]\s*)?(?P<y>(?:19|20)\d\d)(?!\d)", re.I)
# "Tuesday, Jan. 13": a weekday tied to a month-day, which only some years fit.
_WEEKDAY_DATE = re.compile(
    r"\b(?P<wd>Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+" + _MON + r"\s+(?P<d>\d{1,2})(?!\d)(?!,?\s*\d{4})")
_WEEKDAYS = {"mon": 0, "tues": 1, "wednes": 2, "thurs": 3, "fri": 4, "satur": 5, "sun": 6}

# How far a year-less date may be from the dated evidence that lends it a year.
_MAX_GAP_DAYS = 62


class DateResult(NamedTuple):
    published: Optional[str]  # "YYYY-MM-DD"
    flags: list[str]


def _mk(y: int | str, m: int | str, d: int | str) -> Optional[date]:
    try:
        return date(int(y), int(m), int(d))
    except (ValueError, TypeError):
        return None


def _from_match(m: re.Match) -> Optional[date]:
    g = m.groupdict()
    if g.get("a"):  # n/n/yyyy: only when one side cannot be a month
        a, b = int(g["a"]), int(g["b"])
        if a > 12 >= b:
            return _mk(g["y"], b, a)
        if b > 12 >= a:
            return _mk(g["y"], a, b)
        return None
    month = MONTHS.get(g["mon"].lower()[:3]) if g.get("mon") else g.get("m")
    return _mk(g["y"], month, g["d"])


def parse_date(value) -> Optional[date]:
    """A date from a metadata or record value, or None when it is not a real date.

    Accepts ISO 8601 (the date part as written, not shifted to UTC), "2025-12-14 09:01",
    "2025.12.14", "2025/12/14", "Dec 14, 2025", "14 December 2025", "2025년 12월 14일",
    "2025年12月14日", "20251214", RFC 2822, and epoch seconds or milliseconds.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", text) and not _COMPACT.fullmatch(text[:14]):
        return _from_epoch(float(text))
    if re.fullmatch(r"\d{8}(\d{6})?", text):
        return _mk(text[:4], text[4:6], text[6:8])
    for rx in _FULL:
        m = rx.match(text)
        if m:
            return _from_match(m)
    return None


def _from_epoch(value: float) -> Optional[date]:
    if not -1e15 < value < 1e15:  # also NaN; a huge int cannot even become a float
        return None
    if value > 1e11:  # milliseconds
        value /= 1000
    if not 0 < value < 7.3e9:  # up to year 2200
        return None
    return datetime.fromtimestamp(value, tz=timezone.utc).date()


def find_full_dates(text: str) -> list[date]:
    """Every full date written in ``text`` (in order of appearance)."""
    found = []
    for rx in _FULL:
        for m in rx.finditer(text):
            d = _from_match(m)
            if d:
                found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def labelled_dates(text: str) -> tuple[list[date], list[tuple[int, int]]]:
    """Dates after labels like 입력/작성일/Published: (full dates, (month, day) pairs).

    Publication labels come before update labels; within each, page order.
    """
    full: list[tuple[int, int, date]] = []
    partial: list[tuple[int, int, tuple[int, int]]] = []
    for m in _LABELLED.finditer(text):
        rank = 1 if re.fullmatch(_UPD_LABELS, m.group("label"), re.I) else 0
        rest = m.group("rest")
        for rx in _FULL:
            fm = rx.match(rest)
            if fm and _from_match(fm):
                full.append((rank, m.start(), _from_match(fm)))
                break
        else:
            md = _MONTH_DAY.match(rest)
            if md and _mk(2000, md.group("m"), md.group("d")):  # 2000: a leap year
                partial.append((rank, m.start(), (int(md.group("m")), int(md.group("d")))))
    return [d for *_, d in sorted(full)], [p for *_, p in sorted(partial)]


def dateline(text: str) -> Optional[re.Match]:
    """The wire dateline at the start of ``text``, if any."""
    return DATELINE.match(text)


def dateline_date(m: re.Match) -> tuple[Optional[date], Optional[tuple[int, int]]]:
    """(full date, (month, day)) from a dateline match."""
    month = MONTHS.get(m.group("mon").lower()[:3])
    if month is None or not _mk(2000, month, m.group("d")):
        return None, None
    if m.group("y"):
        return _mk(m.group("y"), month, m.group("d")), None
    return None, (month, int(m.group("d")))


def dates_in_url(url: str) -> list[date]:
    """Dates inside a URL or image path: /2025/12/10/, /202512/14/, 20251214090140."""
    found = []
    for rx in _URL_PATTERNS:
        for m in rx.finditer(url or ""):
            d = _mk(m.group("y"), m.group("m"), m.group("d"))
            if d:
                found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda x: x[0])]


def copyright_years(text: str) -> list[int]:
    """Years in copyright lines ("(c) 2026 Newswire"), latest first."""
    return sorted({int(m.group("y")) for m in _COPYRIGHT_YEAR.finditer(text)}, reverse=True)


def weekday_dates(text: str) -> list[tuple[int, int, int]]:
    """(weekday 0=Mon, month, day) for each "Tuesday, Jan. 13" without a year."""
    out = []
    for m in _WEEKDAY_DATE.finditer(text):
        month = MONTHS.get(m.group("mon").lower()[:3])
        if month and _mk(2000, month, m.group("d")):
            out.append((_WEEKDAYS[m.group("wd").lower()], month, int(m.group("d"))))
    return out


def year_from_hints(month: int, day: int, years: Iterable[int],
                    weekdays: Iterable[tuple[int, int, int]]) -> Optional[date]:
    """The month-day in a copyright year, if every weekday mention agrees with that year.

    A footer year alone would be weak (pages are re-rendered with the current
    year), so it is used only when weekday-dated mentions ("Tuesday, Jan. 13")
    exist and all fit it; any disagreement means no date rather than a guess.
    """
    weekdays = list(weekdays)
    if not weekdays:
        return None
    for year in years:
        cand = _mk(year, month, day)
        if cand is None:
            continue
        fits = True
        for wd, m2, d2 in weekdays:
            near = [x for x in (_mk(y, m2, d2) for y in (year - 1, year, year + 1)) if x]
            closest = min(near, key=lambda x: abs((x - cand).days))
            fits &= closest.weekday() == wd and abs((closest - cand).days) <= _MAX_GAP_DAYS
        if fits:
            return cand
    return None


def complete_month_day(month: int, day: int, evidence: Iterable[date]) -> Optional[date]:
    """The year-less date placed in the year of the nearest dated evidence."""
    best = None
    for ev in evidence:
        for year in (ev.year - 1, ev.year, ev.year + 1):
            cand = _mk(year, month, day)
            if cand and abs((cand - ev).days) <= _MAX_GAP_DAYS:
                if best is None or abs((cand - ev).days) < abs((best - ev).days):
                    best = cand
    return best


def resolve(
    *,
    metadata: Iterable = (),
    text_dates: Iterable[date] = (),
    partials: Iterable[tuple[int, int]] = (),
    url_dates: Iterable[date] = (),
    year_hints: Iterable[int] = (),
    weekdays: Iterable[tuple[int, int, int]] = (),
    today: Optional[date] = None,
) -> DateResult:
    """Pick the publication date from evidence lists, strongest first, and flag it.

    ``metadata`` holds raw values (strings, epoch numbers) from meta tags / JSON-LD /
    record fields: the first that parses wins. When values were given and none
    parses, ``date_invalid:<first raw>`` is reported and nothing weaker replaces
    it, because the source did state a date and any other choice would be a guess.
    """
    today = today or date.today()
    flags: list[str] = []
    chosen: Optional[date] = None
    given = [raw for raw in metadata if raw is not None and str(raw).strip()]
    for raw in given:
        chosen = parse_date(raw)
        if chosen:
            break
    else:
        if given:
            raw = " ".join(str(given[0]).split())
            raw = raw if len(raw) <= 40 else raw[:39] + "…"  # a flag, not a copy of a huge value
            return DateResult(None, [f"{FLAG_INVALID}:{raw}"])
    text_dates, url_dates, partials = list(text_dates), list(url_dates), list(partials)
    if chosen is None and text_dates:
        chosen = text_dates[0]
    if chosen is None and partials:
        month, day = partials[0]
        chosen = complete_month_day(month, day, text_dates + url_dates)
        if chosen is None and not url_dates:
            chosen = year_from_hints(month, day, year_hints, weekdays)
        if chosen is None:
            flags.append(f"{FLAG_NO_YEAR}:{month:02d}-{day:02d}")
    if chosen is None and url_dates and not partials:
        chosen = url_dates[0]
    if chosen is None:
        return DateResult(None, [FLAG_MISSING] + flags)
    if chosen > today:
        flags.append(FLAG_FUTURE)
    return DateResult(chosen.isoformat(), flags)
