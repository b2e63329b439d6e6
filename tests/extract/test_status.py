"""Status claims from hand-written sentences; mentions come from a tiny local alias table
so these tests do not depend on the knowledge base or the mention matcher."""
import re

import pytest

from chipwatch.extract.status import find_status_claims
from chipwatch.models import Article, Mention

ALIASES = [
    ("chip", "H200", ["H200"]),
    ("chip", "H20", ["H20"]),
    ("chip", "H100", ["H100"]),
    ("chip", "MI308", ["MI308"]),
    ("chip", "RTX Pro 6000D", ["RTX Pro 6000D"]),
    ("chip", "GB300", ["GB300"]),
    ("chip", "H800", ["H800"]),
    ("chip", "MI325X", ["MI325X"]),
    ("chip", "Ascend 910C", ["Ascend 910C", "昇腾910C"]),
    ("architecture", "Blackwell", ["Blackwell", "블랙웰", "布莱克韦尔"]),
    ("architecture", "Hopper", ["Hopper", "호퍼"]),
    ("country", "CHN", ["China", "중국", "中国"]),
    ("country", "USA", ["United States", "U.S.", "미국", "美国"]),
    ("country", "ARE", ["UAE"]),
    ("country", "SAU", ["Saudi Arabia"]),
    ("country", "KOR", ["South Korea"]),
    ("person", "Donald Trump", ["Donald Trump", "Trump", "트럼프", "特朗普"]),
    ("organization", "US Commerce Department", ["Commerce Department"]),
    ("company", "Nvidia", ["Nvidia", "엔비디아", "英伟达"]),
    ("company", "AMD", ["AMD"]),
]


def mentions_of(text, field="body"):
    cands = []
    for etype, eid, aliases in ALIASES:
        for alias in aliases:
            for m in re.finditer(re.escape(alias), text):
                s, e = m.span()
                if alias.isascii() and re.search(r"[A-Za-z0-9]", text[s - 1:s] + text[e:e + 1]):
                    continue
                cands.append((s, e, etype, eid))
    taken, out = [], []
    for s, e, etype, eid in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        if any(s < b and a < e for a, b in taken):
            continue
        taken.append((s, e))
        out.append(Mention(etype, eid, text[s:e], field, s, e, 0))
    return sorted(out, key=lambda m: m.start)


def claims(body, language="en", published="2025-12-09", title=""):
    article = Article(id="t", source="t", title=title, body=body, published=published, language=language)
    found = find_status_claims(article, mentions_of(body) + mentions_of(title, "title"), None, None)
    for c in found:
        assert body[c.start:c.end] == c.evidence
    return found


def keys(found):
    return {(c.chip, c.side, c.actor, c.destination, c.status) for c in found}


def by_chip(found):
    return {c.chip: c for c in found}


# --------------------------------------------------------------- English
def test_en_conditional_revenue_share_with_weekday_date():
    found = claims("President Donald Trump said on Monday that the United States will allow Nvidia to ship "
                   "its H200 chips to approved customers in China, with 25% of revenue going to Washington.")
    assert keys(found) == {("H200", "export", "USA", "CHN", "conditional")}
    assert found[0].date == "2025-12-08"


def test_en_allowed_two_chips_one_sentence():
    found = claims("The Commerce Department started granting licences for the H20 and the MI308 to China on Friday.",
                   published="2025-08-11")
    assert keys(found) == {("H20", "export", "USA", "CHN", "allowed"), ("MI308", "export", "USA", "CHN", "allowed")}
    assert {c.date for c in found} == {"2025-08-08"}


def test_en_license_required():
    found = claims("Washington told Nvidia that shipments of the H20 to China now require an export licence.")
    assert keys(found) == {("H20", "export", "USA", "CHN", "license_required")}


def test_en_h20_and_h200_are_distinct_and_contrast_splits_status():
    found = claims("The administration approved H20 sales to China, but the H200 remains banned.")
    assert keys(found) == {("H20", "export", "USA", "CHN", "allowed"), ("H200", "export", "USA", "CHN", "banned")}


def test_en_generation_as_chip_id():
    found = claims("Trump said Blackwell chips will not be part of the deal.")
    assert keys(found) == {("Blackwell", "export", "USA", "CHN", "banned")}


def test_en_architecture_that_only_describes_a_chip_is_no_claim():
    found = claims("The H20, based on the Hopper architecture, was cleared for sale to China in July.")
    assert {c.chip for c in found} == {"H20"}


def test_en_negated_approval_is_a_ban():
    found = claims("Officials said the H200 would not be allowed into China for now.")
    assert [c.status for c in found] == ["banned"]


