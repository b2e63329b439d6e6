"""Saved pages (.html/.htm, .txt holding markup) and plain-text stories -> Article.

What a page gives: headline, publication date, publisher, the article's
paragraphs ("\\n\\n" between them) and its image captions (kept apart, because a
caption is not something the article says). Everything else on a page is
furniture that would pollute extraction: navigation, share and print widgets,
related-story lists, comment widgets, copyright lines, bylines.

Three shapes are handled:
  * full HTML pages with metadata (og:, article:, JSON-LD);
  * portal scrapes saved as .txt: headline and chrome as plain text, then the
    article's HTML fragment, then related links and comment text as plain text;
  * plain text: headline on the first line, wire dateline on the first paragraph.
"""
from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Iterable, Optional

from chipwatch.loading import cleanup, dates, htmltree, publishers
from chipwatch.loading.htmltree import Node

_MARKUP = re.compile(
    r"<(?:p|div|br|span|a|img|figure|figcaption|article|section|h[1-6]|html|body|head|meta|title|table|"
    r"ul|ol|li|strong|em|b|i|blockquote|script|style)(?:\s[^<>]*)?/?>|<!doctype\s+html|"
    r"</(?:p|div|span|a|article|section|li|h[1-6]|html|body)\s*>",
    re.I,
)

# Elements that never hold article text.
_ALWAYS_JUNK = frozenset(
    "script style noscript iframe button svg template select textarea input object embed canvas "
    "video audio map head title meta link".split()
)
# Page structure that never holds the article.
_STRUCTURE_JUNK = frozenset("nav footer aside menu dialog".split())
# Dropped unless they wrap most of the page's text (some sites put the whole page
# inside one <form>, or the article inside <header>).
_WRAPPER_JUNK = frozenset("form header".split())
# Parts of id/class names that mark widgets (split on - _ and camelCase).
_JUNK_PARTS = frozenset(
    "share sharing sns social print related relate recommend recommended comment comments cmt reply "
    "replies ad ads advert advertisement banner promo subscribe subscription newsletter breadcrumb "
    "breadcrumbs popup modal login toolbar tags popular ranking byline reporter copyright util utils "
    "sidebar pagination paging gnb lnb menu footer header nav navigation hidden".split()
)
_CAPTION_CLASS = re.compile(r"caption|img_desc|photo_desc|image_desc|imgdesc|figcaption", re.I)
_ARTICLE_HINT = re.compile(
    r"article[-_]?(?:body|view|content|text|txt|main)|articlebody|news[-_]?(?:body|content|text|view)|"
    r"story[-_]?(?:body|content|text)|entry[-_]content|post[-_](?:body|content)|content[-_]body|"
    r"view[-_]?(?:content|cont|text)|dic_area|newsct_article|art[-_]?(?:body|txt|text)|text[-_]body",
    re.I,
)
_LISTLIKE = frozenset("ul ol div section table p li dl".split())
_IMG_ATTRS = ("src", "data-src", "data-org-src", "data-original", "data-lazy-src", "srcset")
_DATE_META = (
    "article:published_time", "og:article:published_time", "published_time", "pubdate", "publishdate",
    "publish-date", "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued",
    "article.published", "parsely-pub-date", "sailthru.date", "datepublished",
)
# Portals show other outlets' stories: their own name is not the publisher.
_PORTALS = frozenset({"daum", "다음", "다음뉴스", "다음 뉴스", "daum 뉴스", "naver", "네이버", "네이버 뉴스", "네이버뉴스",
                      "naver news", "nate", "네이트", "네이트 뉴스", "msn", "yahoo", "yahoo news", "google news"})
# Chrome in front of a portal article: "작성일 04-16 08 목록", "입력 2025.12.14 09:01".
_CHROME = re.compile(  # (?<!\s)\s++: a match starts only where a run of spaces starts (linear time)
    r"(?:(?<!\s)\s++|^)(?:(?:작성일|기사입력|입력|최종\s*수정|수정|등록|송고|목록|Posted|Published|Updated)"
    r"\s*[:：]?\s*(?:\d{2,4}[-./]\d{1,2}(?:[-./]\d{1,2})?\.?)?\s*(?:오전|오후|AM|PM)?\s*(?:\d{1,2}(?::\d{2}){0,2})?\s*)+",
)
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·»]\s+|\s*::\s*|\s+\|\s*")
_SITE_WORDS = re.compile(r"뉴스|일보|신문|경제|방송|news|times|daily|post|journal|herald|\.com|\.co\.|wire|ledger|tribune", re.I)
_URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+")
_SHORT_DATE_LINE = 40  # a visible line this short holding a date is a date line, not prose


