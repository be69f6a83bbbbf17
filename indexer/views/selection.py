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
from indexer.query.plan import Plan
from indexer.search import with_filters
from indexer.store.schema import BODY, BODY_EXACT, SOURCE, TITLE, TITLE_EXACT
from indexer.store.stats import segment_dates, segment_ids
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
    _written_sources: np.ndarray | None = field(default=None, repr=False)

    def stream(self, name: str) -> Stream:
        """The word stream of index field ``name`` (title, body, title_exact, body_exact)."""
        return stream(self.reader, name, self.generation, self.segment_ids)

    def form_stream(self, by: str, text_field: str) -> Stream:
        return self.stream(FORM_FIELDS[(by, text_field)])

    def dates(self) -> np.ndarray:
        """Raw date longs per docnum (``MISSING_DATE`` and above: undated)."""
        return segment_dates(self.reader)

    def sources(self, written: bool = False) -> np.ndarray:
        """Each document's source name (lowercased, as indexed; "" for none), as objects;
        ``written``: as its articles write it (Jawhara FM), as `corpus stats` names it."""
        if self._sources is None:
            names = np.full(len(self.live), "", dtype=object)
            shown = np.full(len(self.live), "", dtype=object)
            for btext in self.reader.lexicon(SOURCE):
                ids = _all_postings(self.reader, SOURCE, btext)
                if not len(ids):
                    continue
                names[ids] = btext.decode("utf-8")
                # The field is indexed lowercased; the name as written is stored.
                shown[ids] = self.reader.stored_fields(int(ids[0])).get(SOURCE) or names[ids[0]]
            self._sources, self._written_sources = names, shown
        return self._written_sources if written else self._sources


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


@dataclass(frozen=True)
class Scope:
    """Which articles a view counts, as plain values (sent to shards): those ``plan``
    matches (every live article without one) within the date span and from any of
    ``sources`` (every source without one), as a search filters them; with ``dedupe``,
    one per identical body (`keep_one_copy`)."""

    plan: Plan | None = None
    since: datetime | None = None
    until: datetime | None = None
    sources: tuple[str, ...] = ()
    dedupe: bool = False


def select(searcher, generation: Path | None, scope: Scope, kept_elsewhere: np.ndarray | None = None) -> Selection:  # type: ignore[no-untyped-def]
    """The live documents of ``searcher``'s index in ``scope``. ``kept_elsewhere`` (with
    ``dedupe`` over shards): see `keep_one_copy`."""
    segments = _segments(searcher, generation)
    if scope.plan is None and scope.since is None and scope.until is None and not scope.sources:
        for seg in segments:
            seg.selected[:] = seg.live
    else:
        _mark(segments, match(searcher, with_filters(scope.plan, scope.since, scope.until, scope.sources))[0])
    selection = Selection(segments, deduplicated=scope.dedupe)
    if scope.dedupe:
        keep_one_copy(selection, kept_elsewhere)
    return selection


