"""Publication dates: value formats, visible date lines, URLs, year-less dates, flags."""
from datetime import date

import pytest

from chipwatch.loading import dates, load_bytes
from chipwatch.loading.dates import complete_month_day, dates_in_url, labelled_dates, parse_date, resolve

D = date(2025, 12, 14)


@pytest.mark.parametrize(
    "value",
    ["2025-12-14", "2025-12-14T09:01:00+09:00", "2025-12-14T23:30:00Z", "2025-12-14 09:01", "2025.12.14",
     "2025.12.14.", "2025/12/14", "Dec 14, 2025", "December 14, 2025", "Sun, 14 Dec 2025 09:01:00 +0900",
     "14 December 2025", "14 Dec. 2025", "2025년 12월 14일", "2025年12月14日", "20251214", "20251214090140",
     1765702860, "1765702860", 1765702860000, " 2025-12-14 "],
)
def test_parse_date_formats(value):
    assert parse_date(value) == D


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "yesterday", "", None, True, "03/04/2025", [2025]])
def test_parse_date_rejects(value):
    assert parse_date(value) is None


def test_iso_date_is_the_date_as_written_not_utc():
    # 00:30 in Seoul is still the previous day in UTC; the article was published on the 15th.
    assert parse_date("2025-12-15T00:30:00+09:00") == date(2025, 12, 15)


def test_unambiguous_numeric_dates():
    assert parse_date("12/14/2025") == D
    assert parse_date("14/12/2025") == D


def test_labelled_date_lines():
    full, partial = labelled_dates("입력 2025.12.14 09:01 수정 2025.12.15 10:30")
    assert full == [D, date(2025, 12, 15)]  # publication label first
    assert partial == []
    full, partial = labelled_dates("수정 2025.12.15 10:30 | 기사입력 2025.12.14. 오전 9:01")
    assert full[0] == D
    assert labelled_dates("헤드라인 작성일 04-16 08 목록") == ([], [(4, 16)])
    assert labelled_dates("Updated Dec 15, 2025 · Published on Dec. 14, 2025")[0] == [D, date(2025, 12, 15)]
    # "date" inside "Update:" is not a label
    assert labelled_dates("Update: 2025-12-15")[0] == []


@pytest.mark.parametrize(
    "url, expected",
    [("https://news.example/2025/12/10/story", date(2025, 12, 10)),
     ("https://t1.daumcdn.net/news/202512/14/paper/20251214090140123abc.jpg", D),
     ("https://img.example/photo/20251214090140.jpg", D),
     ("https://news.example/article/20251214/123", D),
     ("https://news.example/2025-12-14-story", D)],
)
def test_dates_in_urls(url, expected):
    assert dates_in_url(url)[0] == expected


def test_no_date_in_url():
    assert dates_in_url("https://news.example/article/123456") == []
    assert dates_in_url("https://news.example/20251399/x") == []


def test_dateline():
    m = dates.dateline("WASHINGTON, Aug 11 (Newswire) - Text")
    assert m.group("outlet") == "Newswire"
    assert dates.dateline_date(m) == (None, (8, 11))
    m = dates.dateline("TAIPEI, Dec 3, 2025 (Reuters) - Text")
    assert dates.dateline_date(m) == (date(2025, 12, 3), None)
    assert dates.dateline("The ministry said on Tuesday (local time) - ") is None


def test_complete_month_day():
    assert complete_month_day(4, 16, [date(2025, 4, 16)]) == date(2025, 4, 16)
    assert complete_month_day(12, 31, [date(2026, 1, 1)]) == date(2025, 12, 31)  # across new year
    assert complete_month_day(4, 16, [date(2025, 10, 1)]) is None  # too far: no guess
    assert complete_month_day(4, 16, []) is None


def test_resolve_priorities_and_flags():
    today = date(2026, 1, 1)
    assert resolve(metadata=["2025-12-14"], text_dates=[date(2025, 1, 1)], today=today) == ("2025-12-14", [])
    assert resolve(metadata=["", None], text_dates=[D], today=today) == ("2025-12-14", [])
    assert resolve(url_dates=[D], today=today) == ("2025-12-14", [])
    assert resolve(partials=[(12, 14)], url_dates=[date(2025, 12, 13)], today=today) == ("2025-12-14", [])
    assert resolve(partials=[(8, 11)], today=today) == (None, ["date_missing", "date_year_unknown:08-11"])
    # a year-less date that contradicts the only dated evidence is not overruled by it either
    assert resolve(partials=[(8, 11)], url_dates=[D], today=today) == (
        None, ["date_missing", "date_year_unknown:08-11"])
    assert resolve(today=today) == (None, ["date_missing"])
    assert resolve(metadata=["2025-02-30"], url_dates=[D], today=today) == (None, ["date_invalid:2025-02-30"])
    assert resolve(metadata=["2026-03-01"], today=today) == ("2026-03-01", ["date_future"])


def test_korean_day_of_month_is_not_a_month():
    # "12일(현지 시각)" is the 12th of some month, not December: no publication date from it
    text = "제목\n\n미국 상무부는 12일(현지 시각) 새 규정을 발표했다."
    (a,) = load_bytes(text.encode(), "k.txt")
    assert a.published is None and a.flags == ["date_missing"]


def test_record_published_formats_through_loader():
    data = (
        '{"title": "a", "body": "b", "published": "2025년 12월 14일"}\n'
        '{"title": "a", "body": "b", "published": "14 December 2025"}\n'
        '{"title": "a", "body": "b", "published": 1765702860}\n'
        '{"title": "a", "body": "b", "published": "not a date"}\n'
    )
    items = list(load_bytes(data.encode(), "d.jsonl"))
    assert [a.published for a in items] == ["2025-12-14", "2025-12-14", "2025-12-14", None]
    assert items[3].flags == ["date_invalid:not a date"]


def test_copyright_years_and_weekday_hints():
    assert dates.copyright_years("(c) 2026 Newswire. Copyright © 2019-2025 Other") == [2026, 2025]
    assert dates.weekday_dates("a rule published on Tuesday, Jan. 13, moved reviews") == [(1, 1, 13)]
    assert dates.weekday_dates("on Tuesday, Jan. 13, 2026") == []  # has a year: a full date instead
    assert dates.year_from_hints(1, 14, [2026], [(1, 1, 13)]) == date(2026, 1, 14)
    assert dates.year_from_hints(1, 14, [2026], [(4, 1, 13)]) is None  # Jan 13 2026 is no Friday
    assert dates.year_from_hints(1, 14, [2026], []) is None  # a footer year alone is not enough
    # a weekday mention from late December belongs to the previous year
    assert dates.year_from_hints(1, 2, [2026], [(2, 12, 31)]) == date(2026, 1, 2)
