"""JSON / JSONL / CSV record files: good records load next to bad ones, errors name the spot."""
from pathlib import Path

import pytest

from chipwatch.loading import load_bytes, load_file, publishers
from chipwatch.models import Article, LoadError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "loading"


@pytest.fixture(autouse=True)
def fixture_publishers():
    publishers.use_table(FIX / "publishers.csv")
    yield
    publishers.use_table(None)


def load(name):
    return list(load_file(FIX / name))


def by_source(items):
    return {item.source.rsplit("/", 1)[-1]: item for item in items}


# -- JSONL ---------------------------------------------------------------------------

def test_jsonl_good_and_bad_lines():
    items = by_source(load("records_mixed.jsonl"))
    assert list(items) == [f"records_mixed.jsonl:{n}" for n in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)]
    errors = {k: v.error for k, v in items.items() if isinstance(v, LoadError)}
    assert errors == {
        "records_mixed.jsonl:3": "line 3: not valid JSON (Expecting ',' delimiter at column 39)",
        "records_mixed.jsonl:5": "line 5: field 'title' should be text, got a list",
        "records_mixed.jsonl:6": "line 6: body is empty",
        "records_mixed.jsonl:8": "line 8: no title and no body",
        "records_mixed.jsonl:11": "line 11: should be an object with article fields, got a list",
        "records_mixed.jsonl:12": "line 12: no article text (only a title)",
    }


def test_jsonl_good_record_fields():
    items = by_source(load("records_mixed.jsonl"))
    a = items["records_mixed.jsonl:1"]
    assert isinstance(a, Article)
    assert a.id == "jl-1"
    assert a.source == str(FIX / "records_mixed.jsonl") + ":1"
    assert a.title == "US weighs new rule for H200 sales to China"
    assert a.published == "2025-12-09"
    assert a.publisher == "Wirewatch"  # "Wirewatch News" normalised by the table
    assert a.language == "en"
    assert a.url == "https://wire.example/2025/12/09/h200-rule"
    assert a.flags == []

    ko = items["records_mixed.jsonl:2"]
    assert ko.published == "2025-12-10"  # "2025.12.10"
    assert ko.publisher == "Chosun Ilbo"  # 조선일보
    assert ko.language == "ko"
    assert ko.id.startswith("a-") and len(ko.id) == 18  # no id given: sha1 of the url


def test_jsonl_html_body_is_cleaned_and_caption_kept():
    a = by_source(load("records_mixed.jsonl"))["records_mixed.jsonl:7"]
    assert a.body == (
        "Shares of Cambricon rose 8% on Tuesday after the company said demand from domestic cloud "
        "providers was strong.\n\nAnalysts said local buyers were replacing imported accelerators."
    )
    assert a.captions == ["Cambricon's booth at an AI fair in Shanghai."]


def test_jsonl_synonyms_case_and_epoch():
    a = by_source(load("records_mixed.jsonl"))["records_mixed.jsonl:9"]
    assert a.title == "Huawei ramps up Ascend output"  # key "Title"
    assert a.body.startswith("Huawei plans to double output")  # key "text"
    assert a.published == "2025-12-14"  # epoch seconds 1765702860


def test_jsonl_date_flags():
    items = by_source(load("records_mixed.jsonl"))
    invalid = items["records_mixed.jsonl:10"]
    assert invalid.published is None and invalid.flags == ["date_invalid:2025-02-30"]
    future = items["records_mixed.jsonl:13"]
    assert future.published == "2099-01-05" and future.flags == ["date_future"]
    from_url = items["records_mixed.jsonl:14"]
    assert from_url.published == "2025-11-20" and from_url.flags == []
    missing = items["records_mixed.jsonl:15"]
    assert missing.published is None and missing.flags == ["date_missing"]


def test_jsonl_utf16_with_bom():
    items = load("records_utf16.jsonl")
    assert [a.id for a in items] == ["u-1", "u-2"]
    assert items[0].title == "중국, 엔비디아 칩 구매 자제 권고" and items[0].language == "ko"
    assert items[1].language == "en"


def test_blank_jsonl_is_empty():
    assert [e.error for e in load("blank.jsonl")] == ["file is empty"]


def test_jsonl_line_with_bad_bytes_is_flagged():
    data = (b'{"title": "ok", "body": "fine text here"}\n'
            + '{"title": "\ubc14\uc774\ud2b8", "body": "\ud55c\uad6d\uc5b4 \ubcf8\ubb38 \uc785\ub2c8\ub2e4"}\n'.encode() * 20
            + b'{"title": "damaged", "body": "bad \xff byte"}\n')
    items = list(load_bytes(data, "upload.jsonl"))
    assert len(items) == 22 and all(isinstance(a, Article) for a in items)
    assert items[-1].body == "bad \ufffd byte"
    assert items[-1].flags == ["encoding_replaced:utf-8", "date_missing"]
    assert items[0].flags == ["date_missing"]  # only the damaged line is flagged


# -- JSON ----------------------------------------------------------------------------

def test_json_array_with_bad_elements():
    items = load("records.json")
    src = str(FIX / "records.json")
    assert [i.source for i in items] == [f"{src}#1", f"{src}#2", f"{src}#3", f"{src}#4"]
    assert items[0].published == "2025-12-14" and items[0].publisher == "Reuters"
    assert items[1] == LoadError(f"{src}#2", "record 2: should be an object with article fields, got a number")
    assert items[2] == LoadError(f"{src}#3", "record 3: field 'body' should be text, got an object")
    zh = items[3]
    assert zh.id == "4"  # numeric id kept as text
    assert zh.published == "2025-12-14"  # 2025年12月14日
    assert zh.publisher == "Xinhua"
    assert zh.language == "zh"  # the text wins over the given "en", which is kept as a flag
    assert zh.flags == ["language_given:en"]


