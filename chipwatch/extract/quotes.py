"""Direct and indirect quotes in an article body, each with its speaker.

Rules per script (chosen per sentence, so a mixed article still works):
- direct: a balanced quotation with a speech cue next to it ("…," X said / X said: "…" /
  “…”라고 말했다 / 表示：“…”). A quotation without a cue is a term (‘H20’), not a quote,
  unless it is a whole-sentence continuation of the previous speaker.
- indirect: reported speech outside the accepted quotations ("X said (that) …", "…, X said.",
  "according to X, …", "X는 …다고 밝혔다", "…다고 로이터통신이 보도했다", "X表示，…", "据X报道，…").
Speakers resolve through mentions (person preferred), pronouns (last speaker, else the
person the previous sentence is about), role phrases ("the company" -> last company,
"the newspaper" -> last outlet) and anonymous sources -> "anonymous:<outlet>": the outlet
cited in the sentence, else the outlet whose sources were cited before ("the people said"),
else the article's publisher.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from chipwatch.extract.sentences import quoted_spans, split_sentences
from chipwatch.models import ANONYMOUS_PREFIX, Mention, Quote

SPEAKER_TYPES = ("person", "organization", "company", "country")
MEDIA_KINDS = {"media", "news", "news agency", "newspaper", "wire", "broadcaster", "outlet", "publisher"}
Speaker = tuple[str, str]  # (speaker id, the words that named it)

# ================================================================ English lexicon
EN_CUES = (r"said|says|say|told|tells|added|adds|adding|saying|wrote|writes|stated|states|warned|warns|argued|"
           r"argues|noted|notes|posted|explained|stressed|emphasi[sz]ed|insisted|asserted|claimed|declared|"
           r"announced|acknowledged|conceded|cautioned|contended|remarked|replied|responded|commented|"
           r"reported|reports|confirmed|continued|complained|predicted|suggested|urged|countered|asked")
# Verbs that introduce reported speech on their own ("Nvidia said it ...").
EN_SAY = (r"said|says|say|told(?: [\w.]+){0,3}|added|adding|saying|wrote|stated|warned|argued|argues|noted|posted|"
          r"insisted|asserted|claimed|reported|reports|predicted|complained|has said|had said")
# Verbs that also take a plain object ("confirmed the arrangement"): speech only with "that".
EN_THAT = (r"explained|stressed|declared|announced|acknowledged|conceded|cautioned|confirmed|emphasi[sz]ed|"
           r"believes|believed|expects|expected|estimates|informed(?: [\w.]+){0,3}|assured(?: [\w.]+){0,3}|"
           r"argued|contended|signalled|signaled")
EN_TIME = r"(?:\s+(?:on|last|this|in|late|early|earlier)\s+(?!an?\b|the\b)[\w.]+(?:\s+\d{1,2})?)?"
EN_PRONOUNS = {"he", "she", "they", "it", "He", "She", "They", "It"}
EN_ANON = re.compile(
    r"\b(?:people|persons?|sources?|insiders?)\b(?: [\w\-]+){0,4}?(?: familiar| briefed| with (?:direct )?knowledge"
    r"| close| involved| aware)(?: (?:with|of|on|to) (?:the|these) (?:matter|talks|plans?|situation|discussions|"
    r"decision|deliberations))?"
    r"|\b(?:an?|one|two|three|several|other|some|many)(?: [\w.\-]+){0,3} (?:officials?|sources?|executives?|"
    r"analysts?|insiders?|persons?|people|diplomats?|traders?|operators?|employees?|bankers?|investors?|"
    r"managers?|engineers?|suppliers?|distributors?|brokers?|buyers?|lawyers?|experts?|aides?)\b"
    r"|\b(?:officials|sources|analysts|insiders|executives|traders|experts|reports)\b"
    r"|\b(?:the|these|those|that|this) (?:official|source|person|people|officials|sources|executive|persons)\b"
    r"|\bone of them\b", re.I)
# Anonymous phrases that can point back to sources an outlet cited before ("the people said").
EN_ANAPHORIC_ANON = re.compile(r"\b(?:the|these|those|that|this) (?:official|source|person|people|officials|"
                               r"sources|executive|persons)\b|\bone of them\b|\bsources?\b|"
                               r"\bpeople (?:familiar|briefed|with)", re.I)
# "the company said" -> the last entity of that kind named before.
EN_ROLES = {
    "company": "company", "firm": "company", "chipmaker": "company", "chip designer": "company",
    "group": "company", "ministry": "organization", "department": "organization", "agency": "organization",
    "bureau": "organization", "committee": "organization", "regulator": "organization",
    "administration": "organization", "government": "country", "embassy": "country",
}
EN_MEDIA_ROLE = re.compile(r"\b(?:the|that) (?:newspaper|paper|agency|news agency|report|outlet|broadcaster|"
                           r"wire service|publication)\b", re.I)
EN_OWN_DOC = re.compile(r"\b(?:the|his|her|its|that) (?:post|statement|filing|letter|remarks?)\b", re.I)
SUBORDINATORS = re.compile(r"\b(?:when|while|after|before|because|although|though|since|if|which|whereas|where|"
                           r"unless|whether)\b", re.I)
# "WASHINGTON, Aug 11 (Reuters) - ": a wire dateline is not part of the reported clause.
DATELINE = re.compile(r"^[A-Z][A-Z .]{2,}(?:, [A-Z][a-z]{2,9}\.? \d{1,2})?\s*(?:\([^)]*\))?\s*[-–—]+\s+")

# ================================================================ Korean lexicon
_KO_HADA = ("말|강조|설명|주장|지적|우려|비판|언급|반박|경고|호소|평가|분석|전망|예상|토로|요구|촉구|부인|확인|"
            "발표|공시|보도|해명|역설|당부|시사|예고|발언|답|전|답변|설명|약속|밝")
KO_CUE = re.compile(
    r"(?:(?:" + _KO_HADA + r")(?:했|한|하며|하면서|하고|해\s*왔|해왔|하기도|했던|하였)"
    r"|밝혔|밝힌|밝히며|밝히면서|밝히고|덧붙였|덧붙인|덧붙이며|내다봤|내다본|적었|적은|썼|쓴|꼬집었|올렸|"
    r"말했|전했|(?<=\s)했|내비쳤|분명히\s*했)(?:다(?=[.\s]|$))?")
KO_INDIRECT_CUE = re.compile(
    r"(?:(?:말|강조|설명|주장|지적|우려|비판|언급|반박|경고|전망|예상|발표|공시|보도|해명|역설|전|밝|확인|요구|촉구)"
    r"(?:했|한\s*바|하며|하면서|해\s*왔|해왔|하기도|하였)"
    r"|밝혔|밝힌\s*바|밝히며|밝히면서|덧붙였|내다봤|말했|전했|(?<=\s)했|내비쳤|분명히\s*했)(?:다(?=[.\s]|$))?")
KO_QUOTATIVE = re.compile(r"\s*(?:이?라고|고|이?라며|이?라면서|며|면서|면서도|이?라는|는)(?=[\s,]|$)")
KO_PARTICLE = re.compile(r"(은|는|이|가|도|께서는|께서|측은|측이|측도|들은|들이|들도)$")
KO_TOPIC = ("은", "는", "께서는", "측은", "들은", "도", "측도", "들도")
# Token endings that mark a verb, object or adverbial: such a token cannot be inside a speaker phrase.
KO_NOT_NP = re.compile(r"(?:을|를|에|에서|에게|로|으로|와|과|고|며|서|다|게|지|한|된|던|는|은|이|가|도|했|며|면|께|랑|만)$")
KO_VERBISH = re.compile(r"(?:있는|하는|않는|되는|라는|다는|없는|같은|많은|받은|가는|했던|이라는|이란)$")
KO_PRONOUN = re.compile(r"^(?:그는|그녀는|그가|그녀가|그|그녀|이들은|그들은)$")
KO_CONTINUE = re.compile(r"^(?:이어|이어서|그러면서|또|또한|아울러|그는\s*또)\b")
KO_ANON = re.compile(r"(?:소식통|관계자|당국자|관리|익명|전문가|애널리스트|분석가|인사|업계)")
KO_ANAPHORIC_ANON = re.compile(r"(?:이|해당|그|이들|같은)\s*소식통|소식통들|소식통")
KO_ACCORDING = re.compile(r"에\s*따르면")
KO_MARKER = re.compile(r"(?<=[다라까냐자])(?:고|며)\s+|(?<=[다라])는\s+(?:뜻|입장|방침|의사|계획|전망|관측)(?:을|를)\s+")

# ================================================================ Chinese lexicon
ZH_CUE = r"(?:回应称|表示|说道|说|称|指出|强调|回应|透露|坦言|认为|宣布|写道|补充说|警告|声称|提到|介绍|报道)"
ZH_ANON = re.compile(r"(?:知情人士|消息人士|业内人士|分析人士|一位官员|官员|人士|分析师|消息来源|有报道|报道称|据报道)")
ZH_ANAPHORIC_ANON = re.compile(r"(?:知情人士|消息人士|消息来源)")
ZH_PRONOUN = re.compile(r"^(?:他|她|其|该人士|他们)")


# ================================================================ shared state
@dataclass
class _State:
    last: Optional[Speaker] = None  # the last quote's speaker
    last_sentence: int = -10
    last_person: Optional[str] = None
    last_anon_outlet: Optional[str] = None  # outlet whose anonymous sources were quoted last


@dataclass
class _Ctx:
    body: str
    kb: object
    mentions: list[Mention]
    sentences: list[tuple[int, int]]
    publisher: Optional[str]
    state: _State = field(default_factory=_State)


def is_media(kb, entity_id: str) -> bool:
    """A news organisation (it reports; its own words are not a position)."""
    row = kb.entities.get("organization", {}).get(entity_id)
    return bool(row and (row.get("kind") or "").lower() in MEDIA_KINDS)


_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _script(text: str) -> str:
    if text.isascii():
        return "en"  # no Hangul and no Han: the rules below give "en" (0 > n/3 never holds)
    if _HANGUL_SYLLABLE.search(text):
        return "ko"
    han = len(_HAN_CHAR.findall(text))
    return "zh" if han > len(_LATIN_LETTER.findall(text)) / 3 else "en"


def _mentions_in(ctx: _Ctx, a: int, b: int) -> list[Mention]:
    return [m for m in ctx.mentions if a <= m.start and m.end <= b and m.type in SPEAKER_TYPES]


def _media_in(ctx: _Ctx, a: int, b: int) -> Optional[str]:
    for m in ctx.mentions:
        if a <= m.start < b and is_media(ctx.kb, m.id):
            return m.id
    return None


def _last_media(ctx: _Ctx, before: int) -> Optional[str]:
    for m in reversed(ctx.mentions):
        if m.start < before and is_media(ctx.kb, m.id):
            return m.id
    return None


def _anonymous(ctx: _Ctx, sent, anaphoric: bool = False) -> str:
    """anonymous:<outlet>: outlet cited in the sentence; for "the sources"/"이 소식통" the outlet
    whose sources were quoted before; else the article's publisher."""
    outlet = _media_in(ctx, sent[0], sent[1])
    if outlet is None and EN_MEDIA_ROLE.search(ctx.body, sent[0], sent[1]):
        outlet = _last_media(ctx, sent[0])  # "told the newspaper"
    if outlet is None and anaphoric:
        outlet = ctx.state.last_anon_outlet
    return ANONYMOUS_PREFIX + (outlet or ctx.publisher or "unknown")