def test_en_import_side_discouraged():
    found = claims("Beijing has urged local companies to avoid the H20, people familiar with the matter said.")
    assert keys(found) == {("H20", "import", "CHN", "CHN", "discouraged")}


def test_en_import_side_banned_by_customs():
    found = claims("Chinese customs officials told agents last week that the H200 is not permitted to enter China.")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "banned")}


def test_en_pending_review():
    found = claims("The Commerce Department has sent H200 licence applications for an interagency review.")
    assert keys(found) == {("H200", "export", "USA", "CHN", "pending")}


def test_en_hypothetical_is_skipped_but_pending_kept():
    assert claims("Analysts said Washington could eventually allow the H200 to be sold to China.") == []
    found = claims("Beijing is weighing whether to allow imports of the H200.")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "pending")}


def test_en_lawmakers_appeal_is_no_decision():
    assert claims("Lawmakers urged the Commerce Department to ban the H200 from being shipped to China.") == []


def test_en_other_destination():
    found = claims("The U.S. approved exports of GB300 chips to the UAE under strict security requirements.")
    assert keys(found) == {("GB300", "export", "USA", "ARE", "conditional")}


def test_en_background_without_decision_verb_is_skipped():
    assert claims("The H200 is about six times as powerful as the H20.") == []
    assert claims("Did Washington approve the H200 for China?") == []


def test_en_four_days_after():
    found = claims("Four days after Dec 8, Beijing told firms to stop buying the H200.")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "banned")}
    assert found[0].date == "2025-12-12"


def test_title_is_not_read_and_no_date_is_none():
    found = claims("Nvidia is now allowed to sell the H200 in China.", title="H20 banned in China on Monday")
    assert [(c.chip, c.date) for c in found] == [("H200", None)]


def test_one_claim_per_decision_and_best_date_kept():
    body = ("Nvidia said the H20 now requires a licence. "
            "The government informed the company on April 9 that the H20 requires a licence for China.")
    found = claims(body, published="2025-04-16")
    assert len(found) == 1 and found[0].date == "2025-04-09"


# --------------------------------------------------------------- Korean
def test_ko_export_conditional_with_local_time_date():
    found = claims("트럼프 대통령은 8일(현지시간) 엔비디아가 H200을 중국에 수출하는 것을 허용하되 "
                   "판매 수익의 25%를 미국 정부에 내도록 했다.", language="ko")
    assert keys(found) == {("H200", "export", "USA", "CHN", "conditional")}
    assert found[0].date == "2025-12-08"


def test_ko_import_banned_negation_and_past_day():
    found = claims("중국 세관은 지난 13일 H200의 반입이 허용되지 않는다고 통보했다.", language="ko",
                   published="2026-01-29")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "banned")}
    assert found[0].date == "2026-01-13"


def test_ko_import_allowed_media_report_date_is_not_the_decision_date():
    found = claims("중국 정부가 엔비디아 H200의 첫 수입을 승인했다고 로이터통신이 28일 보도했다.", language="ko",
                   published="2026-01-29")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "allowed")}
    assert found[0].date is None  # "28일 보도했다" dates the report
    found = claims("중국 정부는 28일 엔비디아 H200의 첫 수입을 승인했다.", language="ko", published="2026-01-29")
    assert found[0].date == "2026-01-28"


def test_ko_license_required_prefers_decision_date_over_report_date():
    found = claims("엔비디아는 미국 정부가 지난 9일 H20을 중국에 수출하려면 허가가 필요하다고 통보했다고 15일 밝혔다.",
                   language="ko", published="2025-04-16")
    assert keys(found) == {("H20", "export", "USA", "CHN", "license_required")}
    assert found[0].date == "2025-04-09"


def test_ko_banned_and_discouraged_and_pending():
    assert keys(claims("미국 정부는 블랙웰 칩의 중국 수출을 금지했다.", language="ko")) == {
        ("Blackwell", "export", "USA", "CHN", "banned")}
    assert keys(claims("중국 당국은 자국 기업들에 H20 구매를 자제하라고 권고했다.", language="ko")) == {
        ("H20", "import", "CHN", "CHN", "discouraged")}
    assert keys(claims("중국 정부는 H200 수입 허용 여부를 아직 검토하고 있다.", language="ko")) == {
        ("H200", "import", "CHN", "CHN", "pending")}


def test_ko_hypothetical_skipped():
    assert claims("미국이 H200 수출을 허용할 수도 있다는 관측이 나온다.", language="ko") == []


def test_ko_same_day_takes_previous_date():
    body = "트럼프 대통령은 8일(현지시간) 기자들과 만났다. 상무부는 이날 H200의 중국 수출을 승인했다."
    found = claims(body, language="ko")
    assert [(c.chip, c.status, c.date) for c in found] == [("H200", "allowed", "2025-12-08")]


