"""Export/import status claims: which decision a sentence reports about which chip.

A claim is (chip, side, actor, destination, status, date) resting on one body
sentence. Titles are not read: they repeat the body, and offsets are body offsets.
Everything is rules over the sentence text plus the mentions of chips, countries,
companies and government bodies (their country and kind come from the KB).

How a body sentence becomes claims:

1. Cues. Each language has a lexicon of decision cues, one status each
   (allowed, conditional, license_required, banned, pending, discouraged), tried
   in priority order so that "lift the ban" / "replaces the presumption of
   denial" / "由推定拒绝改为逐案审查" is an approval and never a ban, "허가 대상"
   a licence requirement and never an approval, "suspended licences" a ban.
   Condition markers (a revenue share, "approved customers", "case-by-case",
   "조건", "经批准的客户") in the segment - or in a segment that states only the
   condition - turn an approval into `conditional`; a sentence that only states a
   condition ("판매액의 25%는 정부가 가져가는 조건이다") upgrades the approvals of
   the sentence before it. "The same requirement", "covers", "适用于" repeat the
   decision they refer to (a chip-less rule reported just before, else the
   article's lead decision).
2. Modifiers. A negated approval ("not permitted", "허용되지 않는다", "不被允许")
   is a ban, "not yet approved" / "허용할지" / "能否" pending, "not banned" nothing.
   Cues in hypotheticals ("if", "could allow", "expected to", "~하더라도",
   "~하는 방안", "可能") or appeals ("urged ... to ban", "승인하지 말라는 서한",
   "呼吁") are dropped, and so are sentences carried by commentators ("Analysts
   said", "업계에서는", "业内人士认为") and questions. A company weighing its own
   plans ("Nvidia is weighing more output", "Nvidia has excluded China revenue")
   is no government decision.
3. Segments. The sentence is cut at contrast, subordinate and relative clauses
   (but, while, after, ", which", 지만, 반면, ", ", "，") and where a second
   government starts acting after a first one's cue, so one sentence can carry
   Washington's approval and Beijing's pending import decision.
4. Chips. Per segment, the list of chip mentions nearest the cue ("H100과 H800
   수출이 막힌 뒤" -> H100, H800, not the topic H20). Chips named for comparison
   ("than the H20", "H20보다", "H20的六倍") are never claimed; an architecture is
   the chip id for a whole generation ("Blackwell chips") unless it only
   describes a chip ("Hopper-based", "Blackwell-generation B200"). A segment with
   a cue and no chip takes the chips of a neighbouring segment, or - when it
   refers back ("the chips", "them", "해당 칩", "该芯片", a bare trade noun next
   to a named government) - the article's main chip; a class of chips ("advanced
   AI chips", "엔비디아 칩") or other goods (tools, rare earths) give no claim.
   Chinese-designed chips get no import claims.
5. Side and actor. The acting government nearest before the cue (in Korean the
   one marked as subject): Chinese authorities -> import, actor CHN, destination
   CHN, unless China is only where US sales go ("恢复对华销售一事") or the target
   of a licence rule; the US (or Malaysia's ministry, the Dutch government ...)
   -> export. Import-only cues (discouraged, stop buying, 반입) force the import
   side; without an actor the trade words decide, else export by the US.
6. Destination (export): the countries named in the segment or sentence (or
   through a buyer company, "Saudi Arabia's Humain"), else the article's main
   foreign country, else China. With China, other countries count only as
   destinations in their own right ("to China and Russia"), not as venues.
7. Date (reldates): a date tied to the decision beats one tied to a speech
   ("said on Monday"); a media report's date ("Reuters reported on Friday",
   "12일 보도했다"), a deadline or an effective date ("until March 1", "9월 1일까지",
   "16일 발효") is never the decision date. A decision merely referred to ("the
   decision to ...", "针对...一事") and a standing restriction ("remain",
   "여전히", "仍") get no date. Without a date in the segment: a date in a
   clause without its own decision, or an "N days after" lead-in; an exclusion
   ("not part of the deal", "이번 허용 대상에서 빠졌다") takes the date of the deal;
   a sentence continuing with a pronoun subject ("He", "그는", "他") the previous
   sentence's date; a follow-up ("the Commerce Department informed the company
   of the requirement on April 9", "The push came four days after Aug. 8") dates
   the decision just reported; else None.

One claim per (chip, side, actor, destination, status) per article, the best
dated occurrence kept; an approval restating a conditional approval of the same
trade merges into it (unless placed in an earlier period, "지난 5월").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Optional

from chipwatch.extract.prefilter import LiteralGate
from chipwatch.extract.reldates import find_date_expressions, parse_iso
from chipwatch.models import Mention, StatusClaim

__all__ = ["find_status_claims"]

ALLOWED, CONDITIONAL, LICENSE, BANNED, PENDING, DISCOURAGED = (
    "allowed", "conditional", "license_required", "banned", "pending", "discouraged")
SAME = "same"  # repeats the decision referred to ("the same requirement", "covers")


@dataclass
class _Cue:
    start: int  # offsets within the sentence
    end: int
    status: str
    side: Optional[str]  # "import" / "export" when the cue itself names the side
    kind: str = "status"  # "status" | "condition"
    weak: bool = False  # loses to any other status cue in its segment
    exclusion: bool = False  # "not part of the deal": dated like the deal
    standing: bool = False  # "remain banned": a standing restriction, no date
    referenced: bool = False  # "the decision to ...": mentioned, not reported as news


# ----------------------------------------------------------------- lexicons
# (pattern, status, side hint, flags). Tried in list order; a later match that
# overlaps an earlier one is dropped. English patterns are case-insensitive.
_LIC = r"licen[cs]e[sd]?"
W, X = "weak", "exclusion"

_EN_CUES: list[tuple] = [
    # approvals written with a ban word
    (r"\blift(?:s|ed|ing)?\b[^.;]{0,40}?\b(?:ban|bans|restrictions?|curbs?|controls?|embargo)\b", ALLOWED, None),
    (r"\brevers(?:e|es|ed|ing|al)\b[^.;]{0,30}?\b(?:ban|restrictions?|curbs?)\b", ALLOWED, None),
    (r"\breplac\w*\s+(?:the\s+|a\s+|its\s+)?(?:presumption of denial|ban)\b", ALLOWED, None),
    (r"\beas(?:e|es|ed|ing)\s+(?:its\s+|the\s+|their\s+)?(?:own\s+)?(?:rules|restrictions|curbs|controls|limits)\b", ALLOWED, None),
    (r"\bno longer (?:banned|barred|blocked|restricted|prohibited)\b", ALLOWED, None),
    # a condition that names a review
    (r"\bcase[- ]by[- ]case(?:\s+(?:review|basis|licensing|approvals?))?\b", CONDITIONAL, None),
    # the decision referred to
    (r"\b(?:the\s+)?same\s+(?:licen[cs]e\s+)?(?:requirements?|rules?|restrictions?|curbs|controls?|treatment|ban|regime)\b", SAME, None),
    (r"\b(?:covers|cover|covering|applies to|apply to|extends? to|falls? under)\b", SAME, None),
    # discouraged (the importer's pressure)
    (r"\bdiscourag\w*", DISCOURAGED, "import"),
    (r"\b(?:urg|advis|press|push|encourag|instruct|tell|told|ask)\w*\b[^.;]{0,80}?\b(?:avoid|not to (?:buy|purchase|use|order)|refrain|steer clear|shun)\w*", DISCOURAGED, "import"),
    (r"\bsummon(?:s|ed|ing)?\b", DISCOURAGED, "import"),
    (r"\b(?:told|asked|ordered|required|demanded|questioned)\b[^.;]{0,80}?\b(?:justify|explain why|explain their|explain the need)\b", DISCOURAGED, "import"),
    (r"\bpoliticall?y incorrect\b|\bwindow guidance\b", DISCOURAGED, "import"),
    # pending
    (r"\b(?:has|have|had|is|are|was|were)(?: still)? (?:not|yet to) (?:yet )?(?:decided|made a decision|approved|signed off|granted|issued|finali[sz]ed|been (?:approved|decided|finali[sz]ed))\b", PENDING, None),
    (r"\b(?:not (?:yet )?said|yet to (?:say|decide|announce|rule|indicate)|(?:declined|refused)\b[^.;]{0,20}?\bto say|did not say|would not say|no word on|did not indicate|has not decided|undecided (?:on|about)?)\b[^.;]{0,10}?\b(?:whether|if)\b(?=[^.;]{0,40}\b(?:allow|approv|let|permit|may|can|could)\w*)", PENDING, None),
    (r"\byet to\b[^.;]{0,25}?\b(?:decide|approve|grant|issue|sign|rule|clear|finali[sz]e|allow)\w*", PENDING, None),
    (r"\bnot yet (?:received |been |given )?(?:decided|approved|approval|cleared|finali[sz]ed|granted|allowed|licen[cs]es?)\b", PENDING, None),
    (r"\bundecided\b|\bno (?:final )?decision\b|\bnot (?:been )?finali[sz]ed\b", PENDING, None),
    (r"\b(?:weigh|weighs|weighed|weighing|mull|mulls|mulled|mulling|deliberat\w+|debating|debates)\b", PENDING, None),
    (r"\bconsider(?:s|ing)\b|\bbeing considered\b|\bunder consideration\b", PENDING, None),
    (r"\binteragency\b|\bunder review\b|\breviewing\b", PENDING, None),
    (r"\breview(?:s|ed)?\b(?! polic| standard)", PENDING, None, W),
    (r"\bawait(?:s|ed|ing)?\b|\bpending\b|\bin limbo\b", PENDING, None),
    (r"\b(?:discuss\w*|consult\w*|emergency meetings?|urgent meetings?|meetings?)\b[^.;]{0,40}?\b(?:whether|approv\w*|limit\w*|ratio)\b", PENDING, None),
    (r"\b(?:preliminary|draft|tentative|framework) (?:agreement|deal|accord)\b", PENDING, None),
    (r"\bworking (?:feverishly |hard )?on\b[^.;]{0,20}\b" + _LIC, PENDING, None),
    # licence required
    (r"\b(?:requir|need)(?:e|es|ed|ing|s)?\b[^.;]{0,45}?\b(?:" + _LIC + r"|permits?|(?:government |export |prior )?(?:approval|authori[sz]ation))\b", LICENSE, "export"),
    (r"\b(?:impos|introduc|issu|add)\w*\s+(?:a\s+|new\s+)?" + _LIC + r"\s+requirements?\b", LICENSE, "export"),
    (r"\b" + _LIC + r"\s+(?:requirements?|regime|obligations?)\b", LICENSE, "export"),
    (r"\bsubject to\b[^.;]{0,30}?\b(?:" + _LIC + r"|permits?|approval|export controls?)\b", LICENSE, "export"),
    (r"\bmust (?:obtain|apply for|seek|get)\b[^.;]{0,20}?\b(?:" + _LIC + r"|permits?|approval)\b", LICENSE, "export"),
    (r"\b" + _LIC + r"\s+(?:is|are|was|were|will be|would be|now)\s+(?:now |also )?(?:required|needed|necessary)\b", LICENSE, "export"),
    (r"\bis[- ]informed letter\b", LICENSE, "export"),
    (r"\b(?:to|must|need to|needs to|have to|has to|had to) (?:obtain|get|seek|apply for|secure)\b[^.;]{0,20}?\b(?:" + _LIC + r"|permits?)\b", LICENSE, "export"),
    (r"\b(?:appl(?:y|ies|ied|ying)|applications?|filing|requests?)\b[^.;]{0,25}?\b" + _LIC + r"\b|\b" + _LIC + r" (?:applications?|requests?)\b", PENDING, None, W),
    # a payment / revenue share stands on its own
    (r"\b(?:pay|paying|pays|paid|hand over|remit|give|giving)\b[^.;]{0,60}?\b\d{1,2}(?:\.\d)?\s?(?:%|percent)\b", CONDITIONAL, "export"),
    (r"\b\d{1,2}(?:\.\d)?\s?(?:%|percent)\s+(?:cut|share|fee|levy|of (?:the |their |its )?(?:revenue|revenues|sales|proceeds))\b", CONDITIONAL, "export"),
    (r"\brevenue[- ]shar\w+", CONDITIONAL, None),
    # banned, written with an approval word or a sales verb
    (r"\b(?:will|would|could|can|must|should|did|does|do)(?:n't| not)\s+(?:be\s+)?(?:sold|shipped|exported|sell|ship|export)\b|\b(?:won't|cannot|can't)\s+(?:be\s+)?(?:sold|shipped|exported|sell|ship)\b", BANNED, None),
    (r"\b(?:will|would|won't|wouldn't|did|does|do)(?:n't| not) let\b|\bwon't let\b|\bnot let\b", BANNED, None),
    # allowed
    (r"\b(?:could|can|may) (?:now |soon )?be (?:sold|shipped|exported)\b|\b(?:could|can) (?:now )?(?:sell|ship|export)\b(?=[^.;]{0,50}\b(?:to|in|into)\b)", ALLOWED, None),
    (r"\ballow(?:s|ed|ing)?\b|\bpermit(?:s|ted|ting)?\b(?!\s+(?:requirement|system|regime))|\bauthori[sz](?:e|es|ed|ing)\b", ALLOWED, None),
    (r"\bapprov(?:e|es|ed|ing|al|als)\b|\bgreen[- ]?l(?:ight|ighted|it)\b|\bgo-ahead\b|\bsign(?:s|ed)? off\b|\bok(?:'d|ayed)\b", ALLOWED, None),
    (r"\bclear(?:s|ed|ing)\b|\bclear the way\b", ALLOWED, None),
    (r"\b(?:suspend|halt|stop|revok|pull|withdr[ae]w|cancel)\w*\b[^.;]{0,30}?\b" + _LIC + r"\b", BANNED, None),
    (r"\b(?:grant|issu)(?:e|es|ed|ing|s)?\b[^.;]{0,40}?\b" + _LIC + r"\b|\b" + _LIC + r"\b[^.;]{0,30}?\b(?:granted|issued)\b", ALLOWED, "export"),
    (r"\b(?:resum|restart)(?:e|es|ed|ing|ption|s)?\b[^.;]{0,40}?\b(?:sales?|shipments?|exports?|selling|shipping|supply|supplies|deliveries)\b|\b(?:sales?|shipments?|exports?)\b[^.;]{0,30}?\b(?:resum|restart)\w+", ALLOWED, None),
    (r"\b(?:will|would|to) let\b|\blet(?:s|ting)?\b\s+(?:\w+\s+){0,3}?(?:sell|ship|export|buy|import|in)\b", ALLOWED, None),
    (r"\bcan (?:now |again |resume )?(?:sell|ship|export|buy|import)\b|\bfree to (?:sell|ship|buy)\b", ALLOWED, None),
    (r"\bprepare (?:their |its )?orders\b", ALLOWED, "import"),
    # banned
    (r"\bnot (?:be )?(?:a )?part of\b|\bnot (?:be )?included\b|\bexclud(?:e|es|ed|ing)\b|\boff the table\b", BANNED, None, X),
    (r"\bpresumption of denial\b|\bpresumptively denied\b", BANNED, None),
    (r"\bban(?:s|ned|ning)?\b|\bprohibit\w*|\bforb(?:id|ids|ade|idden)\b|\bembargo\w*|\boff[- ]limits\b", BANNED, None),
    (r"\bblock(?:s|ed|ing)?\b|\bbar(?:s|red|ring)?\b|\bcut(?:s|ting)? off\b|\bchok(?:e|ed|ing) off\b", BANNED, None),
    (r"\bden(?:y|ies|ied|ying)\b|\bdenial\b|\brevok\w+|\brescind\w*", BANNED, None),
    (r"\bhalt(?:s|ed|ing)?\b|\bstop(?:s|ped|ping)? (?:the )?(?:sales?|shipments?|exports?)\b", BANNED, None),
    (r"\bstop(?:s|ped|ping)?\b[^.;]{0,20}?\b(?:buying|purchasing|ordering|using|testing|imports?|importing)\b|\bcancel\w*\b[^.;]{0,15}?\b(?:orders?|purchases?)\b", BANNED, "import"),
    (r"\bonly (?:use )?domestic(?:ally made)?\b|\buse only domestic\w*", BANNED, "import"),
]

_EN_CONDITIONS = [
    r"\b\d{1,2}(?:\.\d)?\s?(?:%|percent)\b(?![^.;]{0,25}\b(?:rose|fell|jump\w*|gain\w*|drop\w*|climb\w*|slid|surg\w*|tumbl\w*|higher|lower)\b)",
    r"\bapproved customers\b|\bvetted customers\b|\bdesignated end users\b",
    r"\b(?:under|with|on) (?:certain |strict |the |some )?conditions?\b|\bconditions? that\b|\bconditional\b|\bon condition\b|\blist of conditions\b",
    r"\bcase[- ]by[- ]case\b|\bcertif\w+|\bsecurity (?:and reporting )?requirements?\b|\bthird[- ]party testing\b|\bsecurity inspections?\b",
    r"\bno more than\b|\bvolume (?:limits?|caps?)\b|\bquotas?\b|\bratio\b|\bexcluding (?:the )?military\b|\brevenue[- ]shar\w+",
    r"\bprovided that\b|\bas long as\b|\blimited (?:commercial )?use\b|\bbuy (?:some )?domestic\b",
    r"\bonly (?:to|for) (?:approved|vetted|certain|designated|licensed|commercial)\b|\bvetted\b|\bapproved buyers\b",
]

_KO_CUES: list[tuple] = [
    (r"(?:금지|제재|규제|통제|빗장)(?:를|을|가|이)?\s*(?:해제|풀|완화|철회)", ALLOWED, None),
    (r"(?:불허|금지|거부)[^.]{0,8}?(?:에서|에서는)[^.]{0,25}?(?:로|으로)\s*(?:바꾸|바꿨|바뀌|완화|전환)", ALLOWED, None),
    (r"(?:건별|사례별|개별|사안별)(?:로)?\s*(?:심사|허가|승인)", CONDITIONAL, None),
    (r"(?:같은|동일한|이와 같은)\s*(?:규제|조치|제한|요건|규정|통제|방식의 규제)", SAME, None),
    # discouraged
    (r"자제|소환|웨탄|창구\s*지도|불러\s*(?:들여|냈|내|모아)", DISCOURAGED, "import"),
    (r"(?:설명|해명|소명|이유)(?:을|를|하라고|하라는|할 것을|하도록)?\s*(?:요구|요청|촉구)", DISCOURAGED, "import"),
    (r"(?:사지|구매하지|구입하지|쓰지|사용하지|주문하지)\s*말(?:라|도록|것|아)", DISCOURAGED, "import"),
    (r"권고|권유|지양|억제", DISCOURAGED, "import"),
    # pending
    (r"(?:허용|승인|허가|허락)\s*(?:할지|될지|여부)", PENDING, None),
    (r"검토|심의|저울질|고심|숙고|미정|계류|보류|유보|부처\s*간\s*심사|심사\s*(?:중|하고|에 착수|를 진행)", PENDING, None),
    (r"심사(?!\s*(?:기준|정책|제도|원칙|방식))", PENDING, None, W),
    (r"결정(?:을|이|은)?\s*(?:아직\s*)?(?:내리지|하지|되지|짓지)?\s*(?:못|않)|결론(?:을|이)?\s*(?:내리지|나지)?\s*(?:못|않)|정해지지\s*않", PENDING, None),
    (r"(?:승인|허가|허용)(?:을|를|이)?\s*(?:기다리|대기|받지 못|나지 않)", PENDING, None),
    (r"(?:논의|협의)\s*(?:중|하고|되고)|긴급\s*회의|긴급회의|예비\s*합의|잠정\s*합의", PENDING, None),
    # licence required
    (r"(?:수출\s*)?(?:허가|승인|라이선스|라이센스|면허)\s*(?:대상|요건|의무|제도|가 필요|이 필요|를 받아야|을 받아야|를 받도록|을 받도록|필요)", LICENSE, "export"),
    (r"(?:허가|승인|라이선스|라이센스)(?:를|을)?\s*(?:받아야|얻어야|취득해야)", LICENSE, "export"),
    (r"필요하다고\s*통보|허가제", LICENSE, "export"),
    (r"(?:승인|허가|라이선스|라이센스)(?:를|을)?\s*신청|신청서", PENDING, None, W),
    # conditional payment
    (r"(?:수익|매출|수입|판매액|판매\s*대금|판매\s*수익|매출액)(?:의|\s)\s*\d{1,2}\s*%", CONDITIONAL, "export"),
    (r"\d{1,2}\s*%\s*(?:를|을)?\s*(?:미국\s*정부에|미\s*정부에|정부에|납부|내는|내기로|떼|지급|받는|받기로|상납|수수료)", CONDITIONAL, "export"),
    (r"조건부|조건(?:으로|을 달|하에|을 붙|을 걸|이 붙)", CONDITIONAL, None),
    # banned, written with an approval or sales word
    (r"(?:(?:허용|승인|허가|수출|판매)\s*)?(?:대상|범위|합의|거래)에서\s*(?:빠졌|빠지|빠진|제외)", BANNED, None, X),
    (r"(?:팔|판매하|수출하|내주|공급하)지\s*않(?:겠|을|기로|는다|는)|(?:갖|사|쓰|팔)지\s*못하게", BANNED, None),
    (r"(?:허용|승인|허가|허락)(?:하지|되지|할 수 없|될 수 없|은 불가|불가)\s*(?:않|못)?", BANNED, None),
    # allowed
    (r"(?:판매|수출|공급|선적|출하|구매|수입)(?:를|을)?\s*(?:다시\s*)?(?:재개|시작)|재개(?:한다|했|하기로|될|할)", ALLOWED, None),
    (r"(?:허가|라이선스|라이센스)(?:\s*발급)?(?:을|를)?\s*(?:중단|취소|철회|정지)", BANNED, None),
    (r"허가(?:를|도)?\s*(?:내주|내줬|내준|내줄|발급|했|하기로|한다|하겠|받았|받은|받게|받아\s*냈|나)", ALLOWED, None),
    (r"라이선스(?:를|도)?\s*(?:내주|내줬|내준|발급|받았|받은)", ALLOWED, None),
    (r"허용|승인|허락|재승인", ALLOWED, None),
    (r"(?:빗장|길|문)(?:을|이)?\s*(?:풀|열)|청신호|녹색불|손을 들어", ALLOWED, None),
    (r"(?:수출|판매|구매|수입|선적|구입)(?:할|될)\s*수\s*있(?:게|도록)", ALLOWED, None),
    (r"주문(?:을|를)?\s*준비", ALLOWED, "import"),
    # banned
    (r"반입(?:이|을)?\s*(?:허용되지|금지|막|불허|차단)", BANNED, "import"),
    (r"금지|차단|불허|봉쇄|금수|막(?:혔|히|아|았|는|을|힌|혀)|틀어막", BANNED, None),
    (r"(?:구매|수입|주문|테스트|사용|도입)(?:을|를|도)?\s*(?:중단|취소|중지)", BANNED, "import"),
    (r"(?:수출|판매|공급)(?:을|를)?\s*(?:중단|중지)", BANNED, None),
    (r"제외(?:됐|되|했|한|하|된)", BANNED, None, X),
    (r"(?:판매|수출)(?:가|를|할)?\s*(?:수 없|불가)", BANNED, None),
    (r"국산\s*(?:칩|반도체|제품)만", BANNED, "import"),
]

_KO_CONDITIONS = [
    r"\d{1,2}\s*%(?![^.]{0,15}(?:올랐|상승|하락|떨어|급등|급락|뛰었))", r"조건", r"승인된\s*고객", r"사전\s*승인", r"일정\s*(?:비율|물량)", r"사안별|개별\s*심사",
    r"국산\s*(?:칩|반도체|AI\s*칩)(?:을|를)?\s*(?:함께|같이)?", r"사례별|건별", r"인증", r"상한|한도", r"군(?:사)?용\s*(?:제외|은 제외)",
    r"요건", r"보안\s*검사",
]

_ZH_CUES: list[tuple] = [
    (r"(?:解除|取消|放宽|撤销)(?:了)?(?:对\S{0,10}的)?(?:禁令|禁售|限制|管制)", ALLOWED, None),
    (r"由[^。，]{0,12}(?:推定拒绝|禁止|拒绝)[^。，]{0,8}(?:改为|调整为|转为|变为|放宽为)", ALLOWED, None),
    (r"逐案(?:审查|审批|决定|审核)?|个案审查", CONDITIONAL, None),
    (r"适用于|同样适用|涵盖|同样的(?:限制|规定|要求|管制)|在此范围内|属于此范围|在(?:该|上述)范围内", SAME, None),
    # discouraged
    (r"劝阻|约谈|窗口指导|不鼓励|施压", DISCOURAGED, "import"),
    (r"(?:要求|责令|询问)[^。；]{0,40}?(?:说明|解释|理由)", DISCOURAGED, "import"),
    (r"(?:建议|敦促|要求|指导)[^。；]{0,20}?(?:避免|不要|暂缓|减少)", DISCOURAGED, "import"),
    (r"避免(?:使用|采购|购买|订购)|非必要不(?:采购|购买|使用|进口)", DISCOURAGED, "import"),
    # pending
    (r"(?:能否|是否)(?:允许|批准|放行|采购|购买|进口)", PENDING, None),
    (r"审核|审议|评估|权衡|斟酌|考虑|研究是否|尚无定论|悬而未决|待定|跨部门审查|正在审查|审查中", PENDING, None),
    (r"审查(?!政策|标准|制度|原则)", PENDING, None, W),
    (r"尚未(?:决定|批准|作出|做出|获批|放行|敲定)|(?:没有|未)(?:作出|做出)?决定|未获批", PENDING, None),
    (r"初步协议|框架协议|等待(?:批准|审批|许可|获批)|审批中|(?:紧急|闭门)会议|讨论(?:是否|如何)", PENDING, None),
    (r"(?:暂停|停止|取消|撤销|吊销)(?:向\S{1,8})?(?:发放|颁发|签发)?[^。，]{0,10}许可证?", BANNED, None),
    # allowed before licence words ("发放...出口许可证")
    (r"(?:恢复)?(?:向\S{1,8})?(?:发放|颁发|授予|签发)[^。，]{0,12}许可证?", ALLOWED, "export"),
    # licence required
    (r"(?:需要|需|须|必须)(?:获得|申请|取得|得到)?(?:美国)?(?:政府)?(?:的)?(?:出口)?(?:许可|批准|授权)", LICENSE, "export"),
    (r"许可证?(?:要求|制度|管理)|出口许可(?!审查|申请|政策)", LICENSE, "export"),
    (r"(?:提交|递交)[^。，]{0,4}申请|申请(?:出口)?许可", PENDING, None, W),
    # conditional
    (r"\d{1,2}\s*%\s*(?:的)?(?:收入|营收|销售额|销售收入|分成|提成|抽成)|(?:收入|营收|销售额|销售收入)(?:的|中)?\s*(?:抽取|收取|提取)?\s*\d{1,2}\s*%", CONDITIONAL, "export"),
    (r"有条件|附(?:加|带)?[^。，]{0,12}条件|条件下|分成|抽成", CONDITIONAL, None),
    # banned written with an approval word
    (r"不在[^。；，]{0,8}(?:之内|范围内|之列)|排除在外|不包括", BANNED, None, X),
    (r"(?:不|未|没有)被?(?:允许|批准|放行|准许|同意)|不得(?!用于)(?:进口|出口|销售|购买|采购)?|不准", BANNED, None),
    # allowed
    (r"允许|批准|放行|解禁|获准|获批|准许|开绿灯|松绑|同意(?:向|对|恢复)", ALLOWED, None),
    (r"恢复(?:对华)?(?:销售|出口|供应|供货|发货)", ALLOWED, None),
    # banned
    (r"推定拒绝|禁止|禁令|禁售|禁运|封锁|叫停|拦截|断供", BANNED, None),
    (r"(?:停止|暂停|取消)(?:采购|购买|订购|使用|测试|订单|进口)|拆除", BANNED, "import"),
    (r"只能(?:使用|采购|购买)国产", BANNED, "import"),
    (r"(?:停止|暂停)(?:销售|出口|供货|发货)", BANNED, "export"),
]

_ZH_CONDITIONS = [r"\d{1,2}\s*%", r"条件", r"不得用于", r"获批客户|经批准的客户|认可的客户", r"逐案|个案", r"认证", r"上限|配额|比例", r"国产芯片", r"第三方检测"]

_CUE_TABLES = {"en": _EN_CUES, "ko": _KO_CUES, "zh": _ZH_CUES}
_LEX = {}
for _lang, _table in _CUE_TABLES.items():
    _flags = re.I if _lang == "en" else 0
    _LEX[_lang] = [(re.compile(row[0], _flags), row[1], row[2], set(row[3:])) for row in _table]
_CONDITIONS = {
    "en": [re.compile(p, re.I) for p in _EN_CONDITIONS],
    "ko": [re.compile(p) for p in _KO_CONDITIONS],
    "zh": [re.compile(p) for p in _ZH_CONDITIONS],
}
# Most sentences can match only a few cue or condition patterns: one gate per language (over
# the cues, then the conditions) skips the others; the matches are the same.
# The family is shared with the date rules (reldates), which run on the same sentences.
_GATES = {lang: LiteralGate([row[0] for row in _LEX[lang]] + _CONDITIONS[lang], family=f"sentence:{lang}")
          for lang in _LEX}
# A sentence stating only a condition, that upgrades the approvals before it.
_CONDITION_SENTENCE = {
    "en": re.compile(r"\bconditions?\b|\bin return for\b|\bin exchange for\b|\bprovided that\b|\bon the condition\b", re.I),
    "ko": re.compile(r"조건"),
    "zh": re.compile(r"条件|前提"),
}

# --------------------------------------------------------------- modifiers
_EN_NEG_BEFORE = re.compile(r"\b(?:not|never|no longer|refus\w+ to|declin\w+ to)\s+(?:\w+\s+){0,2}$|n't\s+(?:\w+\s+){0,2}$", re.I)
_EN_NOT_YET_BEFORE = re.compile(r"\bnot yet\s+(?:\w+\s+){0,2}$|\byet to\s+(?:\w+\s+){0,2}$", re.I)
_EN_HYPO_BEFORE = re.compile(
    r"\b(?:could|might|may|if|unless|whether|possibly|potentially|hope[sd]? to|hoping to|plans? to|planning to|expects? to|expected to|seek(?:s|ing)? to|wants? to|would like to|idea|proposal|option)\b[^.;,]{0,40}$", re.I)
_EN_APPEAL_BEFORE = re.compile(
    r"\b(?:urg\w+|call(?:s|ed|ing)? (?:on|for)|press(?:ed|ing)?|lobb\w+|push(?:ed|ing)? (?:for|to)|demand\w*|should|bill|legislation|propos\w+|letter)\b[^.;]{0,60}$", re.I)
_EN_REFERENCED_BEFORE = re.compile(r"\b(?:decision|move|plan|announcement|offer)\s+(?:to\s+)?(?:\w+\s+){0,2}$", re.I)
_EN_STANDING_BEFORE = re.compile(r"\b(?:remain|remains|remained|still|stay|stays|already|long)\b[^.;]{0,25}$", re.I)
_KO_NEG_AFTER = re.compile(r"^[가-힣]{0,3}(?:지(?:는|도|만)?\s*않|지(?:는|도)?\s*못|할 수 없|될 수 없|\s*불가|\s*안\s*(?:돼|된|한|하))")
_KO_HYPO_AFTER = re.compile(
    r"^[^.]{0,12}?(?:ㄹ|할|될|을|를)?\s*수(?:도)?\s*있(?:을|다는|는지|다고|으며|다|어)|^[^.]{0,6}?(?:더라도|다면|할 경우|될 경우|하면|되면|할지|될지)"
    r"|^[^.]{0,6}?(?:는|하는|을|할)?\s*(?:방안|구상)(?:이|을|도)|^[^.]{0,12}?(?:전망|가능성|예상|관측|계획|경우)|^[^.]{0,14}?(?:다는|라는)\s*(?:지적|비판|우려|관측|분석|평가|주장|전망)")
_KO_APPEAL_AFTER = re.compile(r"^[^.]{0,20}?(?:촉구|요구했|주장|해야\s*한다|하라고 요구|반대)|^[^.]{0,8}?(?:하지\s*말|말라|말 것)")
_KO_REFERENCED_AFTER = re.compile(r"^[^.]{0,8}?(?:결정|것|데|조치|소식)(?:을|를|에|이)?\s*(?:두고|대해|대한|비판|반발|놓고|에|이)")
_KO_STANDING = re.compile(r"여전히|이미|계속|아직도")
_ZH_NEG_BEFORE = re.compile(r"(?:不|未|没有|并未|尚未)被?$")
_ZH_HYPO_BEFORE = re.compile(r"(?:可能|或将|或许|也许|如果|若|假如|有望|计划|打算|拟|是否)[^。；，]{0,12}$")
_ZH_HYPO_AFTER = re.compile(r"^[^。；，]{0,4}?(?:可能|或将|或许)")
_ZH_APPEAL_BEFORE = re.compile(r"(?:呼吁|敦促|要求美国|主张|应当|应该|美方应)[^。；]{0,15}$")
_ZH_REFERENCED = re.compile(r"针对[^。，]{0,30}$")
_ZH_REFERENCED_AFTER = re.compile(r"^[^。，]{0,25}一事")
_ZH_STANDING = re.compile(r"(?:仍|依然|仍然|继续)[^。，]{0,6}$")

# ------------------------------------------------------------ segments
_SEGMENT_CUTS = {
    "en": re.compile(
        r";|,?\s+\b(?:but|while|whereas|although|though|however)\b|\s+—\s+|,\s+(?:reversing|overturning|following)\b"
        r"|,?\s+(?:[\w-]+\s+){0,3}?(?:after|before|when|since|until)\b(?!\s+(?:April|May|June|July|the same))"
        r"|,\s+(?:which|who)\b|,\s+(?:with|in return for)\b(?=[^.;]{0,60}\b(?:allow|approv|ban|block|licen))", re.I),
    "ko": re.compile(r";|(?:지만|으나|반면|는데도?|한편)[,\s]|,\s|그러나\s|하지만\s|반면\s|다만\s"),
    "zh": re.compile(r"[；;，,]"),
}

# ------------------------------------------------------------ actors
_GOV_EN = {
    "USA": r"\b(?:U\.S\.|US|United States|Washington|Trump|Biden|White House|Commerce (?:Department|Secretary|Dept\.?)|Department of Commerce|BIS|Bureau of Industry and Security|Lutnick|Raimondo|(?:the |Trump |Biden )administration|federal government|American government)\b",
    "CHN": r"\b(?:Beijing|Chinese (?:government|authorities|regulators|officials|customs|state|leadership|ministry|commerce ministry)|China's (?:government|regulators|authorities|customs|industry ministry|commerce ministry|cyberspace|internet|top|state)|CAC|Cyberspace Administration|MIIT|industry ministry|customs(?: officials| authorities| agents| teams)?|NDRC|state planner|SAMR|regulators in Beijing|Government officials)\b",
}
_GOV_KO = {
    "USA": r"미국\s*정부|미\s*정부|미\s*행정부|미국\s*행정부|트럼프|바이든|백악관|미국\s*상무부|미\s*상무부|산업안보국|워싱턴|미국(?:은|이|도|측)|미\s*당국|미국\s*당국|러트닉|루트닉",
    "CHN": r"중국\s*정부|중국\s*당국|중\s*당국|중국\s*규제\s*당국|규제\s*당국|베이징|중국\s*세관|세관\s*당국|세관|해관|국가인터넷정보판공실|인터넷정보판공실|사이버\s*공간\s*관리국|공업정보화부|공신부|발전개혁위원회|중국(?:은|이|도|측)|中\s*정부|中\s*당국",
}
_GOV_ZH = {
    "USA": r"美国政府|美方|美国商务部|美商务部|美国工业和安全局|工业与安全局|特朗普|拜登|白宫|华盛顿|美国(?!客户|市场|企业|公司|技术|产品)|卢特尼克",
    "CHN": r"中国政府|中方|中国海关|海关|网信办|国家互联网信息办公室|工信部|工业和信息化部|发改委|监管部门|监管机构|有关部门|相关部门|主管部门|北京|中国(?:当局|官方)|中国(?=已|已经|正|将|决定|批准|允许|禁止)",
}
_GOV = {lang: {k: re.compile(v, re.I if lang == "en" else 0) for k, v in table.items()}
        for lang, table in (("en", _GOV_EN), ("ko", _GOV_KO), ("zh", _GOV_ZH))}
_KO_SUBJECT = re.compile(r"^\s*(?:당국|측|정부)?\s*(?:은|는|이|가|도|측은|측이)(?![가-힣])")

_IMPORT_WORDS = {
    "en": re.compile(r"\b(?:import\w*|buy|buys|buying|purchas(?:e|es|ed|ing)|order(?:s|ed|ing)?|customs|procur\w*|bought|let the chips in|enter)\b", re.I),
    "ko": re.compile(r"수입|구매|구입|반입|주문|통관|세관|도입|들여오"),
    "zh": re.compile(r"进口|采购|购买|订购|入境|海关|通关|进入中国"),
}
_EXPORT_WORDS = {
    "en": re.compile(r"\b(?:export\w*|sell\w*|sales?|ship\w*|sold|suppl\w+)\b", re.I),
    "ko": re.compile(r"수출|판매|선적|공급|출하"),
    "zh": re.compile(r"出口|销售|出售|供应|对华|销往"),
}

# Destination slots around a country mention.
_DEST_BEFORE = {
    "en": re.compile(r"\b(?:to|for|into|in|toward|towards|destined for|bound for|from)\s+(?:the\s+)?$", re.I),
    "ko": re.compile(r"(?:대|對)$"),
    "zh": re.compile(r"(?:向|对|往|输|销往|出口到|出口至|进入|在)$"),
}
_DEST_AFTER = {
    "en": re.compile(r"^(?:-bound|-specific|'s market|\s+market|n? customers|n? (?:buyers|firms|companies|clients|tech|technology|groups|giants|cloud|developers|users))", re.I),
    "ko": re.compile(r"^(?:에|으로|로|용|향|\s*시장|\s*수출|\s*판매|\s*고객|\s*기업|의\s*(?:승인된\s*)?(?:고객|기업|빅테크))"),
    "zh": re.compile(r"^(?:市场|客户|企业|公司|经批准的客户|买家)"),
}
_DEST_SURFACE = re.compile(r"^(?:对华|访华|赴华|输华|来华|对中)")

# Dates: the media's report, or a party's speech, rather than the decision.
_REPORT_BEFORE = {
    "en": re.compile(r"\b(?:reported|reports|report said|according to (?:the )?(?:report|newspaper|people|sources)[^,]{0,10})\s*(?:on\s+)?$", re.I),
    "ko": re.compile(r"(?:보도에 따르면|통신은|통신이|신문은|신문이|방송은|방송이|외신은|외신이|(?:FT|WSJ|AP|NYT|CNBC|SCMP)\)?(?:는|가|은|이))\s*$"),
    "zh": re.compile(r"(?:据\S{0,8}|报道称?|路透社?|彭博社?)$"),
}
_REPORT_AFTER = {
    "en": re.compile(r"^\s*,?\s*(?:citing|according to)\b", re.I),
    "ko": re.compile(r"^\s*(?:\(현지\s*시[각간]\)|\(한국\s*시간\))?\s*[^.\"“]{0,25}?보도(?:했|하며|하면서|한 바|됐|된)"),
    "zh": re.compile(r"^[^。，：:“\"]{0,25}报道"),
}
_SPEECH_BEFORE = {
    "en": re.compile(r"\b(?:said|says|told|announced|confirmed|wrote|posted|disclosed|stated|declined|added)\s*(?:on\s+)?$", re.I),
    "ko": re.compile(r"(?!x)x"),
    "zh": re.compile(r"(?!x)x"),
}
_SPEECH_AFTER = {
    "en": re.compile(r"^\s+(?:that|it)\b", re.I),
    "ko": re.compile(r"^\s*(?:\(현지\s*시[각간]\)|\(한국\s*시간\))?\s*(?:[^.]{0,20}?(?:에서|통해|만나)\s*)?[^.]{0,30}?(?:밝혔|말했|발표|공시|설명|언급|전했|강조|덧붙였|주장)"),
    "zh": re.compile(r"^\s*(?:在[^。，]{0,15})?(?:表示|称|说|宣布|发布|透露|指出|回应)"),
}
_AFTER_OFFSET = re.compile(r"\b(?:days?|weeks?)\s+(?:after|later)\b", re.I)

# A pronoun subject continues the previous sentence's event.
_PRONOUN_SUBJECT = {
    "en": re.compile(r"^(?:He|She|They|It)\b|^[^.]{0,40},\s+(?:he|she) (?:said|added)\b"),
    "ko": re.compile(r"(?:^|\s)(?:그는|그녀는|이들은|그는\s)"),
    "zh": re.compile(r"(?:^|，)(?:他|她|其)(?:还|并|则|也)?(?:表示|称|说|没有|未|强调)"),
}

# Words that refer back to the chip under discussion.
_ANAPHOR = {
    "en": re.compile(r"\b(?:the|these|those|such|its|their)\s+(?:\w+\s+)?(?:chips?|accelerators?|processors?|parts?|GPUs?|imports?|purchases?|sales|exports?|shipments?|orders?)\b|(?<!of )\bthem\b|\bshipments\b", re.I),
    "ko": re.compile(r"(?:해당|이|이들|그|같은)\s*(?:칩|제품|반도체)|구매|수입|반입|판매|수출|선적|주문"),
    "zh": re.compile(r"(?:该|这些|此类|这款|相关)(?:芯片|产品)|采购|进口|购买|出口|销售"),
}
# Anaphors that are bare trade nouns rather than words pointing at a chip.
_BARE_ANAPHOR = re.compile(r"shipments|구매|수입|반입|판매|수출|선적|주문|采购|进口|购买|出口|销售", re.I)
# Other goods: a decision about them is no chip decision.
_OTHER_GOODS = re.compile(
    r"equipment|tools?\b|machines|rare[- ]earth|gallium|germanium|subsid|장비|희토류|보조금|设备|稀土|补贴|US-origin|U\.S\.-origin|미국산 반도체"
    r"|세금|tariff|관세|关税|incentive|stimulus|지원책|펀드|基金", re.I)
# A class of chips rather than the chip under discussion: no implicit claim on the main chip.
_GENERIC_CHIPS = re.compile(
    r"(?:엔비디아|Nvidia|英伟达)(?:'s)?\s*(?:의\s*)?(?:칩|chips|芯片)|제품|products|产品|foreign chips|외국산?\s*칩|国外芯片|外国芯片"
    r"|(?:advanced|AI|high-end|cutting-edge|American|US|U\.S\.)[- ](?:AI[- ])?(?:chips|processors|semiconductors)"
    r"|첨단\s*(?:AI\s*)?(?:칩|반도체)|AI\s*(?:칩|반도체)|인공지능\s*(?:칩|반도체)|先进(?:计算)?芯片|AI芯片|人工智能芯片|高端芯片", re.I)

_COMPARE_BEFORE = {
    "en": re.compile(r"\b(?:than|(?<!such )as|like|versus|vs\.?|compared (?:with|to)|successor to|replac\w+|unlike|outperforms?)\s+(?:the\s+|its\s+|Nvidia's\s+|AMD's\s+)?$", re.I),
    "ko": re.compile(r"(?!x)x"),
    "zh": re.compile(r"(?:比|较|相比|不如|相当于)(?:此前|之前|原先)?(?:对华特供的)?$"),
}
_COMPARE_AFTER = {
    "en": re.compile(r"^(?:-class|-equivalent)", re.I),
    "ko": re.compile(r"^\s*(?:보다|에 비해|대비|와 비교|과 비교|의\s*\d+배|의 후속|을 대체|를 대체|에 버금)"),
    "zh": re.compile(r"^(?:的?[\d一二三四五六七八九十]+倍|相比|的后继|的替代)"),
}
_ARCH_DESCRIBES = {
    "en": (re.compile(r"^(?:\s+|-)(?:based|architecture|design|family|platform)|^-based", re.I),
           re.compile(r"\b(?:based on|built on) (?:the |its |Nvidia's )?(?:older |previous |earlier )?$", re.I)),
    "ko": (re.compile(r"^\s*(?:기반|아키텍처|아키텍쳐|구조|를 바탕|을 바탕|을 기반|를 기반)"), re.compile(r"(?!x)x")),
    "zh": (re.compile(r"^\s*(?:架构|为基础|基础上)"), re.compile(r"(?:基于|采用)$")),
}


def _lang(article_language: Optional[str], text: str) -> str:
    if article_language in ("en", "ko", "zh"):
        return article_language
    if re.search(r"[가-힣]", text):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "en"


# ------------------------------------------------------------ cue finding
def _find_cues(sent: str, lang: str) -> list[_Cue]:
    cues: list[_Cue] = []
    lexicon, conditions = _LEX[lang], _CONDITIONS[lang]
    rows, n = _GATES[lang].select(sent), len(lexicon)
    for i in (i for i in rows if i < n):
        regex, status, side, flags = lexicon[i]
        for m in regex.finditer(sent):
            s, e = m.span()
            if s == e or any(s < c.end and c.start < e for c in cues if c.kind == "status"):
                continue
            cues.append(_Cue(s, e, status, side, weak=W in flags, exclusion=X in flags))
    for i in (i for i in rows if i >= n):
        for m in conditions[i - n].finditer(sent):
            cues.append(_Cue(m.start(), m.end(), CONDITIONAL, None, kind="condition"))
    cues.sort(key=lambda c: c.start)
    status_spans = [(c.start, c.end) for c in cues if c.kind == "status"]
    cues = [c for c in (_modify(sent, c, lang, status_spans) for c in cues) if c is not None]
    if any(c.kind == "status" and not c.weak for c in cues):
        cues = [c for c in cues if not c.weak]  # "applied for licences" loses to the approval
    return cues


def _modify(sent: str, cue: _Cue, lang: str, spans=()) -> Optional[_Cue]:
    """Negation, hypotheticals, appeals, references and standing restrictions around a cue.

    The context looked at before a cue stops at the previous cue ("could sell ... with a
    25% cut": the "could" belongs to the sale, not to the cut)."""
    if cue.kind == "condition":
        return cue
    lo = max([e for s, e in spans if e <= cue.start] + [max(0, cue.start - 80)])
    before = sent[lo: cue.start]
    after = sent[cue.end: cue.end + 30]
    text = sent[cue.start:cue.end]
    if lang == "en":
        if cue.status == ALLOWED and not re.search(r"\blift|\brevers|\breplac|\beas|no longer", text, re.I):
            if _EN_NOT_YET_BEFORE.search(before):
                cue.status = PENDING
            elif _EN_NEG_BEFORE.search(before[-40:]):
                cue.status = BANNED
        elif cue.status == BANNED and not cue.exclusion and _EN_NEG_BEFORE.search(before[-25:]) \
                and not re.search(r"\blet\b|\bsold\b|\bsell\b|\bship|\bexport", text):
            return None  # "not banned": no decision
        elif cue.status == PENDING and re.search(r"\b(?:not|never)\s+(?:yet\s+)?$|\bnot\s+(?:\w+\s+)?$", before[-20:]) \
                and not re.search(r"not|yet|undecided|no ", text, re.I):
            return None  # "has not applied for licences"
        if cue.status != PENDING and _EN_HYPO_BEFORE.search(before[-45:]):
            return None
        if cue.status not in (DISCOURAGED, PENDING) and _EN_APPEAL_BEFORE.search(before[-60:]):
            return None
        cue.referenced = bool(_EN_REFERENCED_BEFORE.search(before[-30:]))
        cue.standing = bool(_EN_STANDING_BEFORE.search(before[-30:]))
    elif lang == "ko":
        if cue.status == ALLOWED and _KO_NEG_AFTER.search(after):
            cue.status = BANNED
        elif cue.status == BANNED and _KO_NEG_AFTER.search(after) and not text.startswith(("허용", "승인", "허가", "허락")):
            return None
        elif cue.status == PENDING and cue.weak and _KO_NEG_AFTER.search(after):
            return None  # "허가를 신청하지 않았다"
        if cue.status != PENDING and _KO_HYPO_AFTER.search(after):
            return None
        if cue.status not in (DISCOURAGED, PENDING) and _KO_APPEAL_AFTER.search(after):
            return None
        cue.referenced = bool(_KO_REFERENCED_AFTER.search(after))
        cue.standing = bool(_KO_STANDING.search(sent[max(0, cue.start - 25): cue.start]))
    else:
        if cue.status == ALLOWED and _ZH_NEG_BEFORE.search(before):
            cue.status = BANNED
        if cue.status != PENDING and (_ZH_HYPO_BEFORE.search(before[-15:]) or _ZH_HYPO_AFTER.search(after)):
            return None
        if cue.status not in (DISCOURAGED, PENDING) and _ZH_APPEAL_BEFORE.search(before[-20:]):
            return None
        cue.referenced = bool(_ZH_REFERENCED.search(before) or _ZH_REFERENCED_AFTER.search(after))
        cue.standing = bool(_ZH_STANDING.search(before[-10:]))
    return cue


def _resolve_status(cues: list[_Cue], conditions: bool) -> Optional[str]:
    strong = [c for c in cues if c.kind == "status" and not c.weak]
    statuses = [c.status for c in (strong or [c for c in cues if c.kind == "status"])]
    if not statuses:
        return None
    for s in (SAME, DISCOURAGED, PENDING):
        if s in statuses:
            return s
    if CONDITIONAL in statuses:
        return CONDITIONAL
    if ALLOWED in statuses and conditions:
        return CONDITIONAL
    if LICENSE in statuses and ALLOWED not in statuses:
        return LICENSE
    first = next((s for s in statuses if s != LICENSE), LICENSE)
    return first


# ------------------------------------------------------------ helpers
def _sentence_spans(article, sentences) -> list[tuple[int, int]]:
    if isinstance(sentences, dict):
        sentences = sentences.get("body")
    if sentences:
        return [(int(a), int(b)) for a, b in sentences]
    try:
        from chipwatch.extract.sentences import split_sentences
        return split_sentences(article.body or "", article.language)
    except Exception:  # pragma: no cover - the splitter belongs to another module
        spans, start = [], 0
        body = article.body or ""
        for m in re.finditer(r"(?<=[.!?。！？])\s+|\n+", body):
            spans.append((start, m.start()))
            start = m.end()
        if start < len(body):
            spans.append((start, len(body)))
        return [(a, b) for a, b in spans if b > a]


_GOV_KINDS = ("government", "agency", "regulator", "ministry", "customs")


def _gov_country(m: Mention, kb) -> Optional[str]:
    """Country of a government body, or of an official of one, named by a mention; else None.

    Legislatures, parties, media and think tanks decide no exports; company
    people (a CEO, "Tencent president") are no government either.
    """
    if kb is None or m.type not in ("organization", "person"):
        return None
    try:
        row = kb.row(m.id) or {}
        if m.type == "person":
            row = kb.organizations.get(row.get("affiliation") or "") or {}
        if any(k in (row.get("kind") or "").lower() for k in _GOV_KINDS):
            return row.get("country") or None
    except Exception:
        return None
    return None


def _company_country(m: Mention, kb) -> Optional[str]:
    if kb is None or m.type != "company":
        return None
    try:
        return (kb.companies.get(m.id) or {}).get("country") or None
    except Exception:
        return None


def _chip_is_domestic_chinese(chip_id: str, kb) -> bool:
    if chip_id.startswith(("Ascend", "MLU")):
        return True
    if kb is None:
        return False
    try:
        row = kb.chips.get(chip_id) or kb.architectures.get(chip_id) or {}
        vendor = row.get("vendor") or ""
        return (kb.companies.get(vendor) or {}).get("country") == "CHN"
    except Exception:
        return False


def _chip_architecture(chip_id: str, kb) -> Optional[str]:
    if kb is None:
        return None
    try:
        return (kb.chips.get(chip_id) or {}).get("architecture") or None
    except Exception:
        return None


def _is_destination_slot(sent: str, start: int, end: int, lang: str) -> bool:
    if _DEST_SURFACE.match(sent[start:end]):
        return True
    before = sent[max(0, start - 20): start]
    after = sent[end: end + 16]
    return bool(_DEST_BEFORE[lang].search(before) or _DEST_AFTER[lang].match(after))


@dataclass
class _Actor:
    pos: int
    iso: str
    subject: bool = False  # marked as the grammatical subject (Korean particles)
    gov: bool = True  # a government body or official, not just the country's name


_SUBJECT_NEXT = {
    "en": re.compile(r"^(?:'s (?:government|regulators|authorities|customs|cyberspace|industry|commerce|top))|^,?\s+(?:has|have|had|is|was|were|will|would|did|does|also|now|then|appears|said|says|\w+ed)\b", re.I),
    "ko": _KO_SUBJECT,
    "zh": re.compile(r"^(?:已|已经|正|将|决定|批准|允许|禁止|要求|表示|称|则|也|政府|当局|方面|于)"),
}


def _looks_like_subject(sent: str, end: int, lang: str) -> bool:
    return bool(_SUBJECT_NEXT[lang].match(sent[end: end + 30]))


def _actors(sent: str, lang: str, s0: int, mentions: list[Mention], kb) -> list[_Actor]:
    """Every acting government named in the sentence, in text order."""
    found: list[_Actor] = []
    for iso, regex in _GOV[lang].items():
        for m in regex.finditer(sent):
            if lang == "en" and iso == "USA" and _DEST_AFTER["en"].match(sent[m.end(): m.end() + 16]):
                continue  # "U.S. customers"
            subj = _looks_like_subject(sent, m.end(), lang) or bool(lang == "ko" and re.search(r"(?:은|는|이|가|도)$", m.group(0)))
            bare = bool(re.fullmatch(r"(?:U\.S\.|US|United States|America|Washington|Beijing|미국|중국|美国|中国|北京|华盛顿|베이징|워싱턴)"
                                     r"(?:은|는|이|가|도|측)?", m.group(0).strip(), re.I))
            found.append(_Actor(m.start(), iso, subj, not bare))
    for m in mentions:
        if any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
               for o in mentions):
            continue  # "商务部" inside "美国商务部"
        off, end = m.start - s0, m.end - s0
        iso = _gov_country(m, kb)
        if not iso and m.type == "country" and m.id == "CHN" and not _is_destination_slot(sent, off, end, lang):
            tail = sent[end: end + 30]
            if lang == "ko" and not _KO_SUBJECT.match(tail):
                continue
            if lang == "en" and re.match(r"(?:n|'s)\b", tail) and not re.match(
                    r"'s (?:government|regulators|authorities|customs|cyberspace|industry|commerce|top|ministry|foreign|officials|leaders)", tail):
                continue
            if lang == "zh" and re.match(r"(?:企业|公司|市场|客户|芯片|国产|自主|本土|科技)", tail):
                continue
            iso = "CHN"
        if iso:
            found.append(_Actor(off, iso, _looks_like_subject(sent, end, lang), m.type != "country"))
    found.sort(key=lambda a: a.pos)
    return found


