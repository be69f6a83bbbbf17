"""The posting layout of corpus indexes on disk: the one module that writes and reads it.

A term's postings in one segment form a posting list in the segment's postings file
(``.pst``), found through the term's ``W3TermInfo`` (offset and length):

    posting list := MAGIC block*
    block        := header ids weights values
    header       := _HEADER: postings, flags, last docnum, bytes of ids + weights, bytes of values

A block holds up to ``BLOCK_POSTINGS`` postings, each part a flat array read with one
``np.frombuffer``:

- ids: the first docnum as uint32 and the rest as uint16 gaps (``IDS16``), or all uint32;
- weights: one float32 for all (``ONE_WEIGHT``), a uint8 count each (``WEIGHTS8``: whole
  numbers under 256, most postings), or a float32 each;
- values, by the field's format: none (``Existence``: ids and weights say everything);
  positions (``PackedPositions``): each posting's count of positions (uint8 with
  ``COUNTS8``, else uint32), then every posting's positions in order (uint16 with ``POS16``,
  else uint32); any other format: its value strings, pickled (``PICKLED``).

Scoring reads ids and weights and never touches positions; a phrase or NEAR reads positions
only from blocks that hold a candidate document. Everything is little-endian and nothing is
compressed: a block decodes with a few array views instead of zlib and unpickling.

``FORMAT`` names this layout in each generation's ``meta.json``; an index written in
another layout is refused with "run ``corpus index --rebuild``" (``store/location.py``).
"""

from __future__ import annotations

import pickle
import struct
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import numpy as np
from whoosh.formats import Format
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.analysis.analyzers import PackedPositions

#: The layout's name, recorded in ``meta.json`` (bump it with any change below).
FORMAT = "corpus-postings-1"
#: The first bytes of every posting list.
MAGIC = b"CPL1"
#: Postings per block. A search reads every block of each of its words, segment by
#: segment, at a fixed cost per block: a word in a few thousand articles is one block
#: per segment (docs/benchmarks.md, "Query latency").
BLOCK_POSTINGS = 1024

_HEADER = struct.Struct("<HHIII")  # postings, flags, last docnum, ids+weights bytes, values bytes
IDS16, ONE_WEIGHT, WEIGHTS8, POSITIONS, PICKLED, COUNTS8, POS16 = 1, 2, 4, 8, 16, 32, 64

_BIG_ENDIAN = not np.little_endian
_U8, _U16, _U32, _F32 = np.dtype("u1"), np.dtype("<u2"), np.dtype("<u4"), np.dtype("<f4")
#: byte in a length column -> length (0: none, read as 0 here; a document holding a term
#: in a field always has a length there).
_LENGTH_OF_BYTE = np.array([0.0] + [float(byte_to_length(b)) for b in range(1, 256)])
#: Packed positions (bytes) above which a block's positions are converted with NumPy.
_NUMPY_FROM = 1024
_NO_IDS = np.zeros(0, dtype=np.intp)
_NO_WEIGHTS = np.zeros(0, dtype=np.float64)
_NO_POSITIONS = np.zeros(0, dtype=np.int64)


# --- writing ------------------------------------------------------------------------------


def encode_block(ids: array, weights: array, values: Sequence[bytes], fmt: Format) -> bytes:
    """One block of postings: ``ids`` ascending (array "I"), ``weights`` (array "f") and,
    per posting, the value ``fmt`` encoded (Whoosh leaves out empty values)."""
    if type(fmt) is PackedPositions and len(values) != len(ids):
        # Whoosh drops empty values: a posting without positions would shift the others.
        raise ValueError("every posting of a positions field needs at least one position")
    part, flags = _ids_part(ids)
    weight_bytes, weight_flags = _weights_part(weights)
    values_part, value_flags = _values_part(values, fmt)
    flags |= weight_flags | value_flags
    return _HEADER.pack(len(ids), flags, ids[-1], len(part) + len(weight_bytes), len(values_part)) + part + weight_bytes + values_part


def _ids_part(ids: array) -> tuple[bytes, int]:
    if len(ids) == 1:
        return _little_endian(ids), 0
    gaps = np.diff(np.frombuffer(ids, dtype=np.uint32).astype(np.int64)) if len(ids) > 64 else None
    if gaps is not None:
        if gaps.max() < 65536:
            return _little_endian(ids[:1]) + gaps.astype(_U16).tobytes(), IDS16
        return _little_endian(ids), 0
    try:
        small = array("H", [b - a for a, b in zip(ids, ids[1:])])
    except OverflowError:  # a gap of 65,536 documents or more
        return _little_endian(ids), 0
    return _little_endian(ids[:1]) + _little_endian(small), IDS16


