"""Synthetic news corpus about AI-chip export controls, with gold labels.

``python -m chipwatch synth --articles N --out DIR [--seed S] [--formats jsonl,html,txt] [--labels]``

Every article is composed from the knowledge base (data/knowledge): one export or
import decision (a row of export_events.csv, or a generated one with the same
shape), the chips, governments, companies and people around it, written in
Korean (~45%), English (~40%) or Chinese (~15%) with the aliases of that
language (트럼프 대통령 / 황 CEO / 卢特尼克 / President Xi ...). An article has a
lead sentence reporting the decision with the cue words of its status, sometimes
a second decision (a standing ban on a newer generation, Beijing's pending
import decision), one to four quoted speakers (direct quotes in “…” and indirect
speech) whose stance follows their known position (trade hawks against, chip
vendors favor, China's foreign ministry neutral ...), earlier decisions of the
timeline as background (placed by month only, so undated), sometimes a lead
carried by a media report ("…, Reuters reported on Friday, citing people familiar
with the matter": no decision date, the outlet's sources speak), and background
sentences (chip specifications from chips.csv, market and earnings context) up
to 1-4 KB.
Dates run from 2022-10 to 2026-05, often written relative to the publication
date ("on Monday", "8일(현지시간)", "当地时间8日").

Because the generator knows what it wrote, each article comes with its gold
labels in the format of tests/gold (entities, quotes, stances, status claims).

Output (streamed, memory stays flat for any N):
  DIR/records/records-NNNNN.jsonl   ~80% of the articles, <= 5,000 records a file
  DIR/pages/NNN/<name>.html|.txt    ~20%: saved newspaper pages, Korean portal
                                     scrapes, English wire texts, Chinese plain text
                                     (<= 1,000 files a folder)
  DIR/labels.jsonl                  with labels=True: {"id", "source", "language",
                                     "format", "expected"} per article (ingest DIR/records and
                                     DIR/pages, not DIR: labels.jsonl holds no articles)

The same seed gives byte-identical files: each article draws from its own
random.Random seeded with (seed, index), and nothing depends on set or hash order.
Stdlib only.

Public API:
  generate_article(index, seed, kb=None, formats=...) -> SynthArticle
  write_corpus(out_dir, n, seed=0, formats=..., labels=False) -> SynthSummary
  load_synth_gold(out_dir) -> list[dict]      docs shaped like evaluate.load_gold's
  evaluate_synth(out_dir) -> evaluate.Scores
"""
from __future__ import annotations

import hashlib
import html
import json
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from chipwatch.knowledge import KnowledgeBase, load_knowledge

__all__ = ["FORMATS", "LABELS_NAME", "SynthArticle", "SynthError", "SynthSummary", "generate_article", "iter_articles",
           "render_page", "write_corpus", "load_synth_gold", "iter_synth_gold", "evaluate_synth"]

FORMATS = ("jsonl", "html", "txt")
LANGUAGE_SHARES = (("ko", 0.45), ("en", 0.40), ("zh", 0.15))
PAGE_SHARE = 0.20  # of articles written as raw pages when records and pages are both asked for
RECORDS_PER_FILE = 5000
PAGES_PER_FOLDER = 1000
LABELS_NAME = "labels.jsonl"
DATE_MIN = date(2022, 10, 1)
DATE_MAX = date(2026, 5, 28)  # latest decision; publication follows within three days
TRUMP_FROM = date(2025, 1, 20)

ALLOWED, CONDITIONAL, LICENSE, BANNED, PENDING, DISCOURAGED = (
    "allowed", "conditional", "license_required", "banned", "pending", "discouraged")

# ============================================================== article records


@dataclass
class SynthArticle:
    """One generated article: the fields a record file holds, how it is written, and its labels."""

    id: str  # the id chipwatch.loading will give it (record id, or a- + sha1 of the page URL)
    index: int
    language: str
    format: str  # jsonl | html | txt
    title: str
    paragraphs: list[str]
    published: str  # YYYY-MM-DD
    publisher: str  # as written in the record / on the page
    publisher_id: str  # canonical publisher
    url: str
    expected: dict  # gold-format labels
    page_kind: str = ""  # newspaper | portal | wire | plain (pages only)
    extra: dict = field(default_factory=dict)  # byline, section, image id ...

    @property
    def body(self) -> str:
        return ("\n" if self.language == "ko" else "\n\n").join(self.paragraphs)

    def record(self) -> dict:
        return {"id": self.id, "url": self.url, "title": self.title, "published": self.published,
                "publisher": self.publisher, "language": self.language, "body": self.body}


# ============================================================== knowledge-base view

# Curated country forms per language and slot kind (noun / adjective / government
# metonym). Each form must be an alias of the country in the KB; forms that are not
# are dropped when the lexicon is built, so labels and the text always agree.
COUNTRY_FORMS = {
    "en": {
        "USA": {"noun": ["the United States", "the U.S."], "adj": ["U.S.", "American"], "gov": ["Washington"]},
        "CHN": {"noun": ["China"], "adj": ["Chinese"], "gov": ["Beijing"]},
        "KOR": {"noun": ["South Korea"], "adj": ["South Korean"]},
        "ARE": {"noun": ["the United Arab Emirates", "the UAE"], "adj": ["Emirati"]},
        "SAU": {"noun": ["Saudi Arabia"], "adj": ["Saudi"]},
        "MYS": {"noun": ["Malaysia"], "adj": ["Malaysian"]},
        "SGP": {"noun": ["Singapore"], "adj": ["Singaporean"]},
        "IND": {"noun": ["India"], "adj": ["Indian"]},
        "VNM": {"noun": ["Vietnam"], "adj": ["Vietnamese"]},
        "HKG": {"noun": ["Hong Kong"]},
        "MAC": {"noun": ["Macau"]},
        "RUS": {"noun": ["Russia"], "adj": ["Russian"]},
        "ISR": {"noun": ["Israel"], "adj": ["Israeli"]},
        "TWN": {"noun": ["Taiwan"], "adj": ["Taiwanese"]},
        "JPN": {"noun": ["Japan"], "adj": ["Japanese"]},
        "NLD": {"noun": ["the Netherlands"], "adj": ["Dutch"]},
    },
    "ko": {
        "USA": {"noun": ["미국"], "gov": ["워싱턴"]},
        "CHN": {"noun": ["중국"], "gov": ["베이징"]},
        "KOR": {"noun": ["한국"]},
        "ARE": {"noun": ["아랍에미리트"]},
        "SAU": {"noun": ["사우디아라비아", "사우디"]},
        "MYS": {"noun": ["말레이시아"]},
        "SGP": {"noun": ["싱가포르"]},
        "VNM": {"noun": ["베트남"]},
        "HKG": {"noun": ["홍콩"]},
        "MAC": {"noun": ["마카오"]},
        "RUS": {"noun": ["러시아"]},
        "ISR": {"noun": ["이스라엘"]},
        "TWN": {"noun": ["대만"]},
        "JPN": {"noun": ["일본"]},
        "NLD": {"noun": ["네덜란드"]},
    },
    "zh": {
        "USA": {"noun": ["美国"], "gov": ["美方", "华盛顿"]},
        "CHN": {"noun": ["中国"], "gov": ["中方", "北京"]},
        "KOR": {"noun": ["韩国"]},
        "ARE": {"noun": ["阿联酋"]},
        "SAU": {"noun": ["沙特阿拉伯", "沙特"]},
        "MYS": {"noun": ["马来西亚"]},
        "SGP": {"noun": ["新加坡"]},
        "IND": {"noun": ["印度"]},
        "VNM": {"noun": ["越南"]},
        "HKG": {"noun": ["香港"]},
        "MAC": {"noun": ["澳门"]},
        "RUS": {"noun": ["俄罗斯"]},
        "ISR": {"noun": ["以色列"]},
        "TWN": {"noun": ["台湾"]},
        "JPN": {"noun": ["日本"]},
        "NLD": {"noun": ["荷兰"]},
    },
}

# Alias kinds used for a first and a later mention.
FIRST_KINDS = ("name", "transliteration")
LATER_KINDS = ("short", "title", "name", "transliteration")
# Aliases that read wrongly in running text (too generic, or a different thing in most contexts).
SKIP_ALIASES = {
    "B40", "VR200", "Rubin GPU", "910B", "910C", "950PR", "950DT", "Blackwell Ultra", "블랙웰 울트라",
    "Ascend series", "HiSilicon", "하이실리콘", "海思", "Alibaba Cloud", "阿里云", "阿里雲", "阿里",
    "Alphabet", "Amazon Web Services", "AWS", "Politburo", "정치국", "中央政治局", "中芯", "超威",
    "Xu Zhijun", "Lau Chi Ping", "Jen-Hsun Huang", "Jay Y. Lee", "三星", "海力士",
    "Nvidia Corporation", "Intel Corp", "Tencent Holdings", "Cambricon Technologies",
    "RTX PRO 6000D", "RTX6000D", "RTX 6000D", "RTX Pro 6000 D", "RTX프로 6000D", "RTX4090",
    "GeForce RTX 4090", "HGX H20", "HGX H200", "MLU 590", "Siyuan 590",
}
# Chinese text uses simplified characters; aliases with traditional-only characters are skipped.
_TRADITIONAL = set("國華為騰訊輝偉爾與業積電體軟遜歐測導聯韓灣臺關總權務時報網紀線鴻戴維蘇麗習盧劉熾詠亞東濤軍寧劍節動財蘭發眾參宮黃勳強貝錫悅")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
_HANGUL_PREFIXES = set("대탈반친방주재")


def _occurs(needle: str, hay: str, single_abbrev: bool) -> bool:
    """Does alias ``needle`` stand as a word inside ``hay`` (the matcher's boundary rules, roughly)?"""
    if needle.casefold() not in hay.casefold():
        return False
    letters = [c for c in needle if c.isalpha() and _LATIN.match(c)]
    exact = 0 < len(letters) <= 4
    h, n = (hay, needle) if exact else (hay.casefold(), needle.casefold())
    start = h.find(n)
    while start >= 0:
        end = start + len(needle)
        before = hay[start - 1] if start else ""
        after = hay[end] if end < len(hay) else ""
        ok = True
        if needle[0].isupper() and not hay[start].isupper():
            ok = False
        if _LATIN.match(needle[0]) and before and _LATIN.match(before):
            ok = False
        if (_LATIN.match(needle[-1]) or needle[-1] == ".") and after and _LATIN.match(after):
            ok = False
        if _HANGUL.match(needle[0]) and before and _HANGUL.match(before) and not (
                before in _HANGUL_PREFIXES and (start < 2 or not _HANGUL.match(hay[start - 2]))):
            ok = False
        if single_abbrev:
            rx = _HAN if _HAN.match(needle) else _HANGUL
            if (before and rx.match(before)) or (after and rx.match(after)):
                ok = False
        if ok:
            return True
        start = h.find(n, start + 1)
    return False


