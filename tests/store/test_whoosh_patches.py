"""The Whoosh patches give what Whoosh's own code gives: same lengths, same runs, same bytes."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.codec import whoosh3
from whoosh.externalsort import SortingPool
from whoosh.filedb.structfile import BufferFile

from indexer import Corpus
from indexer.store import whoosh_patches
from indexer.store.whoosh_patches import ORIGINALS, ViewFile


def test_applied_on_import_and_idempotent() -> None:
    whoosh_patches.apply()
    whoosh_patches.apply()
    assert whoosh3.W3PerDocReader.doc_field_length is whoosh_patches._doc_field_length
    assert SortingPool._write_run is whoosh_patches._write_run
    assert SortingPool._read_run is whoosh_patches._read_run
    assert BufferFile.__init__ is whoosh_patches._buffer_file_init


def test_field_lengths_equal_whoosh_own(sample_corpus: Corpus) -> None:
    original = ORIGINALS["doc_field_length"]
    with sample_corpus.open_index().reader() as reader:
        segments = [r for r, _ in reader.leaf_readers()]
        checked = 0
        for segment in segments:
            perdoc = segment._perdoc
            for name in ("title", "body", "title_exact", "body_exact", "id", "no_such_field"):
                for docnum in range(segment.doc_count_all()):
                    got = perdoc.doc_field_length(docnum, name)
                    assert got == original(perdoc, docnum, name), (name, docnum)
                    checked += got is not None and got > 0
            docnum = segment.doc_count_all()  # one past the end: Whoosh reads the default
            assert perdoc.doc_field_length(docnum, "body") == original(perdoc, docnum, "body")
    assert checked > 2000


def test_spilled_pool_runs_give_every_posting_in_order() -> None:
    rng = random.Random(7)
    count = 3 * whoosh_patches.RUN_CHUNK + 5
    items = [(rng.choice("abc"), rng.randrange(10_000), b"x" * rng.randrange(5)) for _ in range(count)]
    pool = SortingPool(maxsize=1000)  # spills every 1,000 items: several runs, partial chunks
    for item in items:
        pool.add(item)
    assert len(pool.runs) >= 3
    assert list(pool.items()) == sorted(items)


def test_readers_do_not_copy_files_into_the_heap(sample_corpus: Corpus) -> None:
    with sample_corpus.open_index().reader() as reader:
        segment = next(r for r, _ in reader.leaf_readers())
        postings = segment._terms._postfile
        assert isinstance(postings.file, ViewFile)
        assert not isinstance(postings.file, io.BytesIO)


ops = st.lists(
    st.one_of(
        st.tuples(st.just("read"), st.integers(-1, 40)),
        st.tuples(st.just("readline"), st.integers(-1, 40)),
        st.tuples(st.just("seek"), st.integers(0, 60), st.integers(0, 0)),
        st.tuples(st.just("seek"), st.integers(-20, 20), st.integers(1, 2)),
        st.tuples(st.just("tell"),),
    ),
    max_size=30,
)


@given(data=st.binary(max_size=700) | st.text("ab\n", max_size=700).map(str.encode), script=ops)
def test_view_file_reads_like_bytesio(data: bytes, script) -> None:
    view, plain = ViewFile(memoryview(data)), io.BytesIO(data)
    for op, *args in script:
        if op == "seek":
            offset, whence = args
            target = (0, plain.tell(), len(data))[whence] + offset
            if target < 0:
                continue  # BytesIO refuses a negative position
        assert getattr(view, op)(*args) == getattr(plain, op)(*args), (op, args)
    assert list(view) == list(plain)


@pytest.mark.parametrize("size", [0, 1, 255, 256, 257, 5000])
def test_view_file_long_lines(size: int) -> None:
    data = b"a" * size + b"\n" + b"b" * size
    assert list(ViewFile(memoryview(data))) == io.BytesIO(data).readlines()