def _segments(sent: str, lang: str, cues: list[_Cue], actors: list[_Actor]) -> list[tuple[int, int]]:
    cuts = {0, len(sent)}
    for m in _SEGMENT_CUTS[lang].finditer(sent):
        if 0 < m.start() < len(sent):
            cuts.add(m.start())
    # a second government acting after a first one's cue starts a new segment
    for c in sorted(cuts):
        if 0 < c < min(20, len(sent)) and not re.match(r"[;；，,]", sent[c:c + 1]):
            cuts.discard(c)  # "Four| days after ...": no clause before it
    bounds = sorted(cuts)
    for a, b in zip(bounds, bounds[1:]):
        seg_cues = [c for c in cues if c.kind == "status" and a <= c.start < b]
        seg_actors = [x for x in actors if a <= x.pos < b]
        for x in seg_actors:
            prior = [y for y in seg_actors if y.pos < x.pos]
            if prior and any(y.iso != x.iso for y in prior) and any(prior[-1].pos < c.start < x.pos for c in seg_cues):
                comma = sent.rfind(",", a, x.pos)
                cuts.add(comma if comma > a and x.pos - comma < 40 else x.pos)
    bounds = sorted(cuts)
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


# What may stand between two chips of one list: separators, conjunctions, vendor names,
# generic chip nouns and a few modifiers ("the H20 and the MI308", "H100과 H800",
# "Nvidia's H200, AMD's MI325X", "newest Blackwell chips, and the coming Rubin").
_GROUP_GAP = re.compile(
    r"(?:[\s,、·/()'‘’“”]|\b(?:and|or|as well as|plus|the|its|their|newest|latest|coming|next|new|older|"
    r"next-generation|chips?|accelerators?|processors?|GPUs?|generation|gaming|card|[A-Z][A-Za-z]+'s)\b"
    r"|및|과|와|또는|그리고|등|엔비디아의?|AMD의?|인텔의?|화웨이의?|차세대|최신|게이밍용|[가-힣]{1,3}용"
    r"|和|与|及|以及|或|英伟达的?|AMD的?|华为的?|芯片|最新的?|下一代|消费级显卡)*", re.I)


