"""Stance on the chip trade for each quote: favor (wants chips to flow), against, neutral, unclear.

Stance is not sentiment: "stop abusing export controls" is angry but favours chips flowing;
"we will not let anybody have them" is calm but against. The lexicons score what a phrase
does to the flow of chips: decisions that let chips move (allow, approve, resume, 허용, 批准)
and demand (orders, "customer demand is high") count for favor; controls (ban, require a
licence, 금지, 不允许), refusals (reject, don't want, 자제, 拒绝) and security framing count
against; undoing a control ("lift restrictions", "규제 철회", "取消限制") is favor. A negation
right before (en/zh) or right after (ko) a flippable cue turns it around.

Who holds the stance:
- the speaker's own stance, one Stance per quote (quote_index set). News outlets and anonymous
  sources report, so their own stance is neutral;
- a clause inside a quote whose subject is another party ("They're rejecting our chips",
  "President Xi responded positively", "중국 당국이 … 자제하라고 권고했다") is that party's
  position as reported by the speaker: a separate Stance with reported_by set, left out of
  the speaker's own reading. "Deciding whether", "논의", "是否" make such a position unclear.
A speaker with quotes but no cue anywhere in the article is neutral (they spoke, took no side).
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Optional

from chipwatch.extract.quotes import is_media
from chipwatch.models import ANONYMOUS_PREFIX, Mention, Quote, Stance

# (pattern, polarity, weight, category, flippable)
# polarity +1 favor, -1 against, 0 neutral, None unclear (deliberation).
# Categories marked in REPORTABLE describe an action or wish of a party, so they can carry a
# reported stance; security framing and boilerplate are only read as the speaker's own view.
EN_RULES = [
    (r"\bsells? out\b|\bsold out\b", -1, 1.5, "security", False),
    (r"\bnoted the reports?\b|\bno comment\b|\bdeclined to comment\b|\bcompetent authorities\b|"
     r"\bmutual benefit\b|\bwin-win\b", 0, 2.0, "noncommittal", False),
    (r"\b(?:decide|deciding|decided|determine)\s+whether\b|\bwhether to\b|\bno decision\b|\bundecided\b|"
     r"\bhave yet to (?:say|decide)\b|\bhas yet to (?:say|decide)\b|\bdiscussing\b|\bdeliberat\w+",
     None, 2.0, "deliberation", False),
    (r"\b(?:lift|lifted|lifting|ease|eased|easing|remove|removed|scrap|scrapped|roll(?:ed)? back|abandon|"
     r"relax(?:ed)?)\b[^.;]{0,60}?\b(?:restrictions?|restrictive|curbs?|controls?|bans?|limits?|zero-sum)",
     1, 2.0, "undo_control", False),
    (r"\b(?:unreasonable|unilateral|bullying|discriminatory|abus(?:e|ing) (?:of )?export|weaponi[sz]\w+|"
     r"politici[sz]\w+|"
     r"hurts? american|lose (?:telecommunication|the) )", 1, 1.5, "criticise_control", False),
    (r"\b(?:not (?:be )?permitted|not allowed|stop (?:\w+ )?(?:imports?|buying|purchas\w*|sales|shipments|"
     r"testing)|(?:halt|cancel|suspend)\w* (?:\w+ )?(?:testing|orders?|purchases?|imports?|sales)|"
     r"explain why|justify why|only (?:use )?domestic\w*|domestically made|"
     r"require\w*\b[^.;]{0,40}?\b(?:permit|licen[cs]e)s?|"
     r"not let anybody|will not tolerate|take (?:necessary |strict |firm )?action|crack(?:ing)? down|revok\w+|"
     r"off-limits)\b", -1, 1.5, "control", False),
    (r"\b(?:reject\w*|refus\w*|don'?t want|doesn'?t want|does not want|do not want|won'?t buy|unwilling|"
     r"avoid\w*|self-reliance|semiconductor independence|independence|domestic (?:chips|suppliers|alternatives))\b",
     -1, 1.5, "refuse", False),
    (r"\b(?:respond\w* positively|welcome[sd]?|demand is high|customer demand|great for america|thoughtful balance|"
     r"disappointed|american technology stack|technology stack|addicted|win the ai race|nanoseconds behind|"
     r"ai dominance|technological leadership|helps? u\.s\. companies compete|(?:large|bulk|big) orders?|"
     r"placed orders|place orders|keen to (?:order|buy)|asked [\w ]{0,20}about [\w ]{0,10}orders|orders exceed\w*|"
     r"(?:continu\w+|plans?|planning|want\w*) to (?:order|buy|purchase)|(?:buy|order|purchase) more)\b",
     1, 1.5, "pro_trade", False),
    (r"\b(?:allow|allows|allowed|allowing|permit|permits|permitted|let|lets|approve|approves|approved|approval|"
     r"approvals|green light|"
     r"grant|granted|sell|sells|selling|sold|ship|shipped|shipping|resume|resumed|restart|buy|buying|"
     r"purchase orders|flowing|deal)\b", 1, 1.0, "allow", True),
    (r"\b(?:sales?|exports?|exporting|orders?|purchases?|shipments?|licen[cs]es?|imports?)\b", 1, 0.4, "trade", True),
    (r"\b(?:ban|banned|banning|bans|block|blocked|blocking|restrict|restricted|restricting|restrictions|"
     r"prohibit\w*|halt\w*|curb|curbs|tighten\w*|barred|cancel\w*)\b", -1, 1.0, "control", True),
    (r"\b(?:national security|sells? out|risks?|dangerous(?:ly)?|adversar(?:y|ies)|military|smuggl\w*|"
     r"backdoors?|legal basis|suspicious|undercut\w*|strategic advantage|wait in line|inconsistent|"
     r"neither of which)\b", -1, 1.5, "security", True),
]
KO_RULES = [
    (r"주목했|주목하고 있|논평하지 않|언급을 피|관련 부처에 문의|주관 부처|호혜|상생|윈윈", 0, 2.0, "noncommittal", False),
    (r"할지(?:를|에 대해|가)?|여부|결정하지 않|결정을 내리지 않|논의하고|논의하기|논의 중|거론|검토하고 있는지",
     None, 2.0, "deliberation", False),
    (r"(?:규제|통제|제한|제재|금지|수출통제)[^.]{0,20}?(?:해제|완화|철회|풀|중단|남용|폐지|잘못|부당|반대)|"
     r"(?:일방적|패권|괴롭힘|차별적|부당한|남용|정치화|무기화|잘못된 (?:행위|조치|관행))", 1, 2.0, "undo_control", False),
    (r"팔아넘|국가안보|안보|위험|위협|군사|밀수|백도어|적대|법적 근거|의문", -1, 1.5, "security", True),
    (r"(?:중단하고|중단하라|취소하라|취소하도록|사지 말|쓰지 말|허용되지 않|불허|누구도 갖지 못|외에는 누구도|"
     r"이유를 설명|국산 칩|국산화|자국산|자립|자급|독립을 원|(?:지위|허가|라이선스|면제)[^.]{0,8}(?:철회|취소|박탈))",
     -1, 1.5, "control", False),
    (r"(?:거부|거절|원하지 않|사지 않|구매하지 말|자제)", -1, 1.5, "refuse", False),
    (r"(?:수요가 (?:높|많|강)|실망|환영|긍정적|기술 스택|흘러가|구매주문|경쟁에서 [^.]{0,10}밀리지|"
     r"주문(?:량)?이 [^.]{0,25}(?:넘어|초과)|대량 (?:구매|주문)|주문이 몰|주문 급증|구매를 늘리|주문을 늘리)",
     1, 1.5, "pro_trade", False),
    (r"(?:(?:주문|구매|수입)[^.]{0,6}(?:준비|늘리))", 1, 1.5, "allow", False),
    (r"(?:허용|승인|재개|(?<![가-힣])팔(?=[아고지겠])|판매하|수입하|구매하)", 1, 1.0, "allow", True),
    (r"(?:판매|수출|구매|수입|주문|공급|허가|라이선스)", 1, 0.4, "trade", True),
    (r"(?:금지|차단|제한|규제 강화|통제 강화|허가가 필요|라이선스가 필요|허가 대상|막)", -1, 1.0, "control", True),
]
ZH_RULES = [
    (r"注意到(?:相关)?报道|不予置评|主管部门|询问|不了解|互利共赢|合作共赢|互利", 0, 2.0, "noncommittal", False),
    (r"是否|尚未决定|未作决定|讨论|研究是否", None, 2.0, "deliberation", False),
    (r"(?:取消|解除|放宽|停止|摒弃|放弃|反对|滥用)[^。]{0,15}?(?:限制|管制|制裁|措施|零和)|"
     r"(?:单边霸凌|霸凌|泛化国家安全|不合理|歧视性|政治化|错误做法)", 1, 2.0, "undo_control", False),
    (r"不被允许|不允许|不准|不得|非必要不采购|只能使用国产|国产(?:\w{0,6})芯片|自主可控|自立自强|国产替代",
     -1, 1.5, "control", False),
    (r"(?:拒绝|不要|不想要|避免|停止购买)", -1, 1.5, "refuse", False),
    (r"(?:积极回应|积极|需求旺盛|技术栈|计划[^，。]{0,4}采购|采购更多|加大采购|大量采购)", 1, 1.5, "pro_trade", False),
    (r"(?:允许|批准|恢复|发放|许可证)", 1, 1.0, "allow", True),
    (r"(?:销售|出售|出口|采购|购买|进口|订单|供应|供货)", 1, 0.4, "trade", True),
    (r"(?:禁止|限制|管制|封锁|暂停)", -1, 1.0, "control", True),
    (r"(?:国家安全|安全风险|后门|军事|走私|漏洞)", -1, 1.5, "security", True),
]
RULES = {lang: [(re.compile(p, re.I), pol, w, cat, flip) for p, pol, w, cat, flip in rules]
         for lang, rules in (("en", EN_RULES), ("ko", KO_RULES), ("zh", ZH_RULES))}
REPORTABLE = {"deliberation", "undo_control", "control", "refuse", "pro_trade", "allow", "trade"}

EN_NEG = re.compile(r"\b(?:not|n't|never|no|neither|nor|without|cannot)\s+(?:[\w'\"“”‘’]+\s+){0,2}[\"“‘]?$", re.I)
KO_NEG_AFTER = re.compile(r"^[가-힣]{0,3}?(?:지\s*않|지\s*못|지\s*말|지 마|않|못하|안 된|불가)")
KO_NEG_BEFORE = re.compile(r"(?:^|\s)(?:안|못)\s*$")
KO_CLAUSE_NEG = re.compile(r"(?:아니다|아니라|없다|없어|않는다|않았다|않겠다|않을 것)[.”\"]?\s*$")
ZH_NEG = re.compile(r"(?:不|没有|没|未|别|无法|不会|不能|不得|不存在)[^，。；]{0,6}$")


class Score:
    """Lexicon evidence for one span."""

    def __init__(self):
        self.total = 0.0
        self.neutral = 0.0
        self.deliberation = 0.0
        self.rules: list[str] = []

    def __bool__(self):
        return bool(self.rules)


def _lang(text: str) -> str:
    if re.search(r"[\uac00-\ud7a3]", text):
        return "ko"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) > len(re.findall(r"[A-Za-z]", text)) / 3:
        return "zh"
    return "en"


def _negated(text: str, start: int, end: int, lang: str) -> bool:
    if lang == "en":
        return bool(EN_NEG.search(text[max(0, start - 40):start]))
    if lang == "ko":
        return bool(KO_NEG_AFTER.match(text[end:end + 8]) or KO_NEG_BEFORE.search(text[max(0, start - 4):start]))
    return bool(ZH_NEG.search(text[max(0, start - 10):start]))


def score_text(text: str, lang: Optional[str] = None, categories: Optional[set] = None) -> Score:
    """Lexicon score of a span: positive favours chips flowing."""
    lang = lang or _lang(text)
    sc = Score()
    taken: list[tuple[int, int]] = []
    # Korean puts the negation at the clause end: "군사용 제품이 아니다" denies the security framing.
    clause_negated = lang == "ko" and bool(KO_CLAUSE_NEG.search(text))
    for pattern, pol, weight, cat, flip in RULES[lang]:
        if categories is not None and cat not in categories:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue  # a more specific rule already read these words ("lift ... restrictions")
            taken.append((m.start(), m.end()))
            sc.rules.append(f"{lang}_{cat}")
            if pol is None:
                sc.deliberation += weight
                continue
            if pol == 0:
                sc.neutral += weight
                continue
            p = pol
            if flip and (_negated(text, m.start(), m.end(), lang) or cat in ("security", "trade") and clause_negated):
                p = -p  # "will not allow", "허용하지 않", "不允许", "no backdoors"
                sc.rules[-1] += "+neg"
            sc.total += p * weight
    return sc


def label(sc: Score) -> tuple[str, float, str]:
    """(stance, confidence, rule) from a score."""
    rule = ",".join(dict.fromkeys(sc.rules))
    if sc.deliberation:
        return "unclear", 0.5, rule  # "deciding whether", "논의하고 있다": no position yet
    if sc.neutral and abs(sc.total) <= sc.neutral:
        return "neutral", min(0.9, 0.5 + 0.1 * sc.neutral), rule
    if sc.total >= 1.0:
        return "favor", min(0.95, 0.45 + 0.12 * sc.total), rule
    if sc.total <= -1.0:
        return "against", min(0.95, 0.45 + 0.12 * -sc.total), rule
    if sc.rules:
        return "unclear", 0.2, "weak:" + rule  # cues too weak or cancelling out
    return "unclear", 0.0, "no_cue"


# ================================================================ reported positions
# Where a quote changes subject. Each alternative is one boundary.
_CLAUSE_SPLIT = re.compile("|".join([
    r"(?<=[.!?])\s+(?=[A-Z\"“])", r"(?<=[。！？])", r";\s*", r"\.\.\.\s*", r"…\s*",
    r",\s+(?:and|but)\s+",
    r"\s+and\s+(?=(?:President\s+)?[A-Z][a-z])",  # "... the sales and Xi Jinping responded"
    r"\s+and\s+(?=is |are |was |has |have )",  # a second verb of the same subject
    r",\s+(?=which\b)",
    r"\b(?:reports?|said|says|believed?|believes|thinks?|thought|claimed|noted) (?:that )?(?=[A-Z])",
    r"\bthat\s+(?=(?:President |Chinese |U\.S\. )?[A-Z])",  # "reports that Chinese regulators had told"
    r"(?<=다)며\s+", r"(?<=고)\s+(?=\S+[이가은는]\s)",  # Korean connectives before a new subject
    r"，(?=[^，。]{0,12}(?:还|也))",  # "…，相关部门还要求…"
]))
_EN_THEY = re.compile(r"^\s*(?:and\s+|but\s+|apparently\s+|so\s+)*(?:they|they're|they've|they'll)\b", re.I)
_EN_WHICH = re.compile(r"^\s*which\b", re.I)
_ZH_THEY = re.compile(r"^\s*(?:他们|对方)")
_KO_THEY = re.compile(r"^\s*(?:그들은|그들이|이들은|이들이|그들에게는)")
_DEMAND = re.compile(r"\b(?:should|must|need to|needs to|has to|have to|ought to)\b|(?:해|아|어|여)야|하라(?!고)|"
                     r"말라(?!고)|하길|촉구|"
                     r"게\s*하고\s*싶|도록\s*하고\s*싶|应当|应该|必须|敦促|(?<![回响反供适相答])应(?![用对答])", re.I)
# Commentators (analysts, industry people) give views, not reports of another party's position.
COMMENTATORS = re.compile(r"\banalysts?\b|\bexperts?\b|\bcritics\b|업계|전문가|애널리스트|분석가|业内人士|分析人士|分析师",
                          re.I)
VENDOR_ROLES = ("chip designer", "foundry", "memory maker", "equipment maker")
HOLDER_TYPES = ("person", "country", "organization", "company")


def _own_side(kb, speaker: str, holder: str) -> bool:
    """Whether holder speaks for the speaker's own side (self, employer, country)."""
    if holder == speaker:
        return True
    if speaker.startswith(ANONYMOUS_PREFIX) or is_media(kb, speaker):
        return False
    if holder == kb.affiliation(speaker) or speaker == kb.affiliation(holder):
        return True
    sc, hc = kb.country_of(speaker), kb.country_of(holder)
    return bool(sc and hc and sc == hc)