class Lexicon:
    """What the generator may write for each entity, per language, and what each surface names."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.by_entity: dict[tuple[str, str, str], list[tuple[str, str]]] = {}  # (type, id, lang) -> [(alias, kind)]
        self.names: dict[tuple[str, str], set] = {}  # (type, id) -> all alias texts
        country_aliases = [a for a in kb.aliases if a.entity_type == "country"]
        org_aliases = [a for a in kb.aliases if a.entity_type == "organization"]
        self.nested: dict[str, tuple] = {}
        unsafe: set[str] = set()
        for a in kb.aliases:
            self.names.setdefault((a.entity_type, a.entity_id), set()).add(a.alias)
        for a in kb.aliases:
            if a.alias in self.nested or a.alias in unsafe:
                continue
            inner = []
            for c in country_aliases:
                if c.entity_id != a.entity_id and c.alias != a.alias and len(c.alias) < len(a.alias) \
                        and _occurs(c.alias, a.alias, len(c.alias) == 1 and c.kind == "abbreviation"):
                    inner.append(("country", c.entity_id))
            own_country = kb.country_of(a.entity_id)
            for o in org_aliases:
                if o.entity_id != a.entity_id and len(o.alias) < len(a.alias) and _occurs(o.alias, a.alias, False):
                    other = kb.country_of(o.entity_id)
                    if not (own_country and other and other != own_country):
                        unsafe.add(a.alias)  # names a second organisation of its own country
            self.nested[a.alias] = tuple(sorted(set(inner)))
        for a in kb.aliases:
            if a.alias in unsafe or a.alias in SKIP_ALIASES or len(a.alias) < 2:
                continue
            langs = ("en", "ko", "zh") if a.lang == "any" else (a.lang,)
            for lang in langs:
                if lang not in ("en", "ko", "zh"):
                    continue
                if lang == "zh" and set(a.alias) & _TRADITIONAL:
                    continue
                self.by_entity.setdefault((a.entity_type, a.entity_id, lang), []).append((a.alias, a.kind))
        self.country_forms: dict[str, dict[str, dict[str, list[str]]]] = {}
        for lang, table in COUNTRY_FORMS.items():
            self.country_forms[lang] = {}
            for iso, forms in table.items():
                known = self.names.get(("country", iso), set())
                kept = {}
                for kind, values in forms.items():
                    ok = [v for v in values if v.replace("the ", "", 1) in known]
                    if ok:
                        kept[kind] = ok
                if "noun" in kept:
                    self.country_forms[lang][iso] = kept

    def aliases(self, etype: str, eid: str, lang: str, kinds: Optional[Iterable[str]] = None) -> list[str]:
        rows = self.by_entity.get((etype, eid, lang), [])
        if not rows and lang != "en" and etype in ("company", "organization", "chip", "architecture"):
            # Korean and Chinese text write some names in Latin letters (AMD, CSET, CNBC).
            rows = [r for r in self.by_entity.get((etype, eid, "en"), []) if r[1] == "abbreviation"]
        if kinds is not None:
            kinds = tuple(kinds)
            rows = [r for r in rows if r[1] in kinds]
        return [r[0] for r in rows]

    def has(self, etype: str, eid: str, lang: str) -> bool:
        if etype == "country":
            return eid in self.country_forms.get(lang, {})
        return bool(self.aliases(etype, eid, lang))


_LEXICONS: dict[int, tuple[KnowledgeBase, Lexicon]] = {}


def lexicon_for(kb: KnowledgeBase) -> Lexicon:
    hit = _LEXICONS.get(id(kb))
    if hit is None or hit[0] is not kb:
        hit = (kb, Lexicon(kb))
        _LEXICONS[id(kb)] = hit
    return hit[1]


# ============================================================== text building

_SLOT = re.compile(r"\[\[([a-z]):([^\]=:]+)(?::([a-z]+))?(?:=([^\]]+))?\]\]")
_SLOT_TYPES = {"c": "country", "o": "organization", "k": "company", "h": "chip", "a": "architecture", "p": "person"}
_S_POSSESSIVE = re.compile(r"(?<=[A-Za-z]s)'s\b")
_EN_THE_MEDIA = re.compile(r"(?<![Tt]he )\b(?:Financial Times|Wall Street Journal)\b")
_JOSA = re.compile(r"\((은|이|을|과|으로|아)\)")
_JOSA_PAIRS = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와"), "으로": ("으로", "로"),
               "아": ("아", "야")}
# Korean reading of a final Latin letter or digit: does it end in a consonant?
_LATIN_FINAL_CONSONANT = set("LMNR0136780")


def _final_consonant(ch: str) -> Optional[bool]:
    if _HANGUL.match(ch):
        return (ord(ch) - 0xAC00) % 28 != 0
    if ch.isascii() and ch.isalnum():
        return ch.upper() in _LATIN_FINAL_CONSONANT
    return None


def _rieul(ch: str) -> bool:
    return bool(_HANGUL.match(ch)) and (ord(ch) - 0xAC00) % 28 == 8


def josa(text: str) -> str:
    """Resolve (은)/(이)/(을)/(과)/(으로) markers against the syllable before them."""
    def repl(m: re.Match) -> str:
        prev = text[:m.start()].rstrip(")”’\"'")
        ch = prev[-1] if prev else ""
        cons = _final_consonant(ch)
        pair = _JOSA_PAIRS[m.group(1)]
        if m.group(1) == "으로" and _rieul(ch):
            return "로"
        return pair[0] if cons or cons is None and m.group(1) != "으로" else pair[1]
    return _JOSA.sub(repl, text)


class Doc:
    """Renders templates for one article in one language and records every entity written."""

    def __init__(self, lex: Lexicon, lang: str, rng: random.Random):
        self.lex, self.lang, self.rng = lex, lang, rng
        self.entities: set[tuple[str, str]] = set()
        self.introduced: set[str] = set()

    def add(self, etype: str, eid: str, surface: Optional[str] = None) -> None:
        self.entities.add((etype, eid))
        if surface:
            for t, i in self.lex.nested.get(surface, ()):
                self.entities.add((t, i))

    def country(self, iso: str, form: str = "noun") -> str:
        forms = self.lex.country_forms[self.lang][iso]
        values = forms.get(form) or forms["noun"]
        surface = self.rng.choice(values)
        self.add("country", iso, surface.replace("the ", "", 1))
        return surface

    def name(self, etype: str, eid: str, later: Optional[bool] = None) -> str:
        """An alias of the entity in this language (people: full name first, then short forms)."""
        if etype == "country":
            return self.country(eid)
        lex, rng = self.lex, self.rng
        if etype == "person":
            first = eid not in self.introduced if later is None else not later
            self.introduced.add(eid)
            options = lex.aliases(etype, eid, self.lang, FIRST_KINDS if first else LATER_KINDS)
            options = options or lex.aliases(etype, eid, self.lang)
            if first:
                surface = options[0] if rng.random() < 0.75 else rng.choice(options)
            else:
                short = [o for o in options if o not in lex.aliases(etype, eid, self.lang, FIRST_KINDS)]
                surface = rng.choice(short) if short and rng.random() < 0.8 else rng.choice(options)
        else:
            options = lex.aliases(etype, eid, self.lang)
            if not options:
                raise KeyError(f"no {self.lang} alias for {etype} {eid}")
            surface = options[0] if rng.random() < 0.7 else rng.choice(options)
        self.add(etype, eid, surface)
        return surface

    def fixed(self, etype: str, eid: str, surface: str) -> str:
        self.add(etype, eid, surface)
        return surface

    def r(self, template: str, **kw) -> str:
        """Fill {placeholders} (already rendered text) and [[t:id(:form)(=surface)]] slots."""
        text = template.format(**kw) if kw else template

        def slot(m: re.Match) -> str:
            etype = _SLOT_TYPES[m.group(1)]
            eid, form, surface = m.group(2), m.group(3), m.group(4)
            if surface is not None:
                return self.fixed(etype, eid, surface)
            if etype == "country":
                return self.country(eid, form or "noun")
            return self.name(etype, eid, later=True if form == "later" else None)
        text = _SLOT.sub(slot, text)
        if self.lang == "ko":
            text = josa(text)
        elif self.lang == "en":
            if "s's" in text:
                text = _S_POSSESSIVE.sub("'", text)  # Advanced Micro Devices' MI308
            if "Times" in text or "Journal" in text:
                text = _EN_THE_MEDIA.sub(lambda m: ("The " if m.start() == 0 else "the ") + m.group(0), text)
        return text


# ============================================================== decisions

# Chips a generated decision may be about, by side.
EXPORT_CHIPS = ["H20", "H200", "H100", "A100", "A800", "H800", "B200", "B300", "GB200", "GB300", "B30A",
                "RTX Pro 6000D", "L40S", "RTX 4090", "MI308", "MI309", "MI325X", "MI300X", "MI355X", "Blackwell",
                "Vera Rubin"]
IMPORT_CHIPS = ["H20", "H200", "RTX Pro 6000D", "MI308", "B30A", "L40S"]
EXPORT_STATUSES = [(ALLOWED, 2), (CONDITIONAL, 2), (LICENSE, 2), (BANNED, 3), (PENDING, 2)]
IMPORT_STATUSES = [(ALLOWED, 2), (CONDITIONAL, 2), (BANNED, 2), (PENDING, 2), (DISCOURAGED, 2)]
EXPORT_DESTINATIONS = [("CHN", 12), ("ARE", 2), ("SAU", 2), ("MYS", 1), ("SGP", 1), ("VNM", 1), ("HKG", 1),
                       ("MAC", 1), ("RUS", 1), ("IND", 1), ("ISR", 1), ("KOR", 1)]
US_BODIES = ["US Commerce Department", "Bureau of Industry and Security", "White House", None]
CN_BODIES = ["Cyberspace Administration of China", "China Customs", "China Industry Ministry", None]


@dataclass
class Decision:
    chips: list[str]  # chip ids, or an architecture id for a whole generation
    side: str  # export | import
    actor: str  # ISO-3 of the deciding government
    body: Optional[str]  # the deciding organisation, when known
    dest: str
    status: str
    date: date
    from_kb: bool = False


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights, k=1)[0]


def _kb_decisions(kb: KnowledgeBase) -> list[Decision]:
    out = []
    for row in kb.export_events:
        try:
            d = date.fromisoformat(row["date"])
        except ValueError:
            continue
        if not (DATE_MIN <= d <= DATE_MAX) or row["actor"] not in ("USA", "CHN"):
            continue
        chips = [c for c in row["chips"].split(";") if c in kb.chips or c in kb.architectures]
        if not chips:
            continue
        body = row.get("actor_body") or None
        out.append(Decision(chips, row["side"], row["actor"], body, row["destination"], row["status"], d, True))
    return out


def _random_date(rng: random.Random) -> date:
    span = (DATE_MAX - DATE_MIN).days
    return DATE_MIN + timedelta(days=rng.randrange(span + 1))


# When a chip could first be the subject of a decision (announcement), where chips.csv has no release date.
CHIP_FROM = {"H20": "2023-11-01", "B30A": "2025-08-01", "MI308": "2023-12-01", "MI309": "2024-02-01",
             "Blackwell": "2024-03-18", "Rubin": "2025-03-18"}


def _chip_from(kb: KnowledgeBase, chip: str) -> date:
    if chip in CHIP_FROM:
        return date.fromisoformat(CHIP_FROM[chip])
    raw = (kb.chips.get(chip) or {}).get("release_date") or ""
    m = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?$", raw)
    if not m:
        return DATE_MIN
    released = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    return released - timedelta(days=60)  # decisions often follow the announcement, before shipping


def _generated_decision(rng: random.Random, kb: KnowledgeBase) -> Decision:
    d = _random_date(rng)
    if rng.random() < 0.65:
        status = _weighted(rng, EXPORT_STATUSES)
        dest = _weighted(rng, EXPORT_DESTINATIONS)
        pool = [c for c in EXPORT_CHIPS if _chip_from(kb, c) <= d]
        chips = rng.sample(pool, 1 if rng.random() < 0.7 else 2)
        if "Blackwell" in chips and len(chips) > 1:
            chips = ["Blackwell"]
        return Decision(chips, "export", "USA", rng.choice(US_BODIES), dest, status, d)
    status = _weighted(rng, IMPORT_STATUSES)
    pool = [c for c in IMPORT_CHIPS if _chip_from(kb, c) <= d] or ["A800"]
    return Decision(rng.sample(pool, 1 if rng.random() < 0.8 or len(pool) < 2 else 2), "import", "CHN",
                    rng.choice(CN_BODIES), "CHN", status, d)


def _vendor(kb: KnowledgeBase, chip: str) -> str:
    row = kb.chips.get(chip) or kb.architectures.get(chip) or {}
    return row.get("vendor") or "Nvidia"


# ============================================================== people and positions

@dataclass(frozen=True)
class Person:
    id: str
    group: str  # us_exec | us_restrict | hawk | vendor | mfa | mofcom | analyst | korea
    female: bool
    start: date
    end: date
    roles: dict  # lang -> role template (en: before the name; ko: after it; zh: before it)


def _p(pid, group, female=False, start="2022-01-01", end="2026-12-31", **roles):
    return Person(pid, group, female, date.fromisoformat(start), date.fromisoformat(end), roles)


PEOPLE = [
    _p("Donald Trump", "us_exec", start="2025-01-20", en="President", ko="[[c:USA]] 대통령", zh="[[c:USA]]总统"),
    _p("Howard Lutnick", "us_exec", start="2025-02-21", en="Commerce Secretary", ko="[[c:USA]] 상무장관",
       zh="[[o:US Commerce Department=美国商务部]]长"),
    _p("David Sacks", "us_exec", start="2025-01-20", en="[[o:White House]] AI czar",
       ko="[[o:White House=백악관]] AI 차르", zh="[[o:White House=白宫]]人工智能事务主管"),
    _p("Kush Desai", "us_exec", start="2025-01-20", en="[[o:White House]] spokesman", ko="[[o:White House=백악관]] 대변인"),
    _p("Joe Biden", "us_restrict", end="2025-01-19", en="President", ko="[[c:USA]] 대통령", zh="[[c:USA]]总统"),
    _p("Gina Raimondo", "us_restrict", True, end="2025-01-19", en="Commerce Secretary", ko="[[c:USA]] 상무장관",
       zh="[[o:US Commerce Department=美国商务部]]长"),
    _p("Alan Estevez", "us_restrict", end="2025-01-19", en="Under Secretary of Commerce",
       ko="[[o:Bureau of Industry and Security=산업안보국]] 차관"),
    _p("Elizabeth Warren", "hawk", True, en=["Senator", "Democratic Senator"], ko=["[[c:USA]] 상원의원", "민주당 상원의원"],
       zh="[[c:USA]]参议员"),
    _p("John Moolenaar", "hawk", start="2023-01-10", en=["Representative", "Republican Representative"],
       ko=["[[o:House Select Committee on China=하원 중국특별위원회]] 위원장", "[[c:USA]] 하원의원"], zh="共和党众议员"),
    _p("Jim Banks", "hawk", start="2025-01-03", en=["Senator", "Republican Senator"],
       ko=["[[c:USA]] 상원의원", "공화당 상원의원"], zh="[[c:USA]]参议员"),
    _p("Raja Krishnamoorthi", "hawk", en=["Representative", "Democratic Representative"],
       ko=["[[c:USA]] 하원의원", "민주당 하원의원"], zh="[[c:USA]]众议员"),
    _p("Andy Kim", "hawk", start="2024-12-08", en="Senator", ko=["[[c:USA]] 상원의원", "민주당 상원의원"],
       zh="[[c:USA]]参议员"),
    _p("Jensen Huang", "vendor", en="[[k:Nvidia]] CEO", ko="[[k:Nvidia]] 최고경영자(CEO)", zh="[[k:Nvidia]]首席执行官"),
    _p("Colette Kress", "vendor", True, en="[[k:Nvidia]] CFO", ko="[[k:Nvidia]] 최고재무책임자(CFO)",
       zh="[[k:Nvidia]]首席财务官"),
    _p("Lisa Su", "vendor_amd", True, en="[[k:AMD]] CEO", ko="[[k:AMD]] CEO", zh="[[k:AMD]]首席执行官"),
    _p("Guo Jiakun", "mfa", start="2024-09-01", en="[[o:China Foreign Ministry=Chinese Foreign Ministry]] spokesperson",
       ko="[[o:China Foreign Ministry=중국 외교부]] 대변인", zh="[[o:China Foreign Ministry=外交部]]发言人"),
    _p("Mao Ning", "mfa", True, en="[[o:China Foreign Ministry=Chinese Foreign Ministry]] spokesperson",
       ko="[[o:China Foreign Ministry=중국 외교부]] 대변인", zh="[[o:China Foreign Ministry=外交部]]发言人"),
    _p("Lin Jian", "mfa", start="2024-02-01", en="[[o:China Foreign Ministry=Chinese Foreign Ministry]] spokesperson",
       ko="[[o:China Foreign Ministry=중국 외교부]] 대변인", zh="[[o:China Foreign Ministry=外交部]]发言人"),
    _p("He Yadong", "mofcom", start="2023-08-01",
       en="[[o:China Commerce Ministry=Chinese Commerce Ministry]] spokesperson",
       ko="[[o:China Commerce Ministry=중국 상무부]] 대변인", zh="[[o:China Commerce Ministry=商务部]]新闻发言人"),
    _p("He Yongqian", "mofcom", True, start="2024-01-01",
       en="[[o:China Commerce Ministry=Chinese Commerce Ministry]] spokesperson",
       ko="[[o:China Commerce Ministry=중국 상무부]] 대변인", zh="[[o:China Commerce Ministry=商务部]]新闻发言人"),
    _p("Shu Jueting", "mofcom", True, end="2023-07-31",
       en="[[o:China Commerce Ministry=Chinese Commerce Ministry]] spokesperson",
       ko="[[o:China Commerce Ministry=중국 상무부]] 대변인", zh="[[o:China Commerce Ministry=商务部]]新闻发言人"),
    _p("Alex Capri", "analyst", en="a lecturer at the [[o:National University of Singapore]]",
       ko="[[o:National University of Singapore=싱가포르국립대]] 교수"),
    _p("Cole McFaul", "hawk_analyst", en="a research analyst at Georgetown University's [[o:CSET=CSET]]",
       ko="[[o:CSET=안보신흥기술센터]] 연구원"),
    _p("Ahn Duk-geun", "korea", start="2024-01-01", end="2025-06-30",
       en="[[c:KOR:adj]] Trade Minister", ko="[[o:Korea Trade Ministry=산업통상자원부]] 장관"),
    _p("Kim Jung-kwan", "korea", start="2025-07-22", en="[[c:KOR:adj]] Trade Minister",
       ko="[[o:Korea Trade Ministry=산업통상자원부]] 장관"),
]
_APPOSITION_EN = {"Alex Capri", "Cole McFaul"}
LEAD_SPEAKERS = {"Donald Trump", "Howard Lutnick", "Joe Biden", "Gina Raimondo"}

# The stance a speaker group takes on the chip trade the article is about.
def _group_stance(group: str, dec: Decision) -> str:
    if group in ("hawk", "hawk_analyst", "us_restrict"):
        return "against"
    if group in ("vendor", "vendor_amd", "mofcom"):
        return "favor"
    if group == "us_exec":
        return "favor" if dec.status in (ALLOWED, CONDITIONAL, PENDING) else "against"
    return "neutral"


def _speaker_pool(dec: Decision, lang: str, lex: Lexicon) -> list[tuple[Person, int]]:
    """People who plausibly speak about this decision, with weights."""
    out = []
    restrictive = dec.status in (BANNED, LICENSE)
    for p in PEOPLE:
        if not (p.start <= dec.date <= p.end) or lang not in p.roles or not lex.has("person", p.id, lang):
            continue
        w = 0
        g = p.group
        if g == "vendor" and _chip_vendors(dec, lex.kb) & {"Nvidia"}:
            w = 4
        elif g == "vendor_amd" and _chip_vendors(dec, lex.kb) & {"AMD"}:
            w = 4
        elif g == "hawk":
            w = 3 if dec.side == "export" and dec.dest == "CHN" else 1
        elif g == "hawk_analyst":
            w = 1 if dec.dest == "CHN" else 0
        elif g == "analyst":
            w = 1
        elif g == "us_exec":
            w = 3 if dec.side == "export" and (not restrictive or dec.date >= TRUMP_FROM) else 0
        elif g == "us_restrict":
            w = 3 if dec.side == "export" and restrictive else 0
        elif g == "mfa":
            w = 2 if dec.dest == "CHN" or dec.side == "import" else 0
        elif g == "mofcom":
            w = 2 if dec.side == "export" and dec.dest == "CHN" and restrictive else 0
        elif g == "korea":
            w = 1 if lang == "ko" and dec.side == "export" else 0
        if w:
            out.append((p, w))
    return out


def _chip_vendors(dec: Decision, kb) -> set:
    return {_vendor(kb, c) for c in dec.chips}


# ============================================================== language packs
# Templates use {placeholders} (text rendered beforehand) and [[type:id(:form)(=surface)]]
# slots (c country, o organisation, k company, h chip, a architecture, p person).
# Korean particles are written (은) (이) (을) (과) (으로) and resolved after rendering.
# Wording rules: status sentences carry the cue words of their status; quotes, fillers
# and background sentences avoid status cues and speech verbs, so the only decisions
# and quotes in an article are the labelled ones.

EN_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

LEADS = {
    "en": {
        ("export", ALLOWED): [
            "{Gov}{when} approved exports of {chips} to {dest}.",
            "{Gov}{when} cleared {vendor} to resume sales of {its_chips} to customers in {dest}.",
            "{Gov}{when} granted {vendor} licences to ship {its_chips} to {dest}.",
            "{Gov}{when} gave {vendor} the green light to ship {its_chips} to {dest}.",
        ],
        ("export", CONDITIONAL): [
            "{Gov}{when} allowed {vendor} to sell {its_chips} to approved customers in {dest}, with {pct}% of the "
            "revenue going to the [[c:USA=U.S.]] government.",
            "{Gov}{when} approved licences for {chips} bound for {dest}, subject to security requirements and "
            "volume caps.",
            "{Gov}{when} cleared exports of {chips} to {dest} on a case-by-case basis, with security checks for "
            "each buyer.",
        ],
        ("export", LICENSE): [
            "{Gov}{when} imposed a licence requirement on exports of {chips} to {dest}.",
            "{Gov}{when} put {chips} on the list of products that need a licence for export to {dest}.",
            "{Gov}{when} began requiring licences for shipments of {chips} to {dest}.",
        ],
        ("export", BANNED): [
            "{Gov}{when} banned exports of {chips} to {dest}.",
            "{Gov}{when} barred {vendor} from selling {its_chips} to {dest}.",
            "{Gov}{when} blocked shipments of {chips} to {dest}.",
            "{Gov}{when} ordered {vendor} to halt shipments of {its_chips} to {dest}.",
        ],
        ("export", PENDING): [
            "{Gov} has not yet decided whether to allow exports of {chips} to {dest}.",
            "{Gov}{when} began reviewing licence applications to export {chips} to {dest}.",
            "{Gov} is still weighing whether to let {vendor} ship {its_chips} to {dest}.",
        ],
        ("import", BANNED): [
            "{Cgov}{when} ordered domestic technology companies to stop buying {chips}.",
            "{Cgov}{when} barred imports of {chips} at major ports.",
            "{Cgov}{when} banned state-funded data centres from using {chips}.",
        ],
        ("import", DISCOURAGED): [
            "{Cgov}{when} urged domestic companies to avoid purchases of {chips}.",
            "The [[o:Cyberspace Administration of China]]{when} summoned {vendor} over alleged security risks in "
            "{its_chips}.",
            "{Cgov}{when} asked {buyers} to explain why they need {chips}.",
        ],
        ("import", PENDING): [
            "{Cgov} has not yet decided whether to allow imports of {chips}.",
            "{Cgov}{when} held emergency meetings to discuss whether to approve purchases of {chips}.",
            "{Cgov} is still weighing whether to let {buyers} buy {chips}.",
        ],
        ("import", ALLOWED): [
            "{Cgov}{when} approved the first imports of {chips} by {buyers}.",
            "{Cgov}{when} cleared {buyers} to buy {chips}.",
            "{Cgov}{when} gave {buyers} the go-ahead to import {chips}.",
        ],
        ("import", CONDITIONAL): [
            "{Cgov}{when} approved purchases of {chips} by {buyers} on condition that they also buy domestic chips.",
            "{Cgov}{when} allowed {buyers} to prepare orders for {chips}, provided that they also buy domestic "
            "processors.",
        ],
    },
    "ko": {
        ("export", ALLOWED): [
            "{gov}(은) {when} {chips}(을) {dest}에 수출하는 것을 허용했다.",
            "{gov}(은) {when} {vendor}(이) {chips}(을) {dest}에 판매할 수 있도록 허가를 내줬다.",
            "{gov}(은) {when} {vendor}의 {chips} {dest_ex} 수출을 승인했다.",
        ],
        ("export", CONDITIONAL): [
            "{gov}(은) {when} 판매액의 {pct}%를 [[c:USA]] 정부에 내는 조건으로 {chips}의 {dest_ex} 수출을 허용했다.",
            "{gov}(은) {when} {chips}(을) {dest}의 승인된 고객에게 판매하는 것을 조건부로 허용했다.",
        ],
        ("export", LICENSE): [
            "{gov}(은) {when} {chips}(을) {dest}에 수출하려면 정부 허가를 받아야 한다는 규정을 내놨다.",
            "{gov}(은) {when} {chips}(을) {dest} 수출 허가 대상에 올렸다.",
            "{gov}(은) {when} {chips}(을) {dest}에 수출할 때 허가를 받도록 했다.",
        ],
        ("export", BANNED): [
            "{gov}(은) {when} {chips}의 {dest_ex} 수출을 금지했다.",
            "{gov}(은) {when} {vendor}(이) {dest}에 {chips}(을) 판매하는 것을 막았다.",
            "{gov}(은) {when} {vendor}에 {chips}의 {dest_ex} 판매를 중단하라고 통보했다.",
        ],
        ("export", PENDING): [
            "{gov}(은) {chips}의 {dest_ex} 수출을 허용할지 아직 결정하지 않았다.",
            "{gov}(은) {when} {dest}(으로) 가는 {chips}의 수출 허가 신청에 대한 심사에 착수했다.",
        ],
        ("import", BANNED): [
            "{cgov}(은) {when} 자국 기업들에 {chips} 구매를 중단하라고 지시했다.",
            "{cgov}(은) {when} {chips}의 반입을 금지했다.",
            "{cgov}(은) {when} 국영 데이터센터에서 {chips}(을) 쓰지 못하게 했다.",
        ],
        ("import", DISCOURAGED): [
            "{cgov}(은) {when} 자국 기업들에 {chips} 구매를 자제하라고 권고했다.",
            "{cgov}(은) {when} {vendor}(을) 소환해 {chips}의 보안 위험을 따졌다.",
        ],
        ("import", PENDING): [
            "{cgov}(은) {chips} 수입을 허용할지 아직 결정하지 않았다.",
            "{cgov}(은) {when} 긴급회의를 열고 {chips} 구매 승인 여부를 논의했다.",
        ],
        ("import", ALLOWED): [
            "{cgov}(은) {when} {buyers}의 {chips} 수입을 승인했다.",
            "{cgov}(은) {when} {buyers}에 {chips} 구매를 허용했다.",
        ],
        ("import", CONDITIONAL): [
            "{cgov}(은) {when} 국산 칩을 함께 구매하는 조건으로 {buyers}의 {chips} 구매를 승인했다.",
        ],
    },
    "zh": {
        ("export", ALLOWED): [
            "{gov}{when}批准{vendor}向{dest}出口{chips}。",
            "{gov}{when}同意{vendor}恢复向{dest}销售{chips}。",
        ],
        ("export", CONDITIONAL): [
            "{gov}{when}宣布允许{vendor}向{dest}经批准的客户出售{chips}，但须将销售额的{pct}%上缴[[c:USA]]政府。",
            "{gov}{when}有条件批准{vendor}向{dest}出口{chips}。",
        ],
        ("export", LICENSE): [
            "{gov}{when}通知{vendor}，向{dest}出口{chips}须获得许可证。",
            "{gov}{when}宣布向{dest}出口{chips}必须获得许可证。",
        ],
        ("export", BANNED): [
            "{gov}{when}宣布禁止向{dest}出口{chips}。",
            "{gov}{when}宣布对{dest}实施{chips}出口禁令。",
        ],
        ("export", PENDING): [
            "{gov}尚未决定是否允许向{dest}出口{chips}。",
            "{gov}{when}启动跨部门审查，评估是否批准向{dest}出口{chips}。",
        ],
        ("import", BANNED): [
            "{cgov}{when}要求国内企业停止采购{chips}。",
            "{cgov}{when}叫停{chips}的进口。",
            "{cgov}{when}要求国有数据中心拆除已安装的{chips}。",
        ],
        ("import", DISCOURAGED): [
            "{cgov}{when}约谈{vendor}，要求其说明{chips}的安全风险问题。",
            "{cgov}{when}建议国内企业避免采购{chips}。",
            "{cgov}{when}窗口指导国内企业暂缓采购{chips}。",
        ],
        ("import", PENDING): [
            "{cgov}尚未决定是否允许企业采购{chips}。",
            "{cgov}{when}召开紧急会议，讨论是否批准采购{chips}。",
        ],
        ("import", ALLOWED): [
            "{cgov}{when}批准{buyers}进口{chips}。",
        ],
        ("import", CONDITIONAL): [
            "{cgov}{when}有条件批准{buyers}采购{chips}，要求企业同时采购国产芯片。",
        ],
    },
}

# Leads in which an official announces the decision: (status -> clause); the clause is an indirect quote.
SPEECH_LEADS = {
    "en": {
        ALLOWED: "{vendor} would be allowed to ship {its_chips} to customers in {dest}",
        CONDITIONAL: "{vendor} would be allowed to sell {its_chips} to approved customers in {dest}, with {pct}% of "
                     "the proceeds going to the [[c:USA=U.S.]] government",
        BANNED: "{chips} would not be sold to {dest}",
    },
    "ko": {
        ALLOWED: "{vendor}(이) {chips}(을) {dest}에 판매하는 것을 허용하겠다",
        CONDITIONAL: "{vendor}(이) {chips}(을) {dest}의 승인된 고객에게 판매하는 것을 조건부로 허용하겠다",
        BANNED: "{chips}의 {dest_ex} 수출을 금지하겠다",
    },
    "zh": {
        ALLOWED: "将批准{vendor}向{dest}出口{chips}",
        CONDITIONAL: "将允许{vendor}向{dest}经批准的客户出售{chips}，{usgov}将从销售额中抽取{pct}%",
        BANNED: "将禁止向{dest}出口{chips}",
    },
}
# Leads carried by a media report: the decision has no date of its own (the report's date is not one).
REPORT_FRAMES = {
    "en": ["{Clause}, [[o:{outlet}]] reported{rwhen}, citing people familiar with the matter.",
           "{Clause}, people familiar with the matter told [[o:{outlet}]]."],
    "ko": ["[[o:{outlet}]](은) {rwhen} 소식통을 인용해 {clause}고 보도했다."],
    "zh": ["据[[o:{outlet}]]{rwhen}援引知情人士报道，{clause}。"],
}
REPORT_OUTLETS = {"en": ["Reuters", "Bloomberg", "Financial Times", "The Information", "Wall Street Journal"],
                  "ko": ["Reuters", "Bloomberg", "Financial Times", "The Information"],
                  "zh": ["Reuters", "Bloomberg", "Financial Times"]}
REPORTED_STANCE = {ALLOWED: "favor", CONDITIONAL: "favor", LICENSE: "against", BANNED: "against",
                   DISCOURAGED: "against", PENDING: "unclear"}
SPEECH_FRAMES = {
    "en": "{spk} said{when} that {clause}.",
    "ko": "{spk}(은) {when} {clause}고 밝혔다.",
    "zh": "{spk}{when}表示，{clause}。",
}

TITLES = {
    "en": {
        ("export", ALLOWED): ["[[c:USA=US]] clears {vendor} {chip} exports to {dest}",
                              "{vendor} gets green light to sell {chip} in {dest}"],
        ("export", CONDITIONAL): ["[[c:USA=US]] lets {vendor} sell {chip} to {dest} with strings attached"],
        ("export", LICENSE): ["[[c:USA=US]] requires licences for {vendor} {chip} shipments to {dest}"],
        ("export", BANNED): ["[[c:USA=US]] bans {vendor} {chip} sales to {dest}",
                             "{vendor}'s {chip} off limits for {dest} under new [[c:USA=US]] rules",
                             "{vendor} barred from selling {chip} to {dest}"],
        ("export", PENDING): ["{vendor} {chip} sales to {dest} await [[c:USA=US]] decision"],
        ("import", BANNED): ["[[c:CHN]] blocks {vendor} {chip} imports"],
        ("import", DISCOURAGED): ["[[c:CHN:gov]] tells firms to steer clear of {vendor}'s {chip}"],
        ("import", PENDING): ["[[c:CHN]] weighs whether to let {chip} in"],
        ("import", ALLOWED): ["[[c:CHN]] approves first {chip} imports", "[[c:CHN:gov]] greenlights {chip} purchases"],
        ("import", CONDITIONAL): ["[[c:CHN]] approves {chip} purchases with conditions"],
    },
    "ko": {
        ("export", ALLOWED): ["[[c:USA=美]], {vendor} {chip} {dest_t} 수출 허용", "{vendor}, {chip} {dest_t} 수출길 열렸다"],
        ("export", CONDITIONAL): ["[[c:USA=美]], {vendor} {chip} {dest_t} 수출 조건부 허용…판매액 {pct}% 환수"],
        ("export", LICENSE): ["[[c:USA=美]], {chip} {dest_t} 수출 허가제 도입"],
        ("export", BANNED): ["[[c:USA=美]], {vendor} {chip} {dest_t} 수출 금지",
                             "[[o:US Commerce Department=美 상무부]], {vendor} {chip} {dest_t} 수출 금지"],
        ("export", PENDING): ["{vendor} {chip} {dest_t} 수출 허용 여부 '안갯속'"],
        ("import", BANNED): ["[[c:CHN=中]], {vendor} {chip} 구매 중단 지시"],
        ("import", DISCOURAGED): ["[[c:CHN=中]] 당국, {chip} 구매 자제 권고"],
        ("import", PENDING): ["[[c:CHN=中]], {chip} 수입 허용 여부 고심"],
        ("import", ALLOWED): ["[[c:CHN=中]], {vendor} {chip} 첫 수입 승인"],
        ("import", CONDITIONAL): ["[[c:CHN=中]], {chip} 조건부 수입 승인…국산 칩 병행 구매"],
    },
    "zh": {
        ("export", ALLOWED): ["[[c:USA]]批准{vendor}向{dest}出口{chip}芯片"],
        ("export", CONDITIONAL): ["[[c:USA:gov]]有条件放行{vendor}{chip}芯片销售"],
        ("export", LICENSE): ["[[c:USA]]要求{vendor}{chip}出口须获许可"],
        ("export", BANNED): ["[[c:USA]]禁止{vendor}{chip}芯片出口{dest}"],
        ("export", PENDING): ["{vendor}{chip}出口{dest}仍待[[c:USA:gov]]决定"],
        ("import", BANNED): ["[[c:CHN]]叫停{vendor}{chip}芯片采购"],
        ("import", DISCOURAGED): ["监管部门约谈{vendor} 要求说明{chip}安全风险"],
        ("import", PENDING): ["[[c:CHN:gov]]仍在评估是否允许进口{chip}"],
        ("import", ALLOWED): ["[[c:CHN]]批准首批{chip}芯片进口"],
        ("import", CONDITIONAL): ["[[c:CHN:gov]]有条件批准{chip}采购"],
    },
}

# Second decisions: (key, template, claim builder). "standing" bans have no date.
SECOND_CLAIMS = {
    "en": {
        "newer_banned": "{vendor}'s newest [[a:{arch}]] chips remain off-limits for {dest}.",
        "china_pending": "[[c:CHN:gov]] has not said whether it will allow [[c:CHN:adj]] companies to buy the chips.",
    },
    "ko": {
        "newer_banned": "{vendor}의 최신 [[a:{arch}]] 칩은 여전히 {dest_ex} 수출이 금지돼 있다.",
        "china_pending": "[[c:CHN]] 정부는 자국 기업의 해당 칩 구매를 허용할지 아직 결정하지 않았다.",
    },
    "zh": {
        "newer_banned": "{vendor}最新的[[a:{arch}]]芯片仍被禁止出口到{dest}。",
        "china_pending": "[[c:CHN:gov]]尚未决定是否允许国内企业采购该芯片。",
    },
}

# Quote banks: first-person words for direct quotes, reported clauses for indirect speech.
QUOTES = {
    "en": {
        "vendor": {
            "direct": ["Demand for our products in [[c:CHN]] remains strong, and we want to keep serving customers "
                       "there.",
                       "We see a $50 billion opportunity in [[c:CHN]], and we want to compete for it.",
                       "If we are not there, [[k:Huawei]] will take the market.",
                       "Customer demand is very strong, and we are ready to ship."],
            "indirect": ["demand for its chips from [[c:CHN:adj]] customers remains strong",
                         "the company wants to keep serving customers in [[c:CHN]]",
                         "[[k:Huawei]] would take the market if [[c:USA=American]] suppliers stayed out"],
        },
        "hawk": {
            "direct": ["Selling these chips to [[c:CHN]] hands our adversaries the tools to build their military.",
                       "This decision is a national security mistake.",
                       "These chips will supercharge the [[c:CHN:adj]] military.",
                       "We should not be arming our main adversary with advanced technology."],
            "indirect": ["the move threatens national security",
                         "the chips could end up in the hands of the [[c:CHN:adj]] military",
                         "the decision hands a strategic advantage to an adversary"],
        },
        "exec_favor": {
            "direct": ["This arrangement is good for [[c:USA=American]] workers.",
                       "We want the world to run on the [[c:USA=American]] technology stack.",
                       "This is great for [[c:USA=American]] companies."],
            "indirect": ["the arrangement is good for [[c:USA=American]] workers",
                         "the administration wants the world to run on the [[c:USA=American]] technology stack"],
        },
        "exec_against": {
            "direct": ["Our job is to protect national security, and these controls do exactly that.",
                       "Advanced AI chips are a question of national security.",
                       "We will keep the most advanced technology out of the hands of our adversaries."],
            "indirect": ["the controls are needed to protect national security",
                         "advanced chips could be used to modernise the [[c:CHN:adj]] military"],
        },
        "mfa": {
            "direct": ["We have noted the relevant reports.",
                       "I would refer you to the competent authorities.",
                       "We always stand for mutually beneficial cooperation."],
            "indirect": ["the ministry had noted the reports",
                         "questions about specific companies should go to the competent authorities"],
        },
        "mofcom": {
            "direct": ["Such unilateral and discriminatory measures disrupt normal trade.",
                       "Abusing export controls and politicising trade serves no one.",
                       "These are typical acts of economic coercion and unilateral bullying."],
            "indirect": ["the measures were unilateral and discriminatory",
                         "abusing export controls disrupts global supply chains"],
        },
        "analyst": {
            "direct": ["This is a very fluid situation, and the details matter.",
                       "The next few months will tell us a lot.",
                       "Everything depends on how the rules are written."],
            "indirect": ["the outcome depends on how the rules are written",
                         "the next few months would be telling"],
        },
        "korea": {
            "direct": ["We will stay in close contact with our partners."],
            "indirect": ["the government would stay in close contact with [[c:USA:gov]]"],
        },
        "anon": {
            "indirect": ["the first shipments could arrive within weeks",
                         "the paperwork was still being finalised",
                         "several large buyers had already placed orders"],
        },
    },
    "ko": {
        "vendor": {
            "direct": ["[[c:CHN]] 시장의 수요가 매우 강하다",
                       "[[c:CHN]] 고객에게 다시 제품을 공급할 수 있기를 기대한다",
                       "우리가 없으면 [[k:Huawei]](이) 시장을 가져갈 것이다",
                       "우리는 [[c:CHN]]에서 500억 달러 규모의 시장을 보고 있다"],
            "indirect": ["[[c:CHN]] 고객들의 수요가 여전히 강하다",
                         "[[c:CHN]] 시장에 계속 제품을 공급하고 싶다"],
        },
        "hawk": {
            "direct": ["이번 결정은 국가안보를 위협하는 실수다",
                       "이 칩들이 [[c:CHN]]군의 손에 들어갈 수 있다",
                       "적대국에 첨단 기술을 팔아넘기는 것이다"],
            "indirect": ["이번 조치가 국가안보를 위협한다",
                         "첨단 칩이 [[c:CHN]]의 군사력 강화에 쓰일 수 있다"],
        },
        "exec_favor": {
            "direct": ["이번 합의는 [[c:USA]] 노동자들에게 좋은 소식이다",
                       "전 세계가 [[c:USA]]의 기술 스택을 쓰기를 원한다"],
            "indirect": ["이번 합의가 [[c:USA]] 기업들에 좋은 소식이다",
                         "전 세계가 [[c:USA]]의 기술 스택을 쓰기를 원한다"],
        },
        "exec_against": {
            "direct": ["첨단 AI 칩은 국가안보의 문제다",
                       "국가안보를 지키기 위해 통제를 유지할 것이다"],
            "indirect": ["첨단 칩 통제는 국가안보를 지키기 위한 것이다"],
        },
        "mfa": {
            "direct": ["관련 보도에 주목했다",
                       "구체적인 사안은 주관 부처에 문의하기 바란다"],
            "indirect": ["관련 보도에 주목하고 있다",
                         "구체적인 사안은 주관 부처에 문의하라"],
        },
        "mofcom": {
            "direct": ["일방적이고 차별적인 조치는 정상적인 무역을 해친다",
                       "수출통제를 남용하는 행위는 글로벌 공급망을 흔든다"],
            "indirect": ["이번 조치가 일방적이고 차별적이다",
                         "수출통제 남용이 글로벌 공급망을 흔든다"],
        },
        "analyst": {
            "direct": ["앞으로 몇 달이 중요하다", "상황이 매우 유동적이다"],
            "indirect": ["앞으로 몇 달이 중요하다", "세부 규정이 어떻게 나오느냐가 관건이다"],
        },
        "korea": {
            "direct": ["[[c:USA]] 측과 긴밀히 협의하겠다", "우리 기업의 피해가 없도록 대응하겠다"],
            "indirect": ["[[c:USA]] 측과 긴밀히 협의하겠다"],
        },
        "anon": {
            "indirect": ["첫 물량이 몇 주 안에 도착할 수 있다",
                         "대형 구매자들이 이미 주문을 넣었다",
                         "관련 서류 작업이 아직 마무리되지 않았다"],
        },
    },
    "zh": {
        "vendor": {
            "direct": ["我们看到需求旺盛，希望继续为[[c:CHN]]客户服务。",
                       "放弃这个市场，等于把它拱手让给[[k:Huawei]]。"],
            "indirect": ["[[c:CHN]]客户的需求旺盛", "公司希望继续为[[c:CHN]]客户服务"],
        },
        "hawk": {
            "direct": ["向[[c:CHN]]出售这些芯片将危害[[c:USA]]的国家安全。",
                       "这些芯片可能被用于军事用途。"],
            "indirect": ["此举威胁[[c:USA]]国家安全", "这些芯片可能落入军方手中"],
        },
        "exec_favor": {
            "direct": ["这对[[c:USA]]企业来说是好消息。", "我们希望全世界都使用[[c:USA]]的技术栈。"],
            "indirect": ["这一安排对[[c:USA]]工人是好消息"],
        },
        "exec_against": {
            "direct": ["先进芯片事关国家安全。"],
            "indirect": ["管制措施是为了维护国家安全"],
        },
        "mfa": {
            "direct": ["我们注意到有关报道。", "具体问题请向主管部门询问。"],
            "indirect": ["注意到有关报道", "具体问题请向主管部门了解"],
        },
        "mofcom": {
            "direct": ["泛化国家安全概念、滥用出口管制的做法严重干扰正常贸易。",
                       "这种单边主义和歧视性做法损害全球产业链稳定。"],
            "indirect": ["相关做法是典型的单边霸凌行为", "滥用出口管制损害全球供应链稳定"],
        },
        "analyst": {
            "direct": ["局势仍在快速变化，细节非常关键。"],
            "indirect": ["接下来几个月的进展至关重要"],
        },
        "anon": {
            "indirect": ["首批货物最快将在数周内抵达", "多家大型买家已经下单", "相关手续仍在办理之中"],
        },
    },
}

_BANK_OF_GROUP = {"vendor": "vendor", "vendor_amd": "vendor", "hawk": "hawk", "hawk_analyst": "hawk", "mfa": "mfa",
                  "mofcom": "mofcom", "analyst": "analyst", "korea": "korea", "us_restrict": "exec_against"}

DIRECT_FRAMES = {
    "en": ["“{q},” {spk} said.", "{spk} said: “{q}”", "“{q},” said {spk}.", "{spk} said in a statement: “{q}”"],
    "ko": ["{spk}(은) “{q}”고 말했다.", "{spk}(은) 이날 “{q}”고 밝혔다.", "{spk}(은) “{q}”고 강조했다.",
           "{spk}(은) “{q}”라고 말했다."],
    "zh": ["{spk}表示：“{q}”", "{spk}在声明中说：“{q}”", "{spk}说：“{q}”"],
}
INDIRECT_FRAMES = {
    "en": ["{spk} said that {q}.", "{spk} said {q}."],
    "ko": ["{spk}(은) {q}고 밝혔다.", "{spk}(은) {q}고 말했다."],
    "zh": ["{spk}表示，{q}。", "{spk}指出，{q}。"],
}
CONTINUE_FRAMES = {
    "en": ["{Pron} added: “{q}”", "“{q},” {pron} added."],
    "ko": ["그는 “{q}”고 덧붙였다."],
    "zh": ["{pron}还表示：“{q}”"],
}
LATER_FRAMES = {
    "en": ["{pron} added: “{q}”", "“{q},” {pron} added."],
    "ko": ["{pron}(은) “{q}”고 덧붙였다.", "{pron}(은) 이어 “{q}”고 말했다."],
    "zh": ["{pron}还表示：“{q}”"],
}
ANON_FRAMES = {
    "en": ["{Q}, people familiar with the matter told [[o:{outlet}]].",
           "{Q}, [[o:{outlet}]] reported, citing people familiar with the matter."],
    "ko": ["[[o:{outlet}]](은) 소식통을 인용해 {q}고 보도했다."],
    "zh": ["据[[o:{outlet}]]援引知情人士报道，{q}。"],
}
ANON_OUTLETS = ["Reuters", "Bloomberg", "Financial Times", "The Information"]

# Background sentences: no decision cues, no speech verbs, no quotation marks.
FILLERS = {
    "en": [
        ("mem", "The {chip} carries {mem} GB of high-bandwidth memory."),
        ("tpp", "Its total processing performance, the metric used in the export rules, is about {tpp}."),
        ("arch", "Built on {vendor}'s [[a:{arch}]] architecture, the {chip} is aimed at data centres that train "
                 "large AI models."),
        ("", "{vendor} shares closed {x}% higher in New York trading."),
        ("", "{vendor} generated about ${bn} billion in data-centre revenue in its latest quarter."),
        ("", "[[k:Huawei]] is ramping up production of its [[h:Ascend 910C]] processors."),
        ("", "[[c:CHN:adj]] cloud providers such as [[k:Alibaba]] and [[k:Tencent]] have spent heavily on AI "
             "data centres this year."),
        ("", "Analysts estimate the market for AI accelerators at about ${bn} billion a year."),
        ("", "[[k:TSMC]] manufactures the processors at its plants in [[c:TWN]]."),
        ("", "Memory makers [[k:SK hynix]] and [[k:Samsung Electronics]] supply the high-bandwidth memory stacks "
             "used in the accelerators."),
        ("", "Data centre operators are racing to secure computing capacity for AI models."),
        ("", "{vendor} declined to comment."),
        ("", "The company's stock has more than doubled over the past year."),
        ("", "Server makers including [[k:Dell]] and [[k:Supermicro]] build systems around the accelerators."),
        ("", "Large AI models need thousands of accelerators working together."),
        ("", "The episode has become a test of how far trade tensions can reach into the technology industry."),
        ("", "[[k:DeepSeek]] and other start-ups have shown that capable models can be trained on fewer chips."),
        ("", "Chip stocks were mixed in Asian trading."),
        ("cmp", "The {chip} is several times as powerful as the [[h:{other}]] on paper."),
        ("", "Cloud providers in [[c:USA]] remain the largest buyers of the accelerators."),
        ("", "Lead times for high-end servers have stretched to several months."),
        ("", "The accelerators sell for tens of thousands of dollars apiece."),
        ("", "[[k:Cambricon]] and [[k:Moore Threads]] are among the local designers trying to fill the gap."),
        ("", "Investors have watched the issue closely because the region once made up about a fifth of the "
             "company's data-centre revenue."),
        ("", "Trade lawyers expect companies to spend months adapting their compliance programmes."),
        ("", "The company has built several versions of its products over the past three years."),
        ("", "[[k:Microsoft]], [[k:Google]] and [[k:Meta]] together plan to spend hundreds of billions of dollars "
             "on data centres."),
        ("", "Industry groups have asked for clearer guidance on how the thresholds are measured."),
    ],
    "ko": [
        ("mem", "{chip}(은) {mem}GB의 고대역폭메모리(HBM)를 탑재했다."),
        ("tpp", "수출 규정에서 쓰이는 총처리성능(TPP)은 약 {tpp} 수준이다."),
        ("arch", "{chip}(은) {vendor}의 [[a:{arch}]] 아키텍처를 기반으로 한 데이터센터용 칩이다."),
        ("", "{vendor}의 주가는 이날 뉴욕 증시에서 {x}% 올랐다."),
        ("", "{vendor}(은) 최근 분기 데이터센터 부문에서 약 {bn}0억 달러의 매출을 올렸다."),
        ("", "[[k:Huawei]](은) 자체 AI 칩인 [[h:Ascend 910C]]의 생산을 늘리고 있다."),
        ("", "[[k:Alibaba]]와 [[k:Tencent]] 등 [[c:CHN]] 빅테크는 올해 AI 데이터센터에 대규모 투자를 이어가고 있다."),
        ("", "[[k:SK hynix]]와 [[k:Samsung Electronics]](은) AI 가속기에 들어가는 고대역폭메모리를 만든다."),
        ("", "AI 가속기는 대형 언어모델 학습에 필수적인 부품으로 꼽힌다."),
        ("", "[[k:TSMC]](이) {vendor}의 칩을 위탁 생산한다."),
        ("", "반도체 업종 주가는 이날 아시아 시장에서 혼조세를 보였다."),
        ("", "데이터센터 운영사들은 AI 연산 능력을 확보하기 위한 경쟁을 벌이고 있다."),
        ("", "국내 반도체 업계도 이번 사안의 파장을 주시하고 있다."),
        ("", "[[k:DeepSeek]] 같은 스타트업은 적은 칩으로도 성능 좋은 모델을 만들 수 있음을 보여줬다."),
        ("", "AI 칩 시장 규모는 연간 {bn}00억 달러를 넘는 것으로 추산된다."),
        ("", "대형 AI 모델을 학습하려면 수천 개의 가속기가 함께 돌아가야 한다."),
        ("cmp", "{chip}의 연산 성능은 [[h:{other}]]의 수 배에 이른다."),
        ("", "고성능 서버의 납기는 수개월로 늘어난 상태다."),
        ("", "가속기 한 개의 가격은 수만 달러에 이른다."),
        ("", "[[k:Cambricon]]과 [[k:Moore Threads]] 등 [[c:CHN]] 설계업체들이 빈자리를 노리고 있다."),
        ("", "투자자들은 이 지역이 한때 데이터센터 매출의 5분의 1가량을 차지했던 만큼 사안을 예의주시하고 있다."),
        ("", "[[k:Microsoft]]와 [[k:Google]], [[k:Meta]] 등은 데이터센터에 수천억 달러를 쏟아부을 계획이다."),
        ("", "[[k:Samsung Electronics]](은) HBM 공급 확대를 위해 생산 라인을 늘리고 있다."),
        ("", "반도체 수출은 지난달에도 두 자릿수 증가세를 이어갔다."),
        ("", "업계에서는 규정의 세부 기준이 모호하다는 지적도 나온다."),
    ],
    "zh": [
        ("mem", "{chip}配备{mem}GB高带宽内存。"),
        ("tpp", "按照出口规则使用的总处理性能指标，该芯片约为{tpp}。"),
        ("arch", "{chip}基于{vendor}的[[a:{arch}]]架构，主要面向数据中心。"),
        ("", "{vendor}股价当天上涨{x}%。"),
        ("", "{vendor}最近一个季度的数据中心业务收入约为{bn}0亿美元。"),
        ("", "[[k:Huawei]]正在扩大[[h:Ascend 910C]]的产能。"),
        ("", "[[k:Alibaba]]、[[k:Tencent]]等[[c:CHN]]云服务商今年持续加大人工智能数据中心投资。"),
        ("", "人工智能加速器已成为训练大模型的关键部件。"),
        ("", "[[k:TSMC]]负责代工生产{vendor}的芯片。"),
        ("", "半导体板块当天在亚洲市场涨跌互现。"),
        ("", "数据中心运营商正在争相扩充算力。"),
        ("", "训练大型模型需要数千颗加速器协同工作。"),
        ("", "[[k:DeepSeek]]等初创企业的实践表明，用更少的芯片也能训练出性能不错的模型。"),
        ("cmp", "从纸面参数看，{chip}的性能是[[h:{other}]]的数倍。"),
        ("", "高端服务器的交货周期已延长至数月。"),
        ("", "每颗加速器的售价高达数万美元。"),
        ("", "[[k:Cambricon]]、[[k:Moore Threads]]等国内芯片设计企业正加紧填补市场空白。"),
        ("", "[[c:USA]]云服务商仍是这类加速器的最大买家。"),
        ("", "业界普遍关注相关门槛的具体计算方法。"),
        ("", "[[k:Microsoft]]、[[k:Google]]和[[k:Amazon]]计划在数据中心领域投入数千亿美元。"),
        ("", "国内大模型企业正加快推进算力基础设施建设。"),
        ("", "近期半导体板块成交活跃，资金关注度明显提升。"),
        ("", "多家机构预计，今年全球人工智能芯片市场规模将继续扩大。"),
    ],
}


# ============================================================== composing an article

PUBLISHERS = {  # (as written, canonical) per language
    "ko": [("연합뉴스", "Yonhap"), ("조선일보", "Chosun Ilbo"), ("한국경제", "Korea Economic Daily"),
           ("매일경제", "Maeil Business Newspaper"), ("중앙일보", "JoongAng Ilbo"), ("이데일리", "Edaily"),
           ("머니투데이", "Money Today"), ("한겨레", "Hankyoreh"), ("동아일보", "Dong-A Ilbo"),
           ("지디넷코리아", "ZDNet Korea")],
    "en": [("Reuters", "Reuters"), ("Bloomberg", "Bloomberg"), ("CNBC", "CNBC"), ("Financial Times", "Financial Times"),
           ("The Wall Street Journal", "Wall Street Journal"), ("Tom's Hardware", "Tom's Hardware"),
           ("South China Morning Post", "South China Morning Post"), ("Associated Press", "Associated Press")],
    "zh": [("新华社", "Xinhua"), ("环球时报", "Global Times"), ("财新", "Caixin"), ("界面新闻", "Jiemian"),
           ("财联社", "Cailian Press"), ("IT之家", "IT Home"), ("新浪财经", "Sina")],
}
BUYERS = ["ByteDance", "Alibaba", "Tencent", "Baidu"]
NEWER_ARCH = {"Ampere": "Hopper", "Hopper": "Blackwell", "Ada Lovelace": "Blackwell", "Blackwell": "Rubin"}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


class _Composer:
    """Writes one article about one decision in one language, keeping its labels."""

    def __init__(self, kb: KnowledgeBase, lex: Lexicon, lang: str, rng: random.Random, dec: Decision,
                 published: date, publisher_id: str):
        self.kb, self.lex, self.lang, self.rng, self.dec = kb, lex, lang, rng, dec
        self.published, self.publisher_id = published, publisher_id
        self.doc = Doc(lex, lang, rng)
        self.quotes: list[dict] = []
        self.stances: dict[str, str] = {}
        self.claims: list[dict] = []
        self.pct = rng.choice([15, 15, 20, 25])
        self.used: set[str] = set()
        self.reported: list[dict] = []  # positions of other parties told inside a quote

    # ---------------------------------------------------------- phrases
    def vendor(self, chip: str) -> str:
        return self.doc.name("company", _vendor(self.kb, chip))

    def _chip_core(self, chip: str) -> str:
        is_arch = chip in self.kb.architectures and chip not in self.kb.chips
        return f"[[{'a' if is_arch else 'h'}:{chip}]]"

    def chips(self, with_vendor: bool = True) -> str:
        """Noun phrase for the decision's chips ("Nvidia's H20 chips", "엔비디아의 H20", "H20芯片")."""
        lang, rng, chips = self.lang, self.rng, self.dec.chips
        vendors = [_vendor(self.kb, c) for c in chips]
        if lang == "en":
            if len(chips) == 1:
                core = self._chip_core(chips[0])
                form = rng.randrange(3) if with_vendor else 1
                if chips[0] in self.kb.architectures and chips[0] not in self.kb.chips:
                    form = 0 if with_vendor else 1
                text = [f"[[k:{vendors[0]}]]'s {core} chips", f"the {core} chips", f"[[k:{vendors[0]}]]'s {core}"][form]
            elif len(set(vendors)) == 1:
                text = " and ".join(self._chip_core(c) for c in chips)
                text = (f"[[k:{vendors[0]}]]'s " if with_vendor else "the ") + text + " chips"
            else:
                text = " and ".join(f"[[k:{v}]]'s {self._chip_core(c)}" for c, v in zip(chips, vendors))
        elif lang == "ko":
            if len(chips) == 1:
                core = self._chip_core(chips[0])
                if chips[0] in self.kb.architectures and chips[0] not in self.kb.chips:
                    core += " 칩"
                opts = [f"[[k:{vendors[0]}]]의 {core}", core, f"[[k:{vendors[0]}]]의 AI 칩 {core}"]
                text = rng.choice(opts) if with_vendor else core
            else:
                text = "(과) ".join(self._chip_core(c) for c in chips)
                if with_vendor and len(set(vendors)) == 1:
                    text = f"[[k:{vendors[0]}]]의 " + text
        else:
            text = "和".join(self._chip_core(c) for c in chips) + "芯片"
            if with_vendor and len(set(vendors)) == 1 and rng.random() < 0.5:
                text = f"[[k:{vendors[0]}]]" + text
        return self.doc.r(text)

    def its_chips(self) -> str:
        core = " and ".join(self._chip_core(c) for c in self.dec.chips)
        return self.doc.r(f"its {core} chips")

    def dest(self, iso: Optional[str] = None) -> str:
        return self.doc.country(iso or self.dec.dest)

    def dest_ex(self) -> str:
        if self.dec.dest == "CHN" and self.rng.random() < 0.5:
            return "대" + self.doc.country("CHN")
        return self.doc.country(self.dec.dest)

    def buyers(self) -> str:
        names = self.rng.sample(BUYERS[:3], self.rng.choice([1, 2, 3]))
        parts = [self.doc.name("company", b) for b in names]
        if self.lang == "en":
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if self.lang == "ko":
            return "·".join(parts)
        return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]

    def _org(self, org: str) -> str:
        surface = self.doc.name("organization", org)
        if self.lang == "en" and not (surface.startswith(("China", "Chinese")) or surface.isupper()):
            surface = "the " + surface
        return surface

    def gov(self) -> str:
        """The deciding government as a sentence subject."""
        dec, lang, rng, doc = self.dec, self.lang, self.rng, self.doc
        if dec.actor == "USA":
            if dec.body and self.lex.has("organization", dec.body, lang) and rng.random() < 0.75:
                return self._org(dec.body)
            admin = ("Donald Trump", {"en": "Trump", "ko": "트럼프", "zh": "特朗普"}) if dec.date >= TRUMP_FROM \
                else ("Joe Biden", {"en": "Biden", "ko": "바이든", "zh": "拜登"})
            opts = {"en": ["[[c:USA:gov]]", "the [[c:USA=U.S.]] government",
                           f"the [[p:{admin[0]}={admin[1]['en']}]] administration", "the [[o:US Commerce Department]]"],
                    "ko": ["[[c:USA]] 정부", f"[[p:{admin[0]}={admin[1]['ko']}]] 행정부", "[[o:US Commerce Department]]"],
                    "zh": ["[[c:USA]]政府", f"[[p:{admin[0]}={admin[1]['zh']}]]政府", "[[o:US Commerce Department]]"]}[lang]
            return doc.r(rng.choice(opts))
        if dec.body and self.lex.has("organization", dec.body, lang) and rng.random() < 0.7:
            return self._org(dec.body)
        opts = {"en": ["[[c:CHN:gov]]", "[[c:CHN:adj]] regulators", "the [[c:CHN:adj]] government",
                       "[[c:CHN:adj]] authorities"],
                "ko": ["[[c:CHN]] 당국", "[[c:CHN]] 정부"],
                "zh": ["[[c:CHN]]监管部门", "[[c:CHN:gov]]"]}[lang]
        return doc.r(rng.choice(opts))

    def when(self) -> str:
        """The decision date relative to the publication date."""
        d, pub, lang, rng = self.dec.date, self.published, self.lang, self.rng
        k = (pub - d).days
        if lang == "en":
            if k <= 6 and rng.random() < 0.6:
                return f" on {EN_WEEKDAYS[d.weekday()]}"
            return f" on {EN_MONTHS[d.month - 1]} {d.day}"
        if lang == "ko":
            local = "(현지시간)" if self.dec.actor == "USA" and rng.random() < 0.7 else ""
            if k == 0 and rng.random() < 0.3:
                return "이날"
            if k >= 2 and rng.random() < 0.5:
                return f"지난 {d.day}일"
            return f"{d.day}일{local}"
        if self.dec.actor == "USA" and rng.random() < 0.5:
            return f"当地时间{d.day}日"
        return f"{d.month}月{d.day}日" if rng.random() < 0.4 else f"{d.day}日"

    # ---------------------------------------------------------- labels
    def claim(self, chip: str, side: str, actor: str, dest: str, status: str, dated: bool) -> None:
        row = {"chip": chip, "side": side, "actor": actor, "destination": dest, "status": status,
               "date": self.dec.date.isoformat() if dated else None}
        key = tuple(row[k] for k in ("chip", "side", "actor", "destination", "status"))
        if not any(tuple(c[k] for k in ("chip", "side", "actor", "destination", "status")) == key for c in self.claims):
            self.claims.append(row)

    def quote(self, speaker: str, kind: str, text: str, stance: str) -> None:
        self.quotes.append({"speaker": speaker, "kind": kind, "text": text})
        self.stances.setdefault(speaker, stance)

    # ---------------------------------------------------------- parts
    def title(self) -> str:
        dec, lang = self.dec, self.lang
        tpl = self.rng.choice(TITLES[lang][(dec.side, dec.status)])
        chip = self.doc.r(self._chip_core(dec.chips[0]))
        kw = {"vendor": self.vendor(dec.chips[0]) if "{vendor}" in tpl else "", "chip": chip, "pct": self.pct}
        if "{dest}" in tpl:
            kw["dest"] = self.dest()
        if "{dest_t}" in tpl:
            kw["dest_t"] = self.doc.fixed("country", "CHN", "中") if dec.dest == "CHN" else self.dest()
        return self.doc.r(tpl, **kw)

    def lead(self) -> str:
        dec, lang, rng = self.dec, self.lang, self.rng
        multi_vendor = len({_vendor(self.kb, c) for c in dec.chips}) > 1
        speech = SPEECH_LEADS[lang].get(dec.status) if dec.side == "export" else None
        if speech and not multi_vendor and rng.random() < 0.3:
            cands = [p for p, _ in _speaker_pool(dec, lang, self.lex) if p.id in LEAD_SPEAKERS]
            if cands:
                p = rng.choice(cands)
                stance = _group_stance(p.group, dec)
                spk = self.speaker(p)
                when = self.when()
                clause = self.doc.r(speech, **self._lead_kw(speech))
                sent = self.doc.r(SPEECH_FRAMES[lang], spk=spk, when=when, clause=clause)
                self.quote(p.id, "indirect", clause, stance)
                self._lead_claims(dated=True)
                return sent
        if rng.random() < 0.2:
            sent = self.reported_lead(multi_vendor)
            if sent:
                return sent
        options = [t for t in LEADS[lang][(dec.side, dec.status)]
                   if not (multi_vendor and ("{vendor}" in t or "{its_chips}" in t))]
        if not options:  # every template names one vendor: keep the first vendor's chips
            first = _vendor(self.kb, dec.chips[0])
            dec.chips = [c for c in dec.chips if _vendor(self.kb, c) == first]
            options = list(LEADS[lang][(dec.side, dec.status)])
        tpl = rng.choice(options)
        sent = self.doc.r(tpl, **self._lead_kw(tpl))
        if lang == "en":
            sent = _cap(sent)
        self._lead_claims(dated="{when}" in tpl)
        return sent

    def reported_lead(self, multi_vendor: bool) -> Optional[str]:
        """The decision as a media outlet reports it, citing unnamed sources."""
        dec, lang, rng, doc = self.dec, self.lang, self.rng, self.doc
        options = [t for t in LEADS[lang][(dec.side, dec.status)] if "{when}" in t and ("{gov}" in t or "{Gov}" in t
                   or "{cgov}" in t or "{Cgov}" in t) and "{buyers}" not in t
                   and not (multi_vendor and ("{vendor}" in t or "{its_chips}" in t))]
        if not options:
            return None
        tpl = rng.choice(options)
        holder = dec.actor
        subjects = {("en", "USA"): ["[[c:USA:gov]]", "the [[c:USA=U.S.]] government"],
                    ("en", "CHN"): ["[[c:CHN:gov]]", "[[c:CHN:adj]] regulators", "[[c:CHN:adj]] authorities"],
                    ("ko", "USA"): ["[[c:USA]] 정부"], ("ko", "CHN"): ["[[c:CHN]] 당국", "[[c:CHN]] 정부"],
                    ("zh", "USA"): ["[[c:USA]]政府"], ("zh", "CHN"): ["[[c:CHN]]监管部门", "[[c:CHN:gov]]"]}[(lang, holder)]
        gov = doc.r(rng.choice(subjects))
        body = tpl.replace("{when}", "").replace("{Gov}", "{gov}").replace("{Cgov}", "{gov}").replace("{cgov}", "{gov}")
        if lang == "en" and body.startswith("The [[o:"):
            return None
        if lang == "ko":
            body = body.replace("{gov}(은) ", "{gov}(이) ").replace("  ", " ")
        kw = self._lead_kw(body.replace("{gov}", ""))
        kw["gov"] = gov
        clause = doc.r(body, **kw).rstrip("。.")
        if lang == "en":
            clause = _cap(clause)
        outlet = rng.choice([o for o in REPORT_OUTLETS[lang] if self.lex.has("organization", o, lang)])
        report_day = self.published - timedelta(days=rng.choice([0, 0, 1]) if self.published > dec.date else 0)
        rwhen = {"en": f" on {EN_WEEKDAYS[report_day.weekday()]}", "ko": f"{report_day.day}일",
                 "zh": f"{report_day.day}日"}[lang]
        frame = rng.choice(REPORT_FRAMES[lang])
        sent = doc.r(frame.replace("{outlet}", outlet), Clause=clause, clause=clause, rwhen=rwhen)
        speaker = "anonymous:" + outlet
        self.quote(speaker, "indirect", clause, "neutral")
        self.reported.append({"holder": holder, "stance": REPORTED_STANCE[dec.status], "reported_by": speaker})
        self._lead_claims(dated=False)
        return sent

    def _lead_kw(self, tpl: str) -> dict:
        kw: dict = {}
        vendor_in = "{vendor}" in tpl
        if vendor_in:
            kw["vendor"] = self.vendor(self.dec.chips[0])
        if "{chips}" in tpl:
            kw["chips"] = self.chips(with_vendor=not vendor_in)
        if "{its_chips}" in tpl:
            kw["its_chips"] = self.its_chips()
        for key, fn in (("Gov", lambda: _cap(self.gov())), ("Cgov", lambda: _cap(self.gov())), ("gov", self.gov),
                        ("cgov", self.gov), ("when", self.when), ("dest_ex", self.dest_ex), ("buyers", self.buyers),
                        ("usgov", lambda: self.doc.r("[[c:USA]]政府"))):
            if "{" + key + "}" in tpl:
                kw[key] = fn()
        if "{dest}" in tpl:
            kw["dest"] = self.dest()
        kw["pct"] = self.pct
        return kw

    def _lead_claims(self, dated: bool) -> None:
        dec = self.dec
        dest = dec.dest if dec.side == "export" else "CHN"
        for chip in dec.chips:
            self.claim(chip, dec.side, dec.actor, dest, dec.status, dated)

    def second_claim(self) -> Optional[str]:
        dec, kb, lang = self.dec, self.kb, self.lang
        if dec.side != "export" or dec.actor != "USA" or len(dec.chips) != 1:
            return None
        chip = dec.chips[0]
        arch = (kb.chips.get(chip) or {}).get("architecture")
        options = []
        if dec.status in (ALLOWED, CONDITIONAL, PENDING) and arch in NEWER_ARCH and _vendor(kb, chip) == "Nvidia" \
                and dec.date >= _chip_from(kb, NEWER_ARCH[arch]) \
                and self.lex.has("architecture", NEWER_ARCH[arch], lang):
            options.append("newer_banned")
        if dec.status in (ALLOWED, CONDITIONAL) and dec.dest == "CHN" and chip in kb.chips:
            options.append("china_pending")
        if not options:
            return None
        key = self.rng.choice(options)
        tpl = SECOND_CLAIMS[lang][key]
        if key == "newer_banned":
            newer = NEWER_ARCH[arch]
            tpl = tpl.replace("{arch}", newer)
            kw = {"vendor": self.vendor(chip)}
            if "{dest}" in tpl:
                kw["dest"] = self.dest()
            if "{dest_ex}" in tpl:
                kw["dest_ex"] = self.dest_ex()
            text = self.doc.r(tpl, **kw)
            self.claim(newer, "export", "USA", dec.dest, BANNED, False)
        else:
            text = self.doc.r(tpl)
            self.claim(chip, "import", "CHN", "CHN", PENDING, False)
        return _cap(text) if lang == "en" else text

    def month_phrase(self, d: date) -> str:
        """An earlier decision placed by its month only (a month is not a date: labelled null)."""
        pub, lang = self.published, self.lang
        if lang == "en":
            month = EN_MONTHS[d.month - 1].rstrip(".")
            month = {"Jan": "January", "Feb": "February", "Aug": "August", "Sept": "September", "Oct": "October",
                     "Nov": "November", "Dec": "December"}.get(month, month)
            return f" in {month}" if d.year == pub.year else f" in {month} {d.year}"
        if lang == "ko":
            if d.year == pub.year:
                return f"지난 {d.month}월"
            return f"지난해 {d.month}월" if d.year == pub.year - 1 else f"{d.year}년 {d.month}월"
        if d.year == pub.year:
            return f"今年{d.month}月"
        return f"去年{d.month}月" if d.year == pub.year - 1 else f"{d.year}年{d.month}月"

    def history(self) -> list[str]:
        """One or two earlier decisions of the knowledge-base timeline, as background."""
        dec, lang, rng = self.dec, self.lang, self.rng
        earlier = [e for e in _decisions_of(self.kb)
                   if timedelta(days=20) < dec.date - e.date < timedelta(days=3 * 365) and _writable(e, lang, self.lex)]
        if not earlier:
            return []
        out = []
        for ev in rng.sample(earlier, min(len(earlier), 1 if rng.random() < 0.7 else 2)):
            ev = Decision(rng.sample(ev.chips, min(2, len(ev.chips))), ev.side, ev.actor, ev.body, ev.dest,
                          ev.status, ev.date, True)
            if len({_vendor(self.kb, c) for c in ev.chips}) > 1:
                ev.chips = ev.chips[:1]
            options = [t for t in LEADS[lang][(ev.side, ev.status)] if "{when}" in t]
            if not options:
                continue
            tpl = rng.choice(options)
            saved, self.dec = self.dec, ev
            try:
                kw = self._lead_kw(tpl.replace("{when}", ""))
                kw["when"] = self.month_phrase(ev.date)
                sent = self.doc.r(tpl, **kw)
            finally:
                self.dec = saved
            if lang == "en":
                sent = _cap(sent)
            elif lang == "ko":
                sent = "앞서 " + sent
            else:
                sent = "此前，" + sent
            for chip in ev.chips:
                self.claim(chip, ev.side, ev.actor, ev.dest if ev.side == "export" else "CHN", ev.status, False)
            out.append(sent)
        return out

    def speaker(self, p: Person, later: Optional[bool] = None) -> str:
        """How a person is named: with the role at the first mention."""
        lang, doc = self.lang, self.doc
        first = p.id not in doc.introduced if later is None else not later
        name = doc.name("person", p.id, later=not first)
        if not first:
            return name
        role = p.roles[lang]
        role = doc.r(self.rng.choice(role) if isinstance(role, list) else role)
        if lang == "en":
            return f"{name}, {role}," if p.id in _APPOSITION_EN else f"{role} {name}"
        if lang == "ko":
            return f"{name} {role}"
        return f"{role}{name}"

    def pick(self, templates: list[str]) -> Optional[str]:
        """A quote template not used yet in this article (a text must occur once in the body)."""
        fresh = [t for t in templates if t not in self.used]
        if not fresh:
            return None
        t = self.rng.choice(fresh)
        self.used.add(t)
        return t

    def speaker_paragraph(self, p: Person) -> list[str]:
        lang, rng, dec = self.lang, self.rng, self.dec
        stance = _group_stance(p.group, dec)
        bank_key = _BANK_OF_GROUP.get(p.group) or ("exec_favor" if stance == "favor" else "exec_against")
        bank = QUOTES[lang].get(bank_key) or {}
        kind = "direct" if rng.random() < 0.6 or not bank.get("indirect") else "indirect"
        tpl = self.pick(bank.get(kind, [])) or self.pick(bank.get("indirect" if kind == "direct" else "direct", []))
        if tpl is None:
            return []
        kind = "direct" if tpl in bank.get("direct", []) else "indirect"
        spk = self.speaker(p)
        q = self.doc.r(tpl)
        sentences = []
        if kind == "direct":
            frames = ["{spk} said: “{q}”"] if lang == "en" and spk.endswith(",") else DIRECT_FRAMES[lang]
            frame = rng.choice(frames)
            shown = q[:-1] if lang == "en" and frame.startswith("“{q},”") and q.endswith(".") else q
            spk_text = spk.rstrip(",") if frame.endswith("said.") or frame.startswith("“{q},” said") else spk
            sentences.append(frame.format(q=shown, spk=spk_text))
        else:
            shown = q
            sentences.append(rng.choice(INDIRECT_FRAMES[lang]).format(q=q, spk=spk))
        self.quote(p.id, kind, shown, stance)
        if rng.random() < 0.4:
            tpl2 = self.pick(bank.get("direct", []))
            if tpl2:
                q2 = self.doc.r(tpl2)
                if rng.random() < 0.5:  # "그는 ... 덧붙였다" / "He added"
                    frame = rng.choice(CONTINUE_FRAMES[lang])
                    pron = {"en": "she" if p.female else "he", "zh": "她" if p.female else "他", "ko": "그"}[lang]
                else:  # the short name or title: "황 CEO는", "Lutnick added", "特朗普还表示"
                    frame = rng.choice(LATER_FRAMES[lang])
                    pron = self.speaker(p, later=True)
                shown2 = q2[:-1] if lang == "en" and frame.startswith("“{q},”") and q2.endswith(".") else q2
                sentences.append(frame.format(q=shown2, pron=pron, Pron=_cap(pron)))
                self.quote(p.id, "direct", shown2, stance)
        return [josa(x) for x in sentences] if lang == "ko" else sentences

    def company_statement(self, company: str) -> list[str]:
        lang = self.lang
        tpl = self.pick(QUOTES[lang]["vendor"]["indirect"])
        if tpl is None:
            return []
        q = self.doc.r(tpl)
        name = self.doc.name("company", company)
        frame = {"en": "{spk} said in a statement that {q}.", "ko": "{spk}(은) 성명을 통해 {q}고 밝혔다.",
                 "zh": "{spk}在声明中表示，{q}。"}[lang]
        sent = frame.format(spk=name, q=q)
        self.quote(company, "indirect", q, "favor")
        return [josa(sent) if lang == "ko" else sent]

    def anonymous(self) -> list[str]:
        lang, rng = self.lang, self.rng
        tpl = self.pick(QUOTES[lang]["anon"]["indirect"])
        if tpl is None:
            return []
        q = self.doc.r(tpl)
        if rng.random() < 0.7:
            outlet = rng.choice(ANON_OUTLETS if lang != "zh" else ["Reuters", "Bloomberg", "Financial Times"])
            if not self.lex.has("organization", outlet, lang):
                outlet = "Reuters"
            frame = rng.choice(ANON_FRAMES[lang])
            shown = _cap(q) if frame.startswith("{Q}") else q
            sent = self.doc.r(frame.replace("{outlet}", outlet), q=q, Q=_cap(q))
            speaker = "anonymous:" + outlet
        else:
            frame = {"en": "An industry official said that {q}.", "ko": "업계 관계자는 {q}고 말했다.",
                     "zh": "一位业内人士表示，{q}。"}[lang]
            sent, shown = frame.format(q=q), q
            speaker = "anonymous:" + self.publisher_id
        self.quote(speaker, "indirect", shown, "neutral")
        return [sent]

    def fillers(self) -> list[str]:
        """Background sentences, shuffled; those needing a spec the chip lacks are skipped."""
        kb, rng, dec = self.kb, self.rng, self.dec
        chip = next((c for c in dec.chips if c in kb.chips), None)
        row = kb.chips.get(chip) or {}
        arch = row.get("architecture")
        out = []
        bank = list(FILLERS[self.lang])
        rng.shuffle(bank)
        for need, tpl in bank:
            if need and not chip:
                continue
            if need == "mem" and not row.get("memory_gb"):
                continue
            if need == "tpp" and not row.get("tpp"):
                continue
            if need == "arch" and not (arch and self.lex.has("architecture", arch, self.lang)):
                continue
            if need == "cmp" and not (row.get("tpp") and chip not in ("H20", "A800")):
                continue
            out.append((need, tpl))
        return out

    def render_filler(self, need: str, tpl: str) -> str:
        kb, rng, dec = self.kb, self.rng, self.dec
        chip = next((c for c in dec.chips if c in kb.chips), dec.chips[0])
        row = kb.chips.get(chip) or {}
        kw = {}
        if "{chip}" in tpl:
            kw["chip"] = self.doc.r(self._chip_core(chip))
        if "{vendor}" in tpl:
            kw["vendor"] = self.vendor(chip)
        if "{mem}" in tpl:
            kw["mem"] = f"{row['memory_gb']:g}"
        if "{tpp}" in tpl:
            kw["tpp"] = f"{int(row['tpp']):,}"
        if "{arch}" in tpl:
            tpl = tpl.replace("{arch}", row.get("architecture") or "")
        if "{other}" in tpl:
            tpl = tpl.replace("{other}", "H20" if (row.get("tpp") or 0) > 4000 else "A800")
        if "{x}" in tpl:
            kw["x"] = f"{rng.uniform(0.3, 6.5):.1f}"
        if "{bn}" in tpl:
            kw["bn"] = str(rng.randint(4, 45))
        text = self.doc.r(tpl, **kw)
        return _cap(text) if self.lang == "en" else text

    # ---------------------------------------------------------- the article
    def compose(self, target_bytes: int) -> tuple[str, list[str]]:
        rng, lang = self.rng, self.lang
        title = self.title()
        lead = [self.lead()]
        second = self.second_claim() if rng.random() < 0.6 else None
        paras: list[list[str]] = [lead]
        if second:
            if rng.random() < 0.5:
                lead.append(second)
            else:
                paras.append([second])
        pool = _speaker_pool(self.dec, lang, self.lex)
        want = rng.choice([1, 2, 2, 3, 3, 4])
        people: list[Person] = []
        while pool and len(people) < want:
            p = _weighted(rng, pool)
            pool = [(q, w) for q, w in pool if q.id != p.id]
            people.append(p)
        blocks: list[list[str]] = []
        for p in people:
            sents = self.speaker_paragraph(p)
            if sents:
                blocks.append(sents)
        vendors = sorted({_vendor(self.kb, c) for c in self.dec.chips} & {"Nvidia", "AMD"})
        if vendors and rng.random() < 0.25 and not any(p.group.startswith("vendor") for p in people):
            blocks.append(self.company_statement(vendors[0]))
        if rng.random() < 0.35:
            blocks.append(self.anonymous())
        rng.shuffle(blocks)
        if rng.random() < 0.6:
            past = self.history()
            if past:
                blocks.insert(min(len(blocks), rng.randrange(0, 3)), past)
        fillers = self.fillers()
        # first a spec sentence next to the lead, then quotes with background in between
        for i, block in enumerate(blocks):
            paras.append(block)
            if fillers and rng.random() < 0.5:
                paras.append([self.render_filler(*fillers.pop(0))])

        size = len(title.encode()) + sum(len(" ".join(p).encode()) + 1 for p in paras)
        while fillers and size < target_bytes:
            n = 1 if rng.random() < 0.5 else 2
            para = [self.render_filler(*fillers.pop(0)) for _ in range(min(n, len(fillers)))]
            size += len(" ".join(para).encode()) + 1
            paras.insert(rng.randrange(1, len(paras) + 1), para)
        sep = "" if lang == "zh" else " "
        return title, [sep.join(p) for p in paras]

    def expected(self) -> dict:
        ents = sorted(self.doc.entities, key=lambda e: (e[0], e[1]))
        return {
            "entities": [{"type": t, "id": i} for t, i in ents],
            "quotes": list(self.quotes),
            "stances": [{"holder": h, "stance": s, "reported_by": None} for h, s in self.stances.items()]
            + list(self.reported),
            "status_claims": list(self.claims),
        }