def _list_gap(gap: str) -> bool:
    """True when the text between two chips only continues a list: whitelisted words, plus at
    most one other English word ("the newer H100", "and upcoming Rubin", "and soon, Rubin")."""
    if _GROUP_GAP.fullmatch(gap):
        return True
    rest = [t for t in re.split(r"[\s,、·/()'‘’“”]+", gap) if t and not _GROUP_GAP.fullmatch(t)]
    return len(rest) == 1 and bool(re.fullmatch(r"[a-z][a-z-]+", rest[0]))


def _chip_groups(chips: list[tuple[int, int, str]], sent: str, cues: list[_Cue]) -> list[list[tuple[int, int, str]]]:
    """Chips joined only by separators ("H100 and H800", "H200과 AMD MI325X") form one group."""
    groups: list[list[tuple[int, int, str]]] = []
    for c in chips:
        if groups:
            prev = groups[-1][-1]
            gap = sent[prev[1]: c[0]]
            if len(gap) <= 30 and _list_gap(gap) \
                    and not any(prev[1] <= q.start < c[0] for q in cues if q.kind == "status"):
                groups[-1].append(c)
                continue
        groups.append([c])
    return groups


@dataclass
class _Decision:
    status: str
    side: str
    actor: Optional[str]
    dests: list
    date: Optional[date]
    quality: int


