"""The Articles page under AppTest: search, row selection, the article's view, literal text only."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from chipwatch import overview_view as view
from chipwatch.frames import Filters, apply_filters
from chipwatch.models import Article
from chipwatch.store import Store
from ui_support import ROOT, open_via_app

PAGE = "pages/4_Articles.py"
TIMEOUT = 60
HOSTILE_TITLE = "Chip curbs <img src=x onerror=alert(1)> **bold** [x](javascript:alert(1))"
HOSTILE_BODY = ("The US Commerce Department said Nvidia may ship H200 chips to China. "
                "<img src=x onerror=alert(1)> and [x](javascript:alert(1)) :red[alarm] <script>alert(2)</script>")


def articles_page(query: dict | None = None) -> AppTest:
    return open_via_app(PAGE, query, timeout=TIMEOUT)


def table(at: AppTest):
    return at.dataframe[0]


def ids(at: AppTest) -> list[str]:
    return list(table(at).value["id"])


def search(at: AppTest, text: str) -> AppTest:
    at.text_input(key="art_search").set_value(text).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def select_row(at: AppTest, row: int) -> AppTest:
    """Simulate a click on a row's selection box (the table's key follows its rows)."""
    at.session_state[table(at).key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def select_article(at: AppTest, article_id: str) -> AppTest:
    return select_row(at, ids(at).index(article_id))


def frame_with(at: AppTest, *columns: str):
    """The first table holding these columns (tables without a selection carry no key in AppTest)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def markdown_like(at: AppTest) -> str:
    """Everything drawn through Markdown (markdown, captions, headings, alerts, expander labels)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.value for h in at.title] + [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [a.value for a in at.info] + [a.value for a in at.warning] + [a.value for a in at.error]
    parts += [a.value for a in at.success]
    return "\n".join(parts)


@pytest.fixture
def hostile_db(corpus_db, tmp_path):
    """A COPY of the corpus store plus one article whose title and body hold markup."""
    db = tmp_path / "hostile.db"
    shutil.copyfile(corpus_db, db)
    with Store(db) as store:
        store.ingest_file("hostile.json", items=[Article(
            id="hostile-1", source="hostile.json#1", title=HOSTILE_TITLE, body=HOSTILE_BODY,
            url="javascript:alert(3)", published="2026-03-01", publisher="Test <b>Wire</b>", language="en",
            content_hash=hashlib.sha256((HOSTILE_TITLE + HOSTILE_BODY).encode()).hexdigest())])
    return db


# -- the table and its search ---------------------------------------------------------------------

def test_the_table_lists_every_filtered_article_newest_first(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    df = table(at).value
    assert set(df["id"]) == set(corpus_frames.articles["id"])
    published = df["published"].dropna().tolist()
    assert published == sorted(published, reverse=True)
    assert set(df["language"]) <= {"Korean", "English", "Chinese", "Japanese", "Other"}  # words, not codes
    assert {"entities", "quotes", "claims"} <= set(df.columns)
    assert any("Select a row" in i.value for i in at.info)


def stored(db) -> pd.DataFrame:
    """Every stored article with its text, straight from SQLite: the reference the page's
    store-side search must agree with (view.search_articles is the same rule, in memory)."""
    conn = sqlite3.connect(db)
    try:
        return pd.read_sql_query("SELECT id, title, body, publisher, language FROM articles", conn)
    finally:
        conn.close()


def test_search_narrows_case_insensitively(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    expected = list(view.search_articles(stored(corpus_db), "customs")["id"])
    search(at, "customs")
    assert set(ids(at)) == set(expected)
    assert 0 < len(expected) < len(corpus_frames.articles)
    search(at, "CUSTOMS")
    assert set(ids(at)) == set(expected)
    search(at, "customs h200")
    narrower = set(ids(at))
    assert narrower and narrower <= set(expected)
    assert any(f"{len(narrower)} of {len(corpus_frames.articles)} articles match" in c.value for c in at.caption)


def test_search_covers_publishers_and_non_latin_text(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    search(at, "yonhap")
    assert set(ids(at)) == set(corpus_frames.articles.loc[corpus_frames.articles["publisher"] == "Yonhap", "id"]) \
        | set(view.search_articles(stored(corpus_db), "yonhap")["id"])
    search(at, "엔비디아")
    assert ids(at) and set(ids(at)) == set(view.search_articles(stored(corpus_db), "엔비디아")["id"])


def test_search_and_the_shared_filters_combine(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page({"language": ["en"]})
    search(at, "h200")
    english = stored(corpus_db).query("language == 'en'")
    assert set(ids(at)) == set(view.search_articles(english, "h200")["id"])
    assert set(ids(at)) <= set(apply_filters(corpus_frames, Filters(languages=("en",))).articles["id"])
    assert all(lang == "English" for lang in table(at).value["language"])


def test_a_search_that_matches_nothing_says_so(corpus_db, use_db):
    use_db(corpus_db)
    at = search(articles_page(), "zzzz-no-such-word")
    assert ids(at) == []
    assert any("No article matches the search" in i.value for i in at.info)


# -- the article's view ---------------------------------------------------------------------------

def test_selecting_a_row_opens_the_article(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    article_id = "a-4f464549deafe873" if "a-4f464549deafe873" in ids(at) else ids(at)[0]
    select_article(at, article_id)
    art = corpus_frames.articles.set_index("id").loc[article_id]
    assert art["title"] in texts(at)
    body = stored(corpus_db).set_index("id").loc[article_id, "body"]
    assert body in texts(at)  # the body as plain text
    meta = frame_with(at, "source", "url")
    assert meta.loc[0, "publisher"] == art["publisher"]
    assert meta.loc[0, "language"] == view.language_name(art["language"])
    assert meta.loc[0, "source"] == art["source"]
    tabs = [t.label for t in at.tabs]
    assert tabs[0] == "Text" and tabs[1].startswith("Entities (")
    conn = sqlite3.connect(corpus_db)
    m = pd.read_sql_query("SELECT type, entity_id FROM mentions WHERE article_id=?", conn, params=(article_id,))
    conn.close()
    entities = frame_with(at, "entity", "mentions")
    assert len(entities) == len(m.drop_duplicates(["type", "entity_id"]))
    assert set(entities["type"]) <= set(view.ENTITY_TYPE_LABELS.values())
    assert entities["mentions"].sum() == len(m)
    if (m["type"] == "country").any():
        assert "CHN" not in set(entities["entity"])


def test_quotes_stances_and_claims_of_the_selected_article(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    # an article with quotes, stances and status claims
    q, s, c = (set(df["article_id"]) for df in (corpus_frames.quotes, corpus_frames.stances, corpus_frames.claims))
    article_id = sorted(q & s & c)[0]
    select_article(at, article_id)
    quotes = frame_with(at, "speaker", "kind")
    assert list(quotes.columns) == ["speaker", "kind", "stance", "text"]
    assert len(quotes) == (corpus_frames.quotes["article_id"] == article_id).sum()
    assert set(quotes["kind"]) <= {"Direct", "Indirect"}
    stances = frame_with(at, "holder", "reported_by")
    assert list(stances.columns) == ["holder", "stance", "reported_by", "evidence"]
    claims = frame_with(at, "chip", "side", "evidence")
    assert list(claims.columns) == ["chip", "side", "actor", "destination", "status", "date", "evidence"]
    assert len(claims) == (corpus_frames.claims["article_id"] == article_id).sum()
    assert not ({"USA", "CHN"} & set(claims["actor"]) | {"USA", "CHN"} & set(claims["destination"]))
    tabs = [t.label for t in at.tabs]
    assert f"Quotes ({len(quotes)})" in tabs and f"Status claims ({len(claims)})" in tabs


def test_flags_are_shown_in_words(corpus_db, corpus_frames, use_db):
    use_db(corpus_db)
    at = articles_page()
    undated = corpus_frames.articles[corpus_frames.articles["flags"].str.contains("date_missing")]
    assert not undated.empty
    article_id = undated["id"].iloc[0]
    row = table(at).value.set_index("id").loc[article_id]
    assert "no date" in row["notes"]
    select_article(at, article_id)
    warnings = " ".join(w.value for w in at.warning)
    assert "No publication date" in warnings
    assert "date_missing" not in warnings


def test_markup_in_an_article_is_shown_literally_as_text(hostile_db, use_db):
    use_db(hostile_db)
    at = articles_page()
    search(at, "onerror")
    assert ids(at) == ["hostile-1"]
    assert table(at).value.loc[0, "title"] == HOSTILE_TITLE  # the table cell holds the raw string
    select_row(at, 0)
    assert HOSTILE_TITLE in texts(at)
    assert HOSTILE_BODY in texts(at)
    drawn = markdown_like(at)
    for needle in ("onerror", "javascript:", "<script", ":red[", "Test <b>"):
        assert needle not in drawn, needle
    meta = frame_with(at, "source", "url")
    assert meta.loc[0, "url"] is None or meta["url"].isna().all()  # a javascript: URL is never a link
    assert meta.loc[0, "publisher"] == "Test <b>Wire</b>"


def test_the_page_never_renders_article_content_as_markdown_or_html():
    source = (ROOT / PAGE).read_text(encoding="utf-8")
    assert "st.markdown" not in source and "st.write(" not in source and "unsafe_allow_html" not in source
    assert "st.html" not in source


def test_a_selection_survives_a_rerun_and_a_new_search_closes_it(corpus_db, use_db):
    use_db(corpus_db)
    at = articles_page()
    select_row(at, 0)
    title = table(at).value.loc[0, "title"]
    at.run()
    assert title in texts(at)
    search(at, "customs")  # other rows: the table gets a new key, so no other article opens by position
    assert not at.tabs
    assert any("Select a row" in i.value for i in at.info)


def test_an_empty_store(empty_db, use_db):
    use_db(empty_db)
    at = articles_page()
    assert ids(at) == []
    assert any("no articles yet" in i.value for i in at.info)
    search(at, "h200")
    assert ids(at) == []
