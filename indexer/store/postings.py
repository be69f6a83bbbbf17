"""A term's postings as arrays: the fast path under term-at-a-time scoring.

Whoosh's matchers hand out one posting per Python call (`id()`, `weight()`, `next()`),
about a microsecond each before any scoring. Here a term's posting blocks (whoosh3
layout, up to `sync.BLOCK_POSTINGS` postings each) are read in place from the postings
file, a block's ids and weights become NumPy arrays in one step, and positions are
decoded only where a phrase or NEAR asks for them. Blocks written in two parts
(`whoosh_patches._write_block`) give ids and weights without touching the positions;
blocks in Whoosh's own layout (older indexes) are decoded whole.
"""

from __future__ import annotations

import struct
import zlib
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterator
from itertools import accumulate
from pickle import dumps, loads
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermsReader
from whoosh.filedb.structfile import BufferFile
from whoosh.formats import Format, Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from indexer.store import whoosh_patches
from indexer.store.whoosh_patches import SPLIT_BLOCK, SplitBlock

#: byte in a length column -> length (0: none, read as 0 here; a document holding a term
#: in a field always has a length there).
_LENGTH_OF_BYTE = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])
_BLOCK_SIZE = struct.Struct("!i")  # whoosh.system pack_int
_NO_IDS = np.zeros(0, dtype=np.intp)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)


def field_lengths(reader, field: str) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """Each document's length of ``field`` in one segment (what ``doc_field_length``
    returns, 0 for none) as float64, decoded once per segment and field; None when the
    segment has no length column for it."""
    perdoc = reader._perdoc  # a W3PerDocReader
    cache = perdoc.__dict__.setdefault("_length_arrays", {})
    if field not in cache:
        column = whoosh_patches.length_column(perdoc, field)
        if column is None:
            cache[field] = None
        else:
            lengths = np.zeros(max(len(column), reader.doc_count_all()), dtype=np.float64)
            lengths[: len(column)] = _LENGTH_OF_BYTE[np.frombuffer(column, dtype=np.uint8)]
            cache[field] = lengths
    return cache[field]


def position_decoder(fmt: Format) -> Callable[[bytes], list[int]]:
    """Encoded posting value -> positions, for the field's posting format."""
    if type(fmt) is not Positions:
        return fmt.decode_positions
    # formats.Positions.encode writes pack_uint(count) + pickle of the position deltas;
    # its decoder sums the deltas in a Python loop, accumulate() does it in C.
    return lambda value: list(accumulate(loads(value[_INT_SIZE:])))


def term_info(reader, field: str, btext: bytes):  # type: ignore[no-untyped-def]
    """The term's `TermInfo` in one segment, or None when the segment lacks it (one
    lookup: `(field, btext) in reader` and `reader.postings()` each make their own)."""
    try:
        return reader.term_info(field, btext)
    except TermNotFound:
        return None