@dataclass
class _State:
    lang: str
    anchor: Optional[date]
    kb: object
    main_chip: Optional[str]
    default_dest: Optional[str]
    main_count: int = 0
    claims: dict = field(default_factory=dict)  # key -> [quality, StatusClaim]
    order: list = field(default_factory=list)
    lead: Optional[StatusClaim] = None
    chipless: Optional[tuple[int, _Decision]] = None  # (sentence index, decision)
    last_date: Optional[date] = None  # the last decision/speech date resolved
    prev_date: Optional[date] = None  # the previous sentence's last date
    prev_claims: list = field(default_factory=list)  # keys produced by the previous sentence
    last_claims: list = field(default_factory=list)  # keys produced by the last sentence that had any


def _main_chip(mentions: list[Mention]) -> Optional[str]:
    counts: dict[str, list] = {}
    for i, m in enumerate(mentions):
        if m.type in ("chip", "architecture"):
            slot = counts.setdefault(m.id, [0, 0, m.field == "title", -i, m.type == "chip"])
            slot[0] += 1
            slot[2] = slot[2] or m.field == "title"
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: (kv[1][4], kv[1][0], kv[1][2], kv[1][3]))[0]


def _article_destination(mentions: list[Mention]) -> Optional[str]:
    counts: dict[str, int] = {}
    for m in mentions:
        if m.type == "country" and m.id != "USA":
            counts[m.id] = counts.get(m.id, 0) + 1
    if not counts or "CHN" in counts:
        return "CHN"
    return max(counts.items(), key=lambda kv: kv[1])[0]