def _clauses(text: str, base: int) -> list[tuple[int, int]]:
    out, last = [], 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.group(0).strip() == "and" and re.search(r"\b[A-Z][\w.]*\s*$", text[:m.start()]):
            continue  # "Alibaba and ByteDance", "Industry and Information Technology": one name list
        if m.start() > last:
            out.append((base + last, base + m.start()))
        last = max(last, m.end())
    if last < len(text):
        out.append((base + last, base + len(text)))
    return out


_EN_LEAD_OK = re.compile(r"^(?:(?:the|a|an|and|but|apparently|also|so|then|both|its|their|chinese|[A-Z][\w.'’\-]*)"
                         r"\s+)*$")


def _clause_subjects(body: str, a: int, b: int, mentions: list[Mention], lang: str) -> list[Mention]:
    """The entities a clause is about: the mention(s) in subject position, with coordination
    ("Alibaba and ByteDance have asked", "알리바바와 바이트댄스 등 … 주문량이")."""
    inside = [m for m in mentions if a <= m.start < b and m.type in HOLDER_TYPES]
    if not inside:
        return []
    if lang == "ko":
        return _ko_subject(body, a, b, inside)
    first = inside[0]
    lead = body[a:first.start]
    if lang == "en" and not _EN_LEAD_OK.match(lead):
        return []
    if lang == "zh" and (len(lead) > 6 or re.search(r"[，,对向把被]", lead)):
        return []
    group = [first]
    for m in inside[1:]:
        gap = body[group[-1].end:m.start]
        if re.fullmatch(r"\s*(?:,|and|和|与|、|及)\s*(?:the\s+)?", gap):
            group.append(m)
        else:
            break
    return group