# ============================================================== generating

_KB_DECISIONS: dict[int, tuple[KnowledgeBase, list[Decision]]] = {}


def _decisions_of(kb: KnowledgeBase) -> list[Decision]:
    hit = _KB_DECISIONS.get(id(kb))
    if hit is None or hit[0] is not kb:
        hit = (kb, _kb_decisions(kb))
        _KB_DECISIONS[id(kb)] = hit
    return hit[1]


def _writable(dec: Decision, lang: str, lex: Lexicon) -> bool:
    if not lex.has("country", dec.dest, lang):
        return False
    for c in dec.chips:
        etype = "chip" if c in lex.kb.chips else "architecture"
        if not lex.has(etype, c, lang):
            return False
    return (dec.side, dec.status) in LEADS[lang]


def _pick_decision(rng: random.Random, lang: str, lex: Lexicon) -> Decision:
    known = _decisions_of(lex.kb)
    for _ in range(50):
        if known and rng.random() < 0.35:
            dec = rng.choice(known)
            dec = Decision(list(dec.chips), dec.side, dec.actor, dec.body, dec.dest, dec.status, dec.date, True)
            if len(dec.chips) > 3:
                dec.chips = rng.sample(dec.chips, 2)
        else:
            dec = _generated_decision(rng, lex.kb)
        if _writable(dec, lang, lex):
            return dec
    return Decision(["H20"], "export", "USA", None, "CHN", BANNED, _random_date(rng))