# ------------------------------------------------------------ main
def find_status_claims(article, mentions: Iterable[Mention], sentences, kb) -> list[StatusClaim]:
    """Status claims reported in the article's body sentences (see the module doc)."""
    body = article.body or ""
    if not body:
        return []
    lang = _lang(getattr(article, "language", None), body)
    all_mentions = list(mentions or [])
    body_mentions = sorted((m for m in all_mentions if m.field == "body"), key=lambda m: m.start)
    main = _main_chip(all_mentions)
    st = _State(lang=lang, anchor=parse_iso(getattr(article, "published", None)), kb=kb,
                main_chip=main, default_dest=_article_destination(body_mentions),
                main_count=sum(1 for m in all_mentions if m.id == main))
    starts = [m.start for m in body_mentions]  # sorted: a sentence's mentions are one slice
    for idx, (s0, s1) in enumerate(_sentence_spans(article, sentences)):
        sent = body[s0:s1]
        sent_mentions = body_mentions[bisect_left(starts, s0):bisect_left(starts, s1)]
        _sentence(st, idx, sent, s0, s1, sent_mentions)
    return _finish(st)


# ------------------------------------------------------------ dates and sentence filters
_DEADLINE_BEFORE = {
    "en": re.compile(r"\b(?:until|till|through|by|before|no later than|effective|takes? effect|taking effect|from)\s+(?:on\s+)?$", re.I),
    "ko": re.compile(r"(?!x)x"),
    "zh": re.compile(r"(?:截至|截止|直至|直到|自)$"),
}
_DEADLINE_AFTER = {
    "en": re.compile(r"^\s*,?\s*when (?:it|they|the rules?) (?:takes?|took) effect", re.I),
    "ko": re.compile(r"^\s*(?:까지|이전|전까지|발효|시행|부터\s*(?:발효|시행|적용))"),
    "zh": re.compile(r"^\s*(?:之前|以前|前|为止|起生效|生效|起实施|实施)"),
}


