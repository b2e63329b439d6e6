"""Literal prefilters for lexicons of regexes: skip the patterns that cannot match a text.

The cue lexicons (status, stance, dates) run dozens of regexes over every sentence, and
almost all of them find nothing. Most patterns cannot match without some literal text
("ban", "licen", "허가", "禁止"): those words are read off each regex's parse tree once,
and one scan of the text for all of them (a single regex over a trie of the words) tells
which patterns can match at all. Only those are run, in their original order, so the
matches are exactly those of running every pattern; the gate only saves the misses.
Gates consulted on the same sentences (status cues and date rules) share one scan.

Correctness rests on one property: whenever a pattern matches, one of its words occurs
in the (case-folded) text. Words are taken only from plain literal runs that every match
must go through (not from optional parts, classes or lookarounds), and only from
characters whose case folding is known exactly (ASCII, or characters without case such
as Hangul and Han). tests/extract/test_extract_speed_equivalence.py checks that property
against every code point for the words the lexicons actually use.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional, Sequence

try:  # Python >= 3.11
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre_c  # type: ignore
    import sre_parse as _sre_parse  # type: ignore

__all__ = ["LiteralGate", "fold", "required_words"]

# The only non-ASCII characters that an IGNORECASE regex matches to an ASCII letter
# (Python's sre: lowercase mapping plus its extra case table), and "İ", the only
# character whose str.lower() is longer than one character.
_ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLD_SPECIALS = re.compile("[\u0130\u0131\u017f\u212a]")

_REPEATS = tuple(getattr(_sre_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(_sre_c, name))
_ATOMIC = getattr(_sre_c, "ATOMIC_GROUP", None)


def fold(text: str) -> str:
    """Lowercase `text` one character for one character, so that a character an
    IGNORECASE regex matches to an ASCII letter becomes that letter."""
    if text.isascii():
        return text.lower()
    if _FOLD_SPECIALS.search(text):
        text = text.translate(_ASCII_FOLDS)
    return text.lower()


def _cased(word: str) -> bool:
    return any(ch.lower() != ch.upper() for ch in word)


def _usable(ch: str) -> bool:
    """A literal character whose folded form is certain: ASCII, or a character without case."""
    return ch.isascii() or (ch.lower() == ch and ch.upper() == ch and ch.casefold() == ch)


def _better(a: Optional[frozenset], b: Optional[frozenset]) -> Optional[frozenset]:
    """The more selective of two word sets that are both required (longest shortest word,
    then fewest words)."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _required(items) -> Optional[frozenset]:
    """Words one of which every match of the parsed sequence `items` contains, or None."""
    best: Optional[frozenset] = None
    run: list[str] = []
    for op, av in items:
        if op is _sre_c.LITERAL and _usable(chr(av)):
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        if op is _sre_c.SUBPATTERN:
            best = _better(best, _required(av[-1]))
        elif op is _sre_c.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alt is not None for alt in alternatives):
                best = _better(best, frozenset().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _required(av[2]))
        elif _ATOMIC is not None and op is _ATOMIC:
            best = _better(best, _required(av))
        # Anything else (classes, lookarounds, anchors, optional parts) requires no literal.
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


def required_words(pattern: str, flags: int = 0) -> Optional[frozenset]:
    """Folded words one of which occurs in fold(text) whenever `pattern` matches in text;
    None when no such words can be read off the pattern."""
    try:
        words = _required(_sre_parse.parse(pattern, flags))
    except Exception:  # an unexpected parse tree: no prefilter, the regex always runs
        return None
    if not words or any(not w for w in words):
        return None
    return frozenset(fold(w) for w in words)


