"""Sentence spans for Korean, English and Chinese news text.

Rule-based on purpose: news prose is regular, the rules are explainable, and a
model-based splitter (kiwipiepy) was measured and did not clearly win (see the
extractor report). Spans are (start, end) offsets into the original text, with
surrounding whitespace trimmed, so later stages can slice the text directly.
"""
from __future__ import annotations

import re

# Opening mark -> closing mark for quotations that must not be split inside.
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》"}
# Quotes longer than this are treated as unbalanced noise, not a protected span.
MAX_QUOTE = 1200

# Abbreviations whose final period does not end a sentence (compared casefolded,
# without the final period). "U.S." and "U.K." are handled by the dotted-initials rule.
# Titles always precede a name, so their period never ends a sentence.
TITLES = {"dr", "mr", "mrs", "ms", "prof", "sen", "rep", "gov", "gen", "lt", "col", "st", "pres", "adm", "vs"}
# These can end a sentence ("... Nvidia Inc. The company"): only a capitalised next word splits.
ABBREVIATIONS = {
    "jr", "sr", "inc", "corp", "co", "ltd", "etc", "approx", "dept", "est", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
}
_DOTTED_INITIALS = re.compile(r"(?:\b[A-Za-z]\.){2,}$")  # U.S. / U.K. / e.g.
_WORD_BEFORE = re.compile(r"([A-Za-z]+)$")
_PARAGRAPH = re.compile(r"\n[ \t\u3000]*\n")
CJK_TERMINALS = "。！？"
LATIN_TERMINALS = ".!?"
CLOSERS = "”’」』》\"')）"
# A short speech attribution right after a closing quote continues the sentence.
_ATTRIBUTION = re.compile(
    r"\s*(?:[a-z]|(?:[A-Z][\w.'’\-]*\s+){1,4}(?:said|says|added|asked|told|wrote|replied|noted|insisted)\b)"
    r"|[^。！？“”「」\s没不未]{1,8}(?:说|表示|称|指出|强调|写道|补充道|补充说)。")
_LOWER_NEXT = re.compile(r"\s*[a-z]")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of balanced quotation marks, close = index of the closing mark.

    Straight double quotes are paired left to right within a paragraph; a typographic
    opener must find its closer before the paragraph ends, else it is ignored (a stray
    mark must not swallow the rest of an article).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for para_end in [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]:
        _pair_in(text, start, para_end, spans)
        start = para_end
    spans.sort()
    return spans


# The only characters _pair_in acts on; everything between them is skipped in C.
_QUOTE_MARKS = re.compile("['\"" + "".join(PAIRS) + "]")


def _pair_in(text: str, lo: int, hi: int, spans: list[tuple[int, int]]) -> None:
    straight_open = None
    single_open = None
    i = lo  # the next position still to read (a paired typographic quote is skipped whole)
    for mark in _QUOTE_MARKS.finditer(text, lo, hi):
        pos = mark.start()
        if pos < i:
            continue
        ch = text[pos]
        if ch == "'":
            # Straight single quotes double as apostrophes (Nvidia's): an opener must follow
            # a space/bracket and precede a non-space; a closer must not sit inside a word.
            prev = text[pos - 1] if pos else " "
            nxt = text[pos + 1] if pos + 1 < len(text) else " "
            if single_open is None:
                if (prev.isspace() or prev in "([{“\"…·,") and not nxt.isspace():
                    single_open = pos
            elif not prev.isspace() and not (prev.isalpha() and nxt.isascii() and nxt.isalpha()):
                spans.append((single_open, pos))
                single_open = None
        elif ch == '"':
            if straight_open is None:
                straight_open = pos
            else:
                spans.append((straight_open, pos))
                straight_open = None
        else:  # an opening mark of PAIRS
            close = _find_closer(text, pos, hi, ch, PAIRS[ch])
            if close is not None:
                spans.append((pos, close))
                i = close + 1  # nested marks inside are part of this quote