def _pick(ms: list[Mention], body: str = "") -> Optional[Mention]:
    """Subject of a speaker phrase: a person if one is named, else the first entity (a country that
    only owns the next one, "Malaysia's Ministry of …", is not the subject)."""
    for m in ms:
        if m.type == "person":
            return m
    if len(ms) > 1 and body and ms[0].type == "country" and re.fullmatch(r"['’]s\s+", body[ms[0].end:ms[1].start]):
        return ms[1]
    return ms[0] if ms else None


def _last_of_type(ctx: _Ctx, etype: str, before: int, word: str) -> Optional[Mention]:
    for m in reversed(ctx.mentions):
        if m.start >= before or m.type != etype or is_media(ctx.kb, m.id):
            continue
        if etype == "organization" and word in ("ministry", "department", "committee", "bureau") \
                and word not in m.id.lower():
            continue
        return m
    return None


def _pronoun(ctx: _Ctx, sent, text: str) -> Optional[Speaker]:
    """he/she/그는/他: the last speaker if they spoke within two sentences, else the person the
    current or previous sentence is about (its first person mention), else the last person quoted."""
    st = ctx.state
    personal = text.lower() in ("he", "she") or text in ("그는", "그녀는", "그가", "그녀가", "그", "그녀", "他", "她")
    si = sent[2]
    if personal and st.last and st.last_sentence < si - 1 and si >= 1:
        # "Warren urged … . "…," she said.": a new person opening the previous sentence is the referent,
        # not a speaker from further back.
        a, b = ctx.sentences[si - 1]
        first = next((m for m in ctx.mentions if a <= m.start < b and m.type in SPEAKER_TYPES), None)
        if first and first.type == "person" and first.id != st.last[0] and first.start - a <= 40:
            return first.id, text
    if st.last and sent[2] - st.last_sentence <= 2:
        if not personal or ctx.kb.type_of(st.last[0]) == "person":
            return st.last[0], text
    for k in (si, si - 1):
        if 0 <= k < len(ctx.sentences):
            a, b = ctx.sentences[k]
            people = [m for m in ctx.mentions if a <= m.start < min(b, sent[0] if k == si else b)
                      and m.type == "person"]
            if people:
                return people[0].id, text
    if personal and st.last_person:
        return st.last_person, text
    if st.last:
        return st.last[0], text
    return None