@dataclass
class PageParts:
    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    url: Optional[str] = None
    published: Optional[str] = None
    publisher: Optional[str] = None
    flags: list[str] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    return bool(_MARKUP.search(text[:200_000]))


# ---------------------------------------------------------------------------
# entry points

def parse_page(text: str, *, is_html: Optional[bool] = None, today=None) -> PageParts:
    """Headline, date, publisher, paragraphs and captions of a page or plain text."""
    if is_html is None:
        is_html = looks_like_html(text)
    return _parse_html(text, today) if is_html else _parse_plain(text, today)


def clean_fragment(html: str) -> tuple[list[str], list[str]]:
    """(paragraphs, captions) of an HTML fragment such as a record body with markup."""
    root = htmltree.parse(html)
    captions = _remove_junk(root)
    container = _choose_container(root)
    paras, _ = cleanup.clean(_paragraphs(container, root))
    return paras, captions


# ---------------------------------------------------------------------------
# HTML

def _parse_html(raw: str, today) -> PageParts:
    root = htmltree.parse(raw)
    meta = _meta(root)
    ld = _json_ld(root)
    lead_title, lead_chrome = _portal_lead(raw)

    # Whole-page text (before furniture is removed): dates and copyright lines live there.
    htmltree.remove_all([n for n in root.iter() if n.tag in ("script", "style", "noscript", "template")])
    page_text = "\n".join(htmltree.blocks(root))
    nodes = list(root.iter())  # one walk for the four lookups below (nothing changes the tree between them)
    h1 = next((n.text() for n in nodes if n.tag == "h1" and n.text()), "")
    title_tag = next((n.text() for n in nodes if n.tag == "title" and n.text()), "")
    img_urls = [_first_url(n.attrs.get(a, "")) for n in nodes if n.tag == "img" for a in _IMG_ATTRS]
    time_values = [n.attrs.get("datetime") for n in nodes if n.tag == "time" and n.attrs.get("datetime")]

    captions = _remove_junk(root)
    container = _choose_container(root)
    raw_paras = _paragraphs(container, root)
    paras, dl = cleanup.clean(raw_paras)

    site = meta.get("og:site_name") or _ld_name(ld.get("publisher"))
    # A portal scrape's leading plain text is its headline; full pages have none.
    title = (_strip_site_suffix(meta.get("og:title") or meta.get("twitter:title") or "", site)
             or _text(ld.get("headline")) or lead_title or h1 or _strip_site_suffix(title_tag, site))
    url = meta.get("og:url") or meta.get("canonical") or _text(ld.get("url")) or None

    publisher = _page_publisher(meta, ld, raw_paras, page_text, url)
    date_result = _page_date(
        metadata=[meta.get(k) for k in _DATE_META] + [ld.get("datePublished")] + time_values[:1],
        text=f"{lead_chrome}\n{page_text}",
        dl=dl,
        urls=[url or "", meta.get("og:image", "")] + img_urls,
        today=today,
    )
    return PageParts(title=title, paragraphs=paras, captions=captions, url=url,
                     published=date_result.published, publisher=publisher, flags=date_result.flags)


def _meta(root: Node) -> dict[str, str]:
    """meta name/property/itemprop -> content (first wins), plus link rel=canonical."""
    out: dict[str, str] = {}
    for n in root.iter():
        if n.tag == "meta":
            key = (n.attrs.get("property") or n.attrs.get("name") or n.attrs.get("itemprop") or "").lower()
            value = (n.attrs.get("content") or n.attrs.get("datetime") or "").strip()
            if key and value:
                out.setdefault(key, value)
        elif n.tag == "link" and "canonical" in n.attrs.get("rel", "").lower() and n.attrs.get("href"):
            out.setdefault("canonical", n.attrs["href"].strip())
        elif n.attrs.get("itemprop") == "datePublished":
            value = n.attrs.get("content") or n.attrs.get("datetime") or n.text()
            if value:
                out.setdefault("datepublished", value.strip())
    return out