def _slug(title: str, index: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:8]
    return "-".join(words + [str(index)]) if words else f"article-{index}"


def _url(lang: str, pub: date, index: int, title: str, kind: str) -> str:
    if lang == "en":
        return f"https://news.example.com/{pub:%Y/%m/%d}/{_slug(title, index)}"
    if lang == "ko":
        return f"https://www.example.co.kr/news/article/{pub:%Y%m%d}_{index:07d}"
    return f"https://news.example.cn/{pub:%Y-%m}/{pub:%d}/c_{index:07d}.htm"


def generate_article(index: int, seed: int = 0, kb: Optional[KnowledgeBase] = None,
                     formats: Iterable[str] = FORMATS) -> SynthArticle:
    """The article number ``index`` of the corpus of ``seed`` (independent of every other article)."""
    kb = kb or load_knowledge()
    lex = lexicon_for(kb)
    rng = random.Random(f"chipwatch-synth/{seed}/{index}")
    lang = _weighted(rng, LANGUAGE_SHARES)
    dec = _pick_decision(rng, lang, lex)
    published = dec.date + timedelta(days=_weighted(rng, [(0, 20), (1, 55), (2, 15), (3, 10)]))
    formats = [f for f in FORMATS if f in set(formats)] or ["jsonl"]
    page_formats = [f for f in formats if f != "jsonl"]
    as_page = bool(page_formats) and ("jsonl" not in formats or rng.random() < PAGE_SHARE)
    fmt = "jsonl"
    kind = ""
    if as_page:
        txt_share = {"ko": 0.6, "en": 0.5, "zh": 0.4}[lang]
        fmt = "txt" if "txt" in page_formats and ("html" not in page_formats or rng.random() < txt_share) else "html"
        kind = {"txt": {"ko": "portal", "en": "wire", "zh": "plain"}, "html": {"ko": "newspaper", "en": "newspaper",
                                                                              "zh": "newspaper"}}[fmt][lang]
    choices = PUBLISHERS[lang]
    if kind == "wire":
        choices = [p for p in choices if p[1] in ("Reuters", "Bloomberg", "Associated Press")]
    written, canonical = rng.choice(choices)
    comp = _Composer(kb, lex, lang, rng, dec, published, canonical)
    target = int(rng.triangular(1100, 3900, 1900))
    title, paragraphs = comp.compose(target)
    url = _url(lang, published, index, title, kind)
    art = SynthArticle(id="", index=index, language=lang, format=fmt, title=title, paragraphs=paragraphs,
                       published=published.isoformat(), publisher=written, publisher_id=canonical, url=url,
                       expected=comp.expected(), page_kind=kind)
    art.extra = {"hour": rng.randint(6, 22), "minute": rng.randint(0, 59), "second": rng.randint(0, 59),
                 "reporter": rng.choice(REPORTERS[lang]), "rand": rng.randrange(16 ** 6),
                 "related": rng.sample(RELATED[lang], 2), "city": rng.choice(WIRE_CITIES)}
    if fmt == "jsonl":
        art.id = f"syn-{art.published}-{lang}-{index:07d}"
    else:
        from chipwatch.loading.assemble import article_id

        art.id = article_id(None, None if kind == "portal" else url, title, "\n\n".join(paragraphs))
        if kind == "portal":
            art.url = ""
    return art