# ================================================================ English speakers
def _name_phrase(body: str, a: int, m: Mention) -> str:
    """The mention plus the capitalised title words right before it ("President Donald Trump")."""
    pre = re.search(r"(?:[A-Z][\w.\-]*\s+)+$", body[a:m.start])
    return body[(a + pre.start()) if pre else m.start:m.end]


def _speaker_en(ctx: _Ctx, a: int, b: int, sent) -> Optional[Speaker]:
    """Resolve an English speaker phrase body[a:b] ("Trump", "a U.S. official", "he", "the company")."""
    phrase = ctx.body[a:b].strip(" ,;:\n")
    if not phrase:
        return None
    words = phrase.split()
    if phrase in EN_PRONOUNS or (len(words) <= 2 and words[-1] in EN_PRONOUNS):
        return _pronoun(ctx, sent, words[-1])
    ms = _mentions_in(ctx, a, b)
    anon = EN_ANON.search(ctx.body, a, b)
    if anon and not any(m.type == "person" for m in ms if m.start >= anon.end()) \
            and not any(m.start < anon.start() and m.type == "person" for m in ms):
        return _anonymous(ctx, sent, bool(EN_ANAPHORIC_ANON.search(anon.group(0)))), anon.group(0)
    m = _pick(ms, ctx.body)
    if m:
        return m.id, _name_phrase(ctx.body, a, m)
    if EN_MEDIA_ROLE.search(phrase):
        media = _last_media(ctx, a)
        if media:
            return media, phrase
    if EN_OWN_DOC.search(phrase) and ctx.state.last:
        return ctx.state.last[0], phrase
    role = re.search(r"\b(?:[Tt]he|[Aa]n?) (" + "|".join(EN_ROLES) + r")\b", phrase) or \
        re.match(r"^(company|ministry|agency|regulator)\b", phrase, re.I)
    if role:
        ref = _last_of_type(ctx, EN_ROLES[role.group(1).lower()], a, role.group(1).lower())
        if ref:
            return ref.id, phrase
    return None


