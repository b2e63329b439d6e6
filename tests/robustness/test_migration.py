"""Stores this Chipwatch cannot read are refused with a clear message, never misread.

Decision: version 1 (no article index) is upgraded in place by Store() and
`chipwatch upgrade`; the dashboard's read-only path names that command. A store of
any other version (older or newer), a
Chipwatch store with a table or column missing, a SQLite file of another program
and a file that is not SQLite at all are all refused with a StoreError that names
the file (and the versions), by Store(), by load_frames() (the dashboard's
read-only path) and by the CLI (exit 2, no traceback) -- and the refused file is
left exactly as it was.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from chipwatch.cli import main
from chipwatch.frames import load_frames
from chipwatch.store import SCHEMA, SCHEMA_VERSION, Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ('{"id": "m1", "title": "Nvidia H20", "published": "2025-08-01", '
           '"body": "Donald Trump said Nvidia may ship H20 chips to China."}\n')


# -- stores of every kind this version must refuse --------------------------------------------------

def _chipwatch_like(path: Path, version, schema: str = SCHEMA, drop_table: str = "") -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(schema)
    if version is not None:
        conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
    if drop_table:
        conn.execute(f"DROP TABLE {drop_table}")
    conn.execute("INSERT INTO articles (id, content_hash, source, title, language, body, ingested_at, "
                 "extractor_version) VALUES ('old', 'h', 'old.jsonl:1', 'Old', 'en', 'An old article.', 0, '1')")
    conn.commit()
    conn.close()
    return path


def older_version(p):
    return _chipwatch_like(p, 0)


def no_version_row(p):
    return _chipwatch_like(p, None)


def newer_version(p):
    return _chipwatch_like(p, SCHEMA_VERSION + 98)


def version_not_a_number(p):
    return _chipwatch_like(p, "one")


def missing_table(p):
    return _chipwatch_like(p, SCHEMA_VERSION, drop_table="status_claims")


def missing_column(p):
    schema = SCHEMA.replace("    flags TEXT NOT NULL DEFAULT '[]',\n", "")
    assert schema != SCHEMA
    return _chipwatch_like(p, SCHEMA_VERSION, schema=schema)


def other_program(p):
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers VALUES (1, 'ACME')")
    conn.commit()
    conn.close()
    return p


def other_program_with_articles(p):
    """Another program's database that happens to have an `articles` table."""
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE articles (id TEXT, title TEXT, body TEXT)")
    conn.commit()
    conn.close()
    return p


def random_bytes(p):
    p.write_bytes(os.urandom(8192))
    return p


def text_file(p):
    p.write_text("id,title\n1,not a database\n", encoding="utf-8")
    return p


def html_file(p):
    p.write_text("<!doctype html><html><body>" + "x" * 5000 + "</body></html>", encoding="utf-8")
    return p


REFUSED = {
    older_version: ["version 0", f"{SCHEMA_VERSION}"],
    no_version_row: ["version 0", f"{SCHEMA_VERSION}"],
    newer_version: [f"version {SCHEMA_VERSION + 98}", "newer", f"{SCHEMA_VERSION}"],
    version_not_a_number: ["'one'"],
    missing_table: ["status_claims"],
    missing_column: ["flags"],
    other_program: ["not a Chipwatch store"],
    other_program_with_articles: ["not a Chipwatch store"],
    random_bytes: ["not a SQLite database"],
    text_file: ["not a SQLite database"],
    html_file: ["not a SQLite database"],
}
CASES = pytest.mark.parametrize("build", list(REFUSED), ids=[f.__name__ for f in REFUSED])


def fingerprint(path: Path) -> tuple:
    """The file's bytes and which side files exist (a refused store must not be touched)."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            tuple(Path(f"{path}{s}").exists() for s in ("-wal", "-shm", "-journal")))


def assert_clear(exc: BaseException, path: Path, build) -> None:
    text = str(exc)
    assert str(path) in text, text
    for needle in REFUSED[build]:
        assert needle in text, (needle, text)
    assert "\n" not in text.strip()


# -- Store() and load_frames() ----------------------------------------------------------------------

@CASES
def test_store_refuses(tmp_path, build):
    path = build(tmp_path / "store.db")
    before = fingerprint(path)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert_clear(info.value, path, build)
    assert fingerprint(path) == before  # not converted to WAL, not "repaired", not written


@CASES
def test_load_frames_refuses(tmp_path, build):
    """The dashboard's read path never shows another layout's rows as if they were Chipwatch's."""
    path = build(tmp_path / "store.db")
    before = fingerprint(path)
    with pytest.raises(StoreError) as info:
        load_frames(path)
    assert_clear(info.value, path, build)
    assert fingerprint(path) == before


def test_store_error_is_a_database_error_the_dashboard_catches(tmp_path):
    """chipwatch_ui.frame shows 'Cannot read the store' for sqlite3.Error, pandas' DatabaseError and
    OSError: a StoreError from load_frames must be one of them (and still a RuntimeError)."""
    assert issubclass(StoreError, sqlite3.DatabaseError)
    assert issubclass(StoreError, RuntimeError)


