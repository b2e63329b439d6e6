"""Stance on the hand-written development cases in tests/fixtures/stance/cases.jsonl.

Each case is one quote (`text`, an exact substring of `context`) by `speaker`; the stance module
runs on it as the pipeline would (mentions from the real knowledge base, the context as body) and
the label for (expected_holder, expected_reported_by) is compared with expected_stance, aggregated
like chipwatch.evaluate (majority, 'unclear' only when nothing else was said).

Run `python tests/extract/test_stance_cases.py [-v]` for per-language tables and the misses.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chipwatch.extract.mentions import find_mentions  # noqa: E402
from chipwatch.extract.sentences import split_sentences  # noqa: E402
from chipwatch.extract.stance import find_stances  # noqa: E402
from chipwatch.models import STANCES, Article, Quote  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "stance" / "cases.jsonl"
OPEN_MARKS = "\"“'‘「『"


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(case: dict, kb) -> tuple[str, list]:
    """(label for the expected key or 'missing', all stances) for one case."""
    body = case.get("context") or case["text"]
    start = body.find(case["text"])
    assert start >= 0, case["id"]
    end = start + len(case["text"])
    kind = "direct" if start > 0 and body[start - 1] in OPEN_MARKS else "indirect"
    art = Article(id=case["id"], source="case", title="", body=body, language=case["lang"])
    sents = split_sentences(body, case["lang"])
    mentions = find_mentions(body, kb, "body", sents)
    q = Quote(speaker=case["speaker"], speaker_text=case.get("speaker_text") or case["speaker"], kind=kind,
              text=case["text"], cue="", start=start, end=end)
    stances = find_stances(art, [q], mentions, sents, kb)
    votes = Counter(s.stance for s in stances
                    if s.holder == case["expected_holder"] and s.reported_by == case.get("expected_reported_by"))
    if not votes:
        return "missing", stances
    informative = Counter({k: v for k, v in votes.items() if k != "unclear"})
    return (informative or votes).most_common(1)[0][0], stances


def score(results: list[tuple[dict, str]]) -> dict:
    """Accuracy, per-class recall/precision/F1 and macro-F1 over the classes present in gold."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for case, pred in results:
        gold = case["expected_stance"]
        if pred == gold:
            tp[gold] += 1
        else:
            fn[gold] += 1
            if pred in STANCES:
                fp[pred] += 1
    per = {}
    for label in STANCES:
        if tp[label] + fn[label] == 0:
            continue
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label])
        per[label] = {"n": tp[label] + fn[label], "recall": r, "precision": p,
                      "f1": 2 * p * r / (p + r) if p + r else 0.0}
    n = len(results)
    return {"n": n, "accuracy": sum(tp.values()) / n if n else 1.0, "per_class": per,
            "macro_f1": sum(v["f1"] for v in per.values()) / len(per) if per else 1.0}


def run(kb) -> tuple[list[tuple[dict, str]], dict[str, dict]]:
    results = [(c, predict(c, kb)[0]) for c in load_cases()]
    by_lang: dict[str, list] = defaultdict(list)
    for case, pred in results:
        by_lang[case["lang"]].append((case, pred))
    tables = {lang: score(rs) for lang, rs in sorted(by_lang.items())}
    tables["all"] = score(results)
    return results, tables


def format_tables(tables: dict[str, dict]) -> str:
    lines = [f"{'lang':<5}{'n':>4}{'acc':>7}{'macroF1':>9}  " + "  ".join(f"{s:>16}" for s in STANCES),
             f"{'':<25}  " + "  ".join(f"{'n  rec  prec':>16}" for _ in STANCES)]
    for lang, t in tables.items():
        cells = []
        for s in STANCES:
            c = t["per_class"].get(s)
            cells.append(f"{c['n']:>4} {c['recall']:.2f} {c['precision']:.2f}" if c else f"{'-':>16}")
        lines.append(f"{lang:<5}{t['n']:>4}{t['accuracy']:>7.3f}{t['macro_f1']:>9.3f}  "
                     + "  ".join(f"{x:>16}" for x in cells))
    return "\n".join(lines)


def test_stance_cases(kb):
    results, tables = run(kb)
    print()
    print(format_tables(tables))
    misses = [(c["id"], c["expected_holder"], c["expected_stance"], p) for c, p in results if p != c["expected_stance"]]
    print("misses:", misses)
    assert tables["all"]["accuracy"] >= 0.8


def test_cases_file_is_well_formed():
    cases = load_cases()
    assert len(cases) >= 120
    langs = Counter(c["lang"] for c in cases)
    assert langs["en"] >= 50 and langs["ko"] >= 50 and langs["zh"] >= 20
    for c in cases:
        assert c["expected_stance"] in STANCES, c["id"]
        assert c["text"] in (c.get("context") or c["text"]), c["id"]
        assert {"lang", "speaker", "text", "expected_holder", "expected_stance", "expected_reported_by"} <= c.keys()
    assert len({c["id"] for c in cases}) == len(cases)


if __name__ == "__main__":
    from chipwatch.knowledge import load_knowledge

    kb = load_knowledge()
    results, tables = run(kb)
    print(format_tables(tables))
    if "-v" in sys.argv:
        for case, pred in results:
            if pred != case["expected_stance"]:
                _, sts = predict(case, kb)
                print(f"\n{case['id']} gold={case['expected_stance']} pred={pred} holder={case['expected_holder']} "
                      f"rb={case.get('expected_reported_by')}\n  {case['text']}")
                for s in sts:
                    print(f"    -> {s.holder} {s.stance} rb={s.reported_by} conf={s.confidence} rule={s.rule}")
