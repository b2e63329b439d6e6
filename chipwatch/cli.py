"""Command line: python -m chipwatch ingest | extract | evaluate | reextract | report | synth | bench | stats.

A thin shell over the library: argument parsing, printing and exit codes only.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Optional, TextIO

from chipwatch.paths import DB_ENV_VAR, GOLD_DIR, default_db_path

EXIT_OK = 0
EXIT_NOTHING_READ = 1
EXIT_USAGE = 2


class Progress:
    """A one-line progress bar on stderr, drawn only for a terminal (or when forced)."""

    def __init__(self, total: int, stream: Optional[TextIO] = None, enabled: Optional[bool] = None):
        stream = sys.stderr if stream is None else stream  # the stderr of the moment, not of import time
        self.total, self.stream, self.done, self.articles = total, stream, 0, 0
        self.enabled = stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._width = 0  # characters of the bar last drawn

    def article(self) -> None:
        self.articles += 1
        if time.monotonic() - self._last_draw > 0.2:
            self.draw()

    def file_done(self) -> None:
        self.done += 1
        self.draw()

    def draw(self) -> None:
        if not self.enabled:
            return
        self._last_draw = time.monotonic()
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        rate = self.articles / max(self._last_draw - self.started, 1e-6)
        line = (f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files, "
                f"{self.articles:,} articles, {rate:,.0f} articles/s")
        self.stream.write(f"\r{line} ")
        self.stream.flush()
        self._width = len(line) + 1

    def clear(self) -> None:
        """Blank the bar's line so a report line can be printed in its place."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _db_path(arg: Optional[str]) -> Path:
    return Path(arg) if arg else default_db_path()


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"not a number of processes (1 or more): {text!r}")
    return n


def cmd_ingest(args: argparse.Namespace) -> int:
    from chipwatch.loading import iter_files
    from chipwatch.parallel import default_workers, ingest_files
    from chipwatch.store import Store, StoreError

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        print(f"error: {p}: no such file or folder", file=sys.stderr)
    files = list(iter_files([Path(p) for p in args.paths if Path(p).exists()]))
    if not files:
        print("error: no loadable files (.json .jsonl .csv .html .htm .txt) in the given paths", file=sys.stderr)
        return EXIT_NOTHING_READ if not missing else EXIT_USAGE
    try:
        store = Store(_db_path(args.db))
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(len(files), enabled=True if args.progress else None)
    totals = {"added": 0, "duplicates": 0, "rejected": 0}
    readable = 0
    with store:
        # --workers 1: everything in this process (Store.ingest_file per file); more: worker
        # processes load and extract, this process alone writes, one transaction per file.
        for path, result in ingest_files(store, files, args.workers or default_workers(),
                                         on_article=progress.article):
            progress.file_done()
            totals["added"] += result.added
            totals["duplicates"] += result.duplicates
            totals["rejected"] += len(result.rejected)
            readable += result.readable
            progress.clear()
            print(f"{path}: {result.added} added, {result.duplicates} duplicates, {len(result.rejected)} rejected")
            for note in result.renamed:
                print(f"  note: {note}")
            for err in result.rejected:
                print(f"  rejected {err.source}: {err.error}")
        progress.close()
        stale = len(store.stale_article_ids())
        total_articles = store.count()
    print(f"done: {len(files)} files, {totals['added']} added, {totals['duplicates']} duplicates, "
          f"{totals['rejected']} rejected; the store {store.path} holds {total_articles} articles")
    if stale:
        print(f"note: {stale} articles were extracted by an older extractor; run `python -m chipwatch reextract`")
    return EXIT_OK if readable else EXIT_NOTHING_READ