def iter_articles(n: int, seed: int = 0, kb: Optional[KnowledgeBase] = None,
                  formats: Iterable[str] = FORMATS) -> Iterator[SynthArticle]:
    kb = kb or load_knowledge()
    formats = list(formats)
    for i in range(n):
        yield generate_article(i, seed, kb, formats)


# ============================================================== page shapes

REPORTERS = {"ko": [("홍길동", "hong"), ("김철수", "kimcs"), ("이영희", "leeyh"), ("박민준", "parkmj")],
             "en": [("Dana Whitfield", "dwhitfield"), ("Priya Raman", "praman"), ("Tom Keller", "tkeller")],
             "zh": [("王明", "wangming"), ("李华", "lihua"), ("张伟", "zhangwei")]}
RELATED = {
    "ko": ["전국 곳곳 눈…출근길 빙판길 주의", "연말 해외여행 예약 작년보다 20% 늘어", "주말 수도권 미세먼지 ‘나쁨’",
           "연말정산 미리보기 서비스 시작", "프로야구 개막전 예매 매진", "서울 아파트값 3주 연속 상승",
           "봄꽃 개화 평년보다 일주일 빨라", "새해 달라지는 제도 한눈에"],
    "en": ["Oil prices edge higher on supply worries", "Five things to watch in markets this week",
           "Airlines add routes as travel demand recovers", "How to read a bond yield curve",
           "Retail sales beat forecasts in holiday season", "Weekend weather: storms move east"],
    "zh": ["多地迎来降温天气", "春运火车票开售首日情况平稳", "新能源汽车销量持续增长", "今年夏粮收购进度过半",
           "电影市场暑期档票房创新高", "多地推出消费券提振内需"],
}
WIRE_CITIES = ["WASHINGTON", "BEIJING", "SAN FRANCISCO", "SEOUL", "HONG KONG", "SINGAPORE", "TAIPEI", "SHANGHAI"]
EN_MONTHS_SHORT = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _pub_datetime(art: SynthArticle) -> str:
    e = art.extra
    return f"{art.published}T{e['hour']:02d}:{e['minute']:02d}:00"


