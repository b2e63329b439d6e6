"""Relative and partial date expressions in news text -> calendar dates.

News rarely writes full dates: an English wire says "on Monday" or "Dec 8",
a Korean report says "8일(현지시간)" or "지난 13일", a Chinese one "9日" or "本周一".
Everything is resolved against an *anchor*, normally the article's publication
date:

- a day of month alone ("8일", "9日") is in the anchor's month, or in the month
  before when that would put it after the anchor ("오는 15일" looks forward);
- a month and day without a year ("Dec 8", "12월 8일") takes the year that puts
  it nearest the anchor;
- a weekday ("on Monday", "周一") is the latest such day on or before the anchor,
  "last Friday"/"上周五" the one before that week, "next"/"下周" looks forward;
- yesterday/today/어제/오늘/昨天/今天 count from the anchor;
- "이날", "当天", "the same day", "two days later" count from a context date: the
  last date resolved before them in the text (or the anchor when there is none;
  "two days later" needs one). "four days after Dec 8" counts from the date that
  follows (up to ~80 characters on: "Four days after Trump said on Dec. 8 ...");
  "..., a day after Trump said ..." with no date after it is that many days
  before the context date; "two weeks after" an undated event gives None.

Without an anchor only full dates (with a year) resolve. Vague spans ("this
week", "last month", "in April", "日前") give None: a month is not a date.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Optional

from chipwatch.extract.prefilter import LiteralGate

__all__ = ["resolve_relative_date", "find_date_expressions", "parse_iso"]

# --------------------------------------------------------------------- tables
_MONTHS_EN = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_WEEKDAYS_KO = {"월": 0, "화": 1, "수": 2, "목": 3, "금": 4, "토": 5, "일": 6}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_NUMBERS_EN = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}
_NUMBERS_ZH = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBERS_KO = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "열흘": 10}

_MONTH_EN_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY_EN_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_NUM_EN_RE = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|thirty)"


# -------------------------------------------------------------------- helpers
def parse_iso(value) -> Optional[date]:
    """'2025-12-08' (or a date) -> date; anything else -> None."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    m = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
    if not m:
        return None
    return _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def _safe_date(y: int, m: int, d: int) -> Optional[date]:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _prev_month(y: int, m: int) -> tuple[int, int]:
    return (y - 1, 12) if m == 1 else (y, m - 1)


def _next_month(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)


def _day_of_month(day: int, anchor: Optional[date], forward: bool = False) -> Optional[date]:
    """A bare day of month, nearest the anchor on its past side (or future side when forward)."""
    if anchor is None or not 1 <= day <= 31:
        return None
    y, m = anchor.year, anchor.month
    d = _safe_date(y, m, day)
    if forward:
        if d is None or d < anchor:
            y, m = _next_month(y, m)
            d = _safe_date(y, m, day)
        return d
    if d is None or d > anchor:
        y, m = _prev_month(y, m)
        d = _safe_date(y, m, day)
    return d


def _month_day(month: int, day: int, anchor: Optional[date]) -> Optional[date]:
    """Month and day without a year: the year that puts it nearest the anchor."""
    if anchor is None:
        return None
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = _safe_date(y, month, day)
        if d is None:
            continue
        # Reports look back far more often than forward: past dates count full,
        # future ones count double.
        dist = (anchor - d).days if d <= anchor else 2 * (d - anchor).days
        if best is None or dist < best[0]:
            best = (dist, d)
    return best[1] if best else None


def _weekday(weekday: int, anchor: Optional[date], shift: str = "") -> Optional[date]:
    """'' / 'this' -> latest on or before anchor; 'last' -> in the previous week; 'next' -> upcoming."""
    if anchor is None:
        return None
    if shift == "next":
        delta = (weekday - anchor.weekday()) % 7 or 7
        return anchor + timedelta(days=delta)
    if shift == "last_week":  # 上周五 / 지난주 금요일: that weekday in the calendar week before
        monday = anchor - timedelta(days=anchor.weekday())
        return monday - timedelta(days=7) + timedelta(days=weekday)
    if shift == "this_week":  # 本周一 / 이번 주 월요일: that weekday of the anchor's week
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=weekday)
    delta = (anchor.weekday() - weekday) % 7
    if shift == "last" and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def _num_en(token: str) -> Optional[int]:
    token = token.lower()
    if token.isdigit():
        return int(token)
    return _NUMBERS_EN.get(token)


