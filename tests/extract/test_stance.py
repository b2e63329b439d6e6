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


# ---------------------------------------------------------------- roles and composition (general cues)
@pytest.mark.parametrize("text,expected", [
    # evaluative operators take a side on the flow they govern
    ("We firmly oppose these export controls", "favor"),
    ("I strongly oppose letting them ship the chips", "against"),
    ("I welcome the decision to keep the chips out", "against"),
    ("Export controls have been a failure", "favor"),
    ("I urge the department not to greenlight these sales", "against"),
    # reversers turn the governed flow around, also in the passive
    ("The restrictions will be lifted next month", "favor"),
    ("They told firms to stop buying the chips", "against"),
    ("These export licences should be rescinded", "against"),
    # negation and modality
    ("The company has not applied for licences to sell the part", "unclear"),  # a negated other verb mutes
    ("We may allow a scaled-down version", "favor"),
    ("Nobody there will get the most advanced chips", "against"),
    ("There are no plans to ban the chip", "favor"),
    # sentiment traps
    ("I'm disappointed that they won't buy our chips", "favor"),
    ("Today's ban is great news for national security", "against"),
    ("Sadly, the ban stays in place", "favor"),
    # deliberation and boilerplate
    ("We are still weighing whether to approve the sales", "unclear"),
    ("We will comply with the export controls", "neutral"),
    ("I would refer you to the competent authorities", "neutral"),
])
def test_english_composition(text, expected):
    assert lab(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("미국의 수출통제 강화에 강한 유감을 표한다", "favor"),
    ("엔비디아가 H200을 중국에 수출하도록 허용하는 것에 반대한다", "against"),
    ("중국이 우리 칩을 사지 않겠다고 해 실망스럽다", "favor"),
    ("성능을 낮춘 버전은 허용할 수도 있다", "favor"),
    ("H20을 추가로 구매할 계획이 없다", "against"),
    ("그 칩은 더 이상 중국에 팔 수 없다", "against"),
    ("블랙웰 일부 버전의 수출 허용 여부를 검토 중", "unclear"),
    ("중국 공장에 대한 장비 반입 허가를 취소한다", "against"),
    ("中方坚决反对美方滥用出口管制", "favor"),
    ("美国不会向中国出售最先进的芯片", "against"),
    ("欢迎美方放宽相关出口管制措施", "favor"),
    ("中国监管部门尚未决定是否批准进口H200", "unclear"),
    ("公司产品不存在任何后门", "favor"),
    ("腾讯已转向国产芯片，不再需要购买H20", "against"),
])
def test_korean_and_chinese_composition(text, expected):
    assert lab(text) == expected


def test_rule_names_explain_what_fired():
    _, _, rule = label(score_text("We firmly oppose these export controls"))
    assert "en_oppose>control" in rule
    stance, conf, rule = label(score_text("We may allow a scaled-down version"))
    assert "+modal" in rule and conf < label(score_text("We will allow the sales and resume shipments"))[1]


@pytest.fixture
def stances_real(kb, make_article):
    """Full pipeline (real knowledge base) for cases that need its roles and aliases."""
    def _run(body, language="en", publisher=None):
        art = make_article(body, language, publisher)
        sents = split_sentences(body, language)
        ms = find_mentions(body, kb, "body", sents)
        qs = find_quotes(art, ms, sents, kb)
        return qs, find_stances(art, qs, ms, sents, kb)
    return _run


def test_speaker_sentiment_reaches_into_a_reported_clause(stances_of):
    body = '"I\'m disappointed that China won\'t buy our chips," Jensen Huang said.'
    _, sts = stances_of(body)
    assert held(sts) == {("Jensen Huang", "favor", None), ("CHN", "against", "Jensen Huang")}


def test_frame_verb_governs_the_quote(stances_real):
    body = '워런 의원은 "엔비디아가 중국에 H200을 팔게 됐다"며 비판했다.'
    qs, sts = stances_real(body, "ko")
    assert ("Elizabeth Warren", "against", None) in held(sts)
    assert "frame:" in qs[0].rule


def test_topic_gives_the_referent_of_this(stances_real):
    body = '궈자쿤 대변인은 미국의 새로운 반도체 수출 규제에 대해 "중국은 이를 단호히 반대한다"고 말했다.'
    _, sts = stances_real(body, "ko")
    assert held(sts) == {("Guo Jiakun", "favor", None)}


def test_pejorative_names_for_controls_are_the_speakers_view(stances_real):
    body = "何咏前回应称，美方此举严重违反市场经济原则，中方坚决反对。"
    _, sts = stances_real(body, "zh")
    assert held(sts) == {("He Yongqian", "favor", None)}


def test_own_deliberation_stays_unclear(stances_of):
    body = '"We are considering whether to allow a version of Blackwell," Donald Trump said.'
    _, sts = stances_of(body)
    assert held(sts) == {("Donald Trump", "unclear", None)}


def test_vendor_prior_is_a_weak_favor(stances_real):
    qs, sts = stances_real('"Our customers in China have been loyal for decades," Jensen Huang said.')
    assert held(sts) == {("Jensen Huang", "favor", None)}
    assert qs[0].rule.startswith("prior:") and qs[0].confidence < 0.5


def test_analyst_reports_a_decided_position(stances_real):
    body = "Beijing has quietly told state-owned firms to avoid the H20, analysts said."
    _, sts = stances_real(body, publisher="Chipwatch Wire")
    assert ("CHN", "against", "anonymous:Chipwatch Wire") in held(sts)


def test_a_new_person_opening_the_previous_sentence_is_she(stances_of):
    body = ('Donald Trump said the chips would be sold to approved customers. '
            'Senator Elizabeth Warren urged the Senate to block the sale. '
            '"This sells out our national security," she said.')
    _, sts = stances_of(body)
    assert ("Elizabeth Warren", "against", None) in held(sts)
    assert ("Donald Trump", "favor", None) in held(sts)
