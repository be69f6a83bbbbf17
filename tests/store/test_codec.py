"""The posting layout and the codec classes around it: what is written reads back, and
gives what Whoosh's own code gives (lengths, pooled postings, file reads)."""

from __future__ import annotations

import io
import random
from array import array
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec import whoosh3
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import Existence, Positions
from whoosh.writing import PostingPool

from indexer import Corpus
from indexer.analysis import analyze
from indexer.analysis.analyzers import PackedPositions, pack_positions
from indexer.errors import IncompatibleIndexError
from indexer.store import postings
from indexer.store.codec import MappedFile, ViewFile
from indexer.store.location import read_meta, write_meta
from indexer.store.postings import blocks, encode_block, posting_arrays, posting_positions
from indexer.store.schema import BODY, BODY_EXACT, ID, TITLE, TITLE_EXACT
from indexer.store.writer import RUN_CHUNK, TermPool

BUNDLED = Path(__file__).resolve().parents[2] / "corpus"


def _block(ids: list[int], weights: list[float], positions: list[list[int]] | None, fmt):  # type: ignore[no-untyped-def]
    values = [] if positions is None else [pack_positions(p) for p in positions]
    data = memoryview(postings.MAGIC + encode_block(array("I", ids), array("f", weights), values, fmt))
    (block,) = blocks(data)
    return block


@st.composite
def posting_blocks(draw):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 300))
    gap = st.integers(1, 70_000) if draw(st.booleans()) else st.integers(1, 5)
    ids = list(np.cumsum([draw(st.integers(0, 100_000))] + [draw(gap) for _ in range(count - 1)]))
    kind = draw(st.sampled_from(["same", "counts", "floats"]))
    if kind == "same":
        weights = [draw(st.sampled_from([1.0, 2.0, 0.5]))] * count
    elif kind == "counts":
        weights = [float(draw(st.integers(1, 300))) for _ in range(count)]
    else:
        weights = [draw(st.floats(0.25, 9.0, width=32)) for _ in range(count)]
    far = draw(st.booleans())
    positions = [
        sorted(set(draw(st.lists(st.integers(0, 100_000 if far else 3000), min_size=1, max_size=4))))
        for _ in range(count)
    ]
    if draw(st.booleans()):
        positions[0] = list(range(300))  # a count past 255
    return ids, weights, positions


@settings(max_examples=60, deadline=None)
@given(posting_blocks())
def test_a_block_reads_back_what_was_written(block_data) -> None:  # type: ignore[no-untyped-def]
    ids, weights, positions = block_data
    block = _block(ids, weights, positions, PackedPositions())
    assert block.ids().tolist() == ids
    assert block.last == ids[-1]
    assert block.weights().tolist() == array("f", weights).tolist()
    assert block.counts().tolist() == [len(p) for p in positions]
    assert block.positions().tolist() == [p for plist in positions for p in plist]
    assert block.value_strings() == [pack_positions(p) for p in positions]


def test_fields_without_positions_store_no_values() -> None:
    block = _block([3, 9], [1.0, 1.0], None, Existence())
    assert block.values.nbytes == 0 and block.value_strings() == [b"", b""]
    other = Positions()  # another format's values are kept as they are
    values = [other.encode([1, 5]), other.encode([2])]
    data = memoryview(postings.MAGIC + encode_block(array("I", [1, 2]), array("f", [2.0, 1.0]), values, other))
    assert next(blocks(data)).value_strings() == values


def test_a_positions_block_refuses_a_posting_without_positions() -> None:
    with pytest.raises(ValueError, match="at least one position"):
        encode_block(array("I", [1, 2]), array("f", [1.0, 1.0]), [pack_positions([4])], PackedPositions())


def test_blocks_outside_the_candidates_are_passed_over() -> None:
    parts = [encode_block(array("I", range(start, start + 10)), array("f", [1.0] * 10), [], Existence()) for start in (0, 100, 200)]
    data = memoryview(postings.MAGIC + b"".join(parts))
    assert [b.last for b in blocks(data)] == [9, 109, 209]
    assert [b.last for b in blocks(data, np.array([105, 150]))] == [109]
    assert [b.last for b in blocks(data, np.array([9, 250]))] == [9]
    assert list(blocks(data, np.array([], dtype=np.intp))) == []


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    corpus = Corpus(tmp_path_factory.mktemp("codec") / "index")
    corpus.index([BUNDLED])
    yield corpus
    corpus.close()