def render_page(art: SynthArticle) -> str:
    """The text of a raw page for a page article."""
    return {"portal": _portal_txt, "wire": _wire_txt, "plain": _plain_txt}.get(art.page_kind, _newspaper_html)(art)


def _portal_txt(art: SynthArticle) -> str:
    """Korean portal scrape: headline + 작성일 MM-DD HH 목록, the article fragment on one line, then chrome."""
    e = art.extra
    d = date.fromisoformat(art.published)
    stamp = f"{d:%Y%m%d}{e['hour']:02d}{e['minute']:02d}{e['second']:02d}{e['rand'] % 1000:03d}"
    img = f"https://t1.example-cdn.net/news/{d:%Y%m}/{d:%d}/synth/{stamp}abcd.jpg"
    sid = hashlib.sha1(art.url.encode() + art.title.encode()).hexdigest()
    caption = "반도체 웨이퍼./게티이미지뱅크"
    parts = [f"{art.title} 작성일 {d:%m-%d} {e['hour']:02d} 목록",
             '<div id="layerTranslateNotice" style="display:none;"></div>',
             '<div class="article_view" data-translation-body="true" data-tiara-layer="article_body">',
             f'<section dmcf-sid="{sid[:10]}">',
             f'<figure class="figure_frm origin_fig" dmcf-pid="{sid[10:20]}" dmcf-ptype="figure">'
             f'<p class="link_figure"><img alt="{_attr(caption)}" class="thumb_g_article" data-org-src="{img}" '
             f'data-org-width="640" height="auto" src="https://img1.example-cdn.net/thumb/R658x0.q70/?fname={img}" '
             f'width="658"></p> <figcaption class="txt_caption default_figure"> {_esc(caption)} </figcaption> '
             '</figure>']
    for i, para in enumerate(art.paragraphs):
        pid = hashlib.sha1(f"{sid}{i}".encode()).hexdigest()[:10]
        parts.append(f'<p dmcf-pid="{pid}" dmcf-ptype="general">{_esc(para)}</p>')
    parts += ["</section>", "</div>",
              f'<p class="" data-translation="true">Copyright © {_esc(art.publisher)}. 무단전재 및 재배포 금지.</p>',
              f"관련자료 이전 {e['related'][0]} {d:%m-%d} 다음 {e['related'][1]} {d:%m-%d}",
              "댓글 0 등록된 댓글이 없습니다. 로그인한 회원만 댓글 등록이 가능합니다."]
    return " ".join(parts) + "\n"


