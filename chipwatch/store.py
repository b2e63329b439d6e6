"""The SQLite store: articles and everything extracted from them.

WAL mode so the dashboard can read while an ingest writes; one transaction per
ingested file so a crash never leaves half a file behind; content hashes make
ingest idempotent; each article remembers the extractor version that produced
its rows so a newer extractor can re-extract.
"""
from __future__ import annotations

import json
import sqlite3
import struct
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Union

from chipwatch.extract import EXTRACTOR_VERSION, extract
from chipwatch.knowledge import KnowledgeBase, load_knowledge
from chipwatch.models import Article, Extraction, LoadError

SCHEMA_VERSION = 2
# Version 1 had no article_index / entity_codes; Store() upgrades such a store in place.
UPGRADABLE_VERSIONS = (1,)
BUSY_TIMEOUT = 60.0  # seconds a connection waits for a lock before SQLite says "busy" (and we wait again)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    published TEXT,
    publisher TEXT,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    captions TEXT NOT NULL DEFAULT '[]',
    flags TEXT NOT NULL DEFAULT '[]',
    ingested_at REAL NOT NULL,
    extractor_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL, entity_id TEXT NOT NULL, surface TEXT NOT NULL,
    field TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, sentence INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(type, entity_id);
CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, speaker TEXT, speaker_text TEXT NOT NULL, kind TEXT NOT NULL,
    text TEXT NOT NULL, cue TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    stance TEXT NOT NULL, confidence REAL NOT NULL, rule TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS stances (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, holder TEXT NOT NULL, stance TEXT NOT NULL, reported_by TEXT,
    evidence TEXT NOT NULL, confidence REAL NOT NULL, rule TEXT NOT NULL, quote_index INTEGER,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS status_claims (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, chip TEXT NOT NULL, side TEXT NOT NULL, actor TEXT, destination TEXT,
    status TEXT NOT NULL, date TEXT, evidence TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
);
CREATE TABLE IF NOT EXISTS rejections (
    source TEXT NOT NULL, error TEXT NOT NULL, file TEXT NOT NULL, rejected_at REAL NOT NULL
);
"""

# Added in version 2, for the dashboard at scale: reading 3.8 M mention rows (100k articles)
# took 10 s and 3 GB; the dashboard needs only which entities each article names, so each
# article keeps that as one packed blob, written in the same transaction as its mentions.
SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS entity_codes (
    code INTEGER PRIMARY KEY, type TEXT NOT NULL, entity_id TEXT NOT NULL, UNIQUE (type, entity_id)
);
CREATE TABLE IF NOT EXISTS article_index (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    entities BLOB NOT NULL,
    n_entities INTEGER NOT NULL, n_quotes INTEGER NOT NULL, n_claims INTEGER NOT NULL
);
"""
SCHEMA_V1 = SCHEMA
SCHEMA = SCHEMA_V1 + SCHEMA_V2


def pack_codes(codes: Iterable[int]) -> bytes:
    """Entity codes as article_index.entities stores them: ascending, distinct, uint32 little-endian."""
    ordered = sorted(set(codes))
    return struct.pack(f"<{len(ordered)}I", *ordered)


def unpack_codes(blob: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(blob) // 4}I", blob))


_INSERT_ARTICLE = "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
_INSERT_REJECTION = "INSERT INTO rejections VALUES (?,?,?,?)"

# What Store.write_file_results takes per record.
FileItem = Union[LoadError, Article, "tuple[Article, Optional[Extraction]]"]


class StoreError(RuntimeError, sqlite3.DatabaseError):
    """The store cannot be opened or is of a schema this version cannot read.

    Also a sqlite3.DatabaseError, so whatever handles "cannot read the database" (the
    dashboard's frame) handles it too."""


class StoreOutdated(StoreError):
    """The store is of an older schema version that Store() upgrades in place (readers say so)."""

    def __init__(self, message: str, version: int):
        super().__init__(message)
        self.version = version


def _expected_columns(schema: str) -> dict[str, list[str]]:
    """Each table of schema with its columns in order."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(schema)
        tables = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: [r[1] for r in mem.execute(f"PRAGMA table_info({t})")] for t in tables}
    finally:
        mem.close()


_EXPECTED_COLUMNS = _expected_columns(SCHEMA)
_EXPECTED_COLUMNS_V1 = _expected_columns(SCHEMA_V1)


def check_schema(conn: sqlite3.Connection, path: Union[str, Path]) -> bool:
    """True if conn holds a Chipwatch store this version reads, False if the database is empty
    (no tables yet); StoreError naming the file for anything else: not a SQLite file, another
    program's database, another schema version (there is no migration: version 1 is the only
    one there has been), or a table or column missing. Reads only.
    An older version that Store() can upgrade raises StoreOutdated."""
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if not r[0].startswith("sqlite_")}
        if not tables:
            return False
        if "meta" not in tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(f"{path}: not a Chipwatch store (it has other tables: {shown})")
        row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        try:
            version = int(row[0]) if row else 0
        except ValueError:
            raise StoreError(f"{path}: not a Chipwatch store (its schema version {row[0]!r} is not a number)") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path}: store schema version {version} is newer than this Chipwatch "
                f"(reads version {SCHEMA_VERSION}); upgrade Chipwatch or use another --db"
            )
        if version in UPGRADABLE_VERSIONS:
            raise StoreOutdated(
                f"{path}: store schema version {version} is older than this Chipwatch's version {SCHEMA_VERSION}; "
                f"upgrade it in place with: python -m chipwatch upgrade --db {path}", version)
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{path}: store schema version {version} is older than this Chipwatch's version {SCHEMA_VERSION} "
                "and has no migration; re-ingest the articles into a new store (another --db)"
            )
        _check_columns(conn, path, version, _EXPECTED_COLUMNS)
    except StoreError:
        raise
    except sqlite3.DatabaseError as exc:
        if (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
            raise StoreError(f"{path}: not a SQLite database, or a damaged one ({exc}); "
                             "is this really the Chipwatch store?") from None
        raise
    return True


def _check_columns(conn: sqlite3.Connection, path, version: int, expected: dict[str, list[str]]) -> None:
    """StoreError unless every expected table is there with exactly its columns, in order."""
    for table, columns in expected.items():
        have = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
        if not have:
            raise StoreError(f"{path}: damaged Chipwatch store (schema version {version}): "
                             f"table {table} is missing; re-ingest into a new store")
        if have != columns:
            lacks = [c for c in columns if c not in have]
            extra = [c for c in have if c not in columns]
            what = "; ".join(part for part in (
                f"lacks column(s) {', '.join(lacks)}" if lacks else "",
                f"has unknown column(s) {', '.join(extra)}" if extra else "") if part) or "columns out of order"
            raise StoreError(f"{path}: damaged Chipwatch store (schema version {version}): table {table} "
                             f"{what}; re-ingest into a new store")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY ("database is locked"): another connection holds the lock."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(exc)


@dataclass
class FileResult:
    """What ingesting one file did."""

    path: str
    added: int = 0
    duplicates: int = 0
    renamed: list[str] = field(default_factory=list)  # ids changed because another article had them
    rejected: list[LoadError] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """False when nothing in the file could be read at all."""
        return self.added + self.duplicates > 0 or not self.rejected


class Store:
    """A Chipwatch store at a path; create with Store(path), close with .close()."""

    def __init__(self, path: Union[str, Path], kb: Optional[KnowledgeBase] = None):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.kb = kb or load_knowledge()
        # timeout: wait for a concurrent writer instead of failing with "database is locked".
        self.conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        # (type, entity_id) -> entity_codes.code, as committed; forgotten on a rollback.
        self._codes: dict[tuple[str, str], int] = {}
        try:
            outdated = None
            try:
                found = check_schema(self.conn, self.path)  # before any write: a refused file stays as it was
            except StoreOutdated as exc:
                found, outdated = True, exc.version
                _check_columns(self.conn, self.path, outdated, _EXPECTED_COLUMNS_V1)
            self._wal()
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            if not found:
                self._migrate()
            elif outdated is not None:
                self._upgrade()
        except BaseException:
            self.conn.close()
            raise

    def _wal(self) -> None:
        # Switching a new database to WAL needs an exclusive lock and SQLite does not wait for
        # it (no busy handler): when several processes create the store at once, retry.
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        # BEGIN IMMEDIATE takes the write lock up front so two writers queue
        # (busy timeout) instead of deadlocking on a lock upgrade. Another writer may hold
        # the lock for longer than the busy timeout (one big file is one transaction): keep
        # waiting while it does. (A lock dies with its process: no waiting on a crashed writer.)
        while True:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                time.sleep(0.01)
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._codes.clear()  # codes handed out inside the rolled-back transaction are gone
            raise
        else:
            self.conn.execute("COMMIT")

    def _migrate(self) -> None:
        """Create the schema in an empty database (check_schema refuses every other kind)."""
        with self.transaction() as conn:
            if check_schema(conn, self.path):  # another process created it while this one waited
                return
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _upgrade(self) -> None:
        """Bring a version-1 store to this version in one transaction: add the article index and
        fill it from the stored mentions, quotes and claims (12 s for 100k articles here)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row and row[0] == str(SCHEMA_VERSION):  # another process upgraded it while this one waited
                return
            for statement in SCHEMA_V2.split(";"):
                if statement.strip():
                    conn.execute(statement)
            counts = {}
            for table, column in (("quotes", "n_quotes"), ("status_claims", "n_claims")):
                for article_id, n in conn.execute(f"SELECT article_id, COUNT(*) FROM {table} GROUP BY article_id"):
                    counts.setdefault(article_id, {})[column] = n
            entities: dict[str, list[int]] = {}
            for article_id, etype, entity_id in conn.execute(
                    "SELECT DISTINCT article_id, type, entity_id FROM mentions").fetchall():
                entities.setdefault(article_id, []).append(self._code(conn, etype, entity_id))
            rows = []
            for (article_id,) in conn.execute("SELECT id FROM articles").fetchall():
                codes = entities.get(article_id, [])
                n = counts.get(article_id, {})
                rows.append((article_id, pack_codes(codes), len(codes), n.get("n_quotes", 0), n.get("n_claims", 0)))
            conn.executemany("INSERT OR REPLACE INTO article_index VALUES (?,?,?,?,?)", rows)
            conn.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def _code(self, conn: sqlite3.Connection, etype: str, entity_id: str) -> int:
        """The entity's code in entity_codes, adding it on first sight (inside the caller's transaction)."""
        key = (etype, entity_id)
        code = self._codes.get(key)
        if code is None:
            conn.execute("INSERT OR IGNORE INTO entity_codes (type, entity_id) VALUES (?, ?)", key)
            code = conn.execute("SELECT code FROM entity_codes WHERE type=? AND entity_id=?", key).fetchone()[0]
            self._codes[key] = code
        return code

    # -- writing ---------------------------------------------------------
    def ingest_file(self, path: Union[str, Path], items: Optional[Iterable] = None,
                    on_article: Optional[Callable[[], None]] = None) -> FileResult:
        """Load, extract and store one file in one transaction.

        `items` lets callers pass already-loaded records (uploads); otherwise the
        file is read with chipwatch.loading. `on_article` is called per record
        so a progress bar can move.
        """
        if items is None:
            from chipwatch.loading import load_file

            items = load_file(Path(path))
        return self.write_file_results(path, items, on_article=on_article)

    def write_file_results(self, path: Union[str, Path], items: Iterable[FileItem],
                           on_article: Optional[Callable[[], None]] = None) -> FileResult:
        """Store one file's records in ONE transaction (the writer half of ingest_file).

        Each item is a LoadError, an Article (extracted here when it is new), or an
        ``(Article, Extraction)`` pair extracted elsewhere (chipwatch.parallel's
        workers); the extraction may be None when the extractor skipped an article it
        saw already stored. Duplicates (same content hash) are always detected here,
        inside the transaction, whatever the extractor did. `items` may be a lazy
        iterator: it is consumed while the transaction is open, and an exception
        from it rolls the whole file back.
        """
        result = FileResult(path=str(path))
        now = time.time()
        with self.transaction() as conn:
            for item in items:
                if isinstance(item, LoadError):
                    result.rejected.append(item)
                    conn.execute(_INSERT_REJECTION, (item.source, item.error, str(path), now))
                elif isinstance(item, tuple):
                    self._add_article(conn, item[0], result, now, item[1])
                else:
                    self._add_article(conn, item, result, now)
                if on_article:
                    on_article()
        return result

    def _add_article(self, conn: sqlite3.Connection, article: Article, result: FileResult, now: float,
                     extraction: Optional[Extraction] = None) -> None:
        if conn.execute("SELECT 1 FROM articles WHERE content_hash=?", (article.content_hash,)).fetchone():
            result.duplicates += 1
            return
        if conn.execute("SELECT 1 FROM articles WHERE id=?", (article.id,)).fetchone():
            # Same id, different content: keep both, the newcomer under a derived id.
            # (Extraction does not read the id, so an extraction made before the rename holds.)
            new_id = f"{article.id}~{article.content_hash[:8]}"
            result.renamed.append(f"{article.source}: id {article.id!r} already holds another article; stored as {new_id!r}")
            article.id = new_id
        if extraction is None:
            extraction = extract(article, self.kb)
        conn.execute(
            _INSERT_ARTICLE,
            (article.id, article.content_hash, article.source, article.url, article.title, article.published,
             article.publisher, article.language, article.body, json.dumps(article.captions, ensure_ascii=False),
             json.dumps(article.flags, ensure_ascii=False), now, EXTRACTOR_VERSION),
        )
        self._write_extraction(conn, article.id, extraction)
        result.added += 1

    def _write_extraction(self, conn: sqlite3.Connection, article_id: str, ex: Extraction) -> None:
        conn.executemany(
            "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?)",
            [(article_id, m.type, m.id, m.surface, m.field, m.start, m.end, m.sentence) for m in ex.mentions],
        )
        conn.executemany(
            "INSERT INTO quotes VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(article_id, i, q.speaker, q.speaker_text, q.kind, q.text, q.cue, q.start, q.end, q.stance,
              q.confidence, q.rule) for i, q in enumerate(ex.quotes)],
        )
        conn.executemany(
            "INSERT INTO stances VALUES (?,?,?,?,?,?,?,?,?)",
            [(article_id, i, s.holder, s.stance, s.reported_by, s.evidence, s.confidence, s.rule, s.quote_index)
             for i, s in enumerate(ex.stances)],
        )
        conn.executemany(
            "INSERT INTO status_claims VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(article_id, i, c.chip, c.side, c.actor, c.destination, c.status, c.date, c.evidence, c.start, c.end)
             for i, c in enumerate(ex.status_claims)],
        )
        codes = {self._code(conn, m.type, m.id) for m in ex.mentions}
        conn.execute("INSERT OR REPLACE INTO article_index VALUES (?,?,?,?,?)",
                     (article_id, pack_codes(codes), len(codes), len(ex.quotes), len(ex.status_claims)))

    def stale_article_ids(self) -> list[str]:
        """Articles extracted by another extractor version than this one."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM articles WHERE extractor_version != ? ORDER BY id", (EXTRACTOR_VERSION,))]

    def reextract(self, article_ids: Optional[list[str]] = None) -> int:
        """Re-run extraction on the given (default: stale) articles, one transaction each."""
        ids = self.stale_article_ids() if article_ids is None else article_ids
        for article_id in ids:
            article = self.article(article_id)
            if article is None:
                continue
            extraction = extract(article, self.kb)
            with self.transaction() as conn:
                for table in ("mentions", "quotes", "stances", "status_claims"):
                    conn.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
                self._write_extraction(conn, article_id, extraction)
                conn.execute("UPDATE articles SET extractor_version=? WHERE id=?", (EXTRACTOR_VERSION, article_id))
        return len(ids)

    # -- reading ---------------------------------------------------------
    def article(self, article_id: str) -> Optional[Article]:
        row = self.conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            return None
        return Article(
            id=row["id"], source=row["source"], title=row["title"], body=row["body"], url=row["url"],
            published=row["published"], publisher=row["publisher"], language=row["language"],
            captions=json.loads(row["captions"]), content_hash=row["content_hash"], flags=json.loads(row["flags"]),
        )

    def count(self, table: str = "articles") -> int:
        if table not in {"articles", "mentions", "quotes", "stances", "status_claims", "rejections",
                         "article_index", "entity_codes"}:
            raise ValueError(f"unknown table {table!r}")
        return self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

