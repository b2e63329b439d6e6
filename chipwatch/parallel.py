"""Parallel ingest: worker processes load and extract; the parent is the only writer.

    for path, result in ingest_files(store, files, workers=4, on_article=tick): ...

Design
------
* Work goes to a process pool ('forkserver' where the platform has it, else
  'spawn'; never 'fork', so it is safe from threaded hosts such as Streamlit).
  Each worker loads the knowledge base once, in its initializer, and compiles the
  extractor's matchers with one warm-up extraction.
* Tasks, in file order:
  - a batch of small files (up to BATCH_BYTES / BATCH_FILES): the worker reads each
    with chipwatch.loading.load_file and extracts every article; it sends back each
    file's records in order (Articles with their Extraction, and LoadErrors);
  - a chunk of CHUNK_RECORDS records of a big record file (.jsonl/.csv/.json over
    BIG_FILE_BYTES): the parent streams the file with load_file (the same loader,
    so the same line numbers and messages as a one-process ingest) and workers only
    extract. Loading is 10-15% of the per-article cost, extraction 80-85%, so a
    big file still uses every core (the parent's share stays under 10% of the CPU).
* Bounded memory: at most `window` tasks (default 2 x workers + 2) are submitted
  and not yet written. Each task holds at most BATCH_BYTES of small files, one file
  under BIG_FILE_BYTES, or CHUNK_RECORDS records, so the parent's memory does not
  grow with the corpus or with the size of a file. (A .json file is one JSON
  document: the loader parses it whole, in the parent for a big one, exactly as a
  one-process ingest does.)
* One writer, one transaction per file: results are taken in submission order and
  each file goes through Store.write_file_results in ONE transaction. A big file's
  chunks stream into its open transaction as they come back, so a file is never
  half-stored and never held whole in memory. A crash (or a worker error) rolls
  back the file being written; files before it stay committed, and a re-run adds
  only what is missing.
* Idempotent: each worker opens the store read-only and does not extract articles
  whose content hash is already stored (a re-run over an ingested folder costs
  loading only). The writer still deduplicates inside the transaction, which also
  catches the same article twice within one run (extracted twice, stored once), and
  extracts an article itself if it was skipped as known but is not in the store.
* Same results as --workers 1 (Store.ingest_file file by file): same files in the
  same order, same loader, same extractor and knowledge base, same writer code.

Measured on 2 cores, 10,000 records in 40 JSONL/CSV files: 1 worker ~260
articles/s, 2 workers ~490 articles/s; the parent's peak RSS ~50 MB whatever the
corpus size (31 MB in one process), each worker ~34 MB.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from chipwatch.extract import extract
from chipwatch.knowledge import KnowledgeBase, load_knowledge
from chipwatch.loading import load_file
from chipwatch.models import Article, LoadError

__all__ = ["ingest_files", "default_workers", "BIG_FILE_BYTES", "CHUNK_RECORDS"]

BIG_FILE_BYTES = 512 * 1024  # record files above this are streamed by the parent in chunks
CHUNK_RECORDS = 200  # records per chunk of a big file
BATCH_BYTES = 256 * 1024  # small files are sent to a worker together up to this size...
BATCH_FILES = 32  # ...or this many files
_CHUNKED = (".jsonl", ".csv", ".json")  # formats that hold many records


def default_workers() -> int:
    """Every core this process may run on (os.cpu_count() where affinity is unknown)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# -- worker side -----------------------------------------------------------
_KB: Optional[KnowledgeBase] = None
_KNOWN: Optional[sqlite3.Connection] = None


def _init_worker(kb: Optional[KnowledgeBase], db_path: Optional[str]) -> None:
    global _KB, _KNOWN
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (it rolls back)
    _KB = kb if kb is not None else load_knowledge()
    extract(Article(id="warm-up", source="warm-up", title="Nvidia H20",
                    body="Donald Trump said Nvidia may ship H20 chips to China.", language="en"), _KB)
    if db_path:
        try:
            _KNOWN = sqlite3.connect(Path(db_path).resolve().as_uri() + "?mode=ro", uri=True, timeout=60)
        except sqlite3.Error:
            _KNOWN = None  # only an optimisation: the writer deduplicates anyway