def _wire_txt(art: SynthArticle) -> str:
    """English wire text: headline, dateline without a year, paragraphs, copyright and the URL line."""
    d = date.fromisoformat(art.published)
    dateline = f"{art.extra['city']}, {EN_MONTHS_SHORT[d.month - 1]} {d.day} ({art.publisher}) - "
    paras = [dateline + art.paragraphs[0]] + art.paragraphs[1:]
    return "\n\n".join([art.title] + paras + [f"(c) {d.year} {art.publisher}. All rights reserved.", art.url]) + "\n"


def _plain_txt(art: SynthArticle) -> str:
    """Chinese plain text: headline, 发布时间/来源 line, paragraphs, the URL line."""
    e = art.extra
    head = f"发布时间：{art.published} {e['hour']:02d}:{e['minute']:02d}  来源：{art.publisher}"
    return "\n\n".join([art.title, head] + art.paragraphs + [art.url]) + "\n"


_HTML_WORDS = {
    "ko": {"section": "국제", "share": ["페이스북", "X", "카카오톡", "URL 복사"], "related": "관련 뉴스", "comments": "댓글",
           "no_comments": "첫 번째 댓글을 남겨주세요.", "nav": ["정치", "경제", "산업", "국제"], "reporter": "기자"},
    "en": {"section": "Technology", "share": ["Facebook", "X", "LinkedIn", "Copy link"], "related": "Related coverage",
           "comments": "Comments", "no_comments": "Be the first to comment.", "nav": ["World", "Business", "Markets",
                                                                                       "Technology"], "reporter": ""},
    "zh": {"section": "科技", "share": ["微信", "微博", "QQ空间"], "related": "相关新闻", "comments": "评论",
           "no_comments": "暂无评论。", "nav": ["要闻", "财经", "科技", "国际"], "reporter": "记者"},
}


