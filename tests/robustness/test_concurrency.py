"""Readers and writers at the same time on one store.

- the dashboard's reads (load_frames, Store.count, chipwatch_ui.data) while a CLI ingest runs;
- two CLI ingests of overlapping folders into one store, started together on a fresh path;
- a Load-page upload (ingest_preview.ingest_uploads) while a CLI ingest runs;
- a writer that waits longer than the busy timeout for the write lock (one big file);
- several processes creating the same fresh store at once.

No 'database is locked' may reach the user (exception, exit code, output or a
rejection row), no row may be lost, and nothing may be stored twice.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus_support import synthetic_corpus

ROOT = Path(__file__).resolve().parents[2]


# -- corpus and subprocess helpers ------------------------------------------------------------------

def make_corpus(root: Path, n_articles: int, sizes=(200, 80, 200, 80, 200), seed: int = 23) -> dict[Path, list]:
    """root/corpus/records/part-NN.jsonl (`sizes` records each, the rest in one more file) and
    root/corpus/pages/ (the generator's saved pages). Returns {file: [content hashes]}."""
    out = {path: info["hashes"] for path, info in synthetic_corpus(root, n_articles, sizes, seed).items()}
    assert sum(len(hashes) for hashes in out.values()) == n_articles
    return out


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("CHIPWATCH_DB", None)
    return e


def start_ingest(paths, db: Path, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "chipwatch", "ingest", *map(str, paths), "--db", str(db), "--workers", str(workers)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        pytest.fail(f"ingest did not finish in {timeout} s\n{out[-2000:]}\n{err[-2000:]}")
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out[-2000:]}\n{err[-3000:]}"
    for text in (out, err):
        assert "locked" not in text.lower() and "busy" not in text.lower(), text[-3000:]
        assert "Traceback" not in text, text[-3000:]
    return out, err


@pytest.fixture
def kill_on_exit():
    procs: list[subprocess.Popen] = []
    yield procs.append
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, 9)
            p.wait()


def stored(db: Path) -> tuple[int, set[str], int]:
    """(articles, their content hashes, distinct ids) with duplicate checks on the extraction tables."""
    conn = sqlite3.connect(db)
    try:
        hashes = [r[0] for r in conn.execute("SELECT content_hash FROM articles")]
        n_ids = conn.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchone()[0]
        for table in ("quotes", "stances", "status_claims"):
            dup = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} GROUP BY article_id, idx "
                               "HAVING COUNT(*) > 1)").fetchone()[0]
            assert dup == 0, table
        for table in ("mentions", "quotes", "stances", "status_claims"):
            orphans = conn.execute(
                f"SELECT COUNT(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)").fetchone()[0]
            assert orphans == 0, table
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return len(hashes), set(hashes), n_ids
    finally:
        conn.close()


def assert_consistent(frames) -> None:
    """A snapshot: every extracted row belongs to an article of the same read."""
    ids = set(frames.articles["id"])
    assert frames.articles["id"].is_unique
    for name in ("mentions", "quotes", "stances", "claims"):
        missing = set(getattr(frames, name)["article_id"]) - ids
        assert not missing, f"{name} of {len(missing)} articles the same read does not hold"
    extracted = frames.status[frames.status["origin"] == "article"]
    assert set(extracted["article_id"]) <= ids


# -- (a) the dashboard reads while the CLI ingests --------------------------------------------------

def _ui_loader():
    """chipwatch_ui.data.all_frames, if it imports without a running Streamlit server."""
    try:
        import logging

        logging.getLogger("streamlit").setLevel(logging.ERROR)
        from chipwatch_ui import data
    except Exception:  # pragma: no cover - the dashboard is optional here
        return None
    data.clear_caches()
    return data


