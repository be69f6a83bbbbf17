"""A concordance (key word in context): one line per occurrence of what a query matched.

Occurrences come from the word streams (`occurrences.py`), so the total is exact and
costs no stored text; only the lines of the page asked for read their article's stored
title or body, analysed again to turn word positions into character offsets, so the
context is the original text, diacritics and all. A context holds whole words only: a
word the width would cut at its far end is left out, since a piece of an Arabic word
(ال of خلال, ملك of الملكية) reads as another word.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from itertools import islice

import numpy as np

from indexer.analysis.analyzers import words_with_forms
from indexer.errors import REBUILD, IncompatibleIndexError, Surface, UsageError, worded
from indexer.query.plan import Plan
from indexer.store.schema import DATE, ID, SOURCE
from indexer.store.stats import MISSING_DATE, segment_ids
from indexer.views.occurrences import occurrences
from indexer.views.selection import FIELDS, Selection

KWIC_SORTS = ("date", "left", "right", "source")
#: Characters of context each side of a concordance line, unless asked otherwise.
KWIC_WIDTH = 50
#: Words compared when sorting by the context (`--sort left|right`).
SORT_DEPTH = 3


@dataclass(frozen=True)
class KwicLine:
    """One occurrence: the matched words as written and the text around them.

    ``start``/``end`` are character offsets of the match in the article's ``field``
    (title or body); ``left`` ends and ``right`` starts there, each at most the width
    asked and never starting or ending inside a word."""

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
    #: Why it may be emptier than meant (see ``Results.notes``).
    notes: list[str] = field(default_factory=list)

    def to_dict(self, surface: Surface = Surface.LIBRARY) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "articles": self.articles,
            "deduplicated": self.deduplicated,
            "lines": [asdict(line) for line in self.lines],
            "notes": [worded(note, surface) for note in self.notes],
        }


#: Where an occurrence stands, whichever index holds it: (article id, field index, first, last).
Ref = tuple[str, int, int, int]


@dataclass
class KwicPart:
    """What one index (or one shard) holds of a concordance: its occurrences and the
    articles holding them, and its first occurrences in the order asked, each as its sort
    key ending with its `Ref` (so the parts of several shards merge by key)."""

    total: int
    articles: int
    keyed: list[tuple]


def check_kwic(sort: str, width: int, limit: int, offset: int) -> None:
    if sort not in KWIC_SORTS:
        raise UsageError(f"sort must be one of {', '.join(KWIC_SORTS)}, not {sort!r}")
    if width < 0 or limit < 0 or offset < 0:
        raise UsageError("width, limit and offset must not be negative")


def kwic_part(plan: Plan, selection: Selection, sort: str, wanted: int) -> KwicPart:
    """The occurrences of ``plan`` in the selected documents, and the first ``wanted`` of
    them by ``sort``: "date" (oldest first, undated last), "source", or "left"/"right"
    (the folded words nearest the match on that side, nearest first, a missing word
    last); ties go to the
    smaller article id, then title before body, then position, so an order never depends
    on how the articles lie in segments or shards."""
    keyed = []
    total = articles = 0
    for seg in selection.segments:
        found = occurrences(seg, plan)
        if not len(found):
            continue
        total += len(found)
        articles += len(np.unique(found.doc))
        keyed.extend(zip(_sort_keys(seg, found, sort), segment_ids(seg.reader)[found.doc].tolist(),
                         found.field.tolist(), found.first.tolist(), found.last.tolist()))
    return KwicPart(total, articles, heapq.nsmallest(wanted, keyed) if wanted < len(keyed) else sorted(keyed))


def page(parts: list[KwicPart], offset: int, limit: int) -> list[tuple[int, Ref]]:
    """The lines of the page, as (part, `Ref`), from the parts merged by key."""
    merged = heapq.merge(*([(key, k) for key in part.keyed] for k, part in enumerate(parts)))
    return [(k, tuple(key[-4:])) for key, k in islice(merged, offset, offset + limit)]  # type: ignore[misc]


def concordance(query: str, parts: list[KwicPart], lines: list[KwicLine], deduplicated: bool) -> Concordance:
    """The concordance of the parts of every index, with the lines of its page."""
    return Concordance(
        query=query, total=sum(p.total for p in parts), articles=sum(p.articles for p in parts),
        deduplicated=deduplicated, lines=lines,
    )


def _sort_keys(seg, found, sort: str) -> list:  # type: ignore[no-untyped-def]
    """Each occurrence's key for ``sort``."""
    if sort == "date":
        dates = seg.dates()[found.doc]
        return np.where(dates < MISSING_DATE, dates, np.iinfo(np.uint64).max).tolist()
    if sort == "source":
        return seg.sources()[found.doc].tolist()
    return _context_keys(seg, found, before=sort == "left")


def _context_keys(seg, found, before: bool) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The exact forms of the ``SORT_DEPTH`` words before (nearest first) or after each
    occurrence, within its field; a word missing (the field starts or ends there) is
    `_MISSING`, after every word, as a concordancer puts an empty context last, not first."""
    columns = []
    for step in range(1, SORT_DEPTH + 1):
        column = np.full(len(found), _MISSING, dtype=object)
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


#: A context word that is not there: the last code point, which sorts after every word (no
#: word holds it: it is a noncharacter, never a letter the analyzer keeps).
_MISSING = "\U0010ffff"


def kwic_lines(searcher, refs: list[Ref], width: int) -> list[KwicLine | None]:  # type: ignore[no-untyped-def]
    """The lines of these occurrences, with ``width`` characters of the stored text each
    side; None for an article deleted since it was counted."""
    lines: list[KwicLine | None] = []
    for article_id, field_index, first, last in refs:
        docnum = searcher.document_number(**{ID: article_id})
        lines.append(None if docnum is None else _line(searcher.stored_fields(docnum), FIELDS[field_index], first, last, width))
    return lines


def _inside_word(words: list, offset: int) -> int | None:
    """The index of the word ``offset`` falls strictly inside, if any."""
    k = bisect_right(words, offset, key=lambda word: word[0]) - 1
    return k if k >= 0 and words[k][0] < offset < words[k][1] else None


def _line(stored: dict, field: str, first: int, last: int, width: int) -> KwicLine:
    text = stored.get(field) or ""
    words = words_with_forms(text)
    if last >= len(words):  # the stored text no longer analyses as it was indexed
        raise IncompatibleIndexError(f"article {stored.get(ID)!r}: its {field} analyses differently from the index; ", REBUILD)
    start, end = words[first][0], words[last][1]
    left_from, right_to = max(0, start - width), min(len(text), end + width)
    cut = _inside_word(words, left_from)
    if cut is not None:  # a word cut at the far end of the left context is left out
        left_from = words[cut][1]
    cut = _inside_word(words, right_to)
    if cut is not None:
        right_to = words[cut][0]
    date = stored.get(DATE)
    return KwicLine(
        id=stored.get(ID, ""),
        field=field,
        date=date.isoformat() if date else None,
        source=stored.get(SOURCE, ""),
        left=text[left_from:start],
        match=text[start:end],
        right=text[end:right_to],
        start=start,
        end=end,
    )