def _json_ld(root: Node) -> dict:
    """The first Article-like object of the page's JSON-LD (empty dict if none)."""
    for n in root.iter():
        if n.tag != "script" or "ld+json" not in n.attrs.get("type", "").lower():
            continue
        try:
            data = json.loads("".join(c for c in n.children if isinstance(c, str)))
        except (ValueError, RecursionError):
            continue  # broken JSON-LD is common; the page has other evidence
        stack = deque([data])
        while stack:
            item = stack.popleft()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                kinds = item.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                if any(isinstance(k, str) and ("Article" in k or k in ("ReportageNewsArticle", "BlogPosting"))
                       for k in kinds):
                    return item
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "itemListElement"))
    return {}


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _ld_name(value) -> str:
    """A JSON-LD publisher/author value (string, object or list) as a name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _first_url(value: str) -> str:
    return value.split(",")[0].strip().split(" ")[0] if value else ""


def _portal_lead(raw: str) -> tuple[str, str]:
    """(headline, chrome) from plain text before the first tag of a portal scrape."""
    stripped = raw.lstrip()
    first_tag = _MARKUP.search(stripped)
    if not first_tag or first_tag.start() == 0:
        return "", ""
    lead = " ".join(stripped[: first_tag.start()].split())
    return split_title_chrome(lead)


def split_title_chrome(line: str) -> tuple[str, str]:
    """"headline 작성일 04-16 08 목록" -> ("headline", "작성일 04-16 08 목록")."""
    m = _CHROME.search(line)
    if not m or m.start() == 0:
        return line.strip(), ""
    return line[: m.start()].strip(), line[m.start():].strip()


def _strip_site_suffix(title: str, site: Optional[str]) -> str:
    """"Headline | Site" -> "Headline", only when the tail looks like a site name."""
    title = " ".join(title.split())
    if site and title.endswith(site) and len(title) > len(site) + 5:
        return re.sub(r"[\s|\-–—:·»]+$", "", title[: -len(site)])
    parts = list(_TITLE_SEPARATOR.finditer(title))
    if parts:
        last = parts[-1]
        tail = title[last.end():]
        if "|" in last.group() or _SITE_WORDS.search(tail) or publishers.lookup(tail):
            if len(tail) <= 40 and last.start() >= 5:
                return title[: last.start()].strip()
    return title


def _remove_junk(root: Node) -> list[str]:
    """Remove furniture in place; return the image captions (in page order)."""
    sizes = htmltree.measure(root)
    total = max(1, sizes[id(root)][0])
    captions: list[str] = []
    figures: list[Node] = []
    doomed: list[Node] = []  # removed together at the end (one rebuild per parent)
    stack = [root]
    while stack:  # pre-order walk that does not descend into removed elements
        n = stack.pop()
        if n is not root:
            if n.tag == "figcaption" or _CAPTION_CLASS.search(n.attrs.get("class", "")):
                text = n.text()
                if text:
                    captions.append(text)
                doomed.append(n)
                continue
            if n.tag in _ALWAYS_JUNK or n.tag in _STRUCTURE_JUNK or _hidden(n):
                doomed.append(n)
                continue
            if (n.tag in _WRAPPER_JUNK or _junk_name(n)) and sizes[id(n)][0] < 0.5 * total:
                doomed.append(n)
                continue
            if n.tag == "figure":
                figures.append(n)  # images and credits; its caption is taken on the way down
        stack.extend(c for c in reversed(n.children) if isinstance(c, Node))
    htmltree.remove_all(doomed + figures)
    return captions


def _hidden(n: Node) -> bool:
    style = n.attrs.get("style", "").replace(" ", "").lower()
    return ("display:none" in style or "visibility:hidden" in style or "hidden" in n.attrs
            or n.attrs.get("aria-hidden", "").lower() == "true")


def _junk_name(n: Node) -> bool:
    if n.tag in ("#root", "body", "html", "article", "main"):
        return False
    for token in n.classes().split():
        spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", token)
        if any(part in _JUNK_PARTS for part in re.split(r"[-_\s]+", spaced.lower())):
            return True
    return False


def _choose_container(root: Node) -> Node:
    """The element holding the article text: named container, <article>, or densest."""
    sizes = htmltree.measure(root)

    def size(n: Node) -> int:
        return sizes[id(n)][0]

    hinted = [n for n in root.iter() if n is not root and size(n) > 0
              and (n.attrs.get("itemprop") == "articleBody" or _ARTICLE_HINT.search(n.classes()))]
    if hinted:
        best = max(hinted, key=size)
        # A named container inside another with nearly the same text is the tighter fit.
        inner = [n for n in hinted if n is not best and _inside(n, best) and size(n) >= 0.8 * size(best)]
        return min(inner, key=size) if inner else best
    articles = [n for n in root.iter() if n.tag == "article" and size(n) > 0]
    if articles:
        return max(articles, key=size)
    # Densest: the element with the most paragraph text (<p> children, or text between
    # <br>s); grandparents get half, for sites that wrap each paragraph in its own <div>.
    scores: dict[int, list] = {}
    for n in root.iter():
        if n.tag in ("p", "br") and n.parent is not None:
            points = size(n) if n.tag == "p" else 40
            for holder, share in ((n.parent, 1.0), (n.parent.parent, 0.5)):
                if holder is not None:
                    entry = scores.setdefault(id(holder), [0.0, holder])
                    entry[0] += points * share
    if scores:
        return max(scores.values(), key=lambda e: e[0])[1]
    return root


def _inside(n: Node, ancestor: Node) -> bool:
    p = n.parent
    while p is not None:
        if p is ancestor:
            return True
        p = p.parent
    return False


def _paragraphs(container: Node, root: Node) -> list[str]:
    """Paragraphs of the container, minus headlines and link lists."""
    sizes = htmltree.measure(container)

    def skip(n: Node) -> bool:
        if n.tag == "h1":
            return True
        total, linked = sizes.get(id(n), (0, 0))
        # Related-story lists and menus are nearly all link text.
        return n.tag in _LISTLIKE and total > 0 and linked > 0.6 * total

    if container is root:
        # Loose text before the first and after the last element of a fragment is
        # portal chrome (headline, related links, comment counts), not article text.
        kids = container.children
        elems = [i for i, c in enumerate(kids) if isinstance(c, Node)]
        if elems:
            shell = Node("#root", {}, None)
            shell.children = kids[elems[0]: elems[-1] + 1]
            container = shell
    return htmltree.blocks(container, skip=skip)


def _page_publisher(meta: dict, ld: dict, raw_paras: list[str], page_text: str, url: Optional[str]) -> Optional[str]:
    named = [_ld_name(ld.get("publisher")), meta.get("og:site_name", ""), meta.get("publisher", ""),
             meta.get("dc.publisher", ""), meta.get("article:publisher", ""), meta.get("source", "")]
    for name in named:
        if name and not name.startswith("http") and name.casefold() not in _PORTALS:
            return publishers.normalise_publisher(name)
    found = (publishers.find_publisher("\n".join(raw_paras)) or publishers.find_publisher(page_text)
             or publishers.from_url(url))
    if found:
        return found
    author = meta.get("author") or _ld_name(ld.get("author"))
    return publishers.lookup(author) if author else None


def _page_date(*, metadata: Iterable, text: str, dl, urls: Iterable[str], today) -> dates.DateResult:
    """Collect date evidence from a page's metadata, visible text, dateline and URLs."""
    labelled_full, partials = dates.labelled_dates(text)
    text_dates = list(labelled_full)
    if dl:
        full, md = dates.dateline_date(dl)
        if full:
            text_dates.insert(0, full)
        elif md:
            partials.append(md)
    for line in text.split("\n"):
        if len(line) <= _SHORT_DATE_LINE:
            text_dates.extend(dates.find_full_dates(line))
    url_dates = [d for u in urls if u for d in dates.dates_in_url(u)]
    return dates.resolve(metadata=metadata, text_dates=text_dates, partials=partials, url_dates=url_dates,
                         year_hints=dates.copyright_years(text), weekdays=dates.weekday_dates(text),
                         today=today)