def posting_arrays(reader, field: str, btext: bytes, within: np.ndarray | None = None, info=None) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Docnums (ascending) and weights of the term's postings in one segment, deleted
    documents left out. With `within` (a sorted array of docnums), blocks holding none of
    them are passed over undecoded: the ids returned may still include others. The term
    must exist in `reader` (check with `in`, or pass its `term_info`)."""
    terms = reader._terms
    if type(terms) is not W3TermsReader:  # another codec: one posting at a time
        matcher, deleted = _live_matcher(reader, field, btext)
        ids, weights, _ = _one_at_a_time(matcher, values=False)
        return _live(deleted, [(np.array(ids, dtype=np.intp), np.array(weights, dtype=np.float64))])
    if info is None:
        info = terms.term_info(field, btext)
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        parts = [(np.array(ids, dtype=np.intp), np.array(weights, dtype=np.float64))]
    else:
        parts = [_block_arrays(block) for block in _raw_blocks(terms._postfile, info, within)]
    return _live(reader.deleted_docs_set, parts)


def _live(deleted, parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    if not parts:
        return _NO_IDS, _NO_WEIGHTS
    if len(parts) == 1:
        ids, weights = parts[0]
    else:
        ids = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
    if deleted:
        live = ~np.isin(ids, np.fromiter(deleted, dtype=np.intp))
        ids, weights = ids[live], weights[live]
    return ids, weights


class _RawBlock(NamedTuple):
    count: int
    maxid: int
    compression: int  # zlib level of Whoosh's layout, or whoosh_patches.SPLIT_BLOCK
    data: memoryview


def _raw_blocks(postfile, info, within: np.ndarray | None) -> Iterator[_RawBlock]:  # type: ignore[no-untyped-def]
    """The term's posting blocks, read in place from the postings file's buffer; with
    `within`, only blocks that may hold one of those docnums.

    A posting list (whoosh3 `W3PostingsWriter`) is a 4-byte tag, then per block: a
    big-endian int32 size (negative for the last block), the pickled block info, the data.
    `W3LeafMatcher._goto` reads each through three file calls and a pickle load over a
    file object; here the info is unpickled from the buffer and its length is that of its
    own protocol-2 pickle (how Whoosh, and whoosh_patches, write it)."""
    offset, length = info.extent()
    if isinstance(length, tuple):  # Whoosh trap: W3TermInfo.from_bytes keeps unpack_int's tuple
        (length,) = length
    if isinstance(postfile, BufferFile):  # an mmap'd compound segment: read in place
        data = postfile._buf[offset:offset + length]
    else:
        data = memoryview(postfile.get(offset, length))
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting list at {offset} does not start with Whoosh's block tag")
    wanted = None if within is None else within.tolist()
    if wanted == []:
        return
    next_wanted = 0  # the first wanted docnum past the blocks already passed
    position = 4
    while position < length:
        (size,) = _BLOCK_SIZE.unpack_from(data, position)
        position += _BLOCK_SIZE.size
        last, size = size < 0, abs(size)
        block_info = loads(data[position:position + size])
        count, maxid, _, compression = block_info[:4]
        if wanted is None or wanted[next_wanted] <= maxid:
            skip = len(dumps(block_info, 2))
            yield _RawBlock(count, maxid, compression, data[position + skip:position + size])
        if wanted is not None:
            next_wanted = bisect_right(wanted, maxid, next_wanted)
            if next_wanted == len(wanted):
                return
        position += size
        if last:
            return


def _block_arrays(block: _RawBlock) -> tuple[np.ndarray, np.ndarray]:
    if block.compression == SPLIT_BLOCK:
        return _split_arrays(SplitBlock(block.data, block.count))
    raw = zlib.decompress(block.data) if block.compression else block.data
    ids, weights, _ = loads(raw)  # Whoosh's layout: delta-coded ids, weights, values
    ids = np.cumsum(np.array(ids, dtype=np.intp))
    if weights is None or isinstance(weights, float):  # None: all 1.0; a float: all the same
        return ids, np.full(block.count, 1.0 if weights is None else weights)
    return ids, np.array(weights, dtype=np.float64)


def posting_values(reader, field: str, btext: bytes, within: Collection[int] | None, info=None) -> dict[int, bytes]:  # type: ignore[no-untyped-def]
    """docnum -> encoded posting value (positions) of the term in one segment, for the
    live documents in `within` (all when None); blocks holding none are not decoded."""
    terms = reader._terms
    if type(terms) is not W3TermsReader:  # another codec: one posting at a time
        matcher, deleted = _live_matcher(reader, field, btext)
        ids, _, vals = _one_at_a_time(matcher, values=True)
        blocks: Iterator = iter([(ids, vals)])
    else:
        deleted = reader.deleted_docs_set
        if info is None:
            info = terms.term_info(field, btext)
        if info.is_inlined():
            ids, _, vals = info.inlined_postings()
            blocks = iter([(ids, vals)])
        else:
            wanted = None if within is None else np.array(sorted(within), dtype=np.intp)
            fixedsize = reader.schema[field].format.fixed_value_size()
            blocks = (_block_values(block, fixedsize) for block in _raw_blocks(terms._postfile, info, wanted))
    found: dict[int, bytes] = {}
    for ids, vals in blocks:
        if within is None:
            found.update(zip(ids, vals))
        else:
            found.update((d, v) for d, v in zip(ids, vals) if d in within)
    for docnum in deleted:
        found.pop(docnum, None)
    return found


def _live_matcher(reader, field: str, btext: bytes):  # type: ignore[no-untyped-def]
    """The term's raw matcher and the set of deleted documents it would have skipped."""
    matcher = reader.postings(field, btext)
    if isinstance(matcher, FilterMatcher):
        # SegmentReader.postings wraps the postings to skip deleted documents.
        return matcher.child, matcher._ids
    return matcher, ()