def _newspaper_html(art: SynthArticle) -> str:
    """A full saved news page: meta (og:, article:), JSON-LD for English, scripts, styles, share buttons,
    related links and a comment box around the article."""
    e, lang = art.extra, art.language
    w = _HTML_WORDS[lang]
    name, mail = e["reporter"]
    domain = art.url.split("/")[2]
    published = _pub_datetime(art) + {"ko": "+09:00", "zh": "+08:00", "en": "-05:00"}[lang]
    desc = art.paragraphs[0][:80]
    head = [
        "<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(art.title)} | {_esc(art.publisher)}</title>",
        f'<meta name="description" content="{_attr(desc)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{_attr(art.publisher)}">',
        f'<meta property="og:title" content="{_attr(art.title)}">',
        f'<meta property="og:url" content="{_attr(art.url)}">',
        f'<meta property="og:image" content="https://{domain}/photo/{art.published.replace("-", "/")}/'
        f'{art.index}.jpg">',
        f'<meta property="article:published_time" content="{published}">',
        f'<meta property="article:section" content="{_attr(w["section"])}">',
        f'<link rel="canonical" href="{_attr(art.url)}">',
        "<style>\n  body { font-family: sans-serif; margin: 0; color: #222; }\n  .article-wrap { max-width: 760px; "
        "margin: 0 auto; padding: 24px; }\n  .share-btns button { border: 0; background: #f2f2f2; }\n</style>",
        "<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n"
        "  gtag('js', new Date());\n  gtag('config', 'G-EXAMPLE00');\n</script>",
    ]
    if lang == "en":
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
              "datePublished": published, "inLanguage": "en", "author": [{"@type": "Person", "name": name}],
              "publisher": {"@type": "Organization", "name": art.publisher}, "mainEntityOfPage": art.url}
        head.append('<script type="application/ld+json">' + json.dumps(ld, ensure_ascii=False) + "</script>")
    head.append("</head>")
    nav = " ".join(f'<a href="/{i}">{_esc(x)}</a>' for i, x in enumerate(w["nav"]))
    share = "\n    ".join(f'<button type="button" class="btn-share-{i}">{_esc(x)}</button>'
                          for i, x in enumerate(w["share"]))
    paras = list(art.paragraphs)
    if lang == "ko":
        city = "서울" if art.publisher_id != "Yonhap" or e["rand"] % 3 else "워싱턴"
        paras[0] = f"({city}={art.publisher}) {name} {w['reporter']} = " + paras[0]
    body_ps = "\n      ".join(f"<p>{_esc(p)}</p>" for p in paras)
    if lang == "en":
        byline = f'<p class="byline">By {_esc(name)} | {_esc(w["section"])}</p>'
    elif lang == "zh":
        byline = f'<p class="byline">{_esc(art.publisher)}{w["reporter"]} {_esc(name)}</p>'
    else:
        byline = ""
    footer_note = {"ko": f'<p class="txt-copyright adrs">{mail}@example.co.kr<br>&lt;저작권자(c) {_esc(art.publisher)}, '
                         f"무단 전재-재배포, AI 학습 및 활용 금지&gt;</p>",
                   "en": f'<p class="copyright">© {art.published[:4]} {_esc(art.publisher)}. All rights reserved.</p>',
                   "zh": f'<p class="editor">（责任编辑：{_esc(name)}）</p>'}[lang]
    related = "\n        ".join(
        f'<li><a href="https://{domain}/view/{art.index}{i}">{_esc(t)}</a>'
        f'<span class="date">{art.published}</span></li>'
        for i, t in enumerate(e["related"]))
    body = f"""<body>
<header class="gnb"><a href="https://{domain}/">{_esc(art.publisher)}</a>
  <nav>{nav}</nav>
</header>
<div class="article-wrap">
  <div class="title-article"><span class="section">{_esc(w['section'])}</span>
    <h1 class="tit">{_esc(art.title)}</h1>
    <p class="update-time">{art.published} {e['hour']:02d}:{e['minute']:02d}</p>
  </div>
  <div class="share-btns">
    {share}
  </div>
  <article class="story-news article">
      {byline}
      {body_ps}
      {footer_note}
  </article>
  <section class="related-article">
    <h2>{_esc(w['related'])}</h2>
    <ul>
        {related}
    </ul>
  </section>
  <section class="comment-box" id="comments">
    <h2>{_esc(w['comments'])}</h2>
    <form><textarea placeholder="..." disabled></textarea><button type="button" disabled>OK</button></form>
    <p class="cmt-empty">{_esc(w['no_comments'])}</p>
  </section>
</div>
<footer><p>Copyright (c) {_esc(art.publisher)}. All rights reserved.</p></footer>
<script src="https://{domain}/js/article.bundle.js" defer></script>
</body>
</html>
"""
    return "\n".join(head) + "\n" + body


# ============================================================== writing a corpus

@dataclass
class SynthSummary:
    out_dir: Path
    articles: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    by_language: Counter = field(default_factory=Counter)
    by_format: Counter = field(default_factory=Counter)
    labels: Optional[Path] = None

    def lines(self) -> list[str]:
        langs = ", ".join(f"{k} {v} ({v / max(self.articles, 1):.0%})" for k, v in sorted(self.by_language.items()))
        fmts = ", ".join(f"{k} {v}" for k, v in sorted(self.by_format.items()))
        out = [f"wrote {self.articles:,} articles in {self.files:,} files under {self.out_dir} "
               f"({self.bytes / 1e6:,.1f} MB) in {self.seconds:,.1f} s",
               f"  by language: {langs}", f"  by format: {fmts}"]
        if self.labels:
            out.append(f"  labels: {self.labels}")
        parts = [str(self.out_dir / d) for d in ("records", "pages") if (self.out_dir / d).exists()]
        if parts:
            out.append(f"  ingest with: python -m chipwatch ingest {' '.join(parts)}")
        return out


class SynthError(ValueError):
    """The corpus cannot be written (bad arguments, or the output folder holds a corpus already)."""


def write_corpus(out_dir, n: int, seed: int = 0, formats: Iterable[str] = FORMATS, labels: bool = False,
                 kb: Optional[KnowledgeBase] = None,
                 progress: Optional[Callable[[int], None]] = None) -> SynthSummary:
    """Write ``n`` articles under ``out_dir`` (records/, pages/, labels.jsonl), streaming one at a time."""
    started = time.monotonic()
    out = Path(out_dir)
    formats = [f.strip() for f in formats if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise SynthError(f"unknown format(s) {', '.join(unknown) or '(none)'}; use {', '.join(FORMATS)}")
    if n < 0:
        raise SynthError("the number of articles must be 0 or more")
    for name in ("records", "pages", LABELS_NAME):
        if (out / name).exists():
            raise SynthError(f"{out / name} exists: write the corpus to a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    kb = kb or load_knowledge()
    summary = SynthSummary(out_dir=out)
    rec_fh = None
    rec_lines = rec_files = pages = 0
    label_fh = (out / LABELS_NAME).open("w", encoding="utf-8", newline="\n") if labels else None
    if label_fh:
        summary.labels = out / LABELS_NAME
        summary.files += 1
    try:
        for art in iter_articles(n, seed, kb, formats):
            if art.format == "jsonl":
                if rec_fh is None or rec_lines >= RECORDS_PER_FILE:
                    if rec_fh:
                        rec_fh.close()
                    rec_files += 1
                    rec_lines = 0
                    (out / "records").mkdir(exist_ok=True)
                    rel = f"records/records-{rec_files:05d}.jsonl"
                    rec_fh = (out / rel).open("w", encoding="utf-8", newline="\n")
                    summary.files += 1
                line = json.dumps(art.record(), ensure_ascii=False) + "\n"
                rec_fh.write(line)
                rec_lines += 1
                summary.bytes += len(line.encode("utf-8"))
                source = f"{rel}:{rec_lines}"
            else:
                folder = out / "pages" / f"{pages // PAGES_PER_FOLDER:03d}"
                if pages % PAGES_PER_FOLDER == 0:
                    folder.mkdir(parents=True, exist_ok=True)
                name = f"{pages:07d}-{art.language}-{art.page_kind}.{art.format}"
                data = render_page(art).encode("utf-8")
                (folder / name).write_bytes(data)
                pages += 1
                summary.files += 1
                summary.bytes += len(data)
                source = f"pages/{folder.name}/{name}"
            if label_fh:
                label_fh.write(json.dumps({"id": art.id, "source": source, "language": art.language,
                                           "format": art.format, "expected": art.expected},
                                          ensure_ascii=False) + "\n")
            summary.articles += 1
            summary.by_language[art.language] += 1
            summary.by_format[art.format if art.format == "jsonl" else f"{art.format} ({art.page_kind})"] += 1
            if progress:
                progress(summary.articles)
    finally:
        if rec_fh:
            rec_fh.close()
        if label_fh:
            label_fh.close()
    if label_fh:
        summary.bytes += (out / LABELS_NAME).stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


# ============================================================== reading labels back

class _LabelIndex:
    """Article id -> its labels, read from labels.jsonl on demand (an offset per id stays in memory,
    so a 100,000-article corpus can be scored without holding every label)."""

    def __init__(self, path: Path):
        if not path.exists():
            raise FileNotFoundError(f"{path}: no labels (write the corpus with --labels)")
        self.path = path
        self.offsets: dict[str, int] = {}
        with path.open("rb") as fh:
            pos = 0
            for line in fh:
                if line.strip():
                    m = re.match(rb'\{"id": "((?:[^"\\]|\\.)*)"', line)
                    aid = json.loads(b'"' + m.group(1) + b'"') if m else json.loads(line)["id"]
                    self.offsets[aid] = pos
                pos += len(line)
        self.fh = path.open("rb")

    def get(self, aid: str) -> Optional[dict]:
        pos = self.offsets.get(aid)
        if pos is None:
            return None
        self.fh.seek(pos)
        return json.loads(self.fh.readline())

    def close(self) -> None:
        self.fh.close()


def iter_synth_gold(out_dir, missing: Optional[list] = None) -> Iterator[dict]:
    """Docs shaped like evaluate.load_gold's ({"article": ..., "expected": ...}): every article of the
    corpus as chipwatch.loading reads it from disk, with the labels the generator wrote for it.

    Articles without labels and labels without an article (should not happen) are reported in ``missing``."""
    from chipwatch.loading import iter_files, load_file
    from chipwatch.models import LoadError

    out_dir = Path(out_dir)
    labels = _LabelIndex(out_dir / LABELS_NAME)
    roots = [p for p in (out_dir / "records", out_dir / "pages") if p.exists()]
    seen = set()
    try:
        for path in iter_files(roots):
            for item in load_file(path):
                if isinstance(item, LoadError):
                    if missing is not None:
                        missing.append({"source": item.source, "error": item.error})
                    continue
                row = labels.get(item.id)
                if row is None:
                    if missing is not None:
                        missing.append({"source": item.source, "error": f"no label for id {item.id}"})
                    continue
                seen.add(item.id)
                yield {"article": {"id": item.id, "url": item.url, "title": item.title,
                                   "published": item.published, "publisher": item.publisher,
                                   "language": item.language, "body": item.body},
                       "expected": row["expected"], "source": row.get("source"), "format": row.get("format")}
        if missing is not None:
            for aid in sorted(set(labels.offsets) - seen):
                missing.append({"source": (labels.get(aid) or {}).get("source"),
                                "error": f"label {aid} has no article"})
    finally:
        labels.close()


def load_synth_gold(out_dir) -> list[dict]:
    """All docs of a synthetic corpus written with labels, shaped like evaluate.load_gold's output."""
    return list(iter_synth_gold(out_dir))


def evaluate_synth(out_dir, kb: Optional[KnowledgeBase] = None, limit: Optional[int] = None):
    """Score the extractor on a synthetic corpus against its labels (an evaluate.Scores)."""
    from chipwatch.evaluate import Scores, gold_article, score_article
    from chipwatch.extract import extract

    kb = kb or load_knowledge()
    scores = Scores()
    for i, doc in enumerate(iter_synth_gold(out_dir)):
        if limit is not None and i >= limit:
            break
        scores.articles += 1
        score_article(doc, extract(gold_article(doc), kb), scores)
    return scores
