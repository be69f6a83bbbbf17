"""Whoosh's codec classes, subclassed so that corpus indexes use our posting layout.

Whoosh lets a caller choose the codec a writer uses, and a segment remembers the codec
that wrote it (pickled in the index's TOC), so everything here reaches only the indexes
corpus writes: no Whoosh class or module is changed. What differs from ``W3Codec``:

- posting blocks are written and read in the layout of ``store/postings.py``
  (``CorpusPostingsWriter``; ``postings_reader`` decodes it for Whoosh's own callers);
- the field writer takes a term's postings straight into its block buffer
  (``CorpusFieldWriter.add_postings``);
- a compound segment's files are read in place from the memory map (``MappedFile``);
- field lengths come from the length column read once as bytes (``CorpusPerDocReader``).

The classes pickled into an index (``CorpusCodec``, ``CorpusSegment``) keep this module
path and their names, or existing indexes stop opening. Written against whoosh-reloaded
2.7.5 (pinned exactly in pyproject.toml); each method names what it replaces.
"""

from __future__ import annotations

import numpy as np
from whoosh.codec import base, whoosh3
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

from indexer.store.postings import BLOCK_POSTINGS, MAGIC, blocks, encode_block
from indexer.store.streams import TEXT_FIELDS, Collector
from indexer.store.unpickling import safe_loads

#: Bytes scanned at a time when ``readline`` looks for the end of a line.
_LINE_SCAN = 256
#: Most bytes ``peek`` copies (pickle.load asks for 8,192 to prefetch).
_PEEK = 512
# byte 0 in a lengths column means "no length": Whoosh returns None for it.
_LENGTHS = [None] + [byte_to_length(b) for b in range(1, 256)]


class CorpusCodec(whoosh3.W3Codec):
    """``W3Codec`` writing and reading posting blocks in the layout of ``store/postings.py``."""

    def __init__(self, blocklimit: int = BLOCK_POSTINGS, compression: int = 0, inlinelimit: int = 1) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):  # type: ignore[no-untyped-def]
        return CorpusFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):  # type: ignore[no-untyped-def]
        if byteids:  # term vectors (ids are terms): Whoosh's own blocks
            return super().postings_writer(dbfile, byteids=True)
        return CorpusPostingsWriter(dbfile, blocklimit=self._blocklimit, inlinelimit=self._inlinelimit)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):  # type: ignore[no-untyped-def]
        """A matcher over the term's decoded postings, for Whoosh's own callers (merging,
        ``delete_by_term``, per-source counts); searches read blocks through
        ``store/postings.py`` instead."""
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for block in blocks(self.posting_list(dbfile, terminfo)):
            ids += block.ids().tolist()
            weights += block.weights().tolist()
            values += block.value_strings()
        return ListMatcher(ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo)

    @staticmethod
    def posting_list(postfile, terminfo) -> memoryview:  # type: ignore[no-untyped-def]
        """The bytes of a term's posting list, in place where the file is memory-mapped."""
        offset, length = terminfo.extent()
        if isinstance(length, tuple):  # Whoosh trap: W3TermInfo.from_bytes keeps unpack_int's tuple
            (length,) = length
        if isinstance(postfile, MappedFile):
            return postfile.view(offset, length)
        return memoryview(postfile.get(offset, length))

    def per_document_reader(self, storage, segment):  # type: ignore[no-untyped-def]
        return CorpusPerDocReader(storage, segment)

    def new_segment(self, storage, indexname):  # type: ignore[no-untyped-def]
        return CorpusSegment(self, indexname)


class CorpusSegment(whoosh3.W3Segment):
    """A ``W3Segment`` whose compound file is read in place (``MappedCompoundStorage``)."""

    def open_compound_file(self, storage):  # type: ignore[no-untyped-def]
        # Replaces whoosh/codec/base.py Segment.open_compound_file.
        name = self.make_filename(self.COMPOUND_EXT)
        return MappedCompoundStorage(storage.open_file(name), use_mmap=storage.supports_mmap)


