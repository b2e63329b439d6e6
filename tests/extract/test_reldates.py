from datetime import date

import pytest

from chipwatch.extract.reldates import find_date_expressions, resolve_relative_date

TUE = date(2025, 12, 9)  # a Tuesday


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ("on Monday", date(2025, 12, 8)),
        ("said Monday", date(2025, 12, 8)),
        ("on Tuesday", date(2025, 12, 9)),  # the anchor's own weekday is the anchor
        ("last Friday", date(2025, 12, 5)),
        ("next Monday", date(2025, 12, 15)),
        ("yesterday", date(2025, 12, 8)),
        ("today", TUE),
        ("Dec 8", date(2025, 12, 8)),
        ("Dec. 8", date(2025, 12, 8)),
        ("December 8, 2025", date(2025, 12, 8)),
        ("8 December", date(2025, 12, 8)),
        ("Aug. 11", date(2025, 8, 11)),
        ("2025-12-08", date(2025, 12, 8)),
        ("four days after Dec 8", date(2025, 12, 12)),
    ],
)
def test_english(fragment, expected):
    assert resolve_relative_date(fragment, TUE, "en") == expected


@pytest.mark.parametrize("fragment", ["this week", "last month", "in April", "since 2023", "the rules may 5 change"])
def test_english_vague_is_none(fragment):
    assert resolve_relative_date(fragment, TUE, "en") is None


def test_month_day_without_year_crosses_new_year():
    assert resolve_relative_date("Dec 30", date(2026, 1, 4), "en") == date(2025, 12, 30)
    assert resolve_relative_date("12월 30일", date(2026, 1, 4), "ko") == date(2025, 12, 30)


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ("8일(현지시간)", date(2025, 12, 8)),
        ("8일(현지 시각)", date(2025, 12, 8)),
        ("지난 13일", date(2025, 11, 13)),  # after the anchor's day -> previous month
        ("13일", date(2025, 11, 13)),
        ("12월 8일", date(2025, 12, 8)),
        ("2025년 12월 8일", date(2025, 12, 8)),
        ("지난달 15일", date(2025, 11, 15)),
        ("어제", date(2025, 12, 8)),
        ("오늘", TUE),
        ("오는 15일", date(2025, 12, 15)),
        ("이날", TUE),  # no earlier date: the article's date
    ],
)
def test_korean(fragment, expected):
    assert resolve_relative_date(fragment, TUE, "ko") == expected


@pytest.mark.parametrize("fragment", ["30일 이내에", "90일간", "지난달", "이번 주"])
def test_korean_durations_are_not_dates(fragment):
    assert resolve_relative_date(fragment, TUE, "ko") is None


@pytest.mark.parametrize(
    "fragment, expected",
    [
        ("9日", date(2025, 12, 9)),
        ("12月9日", date(2025, 12, 9)),
        ("2025年12月8日", date(2025, 12, 8)),
        ("本周一", date(2025, 12, 8)),
        ("周一", date(2025, 12, 8)),
        ("上周五", date(2025, 12, 5)),
        ("昨天", date(2025, 12, 8)),
        ("当天", TUE),
    ],
)
def test_chinese(fragment, expected):
    assert resolve_relative_date(fragment, TUE, "zh") == expected


def test_anchor_as_string_and_missing_anchor():
    assert resolve_relative_date("on Monday", "2025-12-09", "en") == date(2025, 12, 8)
    assert resolve_relative_date("on Monday", None, "en") is None
    assert resolve_relative_date("8일", None, "ko") is None
    assert resolve_relative_date("December 8, 2025", None, "en") == date(2025, 12, 8)
    assert resolve_relative_date("2025년 12월 8일", None, "ko") == date(2025, 12, 8)


def test_find_expressions_offsets_and_chained_relative_dates():
    text = "The ministry spoke on Friday and two days later the White House answered."
    found = find_date_expressions(text, date(2025, 8, 11), "en")
    assert [(text[s:e], d) for s, e, d in found] == [
        ("on Friday", date(2025, 8, 8)),
        ("two days later", date(2025, 8, 10)),
    ]


def test_same_day_uses_context_date():
    # "이날" / "当天" refer to the last date resolved before them.
    assert find_date_expressions("이날 발표했다", TUE, "ko", context=date(2025, 12, 8))[0][2] == date(2025, 12, 8)
    assert find_date_expressions("当天宣布", TUE, "zh", context=date(2025, 12, 8))[0][2] == date(2025, 12, 8)
    assert resolve_relative_date("two days later", TUE, "en") is None  # nothing to count from


def test_korean_sentence_with_two_dates():
    text = "미국 정부가 지난 9일 수출 허가가 필요하다고 통보했다고 회사가 15일(현지시간) 밝혔다."
    found = find_date_expressions(text, date(2025, 4, 16), "ko")
    assert [d for _, _, d in found] == [date(2025, 4, 9), date(2025, 4, 15)]


def test_offsets_without_a_following_date():
    text = "The ministry declined on Tuesday to comment, a day after the White House spoke."
    assert [d for _, _, d in find_date_expressions(text, date(2025, 12, 10), "en")] == [
        date(2025, 12, 9), date(2025, 12, 8)]
    assert find_date_expressions("The meeting came two weeks after Washington spoke.", TUE, "en") == []


def test_offset_reference_further_on():
    text = "Four days after the president said on Dec. 8 that sales could go ahead, officials met."
    found = find_date_expressions(text, date(2025, 12, 14), "en")
    assert [(text[s:e], d) for s, e, d in found] == [
        ("Four days after", date(2025, 12, 12)), ("Dec. 8", date(2025, 12, 8))]
