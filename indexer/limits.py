"""How big an input may be before it is refused: one place for every size limit of a run.

Real feeds hold mistakes that cost far more than they give: a gzip that expands to
gigabytes, a "line" of JSON that is a whole database dump, an article that is a book. Each
limit below turns such an input into a reported skip instead of gigabytes of memory or a
query that takes minutes, and each can be raised (``corpus index --limit NAME=SIZE``,
``Corpus.index(limits=...)``) by a user who really means it.

=========  ==========  ======================================================================
name       default     what it bounds
=========  ==========  ======================================================================
file       256M        bytes of a file read whole (after decompressing a ``.gz``): JSON
                       objects, CSV, text, HTML, XML. JSON Lines and JSON arrays are
                       streamed one record at a time and are not bounded by it.
line       64M         bytes of one JSON Lines line: the rest of a longer line is not read.
article    8M          UTF-8 bytes of one article's title and body: a longer one is skipped
                       whole (never truncated: what is indexed is what the source says).
listed     1000        skipped records and notices listed one by one in a run's summary;
                       the rest are counted.
=========  ==========  ======================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
_SIZE = re.compile(r"(\d+)\s*([KMG]?)(?:I?B)?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Limits:
    """The size limits of one indexing run (see the module docstring)."""

    file: int = 256 << 20
    line: int = 64 << 20
    article: int = 8 << 20
    listed: int = 1000


#: What a run uses unless told otherwise.
DEFAULT_LIMITS = Limits()


class LimitError(ValueError):
    """A ``--limit`` spec that is not NAME=SIZE with a known name."""


def parse_limits(specs: Iterable[str], base: Limits = DEFAULT_LIMITS) -> Limits:
    """``base`` with each ``NAME=SIZE`` of `specs` applied (SIZE: ``500``, ``64K``, ``2M``,
    ``1G``; ``listed`` takes a plain count). Raises `LimitError` naming the bad spec."""
    names = [f.name for f in fields(Limits)]
    changes: dict[str, int] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip().lower()
        if not sep or name not in names:
            raise LimitError(f"bad --limit {spec!r}: use NAME=SIZE with NAME one of {', '.join(names)}")
        changes[name] = parse_size(value, spec)
    return replace(base, **changes)


def parse_size(text: str, spec: str | None = None) -> int:
    """``64K`` -> 65536: a whole number of bytes with an optional K, M or G (powers of 1024)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None or int(match[1]) < 1:
        raise LimitError(f"bad size {text!r} in --limit {spec or text!r}: use a positive number such as 500, 64K, 2M or 1G")
    return int(match[1]) * _UNITS[match[2].upper()]


def human_size(size: int) -> str:
    """65536 -> ``64K``, 3_500_000 -> ``3.3M``: a size for messages, in the units limits take."""
    for unit in ("G", "M", "K"):
        if size >= _UNITS[unit]:
            value = size / _UNITS[unit]
            return f"{value:.0f}{unit}" if value == int(value) or value >= 100 else f"{value:.1f}{unit}"
    return f"{size} bytes"
