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


def detect_language(text: str) -> str:
    """'ko' | 'en' | 'zh' | 'ja' | 'other'."""
    hangul = kana = han = latin = latin_ascii = 0
    for ch in text:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            hangul += 1
        elif 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
            kana += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF:
            han += 1
        elif ch.isalpha() and (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
            latin += 1
            latin_ascii += o < 0x80
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