def test_every_term_reads_the_same_through_whoosh_and_through_the_arrays(bundled: Corpus) -> None:
    with bundled.open_index().reader() as whole:
        (reader, _), = whole.leaf_readers()
        checked = 0
        for field, btext in reader.all_terms():
            matcher = reader.postings(field, btext)  # Whoosh's generic path (codec.postings_reader)
            expected = []
            while matcher.is_active():
                expected.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            ids, weights = posting_arrays(reader, field, btext)
            assert ids.tolist() == [e[0] for e in expected]
            assert weights.tolist() == [e[1] for e in expected]
            if field in (TITLE, BODY, TITLE_EXACT, BODY_EXACT):
                found = posting_positions(reader, field, btext, ids)
                fmt = reader.schema[field].format
                assert [found.of(i).tolist() for i in range(len(ids))] == [fmt.decode_positions(e[2]) for e in expected]
            checked += 1
    assert checked > 1000


def test_positions_are_where_analysis_puts_each_word(bundled: Corpus) -> None:
    with bundled.open_index().searcher() as searcher:
        reader = searcher.reader()
        (leaf, _), = reader.leaf_readers()
        ids = reader.column_reader(ID)
        for docnum in range(0, reader.doc_count_all(), 3):
            body = searcher.stored_fields(docnum)[BODY]
            where: dict[str, list[int]] = {}
            for token in analyze(body):
                where.setdefault(token.stem, []).append(token.position)
            for stem, expected in list(where.items())[:40]:
                found = posting_positions(leaf, BODY, stem.encode(), np.array([docnum]))
                assert found.ids.tolist() == [docnum], (ids[docnum], stem)
                assert found.of(0).tolist() == expected, (ids[docnum], stem)


def test_field_lengths_equal_whoosh_own(bundled: Corpus) -> None:
    with bundled.open_index().reader() as whole:
        (segment, _), = whole.leaf_readers()
        perdoc = segment._perdoc
        checked = 0
        for name in (TITLE, BODY, TITLE_EXACT, BODY_EXACT, ID, "no_such_field"):
            for docnum in range(segment.doc_count_all() + 1):  # one past the end: the default
                got = perdoc.doc_field_length(docnum, name)
                assert got == whoosh3.W3PerDocReader.doc_field_length(perdoc, docnum, name), (name, docnum)
                checked += got is not None and got > 0
    assert checked > 100


def test_readers_do_not_copy_files_into_the_heap(bundled: Corpus) -> None:
    with bundled.open_index().reader() as whole:
        (segment, _), = whole.leaf_readers()
        postfile = segment._terms._postfile
        assert isinstance(postfile, MappedFile) and isinstance(postfile.file, ViewFile)


def test_an_index_in_another_format_asks_for_a_rebuild(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "index")
    corpus.index([BUNDLED])
    generation = corpus.location.live_generation()
    write_meta(generation, {k: v for k, v in read_meta(generation).items() if k != "format"})
    with pytest.raises(IncompatibleIndexError, match="rebuild"):
        corpus.search("وزير")
    report = corpus.index([BUNDLED], rebuild=True)
    assert report.added == 39 and corpus.search("وزير").total > 0
    corpus.close()


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
def test_view_file_reads_like_bytesio(data: bytes, script) -> None:  # type: ignore[no-untyped-def]
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


def _postings(rng: random.Random, docs: int, in_order: bool) -> list[tuple]:
    """Postings as a writer adds them: document by document (or shuffled)."""
    items = []
    for docnum in range(docs):
        for field in ("body", "title"):
            for term in rng.sample([b"a", b"b", b"c", b"dd", b"e" * 30], rng.randrange(1, 5)):
                value = bytes([rng.randrange(256)]) * rng.randrange(3)
                items.append((field, term, docnum, float(rng.randrange(1, 4)), value))
    if not in_order:
        rng.shuffle(items)
        items += items[:50]  # the same posting twice: sorted() keeps both, so must the pool
    return items


@pytest.mark.parametrize("limitmb", [64, 0.002], ids=["in-memory", "spilled"])
@pytest.mark.parametrize("in_order", [True, False], ids=["in-order", "shuffled"])
def test_term_pool_gives_what_whoosh_pool_gives(limitmb: float, in_order: bool, tmp_path: Path) -> None:
    items = _postings(random.Random(limitmb * 1000 + in_order), 400, in_order)
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=limitmb)
    for item in items:
        pool.add(item)
    got = list(pool.iter_postings())
    assert not pool.runs  # merged runs are consumed
    assert got == sorted(items)
    assert pool.fieldnames == {"body", "title"}
    whoosh_pool = PostingPool(FileStorage(str(tmp_path)), None, limitmb=limitmb)
    for item in items:
        whoosh_pool.add(item)
    assert list(whoosh_pool.iter_postings()) == got


def test_spilled_runs_hold_whole_chunks_and_the_rest(tmp_path: Path) -> None:
    items = [("body", b"t%05d" % i, i, 1.0, b"") for i in range(3 * RUN_CHUNK + 5)]
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=0.05)
    for item in items:
        pool.add(item)
    assert len(pool.runs) >= 2
    assert list(pool.iter_postings()) == items
