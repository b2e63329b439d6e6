"""iter_files / load_file / load_bytes: listing, streaming, and no exception ever escaping."""
import inspect
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipwatch.loading import EXTENSIONS, iter_files, load_bytes, load_file, publishers
from chipwatch.models import Article, LoadError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "loading"


@pytest.fixture(autouse=True)
def fixture_publishers():
    publishers.use_table(FIX / "publishers.csv")
    yield
    publishers.use_table(None)


def test_iter_files_walks_sorted_and_skips_hidden(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ("b/z.JSONL", "b/a.html", "a.txt", "c.csv", "d.htm", "e.json", "notes.md", ".hidden.txt",
                ".git/x.json", "img.png"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path)]
    assert found == ["a.txt", "b/a.html", "b/z.JSONL", "c.csv", "d.htm", "e.json"]
    assert inspect.isgenerator(iter_files(tmp_path))


def test_iter_files_accepts_files_lists_and_strings(tmp_path):
    f = tmp_path / "one.txt"
    f.write_text("x", encoding="utf-8")
    assert list(iter_files(str(f))) == [f]
    assert list(iter_files([f, tmp_path])) == [f]  # the same file once
    # named explicitly: kept, so load_file can say what is wrong with it
    assert list(iter_files(tmp_path / "missing.txt")) == [tmp_path / "missing.txt"]


def test_load_file_problems(tmp_path):
    assert list(load_file(tmp_path / "missing.json")) == [LoadError(str(tmp_path / "missing.json"), "file not found")]
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert list(load_file(folder))[0].error.startswith("is a folder")
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert list(load_file(pdf)) == [LoadError(str(pdf), "unsupported file type '.pdf' (expected .json, .jsonl, "
                                                         ".csv, .html, .htm, .txt)")]


def test_load_file_streams_jsonl(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"id": "first", "title": "t", "body": "b"}\n')
        for i in range(20000):
            fh.write('{"title": "filler", "body": "more text"}\n')
    items = load_file(path)
    assert inspect.isgenerator(items)
    first = next(items)
    assert first.id == "first" and first.source == f"{path}:1"
    items.close()


def test_load_bytes_uses_name_only_for_extension_and_messages(tmp_path):
    name = str(tmp_path / "never-created" / "upload.jsonl")
    (a,) = load_bytes(b'{"title": "t", "body": "b"}', name)
    assert a.source == f"{name}:1"
    assert not (tmp_path / "never-created").exists()


def test_whole_fixture_folder_loads_without_internal_errors():
    items = [item for f in iter_files(FIX) for item in load_file(f)]
    assert len([i for i in items if isinstance(i, Article)]) >= 30
    assert not [i for i in items if isinstance(i, LoadError) and "internal error" in i.error]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), ext=st.sampled_from(EXTENSIONS))
def test_random_bytes_never_raise(data, ext):
    items = list(load_bytes(data, "fuzz" + ext))
    assert items, "every file yields at least one Article or LoadError"
    for item in items:
        assert isinstance(item, (Article, LoadError))
        if isinstance(item, LoadError):
            assert "internal error" not in item.error, item.error


_markupish = st.lists(
    st.sampled_from(["<p>", "</p>", "<div class='article-body'>", "</div>", "<br>", "<figure>", "<figcaption>",
                     "관련기사", "Copyright ©", "작성일 04-16", "<script>", "</script>", "{", "}", "[", "]", '"',
                     ",", ";", "\n", "\n\n", "title", "body", "Nvidia H20", "엔비디아", "2025-02-30", "<a href=x>",
                     "</a>", "(서울=연합뉴스)", "WASHINGTON, Aug 11 (Reuters) - ", "\t", "<!--", "-->", "&amp;"]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_markupish, ext=st.sampled_from(EXTENSIONS), enc=st.sampled_from(["utf-8", "cp949", "utf-16"]))
def test_markup_like_text_never_raises(text, ext, enc):
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    for item in load_bytes(data, "fuzz" + ext):
        assert isinstance(item, (Article, LoadError))
        if isinstance(item, LoadError):
            assert "internal error" not in item.error, item.error