def _weights_part(weights: array) -> tuple[bytes, int]:
    if weights.count(weights[0]) == len(weights):
        return _little_endian(weights[:1]), ONE_WEIGHT
    try:
        counts = bytes(map(int, weights))
    except ValueError:  # negative, or 256 and more
        counts = None
    if counts is not None and array("f", array("B", counts)) == weights:
        return counts, WEIGHTS8
    return _little_endian(weights), 0


def _values_part(values: Sequence[bytes], fmt: Format) -> tuple[bytes, int]:
    if not values:
        return b"", 0
    if type(fmt) is not PackedPositions:
        return pickle.dumps(tuple(values), pickle.HIGHEST_PROTOCOL), PICKLED
    flags = POSITIONS
    counts = [len(value) >> 2 for value in values]
    if max(counts) < 256:
        count_bytes, flags = bytes(counts), flags | COUNTS8
    else:
        count_bytes = _little_endian(array("I", counts))
    packed = b"".join(values)  # PackedPositions: uint32, little-endian
    if len(packed) > _NUMPY_FROM:
        wide = np.frombuffer(packed, dtype=_U32)
        if wide.max() < 65536:
            return count_bytes + wide.astype(_U16).tobytes(), flags | POS16
        return count_bytes + packed, flags
    positions = array("I")  # a few positions: plain arrays cost less than NumPy's calls
    positions.frombytes(packed)
    if _BIG_ENDIAN:
        positions.byteswap()
    if max(positions) < 65536:
        return count_bytes + _little_endian(array("H", positions)), flags | POS16
    return count_bytes + packed, flags


def _little_endian(values: array) -> bytes:
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


# --- reading ------------------------------------------------------------------------------


class Block(NamedTuple):
    """One block as stored: its header's fields and its two parts, not yet decoded."""

    count: int
    flags: int
    last: int  # the block's highest docnum
    ids_weights: memoryview
    values: memoryview

    def ids_size(self) -> int:
        """Bytes of ``ids_weights`` holding the ids."""
        return 4 + 2 * (self.count - 1) if self.flags & IDS16 else 4 * self.count

    def ids(self) -> np.ndarray:
        cut = self.ids_size()
        if self.flags & IDS16:
            ids = np.empty(self.count, dtype=np.intp)
            ids[0] = int.from_bytes(self.ids_weights[:4], "little")
            ids[1:] = np.frombuffer(self.ids_weights[4:cut], dtype=_U16)
            np.add.accumulate(ids, out=ids)  # np.cumsum's Python wrapper costs as much again
            return ids
        return np.frombuffer(self.ids_weights[:cut], dtype=_U32).astype(np.intp)

    def weights(self) -> np.ndarray:
        data = self.ids_weights[self.ids_size():]
        if self.flags & WEIGHTS8:
            return np.frombuffer(data, dtype=_U8).astype(np.float64)
        if self.flags & ONE_WEIGHT:
            return np.full(self.count, np.frombuffer(data, dtype=_F32)[0], dtype=np.float64)
        return np.frombuffer(data, dtype=_F32).astype(np.float64)

    def counts(self) -> np.ndarray:
        """Each posting's number of positions (a block of a positions field)."""
        if self.flags & COUNTS8:
            return np.frombuffer(self.values[: self.count], dtype=_U8).astype(np.intp)
        return np.frombuffer(self.values[: 4 * self.count], dtype=_U32).astype(np.intp)

    def positions(self) -> np.ndarray:
        """Every posting's positions, one after another (see ``counts``)."""
        data = self.values[self.count if self.flags & COUNTS8 else 4 * self.count:]
        return np.frombuffer(data, dtype=_U16 if self.flags & POS16 else _U32).astype(np.int64)

    def value_strings(self) -> list[bytes]:
        """Each posting's value as its format encodes it (what Whoosh's matchers return)."""
        if self.flags & POSITIONS:
            counts = self.counts().tolist()
            packed = self.positions().astype(_U32).tobytes()
            ends = np.cumsum(counts).tolist()
            return [packed[4 * (end - count):4 * end] for count, end in zip(counts, ends)]
        if self.flags & PICKLED:
            return list(pickle.loads(self.values))
        return [b""] * self.count


