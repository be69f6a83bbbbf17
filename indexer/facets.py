"""Facet counts over every matching article, not just the page shown.

A search may match tens of thousands of articles; a facet counts them by source or by
calendar month or year of their date, read from the index's postings and date column
(no stored field is loaded), so it costs about as much as the search itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long, long_to_datetime

from indexer.errors import UsageError
from indexer.store.postings import posting_arrays
from indexer.store.schema import SOURCE
from indexer.store.stats import MISSING_DATE, index_dates

#: The facets a search can count: articles per source, per month (YYYY-MM), per year (YYYY).
FACETS = ("source", "month", "year")

Facets = dict[str, dict[str, int]]


def check_facets(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` without repeats, or a ``UsageError`` naming the one that is not a facet."""
    chosen: list[str] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        if name not in FACETS:
            raise UsageError(f"unknown facet {name!r}: choose from {', '.join(FACETS)}")
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def count_facets(searcher: Searcher, docnums: np.ndarray, names: Sequence[str]) -> Facets:
    """For each facet in ``names``, how many of ``docnums`` (ascending) fall under each value.

    ``source``: source names as the first matching article writes them (``source:`` and
    ``--source`` match any case), most articles first. ``month``/``year``: every month or year
    from the earliest matching date to the latest, in order, empty ones as 0 (a chart
    needs the gaps); undated articles are left out of both.
    """
    counted: Facets = {}
    for name in names:
        if name == "source":
            counted[name] = _sources(searcher, docnums)
        else:
            counted[name] = _periods(searcher, docnums, by_month=name == "month")
    return counted


def _sources(searcher: Searcher, docnums: np.ndarray) -> dict[str, int]:
    counts: dict[bytes, int] = {}
    names: dict[bytes, str] = {}
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        local = docnums[(docnums >= offset) & (docnums < offset + reader.doc_count_all())] - offset
        if not len(local):
            continue
        for btext in reader.lexicon(SOURCE):
            ids = posting_arrays(reader, SOURCE, btext, local)[0]
            found = ids[np.isin(ids, local, assume_unique=True)]
            if len(found):
                counts[btext] = counts.get(btext, 0) + len(found)
                if btext not in names:  # indexed casefolded; stored as the source writes it
                    names[btext] = reader.stored_fields(int(found[0])).get(SOURCE) or btext.decode("utf-8")
    return dict(sorted(((names[t], n) for t, n in counts.items()), key=lambda item: (-item[1], item[0])))


def _periods(searcher: Searcher, docnums: np.ndarray, by_month: bool) -> dict[str, int]:
    dates = index_dates(searcher.reader())[docnums]
    dates = np.sort(dates[dates < MISSING_DATE]).astype(np.int64)
    if not len(dates):
        return {}
    first, last = long_to_datetime(int(dates[0])), long_to_datetime(int(dates[-1]))
    starts = list(_period_starts(first, last, by_month))
    bounds = np.array([datetime_to_long(start) for start in starts[1:]], dtype=np.int64)
    per_period = np.bincount(np.searchsorted(bounds, dates, side="right"), minlength=len(starts))
    return {_label(start, by_month): int(n) for start, n in zip(starts, per_period)}


def _label(start: datetime, by_month: bool) -> str:
    return f"{start.year:04d}-{start.month:02d}" if by_month else f"{start.year:04d}"


def _period_starts(first: datetime, last: datetime, by_month: bool):
    """The first instant of each month (or year) from ``first``'s to ``last``'s."""
    year, month = first.year, first.month if by_month else 1
    while (year, month) <= (last.year, last.month if by_month else 1):
        yield datetime(year, month, 1)
        if by_month:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year += 1


def add_facets(parts: Sequence[Facets]) -> Facets:
    """The facets of several disjoint sets of articles (the shards of an index) as
    ``count_facets`` gives them for all the articles at once: counts added, sources
    matched in any case (named as the first part names them) and ordered again, and
    the months or years between the parts' earliest and latest filled in as 0."""
    added: Facets = {}
    for name in dict.fromkeys(name for part in parts for name in part):
        counts = [part[name] for part in parts if name in part]
        added[name] = _added_sources(counts) if name == "source" else _added_periods(counts, by_month=name == "month")
    return added


def _added_sources(counts: Sequence[dict[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    for part in counts:
        for source, n in part.items():
            key = source.casefold()
            names.setdefault(key, source)
            totals[key] = totals.get(key, 0) + n
    return dict(sorted(((names[k], n) for k, n in totals.items()), key=lambda item: (-item[1], item[0])))


def _added_periods(counts: Sequence[dict[str, int]], by_month: bool) -> dict[str, int]:
    totals: dict[str, int] = {}
    for part in counts:
        for label, n in part.items():
            totals[label] = totals.get(label, 0) + n
    if not totals:
        return {}
    first, last = (_start_of(label) for label in (min(totals), max(totals)))
    labels = [_label(start, by_month) for start in _period_starts(first, last, by_month)]
    return {label: totals.get(label, 0) for label in labels}


def _start_of(label: str) -> datetime:
    """The first day of the period a label (YYYY-MM or YYYY) names."""
    year, _, month = label.partition("-")
    return datetime(int(year), int(month or 1), 1)
