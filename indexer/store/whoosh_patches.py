"""Replacements of Whoosh internals that cost time or memory at every index and search.

Applied once, when ``indexer.store`` is imported (``apply()`` is idempotent). Each keeps
Whoosh's results; how Whoosh reads its own files, and how it pools, sorts and spills
postings before writing them, change. One changes the file format: posting blocks are
written in two parts (``_write_block``), ids and weights apart from positions, so scoring
reads no positions; blocks in Whoosh's own layout (older indexes) still read as before.
Measured in ``benchmarks/index.py`` and ``benchmarks/latency.py`` (docs/benchmarks.md).

Written against whoosh-reloaded 2.7.5; each function below names what it replaces.
"""

from __future__ import annotations

import operator
import pickle
import struct
import sys
import zlib
from array import array
from itertools import accumulate

from whoosh import writing
from whoosh.codec import base, whoosh3
from whoosh.externalsort import SortingPool
from whoosh.filedb.structfile import BufferFile
from whoosh.compat import dumps
from whoosh.util.numeric import byte_to_length, length_to_byte

#: Postings pickled together in one spilled run record (Whoosh pickles them one by one).
RUN_CHUNK = 4096
#: Posting blocks whose pickle is shorter are stored uncompressed: zlib makes them no smaller
#: (our news: under 100 bytes 1.00x or larger, 100-150 bytes 0.84x) and each call costs
#: ~5 microseconds (0.7 s of 19 s for 4,978 articles).
COMPRESS_MIN = 100
#: Bytes scanned at a time when ``readline`` looks for the end of a line.
_LINE_SCAN = 256
#: Most bytes ``peek`` copies (pickle.load asks for 8,192 to prefetch).
_PEEK = 512

#: The compression flag in the block info of a block written in two parts by ``_write_block``
#: (Whoosh's own flags are zlib levels 0-9).
SPLIT_BLOCK = -1
#: A two-part block's data: this header (flags, size of part A), part A (ids and weights,
#: little-endian, never compressed: a search decodes it for every block of every word),
#: part B (the pickled values, as Whoosh pickles them; zlib-compressed from
#: ``COMPRESS_MIN`` bytes).
_SPLIT_HEADER = struct.Struct("<BH")
#: Part A's flags. Ids: the first as uint32 and the rest as uint16 gaps (``IDS16``), or all
#: as uint32. Weights: one float32 for all (``ONE_WEIGHT``), uint8 counts (``WEIGHTS8``,
#: whole numbers under 256, most postings), or float32 each.
IDS16, ONE_WEIGHT, WEIGHTS8 = 1, 4, 8
_B_ZLIB = 2
_BIG_ENDIAN = sys.byteorder == "big"

# byte 0 in a lengths column means "no length": Whoosh returns None for it.
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]

_applied = False
#: Whoosh's own functions, as they were before ``apply()`` (tests compare against them).
ORIGINALS = {
    "doc_field_length": whoosh3.W3PerDocReader.doc_field_length,
    "_write_run": SortingPool._write_run,
    "_read_run": SortingPool._read_run,
    "BufferFile.__init__": BufferFile.__init__,
    "PostingPool": writing.PostingPool,
    "add_postings": whoosh3.W3FieldWriter.add_postings,
    "add_document": writing.SegmentWriter.add_document,
    "_write_block": whoosh3.W3PostingsWriter._write_block,
    "_read_data": whoosh3.W3LeafMatcher._read_data,
    "_read_ids": whoosh3.W3LeafMatcher._read_ids,
    "_read_weights": whoosh3.W3LeafMatcher._read_weights,
    "_read_values": whoosh3.W3LeafMatcher._read_values,
}