def blocks(postings: memoryview, within: np.ndarray | None = None) -> Iterator[Block]:
    """The blocks of a posting list (read in place); with ``within`` (sorted docnums),
    only blocks that may hold one of them."""
    if postings[:4] != MAGIC:
        raise ValueError("not a corpus posting list (run `corpus index --rebuild`)")
    wanted = None if within is None else within.tolist()
    if wanted == []:
        return
    next_wanted = 0  # the first wanted docnum past the blocks already passed
    position, end = 4, len(postings)
    unpack = _HEADER.unpack_from
    while position < end:
        count, flags, last, size, values_size = unpack(postings, position)
        start = position + _HEADER.size
        position = start + size + values_size
        if wanted is not None:
            if wanted[next_wanted] > last:
                continue
            first = int.from_bytes(postings[start:start + 4], "little")  # ids start with the first as uint32
            at = bisect_left(wanted, first, next_wanted)
            if at == len(wanted):  # every docnum still wanted lies between blocks
                return
            holds = wanted[at] <= last
            next_wanted = bisect_right(wanted, last, next_wanted)
            if not holds:
                if next_wanted == len(wanted):
                    return
                continue
        yield Block(count, flags, last, postings[start:start + size], postings[start + size:position])
        if wanted is not None and next_wanted == len(wanted):
            return


def term_info(reader, field: str, btext: bytes):  # type: ignore[no-untyped-def]
    """The term's ``TermInfo`` in one segment, or None when the segment lacks it (one
    lookup: ``(field, btext) in reader`` and ``reader.postings()`` each make their own)."""
    try:
        return reader.term_info(field, btext)
    except TermNotFound:
        return None


def posting_list(reader, info) -> memoryview:  # type: ignore[no-untyped-def]
    """A term's posting list in one segment (``info``: its ``term_info``), read in place
    from the memory-mapped postings file where it can be."""
    return reader.codec().posting_list(reader._terms._postfile, info)


def posting_arrays(reader, field: str, btext: bytes, within: np.ndarray | None = None, info=None) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Docnums (ascending) and weights of the term's postings in one segment, deleted
    documents left out. With ``within`` (sorted docnums), blocks holding none of them are
    passed over undecoded: the ids returned may still include others. The term must
    exist in ``reader`` (pass its ``term_info``, or it is looked up)."""
    if info is None:
        info = reader.term_info(field, btext)
    parts = [(block.ids(), block.weights()) for block in blocks(posting_list(reader, info), within)]
    if not parts:
        return _NO_IDS, _NO_WEIGHTS
    if len(parts) == 1:
        ids, weights = parts[0]
    else:
        ids = np.concatenate([p[0] for p in parts])
        weights = np.concatenate([p[1] for p in parts])
    deleted = reader.deleted_docs_set
    if deleted:
        live = ~np.isin(ids, np.fromiter(deleted, dtype=np.intp, count=len(deleted)))
        ids, weights = ids[live], weights[live]
    return ids, weights


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
    if info is None:
        info = reader.term_info(field, btext)
    ids_parts, count_parts, position_parts = [], [], []
    for block in blocks(posting_list(reader, info), within):
        if not block.flags & POSITIONS:
            raise ValueError(f"field {field!r} has no positions")
        ids, counts, positions = block.ids(), block.counts(), block.positions()
        keep = np.isin(ids, within, assume_unique=True)
        if not keep.all():
            positions = positions[np.repeat(keep, counts)]
            ids, counts = ids[keep], counts[keep]
        ids_parts.append(ids)
        count_parts.append(counts)
        position_parts.append(positions)
    if not ids_parts:
        return TermPositions(_NO_IDS, np.zeros(1, dtype=np.intp), _NO_POSITIONS)
    ids = np.concatenate(ids_parts) if len(ids_parts) > 1 else ids_parts[0]
    counts = np.concatenate(count_parts) if len(count_parts) > 1 else count_parts[0]
    positions = np.concatenate(position_parts) if len(position_parts) > 1 else position_parts[0]
    deleted = reader.deleted_docs_set
    if deleted:
        live = ~np.isin(ids, np.fromiter(deleted, dtype=np.intp, count=len(deleted)))
        if not live.all():
            positions = positions[np.repeat(live, counts)]
            ids, counts = ids[live], counts[live]
    offsets = np.zeros(len(ids) + 1, dtype=np.intp)
    np.cumsum(counts, out=offsets[1:])
    return TermPositions(ids, offsets, positions)


def field_lengths(reader, field: str) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """Each document's length of ``field`` in one segment (what ``doc_field_length``
    returns, 0 for none) as float64, decoded once per segment and field; None when the
    segment has no length column for it."""
    perdoc = reader._perdoc  # the codec's per-document reader (CorpusPerDocReader)
    return perdoc.length_array(field, reader.doc_count_all(), _LENGTH_OF_BYTE)
