"""Stance on the chip trade for each quote: favor (wants chips to flow), against, neutral, unclear.

Stance is not sentiment: "stop abusing export controls" is angry but favours chips flowing;
"we will not let anybody have them" is calm but against; "great news for national security"
after a ban is cheerful and against. So a span is read as a small composition of cues with
roles, with a short lexicon per role and language rather than phrases from known articles:

- FLOW events say which way chips move: `up` (allow, approve, grant, resume, sell, ship, buy,
  order, want/need, 허용, 판매, 구매, 批准, 出售, 采购) and `down` (ban, restrict, block, curb,
  deny, require a licence, avoid, reject, domestic substitution, 금지, 자제, 국산, 禁止, 拒绝,
  国产替代). `trade` nouns (sales, exports, orders, licences, 수출, 订单) are a weak `up`; a verb
  absorbs the nouns and verbs it governs ("ban sales", "allow them to be sold", "수출을 금지",
  compounds like "export controls", "出口管制", "반입 허가").
- REVERSERS turn the flow they govern around: lift/ease/remove/해제/取消 + a control -> up,
  stop/halt/cancel/revoke/중단/暂停 + a flow -> down; alone they keep their own default.
- OPERATORS take a side on the flow they govern. Stance verbs of the subject (oppose, criticise,
  warn against, welcome, support, urge, 반대, 환영, 촉구, 反对, 欢迎, 呼吁; "responded
  positively") reverse or keep it. Speaker evaluations belong to the speaker even when the flow is
  another party's reported action: sentiment (disappointed, sadly, great news, 실망, 유감, 遗憾),
  verdicts ("is a mistake", "backfired", 역효과) and harm predicates ("hands adversaries the
  tools" -> against, "hands the market to Huawei" -> favor, also when nothing is governed).
- EVALUATIONS stand alone: security framing (national security, military, backdoor, 안보,
  后门) is against; demand and market framing, safeguarded exports ("approved customers") and
  pejorative names for controls (bullying, zero-sum, abuse of export controls, 政治化) are favor.
- NEGATION flips the cue it governs ("will not allow", "no backdoors", "no plans to ban",
  "허용하지 않겠다", "살 필요가 없다", "不会向中国出售"); a negated *other* verb mutes the cues
  under it ("has not applied for licences to sell", "허가를 신청하지 않았다"). Modals (may, 수도
  있다, 可能) keep the direction with less weight.
- DELIBERATION (weighing whether, no decision, 검토 중, 할지, 여부, 是否, 尚未决定) holds the
  flows of its clause in suspense: the position is unclear. NONCOMMITTAL boilerplate (noted the
  reports, competent authorities, 주관 부처, 不予置评) and compliance ("will comply with the
  rules", 준수, 遵守) are neutral.
Operators bind the nearest flow in their clause: forward for English/Chinese verbs, backward for
Korean (the object comes first) and for English predicates ("the ban is a mistake").

Who holds the stance (unchanged contract):
- the speaker's own stance, one Stance per quote (quote_index set). News outlets and anonymous
  sources report, so their own stance is neutral. The sentence around the quote can take a side
  on it ("attacked the decision to let Nvidia sell ...", "…라며 비판했다", "批评称") or give
  "this" its referent ("미국의 수출 규제에 대해 '이를 반대한다'");
- a clause inside a quote whose subject is another party ("They're rejecting our chips",
  "President Xi responded positively", "중국 당국이 … 자제하라고 권고했다") is that party's
  position as reported by the speaker: a separate Stance with reported_by set. It is masked out
  of the speaker's own reading except where the speaker evaluates it ("I'm disappointed that
  China won't buy our chips" -> speaker favor, CHN against). Analysts report decided positions,
  not open questions;
- weak priors when nothing fired: a foreign chip vendor talking about its market -> favor (low
  confidence); a speaker whose every quote is cue-less is neutral (spoke, took no side), except
  one who deliberates ("we are considering whether to allow it"), who stays unclear.
`rule` names what fired (`en_oppose>control`, `ko_sell+neg`, `frame:ko_oppose>quote`,
`reported:...`, `prior:vendor_market`); confidence grows with the weight of the evidence.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from chipwatch.extract.prefilter import LiteralGate
from chipwatch.extract.quotes import is_media
from chipwatch.models import ANONYMOUS_PREFIX, Mention, Quote, Stance

# ================================================================ lexicons
# Entry: (pattern, kind, polarity, weight, name, bind, fallback)
#   kind: up | down | trade | rev | op | senti | eval | neutral | delib
#   polarity: +1 favours flow / keeps the governed flow; -1 against / reverses it
#   bind: for rev/op/senti/delib, which side the governed cue is looked for first ("fwd"/"bwd")
#   fallback: signed contribution of an operator that governs nothing ("responded positively" is
#             favor; "hands the market to Huawei" is favor; "hands adversaries the tools" is against)
# Earlier entries win where matches overlap, so multiword phrases come first.
_RIEUL = "".join(chr(c) for c in range(0xAC00, 0xD7A4) if (c - 0xAC00) % 28 == 8)  # syllables ending in ㄹ

EN_LEX = [
    # --- noncommittal and deliberation
    (r"\bnot?(?:ed|te)? (?:the |these |those |such |relevant )?reports?\b|\bno comment\b|"
     r"\b(?:not|n't|never) comment\w*|\bdeclin\w+ to (?:comment|say|elaborate)|"
     r"\b(?:refer|direct)\w* (?:you |your question |the question )?to the (?:competent|relevant|responsible)\b|"
     r"\bcompetent authorit\w+|\b(?:not|n't) aware\b|\bmutual(?:ly)? benefi\w*|\bwin-win\b|"
     r"\bposition\b[^.;]{0,50}\b(?:consistent|unchanged)\b|\bconsistent(?:ly)? (?:position|stance)\b",
     "neutral", 0, 2.0, "noncommittal", "", 0),
    (r"\bsubject to (?:the |new |these |those |such )?(?:same )?(?:export )?(?:controls?|restrictions?|rules?|"
     r"requirements?|licen[cs]e requirements?)|\bfall\w* under (?:the )?(?:same |new )?(?:rules?|restrictions?|"
     r"requirements?|controls?)|\b(?:comply|complies|complied|compliance|abide by|"
     r"follow\w* (?:the |all |whatever |its )?(?:rules|regulations|law))\b|"
     r"\b(?:approved|licensed|permitted|authori[sz]ed|allowed|cleared) by (?:the )?"
     r"(?:relevant |appropriate |u\.s\. |us )?"
     r"(?:authorities|government|regulators|commerce department|department)\b|"
     r"\bwhatever (?:rules|regulations)\b|\bin close contact\b|\bsee what happens\b|\bwait and see\b|"
     r"\bbargaining chips?\b",
     "neutral", 0, 1.0, "comply", "", 0),
    (r"\b(?:decid\w*|determin\w*|weigh\w*|consider\w*|debat\w*|discuss\w*|review\w*|stud(?:y|ying|ies)|evaluat\w*|"
     r"assess\w*|mull\w*|ponder\w*|deliberat\w*|talk\w* about|(?:not|n't) (?:yet )?(?:say|said|know))\s+"
     r"(?:\w+\s+){0,2}?whether\b|\bwhether (?:or not )?(?:to|it|they|beijing|washington|china)\b|"
     r"\bunder (?:review|consideration|discussion)\b|"
     r"\b(?:are|is|were|was|been|be|still) (?:still )?(?:discussing|debating|weighing|considering|deliberating|"
     r"mulling|reviewing|studying)\b|"
     r"\bbeing (?:discussed|considered|weighed|debated)\b|\bon the table\b",
     "delib", None, 2.0, "deliberation", "fwd", 0),
    (r"\bno (?:final )?decision\b|\bnothing (?:has been|had been|was|is) (?:yet )?decided\b|"
     r"\b(?:not|n't) (?:yet )?(?:been )?(?:made (?:a |any |the )?|reached (?:a )?)?decid\w*|\bundecided\b|"
     r"\byet to (?:decide|say|determine|make (?:a|any) decision)\b|\bopen question\b",
     "delib", None, 2.0, "undecided", "fwd", 0),
    # --- evaluations that stand alone
    (r"\babus\w* (?:of )?(?:export controls?|national security|(?:its |their )?power)|\boverstretch\w*|"
     r"\bover-?extend\w*|\bpan-?securit\w*|\bgenerali[sz]\w+ (?:the concept of )?national security|"
     r"\bbully\w*|\bsuppress\w*|\bcontainment\b|\bzero-sum\b|\bunreasonabl\w*|\bunilateral\w*|\bdiscriminat\w*|"
     r"\bpoliticis\w+|\bpoliticiz\w+|\bweaponi[sz]\w+|\b(?:as a |into a )(?:political |economic )?(?:weapon|tool)\b|"
     r"\bpolitical (?:weapon|tool)\b|\bwrongdoing\b|\bwrong(?:ful)? (?:practices?|approach|moves?|"
     r"actions?|measures?)|\bhegemon\w*|\bcoerci\w+|\bprotectionis\w+|\bdecoupl\w+|\bmisuse of export\b",
     "eval", +1, 1.5, "criticise_control", "", 0),
    # exports framed as safeguarded: the speaker defends letting them go ahead
    (r"\b(?:approved|designated|vetted|verified|licensed|trusted) (?:commercial )?(?:customers|end[- ]users|buyers)\b|"
     r"\bafter (?:\w+ )?(?:national )?security (?:inspections?|checks|reviews?|vetting)\b|"
     r"\bunder (?:strict|tight) (?:conditions|safeguards|security (?:conditions|requirements))\b",
     "eval", +1, 1.0, "safeguarded", "", 0),
    (r"\b(?:customer |strong |huge |big |robust |enormous )?demand (?:for [\w ]{1,30}?)?(?:is|was|remains|has been|"
     r"looks) (?:\w+ )?(?:high|strong|huge|robust|enormous|solid|healthy|insatiable|there)\b|"
     r"\b(?:strong|huge|high|robust|enormous|pent-up) demand\b|\bcustomer demand\b|"
     r"\$?\d+(?:\.\d+)? ?(?:billion|bn) (?:market|opportunity)\b|"
     r"\b(?:huge|big|biggest|large|largest|enormous|important|massive|vast) (?:market|opportunity)\b|"
     r"\bmarket share\b|\borders? (?:exceed|outstrip|outpace)\w*",
     "eval", +1, 1.5, "pro_trade", "", 0),
    # arguments for selling: the speaker's reasoning, never another party's reported position
    (r"\b(?:american|u\.s\.) (?:technology|tech|ai) stack\b|\btechnology stack\b|"
     r"\bwin the ai race\b|\bai dominance\b|\btechnological leadership\b|\brel(?:y|ies|ied) (?:up)?on (?:us|america\w*|"
     r"u\.s\.|it)\b|\baddicted\b|\bcompet\w* with huawei\b|"
     r"\b(?:great|good|a win) for (?:america\w*|the u\.s\.|u\.s\. (?:companies|workers|industry)|american "
     r"(?:companies|workers|business|industry))",
     "eval", +1, 1.5, "pro_trade_argument", "", 0),
    # harm to the U.S. industry: what does it is wrong; said of nothing in particular it argues for selling
    (r"\b(?:hand\w*|gift\w*|ced\w*|giv\w*|leav\w*|los\w*) (?:[\w'’]+ ){0,4}?(?:market|business|customers) to "
     r"(?:huawei|chinese (?:rivals|competitors)|competitors)\b|"
     r"\bhuawei (?:will |would |could |is going to )?(?:take|win|grab|capture|fill|own|dominat|replac)\w*|"
     r"\bmade huawei stronger\b|\bhelp\w* huawei\b|\bpush\w* (?:[\w-]+ ){0,3}?(?:toward|towards|to|into the arms of) "
     r"(?:huawei|domestic (?:rivals|competitors|suppliers))\b|"
     r"\bhurts? (?:american|u\.s\.) (?:companies|firms|business|industry)|"
     r"\b(?:a )?loss for (?:america|the u\.s\.|american companies)\b",
     "senti", -1, 1.5, "harms_us_industry", "bwd", +1.5),
    # harm to security: what does it is wrong; alone it is the security argument
    (r"\bsells? out\b|\bsold out\b|\bselling out\b|\bauction\w* off\b|\bsupercharg\w+|\bhand\w* (?:over )?"
     r"(?:[\w'’]+ ){0,3}?(?:adversar\w+|enem\w+)|\bin the hands of\b|\b(?:narrow|erod|los|squander|giv\w* away|"
     r"undercut)\w* (?:[\w'’]+ ){0,3}?(?:lead|edge|advantage)\b|\bdangerous\w*|\bthreaten\w*|\bgift to\b|"
     r"\b(?:make|makes|making|made) (?:the |china's |beijing's )?(?:pla|military|army) (?:stronger|more capable)|"
     r"\bstrengthen\w* (?:the |china's |beijing's )?(?:pla|military|army)\b",
     "senti", -1, 1.5, "harms_security", "bwd", -1.5),
    (r"\bnational security\b|\bsecurity (?:risks?|threats?|concerns?|vulnerabilit\w+|loopholes?|issues?|hazards?)\b|"
     r"\badversar\w+|\bmilitar\w+|\barmy\b|\bpeople's liberation army\b|\bpla\b|\bweapon\w*|\bsmuggl\w+|\bdivert\w*|"
     r"\bdiversion\b|\bbackdoors?\b|\bkill switch\w*|\bvulnerabilit\w+|\bspyware\b|\blegal basis\b|"
     r"\bstrategic advantage\b|\bdanger\b|\bthreats?\b",
     "eval", -1, 1.5, "security", "", 0),
    (r"\brisk\w*", "eval", -1, 1.5, "security", "", 0),
    # --- operators: speaker sentiment, then stance verbs and predicates of the subject
    (r"\bdisappoint\w*|\bsad(?:ly|dened)?\b|\bunfortunate(?:ly)?\b|\bregrettabl\w+|\bregret\w*|"
     r"\b(?:a|what a) (?:shame|pity)\b|\bfrustrat\w+",
     "senti", -1, 1.5, "regret", "fwd", 0),
    (r"\b(?:great|good|welcome|excellent|wonderful) news\b|\bthe right (?:call|decision|move|thing)\b",
     "senti", +1, 1.5, "approve", "bwd", 0),
    (r"\bthankfully\b|\bfortunately\b", "senti", +1, 1.5, "approve", "fwd", 0),
    (r"\brespond\w* positively\b|\bpositive(?:ly)? (?:response|reaction)\b|\b(?:very |quite |extremely )?"
     r"(?:happy|pleased|satisfied|delighted|thrilled) (?:with|about|by)\b",
     "op", +1, 1.5, "positive_reaction", "fwd", 1.0),
    (r"\boppos\w*|\bobject\w* to\b|\bcriticis\w*|\bcriticiz\w*|\bcondemn\w*|\bslamm?\w*|\bblast\w*|\bdenounc\w*|"
     r"\battack\w*|\bwarn\w* (?:\w+ )?against\b|\bprotest\w* against\b|\b(?:is|are|am|stand|stood|was|were) "
     r"(?:firmly |strongly |squarely )?against\b|\bconcern\w* (?:about|over|at)\b|\bworr\w+ (?:about|over)\b",
     "op", -1, 1.5, "oppose", "fwd", 0),
    (r"\bmistake\b|\bblunder\b|\berror\b|\bfailure\b|\bhas failed\b|\bhave failed\b|\b(?:is|was|be|are) wrong\b|"
     r"\breckless\w*|\bbad (?:idea|news|deal)\b|\bbackfir\w+|\bcounterproductive\b|\bdisast\w+|\bcatastroph\w+|"
     r"\bgiveaway\b|\bfiasco\b",
     "senti", -1, 1.5, "disapprove", "bwd", 0),
    (r"\bsupport(?:s|ed|ing)?\b(?! (?:documents?|materials?|evidence))|\bsupportive of\b|\bwelcom\w*|\bapplaud\w*|"
     r"\bprais\w*|\bendors\w*|\bbacks\b|\bbacked\b|\bcall\w* (?:on|for)\b|"
     r"\burg(?:e|es|ed|ing)\b|\bpress\w* for\b|\bpush\w* for\b|\bdemand\w* that\b|\bhop(?:e|es|ed|ing)\b",
     "op", +1, 1.0, "support", "fwd", 0.5),
    # --- flow events
    (r"\blift\w*|\beas(?:e|es|ed|ing)\b|\brelax\w*|\bloosen\w*|\bremov\w*|\bscrap\w*|\broll\w* back\b|\brollback\b|"
     r"\brevers\w*|\bundo\w*|\babandon\w*|\bdiscard\w*|\bdrop(?:s|ped|ping)?\b|\bwaiv\w+|\bexempt\w*|\bcorrect\w*",
     "rev", +1, 0.8, "undo", "fwd", 0),
    (r"\bstop\w*|\bhalt\w*|\bsuspen\w+|\bcancel\w*|\brevok\w*|\brescind\w*|\bretract\w*|\bstrip\w*|\bpull\w* (?:the )?"
     r"(?:plug|licen[cs]es?|permits?)|\brevocation\b|\bwithdr[ae]w\w*|\bcut(?:s|ting)? off\b|"
     r"\bfreez\w*|\bfroze\w*|\bphas\w* out\b|\bwind\w* down\b|(?<!-)\bend(?:s|ed|ing)?\b(?! (?:users?|of|customers?))|"
     r"\bpaus\w+|\bminimi[sz]\w*|\breduc\w*|\bscal\w* back\b|\bclos\w* (?:the |that )?(?:door|loophole)",
     "rev", -1, 1.0, "stop", "fwd", 0),
    (r"\b(?:explain|justify|justification)\w* (?:why|for)\b|\bban(?:s|ned|ning)?\b|\brestrict\w*|\bblock\w*|\bbarr\w*|"
     r"\bbars?\b(?= (?:chinese|china|the|any|all|sales|exports))|\bcurb\w*|\btighten\w*|\btighter\b|"
     r"\bclamp\w* down\b|\bcrack\w* down\b|\bcrackdown\b|\bprohibit\w*|\bembargo\w*|\bsanction\w*|"
     r"\bblacklist\w*|\bentity list\b|\bpresumption of denial\b|"
     r"\bden(?:y|ies|ied|ying|ial)\b(?! (?:that|the (?:reports?|claims?|allegations?)|reports?|allegations?|"
     r"claims?|it\b))|"
     r"\boff-limits\b|\bnot for sale\b|\bkeep\w* (?:\w+ ){0,4}?out\b|"
     r"\b(?:stay|stays|remain|remains) (?:in america|in the united states|here|at home|in the u\.s\.)|"
     r"\brequir\w* (?:[\w-]+ ){0,6}?(?:licen[cs]es?|permits?|approval)\b|\blicen[cs]e requirements?\b|"
     r"\bneed\w* (?:[\w-]+ ){0,2}?(?:licen[cs]es?|permits?|approval)\b|"
     r"\bscrutin\w+|\binspections?\b|\bchecks\b|\bsummon\w*|\bnot permitted\b|\btake (?:necessary |"
     r"strict |firm )?action\b|\bnot tolerate\b|\bmisuse\b|\billicit\b",
     "down", -1, 1.0, "control", "", 0),
    # a control named as a thing ("U.S. controls were still biting") says less than one being imposed
    (r"\bcontrols?\b", "down", -1, 0.6, "control", "", 0),
    (r"\b(?:only|exclusively|reserved) (?:for|to|in) (?:the )?(?:american|u\.s\.|us|domestic|the united states)\w*",
     "down", -1, 1.0, "exclusive", "", 0),
    (r"\bavoid\w*|\breject\w*|\brefus\w*|\bshun\w*|\bsteer\w* clear\b|\bboycott\w*|\bturn\w* away\b|"
     r"\bthink twice\b|\bwary\b|\bcautious\w*|\bunwilling\b",
     "down", -1, 1.0, "refuse", "", 0),
    (r"\bself-relian\w+|\bself-sufficien\w+|\b(?:semiconductor |chip |technological )?independence\b|"
     r"\bdomestic(?:ally)?[- ](?:made |produced |developed |designed )?(?:ai |[\w-]+ )?"
     r"(?:chips?|alternatives?|suppliers?|"
     r"substitutes?|processors?|products?|options?|accelerators?)|\blocal(?:ly)?[- ](?:made |produced )?(?:chips|"
     r"alternatives|suppliers)|\bhome-?grown\b|\bindigenous\b|\blocali[sz]\w+|\bswitch\w* to (?:domestic|local|"
     r"huawei)\w*|\bmov\w* (?:\w+ ){0,4}?to domestic\b|\bpriorit\w+ (?:\w+ ){0,3}?domestic\w*",
     "down", -1, 1.0, "domestic", "", 0),
    (r"\ballow\w*|\bauthori[sz](?:e|es|ed|ing)\b|"
     r"(?<!\ba )(?<!\bthe )(?<!trade )(?<!export )\bpermit(?:s|ted|ting)?\b(?! (?:applications?|"
     r"requirements?))|\bapprov\w*|\bcleared\b|"
     r"\bclearing\b|\bgrant\w*|\bgreen[- ]?light\w*|\bsign\w* off\b|\blet(?:s|ting)?\b(?!'s| me\b)|\bresum\w+|"
     r"\brestart\w*|\breopen\w*|\bgo(?:es|ing)? ahead\b|\bissu\w+ (?:\w+ ){0,2}?licen[cs]es?|\brenew\w*|"
     r"\bextend\w* (?:the |its |their )?(?:licen[cs]es?|waivers?|exemptions?|permits?)",
     "up", +1, 1.0, "allow", "", 0),
    (r"\bsell(?:s|ing)?\b|\bsold\b|\bship(?:s|ped|ping)?\b|\bexport(?:ed|ing)\b|\bre-export\w*|\bdeliver\w*|"
     r"\bsuppl(?:y|ies|ied|ying)\b|\bserv(?:e|es|ed|ing|ice) (?:of )?(?:the |our |chinese |its |a )?"
     r"(?:market|customers|china)\b|\b(?:go|goes|going|went|head\w*|flow\w*|mov\w+|leaves?|leaving) "
     r"(?:in)?to (?:china|chinese|beijing)\b|\bflowing\b|\bmoving again\b|\bback in\b|\bbe there\b|"
     r"\benter\w* (?:the country|china|the chinese market)\b|\bgiv\w* (?:\w+ ){0,2}?(?:our |the |its |their )?"
     r"(?:best |most advanced |advanced |top |cutting-edge )?(?:chips|technology|gpus|processors|accelerators)\b",
     "up", +1, 1.0, "sell", "", 0),
    (r"\bbuy(?:s|ing)?\b|\bbought\b|\bpurchas(?:e|es|ed|ing)\b|\bordered\b|\bordering\b|\bto order\b|"
     r"\bplac\w+ (?:\w+ )?orders?\b|\bimport(?:ed|ing)\b|\bacquir\w+|\beager\b|\bkeen\b|\binterest(?:ed)? in\b|"
     r"\bwaiting for\b|\bclamou?r\w*|\blove to\b|"
     r"\bask\w* (?:\w+ ){0,2}?(?:for|about) (?:\w+ ){0,2}?(?:orders?|chips|them|it)\b|"
     r"\buse (?:the |our |american )?(?:chips|american)",
     "up", +1, 1.0, "buy", "", 0),
    (r"\bwant(?:s|ed)?\b|(?<!the )(?<!their )(?<!its )(?<!our )(?<!your )\bneed(?:s|ed)?\b"
     r"(?! to (?:explain|justify|notify)| of)",
     "up", +1, 1.0, "want", "", 0),
    (r"\b(?:get|gets|getting|obtain\w*|receiv\w+|access)\b(?= (?:a |an |the |any |our |their |its |more )?"
     r"(?:[\w-]+ ){0,2}?(?:chips?|gpus?|processors?|accelerators?|blackwells?|h\d+\w*|b\d+\w*|technology))",
     "up", +1, 0.8, "buy", "", 0),
    (r"\bapplications?\b|\bthe (?:matter|issue|request|question)\b", "app", 0, 0.0, "application", "", 0),
    # a chip deal is made to let chips move
    (r"\bdeals?\b|\barrangements?\b|\bdo(?:ing|es)? business\b|\bbusiness with china\b",
     "trade", +1, 0.8, "deal", "", 0),
    (r"\bsales?\b|\bexports?\b|\bshipments?\b|\borders?\b|\bpurchases?\b|\bimports?\b|\blicen[cs]es?\b|\bpermits?\b|"
     r"\bdeliveries\b|\bauthori[sz]ations?\b|\bexemptions?\b|\bwaivers?\b|\b(?:veu|end-user) status\b",
     "trade", +1, 0.4, "trade", "", 0),
]

KO_LEX = [
    (r"주목(?:했|하고|한다|하겠)|논평(?:하지 않|을 거부|을 삼가|하지 않겠)|언급(?:을 피|하지 않|을 삼가)|"
     r"(?:주관|관련|소관|담당|주무) 부처|문의(?:하라|하길|해 달라|하기 바란)|알지 못|파악하지 못|모르겠|"
     r"호혜|상생|윈윈|일관(?:되|된|적)|입장(?:은|에는)? 변함",
     "neutral", 0, 2.0, "noncommittal", "", 0),
    (r"(?:규제|통제|제재|허가|라이선스|수출통제)\s*대상|(?:규정|규칙|법|규제)\S*\s*(?:\S+\s+){0,2}?(?:따를|따르|준수)|준수|따를 것|협의(?:하고|하겠|해|할|중)|"
     r"지켜보|지켜볼|협상 카드",
     "neutral", 0, 1.0, "comply", "", 0),
    (r"[" + _RIEUL + r"]지(?:를|는|가|도|에 대해서?는?|에 대한|에 관해|의)?(?=[\s,.]|$)(?!\s*(?:않|못|말|마))|여부|"
     r"검토(?: 중|중|하고 있|하는 중|할 것)|논의(?: 중|중|하고 있|하는|되고 있|하기|할)|저울질|고민(?:하고 있| 중|중)|거론",
     "delib", None, 2.0, "deliberation", "bwd", 0),
    (r"결정(?:하지|되지|을 내리지|을 못|짓지) (?:않|못)|결정된 (?:것이|게|바) 없|결론(?:을|이) (?:내리지|나지) 못|"
     r"정해지지 않|미정|미지수",
     "delib", None, 2.0, "undecided", "bwd", 0),
    (r"(?:안보|국가안보)\s*(?:개념)?(?:을|를)?\s*(?:확대|남용|구실|빌미)|범안보|수출통제\S*\s*남용|남용|패권|괴롭힘|"
     r"일방적|차별적|부당(?:한|하)|불합리|정치화|무기화|탄압|억압|제로섬|잘못된 (?:관행|행위|조치|방식)|디커플링|"
     r"보호주의",
     "eval", +1, 1.5, "criticise_control", "", 0),
    (r"(?:승인된|지정된|허가받은) (?:고객|최종 사용자|구매자)|(?:안보|보안) 검사를 거쳐|엄격한 조건(?:을|으로|하에)",
     "eval", +1, 1.0, "safeguarded", "", 0),
    (r"수요가 (?:\S+ )?(?:높|많|강|크|넘)|(?:큰|강한|높은|엄청난) 수요|\d+억\s*달러 규모의 시장|"
     r"(?:거대한|큰|중요한|최대) 시장|시장 점유율|주문(?:량)?이 [^.]{0,25}(?:넘어|초과)|주문이 몰|주문 급증",
     "eval", +1, 1.5, "pro_trade", "", 0),
    (r"기술 스택|경쟁에서 [^.]{0,10}(?:밀리지 않|뒤처지지 않|이기|앞서)", "eval", +1, 1.5, "pro_trade_argument", "", 0),
    (r"화웨이\S*\s+(?:\S+\s+){0,3}?(?:가져가|가져갈|차지|넘겨|내주|빼앗)|(?:시장|고객)\S*\s+(?:\S+\s+){0,2}?화웨이\S*\s+"
     r"(?:\S+\s+){0,1}?(?:넘겨|내주|빼앗)",
     "senti", -1, 1.5, "harms_us_industry", "bwd", +1.5),
    (r"팔아넘|국가안보|안보(?!리)|위험|위협|군사|중국군|인민해방군|해방군|무기|밀수|빼돌리|백도어|보안\s*(?:위험|우려|취약|문제|구멍)|"
     r"취약점|적대|적에게|법적 근거",
     "eval", -1, 1.5, "security", "", 0),
    (r"아쉽게도|안타깝게도|유감스럽게도", "senti", -1, 1.5, "regret", "fwd", 0),
    (r"유감|실망|아쉽|안타깝|섭섭", "senti", -1, 1.5, "regret", "bwd", 0),
    (r"좋은 소식|반가운|다행|(?:옳은|잘한|올바른|현명한) (?:결정|판단|조치)",
     "senti", +1, 1.5, "approve", "bwd", 0),
    (r"긍정적(?:으로)?\s*(?:반응|평가|화답|답)|화답|만족", "op", +1, 1.5, "positive_reaction", "bwd", 1.0),
    (r"반대(?!로|편|쪽)|비판|규탄|반발|우려|문제(?:를 제기|삼)", "op", -1, 1.5, "oppose", "bwd", 0),
    (r"실수|잘못된 결정|오판|패착|역효과|부메랑|자충수|실패(?:했|한|작)", "senti", -1, 1.5, "disapprove", "bwd", 0),
    (r"(?:인민해방군|해방군|중국군|군사력|군)\S*\s*(?:\S+\s+)?(?:강하게|키워|키우|강화)|(?:중국|베이징)\S*\s*(?:\S+\s+)?선물",
     "senti", -1, 1.5, "harms_security", "bwd", -1.5),
    (r"환영|지지|찬성|촉구|요구|바란다|바라(?:며|고|는)|희망", "op", +1, 1.0, "support", "bwd", 0.5),
    (r"해제|완화|철회|철폐|폐지|풀(?=[겠어고었기지])|풀어|버리|버려|버릴|없애|거두|뒤집|바로잡",
     "rev", +1, 0.8, "undo", "bwd", 0),
    (r"중단|멈추|멈춰|멈출|취소|최소화|줄이|줄여|끊|박탈", "rev", -1, 1.0, "stop", "bwd", 0),
    (r"(?:이유를|근거를)\s*(?:설명|제시|소명)|금지|제한(?!적)|규제|통제|차단|봉쇄|막(?=[아았고는을지겠기혀])|불허|제재|"
     r"단속|배제|퇴출|(?:검사|심사|조사|감시)(?:를|을)?\s*(?:강화|확대)|강화하겠|고삐|허가(?:가|를)? (?:받아야|필요)|"
     r"라이선스가 필요|허가 대상|소환",
     "down", -1, 1.0, "control", "", 0),
    (r"(?:미국|국내|자국)\s*(?:\S+\s*)?(?:에만|에게만|만을|만)\s", "down", -1, 1.0, "exclusive", "", 0),
    (r"거부|거절|자제|꺼리|기피|외면|쓰지 말|사지 말|사용하지 말",
     "down", -1, 1.0, "refuse", "", 0),
    (r"국산(?:화|으로|\s*칩|\s*제품|\s*AI|\s*반도체|\s*대체)?|자립|자급|자체 칩|(?:반도체|기술)\s*독립|독립을|"
     r"자국산|자국 (?:칩|반도체|업체|기업 제품)",
     "down", -1, 1.0, "domestic", "", 0),
    (r"허용|승인|연장|갱신|허가를?\s*(?:내주|내줄|발급|받)|라이선스를?\s*(?:내주|내줄|발급|받)|내주겠|내줄|재개|풀어주|"
     r"다시\s*(?:\S+\s+)?(?:팔|판매|수출)",
     "up", +1, 1.0, "allow", "", 0),
    (r"(?<![가-힣])팔(?=[아고지겠며면거기게]|\s*(?:수|용의|계획|생각|의향|방침|것)|ㄹ)|팔 수|판다|팔린|(?:판매|수출|공급|출하|납품|반입|수입|거래)(?:하|할|한|해|을|를)?"
     r"(?=하|할|한|해|을|를|이|가|도)|에\s*주(?=[지겠고어])|흘러가|흘러들|들어가|제품을 공급|"
     r"(?:고객|시장)(?:에|을|를|에게|들에게|들을)?\s*(?:\S+\s+)?(?:서비스|봉사|지원하|지원할)|"
     r"다시 받아들|받아들이|받아들일|(?:칩|반도체|제품|기술)(?:은|는|을|를|도)?\s+(?:\S+\s+)?(?:줄|주지|주겠|준다|넘길|넘기|넘겨)",
     "up", +1, 1.0, "sell", "", 0),
    (r"구매|구입|사들|(?<![가-힣])사(?=지|겠|고 싶|려)|(?<![가-힣])(?:갖|가질|가지)(?=[게고지도]|\s)|보유하|손에 넣|"
     r"(?<![가-힣])살\s+(?:필요|계획|수)|주문|도입|확보|들여오|들여와|"
     r"기다리|기다린|관심",
     "up", +1, 1.0, "buy", "", 0),
    (r"원하|원한|원해|원할|필요(?:가 있|로 하|하다|합니다)", "up", +1, 1.0, "want", "", 0),
    (r"거래|합의", "trade", +1, 0.8, "deal", "", 0),
    (r"판매|수출|수입|허가|라이선스|공급|지위|면제|예외|특례|인가", "trade", +1, 0.4, "trade", "", 0),
    (r"신청서?|(?:이|그|해당|관련) (?:문제|사안|건)", "app", 0, 0.0, "application", "", 0),
]

ZH_LEX = [
    (r"注意到(?:有关|相关)?报道|不予置评|不作评论|无可奉告|(?:请|建议)?向[^，。]{0,6}主管部门|主管部门|"
     r"不了解|不掌握|不清楚|互利共赢|合作共赢|互利|立场是一贯的|一贯(?:的)?立场|一贯主张",
     "neutral", 0, 2.0, "noncommittal", "", 0),
    (r"遵守|依法依规|保持沟通|密切沟通|受(?:到)?(?:美国)?(?:出口)?(?:管制|限制)(?:影响)?|属于管制", "neutral", 0, 1.0, "comply", "", 0),
    (r"尚未(?:作出)?决定|未作(?:出)?决定|还没有决定|没有决定|悬而未决|待定", "delib", None, 2.0, "undecided", "fwd", 0),
    (r"是否|(?:仍在|正在|还在)(?:研究|评估|讨论|考虑|权衡|审查|审核|审议)|研究是否|讨论|评估是否|考虑是否",
     "delib", None, 2.0, "deliberation", "fwd", 0),
    (r"违反(?:了)?(?:市场(?:经济)?原则|(?:国际)?经贸规则|世贸(?:组织)?规则)|扰乱(?:了)?(?:全球)?(?:产业链|供应链)|"
     r"破坏(?:了)?(?:全球)?(?:产业链|供应链)|泛化国家安全|泛安全化|泛政治化|政治化|工具化|武器化|滥用(?:出口管制|国家安全)?|霸凌|单边|打压|遏制|无理|不合理|"
     r"歧视性|零和|错误做法|脱钩断链|胁迫|霸权|保护主义",
     "eval", +1, 1.5, "criticise_control", "", 0),
    (r"经(?:过)?批准的客户|经(?:过)?审查的(?:客户|用户)|指定(?:的)?最终用户|严格(?:的)?条件下",
     "eval", +1, 1.0, "safeguarded", "", 0),
    (r"需求旺盛|需求强劲|巨大的?市场|市场规模", "eval", +1, 1.5, "pro_trade", "", 0),
    (r"技术栈|依赖美国|拱手让给", "eval", +1, 1.5, "pro_trade_argument", "", 0),
    (r"国家安全|安全(?:风险|隐患|漏洞|问题)|风险|隐患|后门|漏洞|军事|军方|解放军|走私|危害|威胁|危险|追踪|远程关闭",
     "eval", -1, 1.5, "security", "", 0),
    (r"很遗憾|遗憾的是|可惜", "senti", -1, 1.5, "regret", "fwd", 0),
    (r"遗憾|失望", "senti", -1, 1.5, "regret", "bwd", 0),
    (r"好消息|正确(?:的)?(?:决定|选择|做法)", "senti", +1, 1.5, "approve", "bwd", 0),
    (r"积极回应|积极(?:的)?(?:反应|评价)|满意|高兴|赞赏", "op", +1, 1.5, "positive_reaction", "fwd", 1.0),
    (r"反对|批评|谴责|抗议", "op", -1, 1.5, "oppose", "fwd", 0),
    (r"关切|担忧|不满|质疑", "op", -1, 1.5, "oppose", "bwd", 0),
    (r"错误(?!做法)|适得其反|失败", "senti", -1, 1.5, "disapprove", "bwd", 0),
    (r"欢迎|支持|呼吁|敦促|希望|应当|应该|(?<![回响反供适相答对])应(?![用对答])", "op", +1, 1.0, "support", "fwd", 0.5),
    (r"取消|解除|放宽|撤销|撤回|摒弃|放弃|纠正|松绑", "rev", +1, 0.8, "undo", "fwd", 0),
    (r"停止|暂停|中止|终止|叫停|拆除|减少|收回|切断", "rev", -1, 1.0, "stop", "fwd", 0),
    (r"(?:说明|解释)[^，。]{0,6}(?:原因|理由|必要性)|许可(?:证)?要求|须(?:获得|申请)许可|需(?:要)?(?:获得|申请)许可|禁止|限制|管制|封锁|阻止|拦截|制裁|收紧|"
     r"加强(?:对[^，。]{0,12})?(?:检查|审查|管控|监管)|审查|检查|约谈|不准|不得|非必要不|实体清单|断供|"
     r"不被允许",
     "down", -1, 1.0, "control", "", 0),
    (r"拒绝|避免|谨慎(?:采购|使用)?|抵制|慎用", "down", -1, 1.0, "refuse", "", 0),
    (r"国产(?:替代|化|芯片|人工智能芯片|产品|算力)?|自主可控|自立自强|自给自足|自主创新|只能使用", "down", -1, 1.0,
     "domestic", "", 0),
    (r"允许|批准|同意|放行|延长|续期|许可(?=[\u4e00-\u9fff])(?![证的])|发放|恢复|放开|获批|开绿灯", "up", +1, 1.0, "allow", "", 0),
    (r"出售|销售|出口|供应|供货|流向|进入中国|服务(?:中国)?(?:客户|市场)|(?:与|和|为)(?:中国)?客户(?:合作|服务)", "up", +1, 1.0,
     "sell", "", 0),
    (r"采购|购买|进口|订购|引进|下单", "up", +1, 1.0, "buy", "", 0),
    (r"想要|需要|希望得到", "up", +1, 1.0, "want", "", 0),
    (r"交易|安排|协议|生意", "trade", +1, 0.8, "deal", "", 0),
    (r"订单|许可证?|豁免|授权|资格", "trade", +1, 0.4, "trade", "", 0),
    (r"申请|此事|该问题|这一问题|相关问题", "app", 0, 0.0, "application", "", 0),
]

LEXICONS = {lang: [(re.compile(p, re.I), kind, pol, w, name, bind, fb) for p, kind, pol, w, name, bind, fb in lex]
            for lang, lex in (("en", EN_LEX), ("ko", KO_LEX), ("zh", ZH_LEX))}
# Most spans can match only a few lexicon entries: the gates skip the others (same matches).
LEXICON_GATES = {lang: LiteralGate([row[0] for row in lex]) for lang, lex in LEXICONS.items()}
EVENT_KINDS = ("up", "down", "trade", "rev")
OPERATOR_KINDS = ("op", "senti")


# ================================================================ negation, modality, clauses
EN_NEGATOR = re.compile(r"^(?:not|never|no|nor|neither|without|cannot|\w*n[’']t)$", re.I)
EN_LIGHT = {"be", "been", "being", "have", "has", "had", "to", "going", "gonna", "a", "an", "the", "any", "anybody",
            "anyone", "further", "longer", "yet", "even", "also", "really", "currently", "ever", "all", "plans", "plan",
            "intention", "intend", "intends", "seek", "seeking", "able", "more", "so", "just", "get", "got", "its",
            "their", "our", "his", "her", "them", "us", "it", "will", "would", "should", "must", "can", "could",
            "ready", "prepared", "willing", "such", "this", "these", "those", "that"}
KO_NEG_AFTER = re.compile(r"^[가-힣]{0,3}?(?:지\s*(?:않|못|말|마)|지는\s*않|않|못하|안\s*(?:된|돼)|불가|\s*수\s*없|"
                          r"(?:\s*필요)?(?:가|이|는|은|도)?\s*없(?:다|어|고|는|을|으)|"
                          r"(?:해|어|아|여|되어|돼)서는\s*안|(?:된|한)?\s*것(?:은|이)?\s*아니)")
KO_NO_PLAN = re.compile(r"^[가-힣]{0,2}\s*(?:계획|생각|의향|방침|용의|의사)(?:이|은|는|도)?\s*(?:없|전혀 없)|"
                        r"^[가-힣]{0,2}\s*게\s*(?:둘|놔둘|놓아둘|할|내버려\s*둘)\s*수\s*없|^[가-힣]{0,2}\s*게\s*(?:두지|하지)\s*않")
KO_NOBODY = re.compile(r"(?:아무도|누구도|어느 (?:누구|곳|기업)도)\s*(?:\S+\s+){0,2}?(?:없|않|못)")
EN_NOBODY = re.compile(r"^\s*(?:nobody|no one|none of\b|no (?:chinese |foreign |american )?"
                       r"(?:company|companies|firm|firms|buyer|buyers|customer|customers|one))\b", re.I)
ZH_NO_PLAN = re.compile(r"(?:没有|无|并无|暂无|不)[^，。]{0,6}$")
ZH_PLAN_AFTER = re.compile(r"^[^，。]{0,12}?的?(?:计划|打算|意向|安排)")
KO_NEG_BEFORE = re.compile(r"(?:^|\s)(?:안|못)\s*$")
KO_TAIL_NEG = re.compile(r"^[^.,]{0,40}?(?:아니|않|없)[가-힣]*[.”\"']?\s*$")
ZH_NEG = re.compile(r"(?:不|没有|没|未|别|无法|无需|不会|不能|不存在|不再|并非|绝不|从未|勿)(?:[会再能被得要想准应可愿该将]|予以)?"
                    r"(?:任何|(?:向|对|给|为|在|与|和|从|把)[^，。、\s不没未]{1,8})?[“”\"'‘’「」\s]*$")
ZH_NEG_OTHER = re.compile(r"(?:不|没有|没|未|无法|不会|不能|并未|从未)[^，。；、,不没未]{1,4}$")
KO_NEG_OTHER = re.compile(r"^\S*\s+(?:\S+\s+){0,2}?(\S+?)지\s*(?:않|못)")
EN_MODAL = re.compile(r"\b(?:may|might|could|possibly|perhaps|potentially|eventually)\s+(?:\w+\s+){0,1}$", re.I)
KO_MODAL = re.compile(r"^[가-힣]{0,3}\s*수도\s*있|^[가-힣]{0,2}\s*(?:수|가능성)(?:도|이)?\s*있(?!게)")
ZH_MODAL = re.compile(r"(?:可能|或许|也许|或将)[^，。]{0,4}$")
MODAL = 0.8  # "may allow": the direction holds, with less weight
EN_PASSIVE = re.compile(r"\b(?:be|been|being|is|are|was|were|get|gets|got)\s+(?:\w+\s+)?$", re.I)

CLAUSE_BREAK = {
    "en": re.compile(r"(?<![A-Z])[.!?]+(?=\s+[A-Z\"“‘']|\s*$)|;|\s+but\s+|,\s+(?:while|although|whereas|though)\s+|"
                     r"\s+[—–]\s+|:\s"),
    "ko": re.compile(r"[.;!?]+(?=\s|$)|하지만|그러나|(?<=[가-힣])지만\s|(?<=[가-힣])는데\s"),
    "zh": re.compile(r"[。；！？;]|但是|但|不过|然而"),
}
# Window sizes (en: words, ko: space-separated tokens, zh: characters) for what a cue can govern.
WINDOWS = {"absorb": {"en": 6, "ko": 2, "zh": 10}, "rev": {"en": 5, "ko": 2, "zh": 8},
           "want": {"en": 5, "ko": 2, "zh": 6}, "op": {"en": 14, "ko": 5, "zh": 16}}


@dataclass
class Cue:
    a: int
    b: int
    kind: str
    pol: Optional[int]
    w: float
    name: str
    bind: str
    fallback: float
    clause: int = 0
    neg: bool = False  # flipped by a negation
    mute: bool = False  # under a negated other verb: says nothing
    modal: float = 1.0
    used: bool = False  # governed by another cue, counted there
    masked: bool = False  # inside a reported clause of another party
    value: int = 0  # effective direction (events and bound operators)
    target: Optional["Cue"] = None


@dataclass
class Score:
    """Evidence for one span: a signed total (positive favours chips flowing), the weight of
    noncommittal and deliberation cues, the net descriptive flow and the rules that fired."""

    total: float = 0.0
    neutral: float = 0.0
    deliberation: float = 0.0
    flow: float = 0.0  # net direction of unbound flow events (for a frame operator to govern)
    rules: list[str] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)

    def __bool__(self):
        return bool(self.rules)


def _lang(text: str) -> str:
    if re.search(r"[\uac00-\ud7a3]", text):
        return "ko"
    if len(re.findall(r"[\u4e00-\u9fff]", text)) > len(re.findall(r"[A-Za-z]", text)) / 3:
        return "zh"
    return "en"


def _distance(text: str, a: int, b: int, lang: str) -> int:
    """How far apart two positions are: words (en), tokens (ko), characters (zh)."""
    if b < a:
        a, b = b, a
    gap = text[a:b]
    if lang == "en":
        return len(re.findall(r"[\w'’$%.-]+", gap))
    if lang == "ko":
        return len(re.findall(r"\s+", gap.strip()))
    return len(gap.strip())


# (text, lang) -> (cue rows, clause-break ends) of the spans scored for the current article:
# a quote's clauses and the quote itself are scored several times (own stance, reported
# stances, frames), and the lexicon scan is the costly part. Cleared by find_stances for each
# article and kept small; the rows are plain tuples, fresh Cue objects are made on every call.
_CUE_MEMO: dict[tuple[str, str], tuple[tuple, list[int]]] = {}
_CUE_MEMO_LIMIT = 256


def _cue_rows(text: str, lang: str) -> tuple[tuple, list[int]]:
    key = (text, lang)
    hit = _CUE_MEMO.get(key)
    if hit is None:
        breaks = list(CLAUSE_BREAK[lang].finditer(text))
        starts = [m.start() for m in breaks]
        rows = tuple((c.a, c.b, c.kind, c.pol, c.w, c.name, c.bind, c.fallback, sum(1 for x in starts if x < c.a))
                     for c in _match_cues(text, lang))
        hit = (rows, [m.end() for m in breaks])
        if len(_CUE_MEMO) >= _CUE_MEMO_LIMIT:
            _CUE_MEMO.clear()
        _CUE_MEMO[key] = hit
    return hit


def _match_cues(text: str, lang: str) -> list[Cue]:
    """The lexicon matches of a text, in text order (earlier entries win overlaps)."""
    taken: list[tuple[int, int]] = []
    cues = []
    lexicon = LEXICONS[lang]
    for i in LEXICON_GATES[lang].select(text):
        pattern, kind, pol, w, name, bind, fb = lexicon[i]
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            cues.append(Cue(m.start(), m.end(), kind, pol, w, name, bind, fb))
    cues.sort(key=lambda c: c.a)
    return cues


def _negation(text: str, cue: Cue, cues: list[Cue], lang: str, clause_start: int, clause_end: int) -> str:
    """'flip' when a negation governs the cue, 'mute' when it governs another verb above it."""
    if lang == "en":
        if cue.kind in EVENT_KINDS and EN_NOBODY.match(text[clause_start:cue.a]):
            return "flip"  # "Nobody in China will get a Blackwell"
        before = list(re.finditer(r"[\w'’]+", text[clause_start:cue.a]))
        others = 0
        for tok in reversed(before[-6:]):
            pos = clause_start + tok.start()
            if any(o is not cue and o.a <= pos < o.b and o.kind not in ("neutral", "app") for o in cues):
                return ""  # another cue in between takes the negation
            word = tok.group(0).lower()
            if EN_NEGATOR.match(word):
                if word == "no" and text[clause_start + tok.end():cue.a].strip() == "" and cue.kind == "eval":
                    return "flip"  # "no backdoors"
                return "flip" if others == 0 else ("mute" if others <= 3 and cue.kind != "eval" else "")
            if word not in EN_LIGHT:
                others += 1
        return ""
    if lang == "ko":
        after = text[cue.b:cue.b + 14]
        if KO_NEG_AFTER.match(after) or KO_NO_PLAN.match(after) or \
                KO_NEG_BEFORE.search(text[max(clause_start, cue.a - 4):cue.a]):
            return "flip"
        if cue.kind in EVENT_KINDS and KO_NOBODY.search(text[cue.b:clause_end]):
            return "flip"  # "블랙웰을 갖게 될 사람은 아무도 없다"
        if cue.kind == "eval" and KO_TAIL_NEG.match(text[cue.b:clause_end]):
            return "flip"  # "H20은 군사용 제품이 아니다", "백도어가 없다"
        other = KO_NEG_OTHER.match(text[cue.b:clause_end])
        if other and cue.kind != "eval":
            vs = cue.b + other.start(1)
            if not any(o is not cue and o.kind != "app" and o.a < vs + len(other.group(1)) + 1 and o.b > vs
                       for o in cues):
                return "mute"  # "블랙웰을 팔기 위한 허가를 신청하지 않았다": the negation is about applying
        return ""
    before = text[max(clause_start, cue.a - 6):cue.a]
    if ZH_NEG.search(before):
        return "flip"
    if ZH_NO_PLAN.search(text[max(clause_start, cue.a - 8):cue.a]) and ZH_PLAN_AFTER.match(text[cue.b:clause_end]):
        return "flip"  # "没有进一步采购H20的计划"
    other = ZH_NEG_OTHER.search(before)
    if other and cue.kind != "eval" and not any(
            o is not cue and o.kind != "app" and o.b <= cue.a and o.a >= cue.a - len(other.group(0)) for o in cues):
        return "mute"  # "没有申请出售许可": the negation is about applying
    return ""


def _modal(text: str, cue: Cue, lang: str, clause_start: int) -> float:
    if lang == "en":
        return MODAL if EN_MODAL.search(text[max(clause_start, cue.a - 30):cue.a]) else 1.0
    if lang == "ko":
        return MODAL if KO_MODAL.match(text[cue.b:cue.b + 12]) else 1.0
    return MODAL if ZH_MODAL.search(text[max(clause_start, cue.a - 8):cue.a]) else 1.0


def _participle(text: str, c: Cue) -> bool:
    """"were lifted", "be halted" (a passive), not "was revoking" (a progressive)."""
    return bool(re.search(r"(?:ed|en|wn|un|ut|ft)$", text[c.a:c.b].split()[0] if text[c.a:c.b].split() else ""))


def _adjacent(text: str, a: Cue, b: Cue, lang: str) -> bool:
    gap = text[a.b:b.a]
    if lang == "zh":
        return len(gap) <= 1 and not re.search(r"[，。、；]", gap)
    if lang == "ko":
        return gap.strip() == "" and not re.search(r"(?:을|를|이|가|은|는|에|의|로|와|과)$", text[a.a:a.b + 2].split()[0]
                                                   if text[a.a:a.b + 2].split() else "")
    return gap.strip() == ""


def _direction(c: Cue) -> int:
    """Flow direction of an event after its own negation."""
    return -c.value if c.neg else c.value


def _nearest(text: str, cue: Cue, cues: list[Cue], kinds, lang: str, window: int, prefer: str,
             allow_used: bool = False, strict: bool = False) -> Optional[Cue]:
    """The closest cue of the given kinds in the same clause, looked for on the preferred side first
    (only there when strict)."""
    cands = [c for c in cues if c is not cue and c.kind in kinds and c.clause == cue.clause
             and (allow_used or not c.used) and not c.mute]
    fwd = [c for c in cands if c.a >= cue.b and _distance(text, cue.b, c.a, lang) <= window]
    bwd = [c for c in reversed(cands) if c.b <= cue.a and _distance(text, c.b, cue.a, lang) <= window]
    order = (fwd, bwd) if prefer != "bwd" else (bwd, fwd)
    for side in order[:1] if strict else order:
        if side:
            return side[0]
    return None


def score_text(text: str, lang: Optional[str] = None, categories=None, *, reported: bool = False,
               mask: tuple = (), attributed: tuple = ()) -> Score:
    """Score a span. `reported`: the span states another party's position (the speaker's own
    sentiment and boilerplate are left out). `mask`: (a, b) spans of the text that report
    another party; their flows count for the speaker only where the speaker evaluates them.
    `attributed`: spans naming another party's decision ("Trump's decision to let Nvidia sell"):
    their flows are masked the same way, the rest of the span is read as usual.
    `categories` is accepted for compatibility; it restricts the rules by name."""
    lang = lang or _lang(text)
    sc = Score()
    rows, break_ends = _cue_rows(text, lang)
    cues = [Cue(*row) for row in rows]
    if categories is not None:
        cues = [c for c in cues if c.name in categories or c.kind in categories]
    bounds = [0] + break_ends + [len(text)]
    for c in cues:
        cs, ce = bounds[min(c.clause, len(bounds) - 2)], bounds[min(c.clause + 1, len(bounds) - 1)]
        state = _negation(text, c, cues, lang, cs, ce) if c.kind not in ("neutral", "delib", "app") else ""
        c.neg, c.mute = state == "flip", state == "mute"
        if c.kind == "senti" and c.fallback:
            c.neg = False  # "중국 시장을 화웨이에 넘겨줄 수는 없다" still argues for selling
        c.modal = _modal(text, c, lang, cs) if c.kind in EVENT_KINDS else 1.0
        c.masked = any(a <= c.a < b for a, b in mask) or \
            (c.kind in EVENT_KINDS and any(a <= c.a < b for a, b in attributed))
        if c.kind in EVENT_KINDS:
            c.value = c.pol
    # Under a negated other verb, the chain that follows says nothing either ("not applied for licences to sell").
    for i, c in enumerate(cues[1:], 1):
        p = cues[i - 1]
        if p.mute and c.kind in EVENT_KINDS and c.clause == p.clause and _distance(text, p.b, c.a, lang) <= 2:
            c.mute = True
    # The speaker's own view wherever it appears: sentiment, verdicts, loaded names for controls, arguments.
    speaker_eval = [c for c in cues if c.kind == "senti" or c.name in ("criticise_control", "pro_trade_argument")]
    framing = [c for c in cues if c.name in ("security", "safeguarded")]  # framing is not another party's act
    cues = [c for c in cues if not (reported and (c.kind == "neutral" or c in speaker_eval or c in framing))]
    cues = [c for c in cues
            if not (c.masked and c.kind in ("op", "neutral", "delib", "eval") and c not in speaker_eval)]
    sc.cues = cues
    _compose(text, cues, lang)
    _sum(cues, sc, lang)
    return sc


def _compose(text: str, cues: list[Cue], lang: str) -> None:
    # 0. compounds: a flow noun right before a control noun is its object ("export controls", "出口管制",
    #    "반입 허가"): the later noun heads the compound.
    for prev, c in zip(cues, cues[1:]):
        noun = prev.kind == "trade" or (lang != "en" and prev.name in ("sell", "buy"))
        if noun and c.kind in ("down", "trade") and c.clause == prev.clause and _adjacent(text, prev, c, lang):
            prev.used = True
            c.w = max(c.w, prev.w)
    # 0b. complying with a rule takes no side on it ("will comply with the export controls", "遵守…管制规定").
    for n in (c for c in cues if c.kind == "neutral" and c.name == "comply"):
        t = _nearest(text, n, cues, EVENT_KINDS, lang, WINDOWS["rev"][lang], "bwd" if lang == "ko" else "fwd",
                     strict=True)
        if t is not None:
            t.used = True
    if lang in ("ko", "zh"):
        for c in cues:
            tok_end = re.match(r"\S*", text[c.b:]).end() + c.b if lang == "ko" else c.b + 1
            if c.kind in ("up", "trade") and re.search(r"(?:는|던)$" if lang == "ko" else r"的$", text[c.a:tok_end]):
                h = _nearest(text, c, cues, ("down", "rev"), lang, 4 if lang == "ko" else 20, "fwd", strict=True)
                if h is not None:
                    c.used = True
    # "sell only to American companies", "미국 기업에만 팔 것": the restriction takes the flow it limits.
    for x in (c for c in cues if c.name == "exclusive"):
        t = _nearest(text, x, cues, ("up", "trade"), lang, 4, "bwd" if lang == "en" else "fwd")
        if t is not None:
            t.used = True
    heads = [c for c in cues if c.kind in ("up", "down") and c.name != "want" and not c.used]
    # 1. a verb absorbs the trade nouns and flow verbs it governs ("ban sales", "allow them to be sold";
    #    Korean objects come first: "수출을 전면 금지").
    for h in heads:
        if h.used:
            continue
        prev = h
        side = "bwd" if lang == "ko" else "fwd"
        passive = lang == "en" and EN_PASSIVE.search(text[max(0, h.a - 20):h.a]) and _participle(text, h)
        kinds = ("trade", "up") if h.kind == "up" else ("trade", "up", "down")
        for _ in range(4):
            nxt = _nearest(text, prev, cues, kinds, lang, WINDOWS["absorb"][lang], side, strict=True)
            if nxt is None or (side == "fwd" and nxt.a < prev.b) or (side == "bwd" and nxt.b > prev.a) \
                    or nxt.name == "want":
                break
            nxt.used = True
            h.w = max(h.w, 1.0 if nxt.kind == "up" else h.w)
            prev = nxt
        if passive:
            obj = _nearest(text, h, cues, ("trade",), lang, 8, "bwd")
            if obj and obj.b <= h.a:
                obj.used = True
    # 2. reversers take the flow they govern and turn it around ("lift restrictions", "stop buying");
    #    English passives look back ("restrictions ... would be lifted").
    for r in (c for c in cues if c.kind == "rev"):
        prefer = r.bind
        if lang == "en" and EN_PASSIVE.search(text[max(0, r.a - 20):r.a]) and _participle(text, r):
            prefer = "bwd"
        t = _nearest(text, r, cues, ("up", "down", "trade", "eval"), lang,
                     WINDOWS["rev"][lang] if prefer != "bwd" or lang != "en" else 8, prefer, strict=True)
        if t is not None and t.kind == "eval" and t.name != "criticise_control":
            t = None
        if t is not None:
            t.used = True
            tdir = -1 if t.kind == "eval" else _direction(t)
            r.value, r.target = -tdir, t
            r.w = max(r.w, 1.0)
            if t.kind == "trade" and lang != "ko" and t.a > r.a:
                nxt = _nearest(text, t, cues, ("up", "trade"), lang, 3, "fwd", strict=True)
                if nxt is not None:
                    nxt.used = True
        else:
            r.value = r.pol
    # 3. want/need take the direction of what is wanted ("wants semiconductor independence").
    for wnt in (c for c in cues if c.name == "want" and not c.used):
        wnt.value = wnt.pol
        obj = _nearest(text, wnt, cues, ("up", "down", "rev"), lang, WINDOWS["want"][lang],
                       "bwd" if lang == "ko" else "fwd", strict=True)
        if obj is not None and obj.name != "want":
            wnt.used = True
            obj.neg = obj.neg or wnt.neg  # "don't want to buy", "不再需要购买": one negation
    # 4. deliberation holds every flow of its clause in suspense ("deciding whether to let the chips in");
    #    deliberating about something else (subsidies, production) is not about the chip trade.
    for d in (c for c in cues if c.kind == "delib"):
        held = [c for c in cues if c.kind in EVENT_KINDS + ("app",) and c.clause == d.clause and
                ((lang == "ko" and c.a < d.b) or (lang != "ko" and c.a >= d.a) or c.b == d.a)]
        for c in held:
            c.used = True
        if all(c.name == "domestic" for c in held) and d.name != "undecided":
            d.kind, d.w = "idle", 0.0
    # 5. operators take a side on the flow they govern ("oppose letting Nvidia ship" -> against).
    for o in (c for c in cues if c.kind in OPERATOR_KINDS):
        pool = [c for c in cues if c.kind in EVENT_KINDS and not (o.kind == "senti" and o.fallback and c.neg)]
        t = _nearest(text, o, pool, EVENT_KINDS, lang, WINDOWS["op"][lang], o.bind, strict=lang == "ko")
        if t is not None:
            t.used = True
            o.target = t
            o.value = o.pol * _direction(t) * (-1 if o.neg else 1)


def _sum(cues: list[Cue], sc: Score, lang: str) -> None:
    for c in cues:
        tag = f"{lang}_{c.name}" + (f">{c.target.name}" if c.kind == "rev" and c.target else "") + \
            ("+neg" if c.neg else "")
        if c.kind == "neutral":
            sc.neutral += c.w
        elif c.kind == "delib":
            sc.deliberation += c.w
        elif c.kind in ("idle", "app"):
            continue
        elif c.kind == "eval":
            if c.mute:
                continue
            sc.total += c.pol * (-1 if c.neg else 1) * c.w
        elif c.kind in OPERATOR_KINDS:
            if c.target is not None:
                sc.total += c.value * max(c.w, 1.0)
                tag = f"{lang}_{c.name}>{c.target.name}" + ("+neg" if c.neg else "")
            elif c.fallback:
                sc.total += c.fallback * (-1 if c.neg else 1)
            else:
                continue
        else:  # flow events
            if c.used or c.mute or c.masked:
                continue
            v = _direction(c) * c.w * c.modal
            sc.total += v
            sc.flow += v
            if c.modal < 1:
                tag += "+modal"
        sc.rules.append(tag)


def label(sc: Score) -> tuple[str, float, str]:
    """(stance, confidence, rule) from a score."""
    rule = ",".join(dict.fromkeys(sc.rules))
    t = sc.total
    if sc.deliberation and abs(t) < 1.0:
        return "unclear", 0.5, rule  # "deciding whether", "논의하고 있다": no position yet
    if sc.neutral and abs(t) < sc.neutral:
        return "neutral", round(min(0.85, 0.45 + 0.1 * sc.neutral), 2), rule
    if abs(t) >= 0.75:
        return ("favor" if t > 0 else "against"), _confidence(abs(t)), rule
    if sc.rules:
        return "unclear", 0.2, "weak:" + rule  # cues too weak or cancelling out
    return "unclear", 0.0, "no_cue"


def _confidence(strength: float) -> float:
    """Evidence strength -> confidence: 0.57 for one weak cue, ~0.66 for one strong cue, ~0.8 for three.
    Deliberately below the accuracy measured on the development cases (blind batches scored 0.6-0.85)."""
    return round(min(0.95, 0.5 + 0.45 * (1 - math.exp(-(strength - 0.5) / 1.5))), 2)


# ================================================================ reported positions
# Where a quote changes subject. Each alternative is one boundary.
_CLAUSE_SPLIT = re.compile("|".join([
    r"(?<=[.!?])\s+(?=[A-Z\"“])", r"(?<=[。！？])", r";\s*", r"\.\.\.\s*", r"…\s*",
    r",\s+(?:and|but)\s+",
    r"\s+and\s+(?=(?:President\s+)?[A-Z][a-z])",  # "... the sales and Xi Jinping responded"
    r"\s+and\s+(?=is |are |was |has |have )",  # a second verb of the same subject
    r",\s+(?=which\b)",
    r"(?<=\w)\s+(?=(?:they|they're|they've)\s)",  # "the reason is they want semiconductor independence"
    r"\b(?:reports?|said|says|believed?|believes|thinks?|thought|claimed|noted) (?:that )?(?=[A-Z])",
    r"\bthat\s+(?=(?:President |Chinese |U\.S\. )?[A-Z])",  # "reports that Chinese regulators had told"
    r"(?<=다)며\s+", r"(?<=고)\s+(?=\S+[이가은는]\s)", r"(?<=[가-힣])지만\s+",  # Korean connectives before a new subject
    r"，(?=[^，。]{0,12}(?:还|也))",  # "…，相关部门还要求…"
    r"，(?=中方|我们|我国|美方|双方|对方)",  # "美方不断滥用出口管制措施…，中方对此坚决反对"
]))
_EN_THEY = re.compile(r"^\s*(?:and\s+|but\s+|apparently\s+|so\s+)*(?:they|they're|they've|they'll)\b", re.I)
_EN_WHICH = re.compile(r"^\s*which\b", re.I)
_ZH_THEY = re.compile(r"^\s*(?:他们|对方)")
_KO_THEY = re.compile(r"^\s*(?:그들은|그들이|이들은|이들이|그들에게는)")
_DEMAND = re.compile(r"\b(?:should|must|need to|needs to|has to|have to|ought to)\b|(?:해|아|어|여)야|하라(?!고)|"
                     r"\bcan (?:buy|have|get|order|purchase|import|use)\b|[가-힣]야\s*(?:한|했|할|하|합|된|돼|됩|겠)|"
                     r"게\s*(?:둘|두지|놔둘|내버려|놓아둘)|도록\s*(?:하겠|할 것|허용)|"
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
    cond = _CONDITIONAL.match(text)
    if cond and cond.group(2) and len(re.findall(r"\S(?:이|가|은|는)(?=\s)", cond.group(2))) > 1:
        cond = None  # "중국 정부가 … 필요한 경우가 아니면 …": the condition has its own subject inside
    if cond:  # "If China wants them, they can buy it", "중국이 합의를 지키면 …": the condition is its own clause
        g = 1 if cond.group(1) else 2
        out.append((base, base + cond.end(g)))
        last = cond.end()
    for m in _CLAUSE_SPLIT.finditer(text, last):
        if m.group(0).strip() == "and" and re.search(r"\b[A-Z][\w.]*\s*$", text[:m.start()]):
            continue  # "Alibaba and ByteDance", "Industry and Information Technology": one name list
        if m.start() > last:
            out.append((base + last, base + m.start()))
        last = max(last, m.end())
    if last < len(text):
        out.append((base + last, base + len(text)))
    return out


_CONDITIONAL = re.compile(r"^\s*((?:If|When|Once|Unless|Until|As long as)\b[^,;]{3,80}),\s*|"
                          r"^([^.]{2,80}?(?<=[가-힣])면),?\s+")
_SUBORDINATE = re.compile(r"^\s*(?:if|when|once|unless|until|whether|although|though|because|as long as)\b|"
                          r"(?<=[가-힣])면\s*$", re.I)
_ACTION_NOUNS = (r"approvals?|bans?|decisions?|moves?|restrictions?|curbs?|controls?|refusal|rejection|push|orders?|"
                 r"guidance|rules?|policy|crackdown|purchases|imports|exports|plans?")
_NOT_THE_STATE = re.compile(r"\s*(?:tech(?:nology)? |internet |cloud |ai |big )?(?:customers?|companies|company|firms?|"
                            r"buyers?|developers?|chipmakers?|groups?|businesses|clients?|users?|"
                            r"data cent(?:re|er)s?)\b|"
                            r"(?:企业|公司|客户|厂商|买家|用户|科技企业|互联网企业)", re.I)
_EN_LEAD_OK = re.compile(r"^(?:(?:the|a|an|and|but|apparently|also|so|then|both|its|their|chinese|[A-Z][\w.'’\-]*)"
                         r"\s+)*$")


def _clause_subjects(body: str, a: int, b: int, mentions: list[Mention], lang: str) -> list[Mention]:
    """The entities a clause is about: the mention(s) in subject position, with coordination
    ("Alibaba and ByteDance have asked", "알리바바와 바이트댄스 등 … 주문량이")."""
    inside = [m for m in mentions if a <= m.start < b and m.type in HOLDER_TYPES
              and not (lang == "zh" and m.surface[:1] in "对在向")]  # 对华, 在华: "to/in China"
    if not inside or _SUBORDINATE.search(body[a:b]):
        return []
    if lang == "ko":
        return _ko_subject(body, a, b, inside)
    first = inside[0]
    if lang == "en" and first.type == "country" and len(inside) > 1 and inside[1].type == "person" \
            and re.fullmatch(r"\s+(?:[A-Z][\w.\-]*\s+){0,4}", body[first.end:inside[1].start]):
        first = inside[1]  # "Chinese Vice Premier He Lifeng": the person under the title
    lead = body[a:first.start]
    if lang == "en" and not _EN_LEAD_OK.match(lead):
        return []
    if lang == "en" and re.match(r"['’]s\s+(?!(?:government|authorities|regulators|officials|leaders?|leadership|"
                                 r"administration|customs|ministry|commerce|foreign|" + _ACTION_NOUNS + r")\b)",
                                 body[first.end:first.end + 20]):
        return []  # "Washington's restrictions have backfired": the restrictions are the subject
    if first.type == "country" and _NOT_THE_STATE.match(body[first.end:first.end + 30]):
        return []  # "Chinese customers are waiting", "中国企业": buyers, not the state
    if lang == "zh" and (len(lead) > 6 or re.search(r"[，,对向把被]|欢迎|呼吁|希望|支持|反对|敦促|要求|批评|谴责|促请|"
                                                     r"允许|批准|禁止", lead)):
        return []  # a verb before the name makes it the object: "呼吁美方停止…"
    group = [first]
    for m in inside[1:]:
        gap = body[group[-1].end:m.start]
        if re.fullmatch(r"\s*(?:,|and|和|与|、|及)\s*(?:the\s+)?", gap):
            group.append(m)
        else:
            break
    return group


_KO_ACTION_HEAD = re.compile(r"(?:승인|허용|금지|결정|규제|조치|제한|거부|구매|수입|방침|통제)(?:은|는|이|가)$")
_KO_GOV_HEAD = re.compile(r"^(?:정부|당국|규제당국|세관|세관\s*당국|관리들?|관계자들?|지도부|측|정권|당)(?:은|는|이|가)$")


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
            # A country names the subject only as the head of the phrase ("중국이", "중국 정부가",
            # "중국 규제당국이"), not as a modifier ("중국용 MI308이", "중국 기업들이").
            ms = [m for m in ms if m.type != "country" or m.end >= ts or _KO_GOV_HEAD.match(word)
                  or (body[m.end:m.end + 1] == "의" and _KO_ACTION_HEAD.search(word))]
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
    if not q.speaker:
        return []
    commentator = bool(COMMENTATORS.search(q.speaker_text or ""))
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
        elif prev and re.search(r"\b(?:demand|urg|call|press|push|ask|insist)\w*(?: on| for)?\s+(?:that\s+)?$",
                                body[max(q.start, a - 40):a]):
            # "He Lifeng demanded that Washington roll back its restrictions": the demand is the demander's.
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
        sc = score_text(clause, lang, reported=True)
        if not holders and sc.deliberation:
            # "베이징에서 … 논의하기 위한 긴급회의가 열렸다": the place deliberating holds the open question.
            places = [m.id for m in mentions if a <= m.start < b and m.type == "country"
                      and re.match(r"에서|에선", body[m.end:m.end + 3])
                      or a <= m.start < b and m.type == "country" and re.search(r"\b(?:in|at)\s+$|在$", body[a:m.start])]
            holders = [h for h in places[:1] if _reportable_holder(kb, q.speaker, h)]
        if holders and any(c.name in ("criticise_control", "disapprove") for c in score_text(clause, lang).cues):
            continue  # "the U.S. keeps abusing export controls", "Washington's rules backfired": the speaker's view
        if not holders or _is_demand(clause, lang):
            continue  # "the US must lift ...": the speaker's own demand, not the other side's view
        stance = label(sc)[0]
        if stance in ("favor", "against") or stance == "unclear" and sc.deliberation and not commentator:
            # Analysts report decided positions ("Beijing told firms to avoid the H20"); their
            # "whether China will allow it is the open question" is a comment, not a report.
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


# ================================================================ frames and priors
# The words around a quote that take a side on it: "attacked the decision to let Nvidia sell ...,
# saying", "…라며 우려를 표명했다", "批评称". Only stance verbs count here, and only the speaker's.
FRAME_OPS = {
    "en": re.compile(r"\b(?:criticis|criticiz|attack|slamm|blast|condemn|oppos|denounc|decri|object)\w*|"
                     r"\bwarn\w* against\b|\bwelcom(?:ed|es|ing)\b|\bprais(?:ed|es|ing)\b|\bapplaud\w*|"
                     r"\bhail(?:ed|s)\b|"
                     r"\bsupport(?:ed|s)\b|\bbacked\b|\bcall(?:ed|s) for\b|\burg(?:ed|es|ing)\b|\bcomplain\w*|"
                     r"\bdisappoint\w*|\bregrett?\w*", re.I),
    "ko": re.compile(r"반대|비판|규탄|반발|우려|유감|실망|환영|지지|찬성|촉구|요구"),
    "zh": re.compile(r"反对|批评|谴责|抗议|关切|担忧|不满|遗憾|失望|欢迎|支持|赞赏|呼吁|敦促"),
}
TOPIC = {
    "en": re.compile(r"\b(?:asked about|asked whether|on the|about the|regarding|in response to|responding to|"
                     r"reacting to|commenting on)\b", re.I),
    "ko": re.compile(r"(?:에\s*대해|에\s*대한|관련(?:해)?|을\s*두고|를\s*두고|에\s*관해)"),
    "zh": re.compile(r"对此|针对|对于|就|关于|被问及"),
}
# What a vendor talks about when it talks about selling.
VENDOR_MARKET = re.compile(r"\bmarkets?\b|\bcustomers?\b|\bbusiness\b|\bopportunit\w+|\bdemand\b|\bcompet\w+|"
                           r"\bhuawei\b|"
                           r"시장|고객|사업|수요|경쟁|화웨이|市场|客户|业务|需求|竞争|华为", re.I)


def _sentence_of(sentences, pos: int) -> Optional[tuple[int, int]]:
    for s, e in sentences or []:
        if s <= pos < e:
            return s, e
    return None


def _frame(body: str, q: Quote, sentences, lang: str, quote_score: Score) -> Optional[tuple[float, str]]:
    """(contribution, rule) of a stance verb around the quote that governs it, or None."""
    sent = _sentence_of(sentences, q.start)
    if sent is None:
        return None
    s, e = sent
    qs = max(s, q.start - 1) if q.kind == "direct" else q.start
    qe = min(e, q.end + 1) if q.kind == "direct" else q.end
    parts = [(s, qs)] if lang != "ko" else [(qe, e)]  # the speaker's verb: before the quote, or Korean's last
    spk = (q.speaker_text or "").strip()
    for a, b in parts:
        text = body[a:b]
        if not text.strip() or not FRAME_OPS[lang].search(text):
            continue
        if lang == "en" and a == s and spk and spk not in text:
            continue  # the lead must be the speaker's ("Warren attacked ..."), not someone else's
        sc = score_text(text, lang)
        for c in sc.cues:
            if c.kind not in OPERATOR_KINDS or not FRAME_OPS[lang].search(text[c.a:c.b]):
                continue
            if c.target is not None:
                return c.value * max(c.w, 1.0), f"frame:{lang}_{c.name}>{c.target.name}"
            flow = score_text(q.text, lang).flow  # the speaker's frame governs the whole quote
            if flow:
                v = c.pol * (1 if flow > 0 else -1) * (-1 if c.neg else 1)
                return v * 1.5 - quote_score.flow, f"frame:{lang}_{c.name}>quote"
    # The topic the quote answers gives "this" its referent: "미국의 새 수출 규제에 대해 '중국은 이를 반대한다'",
    # "Asked about the new curbs, he said: 'We firmly oppose it.'"
    free = [c for c in quote_score.cues if c.kind in OPERATOR_KINDS and c.target is None and not c.fallback
            and c.name in ("oppose", "support", "approve", "disapprove", "regret")]
    if free:
        lead, tail = body[s:qs], body[qe:e]
        topic = TOPIC[lang].search(lead)
        text = (lead[topic.start():] if lang != "ko" else lead[:topic.end()]) if topic else ""
        if not topic and lang == "en":  # '"This is the right call," Banks said of the decision to revoke the licences.'
            after = re.search(r"\bsaid (?:of|about)\b|\breferring to\b|\bcommenting on\b", tail)
            text = tail[after.start():] if after else ""
        flow = score_text(text, lang).flow if text else 0
        if flow:
            c = free[0]
            v = c.pol * (1 if flow > 0 else -1) * (-1 if c.neg else 1)
            return v * 1.5, f"topic:{lang}_{c.name}>flow"
    return None


# "President Donald Trump's decision to let Nvidia sell ...", "트럼프 대통령의 … 허용 결정", "美方…的决定":
# a named party's act described inside the quote is theirs, not the speaker's.
_ATTRIBUTED = {
    "en": re.compile(r"^['’]s\s+(?:\w+\s+)?(?:decision|move|plan|order|approval|policy|offer|deal|announcement)\b"
                     r"[^.;,]*"),
    "ko": re.compile(r"^의\s+(?:\S+\s+){0,5}?\S*(?:결정|조치|방침|계획|발표)"),
    "zh": re.compile(r"^(?:政府)?[^，。]{0,20}?的(?:决定|举措|做法|计划)"),
}


def _attributed(body: str, q: Quote, mentions: list[Mention], lang: str) -> list[tuple[int, int]]:
    """Spans (relative to the quote) naming another party's decision: flows there are masked out of
    the speaker's own reading unless the speaker evaluates them."""
    out = []
    for m in mentions:
        if not (q.start <= m.start < q.end) or m.type not in HOLDER_TYPES or m.id == q.speaker:
            continue
        hit = _ATTRIBUTED[lang].match(body, m.end, q.end)
        if hit:
            out.append((m.start - q.start, hit.end() - q.start))
    return out


