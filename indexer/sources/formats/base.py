"""What every reader gets (`FileContext`) and the small steps they share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.sources.article import Article, Notice, Skip
from indexer.sources.dates import parse_date
from indexer.sources.encoding import Decoded, detect
from indexer.sources.fields import FieldMap

Item = Article | Skip | Notice


@dataclass(frozen=True, slots=True)
class FileContext:
    """One file being read: its names (see `indexer.sources.walk.SourceFile`), the field map,
    the user's forced encoding, if any, and the run's size limits."""

    origin: str
    file_id: str
    fields: FieldMap
    encoding: str | None = None
    limits: Limits = DEFAULT_LIMITS


def decode_file(
    data: bytes, ctx: FileContext, declared: str | None = None
) -> tuple[str, list[Notice]]:
    """Decode a whole file; a Notice reports bytes lost to U+FFFD. Raises `SourceError`."""
    decoded = detect(data, ctx.origin, ctx.encoding, declared)
    return decoded.text, loss_notices(decoded, ctx.origin)


def loss_notices(decoded: Decoded, origin: str) -> list[Notice]:
    """A Notice when decoding replaced broken bytes, naming how many and the encoding."""
    if not decoded.replaced:
        return []
    return [
        Notice(
            origin,
            f"{decoded.replaced} invalid {decoded.encoding} byte sequence(s) replaced by "
            "U+FFFD; the rest of the text is intact",
        )
    ]


def single_article(
    ctx: FileContext, title: str, body: str, *, date_raw: str = "", source: str = "", url: str = ""
) -> Iterator[Item]:
    """The one article of a text-like file (text, HTML, XML, subtitles), id = the file id.

    Title and body were cut out of a larger text by us, so their edges are trimmed; inner
    whitespace, line endings and control characters stay as the source had them.
    """
    title, body = title.strip(), body.strip()
    if not title and not body:
        yield Skip(ctx.origin, "no text found")
        return
    date = parse_date(date_raw) if date_raw else None
    if date_raw and date is None:
        yield Notice(ctx.origin, f"unparseable date {date_raw!r}, kept raw only")
    yield Article(ctx.file_id, title, body, date, date_raw, source, url, ctx.origin)
