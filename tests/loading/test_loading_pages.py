"""Saved pages, portal scrapes and plain-text stories: headline, date, publisher, clean body."""
from pathlib import Path

import pytest

from chipwatch.loading import load_bytes, load_file, publishers
from chipwatch.loading.page import looks_like_html, parse_page, split_title_chrome
from chipwatch.models import Article, LoadError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "loading"


@pytest.fixture(autouse=True)
def fixture_publishers():
    publishers.use_table(FIX / "publishers.csv")
    yield
    publishers.use_table(None)


def one(name) -> Article:
    (a,) = load_file(FIX / name)
    assert isinstance(a, Article), a
    return a


# -- Korean portal scrape ------------------------------------------------------------

def test_portal_headline_date_publisher():
    a = one("portal_ko.txt")
    assert a.source == str(FIX / "portal_ko.txt")
    assert a.title == "말레이시아, 미국산 AI 칩 재수출에 허가제…'우회 통로' 차단 나서"
    # "작성일 07-15" has no year; the image path /202507/15/ supplies it
    assert a.published == "2025-07-15"
    assert a.publisher == "Seoul Economic Daily"  # from "Copyright ⓒ 서울경제."
    assert a.language == "ko"
    assert a.flags == []


def test_portal_body_and_captions():
    a = one("portal_ko.txt")
    paras = a.body.split("\n\n")
    assert len(paras) == 4
    assert paras[0].startswith("말레이시아 투자통상산업부는 미국산 고성능 인공지능(AI) 칩을")
    assert paras[0].endswith("14일(현지 시각) 발표했다.")
    assert paras[-1] == "현지 업계 관계자는 “정상적인 데이터센터 사업에는 큰 영향이 없겠지만 서류 부담은 늘어날 것”이라고 말했다."
    assert a.captions == ["쿠알라룸푸르 외곽의 데이터센터 단지./AFP 연합뉴스"]
    for dropped in ("작성일", "목록", "번역 기능 안내", "Copyright", "무단전재", "관련자료", "장마", "항공권",
                    "댓글", "로그인한 회원만", "데이터센터 단지./AFP"):
        assert dropped not in a.body, dropped


def test_portal_copy_without_markup_on_one_line():
    text = ("반도체 장비 수출 심사 강화 입력 2025.11.03 14:20 목록 정부가 반도체 장비 수출 심사를 강화한다고 밝혔다. "
            "업계는 납기가 늦어질 수 있다고 우려했다. Copyright ⓒ 한빛일보. 무단전재 및 재배포 금지. "
            "관련자료 이전 다른 기사 제목 11-03 다음 또 다른 기사 11-03 댓글 0")
    (a,) = load_bytes(text.encode(), "copy.txt")
    assert a.title == "반도체 장비 수출 심사 강화"
    assert a.body == "정부가 반도체 장비 수출 심사를 강화한다고 밝혔다. 업계는 납기가 늦어질 수 있다고 우려했다."
    assert a.published == "2025-11-03"
    assert a.publisher == "Hanbit Ilbo"


@pytest.mark.parametrize(
    "head, title",
    [('<title>US - China chip talks stall | The Chip Ledger</title>', "US - China chip talks stall"),
     ('<title>US - China chip talks stall - The Chip Ledger</title><meta property="og:site_name" '
      'content="The Chip Ledger">', "US - China chip talks stall"),
     ("<title>반도체 수출 늘어 : 네이버 뉴스</title>", "반도체 수출 늘어"),
     ("<title>Chips: what the new rules mean</title>", "Chips: what the new rules mean")],
)
def test_title_tag_minus_site_suffix(head, title):
    html = f"<html><head>{head}</head><body><p>Some body text for the page.</p></body></html>"
    (a,) = load_bytes(html.encode(), "t.html")
    assert a.title == title


def test_split_title_chrome():
    assert split_title_chrome("제목입니다 작성일 04-16 08 목록") == ("제목입니다", "작성일 04-16 08 목록")
    assert split_title_chrome("Plain headline") == ("Plain headline", "")


# -- English page with metadata and widgets -----------------------------------------