def apply() -> None:
    """Install the patches (again: no effect)."""
    global _applied
    if _applied:
        return
    # Trap: a seek, a read and a conversion per posting at write time and per scored document
    # at search time. Replaces whoosh/codec/whoosh3.py W3PerDocReader.doc_field_length.
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length
    # Cost: the spilled posting pool is pickled and unpickled one posting per call.
    # Replaces whoosh/externalsort.py SortingPool._write_run and SortingPool._read_run.
    SortingPool._write_run = _write_run
    SortingPool._read_run = _read_run
    # Trap: BytesIO(memoryview) copies every file of a compound segment out of the mmap into
    # the heap (a reader costs the index's size in RAM). Replaces
    # whoosh/filedb/structfile.py BufferFile.__init__.
    BufferFile.__init__ = _buffer_file_init
    # Cost: every posting is a 5-tuple kept in one list, sorted whole (and spilled, pickled,
    # merged) at commit. Replaces whoosh/writing.py PostingPool (SegmentWriter's pool).
    writing.PostingPool = TermPool
    # Cost: three Python calls and four type assertions per posting on the way to the block
    # buffer, and a length lookup call each. Replaces whoosh/codec/base.py
    # FieldWriter.add_postings for W3FieldWriter (W3PostingsWriter.add_posting inlined).
    whoosh3.W3FieldWriter.add_postings = _add_postings
    # Cost: a 5-tuple built, passed and unpacked per posting between the writer and its pool.
    # Replaces whoosh/writing.py SegmentWriter.add_document (postings go to TermPool.add_field).
    writing.SegmentWriter.add_document = _add_document
    # Trap: a dead "don't compress under 20 bytes" test (overwritten on the next line) sends
    # every block through zlib, most of them a posting or two that come out no smaller.
    # Cost: ids, weights and positions share one pickle, so scoring a word decodes all its
    # positions (for a word in 5,000 articles, 4 ms of 4.3). Replaces whoosh/codec/whoosh3.py
    # W3PostingsWriter._write_block (blocks in two parts) and W3LeafMatcher._read_data,
    # _read_ids, _read_weights and _read_values (which read both layouts).
    whoosh3.W3PostingsWriter._write_block = _write_block
    whoosh3.W3LeafMatcher._read_data = _read_data
    whoosh3.W3LeafMatcher._read_ids = _read_ids
    whoosh3.W3LeafMatcher._read_weights = _read_weights
    whoosh3.W3LeafMatcher._read_values = _read_values
    _applied = True


def length_column(perdoc, fieldname):
    """The length column of ``fieldname`` in one segment as bytes (one byte per document,
    ``byte_to_length`` decodes it, 0 means none), read once and kept on the per-document
    reader (a ``W3PerDocReader``); None when the segment has no such column."""
    tables = perdoc.__dict__.setdefault("_length_bytes", {})
    try:
        return tables[fieldname]
    except KeyError:
        reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        column = None if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        tables[fieldname] = column
        return column


def _doc_field_length(self, docnum, fieldname, default=0):
    """The length of ``fieldname`` in ``docnum``, from the field's length column read once as
    bytes (the values Whoosh's own method returns, None where the byte is 0)."""
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    column = length_column(self, fieldname)
    if column is None:
        return default
    # Past the column's end Whoosh reads the default byte 0, so None as well.
    return _LENGTHS[column[docnum]] if docnum < len(column) else None


def _write_run(self, f, items):
    """One spilled run of the posting pool, pickled ``RUN_CHUNK`` postings at a time."""
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= RUN_CHUNK:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
            chunk = []
    if chunk:
        pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def _read_run(self, path):
    """The postings of a run written by ``_write_run``, in order; the run file is removed."""
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = pickle.load(f)
            except EOFError:
                return
            yield from chunk
    finally:
        f.close()
        self._remove_run(path)


