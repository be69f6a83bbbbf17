"""When small commits merge segments: tiers of about the same size, a few at a time.

A search looks every query word up once per segment, so each nightly commit's segment
slows every query a little (``benchmarks/segments.py --nights`` measures it). Whoosh's own policy
(``MERGE_SMALL``) lets about 16 small segments pile up before it merges them. Here a
commit merges the segments of a tier (documents between two powers of ``MERGE_FACTOR``)
once ``MERGE_FACTOR`` of them exist, as Lucene's log merge policy does: the merged segment
joins the next tier up, so the count stays near ``MERGE_FACTOR - 1`` per tier, and each
document is merged again about once per tier. Whoosh merges posting by posting, so a
merge of the largest tiers can take minutes (docs/benchmarks.md); that is the price of
searches staying fast, paid at night.
"""

from __future__ import annotations

from whoosh.codec.base import Segment
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

MERGE_FACTOR = 3


def merge_tiers(writer: SegmentWriter, segments: list[Segment]) -> list[Segment]:
    """A Whoosh merge policy (``commit(mergetype=...)``): merges the smallest full tier into
    the writer's new segment and returns the segments left as they are."""
    group = tier_to_merge(segments)
    for segment in group:
        _merge(writer, segment)
    return [s for s in segments if s not in group]


def tier_to_merge(segments: list[Segment]) -> list[Segment]:
    """The segments ``merge_tiers`` merges: the smallest tier holding ``MERGE_FACTOR`` or
    more of them, or none."""
    tiers: dict[int, list[Segment]] = {}
    for segment in segments:
        tiers.setdefault(tier(segment.doc_count()), []).append(segment)
    for _, group in sorted(tiers.items()):
        if len(group) >= MERGE_FACTOR:
            return group
    return []


def _merge(writer: SegmentWriter, segment: Segment) -> None:
    """Copy a segment's live documents into the writer's new segment, field length
    totals kept exact.

    Whoosh trap: ``add_reader`` re-sums each field's total length from the one-byte
    per-document lengths, which are approximations: BM25's average length (and every
    score) would move by about 1% with each merge. The segment's own totals are exact;
    only its deleted documents' share has to be estimated from their byte lengths.
    """
    totals = writer.perdocwriter._fieldlengths  # W3PerDocWriter: field -> total length
    before = dict(totals)
    reader = SegmentReader(writer.storage, writer.schema, segment)
    try:
        writer.add_reader(reader)  # live documents only: deletions are purged
        deleted = list(segment.deleted_docs()) if segment.has_deletions() else []
        for field, total in segment._fieldlengths.items():
            # Whoosh trap: doc_field_length is None, not 0, for a document whose field is
            # empty (W3PerDocReader falls off its `if lbyte:`); our codec returns the same.
            gone = sum(reader.doc_field_length(docnum, field) or 0 for docnum in deleted)
            totals[field] = before.get(field, 0) + max(total - gone, 0)
    finally:
        reader.close()


def tier(documents: int) -> int:
    """The tier of a segment holding ``documents`` live documents: the power of
    ``MERGE_FACTOR`` at or below it (in integers: a float log puts 243 below 3**5)."""
    level = 0
    while documents >= MERGE_FACTOR:
        documents //= MERGE_FACTOR
        level += 1
    return level