def one_copy_each(searcher, generation: Path | None, docnums: np.ndarray, kept_elsewhere: np.ndarray | None = None) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Which of ``docnums`` (ascending, the whole index's) `keep_one_copy` keeps, as a mask:
    `--dedupe` for a search. ``kept_elsewhere``: see `keep_one_copy`."""
    segments = _segments(searcher, generation)
    _mark(segments, docnums)
    keep_one_copy(Selection(segments, deduplicated=True), kept_elsewhere)
    kept = np.concatenate([seg.selected for seg in segments]) if segments else np.zeros(0, dtype=bool)
    return kept[docnums]


def copies_kept(searcher, generation: Path | None, docnums: np.ndarray) -> Copies:  # type: ignore[no-untyped-def]
    """The `Copies` of the bodies of ``docnums`` that `keep_one_copy` keeps here: what a
    shard tells the others, so that one copy of each body is kept over them all."""
    segments = _segments(searcher, generation)
    _mark(segments, docnums)
    selection = Selection(segments, deduplicated=True)
    keep_one_copy(selection)
    return selected_copies(selection)


def _segments(searcher, generation: Path | None) -> list[SegmentSelection]:  # type: ignore[no-untyped-def]
    """One `SegmentSelection` per segment of ``searcher``, nothing selected yet."""
    # An empty index (a shard no article went to) has one leaf and no segment behind it.
    leaves = [(leaf, offset) for leaf, offset in searcher.leaf_searchers() if leaf.reader().doc_count_all()]
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


@dataclass
class Copies:
    """Documents with a body, as `--dedupe` compares them: one row each, with the two
    fingerprints of the body's exact words (`Stream.fingerprints`), the date (a raw long;
    undated ones above every date) and the article id."""

    fingerprints: np.ndarray  # uint64, (documents, 2)
    dates: np.ndarray  # uint64
    ids: np.ndarray  # str objects

    @classmethod
    def joined(cls, parts: list[Copies]) -> Copies:
        if not parts:
            return cls(np.zeros((0, 2), dtype=np.uint64), np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=object))
        return cls(*(np.concatenate([getattr(p, name) for p in parts]) for name in ("fingerprints", "dates", "ids")))

    def kept(self) -> np.ndarray:
        """A mask of the one copy kept of each body: the earliest dated (undated last),
        ties to the smallest article id, so the choice never depends on where the
        copies lie (segments, shards)."""
        order = np.lexsort((self.dates, self.fingerprints[:, 1], self.fingerprints[:, 0]))
        bodies, dates = self.fingerprints[order], self.dates[order]
        first = np.ones(len(order), dtype=bool)  # of each body, by date
        first[1:] = (bodies[1:] != bodies[:-1]).any(axis=1)
        keepers = order[first]
        if len(order) and not (first[1:] | (dates[1:] != dates[:-1])).all():  # copies of one date: compare ids
            body = np.cumsum(first) - 1
            earliest = dates == dates[first][body]
            for index in np.flatnonzero(np.bincount(body[earliest], minlength=len(keepers)) > 1).tolist():
                rows = order[(body == index) & earliest]
                keepers[index] = min(rows.tolist(), key=lambda row: self.ids[row])
        kept = np.zeros(len(order), dtype=bool)
        kept[keepers] = True
        return kept

    def among(self, fingerprints: np.ndarray) -> np.ndarray:
        """A mask of the rows whose body has one of ``fingerprints`` ((n, 2) uint64)."""
        found = np.isin(self.fingerprints[:, 0], fingerprints[:, 0])
        if found.any():
            wanted = set(map(tuple, fingerprints.tolist()))
            rows = np.flatnonzero(found)
            found[rows] = [tuple(row) in wanted for row in self.fingerprints[rows].tolist()]
        return found


def _copies(selection: Selection) -> tuple[Copies, np.ndarray]:
    """The `Copies` of the selected documents with a body, and where each lies: rows of
    (segment index, docnum in the segment)."""
    parts, where = [], []
    for index, seg in enumerate(selection.segments):
        body = seg.stream(BODY_EXACT)
        docs = np.flatnonzero(seg.selected & (body.lengths() > 0))
        if not len(docs):
            continue
        parts.append(Copies(body.fingerprints[docs], seg.dates()[docs], segment_ids(seg.reader)[docs]))
        where.append(np.stack([np.full(len(docs), index), docs], axis=1))
    return Copies.joined(parts), (np.concatenate(where) if where else np.zeros((0, 2), dtype=np.intp))


def selected_copies(selection: Selection) -> Copies:
    """The `Copies` of the selected documents with a body."""
    return _copies(selection)[0]


def keep_one_copy(selection: Selection, kept_elsewhere: np.ndarray | None = None) -> None:
    """Leave one document per identical body among the selected ones (`Copies.kept`).
    Bodies are compared as their sequences of exact words, so copies differing only in
    diacritics, punctuation or spacing count as one; articles without a body are all
    kept. ``kept_elsewhere``: fingerprints of bodies whose kept copy lies in another
    shard, left out here."""
    copies, where = _copies(selection)
    dropped = ~copies.kept()
    if kept_elsewhere is not None and len(kept_elsewhere):
        dropped |= copies.among(kept_elsewhere)
    for index, doc in where[dropped].tolist():
        selection.segments[index].selected[doc] = False
