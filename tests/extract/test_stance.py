import pytest

from chipwatch.extract.mentions import find_mentions
from chipwatch.extract.quotes import find_quotes
from chipwatch.extract.sentences import split_sentences
from chipwatch.extract.stance import find_stances, label, score_text


@pytest.fixture
def stances_of(kb_mini, make_article):
    def _run(body, language="en", publisher=None):
        art = make_article(body, language, publisher)
        sents = split_sentences(body, language)
        ms = find_mentions(body, kb_mini, "body", sents)
        qs = find_quotes(art, ms, sents, kb_mini)
        return qs, find_stances(art, qs, ms, sents, kb_mini)
    return _run


def lab(text):
    return label(score_text(text))[0]


@pytest.mark.parametrize("text,expected", [
    ("We will let them buy the older parts and the orders can ship", "favor"),
    ("Customer demand is high and the supply chain is running", "favor"),
    ("The top parts stay here; we will not let anybody have them", "against"),
    ("Selling these to an adversary creates national security risks", "against"),
    ("Washington must lift its unreasonable restrictive measures", "favor"),
    ("We will not allow these sales", "against"),
    ("We noted the reports", "neutral"),
    ("The weather was nice in the capital", "unclear"),
])
def test_english_lexicon(text, expected):
    assert lab(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("미국은 수출통제를 남용하는 행위를 즉시 멈춰야 한다", "favor"),
    ("H200 판매를 허용하지 않겠다", "against"),
    ("고객 수요가 높아 출하를 늘리고 있다", "favor"),
    ("국가안보에 위험을 초래한다", "against"),
    ("美方应取消不合理的限制措施", "favor"),
    ("海关不允许该芯片进口", "against"),
    ("我们注意到相关报道", "neutral"),
])
def test_korean_and_chinese_lexicon(text, expected):
    assert lab(text) == expected


def test_quote_stance_fields_are_set(stances_of):
    qs, sts = stances_of('"Orders are strong and the shipments keep flowing," Jensen Huang said.')
    assert (qs[0].stance, qs[0].rule.startswith("en_")) == ("favor", True)
    assert qs[0].confidence > 0.4
    assert [(s.holder, s.stance, s.reported_by, s.quote_index) for s in sts] == [("Jensen Huang", "favor", None, 0)]


def test_reported_position_goes_to_the_other_party(stances_of):
    body = ("China has told its firms to wait. "
            '"They\'re rejecting our chips, they don\'t want them," David Sacks said.')
    _, sts = stances_of(body)
    got = {(s.holder, s.stance, s.reported_by) for s in sts}
    assert ("CHN", "against", "David Sacks") in got
    assert not any(s.holder == "David Sacks" and s.stance == "against" for s in sts)


def test_reported_named_subject(stances_of):
    body = '"I told Xi about the sales and Xi Jinping responded positively," Donald Trump said.'
    _, sts = stances_of(body)
    assert ("Xi Jinping", "favor", "Donald Trump") in {(s.holder, s.stance, s.reported_by) for s in sts}


def test_own_side_is_not_reported(stances_of):
    body = '"The United States will allow the sales," Donald Trump said.'
    _, sts = stances_of(body)
    assert [(s.holder, s.stance, s.reported_by) for s in sts] == [("Donald Trump", "favor", None)]


def test_korean_quote_stance(stances_of):
    body = "중국 상무부 대변인은 “미국은 부당한 규제를 철회해야 한다”고 말했다."
    qs, sts = stances_of(body, "ko")
    assert [(s.holder, s.stance) for s in sts] == [("China Commerce Ministry", "favor")]


def held(sts):
    return {(s.holder, s.stance, s.reported_by) for s in sts}


def test_outlets_and_anonymous_sources_are_neutral_but_report_positions(stances_of):
    body = "Beijing has told its firms to avoid new orders, Reuters reported, citing people familiar with the plan."
    qs, sts = stances_of(body, publisher="Newswire")
    assert held(sts) == {("anonymous:Reuters", "neutral", None), ("CHN", "against", "anonymous:Reuters")}


def test_deliberation_is_an_unclear_reported_position(stances_of):
    body = "China is deciding whether to let the chips in, Bloomberg reported."
    _, sts = stances_of(body)
    assert ("CHN", "unclear", "Bloomberg") in held(sts)


def test_speaker_without_any_cue_is_neutral(stances_of):
    body = 'Jensen Huang said the company would report results next week. "We look forward to it," he added.'
    qs, sts = stances_of(body)
    assert {s.stance for s in sts} == {"neutral"} and all(q.stance == "neutral" for q in qs)


def test_company_relaying_its_government_rule_takes_no_side(stances_of):
    body = "Nvidia said the U.S. government told it that sales of the H20 to China will require a licence."
    _, sts = stances_of(body)
    assert held(sts) == {("Nvidia", "neutral", None)}


def test_speaker_demand_is_not_the_other_sides_position(stances_of):
    body = '"Washington must lift these unreasonable restrictions," China\'s Commerce Ministry said.'
    _, sts = stances_of(body)
    assert held(sts) == {("China Commerce Ministry", "favor", None)}


def test_negation_flips_a_denied_risk(stances_of):
    body = 'Nvidia said there are no "backdoors" in its chips.'
    _, sts = stances_of(body)
    assert held(sts) == {("Nvidia", "favor", None)}


def test_korean_reported_position_with_outlet(stances_of):
    body = "중국 당국이 자국 기업들에 H20 구매를 자제하라고 권고했다고 블룸버그가 보도했다."
    _, sts = stances_of(body, "ko")
    assert held(sts) == {("Bloomberg", "neutral", None), ("CHN", "against", "Bloomberg")}


def test_chinese_fragment_quote_reports_the_subject(stances_of):
    body = "特朗普称，中国国家主席习近平对此“作出了积极回应”。"
    _, sts = stances_of(body, "zh")
    assert ("Xi Jinping", "favor", "Donald Trump") in held(sts)
