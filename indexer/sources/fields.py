"""Which key of a source record feeds which `Article` field, and the record-to-Article step.

Common key names are recognised case-insensitively; for each field the first name present
with a non-empty value wins:

======  =====================================================================
id      id, _id, guid
title   title, headline
body    body, text, content, article
date    date, published, datetime, pubdate, published_at, date_published,
        date_extracted (SaudiNewsNet's raw dumps)
source  source, site, publisher
url     url, link
======  =====================================================================

An override (CLI ``--field body=text``: our field ``body`` comes from the source key ``text``)
replaces the common names of that field entirely; its key is matched exactly first, then
case-insensitively. In a CSV/TSV file without a header row the keys are the column numbers
``1``, ``2``, ...

Ids: a record without an id gets ``<file id>#<N>``. The file id is the file's path relative
to the *parent* of the SOURCE the user named, with ``/`` separators: SOURCE ``corpus/`` and
the 17th record of ``corpus/news.jsonl`` give ``corpus/news.jsonl#17``; a file named directly
as SOURCE is just its file name. So an id does not depend on the working directory or on how
the path was spelled, and stays the same from one run to the next. ``N`` is the line number
in JSON Lines, the record number in a JSON array, the row number after the header in CSV/TSV.
A one-article file (text, HTML, XML, subtitles) uses the file id alone.

An article needs a title or a body (not just whitespace); a record with neither is a `Skip`.
Values that are not strings are turned into text: numbers as written (``123`` -> ``"123"``),
lists joined (by newlines for the body, spaces elsewhere), objects by their values in order.
Title and body are kept as the source gave them, except for HTML character references
(``&quot;``, ``&#1575;``) that feeds leave in their text: those are decoded, so ``quot`` is
not a word of the article; id, date, source and url are trimmed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from indexer.errors import Message, field_setting
from indexer.sources.article import Article, Notice, Skip
from indexer.sources.dates import parse_date
from indexer.sources.errors import SourceError

FIELDS: tuple[str, ...] = ("id", "title", "body", "date", "source", "url")

COMMON_NAMES: Mapping[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid"),
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article"),
    "date": (
        "date",
        "published",
        "datetime",
        "pubdate",
        "published_at",
        "date_published",
        "date_extracted",
    ),
    "source": ("source", "site", "publisher"),
    "url": ("url", "link"),
}

_SHOWN_KEYS = 10
#: A character reference with its semicolon: "AT&T" or "?a=1&para=2" are text, not references.
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """``text`` with its HTML character references decoded (``&quot;`` -> ``"``); an
    unknown name (``&foo;``) stays as it is."""
    if "&" not in text:
        return text
    return _REFERENCE.sub(lambda m: html.unescape(m.group()), text)


def parse_field_overrides(specs: Iterable[str] | str) -> dict[str, str]:
    """Parse CLI ``--field`` specs such as ``body=text`` into ``{"body": "text"}``.

    Raises `SourceError` for a spec without ``=``, an empty side, a field that is not one of
    id, title, body, date, source, url, or one field given two different keys.
    """
    if isinstance(specs, str):
        specs = [specs]
    pairs: list[tuple[str, str]] = []
    for spec in specs:
        target, sep, key = spec.partition("=")
        if not sep or not target.strip() or not key.strip():
            raise SourceError(f"--field {spec!r}: expected FIELD=KEY, e.g. --field body=text")
        pairs.append((target, key))
    return _validated(pairs, lambda target, key: f"--field {target}={key}")


def validate_field_overrides(fields: Mapping[str, str] | None) -> dict[str, str]:
    """Check an already-split override mapping (field -> source key); same rules as above."""
    if not fields:
        return {}
    return _validated(list(fields.items()), lambda target, key: f"field mapping {target}={key}")


def _validated(
    pairs: Sequence[tuple[str, str]], label: Callable[[str, str], str]
) -> dict[str, str]:
    result: dict[str, str] = {}
    for raw_target, raw_key in pairs:
        target, key = str(raw_target).strip().lower(), str(raw_key).strip()
        if target not in FIELDS:
            raise SourceError(
                f"{label(raw_target, raw_key)}: unknown field {str(raw_target).strip()!r}; "
                f"fields are {', '.join(FIELDS)}"
            )
        if not key:
            raise SourceError(f"{label(raw_target, raw_key)}: the source key is empty")
        if result.get(target, key) != key:
            raise SourceError(
                f"{label(raw_target, raw_key)}: field {target!r} is already mapped "
                f"to {result[target]!r}"
            )
        result[target] = key
    return result


class FieldMap:
    """Finds, in one source record, the value for each Article field."""

    def __init__(self, overrides: Mapping[str, str] | None = None) -> None:
        checked = validate_field_overrides(overrides)
        self.overrides = checked
        self.names: dict[str, tuple[str, ...]] = {
            field: (checked[field],) if field in checked else COMMON_NAMES[field]
            for field in FIELDS
        }
        self._known = {name.lower() for names in self.names.values() for name in names}

    def knows(self, key: str) -> bool:
        """True if `key` would feed some field (used to recognise a CSV header row)."""
        return key.strip().lower() in self._known

    def find_key(self, field: str, keys: Iterable[str]) -> str | None:
        """The first of `keys` that feeds `field`, by the same rules as `resolve`."""
        keys = list(keys)
        lowered = {key.lower(): key for key in reversed(keys)}
        for name in self.names[field]:
            if name in keys:
                return name
            if name.lower() in lowered:
                return lowered[name.lower()]
        return None

    def resolve(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Map each field to its raw value in `record`: the first non-empty value among the
        field's names, else an empty value that was present, else None (absent)."""
        lowered: dict[str, Any] | None = None
        values: dict[str, Any] = {}
        for field in FIELDS:
            found = None
            for name in self.names[field]:
                if name in record:
                    value = record[name]
                else:
                    if lowered is None:
                        lowered = {str(key).lower(): key for key in reversed(list(record))}
                    if name.lower() not in lowered:
                        continue
                    value = record[lowered[name.lower()]]
                if not _is_empty(value):
                    found = value
                    break
                if found is None:
                    found = value
            values[field] = found
        return values


def record_to_article(
    record: Any, fields: FieldMap, origin: str, fallback_id: str
) -> Iterator[Article | Skip | Notice]:
    """Turn one parsed record into an Article (after a Notice if its date is unreadable), or
    into a Skip saying why not."""
    if not isinstance(record, Mapping):
        yield Skip(origin, f"not an article object but a JSON {_json_kind(record)}")
        return
    values = fields.resolve(record)
    title = decode_entities(to_text(values["title"]))
    body = decode_entities(to_text(values["body"], sep="\n"))
    if not title.strip() and not body.strip():
        found = values["title"] is not None or values["body"] is not None
        yield Skip(origin, "no title or body (both empty)" if found else _no_text_reason(record))
        return
    date_raw = to_text(values["date"]).strip()
    date = parse_date(date_raw) if date_raw else None
    if date_raw and date is None:
        yield Notice(origin, f"unparseable date {date_raw!r}, kept raw only")
    yield Article(
        id=to_text(values["id"]).strip() or fallback_id,
        title=title,
        body=body,
        date=date,
        date_raw=date_raw,
        source=to_text(values["source"]).strip(),
        url=to_text(values["url"]).strip(),
        origin=origin,
    )


def to_text(value: Any, sep: str = " ") -> str:
    """A record value as text: strings as they are, numbers as written, lists and objects as
    their non-empty parts joined by `sep`, None as ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Mapping | list | tuple):
        return sep.join(_leaf_texts(value))
    return str(value)


def _leaf_texts(value: Mapping | list | tuple) -> Iterator[str]:
    """The non-empty texts of the scalars inside ``value``, depth first: nested lists and
    objects flatten in order. A loop, not recursion: a JSON line may nest hundreds deep."""
    stack = [iter(value.values() if isinstance(value, Mapping) else value)]
    while stack:
        item = next(stack[-1], _DONE)
        if item is _DONE:
            stack.pop()
        elif isinstance(item, Mapping):
            stack.append(iter(item.values()))
        elif isinstance(item, list | tuple):
            stack.append(iter(item))
        else:
            text = to_text(item)
            if text:
                yield text


_DONE = object()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def _no_text_reason(record: Mapping[str, Any]) -> str:
    keys = [str(key) for key in record]
    shown = ", ".join(keys[:_SHOWN_KEYS]) + (", ..." if len(keys) > _SHOWN_KEYS else "")
    return Message(f"no title or body (keys: {shown or 'none'}; map one with ", field_setting("body", "KEY"), ")")


def _json_kind(value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else type(value).__name__