def test_dashboard_reads_while_the_cli_ingests(tmp_path, kill_on_exit):
    from chipwatch.frames import load_frames
    from chipwatch.store import Store

    expected = make_corpus(tmp_path, 1000)
    total = sum(map(len, expected.values()))
    db = tmp_path / "store" / "chipwatch.db"
    db.parent.mkdir()
    ui = _ui_loader()

    corpus = tmp_path / "corpus"
    proc = start_ingest([corpus / "records", corpus / "pages"], db, workers=2)
    kill_on_exit(proc)
    last = {"frames": 0, "store": 0, "ui": 0}
    partial_reads = reads = 0
    while True:
        running = proc.poll() is None
        # the Load page opens the store read-write (and may be the one to create it)
        with Store(db) as store:
            n = store.count()
        assert n >= last["store"], "the article count went down"
        last["store"] = n
        frames = load_frames(db)
        assert_consistent(frames)
        assert len(frames.articles) >= max(last["frames"], n), "a later read saw fewer articles"
        last["frames"] = len(frames.articles)
        if ui is not None:
            uf = ui.all_frames(db)
            assert_consistent(uf)
            assert len(uf.articles) >= last["ui"]
            last["ui"] = len(uf.articles)
        reads += 1
        partial_reads += 0 < len(frames.articles) < total
        if not running:
            break
    finish(proc)
    assert reads >= 3 and partial_reads >= 1, (reads, partial_reads)  # the reads did overlap the ingest
    assert last["frames"] == last["store"] == total
    n, hashes, n_ids = stored(db)
    assert n == n_ids == len(hashes) == total
    if ui is not None:
        assert len(ui.all_frames(db).articles) == total  # the store version changed: no stale cache
        ui.clear_caches()


# -- (b) two ingests at once -------------------------------------------------------------------------

DONE = re.compile(r"^done: (\d+) files, (\d+) added, (\d+) duplicates", re.M)


def test_two_ingests_of_overlapping_folders_at_once(tmp_path, kill_on_exit):
    expected = make_corpus(tmp_path, 900)
    corpus = tmp_path / "corpus"
    parts = sorted((corpus / "records").glob("part-*.jsonl"))
    assert len(parts) >= 5
    pages = sorted(p for p in (corpus / "pages").iterdir())
    a_paths = parts[:3] + pages  # parts 0-2 and every page
    b_paths = parts[2:] + pages[:1]  # parts 2-... and the first pages folder: overlaps with A
    db = tmp_path / "fresh" / "chipwatch.db"  # neither finds a store: both race to create it

    a = start_ingest(a_paths, db, workers=2)
    kill_on_exit(a)
    b = start_ingest(b_paths, db, workers=1)
    kill_on_exit(b)
    out_a, _ = finish(a)
    out_b, _ = finish(b)

    from chipwatch.loading import iter_files

    union = {h for f in iter_files(a_paths + b_paths) for h in expected[f]}
    assert union == {h for hs in expected.values() for h in hs}
    n, hashes, n_ids = stored(db)
    assert hashes == union
    assert n == n_ids == len(union)  # nothing twice
    added = [int(DONE.search(out).group(2)) for out in (out_a, out_b)]
    assert sum(added) == len(union)  # each article was added by exactly one of the two


# -- (c) a Load-page upload while the CLI ingests ----------------------------------------------------

def _upload_bytes(tmp_path: Path, corpus_file: Path, n_new: int = 5, n_dup: int = 3) -> tuple[bytes, int]:
    """A JSONL upload: n_new articles the corpus does not hold and n_dup lines copied from corpus_file."""
    from chipwatch.synth import write_corpus

    extra = tmp_path / "extra"
    write_corpus(extra, n_new, seed=999, formats=["jsonl"])
    new = [ln for f in sorted((extra / "records").glob("*.jsonl")) for ln in f.read_text(encoding="utf-8").split("\n")
           if ln.strip()]
    dup = corpus_file.read_text(encoding="utf-8").splitlines()[-n_dup:]
    lines = new + dup
    for ln in lines:
        json.loads(ln)
    return ("\n".join(lines) + "\n").encode("utf-8"), len(new)


