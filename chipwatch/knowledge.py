"""The curated knowledge base in data/knowledge/: chips, architectures, companies,
countries, people, organisations, their aliases, the export/import timeline, the
3A090 thresholds and the publisher table.

Loaded once into plain Python structures (dicts of rows) because extraction reads
it in tight loops; the dashboard turns the same rows into DataFrames.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from chipwatch.paths import KNOWLEDGE_DIR

ENTITY_FILES = {
    "chip": "chips.csv",
    "architecture": "architectures.csv",
    "company": "companies.csv",
    "country": "countries.csv",
    "person": "people.csv",
    "organization": "organizations.csv",
}

# Columns read as numbers (empty cell -> None).
NUMERIC_COLUMNS = {
    "bf16_tflops", "fp8_tflops", "memory_gb", "bandwidth_tbs", "tpp", "die_area_mm2",
    "perf_density", "generation_order", "first_year", "tpp_min", "tpp_max",
    "perf_density_min", "perf_density_max", "bandwidth_gbs_max",
}


class KnowledgeError(ValueError):
    """A knowledge-base file is missing or malformed (names file and row)."""


@dataclass(frozen=True)
class Alias:
    entity_type: str
    entity_id: str
    alias: str
    lang: str  # en | ko | zh | ja | any
    kind: str  # name | short | transliteration | title | abbreviation


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        raise KnowledgeError(f"{path}: knowledge file is missing")
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            if None in row:
                raise KnowledgeError(f"{path}:{line_no}: more cells than header columns")
            clean = {}
            for key, value in row.items():
                value = (value or "").strip()
                if key in NUMERIC_COLUMNS:
                    try:
                        clean[key] = float(value) if value else None
                    except ValueError as exc:
                        raise KnowledgeError(f"{path}:{line_no}: column {key!r} is not a number: {value!r}") from exc
                else:
                    clean[key] = value
            rows.append(clean)
    return rows


@dataclass
class KnowledgeBase:
    directory: Path
    entities: dict[str, dict[str, dict]] = field(default_factory=dict)  # type -> id -> row
    aliases: list[Alias] = field(default_factory=list)
    export_events: list[dict] = field(default_factory=list)
    thresholds: list[dict] = field(default_factory=list)
    publishers: dict[str, str] = field(default_factory=dict)  # casefolded alias -> canonical
    publisher_rows: list[dict] = field(default_factory=list)

    # -- loading ---------------------------------------------------------
    @classmethod
    def load(cls, directory: Optional[Path] = None) -> "KnowledgeBase":
        directory = Path(directory) if directory else KNOWLEDGE_DIR
        kb = cls(directory=directory)
        for etype, fname in ENTITY_FILES.items():
            kb.entities[etype] = {}
            for row in _read_csv(directory / fname):
                if not row.get("id"):
                    raise KnowledgeError(f"{directory / fname}: a row has no id")
                kb.entities[etype][row["id"]] = row
        for line_no, row in enumerate(_read_csv(directory / "aliases.csv"), start=2):
            etype, eid = row["entity_type"], row["entity_id"]
            if eid not in kb.entities.get(etype, {}):
                raise KnowledgeError(f"{directory / 'aliases.csv'}:{line_no}: unknown {etype} {eid!r}")
            if row["alias"]:
                kb.aliases.append(Alias(etype, eid, row["alias"], row.get("lang") or "any", row.get("kind") or "name"))
        kb.export_events = _read_csv(directory / "export_events.csv")
        kb.thresholds = _read_csv(directory / "thresholds.csv")
        kb.publisher_rows = _read_csv(directory / "publishers.csv")
        for row in kb.publisher_rows:
            kb.publishers[row["publisher"].casefold()] = row["publisher"]
            if row.get("alias"):
                kb.publishers[row["alias"].casefold()] = row["publisher"]
        return kb

    # -- look-ups --------------------------------------------------------
    @property
    def chips(self) -> dict[str, dict]:
        return self.entities["chip"]

    @property
    def architectures(self) -> dict[str, dict]:
        return self.entities["architecture"]

    @property
    def companies(self) -> dict[str, dict]:
        return self.entities["company"]

    @property
    def countries(self) -> dict[str, dict]:
        return self.entities["country"]

    @property
    def people(self) -> dict[str, dict]:
        return self.entities["person"]

    @property
    def organizations(self) -> dict[str, dict]:
        return self.entities["organization"]

    def type_of(self, entity_id: str) -> Optional[str]:
        """The entity type of an id (chip ids win over architecture names)."""
        for etype in ENTITY_FILES:
            if entity_id in self.entities.get(etype, {}):
                return etype
        return None

    def row(self, entity_id: str) -> Optional[dict]:
        etype = self.type_of(entity_id)
        return self.entities[etype][entity_id] if etype else None

    def chips_by_vendor(self, company_id: str) -> list[str]:
        return [cid for cid, row in self.chips.items() if row.get("vendor") == company_id]

    def affiliation(self, entity_id: str) -> Optional[str]:
        """A person's company or organisation; an organisation's parent."""
        row = self.row(entity_id)
        if not row:
            return None
        return row.get("affiliation") or row.get("parent") or None

    def country_of(self, entity_id: str) -> Optional[str]:
        """ISO-3 of a person, company, organisation, or the country itself."""
        etype = self.type_of(entity_id)
        if etype == "country":
            return entity_id
        row = self.row(entity_id)
        return (row or {}).get("country") or None

    def normalise_publisher(self, name: Optional[str]) -> Optional[str]:
        """Canonical publisher name for a raw one; unknown names pass through trimmed."""
        if not name:
            return None
        name = name.strip()
        return self.publishers.get(name.casefold(), name)


@functools.lru_cache(maxsize=4)
def load_knowledge(directory: Optional[str] = None) -> KnowledgeBase:
    """The knowledge base, loaded once per process (per directory)."""
    return KnowledgeBase.load(Path(directory) if directory else None)
