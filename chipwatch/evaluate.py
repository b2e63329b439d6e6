"""Score the extractor against the hand-labelled gold set in tests/gold/.

Matching rules (docs/architecture.md, "Gold set"):
- entities: distinct (type, id) per article, micro precision/recall/F1;
- quotes: a prediction matches a gold quote when their body spans overlap by at
  least half of the shorter one (one-to-one, greedy by overlap);
- speaker: accuracy of the speaker id over matched quotes;
- stance: one label per (holder, reported_by) per article; predictions are
  aggregated to the label most often given (ignoring 'unclear' when another
  label exists); macro-F1 over the stance classes present in gold;
- status claims: (chip, side, actor, destination, status) tuples, micro P/R/F1;
  date accuracy over matched claims.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from chipwatch.extract import extract
from chipwatch.knowledge import KnowledgeBase, load_knowledge
from chipwatch.models import STANCES, Article, Extraction


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Scores:
    entities: PRF = field(default_factory=PRF)
    quotes: PRF = field(default_factory=PRF)
    speaker_correct: int = 0
    speaker_total: int = 0
    stance: dict[str, PRF] = field(default_factory=lambda: {s: PRF() for s in STANCES})
    claims: PRF = field(default_factory=PRF)
    date_correct: int = 0
    date_total: int = 0
    articles: int = 0
    errors: list[dict] = field(default_factory=list)  # per-article misses, for debugging

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_correct / self.speaker_total if self.speaker_total else 1.0

    @property
    def stance_macro_f1(self) -> float:
        used = [prf for prf in self.stance.values() if prf.tp + prf.fn > 0]
        return sum(p.f1 for p in used) / len(used) if used else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.date_correct / self.date_total if self.date_total else 1.0

    def summary(self) -> dict:
        return {
            "articles": self.articles,
            "entities": self.entities.as_dict(),
            "quote_detection": self.quotes.as_dict(),
            "speaker_attribution": {"accuracy": round(self.speaker_accuracy, 4),
                                    "correct": self.speaker_correct, "total": self.speaker_total},
            "stance": {"macro_f1": round(self.stance_macro_f1, 4),
                       "per_class": {k: v.as_dict() for k, v in self.stance.items() if v.tp + v.fp + v.fn}},
            "status_claims": self.claims.as_dict(),
            "status_claim_dates": {"accuracy": round(self.date_accuracy, 4),
                                   "correct": self.date_correct, "total": self.date_total},
        }


def load_gold(gold_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))]


def gold_article(doc: dict) -> Article:
    a = doc["article"]
    return Article(id=a["id"], source=f"gold:{a['id']}", title=a.get("title", ""), body=a["body"], url=a.get("url"),
                   published=a.get("published"), publisher=a.get("publisher"), language=a.get("language", "other"))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _aggregate_stances(ex: Extraction) -> dict[tuple, str]:
    votes: dict[tuple, Counter] = {}
    for s in ex.stances:
        votes.setdefault((s.holder, s.reported_by), Counter())[s.stance] += 1
    out = {}
    for key, counter in votes.items():
        informative = Counter({k: v for k, v in counter.items() if k != "unclear"})
        out[key] = (informative or counter).most_common(1)[0][0]
    return out


def score_article(doc: dict, ex: Extraction, scores: Scores) -> None:
    art, exp = doc["article"], doc["expected"]
    body = art["body"]
    miss: dict = {"id": art["id"]}

    gold_ents = {(e["type"], e["id"]) for e in exp.get("entities", [])}
    pred_ents = {(m.type, m.id) for m in ex.mentions}
    scores.entities.tp += len(gold_ents & pred_ents)
    scores.entities.fp += len(pred_ents - gold_ents)
    scores.entities.fn += len(gold_ents - pred_ents)
    if gold_ents != pred_ents:
        miss["entities"] = {"missing": sorted(gold_ents - pred_ents), "extra": sorted(pred_ents - gold_ents)}

    gold_quotes = []
    for q in exp.get("quotes", []):
        start = body.find(q["text"])
        gold_quotes.append(((start, start + len(q["text"])), q))
    pairs = sorted(
        ((_overlap(g[0], (p.start, p.end)), gi, pi) for gi, g in enumerate(gold_quotes)
         for pi, p in enumerate(ex.quotes)), reverse=True)
    used_g, used_p = set(), set()
    for ov, gi, pi in pairs:
        if ov < 0.5 or gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        scores.speaker_total += 1
        if gold_quotes[gi][1]["speaker"] == ex.quotes[pi].speaker:
            scores.speaker_correct += 1
        else:
            miss.setdefault("speakers", []).append(
                {"text": gold_quotes[gi][1]["text"][:60], "gold": gold_quotes[gi][1]["speaker"],
                 "pred": ex.quotes[pi].speaker})
    scores.quotes.tp += len(used_g)
    scores.quotes.fn += len(gold_quotes) - len(used_g)
    scores.quotes.fp += len(ex.quotes) - len(used_p)
    if len(used_g) < len(gold_quotes) or len(used_p) < len(ex.quotes):
        miss["quotes"] = {"missing": [g[1]["text"][:60] for i, g in enumerate(gold_quotes) if i not in used_g],
                          "extra": [p.text[:60] for i, p in enumerate(ex.quotes) if i not in used_p]}

    gold_st = {(s["holder"], s.get("reported_by")): s["stance"] for s in exp.get("stances", [])}
    pred_st = _aggregate_stances(ex)
    for key, label in gold_st.items():
        pred = pred_st.get(key)
        if pred == label:
            scores.stance[label].tp += 1
        else:
            scores.stance[label].fn += 1
            if pred:
                scores.stance[pred].fp += 1
            miss.setdefault("stances", []).append({"key": key, "gold": label, "pred": pred})
    for key, pred in pred_st.items():
        if key not in gold_st:
            scores.stance[pred].fp += 1
            miss.setdefault("stances", []).append({"key": key, "gold": None, "pred": pred})

    def claim_key(c) -> tuple:
        return (c["chip"], c["side"], c.get("actor"), c.get("destination"), c["status"])

    gold_claims = {claim_key(c): c.get("date") for c in exp.get("status_claims", [])}
    pred_claims: dict[tuple, Optional[str]] = {}
    for c in ex.status_claims:
        pred_claims.setdefault(claim_key(c.to_dict()), c.date)
    matched = gold_claims.keys() & pred_claims.keys()
    scores.claims.tp += len(matched)
    scores.claims.fp += len(pred_claims.keys() - gold_claims.keys())
    scores.claims.fn += len(gold_claims.keys() - pred_claims.keys())
    for key in matched:
        scores.date_total += 1
        scores.date_correct += gold_claims[key] == pred_claims[key]
    if matched != gold_claims.keys() or matched != pred_claims.keys():
        miss["claims"] = {"missing": sorted(map(str, gold_claims.keys() - pred_claims.keys())),
                          "extra": sorted(map(str, pred_claims.keys() - gold_claims.keys()))}
    if len(miss) > 1:
        scores.errors.append(miss)


def evaluate(gold_dir: Path, kb: Optional[KnowledgeBase] = None) -> Scores:
    kb = kb or load_knowledge()
    scores = Scores()
    for doc in load_gold(gold_dir):
        scores.articles += 1
        score_article(doc, extract(gold_article(doc), kb), scores)
    return scores


def format_table(scores: Scores) -> str:
    s = scores
    rows = [
        ("entities", s.entities.precision, s.entities.recall, s.entities.f1),
        ("quote detection", s.quotes.precision, s.quotes.recall, s.quotes.f1),
        ("status claims", s.claims.precision, s.claims.recall, s.claims.f1),
    ]
    lines = [f"Gold set: {s.articles} articles", f"{'task':<22}{'precision':>10}{'recall':>10}{'F1':>10}"]
    lines += [f"{name:<22}{p:>10.3f}{r:>10.3f}{f:>10.3f}" for name, p, r, f in rows]
    lines.append(f"{'speaker attribution':<22}{'accuracy':>20}{s.speaker_accuracy:>10.3f}  ({s.speaker_correct}/{s.speaker_total})")
    lines.append(f"{'stance':<22}{'macro-F1':>20}{s.stance_macro_f1:>10.3f}")
    for label, prf in s.stance.items():
        if prf.tp + prf.fp + prf.fn:
            lines.append(f"{'  ' + label:<22}{prf.precision:>10.3f}{prf.recall:>10.3f}{prf.f1:>10.3f}")
    lines.append(f"{'status claim dates':<22}{'accuracy':>20}{s.date_accuracy:>10.3f}  ({s.date_correct}/{s.date_total})")
    return "\n".join(lines)