class MappedCompoundStorage(CompoundStorage):
    """A compound segment whose files are views of its memory map."""

    def open_file(self, name, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Trap: Whoosh's BufferFile wraps the mmap's slice in BytesIO, which copies it: every
        # reader of a compound segment would cost the segment's size in RAM.
        # Whoosh trap: close() deletes ``_source`` when views of the map are still alive.
        if self.is_closed or self._source is None:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return MappedFile(memoryview(self._source)[offset:offset + length], name=name)


class MappedFile(BufferFile):
    """Whoosh's ``BufferFile`` over a memory-mapped slice, read in place (``ViewFile``)."""

    def __init__(self, buf, name=None, onclose=None):  # type: ignore[no-untyped-def]
        self._buf = buf
        self._name = name
        self.file = ViewFile(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):  # type: ignore[no-untyped-def]
        return MappedFile(self._buf[position:position + length], name=name or self._name)

    def view(self, position: int, length: int) -> memoryview:
        """``length`` bytes from ``position``, not copied."""
        return self._buf[position:position + length]


class ViewFile:
    """A read-only file over a memoryview (an mmap's slice), copying only what is read."""

    def __init__(self, view) -> None:  # type: ignore[no-untyped-def]
        self._view = memoryview(view)
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        start, length = self._pos, len(self._view)
        end = length if size is None or size < 0 else min(start + size, length)
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def peek(self, size: int = 1) -> bytes:
        # pickle.load() prefetches through peek() when a file has it, then read()s only
        # what it used: two calls per pickle instead of one per opcode.
        return bytes(self._view[self._pos:self._pos + min(max(size, 1), _PEEK)])

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

    def __iter__(self):  # type: ignore[no-untyped-def]
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base_position = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base_position + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")


class CorpusPerDocReader(whoosh3.W3PerDocReader):
    """``W3PerDocReader`` reading each field's length column once, as bytes."""

    def length_column(self, fieldname: str) -> bytes | None:
        """The length column of ``fieldname`` (one byte per document, ``byte_to_length``
        decodes it, 0 means none); None when the segment has no such column."""
        tables = self.__dict__.setdefault("_length_bytes", {})
        if fieldname not in tables:
            reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
            tables[fieldname] = None if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        return tables[fieldname]

    def length_array(self, fieldname: str, doccount: int, lengths_of_bytes: np.ndarray) -> np.ndarray | None:
        """Each document's length of ``fieldname`` as float64 (0 for none), decoded once."""
        arrays = self.__dict__.setdefault("_length_arrays", {})
        if fieldname not in arrays:
            column = self.length_column(fieldname)
            if column is None:
                arrays[fieldname] = None
            else:
                lengths = np.zeros(max(len(column), doccount), dtype=np.float64)
                lengths[: len(column)] = lengths_of_bytes[np.frombuffer(column, dtype=np.uint8)]
                arrays[fieldname] = lengths
        return arrays[fieldname]

    def stored_fields(self, docnum):  # type: ignore[no-untyped-def]
        # Replaces W3PerDocReader.stored_fields: the stored column is pickled, and is read
        # by the restricted unpickler (see unpickling.py).
        raw = self._cached_reader("_stored", whoosh3.STORED_COLUMN)._child[docnum]
        return safe_loads(raw) if raw else {}

    def doc_field_length(self, docnum, fieldname, default=0):  # type: ignore[no-untyped-def]
        # Cost: Whoosh seeks and reads one byte per call (per posting when writing, per
        # scored document when searching). Replaces W3PerDocReader.doc_field_length.
        if docnum > self._doccount:
            raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
        column = self.length_column(fieldname)
        if column is None:
            return default
        # Past the column's end Whoosh reads the default byte 0, so None as well.
        return _LENGTHS[column[docnum]] if docnum < len(column) else None


class CorpusPostingsWriter(whoosh3.W3PostingsWriter):
    """``W3PostingsWriter`` writing blocks in the layout of ``store/postings.py``."""

    def __init__(self, postfile, blocklimit: int, inlinelimit: int = 1) -> None:  # type: ignore[no-untyped-def]
        super().__init__(postfile, blocklimit, byteids=False, compression=0, inlinelimit=inlinelimit)
        #: Given each block written, when the field's word stream is saved (`CorpusFieldWriter`).
        self.collector: Collector | None = None

    def _write_block(self, last=False):  # type: ignore[no-untyped-def]
        # Replaces W3PostingsWriter._write_block (a pickled, zlib-compressed tuple of ids,
        # weights and values; its "don't compress under 20 bytes" test is dead code).
        if not self._blockcount:
            self._postfile.write(MAGIC)
        self._terminfo.add_block(self)
        self._postfile.write(encode_block(self._ids, self._weights, self._values, self._format))
        if self.collector is not None:
            self.collector.block(self._ids, self._values)
        self._blockcount += 1
        self._new_block()


class CorpusFieldWriter(whoosh3.W3FieldWriter):
    """``W3FieldWriter`` whose ``add_postings`` feeds the block buffer directly, and hands
    the blocks of each text field to a `Collector` that saves its word stream beside the
    segment (``store/streams.py``)."""

    _documents: int | None = None  # the segment's documents, known once add_postings runs

    def _collector(self, fieldname: str) -> Collector | None:
        folder = getattr(self._storage, "folder", None)  # a FileStorage's directory
        if fieldname not in TEXT_FIELDS or folder is None or self._documents is None:
            return None
        return Collector(folder, self._segment.segment_id(), fieldname)

    def finish_field(self):  # type: ignore[no-untyped-def]
        collector = getattr(self._postwriter, "collector", None)
        super().finish_field()
        if collector is not None:
            collector.save(self._documents)

    def add_postings(self, schema, lengths, items):  # type: ignore[no-untyped-def]
        """Whoosh's ``FieldWriter.add_postings`` (sorted 5-tuples -> terms and posting
        blocks), with ``W3PostingsWriter.add_posting`` and the per-posting length lookup
        inlined; same checks, same calls at term and field boundaries, same blocks.

        Cost avoided: three Python calls and four type assertions per posting on the way
        to the block buffer, and a length lookup call each."""
        if lengths is not None and not isinstance(lengths, CorpusPerDocReader):
            return super().add_postings(schema, lengths, items)
        self._documents = None if lengths is None else lengths._doccount
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
                collector = writer.collector = self._collector(fieldname)
                blocklimit = writer._blocklimit
                lastfn, lasttext = fieldname, None
                column = None if lengths is None else lengths.length_column(fieldname)
                count = 0 if column is None else len(column)
            elif lasttext and btext < lasttext:
                raise base.OutOfOrderError("Term %s:%r .. %s:%r" % (lastfn, lasttext, fieldname, btext))
            if docnum == -1:
                continue  # Whoosh's spelling postings: skipped, as Whoosh skips them
            if btext != lasttext:
                if lasttext is not None:
                    self.finish_term()
                self.start_term(btext)
                if collector is not None:
                    collector.term(btext)
                lasttext = btext
                ids, weights, values = writer._ids, writer._weights, writer._values
            if column is None:
                length = 0
            else:
                if docnum > lengths._doccount:
                    raise IndexError("Asked for docnum %r of %d" % (docnum, lengths._doccount))
                length = _LENGTHS[column[docnum]] if docnum < count else None
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