# A sentence carried by commentators rather than by a decision-maker or a reporter's sources.
_COMMENTATOR = {
    "en": re.compile(r"^(?:Some |Many |Other )?(?:Analysts?|Experts?|Industry (?:analysts|insiders|executives|watchers|observers)|Trade lawyers|Critics|Observers)\b"),
    "ko": re.compile(r"^(?:한\s*)?(?:반도체\s*)?(?:업계|전문가|애널리스트|시장|증권가)(?:\s*관계자)?(?:는|에서는|들은|에선)|^(?:한\s*)?업계\s*관계자(?:는|들은)"),
    "zh": re.compile(r"^(?:有)?(?:业内人士|分析人士|专家|分析师|市场人士|业界人士)"),
}


def _classify_dates(sent: str, lang: str, dates) -> list[tuple[int, int, date, int]]:
    """(start, end, date, quality): 3 = the decision's, 2 = a speech's, 0 = a media report's
    or a deadline / effective date ("until March 1", "9월 1일까지", "16일 발효")."""
    out = []
    for s, e, d in dates:
        before, after = sent[max(0, s - 40): s], sent[e: e + 40]
        if _REPORT_BEFORE[lang].search(before) or _REPORT_AFTER[lang].match(after) \
                or _DEADLINE_BEFORE[lang].search(before) or _DEADLINE_AFTER[lang].match(after):
            q = 0
        elif _SPEECH_BEFORE[lang].search(before) or _SPEECH_AFTER[lang].match(after):
            q = 2
        else:
            q = 3
        out.append((s, e, d, q))
    return out


