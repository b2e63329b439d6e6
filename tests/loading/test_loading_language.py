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
