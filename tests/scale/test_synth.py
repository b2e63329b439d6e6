"""The synthetic corpus generator (chipwatch.synth): counts, shares, sizes, determinism, loading,
labels and how the extractor scores against the labels."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from chipwatch import synth
from chipwatch.cli import main
from chipwatch.loading import iter_files, load_file
from chipwatch.models import Article, LoadError
from chipwatch.paths import REPO_ROOT

N = 300
SEED = 11


def folder_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(q for q in root.rglob("*") if q.is_file()):
        h.update(str(p.relative_to(root)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "corpus"
    summary = synth.write_corpus(out, N, seed=SEED, labels=True)
    assert summary.articles == N
    return out


@pytest.fixture(scope="module")
def loaded(corpus) -> tuple[list[Article], list[LoadError]]:
    articles, errors = [], []
    for path in iter_files([corpus / "records", corpus / "pages"]):
        for item in load_file(path):
            (errors if isinstance(item, LoadError) else articles).append(item)
    return articles, errors


@pytest.fixture(scope="module")
def labels(corpus) -> list[dict]:
    return [json.loads(line) for line in (corpus / synth.LABELS_NAME).read_text(encoding="utf-8").splitlines()]


def test_writes_the_right_count_and_layout(corpus, loaded, labels):
    articles, errors = loaded
    assert errors == []
    assert len(articles) == N
    assert len(labels) == N
    records = list((corpus / "records").glob("*.jsonl"))
    pages = [p for p in (corpus / "pages").rglob("*") if p.is_file()]
    assert records and pages
    n_records = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in records)
    assert n_records + len(pages) == N
    # about 80% records, 20% raw pages
    assert 0.12 <= len(pages) / N <= 0.28
    kinds = Counter(p.name.rsplit("-", 1)[-1] for p in pages)
    assert {"portal.txt", "wire.txt", "newspaper.html"} <= set(kinds)


def test_language_shares(loaded):
    articles, _ = loaded
    shares = Counter(a.language for a in articles)
    for lang, expected in synth.LANGUAGE_SHARES:
        assert abs(shares[lang] / N - expected) <= 0.10, (lang, shares)


def test_sizes_mostly_one_to_four_kb(loaded):
    articles, _ = loaded
    sizes = [len(f"{a.title}\n{a.body}".encode("utf-8")) for a in articles]
    inside = sum(1000 <= s <= 4096 for s in sizes)
    assert inside / len(sizes) >= 0.9, sorted(sizes)[:10]


def test_dates_and_publishers(loaded):
    articles, _ = loaded
    assert all(a.published and "2022-10-01" <= a.published <= "2026-05-31" for a in articles)
    years = Counter(a.published[:4] for a in articles)
    assert set(years) == {"2022", "2023", "2024", "2025", "2026"}
    assert all(a.publisher for a in articles)


def test_labels_line_up_with_ids(loaded, labels):
    articles, _ = loaded
    by_id = {a.id: a for a in articles}
    assert len(by_id) == N  # ids are unique
    assert {row["id"] for row in labels} == set(by_id)
    for row in labels:
        art = by_id[row["id"]]
        exp = row["expected"]
        assert row["language"] == art.language
        assert set(exp) == {"entities", "quotes", "stances", "status_claims"}
        for q in exp["quotes"]:
            assert q["text"] in art.body, (row["id"], q["text"])
            assert q["kind"] in ("direct", "indirect")
        assert exp["status_claims"], row["id"]  # every article reports at least one decision
        for c in exp["status_claims"]:
            assert c["status"] in synth.REPORTED_STANCE and c["side"] in ("export", "import")
        holders = {s["holder"] for s in exp["stances"] if s["reported_by"] is None}
        assert holders == {q["speaker"] for q in exp["quotes"]}


def test_load_synth_gold_matches_the_gold_format(corpus):
    missing: list = []
    docs = list(synth.iter_synth_gold(corpus, missing=missing))
    assert missing == []
    assert len(docs) == N
    doc = docs[0]
    assert set(doc["article"]) >= {"id", "url", "title", "published", "publisher", "language", "body"}
    assert set(doc["expected"]) == {"entities", "quotes", "stances", "status_claims"}


def test_deterministic_for_a_seed(corpus, tmp_path):
    # the same seed in another process (another hash seed, through the CLI) gives the same bytes
    again = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="12345")
    done = subprocess.run([sys.executable, "-m", "chipwatch", "synth", "--articles", str(N), "--out", str(again),
                           "--seed", str(SEED), "--labels"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert folder_hash(again) == folder_hash(corpus)
    other = tmp_path / "other"
    synth.write_corpus(other, N, seed=SEED + 1, labels=True)
    assert folder_hash(other) != folder_hash(corpus)


def test_extraction_scores_on_the_synthetic_labels(corpus):
    scores = synth.evaluate_synth(corpus)
    assert scores.articles == N
    assert scores.entities.f1 >= 0.9, scores.summary()
    assert scores.claims.f1 >= 0.6, scores.summary()
    assert scores.quotes.f1 >= 0.6, scores.summary()


def test_portal_and_wire_pages_have_the_real_shapes(corpus):
    portal = next((corpus / "pages").rglob("*-portal.txt")).read_text(encoding="utf-8")
    assert re.match(r"^.+ 작성일 \d\d-\d\d \d\d 목록 <div", portal)
    for marker in ('<div class="article_view"', "Copyright ©", "관련자료 이전", "댓글 0"):
        assert marker in portal
    wire = next((corpus / "pages").rglob("*-wire.txt")).read_text(encoding="utf-8")
    assert re.search(r"^[A-Z ]+, [A-Z][a-z]+ \d{1,2} \([^)]+\) - ", wire, re.M)
    assert re.search(r"^https://\S+$", wire, re.M)
    page = next((corpus / "pages").rglob("*.html")).read_text(encoding="utf-8")
    for marker in ('property="og:title"', 'property="article:published_time"', "<script", "related-article",
                   "comment-box"):
        assert marker in page


def test_files_rotate_and_formats_filter(tmp_path, monkeypatch):
    monkeypatch.setattr(synth, "RECORDS_PER_FILE", 20)
    monkeypatch.setattr(synth, "PAGES_PER_FOLDER", 10)
    out = tmp_path / "small"
    synth.write_corpus(out, 120, seed=2)
    records = sorted((out / "records").glob("*.jsonl"))
    assert len(records) >= 4
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 20 for p in records)
    folders = [d for d in (out / "pages").iterdir() if d.is_dir()]
    assert folders and all(len(list(d.iterdir())) <= 10 for d in folders)

    only_pages = tmp_path / "pages-only"
    synth.write_corpus(only_pages, 30, seed=2, formats=["html"])
    assert not (only_pages / "records").exists()
    assert len(list((only_pages / "pages").rglob("*.html"))) == 30
    only_records = tmp_path / "records-only"
    synth.write_corpus(only_records, 30, seed=2, formats=["jsonl"])
    assert not (only_records / "pages").exists()


def test_cli(tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["synth", "--articles", "25", "--out", str(out), "--seed", "3", "--labels"]) == 0
    printed = capsys.readouterr().out
    assert "wrote 25 articles" in printed and "by language" in printed and "MB" in printed
    assert len((out / synth.LABELS_NAME).read_text(encoding="utf-8").splitlines()) == 25
    # never writes over an earlier corpus
    assert main(["synth", "--articles", "5", "--out", str(out)]) == 2
    assert main(["synth", "--articles", "5", "--out", str(tmp_path / "x"), "--formats", "pdf"]) == 2


def test_evaluate_command_scores_a_synthetic_corpus(tmp_path, capsys):
    from chipwatch.cli import main

    out = tmp_path / "syn"
    assert main(["synth", "--articles", "60", "--out", str(out), "--labels", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--gold", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Gold set: 60 articles" in printed
