"""The Whoosh patches give what Whoosh's own code gives: same lengths, same runs, same bytes."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import writing
from whoosh.codec import whoosh3
from whoosh.externalsort import SortingPool
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile

from indexer import Corpus
from indexer.store import whoosh_patches
from indexer.store.whoosh_patches import ORIGINALS, TermPool, ViewFile


def test_applied_on_import_and_idempotent() -> None:
    whoosh_patches.apply()
    whoosh_patches.apply()
    assert whoosh3.W3PerDocReader.doc_field_length is whoosh_patches._doc_field_length
    assert SortingPool._write_run is whoosh_patches._write_run
    assert SortingPool._read_run is whoosh_patches._read_run
    assert BufferFile.__init__ is whoosh_patches._buffer_file_init
    assert writing.PostingPool is whoosh_patches.TermPool
    assert whoosh3.W3FieldWriter.add_postings is whoosh_patches._add_postings
    assert writing.SegmentWriter.add_document is whoosh_patches._add_document
    assert whoosh3.W3PostingsWriter._write_block is whoosh_patches._write_block


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


def postings(rng: random.Random, docs: int, in_order: bool) -> list[tuple]:
    """Postings as SegmentWriter adds them: document by document (or shuffled)."""
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
def test_term_pool_gives_what_sorting_every_posting_gives(limitmb: float, in_order: bool, tmp_path) -> None:
    items = postings(random.Random(limitmb * 1000 + in_order), 400, in_order)
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=limitmb)
    for item in items:
        pool.add(item)
    got = list(pool.iter_postings())
    assert bool(pool.runs) is False  # merged runs are consumed
    assert got == sorted(items)
    assert pool.fieldnames == {"body", "title"}
    original = ORIGINALS["PostingPool"](FileStorage(str(tmp_path)), None, limitmb=limitmb)
    for item in items:
        original.add(item)
    assert list(original.iter_postings()) == got


def test_term_pool_spills_runs_that_merge_to_one(tmp_path) -> None:
    # The path whoosh/multiproc.py takes without multisegment: save, reduce_to(1), read the run.
    items = postings(random.Random(3), 300, True)
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=0.002)
    for item in items:
        pool.add(item)
    pool.save()
    assert len(pool.runs) > 2
    pool.reduce_to(1, 2)
    assert list(pool._read_run(pool.runs[0])) == sorted(items)


def read_index(directory) -> tuple:
    from whoosh.index import open_dir

    with open_dir(str(directory)).reader() as reader:
        terms = {}
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            terms[field, term] = [(docnum, matcher.weight(), matcher.value()) for docnum in matcher.all_ids()]
        stored = list(reader.all_stored_fields())
        lengths = {f: [reader.doc_field_length(d, f) for d in range(reader.doc_count_all())] for f in ("title", "body_exact")}
    return terms, stored, lengths


def segment_bytes(directory) -> dict[str, bytes]:
    """The postings and term files of the index's one segment, as bytes."""
    from whoosh.index import open_dir

    index = open_dir(str(directory))
    (segment,) = index._segments()
    storage = segment.open_compound_file(index.storage) if segment.is_compound() else index.storage
    out = {}
    for ext in (".pst", ".trm"):
        with segment.open_file(storage, ext) as f:
            out[ext] = f.read()
    return out


WRITE_PATCHES = {
    "PostingPool": (writing, "PostingPool", whoosh_patches.TermPool),
    "add_postings": (whoosh3.W3FieldWriter, "add_postings", whoosh_patches._add_postings),
    "add_document": (writing.SegmentWriter, "add_document", whoosh_patches._add_document),
    "_write_block": (whoosh3.W3PostingsWriter, "_write_block", whoosh_patches._write_block),
}


