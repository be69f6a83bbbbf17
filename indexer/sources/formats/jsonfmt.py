"""JSON Lines (streamed, also gzipped) and whole-file JSON.

JSON Lines: one object per line, read line by line so a 40k-article file is never held in
memory. A bad line is a Skip naming ``path:LINE`` and the JSON error; reading goes on. Lines are
UTF-8 (a UTF-8 BOM is dropped); a line that is not valid UTF-8 is decoded by the rules of
`indexer.sources.encoding`. A line longer than the ``line`` limit is skipped unread. A file
that is UTF-16/32 (BOM or NUL pattern) or read with a forced encoding that is not
ASCII-compatible is decoded whole first (within the ``file`` limit).

JSON: an array of article objects; or an object holding exactly one list of objects (found up
to three levels down, e.g. ``{"data": {"articles": [...]}}``); or a single article object.
An array in UTF-8 (the usual dump) is streamed item by item with ijson, so its size costs no
memory; anything else is parsed whole.
SQuAD-style question-answering files (``data -> paragraphs -> context``) are recognised and
skipped with that reason: their records are not articles. A ``.json`` file that is really
JSON Lines is read as JSON Lines.
"""

from __future__ import annotations

import codecs
import gzip
import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import ijson
import orjson

from indexer.errors import Message, limit_setting
from indexer.limits import human_size
from indexer.sources.article import Skip
from indexer.sources.encoding import detect
from indexer.sources.errors import SourceError
from indexer.sources.fields import record_to_article
from indexer.sources.formats.base import FileContext, Item, loss_notices

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_HEAD_BYTES = 4096
_MAX_DEPTH = 3
#: Items an array may start with that are not objects before it is judged not a list of articles.
_LEADING_NON_OBJECTS = 1000
_READ_CHUNK = 1 << 20

Opener = Callable[[], io.BufferedIOBase]


def read_jsonl_stream(open_binary: Opener, ctx: FileContext) -> Iterator[Item]:
    """Stream a JSON Lines file; `open_binary` opens it (plain or gzip) for reading bytes."""
    with open_binary() as handle:
        head = handle.read(_HEAD_BYTES)
    if _needs_whole_decode(head, ctx.encoding):
        with open_binary() as handle:
            data = handle.read(ctx.limits.file + 1)
        if len(data) > ctx.limits.file:
            yield Skip(ctx.origin, Message(
                f"a UTF-16/32 file larger than {human_size(ctx.limits.file)}, the limit for a file read whole (",
                limit_setting("file"), " raises it)",
            ))
            return
        decoded = detect(data, ctx.origin, ctx.encoding)
        yield from loss_notices(decoded, ctx.origin)
        yield from read_jsonl_lines(decoded.text.split("\n"), ctx)
        return
    lineno = 0
    limit = ctx.limits.line
    try:
        with open_binary() as handle:
            while raw := handle.readline(limit + 1):
                lineno += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    _skip_rest_of_line(handle)
                    yield Skip(f"{ctx.origin}:{lineno}", Message(f"line longer than {human_size(limit)}: not read (", limit_setting("line"), " raises it)"))
                    continue
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                if raw.strip():
                    yield from _read_line(raw, lineno, ctx)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(f"{ctx.origin}:{lineno + 1}", f"corrupt gzip data, rest of file not read: {exc}")


def _skip_rest_of_line(handle: io.BufferedIOBase) -> None:
    """Read past the end of the current line without holding it."""
    while chunk := handle.readline(_READ_CHUNK):
        if chunk.endswith(b"\n"):
            return


def is_json_array_stream(open_binary: Opener, forced: str | None) -> bool:
    """Whether a ``.json`` file is a UTF-8 array that can be streamed: it starts with ``[``
    and its head is UTF-8 (other encodings are detected on the whole file)."""
    if forced is not None and codecs.lookup(forced).name != "utf-8":
        return False
    with open_binary() as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # a cut last character is fine
    except UnicodeDecodeError:
        return False
    return head.lstrip()[:1] == b"["


def read_json_array_stream(open_binary: Opener, ctx: FileContext) -> Iterator[Item]:
    """The items of a UTF-8 JSON array, one at a time. An array whose first items are all
    not objects is not a list of articles: one Skip for the file, as for a parsed one."""
    number = 0
    leading: list[tuple[int, Any]] = []  # non-objects before the first object
    seen_object = False
    try:
        with open_binary() as handle:
            if handle.peek(len(codecs.BOM_UTF8)).startswith(codecs.BOM_UTF8):  # type: ignore[attr-defined]
                handle.read(len(codecs.BOM_UTF8))
            for number, record in enumerate(ijson.items(handle, "item", use_float=True), 1):
                if not seen_object and not isinstance(record, dict):
                    leading.append((number, record))
                    if len(leading) >= _LEADING_NON_OBJECTS:
                        yield Skip(ctx.origin, f"a JSON array whose first {_LEADING_NON_OBJECTS:,} items are not article objects")
                        return
                    continue
                if not seen_object:
                    seen_object = True
                    for earlier, value in leading:
                        yield from _array_item(value, earlier, ctx)
                    leading.clear()
                yield from _array_item(record, number, ctx)
    except ijson.JSONError as exc:
        reason = str(exc).strip().splitlines()[0].removeprefix("b'")
        yield Skip(f"{ctx.origin}#{number + 1}", f"invalid JSON after item {number}, rest of file not read: {reason}")
        return
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(f"{ctx.origin}#{number + 1}", f"corrupt gzip data, rest of file not read: {exc}")
        return
    if leading:
        yield Skip(ctx.origin, "a JSON array without any article objects")