def _sentence(st: _State, idx: int, sent: str, s0: int, s1: int, mentions: list[Mention]) -> None:
    """Add the claims of one body sentence to the article state (and update its context)."""
    lang, kb = st.lang, st.kb
    dates = _classify_dates(sent, lang, find_date_expressions(sent, st.anchor, lang, context=st.last_date))
    usable = [d for d in dates if d[3] > 0]
    prev_date = st.prev_date
    st.prev_date = usable[-1][2] if usable else None
    produced: list[tuple] = []

    def finish_sentence():
        if usable:
            st.last_date = usable[-1][2]
        st.prev_claims = produced
        if produced:
            st.last_claims = produced

    if sent.rstrip().endswith(("?", "？")):
        return finish_sentence()
    _date_previous_decision(st, sent, lang, dates)
    if _COMMENTATOR[lang].search(sent):
        return finish_sentence()  # analysts' and insiders' readings are no reported decisions
    cues = _find_cues(sent, lang)
    status_cues = [c for c in cues if c.kind == "status"]
    conditions = any(c.kind == "condition" for c in cues)
    has_chip = any(m.type in ("chip", "architecture") for m in mentions)
    if not has_chip and all(c.status == CONDITIONAL for c in status_cues) and conditions \
            and _CONDITION_SENTENCE[lang].search(sent) and st.prev_claims:
        _upgrade_previous(st)  # "판매액의 25%는 미국 정부가 가져가는 조건이다."
        return finish_sentence()
    if not status_cues:
        _refine_date(st, sent, lang, dates)
        return finish_sentence()

    actors = _actors(sent, lang, s0, mentions, kb)
    chips = _sentence_chips(sent, s0, mentions, lang, kb)
    segments = _segments(sent, lang, cues, actors)
    seg_info = []
    for a, b in segments:
        seg_info.append((a, b, [c for c in status_cues if a <= c.start < b], [c for c in chips if a <= c[0] < b]))

    chipless_done = False
    for n, (a, b, seg_cues, seg_chips) in enumerate(seg_info):
        if not seg_cues:
            continue
        status = _resolve_status(seg_cues, _segment_conditions(cues, seg_info, a, b))
        cue = next(c for c in seg_cues if c.status == status) if any(c.status == status for c in seg_cues) else seg_cues[0]
        if status == CONDITIONAL and not any(c.status == CONDITIONAL for c in seg_cues):
            cue = next((c for c in seg_cues if c.status == ALLOWED), seg_cues[0])
        side, actor, explicit = _side_actor(sent, lang, seg_cues, actors, a, b, cue.start)
        if not explicit and _OWN_PLAN_CUE.search(sent[cue.start:cue.end]) and _company_subject(sent, lang, a, cue.start, mentions, s0):
            continue  # "Nvidia is weighing more output": a company's plan, no government decision
        inherited = None
        if status == SAME:
            inherited = _inherit(st, idx)
            if inherited is None:
                continue
            status, side, actor = inherited.status, inherited.side, inherited.actor
        picked = _pick_chips(seg_chips, sent, seg_cues)
        if not picked:
            picked = _borrow_chips(seg_info, n, sent, seg_cues, lang)
        implicit = False
        anaphor = _ANAPHOR[lang].search(sent[a:b])
        bare = bool(anaphor) and bool(_BARE_ANAPHOR.fullmatch(anaphor.group(0)))
        if not picked and st.main_chip and anaphor and not _OTHER_GOODS.search(sent) and not _GENERIC_CHIPS.search(sent) \
                and (not bare or explicit or _PRONOUN_SUBJECT[lang].search(sent) or st.main_count >= 2):
            picked = [(0, 0, st.main_chip, "chip")]
            implicit = True
        if inherited is not None:
            picked = [c for c in picked if c[3] == "chip"]
        if not picked:
            if not chips and not _OTHER_GOODS.search(sent) and status != SAME and (actor or side == "import") \
                    and not chipless_done:
                dests = _destinations(sent, 0, len(sent), lang, mentions, s0, side, actor, st.default_dest, kb)
                d, q = _pick_date(st, sent, lang, dates, cue, a, b, seg_info, prev_date, side, actor)
                st.chipless = (idx, _Decision(status, side, actor, dests, d, q))
                chipless_done = True
            continue
        if side == "import":
            picked = [c for c in picked if not _chip_is_domestic_chinese(c[2], kb)]
        if not picked:
            continue
        if inherited is not None:
            d, q = (inherited.date, inherited.quality) if inherited.quality >= 2 else (None, 0)
            dests = inherited.dests if inherited.dests else [st.default_dest]
        else:
            d, q = _pick_date(st, sent, lang, dates, cue, a, b, seg_info, prev_date, side, actor)
            dests = _destinations(sent, a, b, lang, mentions, s0, side, actor, st.default_dest, kb)
        seen = set()
        for _, _, chip, _ in picked:
            if chip in seen:
                continue
            seen.add(chip)
            for dest in dests:
                claim = StatusClaim(chip=chip, side=side, actor=actor, destination=dest, status=status,
                                    date=d.isoformat() if d else None, evidence=sent, start=s0, end=s1)
                key = _add(st, claim, q - (1 if implicit else 0))
                produced.append(key)
    finish_sentence()


def _sentence_chips(sent, s0, mentions, lang, kb) -> list[tuple[int, int, str]]:
    chip_ids = {m.id for m in mentions if m.type == "chip"}
    archs_of_chips = {_chip_architecture(c, kb) for c in chip_ids}
    out = []
    for m in mentions:
        if m.type not in ("chip", "architecture"):
            continue
        s, e = m.start - s0, m.end - s0
        if _COMPARE_BEFORE[lang].search(sent[max(0, s - 30): s]) or _COMPARE_AFTER[lang].match(sent[e: e + 12]):
            out.append((s, e, m.id, "compared"))  # anchors the nearest group, never claimed
            continue
        if m.type == "architecture":
            after_re, before_re = _ARCH_DESCRIBES[lang]
            if after_re.match(sent[e: e + 14]) or before_re.search(sent[max(0, s - 30): s]) or m.id in archs_of_chips:
                continue
        out.append((s, e, m.id, m.type))
    return sorted(out)


def _segment_conditions(cues, seg_info, a, b) -> bool:
    """Condition markers that bear on a segment: its own, or those of segments without a
    decision of their own ("..., 미국 정부가 판매액의 25%를 가져간다")."""
    for c in cues:
        if c.kind != "condition":
            continue
        if a <= c.start < b:
            return True
        home = next((si for si in seg_info if si[0] <= c.start < si[1]), None)
        if home is not None and all(q.status == CONDITIONAL for q in home[2]):
            return True
    return False


def _borrow_chips(seg_info, n, sent, seg_cues, lang):
    """Chips for a cue segment that names none: a chip segment without its own cue next to it
    (before, then after), else the nearest earlier segment with chips."""
    options = []
    if n > 0 and seg_info[n - 1][3] and not seg_info[n - 1][2]:
        options.append((seg_info[n - 1][3], seg_cues))
    if n + 1 < len(seg_info) and seg_info[n + 1][3] and not seg_info[n + 1][2]:
        options.append((seg_info[n + 1][3], seg_cues))
    earlier = [ci for ci in seg_info[:n] if ci[3]]
    own = sent[seg_info[n][0]:seg_info[n][1]]
    if earlier and not _GENERIC_CHIPS.search(own):
        # ", reversing an April decision that ...", "...허용했고 중국도 ... 승인": the object carries over
        options.append((earlier[-1][3], earlier[-1][2] or seg_cues))
    if n == 0 and len(seg_info) > 1 and seg_info[1][3]:
        options.append((seg_info[1][3], seg_info[1][2]))  # the topic follows the verb (约谈英伟达，要求其就H20…)
    for chips, cues in options:
        picked = _pick_chips(chips, sent, cues)
        if picked:
            return picked
    return []


def _pick_chips(chips, sent, cues):
    """The chip group nearest the segment's first cue."""
    if not chips:
        return []
    groups = _chip_groups(chips, sent, cues)
    if len(groups) == 1:
        return [c for c in groups[0] if c[3] != "compared"]
    first = min((c for c in cues if c.kind == "status"), key=lambda c: c.start, default=None)
    if first is None:
        return [c for c in groups[0] if c[3] != "compared"]

    def distance(g):
        if g[-1][1] <= first.start:
            return first.start - g[-1][1]
        if g[0][0] >= first.end:
            return g[0][0] - first.end
        return 0

    def aside(g):  # ", about six times as powerful as the H20, could be shipped": an aside
        return all(c[3] == "compared" for c in g) and re.match(r"\s*[,，]", sent[g[-1][1]: g[-1][1] + 3])
    candidates = [g for g in groups if not aside(g)] or groups
    return [c for c in min(candidates, key=distance) if c[3] != "compared"]


# Cues that can be a company's own deliberation or action rather than a government's decision.
_OWN_PLAN_CUE = re.compile(r"weigh|mull|consider|review|deliberat|exclud|halt|stop|검토|고심|저울질|제외|중단|考虑|评估|权衡|排除|暂停|停止", re.I)

_COMPANY_WORDS = {
    "en": re.compile(r"\b(?:the company|companies|firms|buyers|customers|suppliers)\b", re.I),
    "ko": re.compile(r"(?:기업|업체|회사|빅테크|고객사)(?:들)?(?:은|는|이|가|도)\s"),
    "zh": re.compile(r"(?:企业|公司|厂商|客户)"),
}


def _company_subject(sent, lang, a, cue_pos, mentions, s0) -> bool:
    """The last party named before the cue is a company (or companies)."""
    before = [(m.start - s0, m.type) for m in mentions
              if m.type in ("company", "organization", "person", "country") and a <= m.start - s0 < cue_pos]
    before += [(m.start(), "company") for m in _COMPANY_WORDS[lang].finditer(sent, a, cue_pos)]
    return bool(before) and max(before)[1] == "company"


_CHINA_AS_DESTINATION = {
    "en": re.compile(r"\b(?:to|into) (?:mainland )?China\b|\bChina-bound\b", re.I),
    "ko": re.compile(r"(?:대|對)\s*중국?|중국(?:에|으로|향)\s"),
    "zh": re.compile(r"对华|向中国|输华|销往中国|出口到中国|出口至中国"),
}