def _trie_regex(words: Iterable[str]) -> str:
    """An alternation of the words factored as a trie, so each text position tries a few
    first characters instead of every word. At each position it matches the longest word
    found there; the shorter words that are its prefixes are found with it (see _prefixes)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        # Where a word ends, going on is optional (greedy: the longest word wins).
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _scanner(words: Sequence[str]):
    """A function text -> frozenset of the longest word found at each position.

    English words start with nearly every letter, and a lookahead scan over the trie is
    fastest there. Hangul and Han words start with few of the characters a text uses: a
    regex whose alternatives each consume a first character lets re skip every other
    character in C (its first-character set), with the rest of the word in a lookahead
    (one group per first character, so the word is that character + the group)."""
    if sum(not w[0].isascii() for w in words) * 2 <= len(words):
        scan = re.compile("(?=(" + _trie_regex(words) + "))")
        return lambda text: frozenset(scan.findall(text))
    rests: dict[str, list[str]] = {}
    for w in words:
        rests.setdefault(w[0], []).append(w[1:])
    firsts = sorted(rests)
    alternatives = []
    for first in firsts:
        longer = [r for r in rests[first] if r]
        tail = _trie_regex(longer) if longer else ""
        if longer and "" in rests[first]:
            tail = f"(?:{tail})?"  # the first character is a word by itself too
        alternatives.append(f"{re.escape(first)}(?=({tail}))")
    scan = re.compile("|".join(alternatives))
    return lambda text: frozenset(firsts[m.lastindex - 1] + m.group(m.lastindex) for m in scan.finditer(text))


def _prefixes(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Each word -> the words that are prefixes of it (itself included)."""
    words = set(words)
    return {w: tuple(w[:k] for k in range(1, len(w) + 1) if w[:k] in words) for w in words}


class _WordScan:
    """The scan of a text for the words of one or more gates.

    Gates of one family (say the status cues and the date rules, both run on every body
    sentence) put their words in one trie, and the last text scanned is remembered, so the
    gates consulted in turn on the same sentence scan it once."""

    def __init__(self):
        self.words: set[str] = set()
        self._ready = None  # (scan, fold, prefixes), built on first use after words change
        self._last: tuple = (None, frozenset())

    def add(self, words: Iterable[str]) -> None:
        self.words |= set(words)
        self._ready = None
        self._last = (None, frozenset())

    def _build(self):
        words = sorted(self.words)
        scan = _scanner(words) if words else None
        # Words without cased characters (Hangul, Han, digits) are only matched by themselves,
        # even under IGNORECASE: the text is then scanned as it is, without folding.
        folder = fold if any(_cased(w) for w in words) else None
        self._ready = (scan, folder, _prefixes(words))
        return self._ready

    def found(self, text: str) -> tuple[frozenset, dict]:
        """(longest word found at each position, word -> the words that are its prefixes)."""
        scan, folder, prefixes = self._ready or self._build()
        last = self._last
        if last[0] is text:
            return last[1], prefixes
        found = frozenset() if scan is None else scan(folder(text) if folder else text)
        self._last = (text, found)  # one assignment: a consistent pair for any reader
        return found, prefixes


_FAMILIES: dict[str, _WordScan] = {}


class LiteralGate:
    """Which of a list of compiled regexes can match a text.

    gate.select(text) -> indices (ascending) of the regexes that may match; a regex not
    listed certainly does not match anywhere in the text. Gates created with the same
    `family` share one scan of the text they are consulted on in turn."""

    _CACHE_LIMIT = 4096

    def __init__(self, regexes: Sequence[re.Pattern], family: Optional[str] = None):
        self.size = len(regexes)
        always = []
        word_rows: dict[str, set[int]] = {}
        for i, regex in enumerate(regexes):
            words = required_words(regex.pattern, regex.flags)
            if words is None or any(w.isspace() for w in words):
                # Nothing required, or only a space: every text may match (and scanning for
                # spaces would cost a step per word of text).
                always.append(i)
                continue
            for w in words:
                word_rows.setdefault(w, set()).add(i)
        self._always = frozenset(always)
        self._word_rows = word_rows
        self._scan = _FAMILIES.setdefault(family, _WordScan()) if family else _WordScan()
        self._scan.add(word_rows)
        self._cache: dict[frozenset, tuple[int, ...]] = {}

    def select(self, text: str) -> tuple[int, ...]:
        found, prefixes = self._scan.found(text)
        hit = self._cache.get(found)
        if hit is None:
            rows = set(self._always)
            for longest in found:
                for w in prefixes[longest]:
                    rows |= self._word_rows.get(w, set())  # a word of another gate of the family
            hit = tuple(sorted(rows))
            if len(self._cache) < self._CACHE_LIMIT:
                self._cache[found] = hit
        return hit