def _ko_subject(body: str, a: int, b: int, inside: list[Mention]) -> list[Mention]:
    """The first noun phrase ending in 은/는/이/가 that names someone. Objects and adverbials
    (…을, …에게, …에서) start a new phrase, so "중국 정부가 엔비디아에 …" gives the government."""
    np_start = a
    for tok in re.finditer(r"\S+", body[a:b]):
        ts, te = a + tok.start(), a + tok.end()
        word = tok.group(0).rstrip(",")
        if re.search(r"(?:을|를|에|에서|에게|로|으로|께)$", word):
            np_start = te
            continue
        if re.search(r"(?:은|는|이|가)$", word) and not re.search(r"(?:있는|하는|않는|되는|라는|다는|없는|이라는)$", word):
            ms = [m for m in inside if np_start <= m.start < te]
            if ms:
                companies = [m for m in ms if m.type == "company"]
                heads = [m for m in ms if m.type != "country"]
                return companies or heads[-1:] or ms[-1:]
            np_start = te
    return []


def _referent(body: str, before: int, mentions: list[Mention], kb, speaker: str) -> Optional[str]:
    """What "they" in a quote points to: the last other-side country or company named before it,
    else the foreign country the article names most."""
    for m in reversed(mentions):
        if m.start < before and m.type in ("country", "company", "organization") \
                and not is_media(kb, m.id) and not _own_side(kb, speaker, m.id):
            return m.id
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        if m.type == "country" and not _own_side(kb, speaker, m.id):
            counts[m.id] += 1
    return max(counts, key=counts.get) if counts else None


