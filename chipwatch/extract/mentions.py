"""Entity mentions: every knowledge-base alias found in a text, with script-aware boundaries.

One matcher is compiled per KnowledgeBase (aliases indexed by first character) and
reused for every article. At each position the longest alias wins, and overlapping
candidates are resolved longest-first, so "H200" never yields "H20" and "중국 상무부"
yields the ministry rather than the country.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Optional

from chipwatch.extract.sentences import split_sentences
from chipwatch.models import Mention

LATIN_ALNUM = "A-Za-z0-9\u00c0-\u024f"
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# A Korean alias may follow one of these prefixes glued to it ("대중국 수출", "탈중국", "방중").
HANGUL_PREFIXES = set("대탈반친방주재")
# Hangul continuations that turn an alias into a different word (인텔리전스 is not Intel).
HANGUL_BLOCKED_CONTINUATIONS = {"인텔": ("리",), "메타": ("버스", "데이터"), "델": ("타",)}
# Particles/suffixes allowed after a one-syllable Hangul abbreviation run (미중 갈등, 한미간).
ABBREV_RUN_FOLLOWERS = set("간의은는이가과와관")


def _is_hangul(ch: str) -> bool:
    return bool(ch) and bool(_HANGUL.match(ch))


def _is_han(ch: str) -> bool:
    return bool(ch) and bool(_HAN.match(ch))


def _is_latin_alnum(ch: str) -> bool:
    return bool(ch) and bool(re.match(f"[{LATIN_ALNUM}]", ch))


@dataclass
class _Entry:
    pattern: re.Pattern
    alias: object  # knowledge.Alias
    first_upper: bool  # alias starts with a capital: the text must too (micron is not Micron)
    single_abbrev: str  # "han" / "hangul" for one-character country abbreviations, else ""


def _alias_regex(alias: str, entity_type: str) -> str:
    """Regex for one alias: flexible whitespace, apostrophes, Latin word boundaries."""
    parts = []
    for i, ch in enumerate(alias):
        if ch.isspace():
            prev, nxt = alias[i - 1], alias[i + 1] if i + 1 < len(alias) else ""
            # Korean/Chinese names are written with and without the space (젠슨 황 / 젠슨황),
            # and model numbers drift (Ascend 910C / Ascend910C).
            loose = not (prev.isalpha() and nxt.isalpha() and _is_latin_alnum(prev) and _is_latin_alnum(nxt))
            parts.append(r"\s*" if loose else r"\s+")
        elif ch in "'’":
            parts.append("['’]")
        elif ch == "-":
            parts.append(r"[-\s]?")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if entity_type == "chip" and _is_latin_alnum(alias[-1]):
        body += "s?"  # plural "H20s" is still the H20
    if _is_latin_alnum(alias[0]):
        body = f"(?<![{LATIN_ALNUM}])" + body
    if _is_latin_alnum(alias[-1]) or alias[-1] == ".":
        body += f"(?![{LATIN_ALNUM}])"
    return body


def _case_sensitive(alias: str) -> bool:
    """Short Latin aliases (US, AMD, BIS, Xi, Su, H20) must match case exactly:
    "us" the pronoun is not the USA and "su" is not Lisa Su."""
    letters = [c for c in alias if c.isalpha() and _is_latin_alnum(c)]
    return 0 < len(letters) <= 4


class Matcher:
    def __init__(self, kb):
        self.by_first: dict[str, list[_Entry]] = {}
        self.by_two: dict[tuple[str, bool], list[_Entry]] = {}
        self.alias_texts = {a.alias for a in kb.aliases}
        self.by_alias = {a.alias.casefold(): a for a in kb.aliases}
        for a in sorted(kb.aliases, key=lambda a: -len(a.alias)):
            text = a.alias.strip()
            if not text:
                continue
            flags = 0 if _case_sensitive(text) else re.IGNORECASE
            single = ""
            if len(text) == 1 and a.kind == "abbreviation":
                single = "han" if _is_han(text) else "hangul" if _is_hangul(text) else ""
            entry = _Entry(re.compile(_alias_regex(text, a.entity_type), flags), a,
                           text[0].isupper(), single)
            # Index by the first two characters when the second is literal, so each text
            # position tries a handful of aliases instead of every alias sharing its first
            # letter (the matcher was most of extraction time before this).
            second = text[1] if len(text) > 1 else ""
            if second and not second.isspace() and second not in "'’-":
                key = (text[:2].casefold() if flags else text[:2], bool(flags))
                self.by_two.setdefault(key, []).append(entry)
                continue
            keys = {text[0].casefold(), text[0].upper(), text[0].lower()} if flags else {text[0]}
            for key in keys:
                self.by_first.setdefault(key, []).append(entry)

        firsts = set(self.by_first)
        for key, ci in self.by_two:
            firsts.update({key[0], key[0].upper(), key[0].lower()} if ci else {key[0]})
        self.starts = self._start_scanner(firsts)
        # Text pair (text[i:i+2]) -> (entries in trial order, one regex telling whether any
        # of them matches at i), or None: computed once per distinct pair, not per position.
        self._buckets: dict[str, Optional[tuple[list[_Entry], re.Pattern]]] = {}
        self._any_of: dict[tuple, re.Pattern] = {}  # one compiled regex per distinct bucket
        self.nested_cache: dict[tuple[str, str], tuple] = {}  # see _nested_in

    def _start_scanner(self, firsts: set) -> re.Pattern:
        """Where an alias can start: one scan of the text in C (a character class of every
        alias's first character) instead of a Python loop over every character.

        A Latin alias only matches after a non-Latin character (its regex opens with a
        lookbehind), so for first characters that only Latin aliases can match, positions
        inside a Latin word are skipped in the scan itself. Those positions could yield no
        match, so the candidates are the same; most English text positions are such."""
        chars = {c for key in firsts for c in key}  # the characters of the original class
        entries = [e for b in (*self.by_first.values(), *self.by_two.values()) for e in b]
        others = [e for e in entries if not _is_latin_alnum(e.alias.alias.strip()[0])]
        inside_word = set()  # Latin characters a non-Latin alias may also start with
        if any(e.alias.alias.strip()[0] == "-" for e in others):
            inside_word = chars  # its regex opens with "[-\\s]?", which may match nothing
        else:
            for flags in (0, re.IGNORECASE):
                heads = {e.alias.alias.strip()[0] for e in others if e.pattern.flags & re.IGNORECASE == flags}
                if heads:
                    head = re.compile("[" + "".join(re.escape(c) for c in sorted(heads)) + "]", flags)
                    inside_word |= {c for c in chars if head.fullmatch(c)}
        latin_only = {c for c in chars if _is_latin_alnum(c) and c not in inside_word}
        anywhere = chars - latin_only

        def char_class(cs):
            return "[" + "".join(re.escape(c) for c in sorted(cs)) + "]"
        alternatives = ([f"(?<![{LATIN_ALNUM}]){char_class(latin_only)}"] if latin_only else []) \
            + ([char_class(anywhere)] if anywhere else [])
        return re.compile("|".join(alternatives) or "(?!x)x")

    def _bucket(self, pair: str):
        """The aliases to try where the text continues with `pair`, longest alias first (as
        when they were one list), and a combined regex to skip positions none of them match."""
        hit = self._buckets.get(pair, False)
        if hit is not False:
            return hit
        buckets = [b for b in (self.by_two.get((pair, False)), self.by_two.get((pair.casefold(), True)),
                               self.by_first.get(pair[0])) if b]
        if not buckets:
            hit = None
        else:
            entries = buckets[0] if len(buckets) == 1 else sorted(
                (e for b in buckets for e in b), key=lambda e: -len(e.alias.alias))
            ids = tuple(id(e) for e in entries)
            any_of = self._any_of.get(ids)
            if any_of is None:
                any_of = self._any_of[ids] = re.compile("|".join(
                    f"(?{'i' if e.pattern.flags & re.IGNORECASE else '-i'}:{e.pattern.pattern})" for e in entries))
            hit = (entries, any_of)
        if len(self._buckets) < 100_000:  # bounded: distinct pairs of CJK text are many
            self._buckets[pair] = hit
        return hit

    def candidates(self, text: str, longest_only: bool = True):
        """(start, end, entry): the longest alias match at each position (or every match)."""
        out = []
        known = self._buckets.get  # inlined: this loop runs at every possible start
        for start in self.starts.finditer(text):
            i = start.start()
            pair = text[i:i + 2]
            bucket = known(pair, False)
            if bucket is False:
                bucket = self._bucket(pair)
            if bucket is None:
                continue
            entries, any_of = bucket
            if not any_of.match(text, i):
                continue  # no alias of the bucket matches here (the common case)
            best = None
            for entry in entries:
                m = entry.pattern.match(text, i)
                if not m or (best and longest_only and m.end() - i <= best[1] - i):
                    continue
                if not _accept(text, i, m.end(), entry):
                    continue
                best = (i, m.end(), entry)
                if not longest_only:
                    out.append(best)
            if best and longest_only:
                out.append(best)
        return out


def _accept(text: str, start: int, end: int, entry: _Entry) -> bool:
    surface = text[start:end]
    if entry.first_upper and surface[0].islower():
        return False
    alias = entry.alias.alias
    if _is_hangul(alias[0]) and start > 0 and _is_hangul(text[start - 1]):
        # Inside another Korean word, unless a known prefix is glued on (대중국, 탈중국).
        if not (text[start - 1] in HANGUL_PREFIXES and (start < 2 or not _is_hangul(text[start - 2]))):
            return False
    for cont in HANGUL_BLOCKED_CONTINUATIONS.get(alias, ()):
        if text.startswith(cont, end):
            return False
    return True


_CACHE: dict[int, tuple[object, Matcher]] = {}


def matcher_for(kb) -> Matcher:
    """The compiled matcher of a KnowledgeBase (compiled once; keyed by identity)."""
    hit = _CACHE.get(id(kb))
    if hit is None or hit[0] is not kb:
        hit = (kb, Matcher(kb))
        _CACHE[id(kb)] = hit
    return hit[1]


def _select(cands):
    """Non-overlapping matches, longest first, then leftmost. Two overlapping aliases of
    the same entity ("젠슨 황" + "황 CEO") merge into one mention over their union."""
    chosen: list[list] = []
    for start, end, entry in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        clash = [c for c in chosen if start < c[1] and c[0] < end]
        if not clash:
            chosen.append([start, end, entry])
        elif len(clash) == 1 and clash[0][2].alias.entity_id == entry.alias.entity_id:
            clash[0][0], clash[0][1] = min(start, clash[0][0]), max(end, clash[0][1])
    chosen.sort(key=lambda c: c[0])
    return [tuple(c) for c in chosen]


def _filter_single_abbreviations(text: str, chosen):
    """One-character country abbreviations (中, 美, 韓 / 미, 중, 한) count only standing alone
    (Korean headlines: "엔비디아, 中 수출용") or in a run of distinct ones (中美, 미중 갈등);
    inside a longer word (集中, 中方 without alias, 미래) they are not countries."""
    keep = []
    i = 0
    while i < len(chosen):
        start, end, entry = chosen[i]
        if not entry.single_abbrev:
            keep.append(chosen[i])
            i += 1
            continue
        run = [chosen[i]]
        while (i + len(run) < len(chosen) and chosen[i + len(run)][2].single_abbrev == entry.single_abbrev
               and chosen[i + len(run)][0] == run[-1][1]):
            run.append(chosen[i + len(run)])
        i += len(run)
        before = text[run[0][0] - 1] if run[0][0] > 0 else ""
        after = text[run[-1][1]] if run[-1][1] < len(text) else ""
        ids = [r[2].alias.entity_id for r in run]
        distinct = len(set(ids)) == len(ids)
        if entry.single_abbrev == "han":
            alone = not _is_han(before) and not _is_han(after)
            # 中美关系 / 推动美中合作: the pair is a fixed compound even inside Han text.
            pair = len(run) >= 2 and distinct and {"中", "美"} <= {text[r[0]] for r in run}
            ok = (len(run) == 1 or distinct) and alone or pair
        else:
            ok = not _is_hangul(before) and (
                len(run) == 1 and not _is_hangul(after)
                or len(run) >= 2 and distinct and (not _is_hangul(after) or after in ABBREV_RUN_FOLLOWERS))
        if ok:
            keep.extend(run)
    return keep


# Family name first in these countries' romanised names (Guo Jiakun -> "Guo"; Martin Lau -> "Lau").
FAMILY_NAME_FIRST = {"CHN", "TWN", "HKG", "KOR", "MAC", "SGP", "VNM"}


def _short_names(kb, chosen, text: str) -> dict[str, tuple[str, object]]:
    """Surnames of people already named in full in this text ("Martin Lau" ... "Lau said")."""
    taken_aliases = matcher_for(kb).alias_texts
    out = {}
    for start, end, entry in chosen:
        if entry.alias.entity_type != "person" or entry.alias.kind not in ("name", "transliteration"):
            continue
        tokens = re.split(r"\s+", text[start:end].strip())
        if len(tokens) < 2:
            continue
        latin = _is_latin_alnum(tokens[0][0])
        # Romanised Chinese/Korean names put the family name first, but some people there use a
        # Western given name first (Martin Lau): both ends are kept for those countries.
        shorts = [tokens[-1]]
        if latin and kb.country_of(entry.alias.entity_id) in FAMILY_NAME_FIRST:
            shorts.append(tokens[0])
        for short in shorts:
            if len(short) < 2 or short in taken_aliases or (latin and not short[0].isupper()):
                continue
            out.setdefault(short, (entry.alias.entity_id, entry))
    return out


def _add_short_names(kb, text: str, chosen):
    names = _short_names(kb, chosen, text)
    if not names:
        return chosen
    extra = []
    for short, (_, entry) in names.items():
        for m in re.finditer(re.escape(short), text):
            a, b = m.span()
            if any(a < c[1] and c[0] < b for c in chosen):
                continue
            if _is_latin_alnum(short[0]) and (_is_latin_alnum(text[a - 1:a]) or _is_latin_alnum(text[b:b + 1])):
                continue
            if _is_hangul(short[0]) and a > 0 and _is_hangul(text[a - 1]):
                continue
            extra.append((a, b, entry))
    return sorted(chosen + extra, key=lambda c: c[0])


_ELLIPSIS = re.compile(r"\b((?:[A-Z][a-z]+,\s+)*[A-Z][a-z]+,?\s+and\s+[A-Z][a-z]+)\s+(departments|ministries)\b")


def _ellipsis(text: str, matcher: Matcher, chosen):
    """"the State, Energy and Defense departments" names three departments: each word is looked
    up as "<word> Department" among the aliases."""
    out = []
    if "departments" not in text and "ministries" not in text:
        return out  # the pattern needs one of the two words (a cheap test before the regex)
    for m in _ELLIPSIS.finditer(text):
        head = "Department" if m.group(2) == "departments" else "Ministry"
        for w in re.finditer(r"[A-Z][a-z]+", m.group(1)):
            alias = matcher.by_alias.get(f"{w.group(0)} {head}".casefold())
            a, b = m.start(1) + w.start(), m.start(1) + w.end()
            if alias and not any(a < c[1] and c[0] < b for c in chosen):
                out.append((a, b, _Entry(re.compile(re.escape(w.group(0))), alias, True, "")))
    return out


NESTED_TYPES = ("country", "organization")


def _nested(text: str, matcher: Matcher, chosen, kb):
    """Countries named inside a longer name ("미국 상무부", "China's Foreign Ministry", "中国海关"):
    the text does mention the country, so it is reported as an extra, overlapping mention.
    A nested organisation of another country is a misreading of a bare short form
    (商务部 inside 美国商务部 is not China's ministry), so it is dropped."""
    out = []
    for start, end, entry in chosen:
        if end - start < 3:
            continue
        for s, e, sub in _nested_in(text[start:end], entry.alias.entity_id, matcher, kb):
            out.append((start + s, start + e, sub))
    return out


def _nested_in(surface: str, outer_id: str, matcher: Matcher, kb) -> tuple:
    """The nested mentions of one outer mention, by offsets within its surface. They depend
    only on the surface and the outer entity, and the same names recur in every article,
    so they are computed once per (surface, entity) and kept on the matcher."""
    key = (surface, outer_id)
    hit = matcher.nested_cache.get(key)
    if hit is None:
        outer_country = kb.country_of(outer_id)
        inner = [c for c in matcher.candidates(surface, longest_only=False)
                 if c[2].alias.entity_type in NESTED_TYPES and c[2].alias.entity_id != outer_id
                 and not (c[2].alias.entity_type == "organization" and outer_country
                          and kb.country_of(c[2].alias.entity_id) not in (None, outer_country))]
        hit = tuple(_filter_single_abbreviations(surface, _select(inner)))
        if len(matcher.nested_cache) < 50_000:
            matcher.nested_cache[key] = hit
    return hit


def sentence_index(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


def find_mentions(text: str, kb, field: str = "body",
                  sentences: Optional[list[tuple[int, int]]] = None) -> list[Mention]:
    """All entity mentions in `text` (offsets within that field), in text order."""
    if not text:
        return []
    if sentences is None:
        sentences = split_sentences(text)
    starts = [s for s, _ in sentences]
    matcher = matcher_for(kb)
    chosen = _filter_single_abbreviations(text, _select(matcher.candidates(text)))
    chosen = _add_short_names(kb, text, chosen)
    chosen = sorted(chosen + _nested(text, matcher, chosen, kb) + _ellipsis(text, matcher, chosen),
                    key=lambda c: (c[0], -c[1]))
    return [
        Mention(type=e.alias.entity_type, id=e.alias.entity_id, surface=text[s:t], field=field,
                start=s, end=t, sentence=sentence_index(starts, s))
        for s, t, e in chosen
    ]
