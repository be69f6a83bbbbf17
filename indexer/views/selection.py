"""The articles a view counts: what the query engine matched, filtered, optionally deduplicated.

A view works segment by segment, as the engine does: each `SegmentSelection` is one
segment's reader, the offset of its first docnum in the whole index, the documents
selected in it (a mask) and its word streams (`streams.py`), read on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from indexer.query.execute import match
from indexer.query.plan import AllOf, DateSpan, Literal, Plan
from indexer.store.schema import BODY, BODY_EXACT, SOURCE, TITLE, TITLE_EXACT
from indexer.store.stats import segment_dates
from indexer.store.streams import Stream, stream

#: The text fields a view reads, each with its stemmed and exact stream.
FIELDS = (TITLE, BODY)
FORM_FIELDS = {("stem", TITLE): TITLE, ("stem", BODY): BODY, ("exact", TITLE): TITLE_EXACT, ("exact", BODY): BODY_EXACT}
BY = ("stem", "exact")


@dataclass
class SegmentSelection:
    """One segment of the index and the documents of it a view counts."""

    reader: object
    offset: int
    selected: np.ndarray  # bool, one per docnum of the segment
    live: np.ndarray  # bool: not deleted
    generation: Path | None
    segment_ids: set[str]
    _sources: np.ndarray | None = field(default=None, repr=False)

    def stream(self, name: str) -> Stream:
        """The word stream of index field ``name`` (title, body, title_exact, body_exact)."""
        return stream(self.reader, name, self.generation, self.segment_ids)

    def form_stream(self, by: str, text_field: str) -> Stream:
        return self.stream(FORM_FIELDS[(by, text_field)])

    def dates(self) -> np.ndarray:
        """Raw date longs per docnum (``MISSING_DATE`` and above: undated)."""
        return segment_dates(self.reader)

    def sources(self) -> np.ndarray:
        """Each document's source name (lowercased, as indexed; "" for none), as objects."""
        if self._sources is None:
            names = np.full(len(self.live), "", dtype=object)
            for btext in self.reader.lexicon(SOURCE):
                ids = _all_postings(self.reader, SOURCE, btext)
                names[ids] = btext.decode("utf-8")
            self._sources = names
        return self._sources


def _all_postings(reader, field_name: str, btext: bytes) -> np.ndarray:  # type: ignore[no-untyped-def]
    from indexer.store.postings import posting_arrays

    return posting_arrays(reader, field_name, btext)[0]


@dataclass
class Selection:
    """The selected documents of every segment, and whether copies were counted once."""

    segments: list[SegmentSelection]
    deduplicated: bool

    def count(self) -> int:
        return sum(int(np.count_nonzero(s.selected)) for s in self.segments)


def select(
    searcher,  # type: ignore[no-untyped-def]
    generation: Path | None,
    plan: Plan | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    dedupe: bool = False,
) -> Selection:
    """The live documents matching ``plan`` (every live document when None) within the
    date span and source; with ``dedupe``, one document per identical body (`keep_one_copy`)."""
    filters: list[Plan] = []
    if since is not None or until is not None:
        filters.append(DateSpan(since, until))
    if source:
        filters.append(Literal(SOURCE, source.casefold()))
    segments = _segments(searcher, generation)
    if plan is None and not filters:
        for seg in segments:
            seg.selected[:] = seg.live
    else:
        parts = ([plan] if plan is not None else []) + filters
        _mark(segments, match(searcher, parts[0] if len(parts) == 1 else AllOf(tuple(parts)))[0])
    selection = Selection(segments, deduplicated=dedupe)
    if dedupe:
        keep_one_copy(selection)
    return selection


def one_copy_each(searcher, generation: Path | None, docnums: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Which of ``docnums`` (ascending, the whole index's) `keep_one_copy` keeps, as a mask:
    `--dedupe` for a search."""
    segments = _segments(searcher, generation)
    _mark(segments, docnums)
    keep_one_copy(Selection(segments, deduplicated=True))
    kept = np.concatenate([seg.selected for seg in segments]) if segments else np.zeros(0, dtype=bool)
    return kept[docnums]


def _segments(searcher, generation: Path | None) -> list[SegmentSelection]:  # type: ignore[no-untyped-def]
    """One `SegmentSelection` per segment of ``searcher``, nothing selected yet."""
    leaves = list(searcher.leaf_searchers())
    segment_ids = {leaf.reader().segment().segment_id() for leaf, _ in leaves}
    segments = []
    for leaf, offset in leaves:
        reader = leaf.reader()
        live = np.ones(reader.doc_count_all(), dtype=bool)
        if reader.has_deletions():
            live[list(reader.deleted_docs_set)] = False
        segments.append(SegmentSelection(reader, offset, np.zeros_like(live), live, generation, segment_ids))
    return segments


def _mark(segments: list[SegmentSelection], docnums: np.ndarray) -> None:
    """Select ``docnums`` (the whole index's) in their segments."""
    for seg in segments:
        local = docnums[(docnums >= seg.offset) & (docnums < seg.offset + len(seg.live))] - seg.offset
        seg.selected[local] = True


def keep_one_copy(selection: Selection) -> None:
    """Leave one document per identical body among the selected ones: the earliest
    dated (undated last), ties to the lowest docnum. Bodies are compared as their
    sequences of exact words, so copies differing only in diacritics, punctuation or
    spacing count as one; articles without a body are all kept."""
    keys, dates, where = [], [], []  # per selected document with a body
    for index, seg in enumerate(selection.segments):
        body = seg.stream(BODY_EXACT)
        docs = np.flatnonzero(seg.selected & (body.lengths() > 0))
        if not len(docs):
            continue
        keys.append(body.fingerprints[docs])
        dates.append(seg.dates()[docs])
        where.append(np.stack([np.full(len(docs), index), docs], axis=1))
    if not keys:
        return
    key, date, place = np.concatenate(keys), np.concatenate(dates), np.concatenate(where)
    order = np.lexsort((place[:, 1], place[:, 0], date, key[:, 1], key[:, 0]))  # each body's keeper first
    key, place = key[order], place[order]
    copy = np.zeros(len(key), dtype=bool)
    copy[1:] = (key[1:] == key[:-1]).all(axis=1)
    for index, doc in place[copy].tolist():
        selection.segments[index].selected[doc] = False
