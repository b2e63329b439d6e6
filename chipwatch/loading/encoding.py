"""Bytes -> text: find the encoding of a file analysts saved from somewhere.

Order of evidence, strongest first:
  1. a byte-order mark (utf-8-sig, utf-16-le/be);
  2. strict UTF-8 (what almost every modern file is);
  3. UTF-16 without a BOM, recognised by NUL bytes on one side of each pair
     (ASCII spaces, digits and newlines encode as ``xx 00`` / ``00 xx``);
  4. UTF-8 with a few broken bytes: decoded with U+FFFD and flagged, because
     guessing a legacy encoding would garble the whole file instead;
  5. CP949 (a superset of EUC-KR) vs GB18030: both decode most CJK byte pairs,
     so each reading is scored by how plausible its characters are;
  6. cp1252 / latin-1, which never fail, flagged as a guess.

Binary content (images, archives, NUL bytes outside UTF-16, many control
characters) raises ``NotTextError`` so the loader can say so in plain words.
"""
from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO, NamedTuple, TextIO

# Flags put on articles so analysts can see that text may be damaged.
FLAG_REPLACED = "encoding_replaced"  # + ":<encoding>": undecodable bytes became U+FFFD
FLAG_GUESSED = "encoding_guessed"  # + ":<encoding>": no encoding fitted; a single-byte guess

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats that could be given a text extension.
_MAGIC = (b"\x89PNG", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\xff\xd8\xff", b"GIF8",
          b"BZh", b"\x7fELF", b"SQLite format 3", b"\xd0\xcf\x11\xe0", b"OggS", b"RIFF")

# One valid UTF-8 multi-byte sequence (RFC 3629, no surrogates, no overlongs).
_UTF8_SEQ = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)

# How much of the file is looked at to pick an encoding when streaming.
HEAD_BYTES = 1 << 16
# How much of a big whole file the character statistics (UTF-8 damage, CP949 vs
# GB18030) are computed on; validity is still checked on all of it.
SAMPLE_BYTES = 1 << 20


class NotTextError(ValueError):
    """The bytes are not text in any encoding we read (an image, an archive...)."""


class Sniffed(NamedTuple):
    encoding: str  # name reported to users, e.g. "cp949", "utf-16-le"
    codec: str  # Python codec that decodes the bytes *including* any BOM
    flags: tuple[str, ...]


class Decoded(NamedTuple):
    text: str
    encoding: str
    flags: tuple[str, ...]


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Raises NotTextError for binary content."""
    d = decode_detailed(data)
    return d.text, d.encoding


def decode_detailed(data: bytes) -> Decoded:
    """Like decode() but also returns flags (replacement characters, guesses)."""
    s = sniff(data, final=True)
    text = data.decode(s.codec, errors="replace")
    check_text(text)
    return Decoded(text, s.encoding, s.flags)


def open_text(fh: BinaryIO) -> tuple[TextIO, Sniffed]:
    """Wrap a seekable binary stream as text, choosing the encoding from its head.

    Used for JSONL and CSV so a large file is decoded as it is read, not at once.
    Bytes later in the file that do not fit become U+FFFD instead of failing.
    """
    head = fh.read(HEAD_BYTES)
    final = len(head) < HEAD_BYTES
    s = sniff(head, final=final)
    check_text(codecs.getincrementaldecoder(s.codec)("replace").decode(head, final=final))
    fh.seek(0)
    # newline=None turns \r\n and \r into \n, so line numbers count physical lines.
    return io.TextIOWrapper(fh, encoding=s.codec, errors="replace", newline=None), s


def sniff(data: bytes, final: bool = True) -> Sniffed:
    """Pick the encoding of ``data`` (``final=False``: data is a head cut anywhere)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            # "utf-16" / "utf-8-sig" consume the BOM themselves.
            codec = "utf-8-sig" if name == "utf-8-sig" else "utf-16"
            ok = _decodes(data, codec, final)
            return Sniffed(name, codec, () if ok else (f"{FLAG_REPLACED}:{name}",))
    if any(data.startswith(m) for m in _MAGIC):
        raise NotTextError("binary signature")
    # Before UTF-8: ASCII-only UTF-16 is also "valid UTF-8" full of NULs.
    utf16 = _utf16_by_nuls(data)
    if utf16:
        return Sniffed(utf16, utf16, ())
    if b"\x00" in data:
        raise NotTextError("NUL bytes")
    if _decodes(data, "utf-8", final):
        return Sniffed("utf-8", "utf-8", ())
    # The character statistics below are Python loops: judged on a sample of a big file.
    if _mostly_utf8(data[:SAMPLE_BYTES]):
        return Sniffed("utf-8", "utf-8", (f"{FLAG_REPLACED}:utf-8",))
    cjk = _cjk_legacy(data, final)
    if cjk:
        return cjk
    single = "cp1252" if _decodes(data, "cp1252", final) else "latin-1"
    return Sniffed(single, single, (f"{FLAG_GUESSED}:{single}",))