def _citing(ctx: _Ctx, spk: Optional[Speaker], tail: str, sent) -> Optional[Speaker]:
    """"Reuters reported, citing people familiar with the matter" -> anonymous:Reuters."""
    if spk and is_media(ctx.kb, spk[0]) and re.match(r"^[^.]{0,40}?\b(?:citing|according to)\b", tail) \
            and EN_ANON.search(tail):
        return ANONYMOUS_PREFIX + spk[0], spk[1]
    return spk


# ================================================================ Korean speakers
def _ko_tokens(body: str, a: int, b: int) -> list[tuple[int, int]]:
    return [(a + m.start(), a + m.end()) for m in re.finditer(r"\S+", body[a:b])]


def _ko_candidates(ctx: _Ctx, a: int, b: int):
    """Speaker phrases in body[a:b]: a run of noun tokens ending in a topic/subject particle.
    Yields (np_start, np_end, particle, token_end)."""
    body = ctx.body
    toks = _ko_tokens(body, a, b)
    for i, (s, e) in enumerate(toks):
        word = body[s:e].rstrip(",")
        p = KO_PARTICLE.search(word)
        if not p or len(word) == len(p.group(1)) or KO_VERBISH.search(word):
            continue
        start = s
        for ps, pe in reversed(toks[max(0, i - 6):i]):
            prev = body[ps:pe]
            if prev.endswith((",", ".", "”", '"')) or (KO_NOT_NP.search(prev) and not prev.endswith("의")
                                                        and not _is_mention_token(ctx, ps, pe)):
                break
            start = ps
        yield start, s + len(word) - len(p.group(1)), p.group(1), s + len(word)


def _is_mention_token(ctx: _Ctx, s: int, e: int) -> bool:
    return any(m.start <= s and e <= m.end for m in ctx.mentions)


def _ko_resolve(ctx: _Ctx, np_a: int, np_b: int, sent) -> Optional[Speaker]:
    body = ctx.body
    text = body[np_a:np_b]
    full = text + body[np_b:np_b + 3].split(" ")[0]
    last_token = full.split()[-1] if full.split() else ""
    if KO_PRONOUN.match(last_token):
        return _pronoun(ctx, sent, last_token)  # "당시 그는": an adverb before the pronoun
    ms = _mentions_in(ctx, np_a, np_b)
    person = next((m for m in ms if m.type == "person"), None)
    anon = KO_ANON.search(text)
    if person:
        return person.id, full
    if anon:
        # "로이터통신은 소식통을 인용해": the outlet's anonymous sources.
        return _anonymous(ctx, sent, bool(KO_ANAPHORIC_ANON.search(text))), full
    if ms:
        media = [m for m in ms if is_media(ctx.kb, m.id)]
        if media and re.search(r"(?:소식통|관계자)[^.]{0,10}?인용", body[sent[0]:sent[1]]):
            return ANONYMOUS_PREFIX + media[0].id, full
        heads = [m for m in ms if m.type != "country"] or ms
        return heads[-1].id, full  # Korean phrases are head-final: "중국 상무부 대변인" -> the ministry
    return None


def _speaker_ko(ctx: _Ctx, a: int, b: int, sent, topic_first: bool = True) -> Optional[Speaker]:
    """The speaker phrase in body[a:b]: the first topic (은/는) phrase that names someone, else the
    first subject (이/가) phrase at the start of the span, else a pronoun / continuation."""
    cands = [c for c in _ko_candidates(ctx, a, b) if _ko_resolve(ctx, c[0], c[1], sent)]
    topic = [c for c in cands if c[2] in KO_TOPIC]
    chosen = (topic or cands) if topic_first else cands
    if not topic and topic_first and cands and len(ctx.body[a:cands[0][0]].split()) > 2:
        chosen = []  # a 이/가 subject deep in the span belongs to an embedded clause
    if chosen:
        c = chosen[0]
        return _ko_resolve(ctx, c[0], c[1], sent)
    return None


# ================================================================ Chinese speakers
def _speaker_zh(ctx: _Ctx, a: int, b: int, sent) -> Optional[Speaker]:
    # The speaker sits in the clause right before the cue (after the last comma).
    a = max(a, max(ctx.body.rfind(p, a, b) + 1 for p in "，,。；;："))
    seg = ctx.body[a:b]
    ms = _mentions_in(ctx, a, b)
    m = _pick(ms)
    anon = ZH_ANON.search(seg)
    if anon and not (m and m.type == "person"):
        media = [x for x in ms if is_media(ctx.kb, x.id)]
        if media:
            return ANONYMOUS_PREFIX + media[0].id, anon.group(0)
        return _anonymous(ctx, sent, bool(ZH_ANAPHORIC_ANON.search(anon.group(0)))), anon.group(0)
    if m:
        return m.id, seg.strip()
    pron = ZH_PRONOUN.match(seg.strip())
    if pron:
        return _pronoun(ctx, sent, pron.group(0))
    return None