def test_english_page_metadata():
    a = one("page_en.html")
    assert a.title == "Dutch widen curbs on chipmaking tools sold to China"  # og:title
    assert a.published == "2025-09-06"  # article:published_time
    assert a.publisher == "The Chip Ledger"  # JSON-LD "Chip Ledger Media" via the table
    assert a.url == "https://chipledger.example/news/2025/09/06/dutch-tool-curbs"
    assert a.language == "en"
    assert a.captions == ["A lithography machine on display at a trade fair in Eindhoven."]
    assert a.flags == []


def test_english_page_body_is_clean():
    a = one("page_en.html")
    assert a.body == (
        "The Dutch government said on Friday it would require export licences for more deep-ultraviolet "
        "lithography machines, extending controls to older models that Chinese chipmakers still buy in large "
        "numbers.\n\n"
        "The trade ministry said the rule takes effect on Sept. 15 and covers servicing and spare parts as well "
        "as new machines.\n\n"
        "“We take this step to protect our national security,” Trade Minister Lotte Brink said in a letter to "
        "parliament.\n\n"
        "ASML said it expected no material impact on its outlook for this year."
    )
    # the dateline prefix "AMSTERDAM, Sept 6 (The Chip Ledger) - " is stripped


def test_korean_page_without_metadata():
    a = one("page_ko.htm")
    assert a.title == "미국, 엔비디아 신형 칩 중국 판매 보류"  # <title> minus " - 한빛일보"
    assert a.published == "2025-12-14"  # "입력" wins over "수정 2025.12.15"
    assert a.publisher == "Yonhap"  # the agency byline "(서울=연합뉴스)" names the source
    assert a.body.startswith("미국 정부가 엔비디아의 신형 AI 칩을")  # byline prefix stripped
    assert a.body.endswith("고객사에 알리겠다는 입장이다.")  # reporter e-mail dropped
    for dropped in ("관련기사", "반도체 수출 석 달째", "bada@example.kr", "ⓒ", "정치", "입력"):
        assert dropped not in a.body, dropped
    assert a.body.count("\n\n") == 2


def test_html_fragment_and_empty_page():
    (a,) = load_bytes("<p>First para.</p><p>Second para.</p>".encode(), "frag.html")
    assert (a.title, a.body) == ("", "First para.\n\nSecond para.")
    assert "title_missing" in a.flags
    assert list(load_bytes(b"<html><body><nav>Menu</nav></body></html>", "e.html")) == [
        LoadError("e.html", "no article text found on the page")]


def test_broken_markup_does_not_fail():
    html = "<div class='article-body'><p>Unclosed <b>bold <p>Second <i>para</div></span></p><p>Third"
    (a,) = load_bytes(html.encode(), "broken.html")
    # "</div>" closes the article container, so "Third" (after it) is page chrome
    assert a.body == "Unclosed bold\n\nSecond para"


def test_txt_with_markup_is_html():
    assert looks_like_html("Headline 작성일 04-16 <div class=x>text</div>")
    assert looks_like_html("<p>text")
    assert not looks_like_html("Prices rose 3% as 2 < 3 and 5 > 4 in 2025.")


def test_related_and_comment_markers_in_plain_text():
    text = ("Headline of the story\n\nFirst paragraph of the article, long enough to be a real paragraph of text "
            "that someone would write.\n\nSecond paragraph with more facts about export licences and chips.\n\n"
            "Related articles\n\nAnother story title\n\nYet another story\n\nComments (3)\n\nNice one")
    (a,) = load_bytes(text.encode(), "plain.txt")
    assert a.body.split("\n\n") == [
        "First paragraph of the article, long enough to be a real paragraph of text that someone would write.",
        "Second paragraph with more facts about export licences and chips.",
    ]


# -- plain-text wire story -----------------------------------------------------------

def test_wire_story():
    a = one("wire_en.txt")
    assert a.title == "South Korea to check memory chip shipments bound for China more closely"
    assert a.publisher == "Wirewatch"  # "(Wirewatch News)" in the dateline
    assert a.published is None  # "Mar 4" has no year and nothing else dates the story
    assert a.flags == ["date_missing", "date_year_unknown:03-04"]
    assert a.body.startswith("South Korea's trade ministry said on Tuesday")  # dateline stripped
    assert a.body.endswith("Analysts said the rule would mostly affect small distributors.")
    assert "Reporting by" not in a.body
    assert a.body.count("\n\n") == 2


