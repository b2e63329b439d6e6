"""DataFrames over the store and the one Filters value applied everywhere."""
import hashlib
from datetime import date

import pandas as pd
import pytest

from chipwatch.frames import Filters, apply_filters, filter_status, load_frames, matching_article_ids
from chipwatch.models import Article
from chipwatch.store import Store


def art(aid, title, body, published, language="en", publisher="Reuters"):
    h = hashlib.sha256((title + body).encode()).hexdigest()
    return Article(id=aid, source=aid, title=title, body=body, published=published, language=language,
                   publisher=publisher, content_hash=h)


ARTICLES = [
    # Mentions the H200 chip but never the company by name: a company filter must still find it.
    art("chip-only", "H200 shipments weighed", "Buyers in China are waiting for the H200 after the decision.",
        "2025-12-10"),
    art("amd", "AMD MI308 licence", "AMD said the MI308 needs a licence to be sold in China.", "2025-04-16"),
    art("ko", "화웨이 어센드 확대", "화웨이가 어센드 칩 생산을 늘린다고 밝혔다.", "2025-09-18", language="ko",
        publisher="Yonhap"),
]


@pytest.fixture
def frames(db_path):
    with Store(db_path) as store:
        store.ingest_file("fixture", items=ARTICLES)
    return load_frames(db_path)


def test_frames_have_the_documented_columns(frames):
    assert set(frames.articles["id"]) == {"chip-only", "amd", "ko"}
    assert pd.api.types.is_datetime64_any_dtype(frames.articles["published"])
    for col in ("article_id", "type", "entity_id"):
        assert col in frames.mentions.columns
    for col in ("origin", "date", "chip", "side", "actor", "destination", "status", "evidence", "source"):
        assert col in frames.status.columns
    assert {"curated"} <= set(frames.status["origin"])
    assert {"id", "vendor", "architecture", "tpp"} <= set(frames.chips.columns)


def test_company_filter_includes_articles_that_only_mention_its_chips(frames):
    ids = matching_article_ids(frames, Filters(companies=("Nvidia",)))
    assert "chip-only" in ids
    assert "amd" not in ids


def test_facets_combine_with_and(frames):
    f = Filters(countries=("CHN",), date_from=date(2025, 6, 1))
    assert list(matching_article_ids(frames, f)) == ["chip-only"]
    assert list(matching_article_ids(frames, Filters(languages=("ko",)))) == ["ko"]
    assert list(matching_article_ids(frames, Filters(publishers=("Yonhap",)))) == ["ko"]
    assert list(matching_article_ids(frames, Filters(date_to=date(2025, 4, 16)))) == ["amd"]


def test_apply_filters_narrows_every_frame(frames):
    narrowed = apply_filters(frames, Filters(companies=("AMD",)))
    assert list(narrowed.articles["id"]) == ["amd"]
    assert set(narrowed.mentions["article_id"]) == {"amd"}
    curated_chips = set(narrowed.status.loc[narrowed.status["origin"] == "curated", "chip"])
    assert curated_chips and all(frames.kb.chips.get(c, {}).get("vendor") == "AMD" for c in curated_chips)


def test_status_filter_by_chip_keeps_curated_timeline(frames):
    st = filter_status(frames, Filters(chips=("H200",)))
    assert set(st["chip"]) == {"H200"}
    assert (st["origin"] == "curated").any()


def test_missing_store_gives_empty_frames(tmp_path):
    frames = load_frames(tmp_path / "nothing.db")
    assert frames.empty
    assert not frames.status.empty  # the curated timeline is always there
    assert len(matching_article_ids(frames, Filters(chips=("H200",)))) == 0


def test_filters_describe_for_file_names():
    f = Filters(chips=("H200", "H20"), countries=("CHN",), date_from=date(2025, 1, 1))
    assert f.describe() == "chip-H200+H20_country-CHN_2025-01-01-end"
    assert Filters().describe() == "all"
    assert Filters().is_empty() and not f.is_empty()


def test_filtered_tables_are_cut_on_first_use_only(frames):
    narrowed = apply_filters(frames, Filters(companies=("AMD",)))
    assert "lazy" in repr(narrowed)
    assert list(narrowed.quotes["article_id"].astype(object)) == list(
        frames.quotes.loc[frames.quotes["article_id"] == "amd", "article_id"].astype(object))
    assert narrowed.quotes is narrowed.quotes  # made once, then kept


def test_an_empty_store_filters_to_the_curated_timeline(tmp_path):
    frames = load_frames(tmp_path / "nothing.db")
    narrowed = apply_filters(frames, Filters(chips=("H200",)))
    assert narrowed.articles.empty and set(narrowed.status["chip"]) == {"H200"}
    assert set(narrowed.status["origin"]) == {"curated"}


def _as_hand_made(frames):
    """The same frames with article ids as plain text and no article index (the generic path)."""
    plain = {name: getattr(frames, name).assign(article_id=getattr(frames, name)["article_id"].astype(object))
             for name in ("mentions", "quotes", "stances", "claims", "status")}
    return frames.replace(article_index=None, **plain)


@pytest.mark.parametrize("filters", [
    Filters(companies=("Nvidia",)), Filters(chips=("H200",)), Filters(countries=("CHN",)),
    Filters(languages=("ko",)), Filters(date_from=date(2025, 6, 1)), Filters(chips=("H200",), countries=("CHN",)),
    Filters(publishers=("Yonhap",)), Filters(chips=("no-such-chip",)),
], ids=lambda f: f.describe())
def test_the_indexed_path_selects_what_the_generic_path_selects(frames, filters):
    """Loaded frames select rows by categorical article codes; hand-made frames by id. Same rows."""
    assert frames.article_index is not None
    fast, slow = apply_filters(frames, filters), apply_filters(_as_hand_made(frames), filters)
    for name in ("articles", "mentions", "quotes", "stances", "claims", "status"):
        a, b = getattr(fast, name), getattr(slow, name)
        assert list(a.index) == list(b.index), name
        assert list(a["article_id" if name != "articles" else "id"].astype(object)) == \
            list(b["article_id" if name != "articles" else "id"].astype(object)), name
