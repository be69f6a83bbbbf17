"""Source names a filter asks for that no article of the index comes from.

A misspelt ``source`` filter (``aljazera``, ``Al Jazeera`` for ``aljazeera``) matches no
article, and an empty answer would read as "the archive has nothing on this". So each
surface says which named source the index has no article from and, when one of the
index's sources is a close spelling (case, spaces, a typo), names it. The note is a
``Message``: every surface words it its own way (where the sources are listed).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence

from indexer.errors import Message, Spelled

#: Where the index's sources are listed, on each surface.
LISTED = Spelled(library="Corpus.stats()", cli="`corpus stats`", server="/api/stats")
#: How alike two names (without case, spaces and punctuation) must be to be offered.
_CLOSE = 0.75
_NOT_LETTERS = re.compile(r"[\W_]+")


def unknown_source_notes(
    asked: Sequence[str], count: Callable[[str], int], names: Callable[[], Iterable[str]]
) -> list[Message]:
    """A note for each name in ``asked`` that ``count`` (live articles from a source)
    finds no article from, naming the closest of the index's source ``names`` (asked for
    only then: listing them costs more than counting one)."""
    missing = [name for name in dict.fromkeys(asked) if name and not count(name)]
    if not missing:
        return []
    known = list(names())
    return [unknown_source(name, close_name(name, known)) for name in missing]


def unknown_source(name: str, close: str | None) -> Message:
    """The note for a source ``name`` no article comes from; ``close``: the index's source
    spelt like it, if any."""
    if close is not None:
        return Message(f"no article of the index comes from the source {name!r}; did you mean {close!r}? (", LISTED, " lists the sources)")
    return Message(f"no article of the index comes from the source {name!r} (", LISTED, " lists the sources)")


def close_name(name: str, known: Sequence[str]) -> str | None:
    """The name of ``known`` spelt most like ``name``: the same letters in another case or
    spacing first, else the closest within a typo or two (difflib); None when none is."""
    keys = {_key(k): k for k in known}
    wanted = _key(name)
    if wanted in keys:
        return keys[wanted]
    found = difflib.get_close_matches(wanted, list(keys), n=1, cutoff=_CLOSE)
    return keys[found[0]] if found else None


def _key(name: str) -> str:
    """A name without case, spaces and punctuation: ``Al-Jazeera `` as ``aljazeera``."""
    return _NOT_LETTERS.sub("", name.casefold())
