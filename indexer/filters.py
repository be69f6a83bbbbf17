"""The filters a search and every view take, as one vocabulary on every surface: what
each means (one help text, shown by the CLI's options and the API's parameters) and how
the library reads a source filter.

A filter means the same on ``corpus query`` and on ``corpus kwic``/``trend``/
``collocates``/``freq``, on ``/api/search`` and on ``/api/kwic`` and the rest, and in
``Corpus.search`` and the views: ``since``/``until`` take a day, a month or a year (in
Arabic-Indic digits too); ``source`` takes several names, any of them; an empty value
is no filter.
"""

from __future__ import annotations

from collections.abc import Sequence

#: What each filter means, worded for the CLI's option and the API's parameter alike.
ANY_HELP = "Match articles holding ANY of the words, not all of them."
EXACT_HELP = "Match exact forms only: no stemming."
SINCE_HELP = "Only articles dated on or after DATE: YYYY-MM-DD, YYYY-MM or YYYY."
UNTIL_HELP = "Only articles dated on or before DATE: YYYY-MM-DD, YYYY-MM or YYYY."
SOURCE_HELP = "Only articles from this source (repeat: any of them)."
DEDUPE_HELP = "One article per identical body (wire copies): the earliest dated is kept."


def source_list(source: str | Sequence[str] | None) -> list[str]:
    """The source names a ``source`` filter asks for, each once: one name or several
    (any of them); blank names are no filter, and names are read without the spaces
    around them (as the index stores them)."""
    names = [source] if isinstance(source, str) else list(source or ())
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))
