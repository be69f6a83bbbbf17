"""The records the sources package yields: an `Article`, or why something was not one.

Readers never raise for a bad record or a bad file: they yield a `Skip` (the thing is not
indexed) or a `Notice` (indexed, but something was off), so one broken line never stops a run
and the user learns exactly where to look. `origin` is written for people: ``path:LINE`` for a
line of JSON Lines or CSV, ``path#N`` for the Nth record of a JSON file, or the path alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Article:
    """One article as the source gave it.

    `title` and `body` are the source's text after decoding bytes (and, for HTML, entities):
    no folding, no whitespace or control-character clean-up (analysis owns that).
    `date` is naive UTC, or None when there was no date or it could not be parsed;
    `date_raw` is always the source's own string.
    """

    id: str
    title: str
    body: str
    date: datetime | None
    date_raw: str
    source: str
    url: str
    origin: str


@dataclass(frozen=True, slots=True)
class Skip:
    """A record or a whole file that is not indexed, and the human reason why."""

    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about something that is still indexed (e.g. a date kept only raw)."""

    origin: str
    reason: str
