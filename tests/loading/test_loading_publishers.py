"""Publisher names: table normalisation, bylines, datelines, copyright lines, URL domains."""
from pathlib import Path

import pytest

from chipwatch.loading import publishers
from chipwatch.loading.publishers import find_publisher, from_url, normalise_publisher

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "loading"


@pytest.fixture(autouse=True)
def fixture_publishers():
    publishers.use_table(FIX / "publishers.csv")
    yield
    publishers.use_table(None)


@pytest.mark.parametrize(
    "raw, expected",
    [("조선일보", "Chosun Ilbo"), ("  조선일보 ", "Chosun Ilbo"), ("Chosun Ilbo", "Chosun Ilbo"),
     ("REUTERS", "Reuters"), ("wirewatch  news", "Wirewatch"), ("新华社", "Xinhua"),
     ("Unknown Gazette", "Unknown Gazette"), ("  Unknown   Gazette ", "Unknown Gazette"), ("", ""), (None, "")],
)
def test_normalise_publisher(raw, expected):
    assert normalise_publisher(raw) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("(서울=연합뉴스) 김하늘 기자 = 정부는 3일 밝혔다.", "Yonhap"),
     ("(뉴욕=연합인포맥스) 이바다 특파원 = 뉴욕 증시는", "Yonhap Infomax"),
     ("[워싱턴=한빛일보] 미국 정부가", "Hanbit Ilbo"),
     ("[조선일보] 삼성전자가 밝혔다.", "Chosun Ilbo"),
     ("[단독] 엔비디아 신형 칩", None),
     ("WASHINGTON, Aug 11 (Wirewatch News) - Nvidia said", "Wirewatch"),
     ("SEOUL (Reuters) - South Korea said", "Reuters"),
     ("본문입니다.\nCopyright © 조선일보. 무단전재 및 재배포 금지.", "Chosun Ilbo"),
     ("본문입니다. ⓒ 한빛일보, 무단전재", "Hanbit Ilbo"),
     ("Body text.\n© 2025 Reuters. All rights reserved.", "Reuters"),
     ("<저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지>", "Yonhap"),
     ("Body.\nCopyright © 2025 Small Town Times. All rights reserved.", "Small Town Times"),
     ("Just an article with no outlet named anywhere.", None)],
)
def test_find_publisher(text, expected):
    assert find_publisher(text) == expected


def test_byline_far_from_the_start_is_a_quote_not_the_publisher():
    text = "A" * 400 + " (서울=연합뉴스) 인용"
    assert find_publisher(text) is None


def test_known_copyright_wins_over_portal_footer():
    text = "기사 본문.\nCopyright © 한빛일보. 무단전재 금지.\n© Kakao Corp."
    assert find_publisher(text) == "Hanbit Ilbo"


def test_from_url():
    assert from_url("https://www.chosun.com/economy/2025/10/17/x") == "Chosun Ilbo"
    assert from_url("https://news.chipledger.example/a") == "The Chip Ledger"
    assert from_url("https://unknown.example/a") is None
    assert from_url(None) is None and from_url("not a url") is None


def test_missing_table_means_no_normalisation(tmp_path):
    publishers.use_table(tmp_path / "absent.csv")
    assert normalise_publisher("조선일보") == "조선일보"
    assert find_publisher("Copyright © 조선일보. 무단전재") == "조선일보"


def test_table_is_reread_when_it_changes(tmp_path):
    table = tmp_path / "publishers.csv"
    publishers.use_table(table)
    assert normalise_publisher("한빛") == "한빛"
    table.write_text("publisher,alias,country,source\nHanbit Ilbo,한빛,KOR,https://example.org\n", encoding="utf-8")
    assert normalise_publisher("한빛") == "Hanbit Ilbo"
