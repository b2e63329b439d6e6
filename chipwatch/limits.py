"""How big an input the loader accepts, as configuration.

Two kinds of file, two kinds of limit:

* whole-document formats (.json, .html, .htm, .txt) must be read into memory
  whole, so a file over ``max_file_bytes`` is refused before it is read (the
  size comes from the file system, or from len() for uploaded bytes);
* streamed formats (.jsonl, .csv) are read line by line and have no file limit:
  a 500 MB JSONL export loads in bounded memory. What is bounded instead is one
  record, ``max_record_bytes``: a JSONL line or CSV row over it is skipped
  without being held in memory and reported with its line number. The same
  limit applies to one element of a .json list and to the text of one page.

``max_json_depth`` bounds how deeply JSON may nest (an article record is a flat
object; a deeper value is not an article and must not reach code that recurses).

Defaults can be overridden with environment variables (megabytes are MiB, and
fractions are allowed: CHIPWATCH_MAX_RECORD_MB=0.5):

    CHIPWATCH_MAX_FILE_MB      whole-document files        (default 200)
    CHIPWATCH_MAX_RECORD_MB    one record / line / page    (default 10)
    CHIPWATCH_MAX_JSON_DEPTH   JSON nesting levels         (default 64)

A value that is not a positive number is ignored with a warning.
"""
from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from typing import Mapping, Optional

MB = 1024 * 1024

ENV_FILE_MB = "CHIPWATCH_MAX_FILE_MB"
ENV_RECORD_MB = "CHIPWATCH_MAX_RECORD_MB"
ENV_JSON_DEPTH = "CHIPWATCH_MAX_JSON_DEPTH"

__all__ = ["Limits", "current", "human_size", "MB", "ENV_FILE_MB", "ENV_RECORD_MB", "ENV_JSON_DEPTH"]


@dataclass(frozen=True)
class Limits:
    """Loader limits; ``Limits.from_env()`` applies the environment variables."""

    max_file_bytes: int = 200 * MB  # .json / .html / .htm / .txt, read whole
    max_record_bytes: int = 10 * MB  # one JSONL line, CSV row, JSON list element or page text
    max_json_depth: int = 64  # nesting levels of a JSON value

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> "Limits":
        env = os.environ if environ is None else environ
        default = cls()
        return cls(
            max_file_bytes=_megabytes(env, ENV_FILE_MB, default.max_file_bytes),
            max_record_bytes=_megabytes(env, ENV_RECORD_MB, default.max_record_bytes),
            max_json_depth=_count(env, ENV_JSON_DEPTH, default.max_json_depth),
        )

    # Texts used in messages, e.g. "200 MB".
    @property
    def file_limit_text(self) -> str:
        return human_size(self.max_file_bytes, limit=True)

    @property
    def record_limit_text(self) -> str:
        return human_size(self.max_record_bytes, limit=True)


def current() -> Limits:
    """The limits in force now (defaults + environment), read at each call."""
    return Limits.from_env()


def human_size(n: int, limit: bool = False) -> str:
    """'50.0 MB', '4.9 KB', '512 bytes'; for a limit a trailing '.0' is dropped ('10 MB')."""
    if n >= MB / 10:
        text, unit = f"{n / MB:.1f}", "MB"
    elif n >= 1024:
        text, unit = f"{n / 1024:.1f}", "KB"
    else:
        return f"{n:,} bytes"
    if limit and text.endswith(".0"):
        text = text[:-2]
    return f"{text} {unit}"


def _megabytes(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        warnings.warn(f"{name}={raw!r} is not a positive number of megabytes; using the default "
                      f"{human_size(default, limit=True)}", RuntimeWarning, stacklevel=3)
        return default
    return max(1, int(value * MB))


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or not str(raw).strip():
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = 0
    if value <= 0:
        warnings.warn(f"{name}={raw!r} is not a positive whole number; using the default {default}",
                      RuntimeWarning, stacklevel=3)
        return default
    return value
