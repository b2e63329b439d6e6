"""Physical lines of a text stream, each one read with a bounded readline.

JSONL and CSV files are read line by line so that a file of any size loads in
bounded memory; iterating a text file directly would still build a whole line
in memory, and a "line" can be 500 MB (a JSON export without newlines, a
corrupt file). Here a line is read with ``readline(limit + 1)``; when it goes
on past the limit, the rest of it is read in small pieces, measured and
dropped, and an ``Oversized`` marker with its size stands in for its text.
"""
from __future__ import annotations

from typing import NamedTuple, TextIO, Union

SKIP_CHARS = 1 << 20  # piece size when skipping the rest of an oversized line
_MEASURE_CHARS = 1 << 20  # encode at most this many characters at a time to measure


class Oversized(NamedTuple):
    """A line over the limit: its size in bytes (as UTF-8), its text dropped."""

    size: int
    quotes: int = 0  # '"' characters in it (CSV uses the parity to find where a record ends)


def utf8_size(text: str) -> int:
    """Bytes of ``text`` as UTF-8, without a full-size copy of a long string."""
    if text.isascii():
        return len(text)
    return sum(len(text[i:i + _MEASURE_CHARS].encode("utf-8", "surrogatepass"))
               for i in range(0, len(text), _MEASURE_CHARS))


class BoundedLines:
    """Iterate ``stream`` (a text stream) as lines of at most ``max_bytes`` bytes.

    Yields each line (with its newline) or ``Oversized(size)`` for a line that is
    longer; ``count`` is the number of physical lines read so far, so callers
    (the CSV reader) can tell which line a record started on.
    """

    def __init__(self, stream: TextIO, max_bytes: int, start: int = 0):
        self.stream = stream
        self.max_bytes = max(1, int(max_bytes))
        self.count = start

    def __iter__(self) -> "BoundedLines":
        return self

    def __next__(self) -> Union[str, Oversized]:
        # A character is at least one byte, so max_bytes + 1 characters are over the limit.
        line = self.stream.readline(self.max_bytes + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if line.endswith("\n") or len(line) <= self.max_bytes:
            if len(line) * 4 <= self.max_bytes:  # a UTF-8 character is at most 4 bytes
                return line
            size = utf8_size(line)
            return line if size <= self.max_bytes else Oversized(size, line.count('"'))
        size, quotes = utf8_size(line), line.count('"')
        del line
        while True:  # the rest of the line: measured, not kept
            piece = self.stream.readline(SKIP_CHARS)
            size += utf8_size(piece)
            quotes += piece.count('"')
            if not piece or piece.endswith("\n"):
                return Oversized(size, quotes)
