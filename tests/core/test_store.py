"""The SQLite store: idempotent ingest, one transaction per file, re-extraction, schema checks."""
import hashlib
import sqlite3

import pytest

from chipwatch.models import Article, LoadError
from chipwatch.store import SCHEMA_VERSION, Store, StoreError


def make_article(aid, title, body, **kw):
    h = hashlib.sha256((title + "\n" + body).encode()).hexdigest()
    return Article(id=aid, source=f"test#{aid}", title=title, body=body, content_hash=h, language="en", **kw)


H200 = make_article("a1", "US allows Nvidia H200 sales to China",
                    "President Donald Trump said on Monday that Nvidia may ship H200 chips to approved "
                    "customers in China, with 25% of the revenue going to the U.S. government.",
                    published="2025-12-09", publisher="Reuters")
H20 = make_article("a2", "China tells firms to avoid Nvidia H20",
                   "Chinese regulators urged companies to avoid Nvidia's H20 chips, people familiar with the "
                   "matter said.", published="2025-08-12")


def test_ingest_is_idempotent(db_path):
    with Store(db_path) as store:
        first = store.ingest_file("batch.jsonl", items=[H200, H20])
        second = store.ingest_file("batch.jsonl", items=[H200, H20])
        assert (first.added, first.duplicates) == (2, 0)
        assert (second.added, second.duplicates) == (0, 2)
        assert store.count() == 2
        assert store.count("mentions") > 0


def test_rejections_are_kept_beside_good_records(db_path):
    bad = LoadError("batch.jsonl:3", "line 3: not valid JSON")
    with Store(db_path) as store:
        result = store.ingest_file("batch.jsonl", items=[H200, bad, H20])
        assert result.added == 2
        assert [e.source for e in result.rejected] == ["batch.jsonl:3"]
        assert store.count("rejections") == 1


def test_same_id_different_content_keeps_both(db_path):
    other = make_article("a1", "Another story", "AMD said its MI308 needs a licence to ship to China.")
    with Store(db_path) as store:
        store.ingest_file("one.jsonl", items=[H200])
        result = store.ingest_file("two.jsonl", items=[other])
        assert result.added == 1 and result.renamed
        assert store.count() == 2
        assert store.article(other.id).title == "Another story"


def test_a_failing_file_leaves_nothing_behind(db_path):
    def items():
        yield H200
        raise RuntimeError("crash in the middle of a file")

    with Store(db_path) as store:
        with pytest.raises(RuntimeError):
            store.ingest_file("crash.jsonl", items=items())
        assert store.count() == 0
        assert store.count("mentions") == 0


def test_wal_mode_and_schema_version(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    conn.close()


def test_newer_schema_is_refused_with_a_clear_message(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer than this Chipwatch"):
        Store(db_path)


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a Chipwatch store"):
        Store(path)


def test_reextract_updates_stale_articles(db_path):
    with Store(db_path) as store:
        store.ingest_file("batch.jsonl", items=[H200])
        store.conn.execute("UPDATE articles SET extractor_version='0'")
        store.conn.execute("DELETE FROM mentions")
        assert store.stale_article_ids() == ["a1"]
        assert store.reextract() == 1
        assert store.stale_article_ids() == []
        assert store.count("mentions") > 0