def cmd_extract(args: argparse.Namespace) -> int:
    from chipwatch.extract import extract
    from chipwatch.knowledge import load_knowledge
    from chipwatch.loading import iter_files, load_file
    from chipwatch.models import LoadError

    kb = load_knowledge()
    articles, errors = [], []
    for p in args.paths:
        if not Path(p).exists():
            errors.append({"source": p, "error": "no such file or folder"})
    for path in iter_files([Path(p) for p in args.paths if Path(p).exists()]):
        for item in load_file(path):
            if isinstance(item, LoadError):
                errors.append(item.to_dict())
                continue
            ex = extract(item, kb)
            articles.append({
                "id": item.id, "source": item.source, "url": item.url, "title": item.title,
                "published": item.published, "publisher": item.publisher, "language": item.language,
                "body": item.body,
                "entities": ex.entity_counts(),
                "quotes": [{"speaker": q.speaker, "speaker_text": q.speaker_text, "kind": q.kind, "text": q.text,
                            "stance": q.stance, "start": q.start, "end": q.end} for q in ex.quotes],
                "stances": [{"holder": s.holder, "stance": s.stance, "reported_by": s.reported_by,
                             "evidence": s.evidence} for s in ex.stances],
                "status_claims": [{"chip": c.chip, "side": c.side, "actor": c.actor, "destination": c.destination,
                                   "status": c.status, "date": c.date, "evidence": c.evidence}
                                  for c in ex.status_claims],
            })
    if not args.json:
        for a in articles:
            print(f"{a['source']}: {a['published'] or 'no date'} | {a['publisher'] or 'no publisher'} | "
                  f"{a['language']} | {a['title']}")
            print("  entities: " + ", ".join(f"{e['id']}×{e['count']}" for e in a["entities"]))
            for q in a["quotes"]:
                print(f"  quote [{q['kind']}, {q['stance']}] {q['speaker'] or q['speaker_text']}: {q['text'][:100]}")
            for c in a["status_claims"]:
                print(f"  status {c['chip']} {c['side']} {c['actor']}->{c['destination']}: {c['status']} ({c['date']})")
        for e in errors:
            print(f"rejected {e['source']}: {e['error']}", file=sys.stderr)
    else:
        json.dump({"articles": articles, "errors": errors}, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    return EXIT_OK if articles or not errors else EXIT_NOTHING_READ


def cmd_evaluate(args: argparse.Namespace) -> int:
    from chipwatch.evaluate import evaluate, format_table

    from chipwatch.synth import LABELS_NAME, evaluate_synth

    gold = Path(args.gold)
    if gold.is_dir() and (gold / LABELS_NAME).exists():
        scores = evaluate_synth(gold)  # a synthetic corpus written with `synth --labels`
    elif gold.is_dir() and any(gold.glob("*.json")):
        scores = evaluate(gold)
    else:
        print(f"error: {gold}: no gold files (*.json) and no {LABELS_NAME} of a synthetic corpus",
              file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(scores.summary(), indent=1))
    else:
        print(format_table(scores))
    if args.errors:
        for err in scores.errors:
            print(json.dumps(err, ensure_ascii=False), file=sys.stderr)
    return EXIT_OK


def cmd_reextract(args: argparse.Namespace) -> int:
    from chipwatch.store import Store, StoreError

    try:
        with Store(_db_path(args.db)) as store:
            ids = None
            if args.all:
                ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]
            n = store.reextract(ids)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"re-extracted {n} articles")
    return EXIT_OK


def cmd_upgrade(args: argparse.Namespace) -> int:
    """Open the store, which upgrades an older schema in place (a no-op on a current store)."""
    from chipwatch.store import SCHEMA_VERSION, Store, StoreError

    path = _db_path(args.db)
    if not path.exists():
        print(f"no store at {path}: nothing to upgrade")
        return EXIT_OK
    try:
        with Store(path) as store:
            n = store.count()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"{path}: schema version {SCHEMA_VERSION}, {n:,} articles")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from chipwatch.store import Store, StoreError

    path = _db_path(args.db)
    if not path.exists():
        counts = {t: 0 for t in ("articles", "mentions", "quotes", "stances", "status_claims", "rejections")}
    else:
        try:
            with Store(path) as store:
                counts = {t: store.count(t) for t in
                          ("articles", "mentions", "quotes", "stances", "status_claims", "rejections")}
        except StoreError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.articles:
        print(counts["articles"])
    else:
        for table, n in counts.items():
            print(f"{table:<14}{n:>10,}")
    return EXIT_OK


def _iso_date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_report(args: argparse.Namespace) -> int:
    import os
    import tempfile

    from chipwatch.frames import Filters, load_frames
    from chipwatch.report import build_report
    from chipwatch.store import StoreError

    path = _db_path(args.db)
    if not path.exists():
        print(f"error: {path}: no such store (ingest articles first: python -m chipwatch ingest data/articles)",
              file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out)
    if not out.parent.is_dir():
        print(f"error: {out.parent}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    filters = Filters(companies=tuple(args.company or ()), chips=tuple(args.chip or ()),
                      countries=tuple(args.country or ()), date_from=args.date_from, date_to=args.date_to,
                      languages=tuple(args.language or ()), publishers=tuple(args.publisher or ()))
    try:
        frames = load_frames(path)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    kb = frames.kb
    for kind, values, known in (("company", filters.companies, kb.companies),
                                ("chip", filters.chips, {**kb.chips, **kb.architectures}),
                                ("country", filters.countries, kb.countries)):
        for value in values:
            if value not in known:
                print(f"note: {kind} {value!r} is not in the knowledge base (ids are case-sensitive)", file=sys.stderr)
    problems: list[str] = []
    data = build_report(frames, filters, problems=problems).encode("utf-8")

    # Atomic: a reader never sees half a report, and a failed run leaves the old file in place.
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the report ordinary file permissions
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"{out} {len(data):,} bytes")
    for line in problems:
        print(f"warning: the report lacks a page's charts: {line}", file=sys.stderr)
    return 1 if problems else EXIT_OK