def test_load_page_upload_while_the_cli_ingests(tmp_path, kill_on_exit):
    from chipwatch import ingest_preview
    from chipwatch.store import Store

    expected = make_corpus(tmp_path, 800, sizes=(250, 250, 250))
    total = sum(map(len, expected.values()))
    corpus = tmp_path / "corpus"
    parts = sorted((corpus / "records").glob("part-*.jsonl"))
    upload, n_new = _upload_bytes(tmp_path, parts[-1])  # duplicates of the CLI's last record file
    db = tmp_path / "store" / "chipwatch.db"

    # --workers 1: the CLI loads and extracts inside each file's transaction, so it holds
    # the write lock for seconds at a time
    proc = start_ingest([corpus / "records", corpus / "pages"], db, workers=1)
    kill_on_exit(proc)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, "the CLI ended before the upload"
        assert time.monotonic() < deadline
        if db.exists():
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                if conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0:
                    break
            except sqlite3.OperationalError:
                pass
            finally:
                conn.close()
        time.sleep(0.02)

    assert proc.poll() is None  # the upload starts while the CLI is writing
    ticks = []
    with Store(db) as store:
        results = ingest_preview.ingest_uploads(store, [("upload.jsonl", upload)],
                                                lambda done, total, name: ticks.append(done))
    # It waits for the write lock as long as the CLI holds it: often only until the CLI's current
    # file commits, but the CLI may take the lock straight back for its next file (SQLite's lock
    # is not a fair queue), so it may also come after the CLI's last file. Either way: no error.
    (result,) = results
    assert not result.rejected, [e.error for e in result.rejected]
    assert result.added + result.duplicates == n_new + 3
    assert result.added >= n_new
    assert ticks and ticks[-1] == n_new + 3
    out, _ = finish(proc)

    n, hashes, n_ids = stored(db)
    assert n == n_ids == len(hashes) == total + n_new
    added_by_cli = int(DONE.search(out).group(2))
    assert added_by_cli + result.added == total + n_new


# -- a writer waits longer than the busy timeout -----------------------------------------------------

def test_a_writer_outwaits_the_busy_timeout(tmp_path, monkeypatch):
    """Another process holds the write lock for longer than the busy timeout (one big file in
    one transaction): the Load page's write waits for it instead of failing with 'database is locked'."""
    from chipwatch import ingest_preview
    from chipwatch import store as store_mod
    from chipwatch.frames import load_frames
    from chipwatch.store import Store

    db = tmp_path / "chipwatch.db"
    Store(db).close()
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT", 0.2)
    held = threading.Event()

    def hold_lock(seconds: float) -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO rejections VALUES ('other-writer', 'x', 'other.jsonl', 0)")
        held.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=hold_lock, args=(1.5,))
    holder.start()
    held.wait(5)
    try:
        assert len(load_frames(db).articles) == 0  # reading is not blocked meanwhile
        record = json.dumps({"id": "u1", "title": "Nvidia H20 exports", "published": "2025-08-01",
                             "body": "Donald Trump said Nvidia may ship H20 chips to China."})
        started = time.monotonic()
        with Store(db) as store:
            (result,) = ingest_preview.ingest_uploads(store, [("upload.jsonl", record.encode())])
        waited = time.monotonic() - started
    finally:
        holder.join()
    assert not result.rejected, [e.error for e in result.rejected]
    assert result.added == 1
    assert waited > 0.5  # it did wait for the other writer (several busy timeouts)
    with Store(db) as store:
        assert store.count() == 1 and store.count("rejections") == 1


# -- several processes create one fresh store at once ------------------------------------------------

CREATE_SCRIPT = r"""
import sys, time
from pathlib import Path
import json
from chipwatch.loading import load_bytes
from chipwatch.store import Store
db, go, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
record = json.dumps({"id": f"p{n}", "title": f"Nvidia H20 story {n}",
                     "body": f"Donald Trump said Nvidia may ship H20 chips to China, story {n}."})
items = list(load_bytes(record.encode(), f"proc-{n}.jsonl"))
while not go.exists():
    time.sleep(0.005)
with Store(db) as store:
    r = store.ingest_file(f"proc-{n}.jsonl", items=items)
    assert r.added == 1, r
print("ok")
"""


def test_processes_creating_one_store_at_once(tmp_path, kill_on_exit):
    db = tmp_path / "new" / "chipwatch.db"
    go = tmp_path / "go"
    procs = []
    for n in range(4):
        p = subprocess.Popen([sys.executable, "-c", CREATE_SCRIPT, str(db), str(go), str(n)], cwd=ROOT, env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        kill_on_exit(p)
        procs.append(p)
    time.sleep(1.5)  # let every process import and wait at the start line
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "ok", err[-3000:]
    n, hashes, n_ids = stored(db)
    assert n == n_ids == len(hashes) == 4
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchall() != []
    assert conn.execute("SELECT COUNT(*) FROM meta WHERE key='schema_version'").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