def test_json_wrapped_in_articles_key_with_synonyms():
    items = load("records_wrapped.json")
    assert [(a.id, a.title, a.published) for a in items] == [
        ("w-1", "Taiwan tightens checks on server exports", "2025-12-14"),
        ("w-2", "SK hynix to expand HBM line", "2025-12-13"),
    ]
    assert items[1].body == "SK hynix said it would add a new high-bandwidth memory line next year."


def test_json_single_object_publisher_from_url_domain():
    (a,) = load("single.json")
    assert a.source == str(FIX / "single.json")
    assert a.published == "2025-10-17"
    assert a.publisher == "Chosun Ilbo"  # chosun.com is an alias in the table


def test_json_broken_and_empty():
    # a list is read record by record: the break is in record 1, so nothing could be read
    assert load("broken.json") == [
        LoadError(str(FIX / "broken.json") + "#1",
                  "line 3: not valid JSON (Expecting ',' delimiter at column 3); no record could be read")]
    assert [e.error for e in load("empty_list.json")] == ["no articles in the file (empty list)"]
    assert [e.error for e in load_bytes(b'"a string"', "s.json")] == [
        "expected an object or a list of objects, got text"]


def test_json_pathological_input():
    (deep,) = load_bytes(b"[" * 100000 + b"]" * 100000, "deep.json")
    assert deep.source == "deep.json#1"
    assert deep.error.startswith("record 1: nested more than 64 levels deep (the limit is 64, CHIPWATCH_MAX_JSON_DEPTH)")
    assert [e.error for e in load_bytes(b'{"title": "t", "body": ' + b"1" * 5000 + b"}", "n.json")] == [
        "not valid JSON (a number is too long)"]
    assert [e.error for e in load_bytes(b'{"title": ' + b"9" * 5000 + b"}\n", "n.jsonl")] == [
        "line 1: not valid JSON (a number is too long)"]


def test_json_with_bom():
    (a,) = load_bytes(b'\xef\xbb\xbf{"title": "T", "body": "B text"}', "bom.json")
    assert (a.title, a.body) == ("T", "B text")


# -- CSV -----------------------------------------------------------------------------

def test_csv_semicolon_bom_quoted_newlines_and_line_numbers():
    items = load("records_semicolon.csv")
    src = str(FIX / "records_semicolon.csv")
    assert [i.source for i in items] == [f"{src}:{n}" for n in (2, 4, 5, 6, 7, 11)]
    first = items[0]
    assert first.id == "c-1"  # header "ID" behind a BOM
    assert first.title == "Nvidia; AMD resume China sales"
    assert first.body == ("Nvidia and AMD said they\nresumed some sales to China after receiving licences, "
                          'a "significant" step.')
    assert first.url == "https://example.com/a"
    assert items[1].publisher == "Chosun Ilbo" and items[1].language == "ko"
    assert items[1].url is None
    assert items[2].error == "line 5: has 8 cells but the header has 7 columns"
    assert items[3].error == "line 6: body is empty"
    assert items[4].body == "First paragraph.\n\nSecond paragraph after a blank line."
    last = items[5]
    assert last.title == "Last row"
    # 10/05/2025 could be October 5 or May 10: not guessed
    assert last.published is None and last.flags == ["date_invalid:10/05/2025"]


def test_csv_tab_crlf_synonyms_unknown_column():
    items = load("records_tab.csv")
    a = items[0]
    assert (a.id, a.title, a.published, a.publisher) == ("t-1", "Huawei unveils Ascend roadmap", "2025-09-18", "Reuters")
    assert a.body == "Huawei laid out a three-year plan for its Ascend AI chips."  # "notes" ignored
    assert items[1] == LoadError(str(FIX / "records_tab.csv") + ":3", "line 3: body is empty")


def test_csv_header_problems():
    assert [e.error for e in load("header_only.csv")] == ["no records (only a header row)"]
    (err,) = load("no_known_columns.csv")
    assert err.source == str(FIX / "no_known_columns.csv") + ":1"
    assert err.error.startswith("line 1: no 'body' or 'title' column in the header")


def test_csv_unclosed_quote():
    data = b'id,title,body\n1,"open quote,never closed\n2,b,c\n'
    (err,) = load_bytes(data, "u.csv")
    assert err == LoadError("u.csv:2", "line 2: has 2 cells but the header has 3 columns (an unclosed quote?)")


def test_csv_cp949_export():
    text = "id,title,body\nk-1,반도체 수출 허가,정부가 반도체 장비 수출을 허가했다고 밝혔다.\n"
    (a,) = load_bytes(text.encode("cp949"), "export.csv")
    assert a.title == "반도체 수출 허가" and a.language == "ko" and a.flags == ["date_missing"]


# -- ids and hashes ------------------------------------------------------------------

def test_same_article_twice_has_same_hash_and_id():
    one = list(load_bytes(b'{"title": "Same  Story", "body": "Body text\\n here."}', "a.json"))[0]
    two = list(load_bytes(b'title,body\n"same story","body   text here."\n', "b.csv"))[0]
    assert one.content_hash == two.content_hash
    assert one.id == two.id and one.id.startswith("a-") and len(one.id) == 18
