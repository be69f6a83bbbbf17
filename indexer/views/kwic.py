"""A concordance (key word in context): one line per occurrence of what a query matched.

Occurrences come from the word streams (`occurrences.py`), so the total is exact and
costs no stored text; only the lines of the page asked for read their article's stored
title or body, analysed again to turn word positions into character offsets, so the
context is the original text, diacritics and all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from indexer.analysis.analyzers import words_with_forms
from indexer.errors import IncompatibleIndexError, UsageError
from indexer.query.plan import Plan
from indexer.store.schema import DATE, ID, SOURCE
from indexer.store.stats import MISSING_DATE
from indexer.views.occurrences import occurrences
from indexer.views.selection import FIELDS, Selection

KWIC_SORTS = ("date", "left", "right", "source")
#: Words compared when sorting by the context (`--sort left|right`).
SORT_DEPTH = 3


@dataclass(frozen=True)
class KwicLine:
    """One occurrence: the matched words as written and the text around them.

    ``start``/``end`` are character offsets of the match in the article's ``field``
    (title or body); ``left`` ends and ``right`` starts there."""

    id: str
    field: str
    date: str | None
    source: str
    left: str
    match: str
    right: str
    start: int
    end: int


@dataclass
class Concordance:
    """A page of lines; ``total`` counts every occurrence, not just this page."""

    query: str
    total: int
    articles: int
    deduplicated: bool
    lines: list[KwicLine]

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "articles": self.articles,
            "deduplicated": self.deduplicated,
            "lines": [asdict(line) for line in self.lines],
        }


def kwic(
    searcher,  # type: ignore[no-untyped-def]
    query: str,
    plan: Plan,
    selection: Selection,
    *,
    width: int = 50,
    sort: str = "date",
    limit: int = 100,
    offset: int = 0,
) -> Concordance:
    """The concordance of ``plan`` over the selected documents (see the module docstring).

    ``sort``: "date" (oldest first, undated last), "source", or "left"/"right" (the
    folded words nearest the match on that side, nearest first); ties stay in index order
    (document, title before body, position)."""
    if sort not in KWIC_SORTS:
        raise UsageError(f"sort must be one of {', '.join(KWIC_SORTS)}, not {sort!r}")
    if width < 0 or limit < 0 or offset < 0:
        raise UsageError("width, limit and offset must not be negative")
    rows = []  # (segment, Occurrences)
    for seg in selection.segments:
        found = occurrences(seg, plan)
        if len(found):
            rows.append((seg, found))
    total = sum(len(found) for _, found in rows)
    articles = sum(len(np.unique(found.doc)) for _, found in rows)
    order = _ordered(rows, sort)[offset:offset + limit]
    lines = [_line(searcher, rows[r][0], rows[r][1], i, width) for r, i in order]
    return Concordance(query=query, total=total, articles=articles, deduplicated=selection.deduplicated, lines=lines)


def _ordered(rows, sort: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(row, occurrence index) of every occurrence, in the order asked."""
    keyed = []
    for r, (seg, found) in enumerate(rows):
        if sort == "date":
            dates = seg.dates()[found.doc]
            keys = np.where(dates < MISSING_DATE, dates, np.iinfo(np.uint64).max).tolist()
        elif sort == "source":
            keys = seg.sources()[found.doc].tolist()
        else:
            keys = _context_keys(seg, found, before=sort == "left")
        keyed.extend((key, r, i) for i, key in enumerate(keys))
    keyed.sort(key=lambda item: item[0])  # stable: index order within equal keys
    return [(r, i) for _, r, i in keyed]


def _context_keys(seg, found, before: bool) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The exact forms of the ``SORT_DEPTH`` words before (nearest first) or after each
    occurrence, within its field; a missing word sorts first."""
    columns = []
    for step in range(1, SORT_DEPTH + 1):
        column = np.full(len(found), "", dtype=object)
        for f, name in enumerate(FIELDS):
            stream = seg.form_stream("exact", name)
            here = np.flatnonzero(found.field == f)
            if not len(here):
                continue
            doc = found.doc[here]
            position = found.first[here] - step if before else found.last[here] + step
            inside = (position >= 0) & (position < stream.lengths()[doc])
            at = stream.starts[doc[inside]] + position[inside]
            words = stream.word_array[stream.tokens[at]] if len(at) else []
            column[here[inside]] = words
        columns.append(column.tolist())
    return list(zip(*columns))


def _line(searcher, seg, found, i: int, width: int) -> KwicLine:  # type: ignore[no-untyped-def]
    doc = int(found.doc[i])
    stored = searcher.stored_fields(seg.offset + doc)
    field = FIELDS[int(found.field[i])]
    text = stored.get(field) or ""
    words = words_with_forms(text)
    first, last = int(found.first[i]), int(found.last[i])
    if last >= len(words):  # the stored text no longer analyses as it was indexed
        raise IncompatibleIndexError(f"article {stored.get(ID)!r}: its {field} analyses differently from the index; run `corpus index --rebuild`")
    start, end = words[first][0], words[last][1]
    date = stored.get(DATE)
    return KwicLine(
        id=stored.get(ID, ""),
        field=field,
        date=date.isoformat() if date else None,
        source=stored.get(SOURCE, ""),
        left=text[max(0, start - width):start],
        match=text[start:end],
        right=text[end:end + width],
        start=start,
        end=end,
    )