def _buffer_file_init(self, buf, name=None, onclose=None):
    """``BufferFile`` over ``buf`` read in place (``ViewFile``) rather than copied."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


class ViewFile:
    """A read-only file over a memoryview (an mmap's slice), copying only what is read."""

    def __init__(self, view) -> None:
        self._view = memoryview(view)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        start, length = self._pos, len(self._view)
        end = length if size is None or size < 0 else min(start + size, length)
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def peek(self, size: int = 1) -> bytes:
        # pickle.load() prefetches through peek() when a file has it, then read()s only
        # what it used: two calls per pickle instead of one per opcode (whoosh3 reads a
        # pickled header for every posting block it visits).
        # It asks for 8 KB; block headers are tens of bytes, and read() serves the rest.
        return bytes(self._view[self._pos : self._pos + min(max(size, 1), _PEEK)])

    def readline(self, size: int = -1) -> bytes:
        view, start = self._view, self._pos
        limit = len(view) if size is None or size < 0 else min(start + size, len(view))
        end = start
        while end < limit:
            scan = min(end + _LINE_SCAN, limit)
            newline = bytes(view[end:scan]).find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end = scan
        return self.read(end - start)

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class TermPool(writing.PostingPool):
    """Whoosh's posting pool, grouping postings by field and term as they arrive.

    ``SegmentWriter`` adds postings document by document, so each term's postings come in
    ascending document order: only the distinct terms need sorting at commit, not every
    posting, and a posting costs three list slots instead of a 5-tuple. ``items()`` yields
    the 5-tuples ``(fieldname, btext, docnum, weight, vbytes)`` in exactly the order
    ``sorted()`` gives (postings out of document order are sorted too). Past ``limitmb``
    the pool spills a sorted run, and runs are merged as Whoosh merges them.
    """

    #: Estimated bytes of a new term (key, list, dict slot) and of each further posting in a
    #: term's list (three slots; weights are shared); the value's length is added to both.
    #: Measured on 4,978 articles: estimated 137 MB, RSS grew by 176 MB (caches included).
    TERM_BYTES = 170
    POSTING_BYTES = 28

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._terms = {}  # fieldname -> {btext: [docnum, weight, vbytes, docnum, ...]}
        self._in_order = True
        self._weights = {}  # one float object per distinct weight value, not one per posting

    def add(self, item):
        fieldname, btext, docnum, weight, vbytes = item
        if weight.__class__ is float:
            weight = self._weights.setdefault(weight, weight)
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(btext)
        if postings is None:
            terms[btext] = [docnum, weight, vbytes]
            self.currentsize += self.TERM_BYTES + len(btext) + len(vbytes or b"")
        else:
            if docnum <= postings[-3]:
                self._in_order = False
            postings.append(docnum)
            postings.append(weight)
            postings.append(vbytes)
            self.currentsize += self.POSTING_BYTES + len(vbytes or b"")
        if self.currentsize > self.limit:
            self.save()

    def add_field(self, fieldname, docnum, items, boost, scorable):
        """The postings of one field of one document, as ``FieldType.index`` yields them
        (``btext, freq, weight, vbytes``), each weight times ``boost``, as ``add`` would take
        them one by one; returns the field's length (the sum of frequencies if ``scorable``)."""
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        shared = self._weights
        length = size = 0
        in_order = True
        for btext, freq, weight, vbytes in items:
            weight *= boost
            if scorable:
                length += freq
            if weight.__class__ is float:
                weight = shared.setdefault(weight, weight)
            postings = terms.get(btext)
            if postings is None:
                terms[btext] = [docnum, weight, vbytes]
                size += self.TERM_BYTES + len(btext) + len(vbytes or b"")
            else:
                if docnum <= postings[-3]:
                    in_order = False
                postings += (docnum, weight, vbytes)
                size += self.POSTING_BYTES + len(vbytes or b"")
        if not in_order:
            self._in_order = False
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()
        return length

    def _sorted(self):
        in_order = self._in_order
        for fieldname in sorted(self._terms):
            terms = self._terms[fieldname]
            for btext in sorted(terms):
                postings = terms[btext]
                if len(postings) == 3:
                    yield (fieldname, btext, postings[0], postings[1], postings[2])
                    continue
                triples = zip(postings[0::3], postings[1::3], postings[2::3])
                if not in_order:
                    triples = sorted(triples)
                for docnum, weight, vbytes in triples:
                    yield (fieldname, btext, docnum, weight, vbytes)

    def save(self):
        if self._terms:
            path, f = self._new_run()
            self._write_run(f, self._sorted())
            self._add_run(path)
            self._terms = {}
            self._in_order = True
        self.currentsize = 0

    def items(self, maxfiles=128):
        if not self.runs:
            return self._sorted()
        self.save()
        if maxfiles < len(self.runs):
            self.reduce_to(maxfiles, maxfiles)
        runs, self.runs = self.runs, []
        return self._merge_runs(runs)


def _add_postings(self, schema, lengths, items):
    """Whoosh's ``FieldWriter.add_postings`` (sorted 5-tuples -> terms and posting blocks),
    with ``W3PostingsWriter.add_posting`` and the per-posting length lookup inlined; same
    checks, same calls at term and field boundaries, same blocks."""
    if lengths is not None and not isinstance(lengths, whoosh3.W3PerDocReader):
        return ORIGINALS["add_postings"](self, schema, lengths, items)
    lastfn = lasttext = None
    writer = column = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lastfn is not None and fieldname < lastfn:
                raise base.OutOfOrderError("Field %r .. %r" % (lastfn, fieldname))
            if lasttext is not None:
                self.finish_term()
            if lastfn is not None:
                self.finish_field()
            self.start_field(fieldname, schema[fieldname])
            writer = self._postwriter
            if writer.__class__ is not whoosh3.W3PostingsWriter:
                raise TypeError("whoosh_patches._add_postings writes W3PostingsWriter blocks only")
            blocklimit = writer._blocklimit
            lastfn, lasttext = fieldname, None
            column = None if lengths is None else length_column(lengths, fieldname)
            count = 0 if column is None else len(column)
        elif lasttext and btext < lasttext:
            raise base.OutOfOrderError("Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
        if docnum == -1:
            continue  # Whoosh's spelling postings: skipped, as Whoosh skips them
        if btext != lasttext:
            if lasttext is not None:
                self.finish_term()
            self.start_term(btext)
            lasttext = btext
            ids, weights, values = writer._ids, writer._weights, writer._values
        if column is None:
            length = 0
        else:
            if docnum > lengths._doccount:
                raise IndexError("Asked for docnum %r of %d" % (docnum, lengths._doccount))
            length = _LENGTHS[column[docnum]] if docnum < count else None
        if value is None:
            value = b""
        # W3PostingsWriter.add_posting(docnum, weight, value, length):
        if len(ids) >= blocklimit:
            writer._write_block()
            ids, weights, values = writer._ids, writer._weights, writer._values
        ids.append(docnum)
        weights.append(weight)
        if weight > writer._maxweight:
            writer._maxweight = weight
        if value:
            values.append(value)
        if length:
            if writer._minlength is None or length < writer._minlength:
                writer._minlength = length
            if length > writer._maxlength:
                writer._maxlength = length
    if lasttext is not None:
        self.finish_term()
    if lastfn is not None:
        self.finish_field()


def _add_document(self, **fields):
    """Whoosh's ``SegmentWriter.add_document``, line for line, except that each indexed
    field's postings go to ``TermPool.add_field`` in one call. Any other pool, or a schema
    with separate spelling fields (not ours), goes through Whoosh's own method."""
    pool = self.pool
    spelling = self.__dict__.get("_spelling_fields")
    if spelling is None:
        spelling = self._spelling_fields = any(f.separate_spelling() for _, f in self.schema.items())
    if spelling or not isinstance(pool, TermPool):
        return ORIGINALS["add_document"](self, **fields)
    self._check_state()
    perdocwriter = self.perdocwriter
    schema = self.schema
    docnum = self.docnum

    docboost = self._doc_boost(fields)
    fieldnames = sorted([name for name in fields.keys() if not name.startswith("_")])
    self._check_fields(schema, fieldnames)

    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]

            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                items = field.index(value)
                length = pool.add_field(fieldname, docnum, items, fieldboost, field.scorable)

            vformat = field.vector
            if vformat:
                analyzer = field.analyzer
                vitems = vformat.word_values(value, analyzer, mode="index")
                vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                perdocwriter.add_vector_items(fieldname, field, vitems)

            customval = fields.get("_stored_%s" % fieldname, value)
            sv = customval if field.stored else None
            perdocwriter.add_field(fieldname, field, sv, length)

            column = field.column_type
            if column and customval is not None:
                cv = field.to_column_value(customval)
                perdocwriter.add_column_value(fieldname, column, cv)
    except Exception as ex:
        perdocwriter.cancel_doc()
        raise ex

    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


def _write_block(self, last=False):
    """Whoosh's block writer, in two parts (see ``_SPLIT_HEADER``): ids and weights, then
    values."""
    if self._byteids:  # term vectors (ids are terms): Whoosh's layout, small blocks unzipped
        return _write_pickled_block(self, last)
    part_a, flags = _ids_part(self._ids)
    weights_part, weight_flags = _weights_part(self._weights)
    part_a += weights_part
    flags |= weight_flags
    part_b = dumps(self._mini_values(), 2)
    if self._compression and len(part_b) >= COMPRESS_MIN:
        part_b = zlib.compress(part_b, self._compression)
        flags |= _B_ZLIB
    _write_block_bytes(self, _SPLIT_HEADER.pack(flags, len(part_a)) + part_a + part_b, SPLIT_BLOCK, last)


def _ids_part(ids: array) -> tuple[bytes, int]:
    try:
        gaps = array("H", map(operator.sub, ids[1:], ids))
    except OverflowError:  # a gap of 65,536 documents or more
        return _little_endian(ids), 0
    return _little_endian(ids[:1]) + _little_endian(gaps), IDS16


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


def _write_pickled_block(self, last):
    databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
    comp = self._compression if len(databytes) >= COMPRESS_MIN else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
    _write_block_bytes(self, databytes, comp, last)


def _write_block_bytes(self, databytes, comp, last):
    """The rest of Whoosh's ``_write_block``: header magic, block info, data."""
    if not self._blockcount:
        self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
    self._terminfo.add_block(self)
    ids = self._ids
    info = (
        len(ids),
        ids[-1],
        self._maxweight,
        comp,
        length_to_byte(self._minlength),
        length_to_byte(self._maxlength),
    )
    infobytes = dumps(info, 2)
    blocklength = len(infobytes) + len(databytes)
    if last:
        blocklength *= -1  # the last block of a term: a negative length
    postfile = self._postfile
    postfile.write_int(blocklength)
    postfile.write(infobytes)
    postfile.write(databytes)
    self._blockcount += 1
    self._new_block()


def _little_endian(values: array) -> bytes:
    if _BIG_ENDIAN:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


class SplitBlock:
    """The data of a two-part block; the values (part B) are decoded when asked for."""

    __slots__ = ("count", "flags", "part_a", "_raw", "_a_end")

    def __init__(self, raw: bytes, count: int) -> None:
        self._raw = raw
        self.count = count
        self.flags, size = _SPLIT_HEADER.unpack_from(raw)
        self._a_end = _SPLIT_HEADER.size + size
        #: ids then weights, laid out as ``flags`` say (see ``IDS16`` and the next two).
        self.part_a = memoryview(raw)[_SPLIT_HEADER.size:self._a_end]

    def ids_size(self) -> int:
        """Bytes of ``part_a`` holding the ids."""
        return 4 + 2 * (self.count - 1) if self.flags & IDS16 else 4 * self.count

    def ids(self) -> array:
        data = self.part_a[: self.ids_size()]
        if not self.flags & IDS16:
            return _native(array("I"), data)
        first = _native(array("I"), data[:4])[0]
        return array("I", accumulate(_native(array("H"), data[4:]), initial=first))

    def weights(self) -> array:
        data = self.part_a[self.ids_size():]
        if self.flags & WEIGHTS8:
            return array("f", data.tolist())
        decoded = _native(array("f"), data)
        return decoded * self.count if self.flags & ONE_WEIGHT else decoded

    def values(self):  # type: ignore[no-untyped-def]
        part = self._raw[self._a_end:]
        if self.flags & _B_ZLIB:
            part = zlib.decompress(part)
        return pickle.loads(part)


def _native(values: array, data: bytes) -> array:
    values.frombytes(data)
    if _BIG_ENDIAN:
        values.byteswap()
    return values


def _read_data(self):
    """A block's data: a ``SplitBlock`` for two-part blocks, Whoosh's tuple otherwise."""
    if self._compression != SPLIT_BLOCK:
        return ORIGINALS["_read_data"](self)
    self._data = SplitBlock(self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset), self._blocklength)


def _read_ids(self):
    if self._compression != SPLIT_BLOCK:
        return ORIGINALS["_read_ids"](self)
    if self._data is None:
        self._read_data()
    self._ids = self._data.ids()


def _read_weights(self):
    if self._compression != SPLIT_BLOCK:
        return ORIGINALS["_read_weights"](self)
    if self._data is None:
        self._read_data()
    self._weights = self._data.weights()


def _read_values(self):
    """Whoosh's ``_read_values`` (fixed-size values cut apart) on either layout."""
    if self._compression != SPLIT_BLOCK:
        return ORIGINALS["_read_values"](self)
    if self._data is None:
        self._read_data()
    self._values = cut_values(self._data.values(), self._fixedsize, self._blocklength)


def cut_values(values, fixedsize: int | None, count: int):  # type: ignore[no-untyped-def]
    """A block's stored values as one per posting, as ``W3LeafMatcher._read_values`` cuts
    them: kept (variable size), ``None`` each (size 0), or fixed-size slices."""
    if fixedsize is None or fixedsize < 0:
        return values
    if fixedsize == 0:
        return (None,) * count
    return tuple(values[i:i + fixedsize] for i in range(0, len(values), fixedsize))