def test_leading_byline_line_is_dropped():
    text = "Headline\n\nBy Jane Doe, Staff Writer\n\nBy Monday, the rules will apply to all exporters."
    (a,) = load_bytes(text.encode(), "b.txt")
    assert a.body == "By Monday, the rules will apply to all exporters."


def test_wire_story_with_year_in_dateline():
    text = "Headline\n\nTAIPEI, Dec 3, 2025 (Reuters) - Taiwan said on Wednesday it would add checks."
    (a,) = load_bytes(text.encode(), "w.txt")
    assert (a.published, a.publisher, a.body) == ("2025-12-03", "Reuters", "Taiwan said on Wednesday it would add checks.")


def test_wire_year_from_copyright_confirmed_by_weekday():
    text = ("Customs notice stalls chip imports\n\n"
            "BEIJING, Jan 14 (Wirewatch News) - Customs officers told agents on Wednesday that the chips "
            "could not enter the country.\n\n"
            "The notice came after a rule published on Tuesday, Jan. 13, changed licence reviews.\n\n"
            "(c) 2026 Wirewatch News. All rights reserved.")
    (a,) = load_bytes(text.encode(), "w.txt")
    assert a.published == "2026-01-14" and a.flags == []  # 2026-01-13 is a Tuesday
    assert a.body.endswith("changed licence reviews.")
    wrong_weekday = text.replace("Tuesday, Jan. 13", "Friday, Jan. 13")
    (b,) = load_bytes(wrong_weekday.encode(), "w.txt")
    assert b.published is None and b.flags == ["date_missing", "date_year_unknown:01-14"]


def test_wire_year_from_url_line():
    text = ("Licence applications go to review\n\nWASHINGTON, Dec 19 (Wirewatch News) - The department sent the "
            "applications to other agencies.\n\nhttps://wire.example/2025/12/19/review")
    (a,) = load_bytes(text.encode(), "w.txt")
    assert (a.published, a.url) == ("2025-12-19", "https://wire.example/2025/12/19/review")
    assert a.body == "The department sent the applications to other agencies."


def test_chinese_source_and_date_lines():
    text = ("芯片出口新规引发关注\n\n发布时间：2025-12-10 09:30  来源：新华社\n\n"
            "美国商务部9日发布新规，调整对华芯片出口审查方式。\n\n分析人士认为，新规影响有待观察。\n\n责任编辑：李明")
    (a,) = load_bytes(text.encode("gb18030"), "zh.txt")
    assert (a.published, a.publisher, a.language) == ("2025-12-10", "Xinhua", "zh")
    assert a.body == "美国商务部9日发布新规，调整对华芯片出口审查方式。\n\n分析人士认为，新规影响有待观察。"


def test_chinese_page_meta_source_and_copyright():
    html = ("<html><head><title>外交部回应_新闻网</title><meta name=\"publishdate\" content=\"2025-12-09 16:32:10\">"
            "</head><body><h1>外交部回应</h1><div class=\"content\"><p>外交部发言人9日表示，中方注意到有关报道。</p></div>"
            "<div class=\"footer\">Copyright © 新华社 版权所有</div></body></html>")
    (a,) = load_bytes(html.encode(), "zh.html")
    assert (a.title, a.published, a.publisher) == ("外交部回应", "2025-12-09", "Xinhua")


def test_gb18030_plain_text():
    a = one("zh_gb18030.txt")
    assert a.title == "商务部回应美方芯片出口管制新规"
    assert a.language == "zh"
    assert a.body.startswith("商务部新闻发言人5日表示")
    assert a.flags == ["date_missing"]  # "5日" is only a day of the month


def test_parse_page_on_text_directly():
    parts = parse_page("Title line\n\nBody one.\n\nBody two.")
    assert (parts.title, parts.paragraphs) == ("Title line", ["Body one.", "Body two."])
