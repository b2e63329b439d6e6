"""Language from script shares."""
import pytest

from chipwatch.loading.language import detect_language


@pytest.mark.parametrize(
    "text, expected",
    [("엔비디아가 중국 시장을 겨냥한 H20 칩의 수출 허가를 받았다.", "ko"),
     ("中 상무부 \"美 수출통제 남용 중단해야\"", "ko"),  # Hanja abbreviations inside Korean
     ("Nvidia said it would resume sales of the H20 chip to China after receiving licences.", "en"),
     ("外交部发言人郭嘉昆9日表示，中方一贯反对将经贸问题政治化。", "zh"),
     ("經濟部表示，將加強對高階晶片出口的審查。", "zh"),  # traditional characters
     ("エヌビディアは中国向けのH20の出荷を再開すると発表した。", "ja"),
     ("Die Regierung in Den Haag verschärft die Exportkontrollen für Chipmaschinen deutlich.", "other"),
     ("Kerajaan Malaysia akan mewajibkan permit untuk eksport cip AI buatan Amerika.", "other"),
     ("", "other"), ("12345 !!! ---", "other"),
     ("H20 H200 B30A MI308", "other")],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_a_korean_name_in_an_english_story_stays_english():
    text = ("South Korea's trade minister 안덕근 said on Tuesday the government would monitor shipments of "
            "high-bandwidth memory to China and act against any attempt to evade the rules.")
    assert detect_language(text) == "en"


def _reference_counts(text: str) -> tuple[int, int, int, int, int]:
    """The script counts as a plain per-character loop (what the regex counting must equal)."""
    hangul = kana = han = latin = latin_ascii = 0
    for ch in text:
        o = ord(ch)
        if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
            hangul += 1
        elif 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9D:
            kana += 1
        elif 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF:
            han += 1
        elif ch.isalpha() and (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
            latin += 1
            latin_ascii += o < 0x80
    return hangul, kana, han, latin, latin_ascii


def test_script_counting_classes_match_every_code_point():
    """Each script's regex class holds exactly the code points the per-character rule counts."""
    from chipwatch.loading import language as lang

    patterns = (lang._HANGUL, lang._KANA, lang._HAN, lang._LATIN, lang._LATIN_ASCII)
    every = "".join(chr(o) for o in range(0x30000) if not 0xD800 <= o <= 0xDFFF)
    for i, pattern in enumerate(patterns):
        expected = {ch for ch in every if _reference_counts(ch)[i]}
        assert set(pattern.findall(every)) == expected, pattern.pattern[:40]
    text = "엔비디아 H200 中国 カナ ½ ² ª Ǻ ɐ"
    assert tuple(len(p.findall(text)) for p in patterns) == _reference_counts(text)
