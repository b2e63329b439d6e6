"""Encoding detection: BOMs, UTF-8, UTF-16 without BOM, CP949/EUC-KR vs GB18030, damage, binary."""
import codecs
from pathlib import Path

import pytest

from chipwatch.loading import encoding, load_bytes, load_file, publishers
from chipwatch.loading.encoding import NotTextError, decode, decode_detailed
from chipwatch.models import Article, LoadError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "loading"
PORTAL_TEXT = (FIX / "portal_ko.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def fixture_publishers():
    publishers.use_table(FIX / "publishers.csv")
    yield
    publishers.use_table(None)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("portal_ko.txt", "utf-8"),
        ("portal_ko_cp949.txt", "cp949"),  # holds 쌰, outside KS X 1001
        ("portal_ko_euckr.txt", "euc-kr"),  # the same syllable as an 8-byte jamo sequence
        ("ko_agency_utf16le.txt", "utf-16-le"),  # no BOM: found by NUL-byte pattern
        ("wire_en_utf16be.txt", "utf-16-be"),
        ("records_utf16.jsonl", "utf-16-le"),  # BOM
        ("records_semicolon.csv", "utf-8-sig"),
        ("zh_gb18030.txt", "gb18030"),
    ],
)
def test_fixture_encodings(name, expected):
    text, enc = decode((FIX / name).read_bytes())
    assert enc == expected
    assert "\ufffd" not in text and not text.startswith("\ufeff")


def test_portal_copies_decode_to_the_same_text():
    for name in ("portal_ko_cp949.txt", "portal_ko_euckr.txt"):
        assert decode((FIX / name).read_bytes())[0] == PORTAL_TEXT


def test_portal_copies_load_identically():
    loaded = [list(load_file(FIX / n))[0] for n in ("portal_ko.txt", "portal_ko_cp949.txt", "portal_ko_euckr.txt")]
    assert all(isinstance(a, Article) for a in loaded)
    assert len({(a.title, a.body, a.published, a.publisher, a.content_hash) for a in loaded}) == 1
    assert all(a.flags == [] for a in loaded)


def test_invalid_bytes_in_utf8_are_replaced_and_flagged():
    clean = list(load_file(FIX / "ko_agency.txt"))[0]
    (bad,) = load_file(FIX / "ko_agency_badbytes.txt")
    assert bad.title == clean.title and bad.published == clean.published == "2025-11-03"
    assert "산업부 \ufffd관\ufffd계자는" in bad.body
    assert bad.flags == ["encoding_replaced:utf-8"]
    d = decode_detailed((FIX / "ko_agency_badbytes.txt").read_bytes())
    assert d.encoding == "utf-8" and d.flags == ("encoding_replaced:utf-8",)


def test_utf16_without_bom_loads_like_utf8():
    a = list(load_file(FIX / "ko_agency_utf16le.txt"))[0]
    b = list(load_file(FIX / "ko_agency.txt"))[0]
    assert (a.title, a.body, a.content_hash) == (b.title, b.body, b.content_hash)


@pytest.mark.parametrize(
    "text",
    ["商务部新闻发言人5日表示，美方不断泛化国家安全概念。", "芯片出口", "英伟达 H20 芯片", "中国"],
)
def test_chinese_gb18030_is_not_read_as_korean(text):
    assert decode(text.encode("gb18030")) == (text, "gb18030")


@pytest.mark.parametrize(
    "text, enc",
    [("산업부 관계자는 말했다", "euc-kr"), ("美 상무부, 엔비디아 H20 수출 허가", "euc-kr"),
     ("韓美 정상회담", "euc-kr"), ("똠얌꿍 가게", "cp949")],
)
def test_korean_legacy_encodings(text, enc):
    assert decode(text.encode("cp949")) == (text, enc)


def test_bom_variants():
    assert decode(codecs.BOM_UTF8 + "한국".encode()) == ("한국", "utf-8-sig")
    assert decode(codecs.BOM_UTF16_LE + "한국 H20".encode("utf-16-le")) == ("한국 H20", "utf-16-le")
    assert decode(codecs.BOM_UTF16_BE + "한국 H20".encode("utf-16-be")) == ("한국 H20", "utf-16-be")


def test_single_byte_fallback_is_flagged():
    d = decode_detailed("Café Müller résumé".encode("cp1252"))
    assert d == ("Café Müller résumé", "cp1252", ("encoding_guessed:cp1252",))
    (a,) = load_bytes("Headline here\n\nCafé owners in Zürich said the chips were sold.".encode("latin-1"), "w.txt")
    assert a.flags[0] == "encoding_guessed:cp1252"


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n%\xe2\xe3", b"PK\x03\x04\x14\x00", bytes(range(256)),
     b"text\x00with NUL bytes\x00 scattered\x01\x02"],
)
def test_binary_content(data):
    with pytest.raises(NotTextError):
        decode(data)
    for ext in (".txt", ".json", ".jsonl", ".csv", ".html"):
        assert list(load_bytes(data, "upload" + ext)) == [LoadError("upload" + ext, "not a text file (binary content)")]


def test_empty_files():
    assert list(load_file(FIX / "empty.txt")) == [LoadError(str(FIX / "empty.txt"), "file is empty")]
    for ext in (".txt", ".json", ".jsonl", ".csv", ".html"):
        assert list(load_bytes(b"", "e" + ext)) == [LoadError("e" + ext, "file is empty")]
        assert list(load_bytes(b" \n\t\n", "w" + ext)) == [LoadError("w" + ext, "file is empty")]


def test_streamed_head_cut_inside_a_character(monkeypatch):
    # The encoding of streamed files is chosen from a head of the file; a head that ends
    # in the middle of a multi-byte character must not make UTF-8 look invalid.
    monkeypatch.setattr(encoding, "HEAD_BYTES", 50)
    line = '{"title": "한국어 제목", "body": "반도체 수출 통제에 관한 본문입니다."}\n'
    items = list(load_bytes(line.encode() * 5, "s.jsonl"))
    assert [a.title for a in items] == ["한국어 제목"] * 5
    assert all(a.flags == ["date_missing"] for a in items)


def test_the_control_character_class_is_exactly_is_control():
    """check_text counts control characters with one regex: the same set as the per-character rule."""
    from chipwatch.loading.encoding import _CONTROLS, _is_control

    every = "".join(chr(o) for o in range(0x3000) if not 0xD800 <= o <= 0xDFFF)
    assert set(_CONTROLS.findall(every)) == {ch for ch in every if _is_control(ch)}