def cmd_bench(args: argparse.Namespace) -> int:
    from chipwatch.bench import format_table, run_bench, write_json_atomic

    try:
        sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        print(f"error: --sizes takes numbers separated by commas, got {args.sizes!r}", file=sys.stderr)
        return EXIT_USAGE
    if not sizes or min(sizes) < 1:
        print("error: --sizes needs at least one size of 1 or more", file=sys.stderr)
        return EXIT_USAGE
    report = run_bench(sizes, workers=args.workers, seed=args.seed, pages=not args.no_pages,
                       log=lambda line: print(line, file=sys.stderr, flush=True))
    print(format_table(report))
    if args.out:
        write_json_atomic(Path(args.out), report)
        print(f"wrote {args.out}")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    from chipwatch.synth import SynthError, write_corpus

    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if args.articles < 0:
        print("error: --articles must be 0 or more", file=sys.stderr)
        return EXIT_USAGE
    progress = None
    if sys.stderr.isatty():
        def progress(done: int) -> None:
            if done % 1000 == 0 or done == args.articles:
                sys.stderr.write(f"\r{done:,}/{args.articles:,} articles")
                sys.stderr.flush()
    try:
        summary = write_corpus(Path(args.out), args.articles, seed=args.seed, formats=formats,
                               labels=args.labels, progress=progress)
    except SynthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if progress:
        sys.stderr.write("\n")
    for line in summary.lines():
        print(line)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m chipwatch",
                                     description="Turn news about AI-chip export controls into evidence.")
    sub = parser.add_subparsers(dest="command", required=True)

    db_help = f"store path (default: ${DB_ENV_VAR} or data/chipwatch.db)"
    p = sub.add_parser("ingest", help="load article files or folders into the store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", help=db_help)
    p.add_argument("--progress", action="store_true", help="draw the progress bar even when not on a terminal")
    p.add_argument("--workers", type=_workers, metavar="N",
                   help="processes that load and extract (default: all cores); 1 = in this process, no pool")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("extract", help="extract from files without writing to the store")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("evaluate", help="score the extractor on the gold set")
    p.add_argument("--gold", default=str(GOLD_DIR),
                   help="folder of gold *.json files (default: tests/gold), or a synthetic corpus written with "
                        "`synth --labels`")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("--errors", action="store_true", help="list each article's misses on stderr")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("reextract", help="re-run extraction on articles stored by an older extractor")
    p.add_argument("--db", help=db_help)
    p.add_argument("--all", action="store_true", help="re-extract every article, not only stale ones")
    p.set_defaults(func=cmd_reextract)
    p = sub.add_parser("bench", help="measure how costs grow with the corpus size")
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes, comma-separated")
    p.add_argument("--out", help="also write the figures as JSON to this file")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpus")
    p.add_argument("--no-pages", action="store_true", help="skip the dashboard page timings")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("upgrade", help="bring a store written by an older Chipwatch to this version, in place")
    p.add_argument("--db", help=db_help)
    p.set_defaults(func=cmd_upgrade)

    p = sub.add_parser("stats", help="count what the store holds")
    p.add_argument("--db", help=db_help)
    p.add_argument("--articles", action="store_true", help="print only the number of articles")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("report", help="write every dashboard chart under the filters to one offline HTML file")
    p.add_argument("--out", required=True, metavar="FILE.html", help="where to write the report")
    p.add_argument("--db", help=db_help)
    p.add_argument("--company", action="append", metavar="X", help="articles about this company (repeatable)")
    p.add_argument("--chip", action="append", metavar="ID", help="chip or architecture id, e.g. H200 (repeatable)")
    p.add_argument("--country", action="append", metavar="ISO3", help="country code, e.g. CHN (repeatable)")
    p.add_argument("--from", dest="date_from", type=_iso_date, metavar="YYYY-MM-DD",
                   help="articles published on or after this day")
    p.add_argument("--to", dest="date_to", type=_iso_date, metavar="YYYY-MM-DD",
                   help="articles published on or before this day")
    p.add_argument("--language", action="append", metavar="CODE", help="ko, en, zh, ja or other (repeatable)")
    p.add_argument("--publisher", action="append", metavar="P", help="publisher name (repeatable)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("synth", help="write a synthetic corpus (with gold labels) built from the knowledge base")
    p.add_argument("--articles", type=int, required=True, metavar="N", help="how many articles to write")
    p.add_argument("--out", required=True, metavar="DIR", help="new or empty folder for records/, pages/, labels")
    p.add_argument("--seed", type=int, default=0, help="same seed, same bytes (default: 0)")
    p.add_argument("--formats", default="jsonl,html,txt",
                   help="jsonl (records), html (saved pages), txt (portal scrapes, wire texts); default: all, "
                        "about 80%% records and 20%% pages")
    p.add_argument("--labels", action="store_true", help="also write DIR/labels.jsonl (gold labels per article id)")
    p.set_defaults(func=cmd_synth)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return args.func(args)