def _is_known(content_hash: str) -> bool:
    if _KNOWN is None or not content_hash:
        return False
    try:
        return _KNOWN.execute("SELECT 1 FROM articles WHERE content_hash=?", (content_hash,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _extract_items(items: Iterable) -> list:
    """LoadErrors as they are; Articles as (article, extraction), extraction None when already stored."""
    kb = _KB if _KB is not None else load_knowledge()
    out: list = []
    for item in items:
        if isinstance(item, LoadError):
            out.append(item)
        elif _is_known(item.content_hash):
            out.append((item, None))
        else:
            out.append((item, extract(item, kb)))
    return out


def _load_and_extract(paths: list[str]) -> list[list]:
    """Each file's records, loaded and extracted, one list per file."""
    return [_extract_items(load_file(Path(p))) for p in paths]


# -- parent side -----------------------------------------------------------
@dataclass
class _Task:
    files: list[int]  # indexes of the files whose records the result holds
    future: Future
    chunked: bool = False  # one chunk of files[0] (else: whole files)
    last: bool = True  # for a chunk: the file's last one


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the loader will say what is wrong with it


def _is_big(path: Path, big_file_bytes: int) -> bool:
    return path.suffix.lower() in _CHUNKED and _size(path) > big_file_bytes


def _plan(files: list[Path], submit: Callable, big_file_bytes: int, chunk_records: int) -> Iterator[_Task]:
    """Tasks in file order, submitted as they are generated (the caller bounds how far ahead)."""
    batch: list[int] = []
    batch_bytes = 0
    for i, path in enumerate(files):
        if _is_big(path, big_file_bytes):
            if batch:
                yield _Task(batch, submit(_load_and_extract, [str(files[j]) for j in batch]))
                batch, batch_bytes = [], 0
            records = load_file(path)
            chunk = list(islice(records, chunk_records))
            while chunk:
                following = list(islice(records, chunk_records))
                yield _Task([i], submit(_extract_items, chunk), chunked=True, last=not following)
                chunk = following
            continue
        batch.append(i)
        batch_bytes += _size(path)
        if batch_bytes >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            yield _Task(batch, submit(_load_and_extract, [str(files[j]) for j in batch]))
            batch, batch_bytes = [], 0
    if batch:
        yield _Task(batch, submit(_load_and_extract, [str(files[j]) for j in batch]))


def _segments(tasks: Iterator[_Task], window: int) -> Iterator[tuple[int, list, bool]]:
    """(file index, records, completes the file), in file order, with at most `window` tasks in flight."""
    pending: deque[_Task] = deque()
    for task in tasks:
        pending.append(task)
        if len(pending) >= window:
            break
    while pending:
        task = pending.popleft()
        result = task.future.result()  # meanwhile the other window - 1 tasks keep the workers busy
        nxt = next(tasks, None)
        if nxt is not None:
            pending.append(nxt)
        if task.chunked:
            yield task.files[0], result, task.last
        else:
            for i, records in zip(task.files, result):
                yield i, records, True


def _estimated_tasks(files: list[Path], big_file_bytes: int) -> int:
    n, batch_bytes, batch_files = 0, 0, 0
    for path in files:
        if _is_big(path, big_file_bytes):
            return len(files) + 2  # many chunks
        batch_bytes += _size(path)
        batch_files += 1
        if batch_bytes >= BATCH_BYTES or batch_files >= BATCH_FILES:
            n, batch_bytes, batch_files = n + 1, 0, 0
    return n + (1 if batch_files else 0)


def _context(start_method: Optional[str]):
    method = start_method or ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        # Workers fork from a server that has imported the extractor once, so they start fast.
        ctx.set_forkserver_preload(["chipwatch.parallel"])
    return ctx


def ingest_files(store, files: Iterable[Path], workers: Optional[int] = None,
                 on_article: Optional[Callable[[], None]] = None, *, window: Optional[int] = None,
                 skip_known: bool = True, start_method: Optional[str] = None,
                 big_file_bytes: Optional[int] = None, chunk_records: Optional[int] = None,
                 ) -> Iterator[tuple[Path, object]]:
    """Ingest `files` into `store`: yields (path, FileResult) per file, in order, as each commits.

    workers: processes to extract with (default: every core). With 1, or when the
    files make a single task, everything runs in this process through
    Store.ingest_file, with no pool. on_article is called per record written.
    The rest is tuning (defaults: the module constants) and skip_known=False to
    extract even articles the store already holds (for measuring).

    Worker processes are started with 'forkserver'/'spawn', which import the
    caller's main script again: a script that calls this needs the usual
    ``if __name__ == "__main__":`` guard (``python -m chipwatch`` has nothing to guard).
    """
    big_file_bytes = BIG_FILE_BYTES if big_file_bytes is None else big_file_bytes
    chunk_records = CHUNK_RECORDS if chunk_records is None else chunk_records
    files = [Path(f) for f in files]
    workers = max(1, workers or default_workers())
    workers = min(workers, _estimated_tasks(files, big_file_bytes))
    if workers <= 1:
        for path in files:
            yield path, store.ingest_file(path, on_article=on_article)
        return

    kb = None if store.kb is load_knowledge() else store.kb  # workers load the default KB themselves
    db_path = str(store.path) if skip_known else None
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=_context(start_method),
                                   initializer=_init_worker, initargs=(kb, db_path))
    try:
        tasks = _plan(files, executor.submit, big_file_bytes, chunk_records)
        segments = _segments(tasks, window or 2 * workers + 2)
        for i, path in enumerate(files):
            yield path, store.write_file_results(path, _records_of(i, segments), on_article=on_article)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _records_of(index: int, segments: Iterator[tuple[int, list, bool]]) -> Iterator:
    """File `index`'s records from the ordered segment stream (pulled while its transaction is open)."""
    while True:
        i, records, last = next(segments)
        if i != index:  # cannot happen: tasks and files are in the same order
            raise RuntimeError(f"parallel ingest out of order: got file {i} while writing file {index}")
        yield from records
        if last:
            return