def test_an_empty_file_is_an_empty_store(tmp_path):
    """A zero-byte file (e.g. made by `touch`) is an empty SQLite database: read as no articles,
    and Store() creates the schema in it."""
    path = tmp_path / "empty.db"
    path.touch()
    assert load_frames(path).empty
    with Store(path) as store:
        assert store.count() == 0
        assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(
            SCHEMA_VERSION)
    assert load_frames(path).empty


def test_the_current_version_opens_and_reads(tmp_path):
    path = tmp_path / "ok.db"
    Store(path).close()
    (tmp_path / "a.jsonl").write_text(ARTICLE, encoding="utf-8")
    with Store(path) as store:
        assert store.ingest_file(tmp_path / "a.jsonl").added == 1
    assert len(load_frames(path).articles) == 1
    with Store(path) as store:  # reopening is fine
        assert store.count() == 1


# -- the CLI ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("build", [older_version, newer_version, missing_column, other_program, random_bytes,
                                   text_file], ids=lambda f: f.__name__)
@pytest.mark.parametrize("command", ["ingest", "stats", "report", "reextract"])
def test_cli_refuses_with_exit_2(tmp_path, capsys, build, command):
    path = build(tmp_path / "store.db")
    before = fingerprint(path)
    articles = tmp_path / "a.jsonl"
    articles.write_text(ARTICLE, encoding="utf-8")
    argv = {"ingest": ["ingest", str(articles), "--db", str(path)],
            "stats": ["stats", "--db", str(path)],
            "report": ["report", "--db", str(path), "--out", str(tmp_path / "r.html")],
            "reextract": ["reextract", "--db", str(path)]}[command]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and str(path) in err, err
    assert fingerprint(path) == before
    assert not (tmp_path / "r.html").exists()


def test_cli_in_a_real_process_prints_no_traceback(tmp_path):
    path = random_bytes(tmp_path / "store.db")
    articles = tmp_path / "a.jsonl"
    articles.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for argv in (["ingest", str(articles), "--db", str(path)], ["report", "--db", str(path), "--out",
                                                                  str(tmp_path / "r.html")]):
        run = subprocess.run([sys.executable, "-m", "chipwatch", *argv], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 2, run.stderr
        assert "Traceback" not in run.stderr
        assert str(path) in run.stderr and "not a SQLite database" in run.stderr


# -- the dashboard ------------------------------------------------------------------------------------

def test_dashboard_shows_an_old_store_as_a_message(tmp_path, monkeypatch):
    pytest.importorskip("streamlit")
    from streamlit.testing.v1 import AppTest

    from chipwatch_ui import data

    path = older_version(tmp_path / "old.db")
    before = fingerprint(path)
    data.clear_caches()
    with pytest.raises(sqlite3.Error):  # what chipwatch_ui.frame catches and shows
        data.all_frames(path)

    monkeypatch.setenv("CHIPWATCH_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("Cannot read the store" in e and "version 0" in e for e in errors), errors
    assert fingerprint(path) == before
    data.clear_caches()


# -- version 1 -> 2: upgraded in place ------------------------------------------------------------

def _as_version_1(path: Path) -> None:
    """Turn a current store into what version 1 wrote: no article index, no entity codes."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE article_index")
    conn.execute("DROP TABLE entity_codes")
    conn.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    conn.commit()
    conn.close()


def _index(path: Path) -> dict:
    """article id -> (sorted (type, entity id) pairs, n_entities, n_quotes, n_claims)."""
    from chipwatch.store import unpack_codes

    conn = sqlite3.connect(path)
    names = {code: (t, e) for code, t, e in conn.execute("SELECT code, type, entity_id FROM entity_codes")}
    out = {a: (sorted(names[c] for c in unpack_codes(blob)), ne, nq, nc)
           for a, blob, ne, nq, nc in conn.execute("SELECT * FROM article_index")}
    conn.close()
    return out


def test_version_1_is_upgraded_in_place_by_store_and_the_cli(tmp_path, capsys):
    path = tmp_path / "v1.db"
    with Store(path) as store:
        store.ingest_file(next((ROOT / "data" / "articles" / "records").glob("*.jsonl")))
    written = _index(path)
    assert len(written) > 5 and any(ne > 3 for _, ne, _, _ in written.values())
    _as_version_1(path)

    with pytest.raises(StoreError) as info:  # the read-only path says how to upgrade, and writes nothing
        load_frames(path)
    assert "version 1" in str(info.value) and f"python -m chipwatch upgrade --db {path}" in str(info.value)

    assert main(["upgrade", "--db", str(path)]) == 0
    assert "schema version 2" in capsys.readouterr().out
    assert _index(path) == written  # the same index as ingest writes
    assert len(load_frames(path).articles) == len(written)
    assert main(["upgrade", "--db", str(path)]) == 0  # a no-op on a current store


def test_a_damaged_version_1_store_is_refused_untouched(tmp_path):
    path = tmp_path / "v1.db"
    Store(path).close()
    _as_version_1(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE stances")
    conn.commit()
    conn.close()
    before = fingerprint(path)
    with pytest.raises(StoreError, match="stances"):
        Store(path)
    assert fingerprint(path) == before
