"""Files to `Article` records: formats, encodings, field names and dates.

    >>> for item in read_sources(["corpus/"], fields={"body": "text"}):
    ...     if isinstance(item, Article): ...  # index it
    ...     else: ...  # a Skip or Notice: show the user item.origin and item.reason

This package never imports Whoosh: it knows files, not indexes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from indexer.errors import Message, limit_setting
from indexer.limits import DEFAULT_LIMITS, Limits, human_size
from indexer.sources.article import Article, Notice, Skip
from indexer.sources.dates import parse_date
from indexer.sources.encoding import check_encoding, decode
from indexer.sources.errors import SourceError
from indexer.sources.fields import FieldMap, parse_field_overrides
from indexer.sources.formats import FORMATS, read_file
from indexer.sources.metering import FileMeter, OnBytes
from indexer.sources.walk import SourceFile, check_sources, iter_source_files

__all__ = [
    "FORMATS",
    "Article",
    "Notice",
    "Skip",
    "SourceError",
    "decode",
    "parse_date",
    "parse_field_overrides",
    "read_sources",
    "source_bytes",
    "within_article_limit",
]


def read_sources(
    paths: Sequence[str | Path],
    fields: Mapping[str, str] | None = None,
    encoding: str | None = None,
    follow_links: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    on_bytes: OnBytes | None = None,
    file_format: str | None = None,
) -> Iterator[Article | Skip | Notice]:
    """Read every SOURCE (file or directory, walked recursively) into Articles, with a Skip
    for each record or file not indexed and a Notice for each warning, in a stable order.

    `fields` maps our field to a source key (``{"body": "text"}``, see `parse_field_overrides`);
    `encoding` forces one text encoding for every file; `follow_links` reads links to files
    outside their SOURCE (skipped and reported otherwise); `limits` bounds what one file,
    line or article may cost (`indexer.limits`); `on_bytes(n)` is told of every ``n`` bytes
    of files read (they add up to `source_bytes`). A file in a directory is read only when
    its extension names one of `FORMATS`, or as `file_format` when given (a file named as a
    SOURCE is recognised by its content). Bad arguments (a missing path, an unknown field or
    encoding) raise `SourceError` here, before anything is read; bad files never raise, they
    become Skips. JSON Lines files and JSON arrays are streamed.
    """
    roots = check_sources(paths)
    field_map = FieldMap(fields)
    forced = check_encoding(encoding) if encoding is not None else None
    if file_format is not None and file_format not in FORMATS:
        raise SourceError(f"--format {file_format!r}: expected one of {', '.join(FORMATS)}")
    return _read(roots, field_map, forced, follow_links, limits, on_bytes or (lambda n: None), file_format)


def source_bytes(paths: Sequence[str | Path], follow_links: bool = False) -> int:
    """The size of every file `read_sources` would read from `paths`, together: the total
    of a progress bar. It costs a walk of the directories and a ``stat`` per file."""
    return sum(_size(source) for root in check_sources(paths) for source in iter_source_files(root, follow_links)
               if isinstance(source, SourceFile))


def _read(
    roots: list[Path],
    fields: FieldMap,
    encoding: str | None,
    follow_links: bool,
    limits: Limits,
    on_bytes: OnBytes,
    file_format: str | None,
) -> Iterator[Article | Skip | Notice]:
    for root in roots:
        for source in iter_source_files(root, follow_links):
            if isinstance(source, Skip):
                yield source
                continue
            meter = FileMeter(_size(source), on_bytes)
            for item in read_file(source, fields, encoding, limits, meter, file_format):
                yield within_article_limit(item, limits.article) if isinstance(item, Article) else item
            meter.finish()


def _size(source: SourceFile) -> int:
    try:
        return os.stat(source.path).st_size
    except OSError:
        return 0  # reading it will report why


def within_article_limit(article: Article, limit: int) -> Article | Skip:
    """`article`, or a Skip when its title and body are more than `limit` bytes of UTF-8:
    skipped whole rather than cut, so what is indexed is what the source says."""
    chars = len(article.title) + len(article.body)
    if chars * 4 <= limit:  # a character is at most 4 bytes: no need to count
        return article
    size = len(article.title.encode("utf-8", "surrogatepass")) + len(article.body.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return article
    return Skip(
        article.origin,
        Message(
            f"article of {human_size(size)}, over the {human_size(limit)} limit per article: not indexed (",
            limit_setting("article"), " raises it)",
        ),
    )