def _num_zh(token: str) -> Optional[int]:
    if token.isdigit():
        return int(token)
    if token in _NUMBERS_ZH:
        return _NUMBERS_ZH[token]
    if len(token) == 2 and token[0] == "十" and token[1] in _NUMBERS_ZH:
        return 10 + _NUMBERS_ZH[token[1]]
    if len(token) == 2 and token[1] == "十" and token[0] in _NUMBERS_ZH:
        return 10 * _NUMBERS_ZH[token[0]]
    return None


# ------------------------------------------------------------------- patterns
# Each rule: (compiled regex, kind). Kinds are resolved in _resolve_match. Order
# matters: longer, more specific patterns come first; matches never overlap.
_B = r"(?<![A-Za-z0-9])"
_E = r"(?![A-Za-z0-9])"

_EN_RULES = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "iso"),
    # "Dec 8, 2025", "December 8", "Aug. 11", "Dec 8th"
    (re.compile(_B + r"(" + _MONTH_EN_RE + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?" + _E, re.I), "en_mdy"),
    # "8 December 2025", "8th of December"
    (re.compile(_B + r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_EN_RE + r")\.?(?:,?\s+(\d{4}))?" + _E, re.I), "en_dmy"),
    # "four days after Dec 8" / "two days later" / "a day earlier"
    (re.compile(_B + r"(" + _NUM_EN_RE + r")\s+(day|week)s?\s+(after|later|before|earlier)" + _E, re.I), "en_offset"),
    (re.compile(_B + r"(?:the\s+)?(?:following|next)\s+day" + _E, re.I), "en_next_day"),
    (re.compile(_B + r"(?:the\s+)?(?:previous|prior)\s+day|the\s+day\s+before" + _E, re.I), "en_prev_day"),
    (re.compile(_B + r"(?:on\s+)?the\s+same\s+day" + _E, re.I), "context"),
    (re.compile(_B + r"(?:(last|this|next|on|on\s+last|late|early)\s+)?(" + _WEEKDAY_EN_RE + r")(?:'s)?" + _E, re.I), "en_weekday"),
    (re.compile(_B + r"(yesterday|today|tonight|tomorrow)" + _E, re.I), "en_deictic"),
]

_KO_RULES = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "iso"),
    (re.compile(r"(?<!\d)(\d{4})\.\s?(\d{1,2})\.\s?(\d{1,2})(?![\d])"), "iso"),
    # 2025년 12월 8일 / 12월 8일 / 지난달 15일 / 지난 13일 / 오는 15일 / 8일(현지시간)
    (re.compile(r"(?<!\d)(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일"), "ymd"),
    (re.compile(r"(?<![\d년])(\d{1,2})월\s*(\d{1,2})일"), "md"),
    (re.compile(r"(지난달|지난 달|전달|이번 달|이달)\s*(\d{1,2})일"), "ko_month_rel_day"),
    (re.compile(r"(지난|오는|이번)\s*(\d{1,2})일(?!\s*(?:간|동안|이내|만에|째|치))"), "ko_rel_day"),
    (re.compile(r"(?<![\d.,월년])(\d{1,2})일(?![본부반대])(?!\s*(?:간|동안|이내|만에|째|치|분|이상|이후\s*\d|씩))"), "ko_day"),
    (re.compile(r"(지난주|지난 주|이번 주|이번주|다음 주|다음주|오는)?\s*([월화수목금토일])요일"), "ko_weekday"),
    (re.compile(r"(하루|이틀|사흘|나흘|닷새|엿새|이레|열흘|\d+\s*일)\s*(뒤|후|만에|전)(?![가-힣])"), "ko_offset"),
    (re.compile(r"(이튿날|다음 날|다음날|익일)"), "ko_next_day"),
    (re.compile(r"(전날|전일|하루 전)"), "ko_prev_day"),
    (re.compile(r"(그저께|그제|엊그제)"), "ko_2days"),
    (re.compile(r"(어제|오늘|내일|금일)"), "ko_deictic"),
    (re.compile(r"(이날|당일|같은 날|그날)"), "context"),
]

