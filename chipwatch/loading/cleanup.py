"""Paragraph-level clean-up shared by HTML pages and plain text.

Markup-based removal (page.py) catches widgets that have class names; what is
left is recognised by its words: copyright lines, "related articles" and
previous/next links, comment widgets, share buttons, and the reporter's byline
and e-mail at the end. Wire datelines and agency bylines at the start are
stripped too (the caller reads date and publisher from the raw paragraphs).
"""
from __future__ import annotations

import re
from typing import Optional

from chipwatch.loading import dates

COPYRIGHT = re.compile(
    r"Copyright\s*(?:©|ⓒ|\(c\))|(?:^|\s|<)(?:©|ⓒ|\(c\))\s*\S|저작권자|무단\s*전재|재배포\s*금지|All rights reserved|版权所有",
    re.I,
)
# Whole paragraphs that are page furniture. Matched against the full paragraph.
_FURNITURE = re.compile(
    r"(?:공유(?:하기)?|페이스북|트위터|카카오(?:톡|스토리)?|네이버\s*밴드|링크\s*복사|URL\s*복사|인쇄(?:하기)?|"
    r"스크랩|글자\s*크기|가|좋아요\s*\d*|구독(?:하기)?|기사\s*제보|광고|"
    r"Share(?: this(?: article| story)?)?|Print|E-?mail|Tweet|Facebook|Twitter|LinkedIn|WhatsApp|"
    r"Copy link|Advertisement|Subscribe|Sign up|Listen to this article|Read more|Follow us|"
    r"分享到[：:]?|分享|微信|微博|QQ空间|打印|收藏|"
    r"[\s|·/])++",  # possessive: a long run of "| | |" must not backtrack exponentially
    re.I,
)
# Markers after which the page lists other stories or comments.
_TAIL_MARKER = re.compile(
    r"(?:관련\s*(?:기사|자료|뉴스)|이\s*시각\s*(?:주요|인기)\s*뉴스|많이\s*본\s*뉴스|이전\s*(?:기사|글)?|다음\s*(?:기사|글)?|"
    r"댓글(?:\s*\d+)?|등록된 댓글이 없습니다\.?|로그인한 회원만 댓글 등록이 가능합니다\.?|"
    r"Related(?:\s+(?:articles?|stories|coverage|news|content|posts))?|More from\b.*|More on\b.*|See also|"
    r"Recommended(?: stories)?|Most (?:read|popular)|Comments?(?:\s*\(\d+\))?|\d+\s+Comments?|"
    r"Leave a (?:comment|reply)|Log in to comment|Sign in to comment|"
    r"相关(?:新闻|阅读|文章|报道)|延伸阅读|热门推荐|上一篇.*|下一篇.*)[\s:.：]*",
    re.I,
)
# Leading marker of a run of chrome in a single long line: "관련자료 이전 ... 다음 ...".
_INLINE_TAIL = re.compile(r"\s(?:관련\s*(?:기사|자료)\s+이전|관련\s*(?:기사|자료)|댓글\s*\d+\s+등록된|Related articles)\s")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BYLINE_END = re.compile(
    r"^(?:\(?(?:Reporting|Writing|Editing|Additional reporting)\s+by\b.*"
    r"|By\s+[A-Z][a-z]+(?:\s+[A-Z][\w.'-]+){1,3}\s*(?:[,;|].{0,60})?"
    r"|\[?[가-힣]{2,4}\s*(?:기자|특파원|선임기자|논설위원|객원기자|인턴기자)(?![가-힣]).*"
    r"|/\s*[가-힣A-Za-z ]{2,20}|[（(]?责任编辑[：:].*|.*" + _EMAIL.pattern + r".*"
    r"|(?:[^\s:：]{1,30}\s*[:：]\s*)?(?:https?://|www\.)\S+)$"  # "Source: https://..." link lines
)
# "홍길동 기자 hong@x.kr" glued to the end of the last paragraph.
_TRAILING_REPORTER = re.compile(r"\s*(?:[가-힣]{2,4}\s*(?:기자|특파원)\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$")
# "(서울=연합뉴스) 홍길동 기자 = ", "[뉴욕=연합인포맥스] ", "[서울경제] ".
_KO_LEAD = re.compile(
    r"^\s*(?:[\[(][^\[\]()\n]{1,20}=[^\[\]()\n]{1,25}[\])]|\[[^\[\]\n]{1,12}(?:일보|신문|경제|뉴스|타임스|통신|방송)\])"
    r"\s*(?:[가-힣]{2,4}\s*(?:기자|특파원)\s*=\s*)?"
)
# "SEOUL (Reuters) - ": a dateline without a date.
_CITY_LEAD = re.compile(r"^\s*[A-Z][A-Z .,'-]{1,40}\s*\(([^()\n]{2,40})\)\s*[-–—]+\s*")
# A paragraph that is only a date line: "입력 2025.11.03 14:20", "Updated Dec 14, 2025 9:01 AM".
_DATE_LINE = re.compile(
    r"(?:(?:입력|작성일|기사입력|최종\s*수정|수정|등록|송고|업데이트|Published|Posted|Updated|Modified|Date"
    r"|发布时间|发布日期|发表时间|更新时间|时间|日期)\s*[:：]?|(?:来源|來源|责任编辑)[:：]\s*[^\s|]+"
    r"|\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}\s*[일.]?|\d{1,2}:\d{2}(?::\d{2})?|오전|오후|AM|PM|KST|UTC|GMT"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}|[|·/,()\s])++",
    re.I,
)
_REPORTER_TAIL = 160  # how far from the end of the last paragraph a reporter's e-mail is looked for
_SHORT = 200  # a paragraph this short can be a copyright line, related title or byline
_SENTENCE_END = re.compile(r"(?:[.!?。！？]|다\.?)[\"'”’)\]]*\s*$")
_LEAD_BYLINE = re.compile(r"^By\s+[A-Z][a-z]+(?:\s+[A-Z][\w.'-]+){1,3}\s*(?:[,;|].{0,60})?$")


