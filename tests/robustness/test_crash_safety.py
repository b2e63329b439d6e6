"""Kill -9 during a real `python -m chipwatch ingest`, then ingest again.

The contract (chipwatch/store.py): one transaction per file, so after a crash the
store opens, holds whole files only, has no orphan rows, and a second run adds
exactly what was missing, with no duplicates.

The ingest runs as a real subprocess in its own session; the test polls a
read-only connection until at least one file is committed and not every
article is in, and the write-ahead log shows pages of an uncommitted
transaction (the next file being written), then SIGKILLs the whole process
group (the CLI and its workers).
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from corpus_support import synthetic_corpus

ROOT = Path(__file__).resolve().parents[2]
EXTRACTED = ("mentions", "quotes", "stances", "status_claims")
# Record files of mixed sizes: ~300 records (~800 KB) are over parallel.BIG_FILE_BYTES and are
# streamed in chunks into one open transaction; ~120 records go to a worker whole.
FILE_SIZES = (300, 120, 300, 120, 300)
N_ARTICLES = 1500  # ~80% records (split as above, the rest in one more file), ~20% pages


def make_corpus(root: Path, n_articles: int = N_ARTICLES, sizes=FILE_SIZES, seed: int = 11,
                bad_line_in: int = 1) -> dict[Path, dict]:
    return synthetic_corpus(root, n_articles, sizes, seed, bad_line_in)


def ingest_cmd(paths, db: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "chipwatch", "ingest", *map(str, paths), "--db", str(db),
            "--workers", str(workers)]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("CHIPWATCH_DB", None)
    return e


def ro_count(db: Path) -> int:
    """Committed articles, as a separate reader sees them (0 while the store does not exist yet)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError as exc:  # the schema is not created yet
        if "no such table" in str(exc):
            return 0
        raise
    finally:
        conn.close()


def wal_uncommitted_frames(db: Path) -> int:
    """Frames at the tail of the write-ahead log after its last commit frame: pages of a
    transaction that was being written and is not committed. (WAL format: a 32-byte header
    with the salts, then frames of a 24-byte header + one page; a frame's second word is the
    database size for a commit frame, else 0; frames of the current generation carry the
    header's salts.)"""
    wal = Path(f"{db}-wal")
    try:
        data = wal.read_bytes()
    except FileNotFoundError:
        return 0
    if len(data) < 32:
        return 0
    page_size = struct.unpack(">I", data[8:12])[0]
    salts = data[16:24]
    tail = 0
    for off in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        if data[off + 8:off + 16] != salts:
            break
        commit = struct.unpack(">I", data[off + 4:off + 8])[0]
        tail = 0 if commit else tail + 1
    return tail