_ZH_RULES = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "iso"),
    (re.compile(r"(?<!\d)(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})[日号]"), "ymd"),
    (re.compile(r"(?<![\d年])(\d{1,2})月\s*(\d{1,2})[日号]"), "md"),
    (re.compile(r"(上个?月|本月|这个月)\s*(\d{1,2})[日号]"), "zh_month_rel_day"),
    (re.compile(r"(?<![\d月年])(\d{1,2})[日号](?![前内])"), "zh_day"),
    (re.compile(r"(上周|上星期|本周|这周|本星期|下周|下星期)?\s*(?:周|星期|礼拜)([一二三四五六日天])"), "zh_weekday"),
    (re.compile(r"(\d+|[一两二三四五六七八九十]{1,2})\s*天(后|之后|以后|前|之前)"), "zh_offset"),
    (re.compile(r"(次日|翌日|第二天)"), "zh_next_day"),
    (re.compile(r"(前一天|前一日)"), "zh_prev_day"),
    (re.compile(r"(前天)"), "zh_2days"),
    (re.compile(r"(昨天|昨日|今天|今日|明天|明日)"), "zh_deictic"),
    (re.compile(r"(当天|当日|同日|同一天)"), "context"),
]

_RULES = {"en": _EN_RULES, "ko": _KO_RULES, "zh": _ZH_RULES}
# Most sentences hold no date: the gates skip the rules that cannot match (same matches).
# The family is shared with the status cues, which run on the same body sentences.
_RULE_GATES = {lang: LiteralGate([regex for regex, _ in rules], family=f"sentence:{lang}")
               for lang, rules in _RULES.items()}

_ANCHORED_KINDS_ALLOWED_WITHOUT_ANCHOR = {"iso", "ymd", "en_mdy", "en_dmy"}


def _resolve_match(kind: str, m: re.Match, anchor: Optional[date], context: Optional[date]) -> Optional[date]:
    g = m.groups()
    if kind in ("iso", "ymd"):
        return _safe_date(int(g[0]), int(g[1]), int(g[2]))
    if kind == "en_mdy":
        month, day, year = _MONTHS_EN[g[0].lower().rstrip(".")], int(g[1]), g[2]
        return _safe_date(int(year), month, day) if year else _month_day(month, day, anchor)
    if kind == "en_dmy":
        day, month, year = int(g[0]), _MONTHS_EN[g[1].lower().rstrip(".")], g[2]
        return _safe_date(int(year), month, day) if year else _month_day(month, day, anchor)
    if kind == "md":
        return _month_day(int(g[0]), int(g[1]), anchor)
    if anchor is None:
        return None
    base = context or anchor
    if kind == "context":
        return base
    if kind == "en_offset":
        if context is None:
            return None  # "two days later" needs a date to count from
        n = _num_en(g[0])
        if n is None:
            return None
        days = n * (7 if g[1].lower() == "week" else 1)
        return base + timedelta(days=days if g[2].lower() in ("after", "later") else -days)
    if kind in ("en_next_day", "ko_next_day", "zh_next_day"):
        return base + timedelta(days=1)
    if kind in ("en_prev_day", "ko_prev_day", "zh_prev_day"):
        return base - timedelta(days=1)
    if kind == "en_weekday":
        shift = (g[0] or "").lower().replace("on ", "").strip()
        shift = {"on": "", "late": "", "early": "", "on last": "last"}.get(shift, shift)
        return _weekday(_WEEKDAYS_EN[g[1].lower()], anchor, shift)
    if kind == "en_deictic":
        word = g[0].lower()
        return anchor + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
    if kind == "ko_month_rel_day":
        y, mo = anchor.year, anchor.month
        if g[0] in ("지난달", "지난 달", "전달"):
            y, mo = _prev_month(y, mo)
        return _safe_date(y, mo, int(g[1]))
    if kind == "zh_month_rel_day":
        y, mo = anchor.year, anchor.month
        if g[0].startswith("上"):
            y, mo = _prev_month(y, mo)
        return _safe_date(y, mo, int(g[1]))
    if kind == "ko_rel_day":
        return _day_of_month(int(g[1]), anchor, forward=(g[0] == "오는"))
    if kind in ("ko_day", "zh_day"):
        return _day_of_month(int(g[0]), anchor)
    if kind == "ko_weekday":
        shift = {"지난주": "last_week", "지난 주": "last_week", "이번 주": "this_week", "이번주": "this_week",
                 "다음 주": "next", "다음주": "next", "오는": "next"}.get((g[0] or "").strip(), "")
        return _weekday(_WEEKDAYS_KO[g[1]], anchor, shift)
    if kind == "zh_weekday":
        prefix = g[0] or ""
        shift = "last_week" if prefix.startswith("上") else "next" if prefix.startswith("下") else (
            "this_week" if prefix else "")
        return _weekday(_WEEKDAYS_ZH[g[1]], anchor, shift)
    if kind == "ko_offset":
        token = g[0].replace(" ", "")
        n = _NUMBERS_KO.get(token) or (int(token[:-1]) if token.endswith("일") and token[:-1].isdigit() else None)
        if n is None:
            return None
        return base - timedelta(days=n) if g[1] == "전" else base + timedelta(days=n)
    if kind == "zh_offset":
        n = _num_zh(g[0])
        if n is None:
            return None
        return base - timedelta(days=n) if g[1].endswith("前") else base + timedelta(days=n)
    if kind in ("ko_2days", "zh_2days"):
        return anchor - timedelta(days=2)
    if kind == "ko_deictic":
        return anchor + timedelta(days={"어제": -1, "내일": 1}.get(g[0], 0))
    if kind == "zh_deictic":
        return anchor + timedelta(days={"昨": -1, "明": 1}.get(g[0][0], 0))
    return None


