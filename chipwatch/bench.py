"""The benchmark: how Chipwatch's costs grow with the corpus (python -m chipwatch bench).

For each size it writes a synthetic corpus (chipwatch.synth) and measures, in a
fresh child process so peak memory is that size's own:

- the floor: reading and decoding the same files with no parsing or extraction,
  and loading them (parsing pages and records) with no extraction;
- extraction throughput with one worker (in process) and with all workers;
- ingest wall time (all workers, one writer) and the store's size on disk;
- the cold load of the dashboard's DataFrames from the store;
- every page's script run under Streamlit's AppTest after a filter change
  (median of 5), and its ratio to the same page at the smallest size;
- peak resident memory of the measuring process and of its worker processes.

Figures are printed and written as JSON; nothing here asserts a timing.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Optional

from chipwatch.paths import REPO_ROOT

PAGE_SCRIPTS = ["app.py", "pages/1_Chip_generations.py", "pages/2_Export_status.py",
                "pages/3_Stakeholder_stances.py", "pages/4_Articles.py", "pages/5_Load_articles.py"]
PAGE_RUNS = 5


def _rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def _extract_files(paths: list[str]) -> tuple[int, float]:
    """Worker task: load and extract files; return (articles, the worker's peak RSS in MB).
    The extractions themselves stay in the worker: this measures extraction, not transfer."""
    from chipwatch.extract import extract
    from chipwatch.knowledge import load_knowledge
    from chipwatch.loading import load_file
    from chipwatch.models import Article

    kb = load_knowledge()
    n = 0
    for p in paths:
        for item in load_file(p):
            if isinstance(item, Article):
                extract(item, kb)
                n += 1
    return n, _rss_mb()


def _extract_articles(articles: list) -> tuple[int, float]:
    """Worker task: extract a chunk of loaded articles; return (count, the worker's peak RSS in MB)."""
    from chipwatch.extract import extract
    from chipwatch.knowledge import load_knowledge

    kb = load_knowledge()
    for article in articles:
        extract(article, kb)
    return len(articles), _rss_mb()


def _article_chunks(files: list[Path], size: int = 200):
    """Loaded articles in chunks, streamed: big record files are spread over every worker."""
    from chipwatch.loading import load_file
    from chipwatch.models import Article

    chunk = []
    for f in files:
        for item in load_file(f):
            if isinstance(item, Article):
                chunk.append(item)
                if len(chunk) == size:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def _extract_parallel(files: list[Path], workers: int) -> tuple[int, float]:
    """Extract every article with a pool, at most 2 x workers chunks in flight (bounded memory)."""
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    pool = ctx.Pool(workers)
    done, worker_rss, pending = 0, 0.0, []
    try:
        for chunk in _article_chunks(files):
            pending.append(pool.apply_async(_extract_articles, (chunk,)))
            while len(pending) >= 2 * workers:
                n, rss = pending.pop(0).get()
                done, worker_rss = done + n, max(worker_rss, rss)
        for task in pending:
            n, rss = task.get()
            done, worker_rss = done + n, max(worker_rss, rss)
    finally:
        pool.close()
        pool.join()
    return done, worker_rss


def _page_times(db_path: Path) -> dict:
    """Median seconds of each page's rerun after a filter change, under Streamlit's AppTest
    (see chipwatch_ui.page_timing for what it returns).

    Runs in a subprocess (chipwatch_ui.page_timing): the chipwatch package never imports streamlit."""
    proc = subprocess.run([sys.executable, "-m", "chipwatch_ui.page_timing", str(db_path), str(PAGE_RUNS)],
                          cwd=REPO_ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"page timing failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_size(n: int, workdir: Path, workers: int, seed: int = 7, pages: bool = True) -> dict:
    """Every figure for one corpus size (runs in the calling process)."""
    from chipwatch.frames import load_frames
    from chipwatch.knowledge import load_knowledge
    from chipwatch.loading import iter_files, load_file
    from chipwatch.loading.encoding import decode
    from chipwatch.models import Article
    from chipwatch.parallel import ingest_files
    from chipwatch.store import Store
    from chipwatch.synth import write_corpus

    kb = load_knowledge()
    corpus = workdir / f"corpus-{n}"
    summary = write_corpus(corpus, n, seed=seed, kb=kb)
    files = list(iter_files([corpus / d for d in ("records", "pages") if (corpus / d).exists()]))
    total_bytes = sum(f.stat().st_size for f in files)
    mb = total_bytes / 1e6
    r: dict = {"articles": n, "files": len(files), "corpus_mb": round(mb, 2), "synth_s": round(summary.seconds, 2)}

    started = time.perf_counter()
    for f in files:
        decode(f.read_bytes())
    floor_s = time.perf_counter() - started
    started = time.perf_counter()
    loaded = sum(isinstance(item, Article) for f in files for item in load_file(f))
    load_s = time.perf_counter() - started
    r.update(floor_read_decode_s=round(floor_s, 3), floor_mb_s=round(mb / floor_s, 1),
             load_no_extraction_s=round(load_s, 3), load_articles_s=round(loaded / load_s, 1))

    started = time.perf_counter()
    count, _ = _extract_files([str(f) for f in files])
    one_s = time.perf_counter() - started
    r.update(extract_1_worker_s=round(one_s, 2), extract_1_articles_s=round(count / one_s, 1),
             extract_1_mb_s=round(mb / one_s, 2), extract_vs_floor=round(one_s / floor_s, 1),
             extract_vs_load=round(one_s / load_s, 1))

    started = time.perf_counter()
    # Loading is part of it (in this process, streamed to the workers), as in an ingest.
    done, worker_rss = _extract_parallel(files, workers)
    all_s = time.perf_counter() - started
    r.update(workers=workers, extract_all_s=round(all_s, 2), extract_all_articles_s=round(done / all_s, 1),
             extract_all_mb_s=round(mb / all_s, 2))

    db = workdir / f"store-{n}.db"
    started = time.perf_counter()
    with Store(db, kb=kb) as store:
        for _ in ingest_files(store, files, workers):
            pass
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stored = store.count()
    ingest_s = time.perf_counter() - started
    store_mb = sum(p.stat().st_size for p in workdir.glob(f"store-{n}.db*")) / 1e6
    r.update(ingest_s=round(ingest_s, 2), ingest_articles_s=round(stored / ingest_s, 1),
             stored_articles=stored, store_mb=round(store_mb, 1))

    started = time.perf_counter()
    frames = load_frames(db, kb)
    r.update(frames_cold_load_s=round(time.perf_counter() - started, 3),
             frame_rows={"articles": len(frames.articles), "mentions": len(frames.mentions),
                         "quotes": len(frames.quotes), "status": len(frames.status)})
    del frames
    if pages:
        timed = _page_times(db)
        r["page_rerun_s"] = {k: round(v, 4) for k, v in timed["pages"].items()}
        r["page_new_filter_s"] = {k: round(v, 4) for k, v in timed["new_filter"].items()}
        r["peak_rss_dashboard_mb"] = timed["peak_rss_mb"]
    r["peak_rss_mb"] = round(_rss_mb(), 1)
    r["peak_rss_workers_mb"] = round(worker_rss, 1)
    return r


def _child(n: int, workdir: str, workers: int, seed: int, pages: bool, conn) -> None:
    try:
        conn.send(("ok", measure_size(n, Path(workdir), workers, seed, pages)))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def run_bench(sizes: list[int], workers: Optional[int] = None, seed: int = 7, pages: bool = True,
              workdir: Optional[Path] = None, log: Callable[[str], None] = print) -> dict:
    """Measure each size in its own child process; return {"machine": ..., "sizes": [...]}."""
    workers = workers or os.cpu_count() or 1
    ctx = multiprocessing.get_context("spawn")
    results = []
    with tempfile.TemporaryDirectory(prefix="chipwatch-bench-", dir=workdir) as tmp:
        for n in sizes:
            log(f"measuring {n:,} articles ...")
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(n, tmp, workers, seed, pages, child))
            proc.start()
            child.close()
            status, payload = parent.recv()
            proc.join()
            if status != "ok":
                raise RuntimeError(f"benchmark at {n:,} articles failed: {payload}")
            results.append(payload)
            log(format_row(payload))
    base = results[0].get("page_rerun_s", {}) if results else {}
    for r in results:
        if "page_rerun_s" in r:
            r["page_ratio_to_smallest"] = {k: round(v / base[k], 2) for k, v in r["page_rerun_s"].items()
                                           if base.get(k)}
    return {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "workers": workers},
            "sizes": results}


def format_row(r: dict) -> str:
    return (f"  {r['articles']:,} articles, {r['corpus_mb']} MB: extraction {r['extract_1_articles_s']:,} art/s "
            f"(1 worker), {r['extract_all_articles_s']:,} art/s ({r['workers']} workers); ingest {r['ingest_s']} s; "
            f"frames {r['frames_cold_load_s']} s; peak RSS {r['peak_rss_mb']} MB")


def format_table(report: dict) -> str:
    """The README's table: one column per size."""
    rows = report["sizes"]
    head = "| measure | " + " | ".join(f"{r['articles']:,} articles" for r in rows) + " |"
    lines = [head, "|---|" + "---:|" * len(rows)]

    def add(label: str, fn) -> None:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in rows) + " |")

    add("corpus (files, MB)", lambda r: f"{r['files']:,} files, {r['corpus_mb']:,.1f} MB")
    add("floor: read + decode (MB/s)", lambda r: f"{r['floor_mb_s']:,.0f}")
    add("load, no extraction (articles/s)", lambda r: f"{r['load_articles_s']:,.0f}")
    add("extraction, 1 worker (articles/s, MB/s)", lambda r: f"{r['extract_1_articles_s']:,.0f}, {r['extract_1_mb_s']:.2f}")
    add("extraction, all workers (articles/s, MB/s)",
        lambda r: f"{r['extract_all_articles_s']:,.0f}, {r['extract_all_mb_s']:.2f}")
    add("extraction ÷ read-decode floor (time ratio)", lambda r: f"{r['extract_vs_floor']:,.0f}×")
    add("ingest wall time, all workers (s)", lambda r: f"{r['ingest_s']:,.1f}")
    add("store size (MB)", lambda r: f"{r['store_mb']:,.1f}")
    add("cold DataFrame load (s)", lambda r: f"{r['frames_cold_load_s']:.2f}")
    if all("page_rerun_s" in r for r in rows):
        for script in PAGE_SCRIPTS:
            name = Path(script).stem.split("_", 1)[-1].replace("_", " ") if script != "app.py" else "Overview"
            add(f"page rerun after filter change: {name} (ms, × smallest)",
                lambda r, s=script: f"{r['page_rerun_s'][s] * 1000:,.0f} ({r['page_ratio_to_smallest'].get(s, 1):.1f}×)")
    if all("page_new_filter_s" in r for r in rows):
        for script in PAGE_SCRIPTS:
            name = Path(script).stem.split("_", 1)[-1].replace("_", " ") if script != "app.py" else "Overview"
            add(f"page rerun, filter never seen before: {name} (ms)",
                lambda r, s=script: f"{r['page_new_filter_s'][s] * 1000:,.0f}")
    add("peak RSS, measuring process (MB)", lambda r: f"{r['peak_rss_mb']:,.0f}")
    if all("peak_rss_dashboard_mb" in r for r in rows):
        add("peak RSS, dashboard under AppTest, every page (MB)", lambda r: f"{r['peak_rss_dashboard_mb']:,.0f}")
    add("peak RSS, largest worker (MB)", lambda r: f"{r['peak_rss_workers_mb']:,.0f}")
    return "\n".join(lines)


def write_json_atomic(path: Path, report: dict) -> None:
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=1), encoding="utf-8")
    os.replace(tmp, path)
