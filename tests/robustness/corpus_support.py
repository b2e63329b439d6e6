"""A synthetic corpus laid out for the ingest robustness tests (crash safety, concurrency)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional


def synthetic_corpus(root: Path, n_articles: int, sizes, seed: int,
                     bad_line_in: Optional[int] = None) -> dict[Path, dict]:
    """A synthetic corpus under root/corpus: JSONL record files of `sizes` records (the
    rest in a last file), the generator's saved pages, and one malformed line in file
    number `bad_line_in`, if given (so rejections are written too).

    Returns {file: {"articles": n, "rejected": n, "hashes": [...]}} as the loader sees it.
    """
    from chipwatch.loading import iter_files, load_file
    from chipwatch.models import LoadError
    from chipwatch.synth import write_corpus

    raw = root / "raw"
    write_corpus(raw, n_articles, seed=seed)
    corpus = root / "corpus"
    (corpus / "records").mkdir(parents=True)
    lines = [ln for f in sorted((raw / "records").glob("*.jsonl"))
             for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]
    start = 0
    for n, size in enumerate(list(sizes) + [len(lines)]):
        chunk = lines[start:start + size]
        start += len(chunk)
        if not chunk:
            break
        if n == bad_line_in:
            chunk = chunk[:10] + ['{"id": "broken", "title": "cut off'] + chunk[10:]
        (corpus / "records" / f"part-{n:02d}.jsonl").write_text("\n".join(chunk) + "\n", encoding="utf-8")
    (raw / "pages").rename(corpus / "pages")

    expected: dict[Path, dict] = {}
    for path in iter_files([corpus]):
        info = {"articles": 0, "rejected": 0, "hashes": []}
        for item in load_file(path):
            if isinstance(item, LoadError):
                info["rejected"] += 1
            else:
                info["articles"] += 1
                info["hashes"].append(item.content_hash)
        expected[path] = info
    all_hashes = [h for info in expected.values() for h in info["hashes"]]
    assert len(all_hashes) == len(set(all_hashes)), "the synthetic corpus repeats an article"
    assert sum(1 for p in expected if p.suffix == ".jsonl") >= len(sizes)
    return expected
