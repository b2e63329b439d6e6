"""Parallel ingest (chipwatch.parallel): the same store whatever --workers, one writer,
one transaction per file, idempotent, bounded work in flight."""
import csv
import json
import random
import re
import sqlite3
from concurrent.futures import Future

import pytest

from chipwatch import parallel
from chipwatch.cli import main
from chipwatch.extract import extract
from chipwatch.loading import iter_files, load_file
from chipwatch.models import Article, LoadError
from chipwatch.paths import ARTICLES_DIR
from chipwatch.store import Store

TABLES = {
    "articles": "id, content_hash, source, url, title, published, publisher, language, body, captions, flags, "
                "extractor_version",
    "mentions": '*',
    "quotes": '*',
    "stances": '*',
    "status_claims": '*',
    "rejections": "source, error, file",
}


def rows(db):
    conn = sqlite3.connect(db)
    try:
        return {t: sorted(conn.execute(f"SELECT {cols} FROM {t}").fetchall(), key=repr) for t, cols in TABLES.items()}
    finally:
        conn.close()


def file_lines(out):
    """The per-file report lines (the final 'done:' line names the store)."""
    return [line for line in out.splitlines() if not line.startswith("done:")]


def _bundled_articles():
    return [a for f in iter_files([ARTICLES_DIR]) for a in load_file(f) if isinstance(a, Article)]


def _record(rng, pool, i):
    lang = rng.choice(sorted(pool))
    base, other = rng.choice(pool[lang]), rng.choice(pool[lang])
    sentences = [s for s in re.split(r"(?<=[.!?。다])\s+", base.body + " " + other.body) if s.strip()]
    body = " ".join(rng.sample(sentences, min(len(sentences), rng.randint(3, 9)))) + f" ({i})"
    return {"id": f"gen-{i}", "title": f"{base.title} #{i}", "published": f"2025-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}", "publisher": base.publisher or "Reuters", "language": lang, "body": body}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """~300 varied records in several JSONL files and a CSV, a duplicate across files,
    a reused id with other content, and a file with bad lines."""
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(7)
    pool = {}
    for a in _bundled_articles():
        pool.setdefault(a.language, []).append(a)
    records = [_record(rng, pool, i) for i in range(300)]
    for n in range(5):
        with open(root / f"part-{n}.jsonl", "w", encoding="utf-8") as fh:
            for r in records[n * 50:(n + 1) * 50]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(root / "part-5.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records[250:])
    dup = dict(records[3])  # same content as part-0 line 4: stored once
    clash = dict(records[10], body="AMD said its MI308 needs a licence to ship to China.")  # same id, other text
    (root / "z-mixed.jsonl").write_text(
        json.dumps(dup, ensure_ascii=False) + "\n{not json\n" + json.dumps(clash, ensure_ascii=False)
        + "\n[1, 2]\n" + json.dumps({"id": "t-only", "title": "only a title"}) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory):
    """The bundled articles and the generated folder ingested in one process (--workers 1)."""
    db = tmp_path_factory.mktemp("ref") / "one.db"
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["ingest", str(ARTICLES_DIR), str(corpus), "--db", str(db), "--workers", "1"]) == 0
    return db, out.getvalue()


def test_two_workers_store_exactly_what_one_worker_stores(corpus, reference, tmp_path, capsys):
    db1, out1 = reference
    db2 = tmp_path / "two.db"
    assert main(["ingest", str(ARTICLES_DIR), str(corpus), "--db", str(db2), "--workers", "2"]) == 0
    out2 = capsys.readouterr().out
    assert file_lines(out2) == file_lines(out1)  # same files, same order, same counts, notes and rejections
    one, two = rows(db1), rows(db2)
    assert len(one["articles"]) >= 60 + 300
    assert len(one["mentions"]) > 1000 and one["quotes"] and one["stances"] and one["status_claims"]
    for table in TABLES:
        assert two[table] == one[table], table


def test_big_files_are_chunked_into_one_transaction_each_with_the_same_result(corpus, reference, tmp_path,
                                                                             monkeypatch, capsys):
    # Every record file counts as big: the parent streams it in chunks of 7 records to the workers.
    monkeypatch.setattr(parallel, "BIG_FILE_BYTES", 1)
    monkeypatch.setattr(parallel, "CHUNK_RECORDS", 7)
    db1, out1 = reference
    db2 = tmp_path / "chunked.db"
    assert main(["ingest", str(ARTICLES_DIR), str(corpus), "--db", str(db2), "--workers", "2"]) == 0
    assert file_lines(capsys.readouterr().out) == file_lines(out1)
    assert rows(db2) == rows(db1)


