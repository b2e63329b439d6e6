"""Files on disk (or uploaded bytes) -> Article records, with readable errors.

Public API:
    iter_files(paths)        the loadable files under files/folders, sorted
    load_file(path)          Articles and LoadErrors of one file, streamed
    load_bytes(data, name)   the same for uploaded bytes (name: extension + messages)

Bad input never raises: every problem becomes a LoadError naming the file, the
line (JSONL, CSV) or the element (JSON array, 1-based) and a reason in plain
words, and the good records next to a bad one still load.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Union

from chipwatch.loading import encoding, records
from chipwatch.loading.assemble import make_article
from chipwatch.loading.page import parse_page
from chipwatch.models import Article, LoadError

__all__ = ["iter_files", "load_file", "load_bytes", "EXTENSIONS"]

EXTENSIONS = (".json", ".jsonl", ".csv", ".html", ".htm", ".txt")
_STREAMED = (".jsonl", ".csv")  # decoded as they are read, line by line

Result = Union[Article, LoadError]
PathLike = Union[str, "os.PathLike[str]"]


def iter_files(paths: Union[PathLike, Iterable[PathLike]]) -> Iterator[Path]:
    """Loadable files: folders are walked recursively (sorted, hidden entries skipped).

    A file named explicitly is yielded whatever its extension or even if it is
    missing, so that load_file can tell the analyst what is wrong with it
    instead of it silently disappearing.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = _walk(path)
        else:
            found = iter([path])
        for f in found:
            key = f.resolve() if f.exists() else f
            if key not in seen:
                seen.add(key)
                yield f


def _walk(folder: Path) -> Iterator[Path]:
    """Loadable files below ``folder`` sorted by their path (only names are collected)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found.extend(Path(dirpath) / name for name in filenames
                     if not name.startswith(".") and name.lower().endswith(EXTENSIONS))
    yield from sorted(found, key=lambda p: p.relative_to(folder).parts)


def load_file(path: PathLike) -> Iterator[Result]:
    """Articles and LoadErrors from one file; JSONL and CSV are read line by line."""
    source = str(path)
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in EXTENSIONS:
        yield _unsupported(source, ext)
        return
    try:
        if p.is_dir():
            yield LoadError(source, "is a folder, not a file (use iter_files to list its files)")
            return
        fh = p.open("rb")
    except FileNotFoundError:
        yield LoadError(source, "file not found")
        return
    except OSError as exc:
        yield LoadError(source, f"file cannot be opened ({exc.strerror or exc})")
        return
    with fh:
        yield from _guarded(fh, source, ext)


def load_bytes(data: bytes, name: str) -> Iterator[Result]:
    """Articles and LoadErrors from uploaded bytes. ``name`` only gives the extension
    and the source shown in messages; nothing is read from or written to that path."""
    source = str(name)
    ext = os.path.splitext(source)[1].lower()
    if ext not in EXTENSIONS:
        yield _unsupported(source, ext)
        return
    yield from _guarded(io.BytesIO(bytes(data)), source, ext)


def _unsupported(source: str, ext: str) -> LoadError:
    what = f"'{ext}'" if ext else "without an extension"
    return LoadError(source, f"unsupported file type {what} (expected {', '.join(EXTENSIONS)})")


def _guarded(fh: BinaryIO, source: str, ext: str) -> Iterator[Result]:
    """_load, with a last-resort net: whatever goes wrong becomes a LoadError."""
    produced = False
    try:
        for item in _load(fh, source, ext):
            produced = True
            yield item
    except OSError as exc:
        yield LoadError(source, f"file could not be read ({exc.strerror or exc})")
    except Exception as exc:  # a bug must not stop a folder load; report it on the file
        yield LoadError(source, f"could not be loaded (internal error: {type(exc).__name__}: {exc})")
    else:
        if not produced:
            yield LoadError(source, "no articles found in the file")


def _load(fh: BinaryIO, source: str, ext: str) -> Iterator[Result]:
    head = fh.read(1)
    if not head:
        yield LoadError(source, "file is empty")
        return
    fh.seek(0)
    try:
        if ext in _STREAMED:
            text_stream, sniffed = encoding.open_text(fh)
            reader = records.load_jsonl if ext == ".jsonl" else records.load_csv
            yield from reader(text_stream, source, sniffed.flags, sniffed.encoding)
            return
        decoded = encoding.decode_detailed(fh.read())
    except encoding.NotTextError:
        yield LoadError(source, "not a text file (binary content)")
        return
    text, flags = decoded.text, list(decoded.flags)
    if not text.strip():
        yield LoadError(source, "file is empty")
        return
    if ext == ".json":
        yield from records.load_json(text, source, flags)
        return
    yield _page_article(text, source, ext, flags)


def _page_article(text: str, source: str, ext: str, flags: list[str]) -> Result:
    # .txt holding markup is a saved page too; .html holding none is read as plain text.
    is_html = ("<" in text) if ext in (".html", ".htm") else None
    parts = parse_page(text, is_html=is_html)
    body = "\n\n".join(parts.paragraphs)
    if not body.strip():
        return LoadError(source, "no article text found on the page")
    return make_article(
        source=source, title=parts.title, body=body, url=parts.url, published=parts.published,
        publisher=parts.publisher, captions=parts.captions, flags=flags + parts.flags,
    )
