"""Files to `Article` records: formats, encodings, field names and dates.

    >>> for item in read_sources(["corpus/"], fields={"body": "text"}):
    ...     if isinstance(item, Article): ...  # index it
    ...     else: ...  # a Skip or Notice: show the user item.origin and item.reason

This package never imports Whoosh: it knows files, not indexes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from indexer.sources.article import Article, Notice, Skip
from indexer.sources.dates import parse_date
from indexer.sources.encoding import check_encoding, decode
from indexer.sources.errors import SourceError
from indexer.sources.fields import FieldMap, parse_field_overrides
from indexer.sources.formats import read_file
from indexer.sources.walk import check_sources, iter_source_files

__all__ = [
    "Article",
    "Notice",
    "Skip",
    "SourceError",
    "decode",
    "parse_date",
    "parse_field_overrides",
    "read_sources",
]


def read_sources(
    paths: Sequence[str | Path],
    fields: Mapping[str, str] | None = None,
    encoding: str | None = None,
    follow_links: bool = False,
) -> Iterator[Article | Skip | Notice]:
    """Read every SOURCE (file or directory, walked recursively) into Articles, with a Skip
    for each record or file not indexed and a Notice for each warning, in a stable order.

    `fields` maps our field to a source key (``{"body": "text"}``, see `parse_field_overrides`);
    `encoding` forces one text encoding for every file; `follow_links` reads links to files
    outside their SOURCE (skipped and reported otherwise). Bad arguments (a missing path, an
    unknown field or encoding) raise `SourceError` here, before anything is read; bad files
    never raise, they become Skips. Large JSON Lines files are streamed.
    """
    roots = check_sources(paths)
    field_map = FieldMap(fields)
    forced = check_encoding(encoding) if encoding is not None else None
    return _read(roots, field_map, forced, follow_links)


def _read(
    roots: list[Path], fields: FieldMap, encoding: str | None, follow_links: bool
) -> Iterator[Article | Skip | Notice]:
    for root in roots:
        for source in iter_source_files(root, follow_links):
            if isinstance(source, Skip):
                yield source
            else:
                yield from read_file(source, fields, encoding)