def _split_arrays(block: SplitBlock) -> tuple[np.ndarray, np.ndarray]:
    """A two-part block's ids and weights (``whoosh_patches._ids_part``, ``_weights_part``)."""
    count, flags, data = block.count, block.flags, block.part_a
    cut = block.ids_size()
    if flags & whoosh_patches.IDS16:
        ids = np.empty(count, dtype=np.intp)
        ids[0] = int.from_bytes(data[:4], "little")
        ids[1:] = np.frombuffer(data[4:cut], dtype="<u2")
        np.add.accumulate(ids, out=ids)  # np.cumsum's Python wrapper costs as much again
    else:
        ids = np.frombuffer(data[:cut], dtype="<u4").astype(np.intp)
    if flags & whoosh_patches.WEIGHTS8:
        weights = np.frombuffer(data[cut:], dtype=np.uint8).astype(np.float64)
    elif flags & whoosh_patches.ONE_WEIGHT:
        weights = np.full(count, np.frombuffer(data[cut:], dtype="<f4")[0], dtype=np.float64)
    else:
        weights = np.frombuffer(data[cut:], dtype="<f4").astype(np.float64)
    return ids, weights


def _block_values(block: _RawBlock, fixedsize: int | None) -> tuple[list[int], tuple]:
    """A block's ids and values, values cut as `W3LeafMatcher._read_values` cuts them."""
    if block.compression == SPLIT_BLOCK:
        split = SplitBlock(block.data, block.count)
        ids, values = _split_arrays(split)[0].tolist(), split.values()
    else:
        raw = zlib.decompress(block.data) if block.compression else block.data
        gaps, _, values = loads(raw)
        ids = list(accumulate(gaps))
    return ids, whoosh_patches.cut_values(values, fixedsize, block.count)


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


class TermPositions(NamedTuple):
    """Where a term stands in some documents of one segment: ``ids`` ascending, and the
    positions of ``ids[i]`` are ``positions[offsets[i]:offsets[i + 1]]`` (ascending)."""

    ids: np.ndarray  # intp
    offsets: np.ndarray  # intp, len(ids) + 1
    positions: np.ndarray  # int64

    def of(self, i: int) -> np.ndarray:
        """The positions in the ``i``-th document."""
        return self.positions[self.offsets[i]:self.offsets[i + 1]]


def posting_positions(reader, field: str, btext: bytes, within: np.ndarray, info=None) -> TermPositions:  # type: ignore[no-untyped-def]
    """The term's positions in each live document of ``within`` (sorted docnums) that
    holds it, in one segment; blocks holding none of them are not decoded."""
    values = posting_values(reader, field, btext, set(within.tolist()), info)
    decode = position_decoder(reader.schema[field].format)
    ids = np.array(sorted(values), dtype=np.intp)
    lists = [decode(values[d]) for d in ids.tolist()]
    offsets = np.zeros(len(ids) + 1, dtype=np.intp)
    np.cumsum([len(p) for p in lists], out=offsets[1:])
    flat = np.fromiter((p for plist in lists for p in plist), dtype=np.int64, count=int(offsets[-1]))
    return TermPositions(ids, offsets, flat)
