"""Replacements of Whoosh internals that cost time or memory at every index and search.

Applied once, when ``indexer.store`` is imported (``apply()`` is idempotent). Each keeps
Whoosh's file format and results; only how Whoosh reads its own files, and how it pools,
sorts and spills postings before writing them, change. Measured in ``benchmarks/index.py``
(docs/benchmarks.md, "Indexing").

Written against whoosh-reloaded 2.7.5; each function below names what it replaces.
"""

from __future__ import annotations

import pickle
import zlib

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
    # Replaces whoosh/codec/whoosh3.py W3PostingsWriter._write_block.
    whoosh3.W3PostingsWriter._write_block = _write_block
    _applied = True


def _length_bytes(perdoc, fieldname):
    """The length column of ``fieldname`` as bytes (one byte per document), or None."""
    tables = perdoc.__dict__.setdefault("_length_bytes", {})
    try:
        return tables[fieldname]
    except KeyError:
        reader = perdoc._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        column = None if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        tables[fieldname] = column
        return column


def field_lengths(perdoc, fieldname):
    """Every document's length of ``fieldname`` in one segment, as ``doc_field_length``
    returns it, decoded once and kept on the per-document reader; None without a column."""
    decoded = perdoc.__dict__.setdefault("_decoded_lengths", {})
    if fieldname not in decoded:
        column = _length_bytes(perdoc, fieldname)
        decoded[fieldname] = None if column is None else [_LENGTHS[b] for b in column]
    return decoded[fieldname]


def _doc_field_length(self, docnum, fieldname, default=0):
    """The length of ``fieldname`` in ``docnum``, from the field's length column read once as
    bytes (the values Whoosh's own method returns, None where the byte is 0)."""
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    column = _length_bytes(self, fieldname)
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
            column = None if lengths is None else _length_bytes(lengths, fieldname)
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
    """Whoosh's block writer, compressing only blocks of ``COMPRESS_MIN`` bytes or more (each
    block records its compression level; readers decompress by that flag)."""
    if not self._blockcount:
        self._postfile.write(whoosh3.WHOOSH3_HEADER_MAGIC)
    self._terminfo.add_block(self)
    databytes = dumps((self._mini_ids(), self._mini_weights(), self._mini_values()), 2)
    comp = self._compression if len(databytes) >= COMPRESS_MIN else 0
    if comp:
        databytes = zlib.compress(databytes, comp)
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
