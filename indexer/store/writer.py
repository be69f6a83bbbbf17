"""The index writer of corpus indexes: Whoosh's ``SegmentWriter`` with our codec and pool.

Whoosh's writer accepts a codec but builds its posting pool itself (its ``poolclass``
argument is ignored): ``CorpusWriter`` replaces the pool after construction and hands
each document's postings to it in one call per field. Nothing of Whoosh is changed for
other writers in the process.
"""

from __future__ import annotations

import pickle
from itertools import chain

import numpy as np
from whoosh.reading import SegmentReader
from whoosh.writing import PostingPool, SegmentWriter

from indexer.store import stopping
from indexer.store.codec import CorpusCodec
from indexer.store.durable import sync_segments
from indexer.store.postings import blocks, posting_list

#: Postings pickled together in one spilled run record (Whoosh pickles them one by one).
RUN_CHUNK = 4096


class NamingCommit:
    """The step of a writer's commit that names its segments in a new TOC (Whoosh's
    ``SegmentWriter._commit_toc``): their files are synced to the disk first (a TOC must
    never name bytes a power cut can lose: ``durable.py``), and it is held against stop
    signals (``stopping.hold``): the caller counts the commit, then acts on a signal that
    came meanwhile."""

    def _commit_toc(self, segments):  # type: ignore[no-untyped-def]
        sync_segments(self.storage, segments)
        stopping.hold()
        super()._commit_toc(segments)


class CorpusWriter(NamingCommit, SegmentWriter):
    """A ``SegmentWriter`` of ``CorpusCodec`` segments whose postings go to a ``TermPool``."""

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("codec", CorpusCodec())
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def add_document(self, **fields):  # type: ignore[no-untyped-def]
        """Whoosh's ``SegmentWriter.add_document``, line for line, except that each indexed
        field's postings go to ``TermPool.add_field`` in one call (Whoosh builds, passes and
        unpacks a 5-tuple per posting). A schema with separate spelling fields (not ours)
        goes through Whoosh's own method."""
        pool = self.pool
        spelling = self.__dict__.get("_spelling_fields")
        if spelling is None:
            spelling = self._spelling_fields = any(f.separate_spelling() for _, f in self.schema.items())
        if spelling or not isinstance(pool, TermPool):
            return super().add_document(**fields)
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

    def add_postings_to_pool(self, reader, startdoc, docmap):  # type: ignore[no-untyped-def]
        """Whoosh's ``SegmentWriter.add_postings_to_pool`` (the postings of a segment being
        merged in), a posting list at a time: each term's blocks are decoded with NumPy,
        deleted documents dropped and the rest renumbered at once, and the pool takes the
        whole list (``TermPool.add_term``). Whoosh steps a matcher through every posting
        and hands the pool a 5-tuple each, most of a merge's time."""
        if not isinstance(self.pool, TermPool) or not isinstance(reader, SegmentReader):
            return super().add_postings_to_pool(reader, startdoc, docmap)
        renumbered = np.full(reader.doc_count_all(), -1, dtype=np.int64)
        if docmap is None:  # no deletions: documents keep their order from startdoc
            renumbered[:] = np.arange(startdoc, startdoc + len(renumbered))
        else:
            renumbered[np.fromiter(docmap.keys(), dtype=np.int64, count=len(docmap))] = np.fromiter(
                docmap.values(), dtype=np.int64, count=len(docmap)
            )
        schema = self.schema
        for fieldname, btext in reader.all_terms():
            if fieldname not in schema:
                continue
            info = reader.term_info(fieldname, btext)
            docnums, weights, values = [], [], []
            if info.is_inlined():  # Whoosh keeps a posting list this short in the term info
                matcher = reader.postings(fieldname, btext)  # deleted documents left out
                while matcher.is_active():
                    docnums.append(int(renumbered[matcher.id()]))
                    weights.append(matcher.weight())
                    values.append(matcher.value())
                    matcher.next()
            else:
                for block in blocks(posting_list(reader, info)):
                    new = renumbered[block.ids()]
                    live = new >= 0
                    strings = block.value_strings()
                    if live.all():
                        docnums += new.tolist()
                        weights += block.weights().tolist()
                        values += strings
                    else:
                        docnums += new[live].tolist()
                        weights += block.weights()[live].tolist()
                        values += [v for v, keep in zip(strings, live.tolist()) if keep]
            if docnums:
                self.pool.add_term(fieldname, btext, docnums, weights, values)


class TermPool(PostingPool):
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

    def add_term(self, fieldname: str, btext: bytes, docnums: list[int], weights: list[float], values: list[bytes]) -> None:
        """A posting list of one term, ``docnums`` ascending (a segment being merged in),
        as ``add`` would take its postings one by one."""
        terms = self._terms.get(fieldname)
        if terms is None:
            terms = self._terms[fieldname] = {}
            self.fieldnames.add(fieldname)
        shared = self._weights
        triples = list(chain.from_iterable(zip(docnums, (shared.setdefault(w, w) for w in weights), values)))
        size = self.POSTING_BYTES * len(docnums) + sum(map(len, values))
        postings = terms.get(btext)
        if postings is None:
            terms[btext] = triples
            size += self.TERM_BYTES - self.POSTING_BYTES + len(btext)
        else:
            if docnums[0] <= postings[-3]:
                self._in_order = False
            postings += triples
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

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

    def _write_run(self, f, items):  # type: ignore[no-untyped-def]
        """One spilled run, pickled ``RUN_CHUNK`` postings at a time (Whoosh's
        ``SortingPool._write_run`` pickles them one per call)."""
        chunk = []
        for item in items:
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path):  # type: ignore[no-untyped-def]
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