def _fragment_subject(body: str, q: Quote, mentions: list[Mention]) -> Optional[Mention]:
    """Subject of a partial quote: 'Trump said Xi Jinping "responded positively"',
    '他还称，习近平对此“作出了积极回应”' -> Xi Jinping."""
    if q.kind != "direct":
        return None
    window = body[max(0, q.start - 60):max(0, q.start - 1)]
    cue = list(re.finditer(r"\b(?:said|says|added|wrote|posted|claimed)\b|称|表示|说", window))
    if not cue or re.search(r"[.!?。！？:：]", window[cue[-1].end():]):
        return None
    if re.match(r"[a-z]", q.text[:1]) is None and re.search(r"[A-Za-z]", q.text[:1]):
        return None  # a full English sentence in quotes is the speaker's own words
    cut = q.start - 1 - len(window) + cue[-1].end()
    between = [m for m in mentions if cut <= m.start < q.start and m.type in HOLDER_TYPES]
    return between[-1] if between else None


def _reported(body: str, q: Quote, mentions: list[Mention], kb, lang: str):
    """[(holder, (a, b), score)]: clauses inside the quote that state another party's position."""
    if not q.speaker or COMMENTATORS.search(q.speaker_text or ""):
        return []
    found = []
    lead = _fragment_subject(body, q, mentions)
    prev: list[str] = []
    for k, (a, b) in enumerate(_clauses(body[q.start:q.end], q.start)):
        clause = body[a:b]
        holders = [m.id for m in _clause_subjects(body, a, b, mentions, lang)]
        if prev and not any(_reportable_holder(kb, q.speaker, h) for h in holders) and (
                re.search(r"\b(?:told|informed|notified|warned|assured|instructed)\b[^,]{0,40}\bthat\s*$",
                          body[max(q.start, a - 60):a])
                or re.match(r"(?:is|are|was|were|has|have|had|will|would)\b", clause)):
            # "officials told agents that Nvidia's chips are not permitted" / "China wants X and is
            # steering …": the clause goes on about the same party.
            holders = prev
        prev = holders
        if not holders and k == 0 and lead:
            holders = [lead.id]
        if not holders and _EN_WHICH.match(clause):
            # "…to sell in China, which he said has made clear it does not want Nvidia": the antecedent.
            before = [m for m in mentions if q.start <= m.start < a and m.type in HOLDER_TYPES]
            holders = [before[-1].id] if before and re.fullmatch(r"[\s,]*", body[before[-1].end:a]) else []
        if not holders and (_EN_THEY.match(clause) or _ZH_THEY.match(clause) or _KO_THEY.match(clause)):
            ref = _referent(body, a, mentions, kb, q.speaker)
            holders = [ref] if ref else []
        own_gov = [h for h in holders if _government_clause(kb, q.speaker, h)]
        if own_gov:
            # A company relaying its government's rule: not the company's view, nobody's stance.
            # Chinese runs clauses together with commas; only the first one is the rule.
            end = a + clause.find("，") if lang == "zh" and "，" in clause else b
            found.append((own_gov[0], (a, end), None))
            continue
        holders = [h for h in holders if _reportable_holder(kb, q.speaker, h)]
        sc = score_text(clause, lang, REPORTABLE)
        if not holders and sc.deliberation:
            # "베이징에서 … 논의하기 위한 긴급회의가 열렸다": the place deliberating holds the open question.
            places = [m.id for m in mentions if a <= m.start < b and m.type == "country"]
            holders = [h for h in places[:1] if _reportable_holder(kb, q.speaker, h)]
        if not holders or _is_demand(clause, lang):
            continue  # "the US must lift ...": the speaker's own demand, not the other side's view
        stance = label(sc)[0]
        if stance in ("favor", "against") or stance == "unclear" and sc.deliberation:
            for h in holders:
                found.append((h, (a, b), sc))
    return found


