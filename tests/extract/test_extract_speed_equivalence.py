"""The speed-ups of the extractor must not change what it finds.

- The literal gates (chipwatch.extract.prefilter) may skip a regex only when it cannot match:
  checked on real sentences and edge cases, and the case folding they rely on is checked
  against every Unicode code point for the characters the lexicons actually use.
- The alias matcher's narrowed scan gives the same candidates as trying every alias at
  every position (the original algorithm, kept here as the reference).
- The sentence splitter's scans over quote marks and terminals give the same spans as the
  original character-by-character loops (kept here as the reference).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chipwatch.extract import reldates, sentences, stance, status
from chipwatch.extract.mentions import _accept, matcher_for
from chipwatch.extract.prefilter import LiteralGate, fold, required_words
from chipwatch.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]

EDGE_TEXTS = [
    "",
    "The U.S. has not yet approved licences; Beijing DISCOURAGED purchases of the H20.",
    "THE COMMERCE DEPARTMENT LIFTED THE BAN ON H20 SALES TO CHINA.",
    "The ſame requirement covers the \u212aey chips; PROHİBİTED exports; lıcence applications.",
    "미국 정부는 H20의 대중국 수출을 허용했다. 중국 당국은 구매 자제를 권고했다.",
    "美国商务部批准英伟达向中国出售H20芯片，中方表示不予置评。",
    "“We will not allow it,” he said. 'They’re rejecting our chips,' she added!",
    "He said: \"No.\"\n\nShe said nothing...\nand then left. Mr. Smith arrived at 5 p.m. No. 2 was next.",
    "「中国は」『許可』《人民日报》报道称，“不会放行”。他说。",
    "막았다.이에 정부는 \u201c허용하지 않겠다\u201d고 밝혔다?! 12월 8일(현지시간) 이날 지난 13일.",
    "Ascend910C, Ascend 910C and ASCEND-910C; H20s, H200 and the H20X; NVIDIA nvidia Nvidia's.",
]


def _corpus_texts() -> list[str]:
    texts = list(EDGE_TEXTS)
    for folder in ("tests/gold", "tests/gold_heldout"):
        for path in sorted((ROOT / folder).glob("*.json")):
            article = json.loads(path.read_text(encoding="utf-8"))["article"]
            texts += [article.get("title", ""), article["body"]]
    return texts


def _sentences(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        out += [text[a:b] for a, b in sentences.split_sentences(text)]
        out.append(text.swapcase())  # case must not matter to the gates of IGNORECASE lexicons
    return out


TEXTS = _corpus_texts()
SENTENCES = _sentences(TEXTS)

GATED_LEXICONS = (
    [(f"status:{lang}", status._GATES[lang], [row[0] for row in status._LEX[lang]] + status._CONDITIONS[lang])
     for lang in status._LEX]
    + [(f"stance:{lang}", stance.LEXICON_GATES[lang], [row[0] for row in stance.LEXICONS[lang]])
       for lang in stance.LEXICONS]
    + [(f"dates:{lang}", reldates._RULE_GATES[lang], [regex for regex, _ in reldates._RULES[lang]])
       for lang in reldates._RULES]
)


# ------------------------------------------------------------------ gates
@pytest.mark.parametrize("name,gate,regexes", GATED_LEXICONS, ids=[g[0] for g in GATED_LEXICONS])
def test_a_gate_never_skips_a_regex_that_matches(name, gate, regexes):
    assert gate.size == len(regexes)
    for text in SENTENCES + TEXTS:
        selected = set(gate.select(text))
        for i, regex in enumerate(regexes):
            if i not in selected:
                assert regex.search(text) is None, (name, i, regex.pattern[:60], text)


def test_required_words_examples():
    assert required_words(r"\bban(?:s|ned)?\b", re.I) == {"ban"}
    # Every match holds "ban" and one of "lift"/"ease": the longer words are the better filter.
    assert required_words(r"\b(?:lift|ease)\w*\s+(?:the\s+)?ban") == {"lift", "ease"}
    assert required_words(r"허용|승인") == {"허용", "승인"}
    assert required_words(r"\w+|ban") is None  # one alternative needs no literal
    assert required_words(r"(?:ban)?s?") is None  # nothing is required
    assert required_words(r"BAN", 0) == {"ban"}  # words are folded


def test_gate_finds_overlapping_words():
    gate = LiteralGate([re.compile("ab"), re.compile("abcd"), re.compile("bc"), re.compile("x")])
    assert gate.select("zabcdz") == (0, 1, 2)
    assert gate.select("abc") == (0, 2)
    assert gate.select("nothing") == ()


def _gate_words() -> set[str]:
    words = set()
    for _, gate, _ in GATED_LEXICONS:
        words |= set(gate._word_rows)
    return words


def test_folding_matches_what_ignorecase_regexes_match():
    """For every character of every gate word: each code point an IGNORECASE regex matches
    to it folds to it (so a match always leaves its word in the folded text), and folding
    keeps one character for one character."""
    everything = "".join(map(chr, range(0x110000)))
    assert len(fold(everything)) == len(everything)
    chars = {c for w in _gate_words() for c in w}
    assert all(c == fold(c) for c in chars)
    cased = {c for c in chars if c.lower() != c.upper()}
    assert all(c.isascii() for c in cased)  # only ASCII letters carry case in gate words
    caseless = chars - cased
    klass = "[" + "".join(re.escape(c) for c in sorted(caseless)) + "]"
    assert set(re.findall(f"(?i:{klass})", everything)) == caseless  # no other character matches them
    for x in re.findall("(?i:[a-z])", everything):
        assert {t for t in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(f"(?i:{t})", x)} == {fold(x)}


# ------------------------------------------------------------------ alias matcher
def _reference_candidates(matcher, text: str, longest_only: bool = True):
    """The matcher's original loop: every position whose character starts some alias, every
    alias of its buckets (longest first), no combined regex."""
    firsts = set(matcher.by_first)
    for key, ci in matcher.by_two:
        firsts.update({key[0], key[0].upper(), key[0].lower()} if ci else {key[0]})
    starts = re.compile("[" + "".join(re.escape(c) for c in sorted(firsts)) + "]")
    out = []
    for start in starts.finditer(text):
        i = start.start()
        pair = text[i:i + 2]
        buckets = [b for b in (matcher.by_two.get((pair, False)), matcher.by_two.get((pair.casefold(), True)),
                               matcher.by_first.get(text[i])) if b]
        if not buckets:
            continue
        entries = buckets[0] if len(buckets) == 1 else sorted(
            (e for b in buckets for e in b), key=lambda e: -len(e.alias.alias))
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


@pytest.mark.parametrize("kb_name", ["mini", "full"])
def test_alias_candidates_are_those_of_the_plain_loop(kb_name, kb_mini):
    kb = kb_mini if kb_name == "mini" else load_knowledge()
    matcher = matcher_for(kb)
    for text in TEXTS + [t.swapcase() for t in TEXTS]:
        for longest_only in (True, False):
            assert matcher.candidates(text, longest_only) == _reference_candidates(matcher, text, longest_only)


# ------------------------------------------------------------------ sentences
def _reference_pair_in(text, lo, hi, spans):
    straight_open = single_open = None
    i = lo
    while i < hi:
        ch = text[i]
        if ch == "'":
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if single_open is None:
                if (prev.isspace() or prev in "([{“\"…·,") and not nxt.isspace():
                    single_open = i
            elif not prev.isspace() and not (prev.isalpha() and nxt.isascii() and nxt.isalpha()):
                spans.append((single_open, i))
                single_open = None
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open, i))
                straight_open = None
        elif ch in sentences.PAIRS:
            close = sentences._find_closer(text, i, hi, ch, sentences.PAIRS[ch])
            if close is not None:
                spans.append((i, close))
                i = close
        i += 1


def _reference_break_points(text, quotes):
    S = sentences
    points, n, i = [], len(text), 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            if not S._inside(i, quotes) or S._PARAGRAPH.match(text, i):
                if not S._soft_wrap(text, i):
                    points.append(i)
        elif ch in S.CJK_TERMINALS or ch in S.LATIN_TERMINALS:
            j = i + 1
            while j < n and text[j] in S.LATIN_TERMINALS + S.CJK_TERMINALS:
                j += 1
            while j < n and text[j] in S.CLOSERS:
                j += 1
            q = S._container(i, quotes)
            if q and j <= q[1]:
                i = j
                continue
            if j > i + 1 and text[j - 1] in S.CLOSERS and (ch in "?!" + S.CJK_TERMINALS or S._LOWER_NEXT.match(text, j)) \
                    and S._ATTRIBUTION.match(text, j):
                i = j
                continue
            if ch in S.CJK_TERMINALS:
                points.append(j)
            elif ch == "." and j == i + 1 and i > 0 and text[i - 1] == "다" and j < n and "가" <= text[j] <= "힣":
                points.append(j)
            elif j >= n or text[j].isspace():
                if not (ch == "." and S._is_abbreviation(text, i)):
                    points.append(j)
            i = j
            continue
        i += 1
    return points


def test_sentence_scans_match_the_character_loops():
    for text in TEXTS:
        expected: list = []
        start = 0
        for para_end in [m.start() for m in sentences._PARAGRAPH.finditer(text)] + [len(text)]:
            _reference_pair_in(text, start, para_end, expected)
            start = para_end
        expected.sort()
        assert sentences.quoted_spans(text) == expected
        assert sentences._break_points(text, expected) == _reference_break_points(text, expected)
