"""Integrity checks for the curated knowledge base in data/knowledge/."""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from chipwatch.knowledge import ENTITY_FILES, KnowledgeBase
from chipwatch.paths import KNOWLEDGE_DIR

EXPECTED_HEADERS = {
    "chips.csv": "id,vendor,family,architecture,release_date,market,bf16_tflops,fp8_tflops,memory_gb,"
                 "bandwidth_tbs,tpp,die_area_mm2,perf_density,china_variant_of,uncertain,notes,source",
    "architectures.csv": "id,vendor,generation_order,first_year,source",
    "companies.csv": "id,role,country,source",
    "countries.csv": "id,name,source",
    "people.csv": "id,role,affiliation,country,source",
    "organizations.csv": "id,kind,country,parent,source",
    "aliases.csv": "entity_type,entity_id,alias,lang,kind,source",
    "export_events.csv": "id,date,side,actor,actor_body,destination,chips,status,summary,uncertain,source",
    "thresholds.csv": "id,name,effective_date,end_date,tpp_min,tpp_max,perf_density_min,perf_density_max,"
                      "bandwidth_gbs_max,description,source",
    "publishers.csv": "publisher,alias,country,source",
}

# The canonical ids docs/architecture.md promises.
REQUIRED = {
    "chip": ["A100", "A800", "H100", "H800", "H20", "H200", "B200", "B300", "GB200", "GB300", "B30A",
             "RTX Pro 6000D", "L40S", "RTX 4090", "Vera Rubin", "MI250X", "MI300X", "MI308", "MI309",
             "MI325X", "MI355X", "Ascend 910B", "Ascend 910C", "Ascend 950", "MLU590"],
    "architecture": ["Ampere", "Hopper", "Blackwell", "Rubin", "CDNA 2", "CDNA 3", "CDNA 4", "Ascend", "MLU"],
    "company": ["Nvidia", "AMD", "Intel", "Huawei", "SMIC", "TSMC", "Samsung Electronics", "SK hynix", "Alibaba",
                "ByteDance", "Tencent", "Baidu", "Cambricon", "Moore Threads", "ASML", "Amkor", "Foxconn", "Dell",
                "Supermicro", "G42", "Humain", "DeepSeek", "Microsoft", "Google", "Meta", "Amazon", "OpenAI",
                "Micron"],
    "country": ["USA", "CHN", "KOR", "JPN", "TWN", "NLD", "MYS", "SGP", "ARE", "SAU", "IND", "HKG", "MAC", "RUS",
                "VNM", "ISR", "DEU", "GBR", "FRA", "THA", "IDN"],
    "person": ["Donald Trump", "Joe Biden", "Xi Jinping", "Jensen Huang", "Lisa Su", "David Sacks",
               "Howard Lutnick", "Gina Raimondo", "Elizabeth Warren", "John Moolenaar", "Jim Banks",
               "Raja Krishnamoorthi", "Andy Kim", "Guo Jiakun", "Mao Ning", "Lin Jian", "He Yongqian",
               "He Yadong", "Shu Jueting", "Wang Wentao", "Ren Zhengfei", "Eric Xu", "Martin Lau",
               "Colette Kress", "Kush Desai", "Tengku Zafrul Aziz", "Alex Capri", "Cole McFaul", "Scott Bessent",
               "Jamieson Greer", "Marco Rubio", "Lee Jae-myung", "Yoon Suk Yeol", "Ahn Duk-geun"],
    "organization": ["US Commerce Department", "Bureau of Industry and Security", "White House", "US Congress",
                     "US Senate", "House Select Committee on China", "US Justice Department",
                     "China Commerce Ministry", "China Foreign Ministry", "Cyberspace Administration of China",
                     "China Industry Ministry", "State Administration for Market Regulation", "China Customs",
                     "Chinese Communist Party", "Malaysia Trade Ministry", "Dutch Government",
                     "Korea Trade Ministry", "Institute for Progress", "CSET", "Reuters", "Bloomberg",
                     "Financial Times", "The Information", "Wall Street Journal", "CNBC", "Yonhap", "Xinhua",
                     "Global Times", "South China Morning Post"],
}

