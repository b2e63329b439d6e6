"""Every page on the hostile store (tests/ui/hostile_support.py) under AppTest: no exception, article text in
Markdown-rendering elements only backslash-escaped, article text itself in st.text / st.dataframe; uploads
over the size limit are refused with a clear message, and upload names are base names, never paths."""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import hostile_support as H
from chipwatch import ingest_preview as ingest
from chipwatch_ui.pages import PAGES
from chipwatch_ui.text import escape_markdown
from ui_support import ROOT

APP = str(ROOT / "app.py")
TIMEOUT = 90
# A hostile payload that acts when Streamlit renders Markdown: the first character is NOT backslash-escaped.
UNESCAPED = [re.compile(r"(?<!\\)" + re.escape(p)) for p in
             ("<img", "<script", "<b>Wire", "](javascript", "**bold", ":red[", "$x$", ":material/", "=cmd|",
              "# heading", "[click]")]


def open_page(script: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, values in (query or {}).items():
        at.query_params[key] = values
    at.run()
    if script != "app.py":
        at.switch_page(script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_values(at: AppTest) -> list[str]:
    """Everything Streamlit renders as Markdown: markdown, captions, headings, alerts, labels."""
    out = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info,
                             *at.warning, *at.error, *at.success)]
    out += [e.label for e in (*at.expander, *at.tabs, *at.button, *at.text_input, *at.multiselect,
                              *at.selectbox, *at.toggle, *at.radio, *at.metric)]
    return [str(v) for v in out if v is not None]


def unescaped(values: list[str]) -> list[str]:
    return [f"{pattern.pattern!r} in {v[:120]!r}" for v in values for pattern in UNESCAPED if pattern.search(v)]


def unbackslash(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def frames_with(at: AppTest, *columns: str):
    return [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]


# -- every page ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("script", [p.script for p in PAGES])
def test_every_page_renders_the_hostile_store_with_markdown_escaped(hostile_store, use_db, script):
    use_db(hostile_store)
    at = open_page(script)
    assert any("5 articles in the store" in c.value for c in at.sidebar.caption)
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))


@pytest.mark.parametrize("script", [p.script for p in PAGES])
def test_hostile_filter_values_in_the_url_are_escaped(hostile_store, use_db, script):
    """A known hostile publisher filters; an unknown hostile value is reported as ignored, escaped."""
    use_db(hostile_store)
    bogus = f"{H.IMG} {H.MD_LINK} :red[x] $x$"
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["publisher"] = [H.PUB_IMG, bogus]
    run(at)  # the first run reads the URL (then the frame rewrites it with the known values only)
    assert escape_markdown(f"Not in the data, ignored: publisher={bogus}") in [c.value for c in at.sidebar.caption]
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))
    if script != "app.py":
        at.switch_page(script)
        run(at)
    assert any("1 of 5 articles match" in c.value for c in at.sidebar.caption)
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))


# -- Articles: the hostile article opened ---------------------------------------------------------------

def select(at: AppTest, df_index: int, row: int) -> AppTest:
    at.session_state[at.dataframe[df_index].key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    return run(at)


@pytest.mark.parametrize("article_id", [H.EN_ID, H.KO_ID, H.ZH_ID, H.MINUS_ID, H.TAB_ID])
def test_the_articles_page_shows_a_hostile_article_as_text(hostile_store, use_db, article_id):
    use_db(hostile_store)
    at = open_page("pages/4_Articles.py")
    ids = list(at.dataframe[0].value["id"])
    select(at, 0, ids.index(article_id))
    article = next(a for a, _ in H.hostile_items() if a.id == article_id)
    # The title and the body through st.text, character for character (st.text trims the ends: the tab
    # before "=SUM(" in one title).
    assert article.title.strip() in texts(at)
    assert article.body.strip() in texts(at)
    meta = frames_with(at, "source", "url")[0]
    assert meta.loc[0, "publisher"] == article.publisher  # a table cell: plain text
    if not article.url.startswith(("http://", "https://")):
        assert meta["url"].isna().all()  # javascript:/data: URLs are never links
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))


def test_the_hostile_quotes_stances_and_claims_are_table_cells(hostile_store, use_db):
    use_db(hostile_store)
    at = open_page("pages/4_Articles.py")
    ids = list(at.dataframe[0].value["id"])
    select(at, 0, ids.index(H.EN_ID))
    quotes = frames_with(at, "speaker", "kind", "text")[0]
    assert H.EN_QUOTE_TRUMP in list(quotes["text"]) and H.EN_QUOTE_ANON in list(quotes["text"])
    assert any(H.PUB_IMG in str(name) for name in quotes["speaker"])  # "Anonymous source (<publisher>)"
    claims = frames_with(at, "chip", "side", "evidence")[0]
    assert list(claims["evidence"]) == [H.EN_EVIDENCE]
    stances = frames_with(at, "holder", "reported_by", "evidence")[0]
    assert any(H.PUB_CMD in str(name) for name in stances["reported_by"])