def _find_closer(text: str, i: int, hi: int, opener: str, closer: str):
    depth = 0
    for j in range(i + 1, min(hi, i + MAX_QUOTE)):
        c = text[j]
        if c == opener:
            depth += 1
        elif c == closer:
            if closer == "’" and j + 1 < len(text) and text[j + 1].isalpha() and text[j - 1].isalpha():
                continue  # apostrophe inside a word (Nvidia’s), not a closing mark
            if depth == 0:
                return j
            depth -= 1
    return None


def _container(pos: int, spans: list[tuple[int, int]]):
    for a, b in spans:
        if a < pos < b:
            return a, b
    return None


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return _container(pos, spans) is not None


def _is_abbreviation(text: str, dot: int) -> bool:
    before = text[max(0, dot - 12): dot + 1]
    if _DOTTED_INITIALS.search(before):
        return True
    m = _WORD_BEFORE.search(text[max(0, dot - 12): dot])
    if not m:
        return False
    word = m.group(1)
    if word.casefold() in ("no", "nos"):
        # "No. 2" is a number sign; "said no." ends a sentence.
        return bool(re.match(r"\s*\d", text[dot + 1: dot + 4]))
    if word.casefold() in TITLES:
        return True
    if word.casefold() in ABBREVIATIONS:
        return not re.match(r"\s+[A-Z]", text[dot + 1: dot + 3])
    # A single capital initial ("John F. Kennedy") is not a sentence end.
    return len(word) == 1 and word.isupper()


# The only characters _break_points acts on: line breaks and sentence terminals.
_BREAK_CANDIDATES = re.compile("[\n" + re.escape(CJK_TERMINALS + LATIN_TERMINALS) + "]")


def _break_points(text: str, quotes: list[tuple[int, int]]) -> list[int]:
    """Offsets just after each sentence end."""
    points = []
    n = len(text)
    i = 0  # the next position still to read (a run of terminals and closers is read whole)
    for cand in _BREAK_CANDIDATES.finditer(text):
        if cand.start() < i:
            continue
        i = cand.start()
        ch = text[i]
        if ch == "\n":
            if not _inside(i, quotes) or _PARAGRAPH.match(text, i):
                if not _soft_wrap(text, i):
                    points.append(i)
            i += 1
            continue
        j = i + 1
        while j < n and text[j] in LATIN_TERMINALS + CJK_TERMINALS:
            j += 1  # "?!" or "..." stay together
        while j < n and text[j] in CLOSERS:
            j += 1  # closing marks belong to the sentence they end
        q = _container(i, quotes)
        if q and j <= q[1]:
            i = j  # inside a quotation that goes on: not a sentence end
            continue
        if j > i + 1 and text[j - 1] in CLOSERS and (ch in "?!" + CJK_TERMINALS or _LOWER_NEXT.match(text, j)) \
                and _ATTRIBUTION.match(text, j):
            i = j  # “…!” he said. / “…。”他说。: the attribution belongs to the quote
            continue
        if ch in CJK_TERMINALS:
            points.append(j)
        elif ch == "." and j == i + 1 and i > 0 and text[i - 1] == "다" and j < n and "가" <= text[j] <= "힣":
            points.append(j)  # "막았다.이에": a Korean sentence end with the space lost in scraping
        elif j >= n or text[j].isspace():
            if not (ch == "." and _is_abbreviation(text, i)):
                points.append(j)
        i = j
    return points


def _soft_wrap(text: str, i: int) -> bool:
    """A single newline between two lowercase words is a hard wrap, not a break."""
    if _PARAGRAPH.match(text, i):
        return False
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return (prev.isalpha() and prev.islower() or prev == ",") and nxt.isalpha() and nxt.islower()


def split_sentences(text: str, language: str = "en") -> list[tuple[int, int]]:
    """Sentence spans (start, end) over `text`, trimmed of surrounding whitespace.

    `language` is accepted for the contract; the same rules serve ko/en/zh because each
    rule keys on the characters themselves (。 only occurs in CJK text, "다." only in Korean).
    """
    if not text:
        return []
    quotes = quoted_spans(text)
    spans = []
    start = 0
    for end in _break_points(text, quotes) + [len(text)]:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        start = end
    return spans
