"""Pick the reader for a file, by its extension or, failing that, by its content.

=====================  ==============================================================
``.jsonl .ndjson``     JSON Lines, streamed (`jsonfmt`)
``.json``              JSON array / object holding a list (`jsonfmt`)
``.csv`` / ``.tsv``    rows with a header (`table`)
``.txt .text``         one article: first line title, rest body (`text`)
``.srt``               one article: the subtitle lines (`text`)
``.html .htm .xhtml``  one article: main text via trafilatura (`markup`)
``.xml``               one article: TEI header title + text, or all text (`markup`)
``.gz``                decompressed as it is read, then by the name without ``.gz`` (or content)
known binary types     Skip "unsupported file type .pdf" (also for binary magic numbers)
anything else          in a directory: Skip (a README.md is not an article), unless
                       ``file_format`` (``--format``) names the format to read it as;
                       a file named on its own: sniffed, ``{``/``[`` JSON (or JSON
                       Lines), ``<html`` HTML, ``<?xml`` or ``<tag`` XML, subtitle cues
                       SRT, other text plain text; binary data is a Skip
=====================  ==============================================================

JSON Lines and JSON arrays (UTF-8, the usual case) are streamed one record at a time; every
other file is read whole, up to the run's ``file`` limit (`indexer.limits`), counted after
decompression so a gzip bomb is refused after that many bytes, not after it filled memory.

Nothing here raises for a bad file: undecodable, unreadable or corrupt files become a Skip, and
so does a file that makes a parser fail unexpectedly (the Skip names the exception).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

from indexer.errors import Message, example, limit_setting
from indexer.limits import DEFAULT_LIMITS, Limits, human_size
from indexer.sources.article import Skip
from indexer.sources.errors import SourceError
from indexer.sources.fields import FieldMap
from indexer.sources.formats.base import FileContext, Item, decode_file
from indexer.sources.formats.jsonfmt import (
    is_json_array_stream,
    read_json,
    read_json_array_stream,
    read_jsonl_lines,
    read_jsonl_stream,
)
from indexer.sources.formats.markup import html_article, read_html, read_xml, xml_article
from indexer.sources.formats.table import read_table
from indexer.sources.formats.text import SRT_START, read_srt, read_text
from indexer.sources.metering import FileMeter
from indexer.sources.walk import SourceFile

__all__ = ["FORMATS", "read_file"]

#: What reads a file whose extension names no format.
READ_AS = example("file_format", "NAME", flag="--format")

_KINDS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".txt": "text",
    ".text": "text",
    ".srt": "srt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "xml",
}
#: The names ``--format`` takes.
FORMATS = tuple(dict.fromkeys(_KINDS.values()))
_BINARY_EXTENSIONS = frozenset(
    (
        *(".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".ppt", ".pptx", ".epub"),
        *(".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar"),
        *(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".ico"),
        *(".mp3", ".mp4", ".wav", ".ogg", ".avi", ".mov", ".mkv"),
        *(".exe", ".dll", ".so", ".bin", ".pyc", ".db", ".sqlite"),
        *(".woff", ".woff2", ".ttf", ".otf"),
    )
)
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf", "7-Zip"),
    (b"Rar!", "RAR"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ", "xz"),
    (b"SQLite format 3", "SQLite"),
)
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_XML_START = re.compile(r"\A\s*<(?:\?xml|[A-Za-z_])")


def read_file(
    source: SourceFile,
    fields: FieldMap,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    meter: FileMeter | None = None,
    file_format: str | None = None,
) -> Iterator[Item]:
    """All Articles, Skips and Notices of one file; ``meter`` counts the bytes read;
    ``file_format`` (one of ``FORMATS``) reads a file whose extension is none of ours."""
    ctx = FileContext(source.origin, source.file_id, fields, encoding, limits)
    meter = meter or FileMeter(0, lambda n: None)
    try:
        yield from _dispatch(source, ctx, meter, file_format)
    except SourceError as exc:
        yield Skip(ctx.origin, exc.reason)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield Skip(ctx.origin, f"corrupt gzip data: {exc}")
    except OSError as exc:
        yield Skip(ctx.origin, f"cannot read file: {exc.strerror or exc}")
    except Exception as exc:  # a parser choking on one odd file must not stop the whole run
        yield Skip(ctx.origin, f"could not be read ({type(exc).__name__}: {exc})")


def _dispatch(source: SourceFile, ctx: FileContext, meter: FileMeter, file_format: str | None) -> Iterator[Item]:
    path = source.path
    name = path.name.lower()
    suffix = Path(name).suffix
    if suffix in _BINARY_EXTENSIONS:
        yield Skip(ctx.origin, f"unsupported file type {suffix}")
        return
    gzipped = suffix == ".gz" or _starts_with(path, _GZIP_MAGIC)
    inner = Path(name[:-3] if suffix == ".gz" else name).suffix
    kind = _KINDS.get(inner) or file_format
    if kind is None and not source.named:
        shown = f"{inner} files" if inner else "files without an extension"
        yield Skip(ctx.origin, Message(f"{shown} are not read (not a format corpus lists); ", READ_AS, " reads them as NAME"))
        return
    if gzipped:
        yield from _read_opened(lambda: gzip.open(meter.open(path), "rb"), inner, kind, ctx)  # noqa: SIM115
        return
    yield from _read_opened(lambda: meter.open(path), inner, kind, ctx)


def _read_opened(open_binary, suffix: str, kind: str | None, ctx: FileContext) -> Iterator[Item]:  # type: ignore[no-untyped-def]
    """A file that `open_binary` opens (plain or gzip), read as ``kind`` (None: sniffed):
    streamed if it can be, else read whole up to the ``file`` limit."""
    if kind == "jsonl":
        yield from read_jsonl_stream(open_binary, ctx)
        return
    if kind == "json" and is_json_array_stream(open_binary, ctx.encoding):
        yield from read_json_array_stream(open_binary, ctx)
        return
    limit = ctx.limits.file
    with open_binary() as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        yield Skip(
            ctx.origin,
            Message(
                f"larger than {human_size(limit)}, the limit for a file read whole (", limit_setting("file"),
                " raises it; JSON Lines files are streamed instead)",
            ),
        )
        return
    yield from _read_bytes(data, suffix, kind, ctx)


def _read_bytes(data: bytes, suffix: str, kind: str | None, ctx: FileContext) -> Iterator[Item]:
    """The items of a file's bytes read as ``kind`` (None: sniffed from the text)."""
    if not data:
        yield Skip(ctx.origin, "empty file (0 bytes)")
        return
    for magic, label in _MAGIC:
        if data.startswith(magic):
            shown = suffix or "(no extension)"
            yield Skip(ctx.origin, f"unsupported file type {shown} ({label} data)")
            return
    if kind == "html":
        yield from read_html(data, ctx)
        return
    if kind == "xml":
        yield from read_xml(data, ctx)
        return
    text, notices = decode_file(data, ctx)
    yield from notices
    if kind is None:
        kind = _sniff(text)
    if kind == "jsonl":
        yield from read_jsonl_lines(text.split("\n"), ctx)
    elif kind == "json":
        yield from read_json(text, ctx)
    elif kind in ("csv", "tsv"):
        yield from read_table(text, ctx, "," if kind == "csv" else "\t")
    elif kind == "srt":
        yield from read_srt(text, ctx)
    elif kind == "html":
        yield from html_article(text, ctx)
    elif kind == "xml":
        yield from xml_article(text, ctx)
    else:
        yield from read_text(text, ctx)


def _sniff(text: str) -> str:
    """The kind of a decoded file with no known extension."""
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return "json"  # read_json falls back to JSON Lines
    if _HTML_START.match(text[:4096]):
        return "html"
    if _XML_START.match(text):
        return "xml"
    if SRT_START.match(text):
        return "srt"
    return "text"


def _starts_with(path: Path, magic: bytes) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(magic)) == magic