def _norm_language(language: Optional[str], text: str) -> str:
    if language in _RULES:
        return language
    if re.search(r"[가-힣]", text):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


def find_date_expressions(
    sentence: str,
    anchor: Optional[date],
    language: str,
    context: Optional[date] = None,
) -> list[tuple[int, int, date]]:
    """Every date expression in `sentence` that resolves: [(start, end, date)] in text order.

    `anchor` is the article date (a date or 'YYYY-MM-DD'); `context` the last date
    resolved before this sentence (for "이날", "the same day", "two days later").
    An expression such as "four days after Dec 8" counts from the date written
    right after it; otherwise relative offsets count from the last date resolved
    earlier in the sentence, then from `context`, then from the anchor.
    """
    anchor = parse_iso(anchor)
    context = parse_iso(context)
    lang = _norm_language(language, sentence)
    taken: list[tuple[int, int, str, re.Match]] = []
    rules = _RULES[lang]
    for i in _RULE_GATES[lang].select(sentence):
        regex, kind = rules[i]
        for m in regex.finditer(sentence):
            s, e = m.span()
            if s == e or any(s < te and ts < e for ts, te, _, _ in taken):
                continue
            if kind in ("en_mdy", "en_dmy") and "may" in m.groups() :
                continue  # the modal verb "may", not the month May
            taken.append((s, e, kind, m))
    taken.sort(key=lambda t: t[0])
    out: list[tuple[int, int, date]] = []
    last = context
    skip = -1
    for i, (s, e, kind, m) in enumerate(taken):
        if i == skip:
            continue
        base = last
        d = None
        if kind == "en_offset" and m.group(3).lower() in ("after", "before"):
            # "four days after Dec 8": the reference date follows; next to it, both make one
            # expression; further on ("Four days after Trump said on Dec. 8 that ...") it still counts.
            nxt = taken[i + 1] if i + 1 < len(taken) else None
            ref = _resolve_match(nxt[2], nxt[3], anchor, last) if nxt and nxt[0] - e <= 80 else None
            if ref:
                base = ref
                if nxt[0] - e <= 6:
                    e, skip = nxt[1], i + 1
            elif last is not None and m.group(2).lower() == "day":
                # "..., a day after Trump said ...": the event told after it is that many
                # days before the date already given.
                n = _num_en(m.group(1))
                if n is not None:
                    d = last - timedelta(days=n) if m.group(3).lower() == "after" else last + timedelta(days=n)
            else:
                continue  # "two weeks after" an undated event: no day
        if anchor is None and kind not in _ANCHORED_KINDS_ALLOWED_WITHOUT_ANCHOR:
            continue
        if d is None:
            d = _resolve_match(kind, m, anchor, base)
        if d is not None:
            out.append((s, e, d))
            last = d
    return out


def resolve_relative_date(fragment: str, anchor, language: str, context=None) -> Optional[date]:
    """The date a fragment such as "on Monday", "8일(현지시간)", "지난 13일" or "9日" names.

    `anchor` is the article's publication date (date or 'YYYY-MM-DD'; None ->
    only full dates with a year resolve). Returns the first expression's date,
    or None when the fragment holds no resolvable date.
    """
    found = find_date_expressions(fragment, anchor, language, context=context)
    if not found:
        return None
    # "four days after Dec 8": the offset expression, not the reference date, is meant.
    return found[0][2]
