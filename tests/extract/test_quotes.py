import pytest

from chipwatch.extract.mentions import find_mentions
from chipwatch.extract.quotes import find_quotes
from chipwatch.extract.sentences import split_sentences


@pytest.fixture
def quotes_of(kb_mini, make_article):
    def _run(body, language="en", publisher=None):
        art = make_article(body, language, publisher)
        sents = split_sentences(body, language)
        return find_quotes(art, find_mentions(body, kb_mini, "body", sents), sents, kb_mini)
    return _run


def brief(qs):
    return [(q.kind, q.speaker, q.text) for q in qs]


# ---------------------------------------------------------------- English
def test_en_direct_after_and_before(quotes_of):
    body = ('"Demand keeps climbing in every region," Jensen Huang said on Tuesday. '
            'Elizabeth Warren said: "This deal trades away our security."')
    assert brief(quotes_of(body)) == [
        ("direct", "Jensen Huang", "Demand keeps climbing in every region"),
        ("direct", "Elizabeth Warren", "This deal trades away our security."),
    ]


def test_en_inversion_and_pronoun(quotes_of):
    body = ('"We will look at every licence," said Donald Trump. '
            'Later he spoke again. "Nobody gets the top parts," he added.')
    qs = quotes_of(body)
    assert [(q.speaker, q.speaker_text, q.cue) for q in qs] == [
        ("Donald Trump", "Donald Trump", "said"), ("Donald Trump", "he", "added")]


def test_en_several_quotes_in_one_sentence(quotes_of):
    body = '“Orders are strong,” Huang said, “and the line is running.”'
    qs = quotes_of(body)
    assert [(q.speaker, q.text) for q in qs] == [("Jensen Huang", "Orders are strong"),
                                                 ("Jensen Huang", "and the line is running.")]


def test_en_scare_quote_is_not_a_quote(quotes_of):
    assert quotes_of('The regulator flagged so-called "backdoor" features in the chip.') == []


def test_en_indirect_patterns(quotes_of):
    body = ("Nvidia said it would keep serving customers within the rules. "
            "The licences started flowing last week, a U.S. official said. "
            "According to Reuters, two large buyers placed orders in December.")
    assert brief(quotes_of(body, publisher="Newswire")) == [
        ("indirect", "Nvidia", "it would keep serving customers within the rules"),
        ("indirect", "anonymous:Newswire", "The licences started flowing last week"),
        ("indirect", "Reuters", "two large buyers placed orders in December"),
    ]


def test_en_background_clause_is_not_a_report(quotes_of):
    body = "Sales had stalled since spring, when the White House told vendors that permits were needed."
    assert quotes_of(body) == []


def test_en_anonymous_with_cited_outlet(quotes_of):
    body = "Beijing asked buyers to pause new orders, people familiar with the matter told Reuters."
    qs = quotes_of(body, publisher="Newswire")
    assert [(q.speaker, q.speaker_text) for q in qs] == [("anonymous:Reuters", "people familiar with the matter")]


# ---------------------------------------------------------------- Korean
def test_ko_direct_topic_before_quote(quotes_of):
    body = "중국 상무부 대변인은 17일 브리핑에서 “미국은 부당한 통제를 멈춰야 한다”고 말했다. 그는 “기업의 권익을 지키겠다”고 덧붙였다."
    qs = quotes_of(body, "ko")
    assert [(q.speaker, q.speaker_text, q.cue, q.text) for q in qs] == [
        ("China Commerce Ministry", "중국 상무부 대변인은", "말했다", "미국은 부당한 통제를 멈춰야 한다"),
        ("China Commerce Ministry", "그는", "덧붙였다", "기업의 권익을 지키겠다"),
    ]


def test_ko_speaker_after_quote(quotes_of):
    body = "“주문이 예상보다 많다”라고 젠슨 황 CEO는 기자들에게 말했다."
    qs = quotes_of(body, "ko")
    assert [(q.speaker, q.text) for q in qs] == [("Jensen Huang", "주문이 예상보다 많다")]


def test_ko_single_quoted_chip_name_is_not_a_quote(quotes_of):
    body = "엔비디아는 중국용 칩 ‘H20’의 재고를 늘렸다."
    assert quotes_of(body, "ko") == []


def test_ko_indirect_with_outlet_after_clause(quotes_of):
    body = "중국 정부가 H200 수입을 처음 허가했다고 로이터통신이 29일 보도했다."
    qs = quotes_of(body, "ko")
    assert brief(qs) == [("indirect", "Reuters", "중국 정부가 H200 수입을 처음 허가했다")]


def test_ko_indirect_topic_first(quotes_of):
    body = "엔비디아는 중국 판매를 위한 허가를 아직 받지 못했다고 밝혔다."
    assert brief(quotes_of(body, "ko")) == [("indirect", "Nvidia", "중국 판매를 위한 허가를 아직 받지 못했다")]


def test_ko_anonymous_cited_by_outlet(quotes_of):
    body = "로이터통신은 소식통을 인용해 바이트댄스가 대량 주문을 검토하고 있다고 전했다."
    qs = quotes_of(body, "ko", publisher="한국경제")
    assert [(q.speaker, q.kind) for q in qs] == [("anonymous:Reuters", "indirect")]