@pytest.mark.parametrize("limitmb", [1, 256], ids=["spilled", "in-memory"])
def test_index_written_through_the_patches_equals_whoosh_own(sample_jsonl, tmp_path, monkeypatch, limitmb) -> None:
    from whoosh.index import create_in

    from indexer.sources import Article, read_sources
    from indexer.store import build_schema, sync

    articles = [a for a in read_sources([sample_jsonl]) if isinstance(a, Article)][:150]
    builds = {
        "ours": set(WRITE_PATCHES),
        "ours-zlib-every-block": set(WRITE_PATCHES) - {"_write_block"},
        "whoosh": set(),
    }
    built = {}
    for name, patched in builds.items():
        for key, (owner, attribute, ours) in WRITE_PATCHES.items():
            monkeypatch.setattr(owner, attribute, ours if key in patched else ORIGINALS[key])
        (tmp_path / name).mkdir()
        index = create_in(str(tmp_path / name), build_schema())
        writer = index.writer(limitmb=limitmb)  # 1: spills, runs merged at commit
        for article in articles:
            writer.add_document(**sync.document(article, sync.content_hash(article)))
        writer.commit()
        built[name] = (read_index(tmp_path / name), segment_bytes(tmp_path / name))
    assert built["ours"][0] == built["whoosh"][0] == built["ours-zlib-every-block"][0]
    assert len(built["ours"][0][0]) > 5000
    # Blocks in two parts (scoring reads no positions) cost a little room: 6% on these.
    assert len(built["ours"][1][".pst"]) < 1.1 * len(built["whoosh"][1][".pst"])
    if limitmb == 256:  # the same value objects in both pools: the same bytes, block stats included
        assert built["ours-zlib-every-block"][1] == built["whoosh"][1]


def test_corpus_blocks_are_split_and_long(sample_corpus: Corpus) -> None:
    # Scoring reads ids and weights without positions (two-part blocks), and a word in a
    # few hundred articles is one block, not one per 128 postings.
    from indexer.store.sync import BLOCK_POSTINGS

    with sample_corpus.open_index().reader() as reader:
        (segment, _), *_ = reader.leaf_readers()
        common = max(segment.iter_field("body"), key=lambda item: item[1].doc_frequency())
        matcher = segment.postings("body", common[0])
        matcher = getattr(matcher, "child", matcher)  # under the deleted-documents filter
        assert matcher._compression == whoosh_patches.SPLIT_BLOCK
        assert matcher._blocklength == min(BLOCK_POSTINGS, common[1].doc_frequency()) > 128
        ids = list(matcher.all_ids())
        assert ids == sorted(ids) and len(ids) == common[1].doc_frequency()


@given(
    st.lists(st.integers(0, 200_000), min_size=1, max_size=300, unique=True),
    st.sampled_from(["counts", "same", "fractions", "large"]),
    st.randoms(use_true_random=False),
)
def test_two_part_block_ids_and_weights_round_trip(ids, kind, rnd) -> None:
    # Every layout of part A (uint16 gaps or uint32 ids; one, uint8 or float32 weights)
    # decodes to what was written, through Whoosh's matcher API and the NumPy reader.
    import pickle
    from array import array

    from indexer.store.postings import _split_arrays

    ids = array("I", sorted(ids))
    values = {
        "counts": [float(rnd.randint(1, 255)) for _ in ids],
        "same": [2.0] * len(ids),
        "fractions": [rnd.randint(1, 40) * 0.25 for _ in ids],
        "large": [float(rnd.randint(1, 1000)) for _ in ids],
    }[kind]
    weights = array("f", values)
    part_a, flags = whoosh_patches._ids_part(ids)
    weight_bytes, weight_flags = whoosh_patches._weights_part(weights)
    raw = whoosh_patches._SPLIT_HEADER.pack(flags | weight_flags, len(part_a + weight_bytes))
    block = whoosh_patches.SplitBlock(raw + part_a + weight_bytes + pickle.dumps(None, 2), len(ids))
    assert list(block.ids()) == list(ids) and list(block.weights()) == list(weights)
    numpy_ids, numpy_weights = _split_arrays(block)
    assert numpy_ids.tolist() == list(ids) and numpy_weights.tolist() == list(weights)
    assert bool(flags & whoosh_patches.IDS16) == all(b - a < 65536 for a, b in zip(ids, ids[1:]))
