"""Which language an article is in, from the scripts its letters are written in.

Script shares are enough for the languages Chipwatch reads: Hangul only occurs
in Korean, kana only in Japanese, and Han characters without either are
Chinese. Korean and Japanese text also contain Han characters (中, 美, 日本),
and all of them contain Latin chip names (H20, Nvidia), so the decision is made
on the CJK letters first and falls back to Latin only when there are few.
"""
from __future__ import annotations

import re

LANGUAGES = ("ko", "en", "zh", "ja", "other")

# Frequent English function words: Latin text with a fair share of these is English
# rather than German, Malay or a list of product names.
_EN_WORDS = frozenset(
    "the of and to in a is that for on with as was said by it at from be has have are "
    "will its an this which would not but or were had they he she their been also who "
    "after over more than us chips chip about new could i you we our his her them there what when "
    "where how all any some no one two first second last into up out under between against during "
    "without within year years says say told".split()
)
_WORD = re.compile(r"\b[A-Za-z]+\b")  # whole words: not the "A" of "B30A"


def _class(ranges, keep=lambda ch: True) -> re.Pattern:
    """A regex matching one character of the ranges that keep() accepts (an exact character class)."""
    chars = [chr(o) for lo, hi in ranges for o in range(lo, hi + 1) if keep(chr(o))]
    runs, start = [], None
    for i, ch in enumerate(chars):  # consecutive code points as a-b runs
        if start is None:
            start = ch
        if i + 1 == len(chars) or ord(chars[i + 1]) != ord(ch) + 1:
            runs.append(re.escape(start) + ("-" + re.escape(ch) if ch != start else ""))
            start = None
    return re.compile("[" + "".join(runs) + "]")


# Counting a script's letters with one regex per script runs in C: the per-character Python
# loop this replaces was 60% of loading a JSONL record.
_HANGUL = _class([(0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F)])
_KANA = _class([(0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D)])
_HAN = _class([(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF)])
_LATIN = _class([(0, 0x24F), (0x1E00, 0x1EFF)], str.isalpha)  # letters of the Latin blocks
_LATIN_ASCII = re.compile("[A-Za-z]")


def detect_language(text: str) -> str:
    """'ko' | 'en' | 'zh' | 'ja' | 'other'."""
    hangul = len(_HANGUL.findall(text))
    kana = len(_KANA.findall(text))
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    latin_ascii = len(_LATIN_ASCII.findall(text)) if latin else 0
    cjk = hangul + kana + han
    # CJK characters carry a word each, Latin letters a fifth of one: weigh accordingly.
    if cjk and cjk * 5 >= latin * 0.5:
        if hangul >= 0.3 * cjk and hangul >= kana:
            return "ko"
        if kana >= 0.05 * cjk:
            return "ja"
        if han >= 0.7 * cjk:
            return "zh"
        return "other"
    if latin and latin_ascii >= 0.97 * latin:
        words = [w.lower() for w in _WORD.findall(text)]
        if words and sum(w in _EN_WORDS for w in words) >= 0.15 * len(words):
            return "en"
    return "other"
