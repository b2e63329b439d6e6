"""The records that flow through Chipwatch: files -> Article -> Extraction -> store.

Plain dataclasses with no behaviour beyond conversion to JSON-ready dicts, so
every layer (loading, extraction, store, CLI, dashboard) shares one vocabulary.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional

# Entity types a mention can have.
ENTITY_TYPES = ("chip", "architecture", "company", "country", "person", "organization")

# Stance labels on the chip trade (not sentiment): favor = wants chips to flow.
STANCES = ("favor", "against", "neutral", "unclear")

# Export/import status vocabulary shared by the curated timeline and extracted claims.
STATUSES = ("allowed", "conditional", "license_required", "banned", "pending", "discouraged")
SIDES = ("export", "import")

# Prefix of the speaker id given to anonymous sources; the rest is the outlet
# that cites them, e.g. "anonymous:Reuters".
ANONYMOUS_PREFIX = "anonymous:"


@dataclass
class Article:
    """One news item as loaded from a file, before extraction."""

    id: str
    source: str  # where it came from: "path" or "path:line" or "path#record"
    title: str
    body: str
    url: Optional[str] = None
    published: Optional[str] = None  # "YYYY-MM-DD" or None when nothing supports a date
    publisher: Optional[str] = None  # canonical publisher name (publisher table)
    language: str = "other"  # ko | en | zh | ja | other
    captions: list[str] = field(default_factory=list)  # image captions kept apart from body
    content_hash: str = ""  # sha256 of normalised title+body; idempotent ingest key
    flags: list[str] = field(default_factory=list)  # e.g. "date_missing", "date_future"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LoadError:
    """A record or file that could not be loaded, with a reason an analyst can read."""

    source: str  # "path", "path:line" or "path#record"
    error: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Mention:
    type: str  # one of ENTITY_TYPES
    id: str  # canonical id (H200, Hopper, Nvidia, CHN, Xi Jinping, Ministry of Commerce (China))
    surface: str  # text as it appears
    field: str  # "title" or "body"
    start: int  # character offsets within that field
    end: int
    sentence: int  # index of the sentence within the field

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Quote:
    speaker: Optional[str]  # canonical id, "anonymous:<outlet>", or None when unresolved
    speaker_text: str  # the words that named the speaker ("그는", "a U.S. official")
    kind: str  # "direct" | "indirect"
    text: str  # the quoted words
    cue: str  # the cue verb or particle ("said", "밝혔다", "표示")
    start: int  # offsets of the quoted text within the body
    end: int
    stance: str = "unclear"  # the speaker's own stance expressed by this quote
    confidence: float = 0.0
    rule: str = ""  # the stance rule that fired

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Stance:
    holder: str  # canonical id of whoever holds the position
    stance: str  # one of STANCES
    reported_by: Optional[str]  # who reported it when not the holder's own words
    evidence: str  # the sentence or quote it rests on
    confidence: float = 0.0
    rule: str = ""
    quote_index: Optional[int] = None  # index into Extraction.quotes

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class StatusClaim:
    chip: str  # canonical chip id
    side: str  # export | import
    actor: Optional[str]  # ISO-3 of the government acting
    destination: Optional[str]  # ISO-3 of where the chips go
    status: str  # one of STATUSES
    date: Optional[str]  # "YYYY-MM-DD" of the decision, resolved against the article date
    evidence: str  # the sentence
    start: int = 0  # offsets of the sentence within the body
    end: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Extraction:
    """Everything extracted from one article."""

    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    status_claims: list[StatusClaim] = field(default_factory=list)

    def entity_counts(self) -> list[dict]:
        """[{type, id, count}] sorted by count descending, then id."""
        counts: dict[tuple[str, str], int] = {}
        for m in self.mentions:
            counts[(m.type, m.id)] = counts.get((m.type, m.id), 0) + 1
        return [
            {"type": t, "id": i, "count": c}
            for (t, i), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
