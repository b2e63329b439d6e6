"""Files on disk (or uploaded bytes) -> Article records, with readable errors.

Public API:
    iter_files(paths)        the loadable files under files/folders, sorted
    load_file(path)          Articles and LoadErrors of one file, streamed
    load_bytes(data, name)   the same for uploaded bytes (name: extension + messages)

Bad input never raises: every problem becomes a LoadError naming the file, the
line (JSONL, CSV) or the element (JSON array, 1-based) and a reason in plain
words, and the good records next to a bad one still load.

Sizes are bounded by ``chipwatch.limits.Limits`` (defaults, or the environment
variables CHIPWATCH_MAX_FILE_MB / CHIPWATCH_MAX_RECORD_MB / CHIPWATCH_MAX_JSON_DEPTH,
or a ``limits=`` argument): whole-document files (.json .html .htm .txt) over the
file limit are refused before they are read; JSONL and CSV stream with no file
limit, and a line or row over the record limit is skipped (never held whole in
memory) and reported.
"""
from __future__ import annotations

import io
import os
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator, Optional, Union

from chipwatch.limits import ENV_FILE_MB, ENV_RECORD_MB, Limits, current, human_size
from chipwatch.loading import encoding, records
from chipwatch.loading.assemble import make_article, tidy
from chipwatch.loading.lines import utf8_size
from chipwatch.loading.page import parse_page
from chipwatch.models import Article, LoadError

__all__ = ["iter_files", "load_file", "load_bytes", "EXTENSIONS", "Limits"]

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


def load_file(path: PathLike, limits: Optional[Limits] = None) -> Iterator[Result]:
    """Articles and LoadErrors from one file; JSONL and CSV are read line by line.

    ``limits``: size limits (default: ``chipwatch.limits.current()``, i.e. the
    defaults with the CHIPWATCH_MAX_* environment variables applied).
    """
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
        try:
            size: Optional[int] = os.fstat(fh.fileno()).st_size
        except OSError:
            size = None
        yield from _guarded(fh, source, ext, size, limits or current())


def load_bytes(data: bytes, name: str, limits: Optional[Limits] = None) -> Iterator[Result]:
    """Articles and LoadErrors from uploaded bytes. ``name`` only gives the extension
    and the source shown in messages; nothing is read from or written to that path."""
    source = str(name)
    ext = os.path.splitext(source)[1].lower()
    if ext not in EXTENSIONS:
        yield _unsupported(source, ext)
        return
    data = bytes(data)
    yield from _guarded(io.BytesIO(data), source, ext, len(data), limits or current())


def _unsupported(source: str, ext: str) -> LoadError:
    what = f"'{ext}'" if ext else "without an extension"
    return LoadError(source, f"unsupported file type {what} (expected {', '.join(EXTENSIONS)})")


def _guarded(fh: BinaryIO, source: str, ext: str, size: Optional[int], limits: Limits) -> Iterator[Result]:
    """_load, with a last-resort net: whatever goes wrong becomes a LoadError."""
    produced = False
    try:
        for item in _load(fh, source, ext, size, limits):
            produced = True
            yield item
    except OSError as exc:
        yield LoadError(source, f"file could not be read ({exc.strerror or exc})")
    except MemoryError:
        yield LoadError(source, f"could not be loaded: not enough memory for a file this size (split it; a .json "
                                f"list can be saved as .jsonl; {ENV_FILE_MB} sets the largest file read whole)")
    except RecursionError:
        yield LoadError(source, "could not be loaded: its structure is nested too deeply")
    except Exception as exc:  # a bug must not stop a folder load; report it on the file
        yield LoadError(source, f"could not be loaded (internal error: {type(exc).__name__}: {exc})")
    else:
        if not produced:
            yield LoadError(source, "no articles found in the file")


def _load(fh: BinaryIO, source: str, ext: str, size: Optional[int], limits: Limits) -> Iterator[Result]:
    head = fh.read(1)
    if not head:
        yield LoadError(source, "file is empty")
        return
    fh.seek(0)
    streamed = ext in _STREAMED
    if not streamed and size is not None and size > limits.max_file_bytes:
        yield _file_too_big(source, ext, size, limits)
        return
    try:
        if streamed:
            text_stream, sniffed = encoding.open_text(fh)
            reader = records.load_jsonl if ext == ".jsonl" else records.load_csv
            yield from reader(text_stream, source, sniffed.flags, sniffed.encoding, limits=limits)
            return
        data = fh.read(limits.max_file_bytes + 1)  # bounded even when the size was unknown or wrong
        if len(data) > limits.max_file_bytes:
            yield _file_too_big(source, ext, None, limits)
            return
        decoded = encoding.decode_detailed(data)
        del data
    except encoding.NotTextError:
        yield LoadError(source, "not a text file (binary content)")
        return
    text, flags = decoded.text, list(decoded.flags)
    del decoded
    if not text.strip():
        yield LoadError(source, "file is empty")
        return
    if ext == ".json":
        yield from records.load_json(text, source, flags, limits=limits)
        return
    yield _page_article(text, source, ext, flags, limits)


def _file_too_big(source: str, ext: str, size: Optional[int], limits: Limits) -> LoadError:
    what = f"is {human_size(size)}" if size is not None else "is larger than that"
    advice = ("split it or save it as .jsonl (JSON Lines load record by record, with no file limit)"
              if ext == ".json" else "a saved page holds one article: is this the right file?")
    return LoadError(source, f"file {what}, over the {limits.file_limit_text} limit for {ext} files "
                             f"({ENV_FILE_MB}); {advice}")


def _page_article(text: str, source: str, ext: str, flags: list[str], limits: Limits) -> Result:
    # .txt holding markup is a saved page too; .html holding none is read as plain text.
    is_html = ("<" in text) if ext in (".html", ".htm") else None
    if ext == ".txt":
        # A text file is one article: its text is the record (markup and all, for a portal scrape).
        size = utf8_size(text)
        if size > limits.max_record_bytes:
            return LoadError(source, f"the text is {human_size(size)}, over the {limits.record_limit_text} limit "
                                     f"per record ({ENV_RECORD_MB}); a .txt file holds one article")
    parts = parse_page(text, is_html=is_html)
    body = "\n\n".join(parts.paragraphs)
    if not tidy(body):
        return LoadError(source, "no article text found on the page")
    size = utf8_size(parts.title) + utf8_size(body)
    if size > limits.max_record_bytes:
        return LoadError(source, f"the article text on the page is {human_size(size)}, over the "
                                 f"{limits.record_limit_text} limit per record ({ENV_RECORD_MB})")
    return make_article(
        source=source, title=parts.title, body=body, url=parts.url, published=parts.published,
        publisher=parts.publisher, captions=parts.captions, flags=flags + parts.flags,
    )