def check_text(text: str) -> None:
    """Raise NotTextError when decoded text is really binary (controls, NULs)."""
    if not text:
        return
    sample = text[:HEAD_BYTES]
    if "\x00" in sample:
        raise NotTextError("NUL characters")
    controls = len(_CONTROLS.findall(sample))
    # Real text has at most a stray form feed or escape; random bytes have ~25%.
    if controls / len(sample) > 0.05:
        raise NotTextError("control characters")


def _is_control(ch: str) -> bool:
    o = ord(ch)
    return (o < 0x20 and ch not in "\t\n\r\f\v") or 0x7F <= o <= 0x9F


# The characters _is_control accepts, as one regex class (counted in C, not per character).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _decodes(data: bytes, codec: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(data, final=final)
        return True
    except UnicodeDecodeError:
        return False


def _utf16_by_nuls(data: bytes) -> str | None:
    """utf-16-le/be when NULs sit on one side of the byte pairs and decoding works."""
    n = len(data) - len(data) % 2
    if n < 4:
        return None
    half = n // 2
    even = data[0:n:2].count(0)  # high byte of ASCII chars in big-endian
    odd = data[1:n:2].count(0)  # high byte of ASCII chars in little-endian
    for nuls, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 0.1 * half and other <= 0.1 * nuls and _decodes(data[:n], codec, final=False):
            return codec
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are overwhelmingly valid UTF-8 sequences.

    CP949/GB18030 text forms an accidental UTF-8 pair only now and then (~10%
    of characters), so a high share of valid sequences means UTF-8 with a few
    corrupted bytes, which is better shown with U+FFFD than re-read as CP949.
    """
    high = sum(1 for b in data if b >= 0x80)
    if not high:
        return False
    covered = sum(len(m) for m in _UTF8_SEQ.findall(data))
    return covered >= 6 and (high - covered) <= 0.05 * high


def _cjk_legacy(data: bytes, final: bool) -> Sniffed | None:
    """CP949/EUC-KR or GB18030, chosen by which reading looks like real text.

    Both decoders accept most CJK byte pairs, so the bytes are read both ways and
    each reading is scored on structure that real text has and a mis-read lacks:
      * Korean is Hangul with few Han characters, and those stand apart (中, 美);
        Chinese bytes read as CP949 give Hangul and Hanja mixed inside words.
      * Chinese runs Han characters together without spaces; Korean bytes read
        as GB18030 give Han characters cut into short space-separated words.
    Readings with many replacement or private-use characters are out.
    """
    best: tuple[float, str] | None = None
    sample, sample_final = (data, final) if len(data) <= SAMPLE_BYTES else (data[:SAMPLE_BYTES], False)
    for codec in ("cp949", "gb18030"):
        text = codecs.getincrementaldecoder(codec)("replace").decode(sample, final=sample_final)
        s = _score(text)
        if not s["high"] or s["odd"] > 0.1 * s["high"]:
            continue
        cjk = s["hangul"] + s["han"] + s["kana"]
        if codec == "cp949" and s["hangul"]:
            score = s["hangul"] / cjk * (1 - s["mixed"] / s["hangul"])
        elif codec == "gb18030" and s["han"]:
            score = s["han"] / cjk * (1 - s["spaced"] / s["han"])
        else:
            continue
        if score >= 0.5 and (best is None or score > best[0]):  # ties go to Korean (first)
            best = (score, codec)
    if best is None:
        return None
    codec = best[1]
    if _decodes(data, codec, final):
        if codec == "cp949" and _decodes(data, "euc-kr", final):
            # EUC-KR is the KS X 1001 subset of CP949; report the narrower name.
            return Sniffed("euc-kr", "euc-kr", ())
        return Sniffed(codec, codec, ())
    return Sniffed(codec, codec, (f"{FLAG_REPLACED}:{codec}",))


def _is_han(ch: str) -> bool:
    if not ch:
        return False
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF


def _score(text: str) -> dict[str, int]:
    """Counts of script classes, of structural oddities, and of characters real text lacks."""
    s = {"hangul": 0, "han": 0, "kana": 0, "odd": 0, "high": 0, "mixed": 0, "spaced": 0}
    last = len(text) - 1
    for i, ch in enumerate(text):
        o = ord(ch)
        if o < 0x80:
            continue
        s["high"] += 1
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i < last else ""
        if 0xAC00 <= o <= 0xD7A3:
            s["hangul"] += 1
            s["mixed"] += _is_han(prev) or _is_han(nxt)
        elif _is_han(ch):
            s["han"] += 1
            s["spaced"] += prev == " " or nxt == " "
            # A CJK character glued between Latin letters ("M鼢ler") is a mis-read.
            if prev.isascii() and prev.isalpha() and nxt.isascii() and nxt.isalpha():  # "" is not alpha
                s["odd"] += 1
        elif 0x3040 <= o <= 0x30FF:
            s["kana"] += 1
        elif o == 0xFFFD or 0xE000 <= o <= 0xF8FF or 0x80 <= o <= 0x9F:
            s["odd"] += 1  # replacement, private use, C1 controls
    return s
