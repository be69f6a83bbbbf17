"""CSV and TSV files: one article per row, keys from the header row.

CSV follows the usual quoting (fields with commas, quotes and newlines in double quotes). TSV
has no quoting at all (the IANA text/tab-separated-values format), so a field that happens to
start with ``"`` is read as written. The file is decoded whole, then parsed row by row.

Header row: the first row is a header when one of its cells names a field (see
`indexer.sources.fields`) or when all its cells look like column names (short, with a letter).
Otherwise the file has no header (the first row is data, e.g. ``1:1-4<TAB>long text``) and its
columns are keyed ``1``, ``2``, ...: ``--field id=1 --field body=2`` maps them.

A file where no column can feed the title or the body is skipped whole, with the columns it
has and the ``--field`` option that would fix it, rather than as one Skip per row.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
import threading
from collections.abc import Iterator
from typing import Any

from indexer.errors import Message, field_setting
from indexer.sources.article import Notice, Skip
from indexer.sources.fields import FieldMap, record_to_article
from indexer.sources.formats.base import FileContext, Item

_NAME_MAX_CHARS = 40
_NAME_MAX_WORDS = 4
_SHOWN_COLUMNS = 12


def read_table(text: str, ctx: FileContext, delimiter: str) -> Iterator[Item]:
    """Rows of a decoded CSV (`delimiter` ",") or TSV ("\\t") file as articles."""
    parsed, error = _parse(text, delimiter)
    rows = iter(parsed)
    first = next(rows, None)
    if first is None and error is None:
        yield Skip(ctx.origin, "empty file (no rows)")
        return
    if first is not None:
        has_header = _is_header(first[1], ctx.fields)
        keys = first[1] if has_header else [str(n) for n in range(1, len(first[1]) + 1)]
        problem = _no_text_columns(keys, has_header, ctx.fields)
        if problem:
            yield Skip(ctx.origin, problem)
            return
        data_rows = rows if has_header else itertools.chain([first], rows)
        for number, (line, row) in enumerate(data_rows, 1):
            yield from _row(row, keys, line, number, ctx)
    if error is not None:
        line, message = error
        yield Skip(f"{ctx.origin}:{line}", f"CSV error, rest of file not read: {message}")


#: csv's field size limit is the whole process's: it is raised only while a file parses
#: (article bodies exceed its 128 KiB default) and put back for the app's own CSV, under
#: this lock so that two files parsing at once do not put back each other's.
_FIELD_LIMIT_LOCK = threading.Lock()
_LARGEST_FIELD = min(sys.maxsize, 2**31 - 1)


def _parse(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], tuple[int, str] | None]:
    """The non-blank rows of ``text`` with the line each starts on, and (line, message)
    of the error that stopped the parse, if one did."""
    stream = io.StringIO(text, newline="")
    if delimiter == "\t":
        reader = csv.reader(stream, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(stream, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    with _FIELD_LIMIT_LOCK:
        previous = csv.field_size_limit()
        if len(text) > previous:  # no field is longer than the file
            csv.field_size_limit(_LARGEST_FIELD)
        try:
            rows.extend(_rows(reader))
        except csv.Error as exc:
            return rows, (reader.line_num, str(exc))
        finally:
            csv.field_size_limit(previous)
    return rows, None


def _rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on (a quoted field may span lines)."""
    while True:
        start = reader.line_num + 1
        row = next(reader, None)
        if row is None:
            return
        if any(cell.strip() for cell in row):
            yield start, row


def _row(
    row: list[str], keys: list[str], line: int, number: int, ctx: FileContext
) -> Iterator[Item]:
    origin = f"{ctx.origin}:{line}"
    if len(row) != len(keys):
        yield Notice(origin, f"row has {len(row)} fields, the header has {len(keys)}")
    record = dict(zip(keys, row, strict=False))  # a short row leaves keys out
    for extra in range(len(keys), len(row)):
        record[str(extra + 1)] = row[extra]
    yield from record_to_article(record, ctx.fields, origin, f"{ctx.file_id}#{number}")


def _is_header(row: list[str], fields: FieldMap) -> bool:
    if any(fields.knows(cell) for cell in row):
        return True
    cells = [cell.strip() for cell in row if cell.strip()]
    return all(_name_like(cell) for cell in cells)


def _name_like(cell: str) -> bool:
    return (
        len(cell) <= _NAME_MAX_CHARS
        and len(cell.split()) <= _NAME_MAX_WORDS
        and any(ch.isalpha() for ch in cell)
    )


def _no_text_columns(keys: list[str], has_header: bool, fields: FieldMap) -> str:
    """Why no row can become an article, or "" if some column feeds a title or body."""
    if fields.find_key("title", keys) or fields.find_key("body", keys):
        return ""
    if not has_header:
        return Message(
            f"no header row (the first row looks like data) and no mapping of a column to the title or body: columns"
            f" are numbered 1..{len(keys)}, e.g. ", field_setting("body", str(len(keys))),
        )
    shown = ", ".join(keys[:_SHOWN_COLUMNS]) + (", ..." if len(keys) > _SHOWN_COLUMNS else "")
    return Message(f"no title or body column (columns: {shown}); map one with ", field_setting("body", "COLUMN"))