# --------------------------------------------------------------- Chinese
def test_zh_export_allowed_and_day_of_month():
    found = claims("美国总统特朗普9日宣布，允许英伟达向中国出口H200芯片。", language="zh", published="2025-12-10")
    assert keys(found) == {("H200", "export", "USA", "CHN", "allowed")}
    assert found[0].date == "2025-12-09"


def test_zh_conditional_share_and_weekday():
    found = claims("美国商务部本周一表示，将有条件批准H200对华出口，并收取25%的销售收入。", language="zh")
    assert keys(found) == {("H200", "export", "USA", "CHN", "conditional")}
    assert found[0].date == "2025-12-08"


def test_zh_import_banned_negation():
    found = claims("中国海关通知，H200芯片不允许进口。", language="zh")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "banned")}


def test_zh_discouraged_and_pending():
    assert keys(claims("网信办约谈英伟达，要求其说明H20芯片的安全风险。", language="zh")) == {
        ("H20", "import", "CHN", "CHN", "discouraged")}
    assert keys(claims("中国监管部门尚未决定是否允许进口H200。", language="zh")) == {
        ("H200", "import", "CHN", "CHN", "pending")}


def test_zh_license_required():
    found = claims("美国政府通知英伟达，H20芯片对华出口需要获得许可证。", language="zh")
    assert keys(found) == {("H20", "export", "USA", "CHN", "license_required")}


@pytest.mark.parametrize("body, language", [("", "en"), ("No chips here were banned.", "en")])
def test_nothing_to_find(body, language):
    assert claims(body, language) == []


# --------------------------------------------------------------- rules across sentences
def test_condition_stated_in_the_next_sentence_upgrades_the_approval():
    body = ("미국 정부는 8일(현지시간) 엔비디아가 H200을 중국에 팔 수 있도록 허용했다. "
            "매출의 25%를 미국 정부가 받는 조건이다.")
    found = claims(body, language="ko")
    assert keys(found) == {("H200", "export", "USA", "CHN", "conditional")}
    assert found[0].date == "2025-12-08"


def test_same_requirement_repeats_the_lead_decision_without_its_date():
    body = ("Washington told Nvidia on April 9 that H20 exports to China require a licence. "
            "AMD said its MI308 falls under the same requirement.")
    found = by_chip(claims(body, published="2025-04-16"))
    assert found["MI308"].status == "license_required" and found["MI308"].date is None
    assert found["H20"].date == "2025-04-09"


def test_a_rule_without_a_chip_is_inherited_by_the_sentence_that_names_the_chips():
    body = ("The Commerce Department on Tuesday replaced the presumption of denial for some advanced chips "
            "with a case-by-case review. The change covers the H200 and the MI325X.")
    found = claims(body, published="2026-01-15")
    assert keys(found) == {("H200", "export", "USA", "CHN", "conditional"),
                           ("MI325X", "export", "USA", "CHN", "conditional")}
    assert {c.date for c in found} == {"2026-01-13"}


def test_exclusion_takes_the_date_of_the_deal_it_is_excluded_from():
    body = ("Trump said on Monday that he will allow Nvidia to ship the H200 to approved customers in China. "
            "Blackwell chips are not part of the deal.")
    found = by_chip(claims(body))
    assert found["H200"].status == "conditional"
    assert (found["Blackwell"].status, found["Blackwell"].date) == ("banned", "2025-12-08")


def test_standing_restriction_has_no_date():
    found = claims("On Tuesday officials said the H200 remains banned for export to China.")
    assert [(c.status, c.date) for c in found] == [("banned", None)]


def test_pronoun_subject_carries_the_previous_sentence_date():
    body = ("궈자쿤 중국 외교부 대변인은 9일 정례 브리핑에서 질문을 받았다. "
            "그는 중국 기업의 H200 구매를 허용할지에 대해서는 언급하지 않았다.")
    found = claims(body, language="ko", published="2025-12-10")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "pending")}
    assert found[0].date == "2025-12-09"


def test_anaphor_refers_to_the_main_chip():
    body = ("Nvidia's H200 is in high demand in China. Beijing has not said whether it will allow "
            "local companies to buy the chips.")
    found = claims(body)
    assert keys(found) == {("H200", "import", "CHN", "CHN", "pending")}


def test_a_day_after_and_media_report_dates():
    body = ("China's ministry declined on Tuesday to say whether firms would be allowed to buy the H200, "
            "a day after Trump said he would permit the sales for a 25% cut.")
    found = claims(body, published="2025-12-10")
    dates = {(c.side, c.status): c.date for c in found}
    assert dates == {("import", "pending"): "2025-12-09", ("export", "conditional"): "2025-12-08"}
    found = claims("China has banned imports of the H20, Reuters reported on Friday.", published="2025-10-11")
    assert [(c.status, c.date) for c in found] == [("banned", None)]