def _side_actor(sent, lang, cues, actors, a, b, cue_pos):
    """(side, actor, explicit): explicit is False when no acting government is named."""
    hints = {c.side for c in cues if c.side}
    statuses = {c.status for c in cues}
    seg = sent[a:b]
    if DISCOURAGED in statuses or hints == {"import"}:
        return "import", "CHN", any(x.iso == "CHN" for x in actors)
    in_seg = [x for x in actors if a <= x.pos < b]
    before = [x for x in actors if x.pos <= cue_pos]
    chosen: Optional[_Actor] = None
    if lang == "ko":
        subj_before = [x for x in before if x.subject]
        pick = (subj_before or before or in_seg or actors)
        chosen = (pick[-1] if (subj_before or before) else pick[0]) if pick else None
    else:
        seg_before = [x for x in in_seg if x.pos <= cue_pos]
        if seg_before:
            chosen = seg_before[-1]
        elif before:
            chosen = before[-1]
        elif in_seg or actors:
            chosen = min(in_seg or actors, key=lambda x: abs(x.pos - cue_pos))
    actor = chosen.iso if chosen else None
    explicit = bool(chosen and (chosen.gov or chosen.subject))
    imp, exp = _IMPORT_WORDS[lang].search(seg), _EXPORT_WORDS[lang].search(seg)
    if actor == "CHN":
        if "export" in hints and LICENSE in statuses and not any(x.iso == "CHN" and x.gov for x in actors):
            return "export", "USA", False  # "규제 대상에는 중국이 들어가며": China named as the target
        if exp and not imp and ("export" in hints or _CHINA_AS_DESTINATION[lang].search(seg)
                                or not any(x.iso == "CHN" and x.gov for x in in_seg)):
            # Beijing commenting on US sales ("恢复对华销售一事"): the export decision is Washington's
            return "export", "USA", False
        return "import", "CHN", explicit
    if actor:
        return "export", actor, explicit
    if imp and not exp and "export" not in hints:
        return "import", "CHN", False
    return "export", "USA", False


def _destinations(sent, a, b, lang, mentions, s0, side, actor, default_dest, kb):
    if side == "import":
        return [actor or "CHN"]

    def countries(lo, hi):
        out = []
        for m in mentions:
            if lo <= m.start - s0 < hi and m.type == "country" and m.id not in ("USA", actor) and m.id not in out:
                out.append(m.id)
        return out
    dests = countries(a, b) or countries(0, len(sent))
    if not dests:
        for m in mentions:
            cc = _company_country(m, kb)
            if a <= m.start - s0 < b and cc and cc not in ("USA", actor) and cc not in dests:
                dests.append(cc)
    if "CHN" in dests and len(dests) > 1:
        dests = [d for d in dests if d == "CHN" or (d not in ("HKG", "MAC") and any(
            m.id == d and _strong_destination(sent, m.start - s0, m.end - s0, lang) for m in mentions))]
    if not dests:
        return [default_dest if default_dest != actor else None]
    return dests


_STRONG_DEST = {
    "en": re.compile(r"\b(?:to|into|destined for|bound for)\s+(?:the\s+)?$|(?:China|Chinese)\s+(?:and|or)\s+$", re.I),
    "ko": re.compile(r"(?:중국|중|대만)(?:과|와|및|·|,)\s*$"),
    "zh": re.compile(r"(?:向|输往|销往|出口到|出口至|中国(?:和|及|与|、))$"),
}


def _strong_destination(sent, start, end, lang) -> bool:
    """"to Russia", "중국과 러시아에", "向中国和俄罗斯": a destination in its own right, not a venue."""
    before = sent[max(0, start - 20): start]
    after = sent[end: end + 6]
    return bool(_STRONG_DEST[lang].search(before) or (lang == "ko" and re.match(r"(?:에|으로|로)(?![가-힣]{2})", after)))


_APPEAL_WORDS = re.compile(r"\burg\w+|\bcall(?:s|ed)? (?:on|for)|\bwrote to\b|\bletter\b|촉구|서한|呼吁|敦促|致信", re.I)


def _pick_date(st, sent, lang, dates, cue, a, b, seg_info, prev_date, side, actor):
    """(date, quality) of the decision a cue reports."""
    if cue.referenced or cue.standing:
        return None, 0
    # "Four days after Trump said on Dec. 8 that ... could sell": the offset dates the main
    # clause, not the decision told inside the after-clause.
    usable = [(s, e, d, 1 if _AFTER_OFFSET.search(sent[s:e]) and s < cue.start else q)
              for s, e, d, q in dates if q > 0]
    in_seg = [d for d in usable if a <= d[0] < b]
    if in_seg:
        best = max(in_seg, key=lambda d: (d[3], -abs(d[0] - cue.start)))
        return best[2], max(best[3], 2)
    cue_segments = [(x, y) for x, y, c, _ in seg_info if c or _APPEAL_WORDS.search(sent[x:y])]
    free = [d for d in usable if not any(x <= d[0] < y for x, y in cue_segments)
            or _AFTER_OFFSET.search(sent[d[0]: d[1]])]
    if free:
        best = max(free, key=lambda d: (d[3], -abs(d[0] - cue.start)))
        return best[2], best[3]
    if cue.exclusion:
        for key in reversed(st.order):
            q, claim = st.claims[key]
            if claim.side == side and claim.actor == actor and claim.date and q >= 2:
                return parse_iso(claim.date), 1
    if prev_date and _PRONOUN_SUBJECT[lang].search(sent):
        return prev_date, 1
    return None, 0


_DECISION_NOUN = {
    "en": re.compile(r"\b(?:the|this|that) (?:requirement|rule|decision|ban|restriction|licen[cs]e requirement|move|curbs)\b", re.I),
    "ko": re.compile(r"(?:이|이번|해당|같은)\s*(?:규제|조치|결정|방침)"),
    "zh": re.compile(r"(?:该|这一|此项|此次|上述)(?:规定|决定|禁令|限制|措施)"),
}


_NOTIFY_VERB = {
    "en": re.compile(r"\b(?:informed|notified|told|imposed|issued|announced|decided|introduced|published|adopted)\b", re.I),
    "ko": re.compile(r"통보|발표|결정|도입|공표|시행"),
    "zh": re.compile(r"通知|告知|宣布|决定|发布|出台|实施"),
}
_REACTION_VERB = {
    "en": re.compile(r"\b(?:criticis|criticiz|condemn|oppos|welcom|attack|slam|protest|respond)\w*", re.I),
    "ko": re.compile(r"비판|반발|비난|환영|반대|규탄|대응"),
    "zh": re.compile(r"批评|反对|谴责|欢迎|回应|抗议"),
}


def _refine_date(st: _State, sent: str, lang: str, dates) -> None:
    """A follow-up sentence that dates the decision just reported ("the Commerce Department
    informed the company of the requirement on April 9") gives it its day."""
    decision_dates = [d for d in dates if d[3] == 3]
    if not decision_dates or not st.order or not _DECISION_NOUN[lang].search(sent) \
            or not _NOTIFY_VERB[lang].search(sent) or _REACTION_VERB[lang].search(sent):
        return
    key = st.order[-1]
    q, claim = st.claims[key]
    if q < 3:
        claim.date = decision_dates[0][2].isoformat()
        st.claims[key][0] = 3


_DECISION_SUBJECT = {
    "en": re.compile(r"^(?:The|This|That) (?:push|move|step|decision|measure|summons|meeting|guidance|notices?|order|reversal|crackdown|approvals?|ban|inspections?|rule|change)s? (?:came|comes|follows|followed)\b", re.I),
    "ko": re.compile(r"^(?:이번|이|해당)\s*(?:조치|결정|발표|소환|규제)(?:는|은)"),
    "zh": re.compile(r"^(?:此举|此次(?:约谈|决定|禁令)?|这一(?:决定|举措))"),
}


def _date_previous_decision(st: _State, sent: str, lang: str, dates) -> None:
    """"The push came four days after ... Aug. 8": the first date dates the decision just reported."""
    m = _DECISION_SUBJECT[lang].match(sent)
    if not m or not st.last_claims:
        return
    first = next((d for d in dates if d[0] >= m.end() and d[3] > 0), None)
    if first is None or first[0] - m.end() > 30 or re.search(r"same day|같은 날|당일|当天|同日|同一天", sent[first[0]:first[1]]):
        return  # "The move came on the same day that ...": no day of its own
    for key in st.last_claims:
        if key in st.claims and st.claims[key][0] < 3:
            st.claims[key][1].date = first[2].isoformat()
            st.claims[key][0] = 3


def _inherit(st: _State, idx: int) -> Optional[_Decision]:
    """The decision "the same requirement" / "covers" refers to."""
    if st.chipless and idx - st.chipless[0] <= 2:
        return st.chipless[1]
    if st.lead is not None:
        lead = st.lead
        return _Decision(lead.status, lead.side, lead.actor, [lead.destination], None, 0)
    return None


def _add(st: _State, claim: StatusClaim, quality: int) -> tuple:
    key = (claim.chip, claim.side, claim.actor, claim.destination, claim.status)
    if key not in st.claims:
        st.claims[key] = [quality, claim]
        st.order.append(key)
        if st.lead is None:
            st.lead = claim
    elif quality > st.claims[key][0]:
        st.claims[key][1].date = claim.date
        st.claims[key][0] = quality
    return key


def _upgrade_previous(st: _State) -> None:
    """A condition stated in its own sentence turns the approvals before it into conditional ones."""
    for key in st.prev_claims:
        if key not in st.claims or key[4] != ALLOWED:
            continue
        q, claim = st.claims.pop(key)
        st.order.remove(key)
        claim.status = CONDITIONAL
        new = key[:4] + (CONDITIONAL,)
        if new in st.claims:
            if q > st.claims[new][0]:
                st.claims[new] = [q, st.claims[new][1]]
                st.claims[new][1].date = claim.date
        else:
            st.claims[new] = [q, claim]
            st.order.append(new)
    st.prev_claims = []


_EARLIER_PERIOD = re.compile(
    r"\b(?:in|since|last|earlier in|back in) (?:January|February|March|April|May|June|July|August|September|October|November|December|20\d\d)\b"
    r"|지난\s*\d{1,2}월|지난해|\d{4}년|今年\d{1,2}月|去年|\d{4}年", re.I)


def _finish(st: _State) -> list[StatusClaim]:
    """An approval and a conditional approval of the same trade are one decision, unless the
    approval is placed in an earlier period ("지난 5월", "in May")."""
    out = []
    for key in st.order:
        q, claim = st.claims[key]
        cond_key = key[:4] + (CONDITIONAL,)
        if key[4] == ALLOWED and cond_key in st.claims and not _EARLIER_PERIOD.search(claim.evidence):
            cond = st.claims[cond_key][1]
            if cond.date is None and claim.date is not None:
                cond.date = claim.date
            if claim.date is None or claim.date == cond.date:
                continue
        out.append(claim)
    return out
