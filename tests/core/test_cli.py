"""The command line: ingest, extract --json, evaluate, usage errors and exit codes."""
import json
import subprocess
import sys

from chipwatch.cli import main
from chipwatch.paths import ARTICLES_DIR, REPO_ROOT

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "cli"


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


GOOD = ('{"id": "x1", "title": "US requires licence for Nvidia H20", "published": "2025-04-16", '
        '"publisher": "Reuters", "body": "The U.S. government told Nvidia on April 9 that exports of its H20 '
        'chip to China now require a licence."}')


def test_ingest_reports_each_file_and_is_idempotent(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    write(src / "good.jsonl", GOOD + "\n{not json\n")
    db = tmp_path / "s.db"
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "good.jsonl: 1 added, 0 duplicates, 1 rejected" in out
    assert "good.jsonl:2" in out  # the bad line is named
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    assert "0 added, 1 duplicates" in capsys.readouterr().out


def test_ingest_uses_the_environment_variable(tmp_path, monkeypatch, capsys):
    src = write(tmp_path / "a.jsonl", GOOD + "\n")
    db = tmp_path / "env.db"
    monkeypatch.setenv("CHIPWATCH_DB", str(db))
    assert main(["ingest", str(src)]) == 0
    assert db.exists()


def test_ingest_exit_codes(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "s.db")]) == 2
    bad = write(tmp_path / "bad.jsonl", "{nope\n[1,2\n")
    assert main(["ingest", str(bad), "--db", str(tmp_path / "s.db")]) == 1
    assert main(["frobnicate"]) == 2


def test_extract_json_has_the_documented_shape(tmp_path, capsys):
    src = write(tmp_path / "a.jsonl", GOOD + "\n")
    assert main(["extract", str(src), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"articles", "errors"}
    (a,) = doc["articles"]
    assert set(a) >= {"id", "source", "url", "title", "published", "publisher", "language", "body", "entities",
                      "quotes", "stances", "status_claims"}
    assert a["published"] == "2025-04-16"
    ents = {(e["type"], e["id"]) for e in a["entities"]}
    assert {("chip", "H20"), ("company", "Nvidia"), ("country", "CHN")} <= ents
    assert ("chip", "H200") not in ents
    claim = a["status_claims"][0]
    assert (claim["chip"], claim["side"], claim["actor"], claim["destination"], claim["status"]) == (
        "H20", "export", "USA", "CHN", "license_required")


def test_bundled_corpus_ingests_without_unexplained_rejections(tmp_path, capsys):
    db = tmp_path / "corpus.db"
    assert main(["ingest", str(ARTICLES_DIR), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert " rejected " not in out.replace(", 0 rejected", "")  # every file loaded cleanly
    from chipwatch.store import Store

    with Store(db) as store:
        assert store.count() >= 60
        langs = {r[0] for r in store.conn.execute("SELECT DISTINCT language FROM articles")}
        assert {"ko", "en", "zh"} <= langs


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "chipwatch", "--help"], capture_output=True, text=True,
                          cwd=REPO_ROOT)
    assert proc.returncode == 0
    assert "ingest" in proc.stdout and "evaluate" in proc.stdout


def test_stats_counts_the_store(tmp_path, capsys):
    db = tmp_path / "s.db"
    assert main(["stats", "--db", str(db), "--articles"]) == 0
    assert capsys.readouterr().out.strip() == "0"  # a missing store is empty, not an error
    src = write(tmp_path / "a.jsonl", GOOD + "\n")
    main(["ingest", str(src), "--db", str(db)])
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--articles"]) == 0
    assert capsys.readouterr().out.strip() == "1"
