"""A term's postings read a block at a time: the fast path under term-at-a-time scoring.

Whoosh's matchers hand out one posting per Python call (`id()`, `weight()`, `next()`),
about a microsecond each before any scoring. Its block format (whoosh3 `W3LeafMatcher`)
already decodes a whole block of ids and weights at once; this reads those arrays.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

Block = tuple[Sequence[int], Sequence[float]]


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