# ================================================================ direct quotes
def _direct_en(ctx, sent, o, c, prev_end, next_start) -> Optional[tuple[Speaker, str]]:
    body = ctx.body
    after = body[c + 1: next_start]
    m = re.match(r"\s*[,.!?]?\s*(?P<spk>[^,.;:“”\"!?]{1,80}?)\s+(?P<cue>" + EN_CUES + r")\b", after)
    if m and len(m.group("spk").split()) <= 10:
        spk = _speaker_en(ctx, c + 1 + m.start("spk"), c + 1 + m.end("spk"), sent)
        if spk:
            return _citing(ctx, spk, after[m.end():], sent), m.group("cue")
    m = re.match(r"\s*,?\s*(?P<cue>" + EN_CUES + r")\s+(?P<spk>[^,.;:“”\"]{1,80})", after)
    if m:
        spk = _speaker_en(ctx, c + 1 + m.start("spk"), c + 1 + m.end("spk"), sent)
        if spk:
            return spk, m.group("cue")
    before = body[prev_end:o]
    cues = list(re.finditer(r"\b(?P<cue>" + EN_CUES + r"|according to|calling it|called it|described [\w\s]{0,30}?"
                            r" as)\b", before))
    if cues:
        cue = cues[-1]
        if cue.group("cue") == "according to":
            spk = _speaker_en(ctx, prev_end + cue.end(), o, sent)
        else:
            subj_start = prev_end
            # "X on Thursday attacked the decision, saying it "...": the subject starts the sentence.
            spk = _speaker_en(ctx, subj_start, prev_end + cue.start(), sent)
            if spk is None and prev_end != sent[0]:
                spk = _speaker_en(ctx, sent[0], prev_end + cue.start(), sent)
        if spk:
            return spk, cue.group("cue")
    return None


def _direct_ko(ctx, sent, o, c, spans, k) -> Optional[tuple[Speaker, str]]:
    body = ctx.body
    q = KO_QUOTATIVE.match(body, c + 1)
    if not q:
        return None
    # The cue verb is after the last quotation of the run (“A”며 “B”고 말했다).
    j = k
    while j + 1 < len(spans) and re.fullmatch(r"\s*(?:이?라며|며|면서|면서도|이?라면서|고|,)?\s*",
                                             body[spans[j][1] + 1:spans[j + 1][0]]):
        j += 1
    q_last = KO_QUOTATIVE.match(body, spans[j][1] + 1) if j != k else q
    if not q_last:
        return None
    rest_start = q_last.end()
    rest_end = spans[j + 1][0] if j + 1 < len(spans) else sent[1]
    cue = KO_CUE.search(body, rest_start, rest_end)
    if not cue:
        return None
    # Speaker after the quotation ("…”이라고 트럼프 대통령은 말했다") wins over one before it.
    spk = _speaker_ko(ctx, rest_start, cue.start(), sent, topic_first=False)
    if spk is None:
        # Before the first quotation of the sentence: "X는 ... “A”며 “B”고 말했다".
        spk = _speaker_ko(ctx, sent[0], spans[0][0], sent)
    if spk is None:
        lead = body[sent[0]:o].strip()
        if ctx.state.last and sent[2] - ctx.state.last_sentence <= 3 and (
                not lead or KO_CONTINUE.match(lead) or not _mentions_in(ctx, sent[0], o)):
            spk = ctx.state.last[0], ""  # Korean drops the subject when the speaker goes on
    if spk is None:
        return None
    return spk, cue.group(0)


def _direct_zh(ctx, sent, o, c, prev_end, next_start) -> Optional[tuple[Speaker, str]]:
    body = ctx.body
    before = body[prev_end:o]
    m = re.search(ZH_CUE + r"[：:，,]?\s*$", before)
    if m:
        spk = _speaker_zh(ctx, prev_end, prev_end + m.start(), sent)
        if spk:
            return spk, m.group(0).strip("：:，, ")
    after = body[c + 1: next_start]
    m = re.match(r"[，,]?\s*(?P<spk>[^。，,“”]{0,30}?)(?P<cue>" + ZH_CUE + ")", after)
    if m:
        spk = _speaker_zh(ctx, c + 1 + m.start("spk"), c + 1 + m.end("spk"), sent)
        if spk:
            return spk, m.group("cue")
    m = None
    for m in re.finditer(ZH_CUE, before):
        pass
    if m:
        spk = _speaker_zh(ctx, prev_end, prev_end + m.start(), sent)
        if spk:
            return spk, m.group(0)
    return None


def _is_term(inner: str, script: str) -> bool:
    """A quoted product name or slogan, not speech: too short to be a statement."""
    inner = inner.strip()
    if script == "en":
        return len(inner.split()) < 2
    if script == "zh":
        return len(inner) < 5
    return len(inner) < 2


def _continuation(ctx, sent, o, c) -> bool:
    """A sentence that is nothing but a quotation, right after a quote: same speaker goes on."""
    s, e, si = sent
    if ctx.state.last is None or si - ctx.state.last_sentence > 2:
        return False
    outside = len(ctx.body[s:o].strip()) + len(ctx.body[c + 1:e].strip(" .,”\"’"))
    return outside <= 2 and len(ctx.body[o + 1:c].split()) >= 3