def _is_demand(clause: str, lang: str) -> bool:
    """Modal demands sit after the subject in English/Chinese and at the clause end in Korean."""
    return bool(_DEMAND.search(clause[-15:] if lang == "ko" else clause[:60]))


def _government_clause(kb, speaker: str, holder: str) -> bool:
    """A company quoting what its own government decided ("the U.S. government has told it that
    exports will require a licence") relays a rule; the rule is not the company's position."""
    if kb.type_of(speaker) != "company" or kb.type_of(holder) not in ("country", "organization"):
        return False
    return not is_media(kb, holder) and kb.country_of(holder) == kb.country_of(speaker)


def _reportable_holder(kb, speaker: str, holder: str) -> bool:
    if holder.startswith(ANONYMOUS_PREFIX) or is_media(kb, holder) or _own_side(kb, speaker, holder):
        return False
    row = kb.entities.get("company", {}).get(holder)
    # Chip vendors sell: their moves are business news, not a position on letting chips flow.
    return not (row and any(r in (row.get("role") or "") for r in VENDOR_ROLES))


# ================================================================ driver
def find_stances(article, quotes: list[Quote], mentions: list[Mention], sentences, kb) -> list[Stance]:
    """One own Stance per quote with a speaker, plus reported stances of other parties.

    Also sets quote.stance / confidence / rule to the speaker's own stance.
    """
    body = article.body or ""
    body_mentions = sorted((m for m in mentions if m.field == "body"), key=lambda m: m.start)
    out: list[Stance] = []
    for i, q in enumerate(quotes):
        lang = _lang(q.text) if q.text else "en"
        reported = _reported(body, q, body_mentions, kb, lang)
        own_text = q.text
        for holder, (a, b), sc in reported:
            own_text = own_text.replace(body[a:b], " ")
            if sc is None:
                continue  # left out of the speaker's own reading, but no stance for anyone
            stance, conf, rule = label(sc)
            out.append(Stance(holder=holder, stance=stance, reported_by=q.speaker, evidence=body[a:b],
                              confidence=round(conf * 0.9, 2), rule="reported:" + rule, quote_index=i))
        if q.speaker and (q.speaker.startswith(ANONYMOUS_PREFIX) or is_media(kb, q.speaker)):
            stance, conf, rule = "neutral", 0.6, "reporter"  # outlets and sources report, they do not argue
        else:
            stance, conf, rule = label(score_text(own_text, lang))
            if stance == "unclear" and reported:
                rule = "only_reported"
        q.stance, q.confidence, q.rule = stance, round(conf, 2), rule
        if q.speaker:
            out.append(Stance(holder=q.speaker, stance=stance, reported_by=None, evidence=q.text,
                              confidence=round(conf, 2), rule=rule, quote_index=i))
    _no_position_is_neutral(out, quotes)
    return out


def _no_position_is_neutral(stances: list[Stance], quotes: list[Quote]) -> None:
    """A speaker whose every quote is 'unclear' spoke without taking a side: neutral."""
    by_holder: dict[str, list[Stance]] = defaultdict(list)
    for st in stances:
        if st.reported_by is None:
            by_holder[st.holder].append(st)
    for sts in by_holder.values():
        if all(st.stance == "unclear" for st in sts):
            for st in sts:
                st.stance, st.confidence, st.rule = "neutral", 0.3, "no_position:" + st.rule
                if st.quote_index is not None:
                    q = quotes[st.quote_index]
                    q.stance, q.confidence, q.rule = st.stance, st.confidence, st.rule