# ---------------------------------------------------------------------------
# plain text

def _parse_plain(text: str, today) -> PageParts:
    lines = [line.strip() for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return PageParts()
    title, chrome = split_title_chrome(lines[first])
    rest_lines = lines[first + 1:]
    after_chrome = ""
    if chrome:
        # A one-line portal copy: the article follows the chrome on the same line.
        m = _CHROME.match(" " + chrome)
        after_chrome = (" " + chrome)[m.end():].strip() if m else ""
        chrome = chrome[: len(chrome) - len(after_chrome)].strip()
    if len(title) > 300 or not (any(rest_lines) or after_chrome):
        title, rest_lines = "", lines[first:]  # no headline line: everything is the story
    raw_paras = ([after_chrome] if after_chrome else []) + _plain_paragraphs(rest_lines)
    paras, dl = cleanup.clean(raw_paras)
    publisher = publishers.find_publisher("\n".join(raw_paras)) or publishers.find_publisher(text)
    date_result = _page_date(metadata=(), text=f"{chrome}\n" + "\n".join(lines), dl=dl,
                             urls=_URL_IN_TEXT.findall(text), today=today)
    # A line holding only a URL is where the story was saved from.
    url = next((line for line in lines if re.fullmatch(r"https?://\S+", line)), None)
    return PageParts(title=title, paragraphs=paras, url=url, published=date_result.published,
                     publisher=publisher, flags=date_result.flags)


def _plain_paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; without any, each line is a paragraph."""
    body = "\n".join(lines).strip("\n")
    if re.search(r"\n\s*\n", body):
        return [" ".join(b.split()) for b in re.split(r"\n\s*\n", body) if b.strip()]
    return [line for line in lines if line]