def _trim(body: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (body[a].isspace() or body[a] in ",，"):
        a += 1
    while b > a and (body[b - 1].isspace() or body[b - 1] in ",，"):
        b -= 1
    return a, b


def _direct_in_sentence(ctx, sent, script, spans) -> list[Quote]:
    if not spans:
        return []  # no quotation marks in the sentence (most sentences)
    s, e, si = sent
    body = ctx.body
    keep = [(o, c) for o, c in spans if not _is_term(body[o + 1:c], script)]
    hits: list[Optional[tuple[Speaker, str]]] = []
    for k, (o, c) in enumerate(keep):
        prev_end = keep[k - 1][1] + 1 if k else s
        next_start = keep[k + 1][0] if k + 1 < len(keep) else e
        if script == "ko":
            hits.append(_direct_ko(ctx, sent, o, c, keep, k))
        elif script == "zh":
            hits.append(_direct_zh(ctx, sent, o, c, prev_end, next_start))
        else:
            hits.append(_direct_en(ctx, sent, o, c, prev_end, next_start))
    # Several quotes in one sentence share the speaker found for any of them (“A,” he said, “B.”).
    known = next((h for h in hits if h), None)
    out = []
    for k, (o, c) in enumerate(keep):
        hit = hits[k]
        if hit is None and known and (script != "ko" or KO_QUOTATIVE.match(body, c + 1)):
            hit = (known[0], "")
        if hit is None and _continuation(ctx, sent, o, c):
            hit = ((ctx.state.last[0], ""), "")
        if hit is None:
            continue
        (speaker, speaker_text), cue = hit
        a, b = _trim(body, o + 1, c)
        out.append(Quote(speaker=speaker, speaker_text=speaker_text, kind="direct", text=body[a:b], cue=cue,
                         start=a, end=b))
    return out


# ================================================================ indirect quotes
# Compiled once here rather than looked up in re's cache for every sentence.
_ACCORDING_LEAD = re.compile(r"(?:In a [\w\s]+, )?According to (?P<spk>[^,]{2,80}), (?P<clause>.+?)[.!?]?$")
_ACCORDING_TAIL = re.compile(r"^(?P<clause>.+?),\s+according to (?P<spk>[^,]{2,80}?)[.!?]?$")
_PARENTHETICAL_CUE = re.compile(r"^(?P<pre>[^,\u2063]{2,50}),\s+(?P<spk>\w+(?: \w+){0,2})\s+(?P<cue>said|says|added),\s+"
                                r"(?P<clause>[^\u2063]+?)[.!?]?$")


def _indirect_en(ctx, sent, text: str) -> list[tuple[Speaker, str, int, int]]:
    """Reported speech in an English sentence. `text` is the sentence with accepted direct
    quotations blanked out, so their words are never re-read as indirect speech."""
    s = sent[0]
    m = _ACCORDING_LEAD.match(text)
    if m:
        spk = _speaker_en(ctx, s + m.start("spk"), s + m.end("spk"), sent)
        if spk:
            return [(spk, "according to", s + m.start("clause"), s + m.end("clause"))]
    m = _ACCORDING_TAIL.search(text)
    if m:
        spk = _speaker_en(ctx, s + m.start("spk"), s + m.end("spk"), sent)
        if spk:
            return _split_embedded(ctx, sent, spk, "according to", s + m.start("clause"), s + m.end("clause"))
    # "PRE, he said, CLAUSE." (a parenthetical cue: the clause after it is the report)
    m = _PARENTHETICAL_CUE.search(text)
    if m and len(m.group("pre").split()) <= 6 and len(m.group("clause").split()) >= 3:
        spk = _speaker_en(ctx, s + m.start("spk"), s + m.end("spk"), sent)
        if spk:
            return [(spk, m.group("cue"), s + m.start("clause"), s + m.end("clause"))]
    trailing = _trailing_attribution(ctx, sent, text)
    if trailing:
        return trailing
    return _said_that(ctx, sent, text)


# Compiled once here rather than looked up in re's cache for every sentence.
_TRAILING_CUE = re.compile(r"\s+(?P<cue>" + EN_SAY + r")" + EN_TIME + r"(?: in an? [\w ]+?)?(?P<tail>(?:[.!?]?$|,.*$))")
_SAID_THAT_CUE = re.compile(r"\b(?:(?P<cue>" + EN_SAY + r")\b" + EN_TIME + r"(?: in an? [\w\s]+?)?,?\s+(?:that\s+)?"
                            r"|(?P<tcue>" + EN_THAT + r")\b" + EN_TIME + r",?\s+that\s+)")


def _trailing_attribution(ctx, sent, text):
    """"CLAUSE, X said." / "CLAUSE, the Ministry of Investment, Trade and Industry said on Monday." /
    "CLAUSE, Reuters reported, citing people familiar with the matter." """
    s = sent[0]
    for m in _TRAILING_CUE.finditer(text):
        head = text[:m.start()]
        if "\u2063" in head[-40:] and not re.search(r",[^,\u2063]*$", head):
            continue
        commas = [c.start() for c in re.finditer(",", head)]
        for c in reversed(commas):
            spk_text = head[c + 1:]
            if len(spk_text.split()) > 10:
                break
            if re.search(r"\b(?:that|which|who)\b|\u2063", spk_text) or c < 12:
                continue
            spk = _speaker_en(ctx, s + c + 1, s + m.start(), sent)
            if not spk:
                continue
            spk = _citing(ctx, spk, m.group("tail"), sent)
            dl = DATELINE.match(text)
            start = s + (dl.end() if dl and dl.end() < c else 0)
            if "\u2063" in text[start - s:c]:
                start = s + text.rindex("\u2063", 0, c) + 1
            return _split_embedded(ctx, sent, spk, m.group("cue"), start, s + c)
    return []


def _said_that(ctx, sent, text):
    """"X said (that) CLAUSE." — possibly several: "X said A and added that B"."""
    s = sent[0]
    out = []
    for m in _SAID_THAT_CUE.finditer(text):
        subj = text[:m.start()]
        after_quote = subj.rsplit("\u2063", 1)[-1] if "\u2063" in subj else None
        participle = m.group("cue") in ("adding", "saying") and after_quote is not None \
            and not after_quote.strip(" ,")  # "████, adding that ...": the quoted speaker goes on
        if after_quote is not None and len(after_quote.split()) <= 4 and not participle \
                and not re.search(r"\b(?:" + EN_CUES + r")\b", after_quote):
            continue  # the attribution of a direct quotation ("████ Trump said in an interview")
        if m.group("cue") in ("reported", "reports") and not m.group(0).rstrip().endswith("that"):
            if not _media_in(ctx, s, s + len(subj)):
                continue  # "it reported higher revenue": a result, not speech
        if re.search(r"\b(?:not|n't|never|declined to|refused to|did not|has yet to|have yet to)\s+(?:\w+\s+)?$",
                     subj):
            continue  # "Beijing has not said whether ..."
        if len(subj.split()) > 25:
            continue
        clause_end = _clause_end(text, m.end())
        clause = text[m.end():clause_end]
        if len(clause.split()) < 3 or re.match(r"(?:whether|if|in|on|at|to|during|with|for|from|by)\b", clause):
            continue
        if text[clause_end:clause_end + 3].lstrip(" ,:").startswith("\u2063") and len(clause.split()) < 6:
            continue  # a lead-in to a direct quotation ("He added that the H20 was an ████")
        spk = None
        if re.search(r"\b(?:and|but)\s*$", subj.strip()) and out:
            spk = out[-1][0]  # "X said A and added that B": the same speaker
        if spk is None:
            spk = _subject_en(ctx, sent, subj)
            if spk is None and out:
                spk = out[-1][0]
        if spk:
            out.append((spk, m.group("cue") or m.group("tcue"), s + m.end(), s + clause_end))
    return out


def _subject_en(ctx, sent, subj: str) -> Optional[Speaker]:
    """The speaker of "SUBJ said": the last comma-clause when it names someone ("a day after Trump said"),
    else the sentence start (appositions: "John Moolenaar, the chairman of ..., said")."""
    s = sent[0]
    last = subj.rfind(",")
    if last > 0:
        seg = (s + last + 1, s + len(subj))
        if _mentions_in(ctx, *seg):
            return _speaker_en(ctx, *seg, sent)
        if SUBORDINATORS.search(subj[last + 1:]):
            return None  # "..., when the administration told them": background, no named speaker
    return _speaker_en(ctx, s, s + len(subj), sent)


def _clause_end(text: str, start: int) -> int:
    """End of a reported clause: the sentence end, a blanked quotation, or "and added"."""
    end = len(text)
    stop = re.search(r"\s+and (?:added|said|adding|told)\b|\u2063|,\s+(?:adding|saying|calling|drawing|"
                     r"referring)\b", text[start:])
    if stop:
        end = start + stop.start()
    while end > start and text[end - 1] in ".!? :,\u2063":
        end -= 1
    return end


def _split_embedded(ctx, sent, spk, cue, a, b) -> list[tuple[Speaker, str, int, int]]:
    """"Four days after Trump said on Dec. 8 that X, Y, Reuters reported" -> Trump: X; Reuters: Y."""
    text = ctx.body[a:b]
    m = re.match(r"^[\w\s.]{0,40}?\b(?:after|before|when|since|as|while)\s+(?P<spk>[^,]{2,60}?)\s+(?P<cue>"
                 + EN_SAY + r")" + EN_TIME + r"(?:\s+that)?\s+(?P<emb>[^,]{8,}),\s+(?P<main>.{8,})$", text)
    if m:
        inner = _speaker_en(ctx, a + m.start("spk"), a + m.end("spk"), sent)
        if inner:
            return [(inner, m.group("cue"), a + m.start("emb"), a + m.end("emb")),
                    (spk, cue, a + m.start("main"), b)]
    return [(spk, cue, a, b)]


def _indirect_ko(ctx, sent, text: str) -> list[tuple[Speaker, str, int, int]]:
    body = ctx.body
    s, e = sent[0], sent[1]
    acc = KO_ACCORDING.search(text)
    if acc and acc.start() < len(text) / 2:
        spk = _according_ko(ctx, sent, s, s + acc.start())
        if spk:
            start = s + acc.end()
            end = e - (1 if text.endswith(".") else 0)
            return [(spk, "에 따르면", start, end)]
    out = []
    prev_end = None
    markers = list(KO_MARKER.finditer(text))
    for k, m in enumerate(markers):
        limit = markers[k + 1].start() if k + 1 < len(markers) else len(text)
        cue = KO_INDIRECT_CUE.search(text, m.end(), min(limit, m.end() + 45))
        if not cue or "\u2063" in text[m.end():cue.start()]:
            continue
        if re.match(r"다(?:고|며)\s", text[cue.end():]):
            continue  # "~하라고 요구했다고 전했다": the inner verb is itself being reported
        between = (s + m.end(), s + cue.start())
        if m.group(0).startswith("며") and cue.end() < len(text.rstrip(". ")) - 3:
            continue  # "~다며 ..." is a quotation only when the sentence ends in its cue
        clause_end = s + m.start()
        if text[m.start():].startswith("는"):
            clause_end = s + m.start() + len("는 ") + len(re.match(r"는\s+(\S+?)(?:을|를)", text[m.start():])
                                                         .group(1))
        spk = _speaker_ko(ctx, *between, sent, topic_first=False)
        clause_start = s if prev_end is None else prev_end
        if spk is None and out:
            spk = out[-1][0]  # "~다고 발표하면서 ~다고 주장했다": the same speaker goes on
        if spk is None:
            spk = _speaker_ko(ctx, clause_start, clause_end, sent)
            if spk and spk[1]:
                pos = body.find(spk[1], clause_start, clause_end)
                if pos >= 0:
                    clause_start = pos + len(spk[1])
            elif spk is None and out:
                spk = out[-1][0]
            elif spk is None and prev_end is None:
                lead = text[:m.start()]
                if KO_CONTINUE.match(lead.strip()) and ctx.state.last and sent[2] - ctx.state.last_sentence <= 2:
                    spk = ctx.state.last[0], ""
        if spk is None:
            continue
        if "\u2063" in text[clause_start - s:clause_end - s]:
            continue  # the clause is a direct quotation already
        out.append((spk, cue.group(0), clause_start, clause_end))
        prev_end = s + cue.end()
        while prev_end < e and not body[prev_end].isspace():
            prev_end += 1
    return out


def _according_ko(ctx, sent, a, b) -> Optional[Speaker]:
    """"X에 따르면": X is a named source, an outlet, or anonymous sources."""
    seg = ctx.body[a:b]
    toks = seg.split()
    last = toks[-1] if toks else ""
    ms = [m for m in _mentions_in(ctx, a, b) if m.end >= b - len(last) - 1]
    if KO_ANON.search(last):
        return _anonymous(ctx, sent, bool(KO_ANAPHORIC_ANON.search(last))), last
    if ms:
        return _pick(ms).id, ctx.body[ms[0].start:b]
    return None


def _indirect_zh(ctx, sent, text: str) -> list[tuple[Speaker, str, int, int]]:
    s = sent[0]
    m = re.match(r"^据(?P<spk>[^，,]{1,30}?)(?:援引(?P<src>[^，,]*?))?(?:报道|消息|称|披露)?[，,](?P<clause>.+?)[。！？]?$",
                 text)
    if m:
        spk = _speaker_zh(ctx, s + m.start("spk"), s + m.end("spk"), sent)
        if spk and m.group("src") and ZH_ANON.search(m.group("src")) and is_media(ctx.kb, spk[0]):
            spk = ANONYMOUS_PREFIX + spk[0], m.group("src")
        if spk:
            return [(spk, "据", s + m.start("clause"), s + m.end("clause"))]
    for m in re.finditer(r"(?P<cue>" + ZH_CUE + r")[，,：:](?P<clause>.{6,}?)[。！？]?$", text):
        if m.start() > 50 or "\u2063" in m.group("clause"):
            continue
        spk = _speaker_zh(ctx, s, s + m.start(), sent)
        if spk:
            return [(spk, m.group("cue"), s + m.start("clause"), s + m.end("clause"))]
    return []


# ================================================================ driver
def find_quotes(article, mentions, sentences, kb) -> list[Quote]:
    """Direct and indirect quotes of the article body, in text order, with speakers."""
    body = article.body or ""
    if not body:
        return []
    if sentences is None:
        sentences = split_sentences(body, article.language)
    ctx = _Ctx(body=body, kb=kb, sentences=list(sentences),
               mentions=sorted((m for m in mentions if m.field == "body"), key=lambda m: m.start),
               publisher=kb.normalise_publisher(article.publisher) if article.publisher else None)
    qspans = quoted_spans(body)
    out: list[Quote] = []
    for si, (s, e) in enumerate(ctx.sentences):
        sent = (s, e, si)
        script = _script(body[s:e])
        found = _direct_in_sentence(ctx, sent, script, [q for q in qspans if s <= q[0] < e])
        for q in found:
            _remember(ctx, q, si)
        masked = _mask(body, s, e, found, qspans)
        finder = _INDIRECT_FINDERS.get(script, _indirect_en)
        for (speaker, speaker_text), cue, a, b in finder(ctx, sent, masked):
            a, b = _trim(body, a, b)
            if b - a < 4 or any(q.start < b and a < q.end for q in found):
                continue
            q = Quote(speaker=speaker, speaker_text=speaker_text, kind="indirect", text=body[a:b], cue=cue,
                      start=a, end=b)
            found.append(q)
            _remember(ctx, q, si)
        found.sort(key=lambda q: q.start)
        out.extend(found)
    return out


_INDIRECT_FINDERS = {"ko": _indirect_ko, "zh": _indirect_zh}


def _mask(body: str, s: int, e: int, direct: list[Quote], qspans) -> str:
    """The sentence with accepted direct quotations (and their marks) blanked out."""
    if not direct:
        return body[s:e]  # nothing to blank (most sentences)
    chars = list(body[s:e])
    for q in direct:
        lo = max(s, next((o for o, c in qspans if o < q.start <= c), q.start - 1))
        hi = min(e, next((c + 1 for o, c in qspans if o < q.start <= c), q.end + 1))
        for i in range(lo - s, hi - s):
            chars[i] = "\u2063"
    return "".join(chars)


def _remember(ctx: _Ctx, q: Quote, si: int) -> None:
    if q.speaker is None:
        return
    st = ctx.state
    st.last = (q.speaker, q.speaker_text)
    st.last_sentence = si
    if q.speaker.startswith(ANONYMOUS_PREFIX):
        outlet = q.speaker[len(ANONYMOUS_PREFIX):]
        if outlet != ctx.publisher:
            st.last_anon_outlet = outlet
    elif ctx.kb.type_of(q.speaker) == "person":
        st.last_person = q.speaker
