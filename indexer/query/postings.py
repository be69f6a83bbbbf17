"""A term's postings read a block at a time: the fast path under term-at-a-time scoring.

Whoosh's matchers hand out one posting per Python call (`id()`, `weight()`, `next()`),
about a microsecond each before any scoring. Its block format (whoosh3 `W3LeafMatcher`)
already decodes a whole block of ids and weights at once; this reads those arrays.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import accumulate
from pickle import loads

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.system import _INT_SIZE
from whoosh.matching.wrappers import FilterMatcher

from indexer.store import whoosh_patches

Block = tuple[Sequence[int], Sequence[float]]


def field_lengths(reader, field: str) -> Sequence[int | None] | None:  # type: ignore[no-untyped-def]
    """Each document's length of ``field`` in one segment (what ``doc_field_length``
    returns), decoded once per segment and field; None when the segment has none."""
    return whoosh_patches.field_lengths(reader._perdoc, field)  # a W3PerDocReader


def position_decoder(fmt: Format) -> Callable[[bytes], list[int]]:
    """Encoded posting value -> positions, for the field's posting format."""
    if type(fmt) is not Positions:
        return fmt.decode_positions
    # formats.Positions.encode writes pack_uint(count) + pickle of the position deltas;
    # its decoder sums the deltas in a Python loop, accumulate() does it in C.
    return lambda value: list(accumulate(loads(value[_INT_SIZE:])))


def posting_blocks(reader, field: str, btext: bytes, within: Collection[int] | None = None) -> Iterator[Block]:  # type: ignore[no-untyped-def]
    """(ids, weights) of each block of the term's postings in one segment; deleted
    documents are left out. With `within`, blocks holding none of those documents are
    passed over undecoded (the ids yielded may still include others: filter them).
    The term must exist in `reader` (check with `in`)."""
    for ids, weights, _ in _blocks(reader, field, btext, within, values=False):
        yield ids, weights


def posting_values(reader, field: str, btext: bytes, within: Collection[int] | None) -> dict[int, bytes]:  # type: ignore[no-untyped-def]
    """docnum -> encoded posting value (positions) of the term in one segment, for the
    documents in `within` (all when None)."""
    found: dict[int, bytes] = {}
    for ids, _, values in _blocks(reader, field, btext, within, values=True):
        if within is None:
            found.update(zip(ids, values))
        else:
            found.update((d, v) for d, v in zip(ids, values) if d in within)
    return found


def _blocks(reader, field: str, btext: bytes, within: Collection[int] | None, values: bool):  # type: ignore[no-untyped-def]
    matcher = reader.postings(field, btext)
    deleted: Collection[int] = ()
    if isinstance(matcher, FilterMatcher):
        # SegmentReader.postings wraps the postings to skip deleted documents.
        deleted, matcher = matcher._ids, matcher.child
    if isinstance(matcher, W3LeafMatcher):
        blocks = _w3_blocks(matcher, None if within is None else sorted(within), values)
    else:  # inlined postings (a term in one document) and other matchers: one at a time
        blocks = iter([_one_at_a_time(matcher, values)])
    if not deleted:
        yield from blocks
        return
    for ids, weights, vals in blocks:
        keep = [i for i, d in enumerate(ids) if d not in deleted]
        yield (
            [ids[i] for i in keep],
            [weights[i] for i in keep],
            None if vals is None else [vals[i] for i in keep],
        )


def _w3_blocks(matcher: W3LeafMatcher, wanted: list[int] | None, values: bool):  # type: ignore[no-untyped-def]
    # W3LeafMatcher has no public block API: this reads the block tuple its id()/weight()/
    # value() decode (_data), and the header's largest id (_maxid) its skip_to() reads too.
    below = -1  # every id of the current block is greater
    while matcher.is_active():
        if wanted is not None:
            next_wanted = bisect_right(wanted, below)
            if next_wanted == len(wanted):
                return
            if wanted[next_wanted] > matcher._maxid:  # no candidate here: leave it undecoded
                below = matcher._maxid
                matcher._next_block()
                continue
        if matcher._data is None:
            matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        if not matcher._byteids:
            # W3LeafMatcher._read_ids undoes the delta coding in a Python generator.
            ids = list(accumulate(ids))
        if weights is None or isinstance(weights, float):  # one weight for the whole block
            weights = [1.0 if weights is None else weights] * len(ids)
        if values and matcher._values is None:
            matcher._read_values()
        yield ids, weights, matcher._values if values else None
        below = matcher._maxid
        matcher._next_block()


def _one_at_a_time(matcher, values: bool):  # type: ignore[no-untyped-def]
    ids: list[int] = []
    weights: list[float] = []
    vals: list[bytes] | None = [] if values else None
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if vals is not None:
            vals.append(matcher.value())
        matcher.next()
    return ids, weights, vals