def _vendor(kb, speaker: str) -> Optional[str]:
    """The chip vendor a speaker is or speaks for (Nvidia, Jensen Huang -> Nvidia), else None."""
    company = speaker if kb.type_of(speaker) == "company" else kb.affiliation(speaker)
    row = kb.entities.get("company", {}).get(company) if company else None
    return company if row and any(r in (row.get("role") or "") for r in VENDOR_ROLES) else None


def _only_controls(sc: Score) -> bool:
    """Whether every cue that counted is a control named as such (no refusal, security or verdict)."""
    counted = [c for c in sc.cues if (c.kind in EVENT_KINDS and not (c.used or c.mute or c.masked))
               or (c.kind == "eval" and not c.mute) or (c.kind in OPERATOR_KINDS and (c.target or c.fallback))]
    return bool(counted) and all(c.kind == "trade" or (c.kind == "down" and c.name == "control") for c in counted)


# ================================================================ driver
def find_stances(article, quotes: list[Quote], mentions: list[Mention], sentences, kb) -> list[Stance]:
    """One own Stance per quote with a speaker, plus reported stances of other parties.

    Also sets quote.stance / confidence / rule to the speaker's own stance.
    """
    body = article.body or ""
    body_mentions = sorted((m for m in mentions if m.field == "body"), key=lambda m: m.start)
    out: list[Stance] = []
    _CUE_MEMO.clear()  # repeated spans are remembered within one article only
    for i, q in enumerate(quotes):
        lang = _lang(q.text) if q.text else "en"
        reported = _reported(body, q, body_mentions, kb, lang)
        mask = []
        for holder, (a, b), sc in reported:
            mask.append((a - q.start, b - q.start))
            if sc is None:
                continue  # left out of the speaker's own reading, but no stance for anyone
            stance, conf, rule = label(sc)
            out.append(Stance(holder=holder, stance=stance, reported_by=q.speaker, evidence=body[a:b],
                              confidence=round(conf * 0.9, 2), rule="reported:" + rule, quote_index=i))
        attributed = _attributed(body, q, body_mentions, lang)
        if q.speaker and (q.speaker.startswith(ANONYMOUS_PREFIX) or is_media(kb, q.speaker)):
            stance, conf, rule = "neutral", 0.8, "reporter"  # outlets and sources report, they do not argue
        else:
            sc = score_text(q.text, lang, mask=tuple(mask), attributed=tuple(attributed))
            frame = _frame(body, q, sentences, lang, sc)
            if frame:
                sc.total += frame[0]
                sc.rules.append(frame[1])
            stance, conf, rule = label(sc)
            vendor = _vendor(kb, q.speaker) if q.speaker else None
            if stance == "against" and vendor and not frame and _only_controls(sc):
                # A chip vendor cannot ban anything: its control words describe rules it is subject to.
                stance, conf, rule = "neutral", 0.5, "relay:vendor(" + rule + ")"
            elif stance == "unclear" and not sc.deliberation and vendor and not any(r[2] is None for r in reported) \
                    and kb.country_of(vendor) != "CHN" and VENDOR_MARKET.search(q.text):
                # A foreign chip vendor talking about its market, its customers or its competitors wants to sell.
                stance, conf, rule = "favor", 0.35, "prior:vendor_market" + (f"({rule})" if sc.rules else "")
            elif stance == "unclear" and reported and not sc.rules:
                rule = "only_reported"
        q.stance, q.confidence, q.rule = stance, round(conf, 2), rule
        if q.speaker:
            out.append(Stance(holder=q.speaker, stance=stance, reported_by=None, evidence=q.text,
                              confidence=round(conf, 2), rule=rule, quote_index=i))
    _no_position_is_neutral(out, quotes)
    return out


def _no_position_is_neutral(stances: list[Stance], quotes: list[Quote]) -> None:
    """A speaker whose every quote is 'unclear' spoke without taking a side: neutral. Deliberation
    ("we are considering whether to allow it") stays unclear: the position is open, not absent."""
    by_holder: dict[str, list[Stance]] = defaultdict(list)
    for st in stances:
        if st.reported_by is None:
            by_holder[st.holder].append(st)
    for sts in by_holder.values():
        if all(st.stance == "unclear" for st in sts) and not any(re.search(r"_(?:deliberation|undecided)", st.rule)
                                                                 for st in sts):
            for st in sts:
                st.stance, st.confidence, st.rule = "neutral", 0.45, "no_position:" + st.rule
                if st.quote_index is not None:
                    q = quotes[st.quote_index]
                    q.stance, q.confidence, q.rule = st.stance, st.confidence, st.rule
