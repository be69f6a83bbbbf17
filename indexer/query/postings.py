"""A term's postings read a block at a time: the fast path under term-at-a-time scoring.

Whoosh's matchers hand out one posting per Python call (`id()`, `weight()`, `next()`),
about a microsecond each before any scoring. Its block format (whoosh3 `W3LeafMatcher`)
already decodes a whole block of ids and weights at once; this reads those arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import accumulate
from pickle import loads

from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length
from whoosh.matching.wrappers import FilterMatcher

Block = tuple[Sequence[int], Sequence[float]]
# A length byte of 0 means "no length": Whoosh's doc_field_length returns None for it.
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]


def field_lengths(reader, field: str) -> Sequence[int | None] | None:  # type: ignore[no-untyped-def]
    """Each document's length of ``field`` in one segment (what ``doc_field_length``
    returns), decoded once per segment and field and kept on the segment's reader; None
    when the segment has no length column for the field."""
    perdoc = reader._perdoc  # W3PerDocReader: lengths are a one-byte-per-document column
    cache = perdoc.__dict__.setdefault("_decoded_lengths", {})
    if field not in cache:
        column = perdoc._cached_reader(whoosh3._lenfield(field), whoosh3.LENGTHS_COLUMN)
        raw = None if column is None else column._dbfile.get(column._basepos, column._count)
        cache[field] = None if raw is None else [_LENGTHS[b] for b in raw]
    return cache[field]


def position_decoder(fmt: Format) -> Callable[[bytes], list[int]]:
    """Encoded posting value -> positions, for the field's posting format."""
    if type(fmt) is not Positions:
        return fmt.decode_positions
    # formats.Positions.encode writes pack_uint(count) + pickle of the position deltas;
    # its decoder sums the deltas in a Python loop, accumulate() does it in C.
    return lambda value: list(accumulate(loads(value[_INT_SIZE:])))


def posting_blocks(reader, field: str, btext: bytes) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    """(ids, weights) of each block of the term's postings in one segment; deleted
    documents are left out. The term must exist in `reader` (check with `in`)."""
    matcher = reader.postings(field, btext)
    deleted: frozenset[int] | set[int] = frozenset()
    if isinstance(matcher, FilterMatcher):
        # SegmentReader.postings wraps the postings to skip deleted documents.
        deleted, matcher = matcher._ids, matcher.child
    if isinstance(matcher, W3LeafMatcher):
        blocks = _w3_blocks(matcher)
    else:  # inlined postings (a term in one document) and other matchers: one at a time
        blocks = iter([_one_at_a_time(matcher)])
    if not deleted:
        yield from blocks
        return
    for ids, weights in blocks:
        kept = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
        yield [d for d, _ in kept], [w for _, w in kept]


def _w3_blocks(matcher: W3LeafMatcher) -> Iterator[Block]:
    # W3LeafMatcher has no public block API: these are the arrays its id()/weight() index.
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


def _one_at_a_time(matcher) -> Block:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def posting_values(reader, field: str, btext: bytes, within: Collection[int] | None, lookup_ratio: int) -> dict[int, bytes]:  # type: ignore[no-untyped-def]
    """docnum -> encoded posting value (positions) of the term in one segment, for the
    documents in `within` (all when None). A few candidates among many postings are
    looked up with skip_to, which passes whole blocks without decoding them."""
    values: dict[int, bytes] = {}
    matcher = reader.postings(field, btext)
    if within is not None and len(within) * lookup_ratio < reader.doc_frequency(field, btext):
        for docnum in sorted(within):
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active():
                break
            if matcher.id() == docnum:
                values[docnum] = matcher.value()
        return values
    deleted: Collection[int] = ()
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = matcher._ids, matcher.child
    if not isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            docnum = matcher.id()
            if (within is None or docnum in within) and docnum not in deleted:
                values[docnum] = matcher.value()
            matcher.next()
        return values
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._values is None:
            matcher._read_values()
        for docnum, value in zip(matcher._ids, matcher._values):
            if (within is None or docnum in within) and docnum not in deleted:
                values[docnum] = value
        matcher._next_block()
    return values