# -- Stakeholder stances: the quote table and a selected quote -------------------------------------------

def test_the_quote_table_and_a_selected_hostile_quote(hostile_store, use_db):
    use_db(hostile_store)
    at = open_page("pages/3_Stakeholder_stances.py")
    table_index = next(i for i, d in enumerate(at.dataframe) if "Quote" in d.value.columns)
    table = at.dataframe[table_index].value
    assert H.EN_QUOTE_ANON in list(table["Quote"])
    assert H.PUB_IMG in list(table["Publisher"]) and H.EN_TITLE in list(table["Article"])
    row = list(table["Quote"]).index(H.EN_QUOTE_ANON)
    select(at, table_index, row)
    assert H.EN_QUOTE_ANON in texts(at)  # the whole quote through st.text
    chosen = table.iloc[row]
    caption = next(c.value for c in at.caption if H.ANON_NAME in unbackslash(c.value))
    assert caption.startswith(escape_markdown(H.ANON_NAME))  # the stakeholder and the title, escaped
    assert escape_markdown(str(chosen["Article"])) in caption
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))


# -- Export status: the evidence table ---------------------------------------------------------------------

def test_the_evidence_table_holds_the_hostile_evidence_as_cells(hostile_store, use_db):
    use_db(hostile_store)
    at = open_page("pages/2_Export_status.py")
    evidence = frames_with(at, "Evidence", "Source link", "Article")[0]
    assert H.EN_EVIDENCE in list(evidence["Evidence"])
    assert H.EN_TITLE in list(evidence["Article"])
    links = [u for u in evidence["Source link"] if isinstance(u, str)]
    assert links and all(u.startswith(("http://", "https://")) for u in links)  # no javascript: link


# -- Overview: the status changes table and a selected change -----------------------------------------------

def test_the_overview_status_change_shows_its_evidence_as_text(hostile_store, use_db):
    use_db(hostile_store)
    at = open_page("app.py")
    index = next(i for i, d in enumerate(at.dataframe) if "evidence" in d.value.columns and "route" in d.value.columns)
    changes = at.dataframe[index].value
    row = list(changes["evidence"]).index(H.EN_EVIDENCE)
    select(at, index, row)
    assert H.EN_EVIDENCE in texts(at)
    assert f"From the article: {H.EN_TITLE}" in texts(at)
    assert not unescaped(markdown_values(at)), unescaped(markdown_values(at))


# -- Load articles: the limit and the names -------------------------------------------------------------

GOOD_JSON = (b'[{"id": "up-1", "title": "US weighs H200 licences for China", "body": "The US Commerce Department is '
             b'reviewing licences for Nvidia H200 exports to China, officials said.", "published": "2026-02-02", '
             b'"publisher": "Reuters", "language": "en"}]')