@pytest.fixture
def one_task_per_file(monkeypatch):
    """Small inputs would make one task (and run in-process): give each file its own, so 2 workers are used."""
    monkeypatch.setattr(parallel, "BATCH_BYTES", 1)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_second_run_adds_nothing(corpus, reference, tmp_path, workers, capsys, one_task_per_file):
    db = tmp_path / "again.db"
    db.write_bytes(reference[0].read_bytes())
    before = rows(db)
    assert main(["ingest", str(ARTICLES_DIR), str(corpus), "--db", str(db), "--workers", workers]) == 0
    out = capsys.readouterr().out
    assert re.search(r"done: \d+ files, 0 added, \d+ duplicates", out)
    after = rows(db)
    for table in ("articles", "mentions", "quotes", "stances", "status_claims"):
        assert after[table] == before[table]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_bad_lines_are_named_and_the_good_lines_land(corpus, tmp_path, workers, capsys, one_task_per_file):
    db = tmp_path / "mixed.db"
    mixed = corpus / "z-mixed.jsonl"
    assert main(["ingest", str(corpus / "part-0.jsonl"), str(mixed), "--db", str(db), "--workers", workers]) == 0
    out = capsys.readouterr().out
    assert f"{mixed}: 1 added, 1 duplicates, 3 rejected" in out
    for line in (2, 4, 5):
        assert f"rejected {mixed}:{line}: line {line}:" in out
    assert "already holds another article" in out  # the reused id is stored under a derived id
    with Store(db) as store:
        assert store.count() == 51
        assert store.count("rejections") == 3
        assert store.conn.execute("SELECT COUNT(*) FROM articles WHERE id LIKE 'gen-10~%'").fetchone()[0] == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_exit_codes_are_unchanged(tmp_path, workers, capsys, one_task_per_file):
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(tmp_path / "missing"), "--db", db, "--workers", workers]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n[1,2\n", encoding="utf-8")
    other = tmp_path / "bad2.csv"
    other.write_text("", encoding="utf-8")
    assert main(["ingest", str(bad), str(other), "--db", db, "--workers", workers]) == 1
    out = capsys.readouterr().out
    assert f"rejected {bad}:1: line 1: not valid JSON" in out


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_workers_must_be_a_positive_number(tmp_path, value, capsys):
    assert main(["ingest", str(ARTICLES_DIR), "--db", str(tmp_path / "s.db"), "--workers", value]) == 2
    assert "--workers" in capsys.readouterr().err


def test_progress_bar_shows_files_articles_and_rate(corpus, tmp_path, capfd):
    assert main(["ingest", str(corpus), "--db", str(tmp_path / "p.db"), "--workers", "2", "--progress"]) == 0
    err = capfd.readouterr().err
    assert re.search(r"7/7 files, [\d,]+ articles, [\d,]+ articles/s", err)


def test_a_failure_in_the_middle_of_a_chunked_file_leaves_none_of_it(corpus, tmp_path):
    # part-0 commits; part-1 is streamed in chunks and fails after 30 of its 50 records.
    files = [corpus / "part-0.jsonl", corpus / "part-1.jsonl"]
    written = []

    def on_article():
        written.append(1)
        if len(written) == 80:
            raise RuntimeError("crash in the middle of a file")

    with Store(tmp_path / "crash.db") as store:
        results = parallel.ingest_files(store, files, workers=2, on_article=on_article,
                                        big_file_bytes=1, chunk_records=8)
        path, result = next(results)
        assert (path, result.added) == (files[0], 50)
        with pytest.raises(RuntimeError, match="crash in the middle"):
            next(results)
        assert store.count() == 50
        assert {r[0] for r in store.conn.execute("SELECT DISTINCT source FROM articles")} == {
            f"{files[0]}:{n}" for n in range(1, 51)}


def test_write_file_results_takes_extractions_made_elsewhere(kb, tmp_path):
    a = Article(id="w1", source="x.jsonl:1", title="US requires licence for Nvidia H20", language="en",
                body="The U.S. government told Nvidia that exports of its H20 chip to China now require a licence.",
                content_hash="h-w1")
    b = Article(id="w2", source="x.jsonl:2", title="AMD MI308", body="AMD said its MI308 needs a licence.",
                language="en", content_hash="h-w2")
    bad = LoadError("x.jsonl:3", "line 3: not valid JSON")
    with Store(tmp_path / "a.db", kb=kb) as mine, Store(tmp_path / "b.db", kb=kb) as theirs:
        mine.ingest_file("x.jsonl", items=[a, b, bad])
        # b's extraction is None: skipped by a worker as "known", but not in this store -> extracted by the writer
        result = theirs.write_file_results("x.jsonl", [(a, extract(a, kb)), (b, None), bad])
        assert (result.added, result.duplicates, len(result.rejected)) == (2, 0, 1)
        assert rows(mine.path) == rows(theirs.path)
        again = theirs.write_file_results("x.jsonl", [(a, extract(a, kb)), (b, extract(b, kb))])
        assert (again.added, again.duplicates) == (0, 2)


def test_work_in_flight_is_bounded(tmp_path):
    """However many files and chunks, no more than `window` tasks are submitted and not yet written."""
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"b{i}", "title": "t", "body": f"body {i}"}) + "\n"
                           for i in range(100)), encoding="utf-8")
    small = []
    for n in range(10):
        small.append(tmp_path / f"s{n}.jsonl")
        small[-1].write_text(json.dumps({"id": f"s{n}", "title": "t", "body": f"small {n}"}) + "\n", encoding="utf-8")
    files = small[:5] + [big] + small[5:]
    outstanding = {"now": 0, "max": 0}

    class Done(Future):
        def result(self, timeout=None):  # the writer takes a task's result once, when it reaches it
            outstanding["now"] -= 1
            return super().result(timeout)

    def submit(fn, arg):
        outstanding["now"] += 1
        outstanding["max"] = max(outstanding["max"], outstanding["now"])
        fut = Done()
        fut.set_result([[f"records of {p}"] for p in arg] if fn is parallel._load_and_extract else list(arg))
        return fut

    tasks = parallel._plan(files, submit, big_file_bytes=1000, chunk_records=10)
    seen = [(index, len(records), last) for index, records, last in parallel._segments(tasks, window=3)]
    assert outstanding["max"] == 3 and outstanding["now"] == 0
    chunks = [s for s in seen if s[0] == 5]
    assert [n for _, n, _ in chunks] == [10] * 10 and [last for *_, last in chunks] == [False] * 9 + [True]
    assert [s for s in seen if s[0] != 5] == [(i, 1, True) for i in (0, 1, 2, 3, 4, 6, 7, 8, 9, 10)]
