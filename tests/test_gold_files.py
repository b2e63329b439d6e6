"""Validate the hand-labelled gold sets in tests/gold/*.json and tests/gold_heldout/*.json.

Checks the file format described in docs/architecture.md ("Gold set"), the
vocabularies of chipwatch/models.py, internal consistency of each label set,
and (once the knowledge base exists) that every id used is a known KB id.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from chipwatch.models import ANONYMOUS_PREFIX, ENTITY_TYPES, SIDES, STANCES, STATUSES

GOLD_DIR = Path(__file__).resolve().parent / "gold"
HELDOUT_DIR = Path(__file__).resolve().parent / "gold_heldout"
KB_DIR = Path(__file__).resolve().parent.parent / "data" / "knowledge"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))
# Files checked for validity: the tuning set plus the held-out set (size check below is for tests/gold only).
ALL_GOLD_FILES = GOLD_FILES + sorted(HELDOUT_DIR.glob("*.json"))


def _file_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"

ARTICLE_KEYS = {"id", "url", "title", "published", "publisher", "language", "body"}
EXPECTED_KEYS = {"entities", "quotes", "stances", "status_claims"}
LANGUAGES = {"ko", "en", "zh", "ja", "other"}
QUOTE_KINDS = {"direct", "indirect"}
ISO3 = re.compile(r"^[A-Z]{3}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MIN_FILES = 40
MIN_PER_LANGUAGE = {"ko": 15, "en": 15, "zh": 5}


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _is_date(value) -> bool:
    if not isinstance(value, str) or not DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_anonymous(speaker: str) -> bool:
    return speaker.startswith(ANONYMOUS_PREFIX) and len(speaker) > len(ANONYMOUS_PREFIX)


def test_gold_set_size_and_languages():
    assert len(GOLD_FILES) >= MIN_FILES, f"only {len(GOLD_FILES)} gold files"
    langs = Counter(_load(p)["article"]["language"] for p in GOLD_FILES)
    for lang, minimum in MIN_PER_LANGUAGE.items():
        assert langs[lang] >= minimum, f"{lang}: {langs[lang]} gold files, need {minimum}"


@pytest.mark.parametrize("path", ALL_GOLD_FILES, ids=_file_id)
def test_gold_file_format(path: Path):
    doc = _load(path)
    assert set(doc) == {"article", "expected", "notes"}
    assert isinstance(doc["notes"], str) and doc["notes"].strip()

    art = doc["article"]
    assert set(art) == ARTICLE_KEYS, f"article keys: {sorted(art)}"
    assert art["id"] == path.stem, "article.id must equal the file name"
    assert art["language"] in LANGUAGES
    assert _is_date(art["published"]), art["published"]
    for key in ("title", "body", "publisher", "url"):
        assert isinstance(art[key], str) and art[key].strip(), key

    exp = doc["expected"]
    assert set(exp) == EXPECTED_KEYS, f"expected keys: {sorted(exp)}"
    for key in EXPECTED_KEYS:
        assert isinstance(exp[key], list), key


@pytest.mark.parametrize("path", ALL_GOLD_FILES, ids=_file_id)
def test_gold_labels_are_valid(path: Path):
    doc = _load(path)
    art, exp = doc["article"], doc["expected"]
    body = art["body"]

    ents = [(e["type"], e["id"]) for e in exp["entities"]]
    assert len(ents) == len(set(ents)), "duplicate entity"
    for etype, eid in ents:
        assert etype in ENTITY_TYPES, etype
        assert isinstance(eid, str) and eid.strip()
        if etype == "country":
            assert ISO3.match(eid), f"country id {eid!r} is not ISO-3"
    entity_ids = {eid for _, eid in ents}

    speakers = set()
    for q in exp["quotes"]:
        assert set(q) == {"speaker", "kind", "text"}, q
        assert q["kind"] in QUOTE_KINDS, q["kind"]
        assert q["text"], "empty quote text"
        # The evaluator locates a gold quote with body.find(), so the text must
        # be an exact substring, and unique so that the first hit is the right one.
        count = body.count(q["text"])
        assert count == 1, f"quote text found {count} times in body: {q['text'][:60]!r}"
        speaker = q["speaker"]
        assert isinstance(speaker, str) and speaker
        if speaker.startswith(ANONYMOUS_PREFIX):
            assert _is_anonymous(speaker), speaker
        else:
            assert speaker in entity_ids, f"named speaker {speaker!r} is not among the entities"
        speakers.add(speaker)

    keys = [(s["holder"], s["reported_by"]) for s in exp["stances"]]
    assert len(keys) == len(set(keys)), "more than one stance per (holder, reported_by)"
    for s in exp["stances"]:
        assert set(s) == {"holder", "stance", "reported_by"}, s
        assert s["stance"] in STANCES, s["stance"]
        holder = s["holder"]
        assert _is_anonymous(holder) or holder in entity_ids, f"holder {holder!r} is not among the entities"
        if s["reported_by"] is not None:
            assert s["reported_by"] in speakers, f"reported_by {s['reported_by']!r} is not a quoted speaker"

    claim_keys = []
    for c in exp["status_claims"]:
        assert set(c) == {"chip", "side", "actor", "destination", "status", "date"}, c
        assert c["side"] in SIDES, c["side"]
        assert c["status"] in STATUSES, c["status"]
        for key in ("actor", "destination"):
            assert c[key] is None or ISO3.match(c[key]), f"{key} {c[key]!r} is not ISO-3"
        if c["side"] == "import":
            assert c["actor"] == c["destination"], "an import decision is taken by the destination"
        assert c["date"] is None or _is_date(c["date"]), c["date"]
        if c["date"]:
            assert c["date"] <= art["published"], "decision dated after the article"
        assert c["chip"] in entity_ids, f"claim chip {c['chip']!r} is not among the entities"
        claim_keys.append((c["chip"], c["side"], c["actor"], c["destination"], c["status"]))
    assert len(claim_keys) == len(set(claim_keys)), "duplicate status claim"


REQUIRED_KB_FILES = ("chips.csv", "architectures.csv", "companies.csv", "countries.csv", "people.csv",
                     "organizations.csv", "aliases.csv", "export_events.csv", "thresholds.csv", "publishers.csv")


@pytest.fixture(scope="module")
def gold_kb():
    missing = [name for name in REQUIRED_KB_FILES if not (KB_DIR / name).exists()]
    if missing:
        pytest.skip(f"knowledge base not complete yet (missing {', '.join(missing)})")
    from chipwatch.knowledge import KnowledgeBase

    return KnowledgeBase.load(KB_DIR)


@pytest.mark.parametrize("path", ALL_GOLD_FILES, ids=_file_id)
def test_gold_ids_exist_in_knowledge_base(path: Path, gold_kb):
    kb = gold_kb
    exp = _load(path)["expected"]
    problems = []
    for e in exp["entities"]:
        if e["id"] not in kb.entities.get(e["type"], {}):
            problems.append(f"entity {e['type']}:{e['id']}")
    people_like = [q["speaker"] for q in exp["quotes"]]
    people_like += [s["holder"] for s in exp["stances"]]
    people_like += [s["reported_by"] for s in exp["stances"] if s["reported_by"]]
    for ident in people_like:
        if not ident.startswith(ANONYMOUS_PREFIX) and kb.type_of(ident) is None:
            problems.append(f"speaker/holder {ident}")
    for c in exp["status_claims"]:
        if c["chip"] not in kb.chips and c["chip"] not in kb.architectures:
            problems.append(f"claim chip {c['chip']}")
        for key in ("actor", "destination"):
            if c[key] and c[key] not in kb.countries:
                problems.append(f"claim {key} {c[key]}")
    assert not problems, "ids unknown to the knowledge base: " + "; ".join(sorted(set(problems)))