GOOD_CSV = ("id,title,body,published,publisher,language\r\n"
            "up-2,Beijing asks firms to buy domestic chips,\"China told ByteDance to favour Huawei Ascend chips over "
            "the Nvidia H20, people familiar said.\",2026-02-03,Xinhua,en\r\n").encode()


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def sources(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT source FROM articles ORDER BY source")]


@pytest.fixture
def store_copy(hostile_store, tmp_path) -> Path:
    db = tmp_path / "copy.db"
    shutil.copyfile(hostile_store, db)
    return db


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
    return run(at)


def test_the_load_page_states_its_limit(hostile_store, use_db):
    use_db(hostile_store)
    at = open_page("pages/5_Load_articles.py")
    uploader = at.file_uploader[0]
    assert uploader.proto.max_upload_size_mb == ingest.MAX_UPLOAD_MB
    assert f"up to {ingest.MAX_UPLOAD_MB} MB each" in uploader.label
    assert any(f"at most {ingest.MAX_UPLOAD_MB} MB per file" in c.value for c in at.caption)


def test_an_upload_over_the_limit_gets_a_clear_message_and_adds_nothing(store_copy, use_db):
    use_db(store_copy)
    before = count(store_copy)
    big = b"[" + b" " * (ingest.MAX_UPLOAD_MB * 1024 * 1024) + b"]"
    at = upload(open_page("pages/5_Load_articles.py"), ("../../big.json", big))
    errors = [unbackslash(e.value) for e in at.error]
    assert errors == [f"big.json is {len(big) / 1024 / 1024:.1f} MB, over the limit of {ingest.MAX_UPLOAD_MB} MB "
                      "per file: it was not read and nothing from it will be added."]
    assert not [b for b in at.button if b.key == "load_add"]  # nothing to add
    assert not at.expander  # not previewed
    assert count(store_copy) == before


def test_a_big_file_is_refused_while_the_others_go_in(store_copy, use_db):
    use_db(store_copy)
    before = count(store_copy)
    big = b"x" * (ingest.MAX_UPLOAD_MB * 1024 * 1024 + 1)
    at = upload(open_page("pages/5_Load_articles.py"), ("big.jsonl", big), ("good.json", GOOD_JSON))
    assert len(at.error) == 1 and "big.jsonl" in unbackslash(at.error[0].value)
    assert [unbackslash(e.label).split(" — ")[0] for e in at.expander] == ["good.json"]
    at.button(key="load_add").click()
    run(at)
    assert count(store_copy) == before + 1


class OpenRecorder:
    """Every file the interpreter opens or creates while active (sys.addaudithook cannot be removed,
    so the hook stays installed but records only between start() and stop())."""

    installed = False
    active: "OpenRecorder | None" = None

    def __init__(self):
        self.events: list[tuple[str, str]] = []  # (event, path); "open-w" for an open that may write

    @classmethod
    def _hook(cls, event, args):
        rec = cls.active
        if rec is None or not args:
            return
        if event == "open":
            mode, flags = (args[1] if len(args) > 1 else None), (args[2] if len(args) > 2 else 0)
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or \
                bool(isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            rec.events.append(("open-w" if writes else "open", str(args[0])))
        elif event in ("os.mkdir", "os.rename", "os.replace", "os.symlink", "os.link", "shutil.copyfile",
                       "shutil.move", "os.remove"):
            rec.events.append((event, str(args[0])))

    def __enter__(self):
        if not OpenRecorder.installed:
            sys.addaudithook(OpenRecorder._hook)
            OpenRecorder.installed = True
        OpenRecorder.active = self
        return self

    def __exit__(self, *exc):
        OpenRecorder.active = None


def tree(root: Path) -> set[str]:
    skip = {".venv", ".git", "__pycache__", ".pytest_cache", "node_modules"}
    out = set()
    for p in root.rglob("*"):
        if not skip & set(p.relative_to(root).parts):
            out.add(p.relative_to(root).as_posix())
    return out


def test_upload_names_are_base_names_and_never_touch_the_filesystem(store_copy, use_db, tmp_path, monkeypatch):
    use_db(store_copy)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)  # a relative path built from a name would land here
    before_repo, before_tmp = tree(ROOT), set(Path(tempfile.gettempdir()).iterdir())
    names = ("../../etc/passwd.json", "C:\\x\\y.csv")
    with OpenRecorder() as rec:
        at = upload(open_page("pages/5_Load_articles.py"), (names[0], GOOD_JSON), (names[1], GOOD_CSV))
        labels = [unbackslash(e.label) for e in at.expander]
        assert [label.split(" — ")[0] for label in labels] == ["passwd.json", "y.csv"]
        previews = frames_with(at, "title", "state", "source")
        assert [list(p["source"]) for p in previews] == [["passwd.json#1"], ["y.csv:2"]]
        at.button(key="load_add").click()
        run(at)
    results = frames_with(at, "file", "added", "duplicates")[0]
    assert list(results["file"]) == ["passwd.json", "y.csv"] and list(results["added"]) == [1, 1]
    assert [s for s in sources(store_copy) if not s.startswith("hostile.json")] == ["passwd.json#1", "y.csv:2"]
    shown = " ".join(markdown_values(at) + texts(at))
    assert "../" not in shown and "C:" not in unbackslash(shown) and "etc/passwd" not in shown
    # Nothing was opened or created under an upload's name, anywhere (the recorder works: the page scripts
    # themselves were opened).
    assert any(p.endswith("5_Load_articles.py") for _, p in rec.events)
    touched = [(e, p) for e, p in rec.events if re.search(r"passwd|y\.csv|[/\\]x[/\\]|^C:", p)]
    assert not touched, touched
    # Nothing created, moved or removed outside the temporary directory (the store copy lives there).
    temp = str(Path(tempfile.gettempdir()).resolve())
    written = [(e, p) for e, p in rec.events if e != "open" and not str(Path(p).resolve()).startswith(temp)]
    assert not written, written

    assert not list(cwd.iterdir())
    assert tree(ROOT) == before_repo
    new_tmp = set(Path(tempfile.gettempdir()).iterdir()) - before_tmp
    assert not [p for p in new_tmp if re.search(r"passwd|y\.csv", p.name)]
    assert not Path("/etc/passwd.json").exists() and not (ROOT.parent / "etc").exists()
