"""Who published an article, as one canonical name per outlet.

The same outlet is written many ways (조선일보, 朝鮮日報, Chosun Ilbo, chosun.com),
and counting coverage by publisher needs one name for each, so every raw name
goes through the publisher table ``data/knowledge/publishers.csv``
(columns publisher, alias, country, source). Names not in the table pass through
trimmed: an unknown outlet is still better shown than dropped.

The table is read lazily and re-read when the file changes, and a missing table
just means no normalisation (it is curated separately from this code).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit
from typing import Optional

from chipwatch.paths import KNOWLEDGE_DIR

DEFAULT_TABLE = KNOWLEDGE_DIR / "publishers.csv"

_table_path: Path = DEFAULT_TABLE
_cache: dict[Path, tuple[Optional[float], dict[str, str]]] = {}

# "(서울=연합뉴스)", "[뉴욕=연합인포맥스]": place = outlet, at the start of Korean copy.
_KO_BYLINE = re.compile(r"[\[(]\s*[^\[\]()=\n]{1,20}=\s*([^\[\]()=\n]{2,25}?)\s*[\])]")
# "WASHINGTON, Aug 11 (Newswire) -", "SEOUL (Reuters) -": the outlet in brackets.
_WIRE = re.compile(r"(?m)^\s*[A-Z][^\n()]{0,60}?\(([^()\n]{2,40})\)\s*[-–—]+\s")
# "[OO일보]" style bracketed outlet names.
_BRACKET = re.compile(r"\[\s*([^\[\]\n]{2,20}?)\s*\]")
_MEDIA_SUFFIX = re.compile(r"(일보|신문|경제|뉴스|타임스|통신|방송|日報|新聞|日报|新闻)$")
# "Copyright © 한국경제.", "ⓒ 한국경제", "© 2025 Reuters", "저작권자 © 서울경제,".
_COPYRIGHT = re.compile(
    r"(?:Copyright\s*(?:©|ⓒ|\(c\))?|©|ⓒ|\(c\)|저작권자\s*(?:©|ⓒ|\(c\))?)\s*"
    r"(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?"
    r"([^\s\d.,<>|()©ⓒ][^\n.,<>|()©ⓒ]{1,40}?)"
    r"(?=\s*(?:[.,|<>()]|All rights|무단|版权所有|保留|$))",
    re.I | re.M,
)
# "来源：新闻通讯": the source line of Chinese news pages.
_ZH_SOURCE = re.compile(r"(?:来源|來源)\s*[：:]\s*([^\s|，,。：:]{2,30})")
_BYLINE_PART = 300  # bylines and datelines are only looked for this close to the start


def use_table(path: Optional[Path | str]) -> None:
    """Read publishers from ``path`` instead of data/knowledge (None: back to default)."""
    global _table_path
    _table_path = Path(path) if path else DEFAULT_TABLE


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split()).strip(" .·-")


def table() -> dict[str, str]:
    """Casefolded alias or name -> canonical publisher, from the current table file."""
    path = _table_path
    try:
        mtime: Optional[float] = path.stat().st_mtime
    except OSError:
        mtime = None
    cached = _cache.get(path)
    if cached and cached[0] == mtime:
        return cached[1]
    mapping: dict[str, str] = {}
    if mtime is not None:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh):
                    canonical = (row.get("publisher") or "").strip()
                    if not canonical:
                        continue
                    for raw in (canonical, row.get("alias") or ""):
                        if raw.strip():
                            mapping[_key(raw)] = canonical
                            mapping.setdefault(_key(raw).replace(" ", ""), canonical)
        except (OSError, UnicodeDecodeError, csv.Error):
            mapping = {}  # a half-written table: behave as if absent until it is fixed
    _cache[path] = (mtime, mapping)
    return mapping


def lookup(name: Optional[str]) -> Optional[str]:
    """The canonical name when ``name`` is in the table, else None."""
    if not name or not name.strip():
        return None
    t = table()
    key = _key(name)
    return t.get(key) or t.get(key.replace(" ", ""))


def normalise_publisher(name: Optional[str]) -> str:
    """Canonical publisher for a raw name; unknown names come back trimmed ('' for none)."""
    if not name:
        return ""
    return lookup(name) or " ".join(name.split())


def find_publisher(text: str) -> Optional[str]:
    """The publisher named by a byline, wire dateline or copyright line in ``text``.

    Bylines and datelines count only near the start (elsewhere they are quotes of
    other outlets); copyright lines count anywhere, and a known outlet wins over an
    unknown one (portal footers carry the portal's own copyright too).
    """
    if not text:
        return None
    head = text[:_BYLINE_PART]
    for rx in (_KO_BYLINE, _WIRE):
        m = rx.search(head)
        if m:
            return normalise_publisher(m.group(1))
    for m in _BRACKET.finditer(head):
        name = m.group(1)
        if _MEDIA_SUFFIX.search(name) or lookup(name):
            return normalise_publisher(name)
    m = _ZH_SOURCE.search(text)
    if m:
        return normalise_publisher(m.group(1))
    names = [m.group(1).strip() for m in _COPYRIGHT.finditer(text)]
    names = [n for n in names if re.search(r"\w", n)]
    for n in names:
        if lookup(n):
            return lookup(n)
    return normalise_publisher(names[0]) if names else None


def from_url(url: Optional[str]) -> Optional[str]:
    """The publisher whose web domain (an alias in the table) hosts ``url``."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return None
    if host.startswith("www."):
        host = host[4:]
    parts = host.split(".")
    for i in range(len(parts) - 1):  # news.chosun.com, then chosun.com
        found = lookup(".".join(parts[i:]))
        if found:
            return found
    return None