def _array_item(record: Any, number: int, ctx: FileContext) -> Iterator[Item]:
    yield from record_to_article(record, ctx.fields, f"{ctx.origin}#{number}", f"{ctx.file_id}#{number}")


def read_jsonl_lines(lines: Iterable[str], ctx: FileContext) -> Iterator[Item]:
    """JSON Lines from already-decoded text lines."""
    for lineno, line in enumerate(lines, 1):
        if line.strip():
            yield from _parse_line(line, lineno, ctx)


def read_json(text: str, ctx: FileContext) -> Iterator[Item]:
    """A whole JSON document (already decoded)."""
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if _looks_like_jsonl(text):
            yield from read_jsonl_lines(text.split("\n"), ctx)
        else:
            yield Skip(
                ctx.origin, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            )
        return
    records, why = _find_records(doc, ctx, 0)
    if records is None:
        yield Skip(ctx.origin, why)
        return
    for number, record in enumerate(records, 1):
        yield from record_to_article(
            record, ctx.fields, f"{ctx.origin}#{number}", f"{ctx.file_id}#{number}"
        )


def _needs_whole_decode(head: bytes, forced: str | None) -> bool:
    if forced is not None:
        return "\n".encode(forced) != b"\n"
    if head.startswith(_WIDE_BOMS):
        return True
    return head.count(0) * 20 > len(head)  # UTF-16/32 without a BOM


def _read_line(raw: bytes, lineno: int, ctx: FileContext) -> Iterator[Item]:
    origin = f"{ctx.origin}:{lineno}"
    if ctx.encoding is not None:
        try:
            text = raw.decode(ctx.encoding)
        except UnicodeDecodeError as exc:
            yield Skip(origin, f"not valid {ctx.encoding}: {exc.reason} at byte {exc.start}")
            return
        yield from _parse_line(text, lineno, ctx)
        return
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            yield Skip(origin, f"invalid JSON at column {exc.colno}: {exc.msg}")
            return
        try:
            decoded = detect(raw, origin)
        except SourceError as error:
            yield Skip(origin, error.reason)
            return
        yield from loss_notices(decoded, origin)
        yield from _parse_line(decoded.text, lineno, ctx)
        return
    yield from record_to_article(record, ctx.fields, origin, f"{ctx.file_id}#{lineno}")


def _parse_line(line: str, lineno: int, ctx: FileContext) -> Iterator[Item]:
    origin = f"{ctx.origin}:{lineno}"
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        yield Skip(origin, f"invalid JSON at column {exc.colno}: {exc.msg}")
        return
    yield from record_to_article(record, ctx.fields, origin, f"{ctx.file_id}#{lineno}")


def _looks_like_jsonl(text: str) -> bool:
    """Two or more non-empty lines, the first a complete JSON object on its own."""
    lines = [line for line in text.split("\n", 2) if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return isinstance(orjson.loads(lines[0]), dict)
    except orjson.JSONDecodeError:
        return False


def _find_records(doc: Any, ctx: FileContext, depth: int) -> tuple[list[Any] | None, str]:
    """The list of article records in a JSON document, or None and why not."""
    if isinstance(doc, list):
        if doc and not any(isinstance(item, dict) for item in doc):
            return None, "a JSON array without any article objects"
        return doc, ""
    if not isinstance(doc, dict):
        return None, "a single JSON value, not article objects"
    if _is_squad(doc):
        return None, (
            "SQuAD-style question-answering JSON (data -> paragraphs -> context), "
            "not a list of articles"
        )
    values = ctx.fields.resolve(doc)
    if values["title"] is not None or values["body"] is not None:
        return [doc], ""
    lists = {key: value for key, value in doc.items() if _is_object_list(value)}
    if len(lists) == 1:
        return next(iter(lists.values())), ""
    if len(lists) > 1:
        return None, (
            f"an object with several lists of objects ({', '.join(map(str, lists))}); "
            "cannot tell which holds the articles"
        )
    if depth < _MAX_DEPTH:
        nested = [value for value in doc.values() if isinstance(value, dict)]
        found = [_find_records(value, ctx, depth + 1) for value in nested]
        hits = [records for records, _ in found if records is not None]
        if len(hits) == 1:
            return hits[0], ""
    return None, "a JSON object holding no list of article objects"


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def _is_squad(doc: dict[str, Any]) -> bool:
    data = doc.get("data")
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return False
    paragraphs = data[0].get("paragraphs")
    return (
        isinstance(paragraphs, list)
        and bool(paragraphs)
        and isinstance(paragraphs[0], dict)
        and "context" in paragraphs[0]
    )