def test_two_governments_in_one_sentence_give_two_claims():
    body = ("Four days after Trump said on Dec. 8 that Nvidia could sell the H200 in China with a 25% cut, "
            "Chinese officials held emergency meetings to decide whether to let the chips in.")
    found = {(c.side, c.status): c.date for c in claims(body, published="2025-12-14")}
    assert found == {("export", "conditional"): "2025-12-08", ("import", "pending"): "2025-12-12"}


def test_company_plans_and_commentators_are_no_decisions():
    assert claims("Nvidia is weighing extra H200 production at TSMC.") == []
    assert claims("AMD plans to resume MI308 shipments to China.") == []
    assert claims("업계 관계자는 \"중국 정부가 H200 수입을 허용할지가 변수\"라고 말했다.", language="ko") == []


def test_deadline_is_not_the_decision_date():
    found = claims("The government will let Nvidia keep supplying H100 customers in China until March 1.",
                   published="2022-09-01")
    assert [(c.status, c.date) for c in found] == [("allowed", None)]


def test_korean_topic_chip_is_not_the_blocked_one():
    found = claims("H20은 2023년 H100과 H800 수출이 막힌 뒤 나온 제품이다.", language="ko", published="2025-04-17")
    assert keys(found) == {("H100", "export", "USA", "CHN", "banned"), ("H800", "export", "USA", "CHN", "banned")}


def test_comparison_chip_gets_no_claim():
    found = claims("Trump announced on Monday that the H200, about six times as powerful as the H20, "
                   "could be shipped to approved customers in China.")
    assert {c.chip for c in found} == {"H200"}


def test_two_gulf_destinations():
    found = claims("The U.S. on Wednesday approved GB300 exports to the UAE and Saudi Arabia, subject to "
                   "security requirements.", published="2025-11-20")
    assert keys(found) == {("GB300", "export", "USA", "ARE", "conditional"),
                           ("GB300", "export", "USA", "SAU", "conditional")}


def test_chinese_domestic_chips_get_no_import_claim():
    found = claims("Beijing told companies to avoid the H20 and the Ascend 910C alike.")
    assert keys(found) == {("H20", "import", "CHN", "CHN", "discouraged")}


def test_beijing_commenting_on_us_sales_is_the_export_side():
    found = claims("商务部新闻发言人18日就英伟达恢复对华销售H20一事表示，美方应取消限制。", language="zh",
                   published="2025-07-19")
    assert keys(found) == {("H20", "export", "USA", "CHN", "allowed")}
    assert found[0].date is None  # the decision is referred to, not reported


def test_zh_two_statuses_in_one_sentence():
    found = claims("此前有报道称，中国海关已告知报关代理，H200芯片不被允许进入中国，相关部门还要求企业非必要不采购。",
                   language="zh", published="2026-01-23")
    assert keys(found) == {("H200", "import", "CHN", "CHN", "banned"), ("H200", "import", "CHN", "CHN", "discouraged")}


def test_with_the_knowledge_base_and_mention_matcher(kb):
    """End to end over the real alias table: a buyer company names the destination."""
    from chipwatch.extract.mentions import find_mentions
    from chipwatch.extract.sentences import split_sentences

    body = "On May 13, Washington cleared 18,000 GB300 chips for Saudi Arabia's Humain."
    article = Article(id="k", source="k", title="", body=body, published="2025-05-20", language="en")
    sentences = split_sentences(body, "en")
    found = find_status_claims(article, find_mentions(body, kb, "body", sentences), sentences, kb)
    assert [(c.chip, c.destination, c.status, c.date) for c in found] == [("GB300", "SAU", "allowed", "2025-05-13")]


@pytest.mark.parametrize("body, language, expected", [
    ("The Commerce Department has revoked the licence to ship the H20 to China.", "en", "banned"),
    ("美国商务部周二表示，已暂停向英伟达发放H20出口许可证。", "zh", "banned"),
    ("상무부는 H20 수출 허가 발급을 중단했다.", "ko", "banned"),
    ("The MI308 may be sold to China only to customers vetted by the Commerce Department.", "en", "conditional"),
    ("중국 당국은 지난달 15일 H200 수입을 조건부로 승인했다.", "ko", "conditional"),
])
def test_withdrawn_and_qualified_approvals(body, language, expected):
    assert [c.status for c in claims(body, language)] == [expected]


def test_korean_negated_ban_leaves_only_the_discouragement():
    found = claims("중국 정부는 H20 구매를 전면 금지하지는 않았지만 사용 자제를 권고했다.", language="ko")
    assert keys(found) == {("H20", "import", "CHN", "CHN", "discouraged")}
