"""The Load articles page under AppTest (st.file_uploader is supported by AppTest in Streamlit 1.67),
and its pure helpers (chipwatch.ingest_preview). Every test that writes uses a COPY of the corpus store."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from chipwatch import ingest_preview as ingest
from chipwatch.models import LoadError
from chipwatch.store import Store
from ui_support import ROOT, open_via_app

APP = str(ROOT / "app.py")
PAGE = "pages/5_Load_articles.py"
TIMEOUT = 90
FIXTURES = ROOT / "tests" / "fixtures" / "loading"

NEW_JSONL = (
    b'{"id": "up-1", "title": "US weighs H200 licences for China", "body": "The US Commerce Department is reviewing '
    b'licences for Nvidia H200 exports to China, officials said.", "published": "2026-02-02", "publisher": "Reuters",'
    b' "language": "en"}\n'
    b'{"id": "up-2", "title": "Beijing asks firms to buy domestic chips", "body": "China told ByteDance and Alibaba '
    b'to favour Huawei Ascend chips over the Nvidia H20, people familiar said.", "published": "2026-02-03"}\n'
    b'{"broken json\n'
    b'{"id": "up-3", "title": "", "body": ""}\n'
)


@pytest.fixture
def store_copy(corpus_db, tmp_path) -> Path:
    db = tmp_path / "copy.db"
    shutil.copyfile(corpus_db, db)
    return db


def load_page() -> AppTest:
    return open_via_app(PAGE, timeout=TIMEOUT)


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def add(at: AppTest) -> AppTest:
    at.button(key="load_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def frame_with(at: AppTest, *columns: str):
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


# -- the uploader ---------------------------------------------------------------------------------

def test_the_uploader_takes_several_article_files_with_a_stated_limit(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = load_page()
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    assert {t.lstrip(".") for t in uploader.allowed_type} == {"json", "jsonl", "csv", "html", "htm", "txt"}
    assert uploader.proto.max_upload_size_mb == ingest.MAX_UPLOAD_MB
    assert f"{ingest.MAX_UPLOAD_MB} MB" in uploader.label
    assert not [b for b in at.button if b.key == "load_add"]  # nothing to add yet
    # the store's articles are listed under the uploader
    assert len(at.dataframe[0].value) == len(corpus_frames.articles)


def test_a_preview_shows_what_each_file_holds_and_what_was_rejected(corpus_db, use_db):
    use_db(corpus_db)
    at = upload(load_page(), ("new.jsonl", NEW_JSONL), ("page_en.html", (FIXTURES / "page_en.html").read_bytes()))
    previews = frame_with(at, "title", "entities", "quotes", "claims")
    assert len(previews) == 2
    first = previews[0]
    assert list(first["title"]) == ["US weighs H200 licences for China", "Beijing asks firms to buy domestic chips"]
    assert list(first["publisher"])[0] == "Reuters"
    assert list(first["language"]) == ["English", "English"]
    assert first.loc[0, "entities"] >= 3 and first.loc[0, "state"] == "New"
    assert str(first.loc[0, "published"].date()) == "2026-02-02"
    rejected = frame_with(at, "source", "reason")[0]
    assert list(rejected["source"]) == ["new.jsonl:3", "new.jsonl:4"]  # file:line
    assert "not valid JSON" in rejected.loc[0, "reason"]
    labels = [e.label for e in at.expander]
    assert any("new" in label and "2 rejected" in label for label in labels)
    assert "3 new" in at.button(key="load_add").label
    assert count_files_note(at)


def count_files_note(at: AppTest) -> bool:
    return any("2 files: 3 articles (3 new), 2 rejected" in c.value for c in at.caption)


def test_articles_already_in_the_store_are_marked(corpus_db, use_db):
    use_db(corpus_db)
    data = (ROOT / "data" / "articles" / "records" / "records-2026.json").read_bytes()
    at = upload(load_page(), ("records-2026.json", data), ("again.json", data))
    first, second = frame_with(at, "title", "state")[:2]
    assert set(first["state"]) == {ingest.STATE_KNOWN}
    assert set(second["state"]) == {ingest.STATE_KNOWN}
    assert "Add to store" == at.button(key="load_add").label  # no new article


# -- adding ----------------------------------------------------------------------------------------

def test_adding_writes_each_file_and_every_page_sees_the_new_articles(store_copy, use_db):
    use_db(store_copy)
    before = count(store_copy)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    overview_before = next(m.value for m in at.metric if m.label == "Articles")
    assert overview_before == str(before)
    at.switch_page(PAGE).run()
    upload(at, ("new.jsonl", NEW_JSONL), ("broken.json", (FIXTURES / "broken.json").read_bytes()))
    add(at)
    assert count(store_copy) == before + 2
    results = frame_with(at, "file", "added", "duplicates", "rejected")[0]
    assert results.to_dict("records") == [
        {"file": "new.jsonl", "added": 2, "duplicates": 0, "renamed": 0, "rejected": 2},
        {"file": "broken.json", "added": 0, "duplicates": 0, "renamed": 0, "rejected": 1},
    ]
    assert any("2 articles added" in s.value for s in at.success)
    assert any(f"{before + 2} articles in the store" in c.value for c in at.sidebar.caption)
    assert not at.file_uploader[0].value  # the uploader was emptied
    # the same session, without a restart: the Overview counts them, the Articles page lists them
    at.switch_page("app.py").run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "Articles") == str(before + 2)
    at.switch_page("pages/4_Articles.py").run()
    assert {"up-1", "up-2"} <= set(at.dataframe[0].value["id"])


def test_adding_the_same_file_twice_counts_duplicates(store_copy, use_db):
    use_db(store_copy)
    at = load_page()
    add(upload(at, ("new.jsonl", NEW_JSONL)))
    before = count(store_copy)
    add(upload(at, ("new.jsonl", NEW_JSONL)))
    assert count(store_copy) == before
    results = frame_with(at, "file", "added", "duplicates")[0]
    assert results.loc[0, "added"] == 0 and results.loc[0, "duplicates"] == 2


def test_upload_names_are_labels_never_paths(store_copy, use_db, tmp_path, monkeypatch):
    use_db(store_copy)
    workdir = tmp_path / "work" / "here"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    at = load_page()
    add(upload(at, ("../../evil.jsonl", NEW_JSONL)))
    assert not any("evil" in p.name for p in tmp_path.rglob("*"))
    assert not any(workdir.iterdir())
    with sqlite3.connect(store_copy) as conn:
        sources = {r[0] for r in conn.execute("SELECT source FROM articles WHERE id LIKE 'up-%'")}
    assert sources == {"evil.jsonl:1", "evil.jsonl:2"}


def test_adding_to_an_empty_store(empty_db, tmp_path, use_db):
    db = tmp_path / "empty-copy.db"
    shutil.copyfile(empty_db, db)
    use_db(db)
    at = load_page()
    assert any("0 articles in the store" in c.value for c in at.sidebar.caption)
    add(upload(at, ("new.jsonl", NEW_JSONL)))
    assert count(db) == 2
    at.switch_page("app.py").run()
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "Articles") == "2"


def test_adding_creates_a_missing_store(tmp_path, use_db):
    db = tmp_path / "new-store.db"
    use_db(db)
    at = load_page()
    assert not db.exists()  # reading never creates it
    add(upload(at, ("new.jsonl", NEW_JSONL)))
    assert count(db) == 2


# -- pure helpers ------------------------------------------------------------------------------------

def test_upload_label_keeps_only_a_base_name():
    assert ingest.upload_label("../../etc/passwd.json") == "passwd.json"
    assert ingest.upload_label("C:\\Users\\x\\a.csv") == "a.csv"
    assert ingest.upload_label("a\x00b\n.txt") == "ab.txt"
    assert ingest.upload_label("..") == "upload"


def test_a_file_over_the_limit_is_rejected_with_the_reason():
    items = ingest.upload_items(b"x" * 2048, "big.jsonl", max_bytes=1024)
    assert len(items) == 1 and isinstance(items[0], LoadError)
    assert "limit" in items[0].error and items[0].source == "big.jsonl"


def test_preview_counts_extraction_and_marks_repeats(kb):
    seen: set = set()
    first = ingest.preview_upload(NEW_JSONL, "a.jsonl", kb, seen_hashes=seen)
    second = ingest.preview_upload(NEW_JSONL, "b.jsonl", kb, seen_hashes=seen)
    assert (first.n_articles, first.n_new, first.n_rejected) == (2, 2, 2)
    assert set(second.articles["state"]) == {ingest.STATE_REPEATED}
    assert list(first.articles.columns) == ingest.PREVIEW_COLUMNS
    assert first.articles.loc[0, "claims"] >= 0 and first.articles.loc[0, "entities"] >= 3
    assert first.summary() == "2 articles (2 new), 2 rejected"


def test_each_file_is_its_own_transaction(tmp_path, kb, monkeypatch):
    """A file whose extraction fails half-way leaves nothing behind; the other files still go in."""
    import chipwatch.store as store_mod

    real = store_mod.extract

    def flaky(article, kb=None):
        if "domestic chips" in article.title:
            raise RuntimeError("extractor bug")
        return real(article, kb)

    monkeypatch.setattr(store_mod, "extract", flaky)
    other = json.dumps({"id": "ok-1", "title": "Nvidia H20 sales resume", "body": "Nvidia will resume H20 sales "
                        "to China, the company said.", "published": "2025-07-15"}).encode()
    ticks = []
    with Store(tmp_path / "s.db", kb) as store:
        results = ingest.ingest_uploads(store, [("new.jsonl", NEW_JSONL), ("ok.json", other)],
                                        on_progress=lambda done, total, name: ticks.append((done, total, name)))
        ids = {r[0] for r in store.conn.execute("SELECT id FROM articles")}
    assert ids == {"ok-1"}  # up-1 was written before the failure but rolled back with its file
    assert results[0].added == 0 and "rolled back" in results[0].rejected[-1].error
    assert len(results[0].rejected) == 3  # the file's two bad lines, then why nothing was stored
    assert results[1].added == 1
    assert ticks[-1][0] <= ticks[-1][1] and ticks[-1][2] == "ok.json"
    rows = ingest.result_rows(results)
    assert list(rows.columns) == ingest.RESULT_COLUMNS and list(rows["file"]) == ["new.jsonl", "ok.json"]


def test_known_content_hashes_of_a_missing_store(tmp_path):
    assert ingest.known_content_hashes(tmp_path / "none.db") == set()
    assert ingest.known_content_hashes(None) == set()