def kill_mid_run(cmd: list[str], db: Path, total: int, timeout: float = 120) -> tuple[int, int]:
    """Start cmd in its own session; once a file is committed, not every article is in and the
    writer is inside the next file's transaction (its pages are spilling into the WAL), SIGKILL
    the whole process group. Returns (articles committed at the kill, uncommitted WAL frames left)."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    started = time.monotonic()
    try:
        seen = 0
        while time.monotonic() - started < timeout:
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"the ingest ended (exit {proc.returncode}) before it could be killed mid-file; "
                            f"{seen} of {total} articles seen\n{out.decode()[-2000:]}\n{err.decode()[-2000:]}")
            seen = ro_count(db)
            if 0 < seen < total and wal_uncommitted_frames(db) > 0:
                break
            time.sleep(0.01)
        else:
            pytest.fail(f"no moment with a committed file and an open transaction within {timeout} s")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        torn = wal_uncommitted_frames(db)  # before anything opens the store again
        return ro_count(db), torn
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        try:  # the workers of the group (already SIGKILLed with it; make sure)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def per_file_counts(conn: sqlite3.Connection, files) -> Counter:
    """Articles stored per corpus file (an article's source is the file, or file:line for records)."""
    by_name = {str(f): str(f) for f in files}
    counts: Counter = Counter()
    for (source,) in conn.execute("SELECT source FROM articles"):
        key = source if source in by_name else source.rsplit(":", 1)[0]
        assert key in by_name, f"an article from no corpus file: {source!r}"
        counts[key] += 1
    return counts


def rejections_per_file(conn: sqlite3.Connection) -> Counter:
    return Counter(r[0] for r in conn.execute("SELECT file FROM rejections"))


def assert_whole_files_only(db: Path, expected: dict[Path, dict]) -> int:
    """The store opens, is intact and holds every file wholly or not at all. Returns its article count."""
    from chipwatch.frames import load_frames
    from chipwatch.store import Store

    # The dashboard's read-only path first: it meets the WAL the killed writer left behind.
    frames = load_frames(db)
    ids = set(frames.articles["id"])
    for name in ("mentions", "quotes", "stances", "claims"):
        assert set(getattr(frames, name)["article_id"]) <= ids, f"{name} of an article that is not stored"

    with Store(db) as store:
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        for table in EXTRACTED:
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
            assert orphans == 0, f"{orphans} {table} rows without their article"
        counts = per_file_counts(conn, expected)
        rejections = rejections_per_file(conn)
        partial = {str(f): (counts[str(f)], info["articles"]) for f, info in expected.items()
                   if counts[str(f)] not in (0, info["articles"])}
        assert not partial, f"files stored in part (stored, in file): {partial}"
        for f, info in expected.items():
            present = counts[str(f)] == info["articles"] and info["articles"] > 0
            # a file's rejections are written in its transaction too
            assert rejections[str(f)] == (info["rejected"] if present else 0), f
        # every stored article has its extraction (synthetic articles always mention entities)
        bare = conn.execute("SELECT COUNT(*) FROM articles WHERE id NOT IN (SELECT article_id FROM mentions)"
                            ).fetchone()[0]
        assert bare == 0
        total = store.count()
    assert total == len(frames.articles)
    return total


def assert_complete_no_duplicates(db: Path, expected: dict[Path, dict]) -> None:
    conn = sqlite3.connect(db)
    try:
        n, n_ids, n_hashes = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id), COUNT(DISTINCT content_hash) FROM articles").fetchone()
        want = {h for info in expected.values() for h in info["hashes"]}
        assert n == n_ids == n_hashes == len(want)
        assert {r[0] for r in conn.execute("SELECT content_hash FROM articles")} == want
        for table in ("quotes", "stances", "status_claims"):
            dup = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} GROUP BY article_id, idx "
                               "HAVING COUNT(*) > 1)").fetchone()[0]
            assert dup == 0
        counts = per_file_counts(conn, expected)
        assert all(counts[str(f)] == info["articles"] for f, info in expected.items())
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


DONE = re.compile(r"^done: (\d+) files, (\d+) added, (\d+) duplicates, (\d+) rejected", re.M)


@pytest.mark.parametrize("workers", [2, 1])
def test_kill_9_mid_ingest_then_ingest_again(tmp_path, workers):
    expected = make_corpus(tmp_path)
    total = sum(info["articles"] for info in expected.values())
    db = tmp_path / "store" / "chipwatch.db"
    corpus = tmp_path / "corpus"

    # records first: the kill then lands inside a big record file's transaction
    paths = [corpus / "records", corpus / "pages"]
    before_kill, torn = kill_mid_run(ingest_cmd(paths, db, workers), db, total)
    assert 0 < before_kill < total
    assert torn > 0, "the kill did not land inside a transaction"

    survived = assert_whole_files_only(db, expected)
    assert survived == before_kill < total  # the open transaction is gone, the committed files stay

    run = subprocess.run(ingest_cmd(paths, db, workers), cwd=ROOT, env=env(), capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    done = DONE.search(run.stdout)
    assert done, run.stdout[-2000:]
    files, added, duplicates, _rejected = map(int, done.groups())
    assert files == len(expected)
    assert added == total - survived  # exactly what was missing
    assert duplicates == survived
    # per file: a file that survived is all duplicates now, a lost one is all added
    for line in run.stdout.splitlines():
        m = re.match(r"^(.*): (\d+) added, (\d+) duplicates, (\d+) rejected$", line)
        if m:
            info = expected[Path(m.group(1))]
            assert int(m.group(2)) + int(m.group(3)) == info["articles"]
            assert int(m.group(2)) in (0, info["articles"])
    assert_complete_no_duplicates(db, expected)