def test_ko_anonymous_falls_back_to_publisher(quotes_of):
    body = "한 업계 관계자는 “고객들이 국산 칩으로 옮겨갈 수 있다”고 우려했다."
    qs = quotes_of(body, "ko", publisher="한국경제")
    assert [(q.speaker, q.cue) for q in qs] == [("anonymous:Hankyung", "우려했다")]


# ---------------------------------------------------------------- Chinese
def test_zh_direct_with_colon(quotes_of):
    body = "外交部发言人郭嘉昆10日表示：“我们注意到有关报道。”"
    qs = quotes_of(body, "zh")
    assert [(q.speaker, q.cue, q.text) for q in qs] == [("Guo Jiakun", "表示", "我们注意到有关报道。")]


def test_zh_speaker_after_quote_and_indirect(quotes_of):
    body = "“美方应当停止滥用出口管制。”商务部说。据路透社报道，字节跳动计划增加采购。"
    assert brief(quotes_of(body, "zh")) == [
        ("direct", "China Commerce Ministry", "美方应当停止滥用出口管制。"),
        ("indirect", "Reuters", "字节跳动计划增加采购"),
    ]


def test_zh_anonymous(quotes_of):
    body = "一位知情人士称，阿里巴巴已暂停测试新芯片。"
    qs = quotes_of(body, "zh", publisher="Reuters")
    assert [(q.speaker, q.text) for q in qs] == [("anonymous:Reuters", "阿里巴巴已暂停测试新芯片")]


# ---------------------------------------------------------------- more speaker rules
def test_en_outlet_citing_sources_and_anaphoric_sources(quotes_of):
    body = ("Beijing told its largest buyers to hold off on new orders, Reuters reported, citing two people "
            "familiar with the matter. The pause could last weeks, the people said. "
            "Analysts said demand would return.")
    qs = quotes_of(body, publisher="Newswire")
    assert [q.speaker for q in qs] == ["anonymous:Reuters", "anonymous:Reuters", "anonymous:Newswire"]


def test_en_according_to_the_newspaper(quotes_of):
    body = ("Bloomberg reported the plan on Monday. According to the newspaper, officials in Beijing have "
            "met twice this week.")
    qs = quotes_of(body)
    assert [(q.speaker, q.text) for q in qs][-1] == ("Bloomberg", "officials in Beijing have met twice this week")


def test_en_parenthetical_cue_and_adding_that(quotes_of):
    body = ('For older parts, he said, licences would be quick. '
            '"Nothing is settled," Donald Trump said, adding that talks would go on for weeks.')
    qs = quotes_of(body)
    assert brief(qs)[-2:] == [("direct", "Donald Trump", "Nothing is settled"),
                              ("indirect", "Donald Trump", "talks would go on for weeks")]


def test_en_attribution_of_direct_quote_is_not_indirect(quotes_of):
    body = '"We have enough stock for now," Huang said in an interview with a local broadcaster.'
    assert brief(quotes_of(body)) == [("direct", "Jensen Huang", "We have enough stock for now")]


def test_en_role_phrase_and_wire_dateline(quotes_of):
    body = ("SEOUL, March 3 (Newswire) - Nvidia will ship fewer parts this quarter, a company spokesperson said.")
    qs = quotes_of(body)
    assert brief(qs) == [("indirect", "Nvidia", "Nvidia will ship fewer parts this quarter")]


def test_en_negated_or_whether_is_not_a_quote(quotes_of):
    assert quotes_of("China has not said whether buyers may import the part.") == []


def test_ko_two_reported_clauses_one_speaker(quotes_of):
    body = "트럼프 대통령은 H200 판매를 허용한다고 발표하면서 시진핑 주석이 긍정적으로 답했다고 주장했다."
    qs = quotes_of(body, "ko")
    assert [(q.speaker, q.text) for q in qs] == [
        ("Donald Trump", "H200 판매를 허용한다"), ("Donald Trump", "시진핑 주석이 긍정적으로 답했다")]


def test_ko_two_quotes_joined_by_myeo(quotes_of):
    body = "젠슨 황 CEO는 “수요가 많다”며 “공급을 늘리겠다”고 말했다."
    assert [(q.speaker, q.text) for q in quotes_of(body, "ko")] == [
        ("Jensen Huang", "수요가 많다"), ("Jensen Huang", "공급을 늘리겠다")]


def test_ko_according_to_and_anaphoric_sources(quotes_of):
    body = ("중국 정부가 수입을 허가했다고 로이터통신이 소식통을 인용해 보도했다. "
            "소식통들에 따르면 알리바바가 첫 물량을 받는다. 블룸버그에 따르면 바이트댄스도 주문을 늘렸다.")
    qs = quotes_of(body, "ko", publisher="한국경제")
    assert [q.speaker for q in qs] == ["anonymous:Reuters", "anonymous:Reuters", "Bloomberg"]


def test_ko_hearsay_without_speaker_is_not_a_quote(quotes_of):
    assert quotes_of("두 회사는 대량 구매 의사를 전달한 것으로 알려졌다.", "ko") == []


def test_zh_citing_sources_and_pronoun_after_quote(quotes_of):
    body = ("据路透社援引知情人士报道，中国已批准首批进口。"
            "外交部发言人郭嘉昆表示：“请向主管部门询问。”他说，中方一贯主张合作。")
    qs = quotes_of(body, "zh", publisher="新闻通讯")
    assert [(q.kind, q.speaker) for q in qs] == [
        ("indirect", "anonymous:Reuters"), ("direct", "Guo Jiakun"), ("indirect", "Guo Jiakun")]
