"""What the terminal the CLI writes to wants: colour or not, lines of its width, text
that cannot drive it, and JSON as UTF-8.

Colour follows the conventions other tools follow: ``--color always`` or ``never`` decide;
``auto`` colours a terminal, unless ``NO_COLOR`` is set (https://no-color.org) or
``TERM=dumb`` (a terminal that shows escapes as text).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from typing import TextIO

import orjson

from indexer.errors import Surface, worded
from indexer.query.errors import QueryError

COLOR_CHOICES = ("auto", "always", "never")
#: Lines are never wrapped narrower than this, whatever the terminal says.
MIN_WIDTH = 40


def wants_color(choice: str, stream: TextIO) -> bool:
    """Whether to colour ``stream`` for ``--color choice``."""
    if choice != "auto":
        return choice == "always"
    return stream.isatty() and not os.environ.get("NO_COLOR") and not is_dumb()


def is_dumb() -> bool:
    """``TERM=dumb``: a terminal without cursor control (an editor's shell buffer)."""
    return os.environ.get("TERM") == "dumb"


def width(stream: TextIO) -> int | None:
    """The columns of ``stream`` when it is a terminal; None for a pipe (lines not wrapped)."""
    if not stream.isatty():
        return None
    return max(shutil.get_terminal_size().columns, MIN_WIDTH)


_SPACES = re.compile(r"\s+")


def collapse_spaces(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each run of whitespace made one space, and ``spans`` moved with it."""
    out: list[str] = []
    new_index = [0] * (len(text) + 1)  # old offset -> new offset
    last = 0
    for match in _SPACES.finditer(text):
        for i in range(last, match.start()):
            new_index[i] = len(out)
            out.append(text[i])
        for i in range(match.start(), match.end()):
            new_index[i] = len(out)
        out.append(" ")
        last = match.end()
    for i in range(last, len(text)):
        new_index[i] = len(out)
        out.append(text[i])
    new_index[len(text)] = len(out)
    return "".join(out), [(new_index[s], new_index[e]) for s, e in spans]


def cells(text: str) -> int:
    """Columns ``text`` takes on a terminal: combining marks (Arabic diacritics) none, wide
    (East Asian) characters two."""
    return sum(
        0 if unicodedata.combining(c) or unicodedata.category(c) == "Cf" else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def wrap_points(text: str, columns: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text`` wrapped at spaces to ``columns``; a word
    longer than a line gets a line of its own (a terminal folds it)."""
    lines: list[tuple[int, int]] = []
    start = 0
    used = 0
    line_end = 0
    for match in re.finditer(r"\S+", text):
        word = cells(match.group())
        if line_end > start and used + 1 + word > columns:
            lines.append((start, line_end))
            start, used = match.start(), 0
        used += (1 if match.start() > start else 0) + word
        line_end = match.end()
    if line_end > start:
        lines.append((start, line_end))
    return lines


#: Control characters, which an article could use to drive the terminal (clear it, set its
#: title, write the clipboard), shown as U+FFFD; line breaks and tabs as spaces. One
#: character for one, so highlight offsets still land.
_FOR_PEOPLE = {c: "\ufffd" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))} | {
    ord(c): " " for c in "\t\n\v\f\r"
}


def plural(count: int, noun: str) -> str:
    """``1 document``, ``2 documents``, ``12,000 documents``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def for_people(text: str) -> str:
    """``text`` made safe to print on a terminal (JSON output keeps the text as it is)."""
    return text.translate(_FOR_PEOPLE)


def not_utf8(argument: str) -> str | None:
    """What is wrong with a command-line ``argument`` whose bytes are not UTF-8 (a
    terminal set to cp1256 or ISO-8859-6; Python keeps such bytes as lone surrogates), or
    None when it is text."""
    raw = argument.encode("utf-8", "surrogateescape")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        shown = raw.decode("utf-8", "replace")
        return (
            f"the argument {shown!r} is not UTF-8 text (byte 0x{raw[error.start]:02X} at byte {error.start}):"
            " set the terminal to UTF-8 (LANG=C.UTF-8) and type it again"
        )
    return None


def query_error_lines(error: QueryError) -> str:
    """A query's error for a terminal: its line, then the query with a ``^`` under the
    position; only the line for a blank query, where there is nothing to point at."""
    if error.query is None or not error.query.strip():
        return str(error)
    return f"{error}\n{error.caret()}"


def print_json(data) -> None:
    """Write one JSON document to stdout, Arabic as UTF-8 (not \\u escapes), each reported
    ``Message`` (a skipped file's reason) in the command line's words."""
    sys.stdout.buffer.write(orjson.dumps(data, default=_for_the_command_line, option=orjson.OPT_PASSTHROUGH_SUBCLASS) + b"\n")
    sys.stdout.flush()


def _for_the_command_line(value: object) -> object:
    """What ``print_json`` writes for a subclass of str, int, dict or list (orjson hands them here)."""
    if isinstance(value, str):
        return worded(value, Surface.CLI)
    for plain in (bool, int, dict, list):
        if isinstance(value, plain):
            return plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON")