SIDES = {"export", "import"}
STATUSES = {"allowed", "conditional", "license_required", "banned", "pending", "discouraged"}
LANGS = {"en", "ko", "zh", "ja", "any"}
KINDS = {"name", "short", "transliteration", "title", "abbreviation"}
ISO3 = re.compile(r"^[A-Z]{3}$")
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(KNOWLEDGE_DIR)


def _raw_rows(name: str) -> list[dict]:
    with (KNOWLEDGE_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- files and headers -----------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_header_is_exactly_the_contract(name):
    with (KNOWLEDGE_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    assert ",".join(header) == EXPECTED_HEADERS[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_every_row_has_an_http_source(name):
    for i, row in enumerate(_raw_rows(name), start=2):
        assert row["source"].strip().startswith("http"), f"{name}:{i} has no source URL"


def test_loads(kb):
    assert set(kb.entities) == set(ENTITY_FILES)
    assert kb.aliases and kb.export_events and kb.thresholds and kb.publishers


@pytest.mark.parametrize("etype", sorted(REQUIRED))
def test_required_ids_present(kb, etype):
    missing = [i for i in REQUIRED[etype] if i not in kb.entities[etype]]
    assert not missing, f"missing {etype} ids: {missing}"


def test_entity_ids_unique_per_file():
    for etype, fname in ENTITY_FILES.items():
        ids = [r["id"] for r in _raw_rows(fname)]
        dupes = {i for i in ids if ids.count(i) > 1}
        assert not dupes, f"{fname}: duplicate ids {dupes}"


# -- aliases -----------------------------------------------------------------
def test_every_alias_resolves(kb):
    for a in kb.aliases:
        assert a.entity_id in kb.entities[a.entity_type], a
        assert a.lang in LANGS, a
        assert a.kind in KINDS, a
        assert a.alias == a.alias.strip() and a.alias, a


def test_no_alias_maps_to_two_entities(kb):
    targets = defaultdict(set)
    for a in kb.aliases:
        targets[a.alias.casefold()].add((a.entity_type, a.entity_id))
    clashes = {k: v for k, v in targets.items() if len(v) > 1}
    assert not clashes, clashes


def test_no_duplicate_alias_rows():
    seen = set()
    for row in _raw_rows("aliases.csv"):
        key = (row["entity_type"], row["entity_id"], row["alias"])
        assert key not in seen, key
        seen.add(key)


def test_every_entity_has_an_alias_and_its_own_name(kb):
    by_entity = defaultdict(set)
    for a in kb.aliases:
        by_entity[(a.entity_type, a.entity_id)].add(a.alias)
    for etype, rows in kb.entities.items():
        for eid, row in rows.items():
            names = by_entity.get((etype, eid))
            assert names, f"{etype} {eid} has no alias"
            if etype != "country":  # countries are named by their English name, not the ISO code
                assert eid in names, f"{etype} {eid}: its id is not an alias"
            else:
                assert row["name"] in names, f"country {eid}: its name is not an alias"


def test_one_character_aliases_are_abbreviations(kb):
    for a in kb.aliases:
        if len(a.alias) == 1:
            assert a.kind == "abbreviation" and a.entity_type == "country", a


def test_key_aliases(kb):
    lookup = {a.alias: (a.entity_type, a.entity_id) for a in kb.aliases}
    expect = {
        "젠슨 황": "Jensen Huang", "黄仁勋": "Jensen Huang", "트럼프 대통령": "Donald Trump", "시 주석": "Xi Jinping",
        "習近平": "Xi Jinping", "习近平": "Xi Jinping", "구자쿤": "Guo Jiakun", "郭嘉昆": "Guo Jiakun",
        "루트닉": "Howard Lutnick", "삭스": "David Sacks", "리사수": None, "엔비디아": "Nvidia", "英伟达": "Nvidia",
        "輝達": "Nvidia", "华为": "Huawei", "字节跳动": "ByteDance", "商务部": "China Commerce Ministry",
        "国家网信办": "Cyberspace Administration of China", "工信部": "China Industry Ministry",
        "미 상무부 산업안보국": "Bureau of Industry and Security", "美国商务部": "US Commerce Department",
        "B40": "RTX Pro 6000D", "MI308X": "MI308", "昇腾910C": "Ascend 910C", "베라 루빈": "Vera Rubin",
        "블랙웰": "Blackwell", "호퍼": "Hopper", "中": "CHN", "美": "USA", "韓": "KOR", "臺": "TWN",
    }
    for alias, eid in expect.items():
        if eid is None:  # written without the space: matched by the flexible-space regex of "리사 수"
            continue
        assert alias in lookup, alias
        assert lookup[alias][1] == eid, (alias, lookup[alias])
    for banned in ("Commerce", "상무부", "인도"):
        assert banned not in lookup, f"ambiguous alias {banned!r} must not be listed"


# -- references between files ------------------------------------------------
def test_chip_references(kb):
    for cid, row in kb.chips.items():
        assert row["architecture"] in kb.architectures, (cid, row["architecture"])
        assert row["vendor"] in kb.companies, (cid, row["vendor"])
        assert kb.architectures[row["architecture"]]["vendor"] == row["vendor"], cid
        for parent in filter(None, row["china_variant_of"].split(";")):
            assert parent in kb.chips and parent != cid, (cid, parent)
        assert row["market"] in {"datacenter", "workstation", "consumer"}, cid
        assert row["uncertain"] in {"0", "1"}, cid
        assert not row["release_date"] or DATE.match(row["release_date"]), cid


def test_china_variants(kb):
    expected = {"A800": "A100", "H800": "H100", "H20": "H100;H200", "B30A": "B300", "MI308": "MI300X",
                "MI309": "MI300X"}
    for cid, parent in expected.items():
        assert kb.chips[cid]["china_variant_of"] == parent, cid


def test_architectures(kb):
    for aid, row in kb.architectures.items():
        assert row["vendor"] in kb.companies, aid
        assert row["generation_order"] and row["generation_order"] >= 1, aid
        assert row["first_year"] and 2015 <= row["first_year"] <= 2030, aid
    nv = {a: kb.architectures[a]["generation_order"] for a in ("Ampere", "Hopper", "Blackwell", "Rubin")}
    assert nv == {"Ampere": 1, "Hopper": 2, "Blackwell": 3, "Rubin": 4}


def test_people_companies_organizations_references(kb):
    known_affiliations = set(kb.companies) | set(kb.organizations)
    for pid, row in kb.people.items():
        assert row["affiliation"] in known_affiliations, (pid, row["affiliation"])
        assert row["country"] in kb.countries, (pid, row["country"])
        assert row["role"], pid
    for cid, row in kb.companies.items():
        assert row["country"] in kb.countries, (cid, row["country"])
        assert row["role"], cid
    for oid, row in kb.organizations.items():
        assert row["country"] in kb.countries, (oid, row["country"])
        assert not row["parent"] or row["parent"] in kb.organizations, (oid, row["parent"])
        assert row["kind"], oid
    for cid in kb.countries:
        assert ISO3.match(cid), cid


# -- export events -----------------------------------------------------------
def test_export_events_are_valid(kb):
    ids = [ev["id"] for ev in kb.export_events]
    assert len(ids) == len(set(ids))
    for ev in kb.export_events:
        assert ev["side"] in SIDES, ev["id"]
        assert ev["status"] in STATUSES, ev["id"]
        assert ISO3.match(ev["actor"]) and ev["actor"] in kb.countries, ev["id"]
        assert ISO3.match(ev["destination"]) and ev["destination"] in kb.countries, ev["id"]
        assert not ev["actor_body"] or ev["actor_body"] in kb.organizations, ev["id"]
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", ev["date"]), ev["id"]
        chips = [c for c in ev["chips"].split(";") if c]
        assert chips, ev["id"]
        for c in chips:
            assert c in kb.chips or c in kb.architectures, (ev["id"], c)
        assert ev["uncertain"] in {"0", "1"}, ev["id"]
        assert ev["summary"], ev["id"]
        if ev["side"] == "import":
            assert ev["actor"] == ev["destination"], ev["id"]


def test_timeline_span(kb):
    assert len(kb.export_events) >= 45
    years = {ev["date"][:4] for ev in kb.export_events}
    assert {"2022", "2023", "2024", "2025", "2026"} <= years
    assert {"export", "import"} <= {ev["side"] for ev in kb.export_events}


def test_h200_decision_of_2025_12_08(kb):
    hits = [ev for ev in kb.export_events if ev["date"] == "2025-12-08" and "H200" in ev["chips"].split(";")
            and ev["side"] == "export" and ev["destination"] == "CHN"]
    assert hits and hits[0]["status"] == "conditional" and hits[0]["actor"] == "USA"


# -- numbers -----------------------------------------------------------------
def test_tpp_consistency(kb):
    for cid, row in kb.chips.items():
        bf16, fp8, tpp = row["bf16_tflops"], row["fp8_tflops"], row["tpp"]
        if tpp is None:
            continue
        candidates = [v for v in ((fp8 or 0) * 8, (bf16 or 0) * 16) if v]
        if bf16 is not None and fp8 is not None:
            expected = max(candidates)
            assert abs(tpp - expected) <= 0.02 * expected, (cid, tpp, expected)
        elif candidates:
            assert abs(tpp - max(candidates)) <= 0.02 * max(candidates), (cid, tpp)
        if row["die_area_mm2"] and row["perf_density"] is not None:
            pd = tpp / row["die_area_mm2"]
            assert abs(row["perf_density"] - pd) <= 0.02 * pd, (cid, row["perf_density"], pd)


def _meets_3a090a(kb, chip: dict) -> bool:
    """Does the chip meet any 3A090.a criterion in force from 2023-11-17 (read from thresholds.csv)?"""
    rows = [t for t in kb.thresholds if t["name"].startswith("3A090.a") and t["effective_date"] >= "2023-11-17"]
    assert rows, "thresholds.csv has no current 3A090.a rows"
    tpp = chip["tpp"]
    pd = chip["perf_density"]
    for t in rows:
        if t["tpp_min"] is not None and tpp < t["tpp_min"]:
            continue
        if t["perf_density_min"] is not None and (pd is None or pd < t["perf_density_min"]):
            continue
        return True
    return False


def test_h20_below_and_h200_above_3a090a(kb):
    assert not _meets_3a090a(kb, kb.chips["H20"])
    assert _meets_3a090a(kb, kb.chips["H200"])
    assert _meets_3a090a(kb, kb.chips["H100"])


def test_jan_2026_window(kb):
    window = next(t for t in kb.thresholds if t["effective_date"] == "2026-01-15")
    for cid in ("H200", "MI325X"):
        chip = kb.chips[cid]
        assert chip["tpp"] < window["tpp_max"], cid
        assert chip["bandwidth_tbs"] * 1000 < window["bandwidth_gbs_max"], cid
    for cid in ("B200", "B300"):
        assert kb.chips[cid]["tpp"] >= window["tpp_max"], cid


# -- publishers --------------------------------------------------------------
def test_publishers(kb):
    rows = _raw_rows("publishers.csv")
    canon = {r["publisher"] for r in rows}
    for c in canon:
        assert any(r["alias"] == c for r in rows if r["publisher"] == c), f"{c}: no self-alias row"
    owner = {}
    for r in rows:
        key = r["alias"].casefold()
        assert owner.setdefault(key, r["publisher"]) == r["publisher"], r["alias"]
    for raw, expected in {"조선일보": "Chosun Ilbo", "연합뉴스": "Yonhap", "新华社": "Xinhua", "로이터": "Reuters",
                          "환구시보": "Global Times", "AP": "Associated Press", "매일경제": "Maeil Business Newspaper",
                          "연합인포맥스": "Yonhap Infomax", "财新": "Caixin"}.items():
        assert kb.normalise_publisher(raw) == expected, raw


def test_media_organizations_match_publishers(kb):
    canon = {r["publisher"] for r in _raw_rows("publishers.csv")}
    media = [oid for oid, row in kb.organizations.items() if row["kind"] == "media"]
    assert media
    for oid in media:
        assert oid in canon, f"media organisation {oid} is not a canonical publisher"


def test_publisher_countries_are_known(kb):
    for r in _raw_rows("publishers.csv"):
        assert r["country"] in kb.countries, (r["publisher"], r["country"])