def strip_furniture(paragraphs: list[str]) -> list[str]:
    """Drop share/print/ad lines, copyright lines, related lists and comments."""
    out: list[str] = []
    n = len(paragraphs)
    rest_info = None  # computed once, on the first marker: a page can hold thousands
    for i, para in enumerate(paragraphs):
        if _FURNITURE.fullmatch(para) or (len(para) <= 60 and _DATE_LINE.fullmatch(para)):
            continue
        copyright_line = COPYRIGHT.search(para)
        is_copyright = len(para) < _SHORT and copyright_line and copyright_line.start() <= 10
        if _TAIL_MARKER.fullmatch(para) or is_copyright:
            if rest_info is None:
                rest_info = _rest_info(paragraphs)
            if _article_is_over(*rest_info[i + 1], past_middle=i >= n / 2):
                break
            continue  # only this line is furniture
        out.append(para)
    if out:
        out[-1] = cut_inline_tail(out[-1])
    return [p for p in out if p]


def _rest_info(paragraphs: list[str]) -> list[tuple[int, bool, int]]:
    """For each i: (paragraphs from i on, are they all short, how many do not end a sentence)."""
    info = [(0, True, 0)] * (len(paragraphs) + 1)
    for i in range(len(paragraphs) - 1, -1, -1):
        count, short, unfinished = info[i + 1]
        p = paragraphs[i]
        info[i] = (count + 1, short and len(p) < _SHORT, unfinished + (not _SENTENCE_END.search(p)))
    return info


def _article_is_over(count: int, all_short: bool, unfinished: int, past_middle: bool) -> bool:
    """After a copyright/related/comment marker: is the rest story titles and comments?

    They are short, and unlike article paragraphs they mostly do not end a sentence.
    """
    if not all_short:
        return False
    return past_middle or unfinished >= 0.7 * count


def cut_inline_tail(para: str) -> str:
    """Cut a copyright line and the chrome after it off a long last paragraph.

    Text copied from a portal without markup keeps everything on one line:
    "... 말했다. Copyright © 한국경제. 무단전재 및 재배포 금지. 관련자료 이전 ...".
    """
    cut = len(para)
    for rx in (COPYRIGHT, _INLINE_TAIL):
        m = rx.search(para)
        if m and m.start() > len(para) / 3:
            cut = min(cut, m.start())
    if cut < len(para):
        # Back up to the start of the copyright sentence ("Copyright ©", "ⓒ 매체").
        head = para[:cut]
        head = re.sub(r"\s*(?:Copyright|저작권자|<)?\s*$", "", head)
        return head.rstrip(" <[(")
    return para


def strip_trailing_byline(paragraphs: list[str]) -> list[str]:
    """Drop the reporter's name / e-mail / "Reporting by" lines at the end."""
    out = list(paragraphs)
    while out and len(out[-1]) < 120 and _BYLINE_END.match(out[-1]):
        out.pop()
    if out:
        # Only the tail can hold "name 기자 e-mail"; searching a long paragraph whole is quadratic.
        last = out[-1]
        cut = max(0, len(last) - _REPORTER_TAIL)
        out[-1] = last[:cut] + _TRAILING_REPORTER.sub("", last[cut:])
    return [p for p in out if p]


def strip_lead(paragraphs: list[str]) -> tuple[list[str], Optional[re.Match]]:
    """Strip a wire dateline or agency byline from the first paragraph.

    Returns (paragraphs, the dateline match when there was one, for its date).
    """
    if paragraphs and len(paragraphs[0]) < 80 and _LEAD_BYLINE.match(paragraphs[0]):
        paragraphs = paragraphs[1:]  # "By Jane Doe, Staff Writer"
    if not paragraphs:
        return paragraphs, None
    first = paragraphs[0]
    m = dates.dateline(first)
    if m:
        rest = first[m.end():].strip()
        return ([rest] if rest else []) + paragraphs[1:], m
    k = _KO_LEAD.match(first) or _CITY_LEAD.match(first)
    if k:
        rest = first[k.end():].strip()
        return ([rest] if rest else []) + paragraphs[1:], None
    return paragraphs, None


def clean(paragraphs: list[str]) -> tuple[list[str], Optional[re.Match]]:
    """strip_furniture + strip_trailing_byline + strip_lead, in that order."""
    paras = strip_trailing_byline(strip_furniture(paragraphs))
    return strip_lead(paras)
