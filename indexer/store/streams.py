"""Each document's words in order, as term ids: the index read the other way round.

An inverted index says where each word stands; a concordance, a collocation count or a
frequency list over some articles asks which word stands at each place. A segment's
`Stream` of a text field holds every document's words one after another as ids into the
field's lexicon (sorted, as the segment stores it), with where each document starts.
It is built from the postings' positions alone (every word is indexed, stopwords
included, so a document's positions run 0..length-1 without gaps) and gives the exact
number of words of every document, which the one-byte field lengths only approximate.

Segments never change once written (deletions are kept apart), so a stream is made
once per segment and field and kept beside the segment (`views/` in the generation
directory): the codec hands each text field's blocks to a `Collector` as it writes
them (``store/codec.py``), new segments and merged ones alike, so nothing is read
back; `prepare`, after each commit, builds any still missing from the postings (a
segment some other writer made) and removes those of segments merged away, and a view
builds what is missing on first use (an index written before views existed); where the
directory cannot be written, the process keeps them in memory only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
from array import array
from dataclasses import dataclass
from functools import cached_property
from hashlib import blake2b
from pathlib import Path

import numpy as np

from indexer.analysis.stopwords import is_stopword
from indexer.store.durable import sync_directory, sync_file
from indexer.store.postings import blocks, posting_list
from indexer.store.schema import BODY, BODY_EXACT, TITLE, TITLE_EXACT

#: The stream files' layout; a file in another one is rebuilt.
STREAM_FORMAT = 1
CACHE_DIR = "views"
TEXT_FIELDS = (TITLE, BODY, TITLE_EXACT, BODY_EXACT)


@dataclass(frozen=True)
class Stream:
    """The words of one text field of one segment, document after document.

    ``tokens[starts[d]:starts[d + 1]]`` are document ``d``'s term ids in position order;
    ``words[i]`` is term id ``i`` (the field's lexicon, sorted as the segment stores it).
    """

    tokens: np.ndarray  # int32, one per word of the field
    starts: np.ndarray  # int64, doc_count_all + 1
    words: list[str]

    def lengths(self) -> np.ndarray:
        """Each document's number of words in the field (exact)."""
        return np.diff(self.starts)

    def term_id(self, word: str) -> int | None:
        """The id of ``word``, or None when the segment never saw it."""
        return self.ids.get(word)

    # Computed on first use and kept (cached_property writes the instance's __dict__
    # directly, so it works on a frozen dataclass); a stream is shared by every view.

    @cached_property
    def ids(self) -> dict[str, int]:
        """word -> term id."""
        return {word: i for i, word in enumerate(self.words)}

    @cached_property
    def word_array(self) -> np.ndarray:
        """``words`` as a NumPy object array, to look many ids up at once."""
        return np.array(self.words, dtype=object)

    @cached_property
    def stopwords(self) -> np.ndarray:
        """Whether each term id is a stopword (meaningful for an exact-form stream)."""
        return np.fromiter((is_stopword(w) for w in self.words), dtype=bool, count=len(self.words))

    @cached_property
    def owners(self) -> np.ndarray:
        """The document each token belongs to (int32)."""
        return np.repeat(np.arange(len(self.starts) - 1, dtype=np.int32), np.diff(self.starts))

    @cached_property
    def fingerprints(self) -> np.ndarray:
        """Two 64-bit fingerprints of each document's sequence of words (uint64, shape
        (documents, 2)): sums of the words' hashes (blake2b, so equal words agree in every
        segment, shard and process; not Python's ``hash``, salted per process) times
        per-position multipliers, wrapping. Equal sequences agree; two different ones
        agree on both by chance about once in 2**128. `--dedupe` compares bodies by them."""
        lengths = self.lengths()
        ranks = (np.arange(len(self.tokens)) - np.repeat(self.starts[:-1], lengths)).astype(np.uint64)
        digests = b"".join(blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8).digest() for w in self.words)
        words = np.frombuffer(digests, dtype=np.uint64)[self.tokens]
        first = np.zeros(len(lengths), dtype=np.uint64)
        second = np.zeros(len(lengths), dtype=np.uint64)
        held = lengths > 0
        edges = self.starts[:-1][held]  # strictly increasing: reduceat sums each document
        if len(edges):
            first[held] = np.add.reduceat(words * (ranks * np.uint64(0x9E3779B97F4A7C15) + np.uint64(1)), edges)
            second[held] = np.add.reduceat((words ^ np.uint64(0xC2B2AE3D27D4EB4F)) * (ranks * np.uint64(0xFF51AFD7ED558CCD) + np.uint64(3)), edges)
        return np.stack([first + lengths.astype(np.uint64), second], axis=1)


_memory_lock = threading.Lock()
#: Streams in use, shared by every reader of their segment (a server's threads each have
#: one); a stream is dropped, and its files unmapped, once no reader of it is left: a
#: closed ``Corpus`` keeps no file of its index open, nor a long-running app the files
#: of generations a rebuild swapped out.
_memory: weakref.WeakValueDictionary[tuple[str, str, str], Stream] = weakref.WeakValueDictionary()
#: What keeps a stream in ``_memory``: the segment readers that asked for it.
_held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def stream(reader, field: str, generation: Path | None, live: set[str]) -> Stream:  # type: ignore[no-untyped-def]
    """The `Stream` of ``field`` in one segment ``reader``: from this process's memory
    (while a reader of the segment holds it), from the file beside the segment, or built
    from the postings (and saved). ``live``: the index's segment ids (unused, kept for
    the callers)."""
    segment_id = reader.segment().segment_id()
    key = (str(generation), segment_id, field)
    with _memory_lock:
        found = _memory.get(key)
    if found is None:
        path = None if generation is None else generation / CACHE_DIR / f"{segment_id}.{field}"
        found = _load(path) if path is not None else None
        if found is None:
            found = build(reader, field)
            if path is not None:
                _save(path, found)
    with _memory_lock:
        found = _memory.setdefault(key, found)
        _held.setdefault(reader, {})[field] = found
    return found


def prepare(index, generation: Path) -> None:  # type: ignore[no-untyped-def]
    """Build the streams of every segment of ``index`` that lacks them (normally none: see
    `Collector`), and remove those of segments merged away; run by the writer after each
    commit, under the write lock, so views find them ready and the segment list is the
    one on disk."""
    with index.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None]
        live = {leaf.segment().segment_id() for leaf in leaves}
        for leaf in leaves:
            for field in TEXT_FIELDS:
                stream(leaf, field, generation, live)
    directory = generation / CACHE_DIR
    if directory.is_dir():
        remove_stale(directory, live)


def build(reader, field: str) -> Stream:  # type: ignore[no-untyped-def]
    """Read every posting of ``field`` with its positions and lay the ids out by place
    (for a segment whose writer did not save its streams: see `Collector`)."""
    words: list[str] = []
    ids: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    terms: list[int] = []
    sizes: list[int] = []
    for (name, btext), info in reader.iter_from(field, b""):
        if name != field:  # the lexicon goes on into the next field
            break
        for block in blocks(posting_list(reader, info)):
            ids.append(block.ids())
            counts.append(block.counts())
            positions.append(block.positions())
            terms.append(len(words))
            sizes.append(block.count)
        words.append(btext.decode("utf-8"))
    if not ids:
        return _lay_out(words, reader.doc_count_all(), field, _NONE, _NONE, _NONE, _NONE)
    term_of_posting = np.repeat(np.array(terms, dtype=np.int32), sizes)
    return _lay_out(
        words, reader.doc_count_all(), field,
        np.concatenate(ids), np.concatenate(counts), np.concatenate(positions), term_of_posting,
    )


_NONE = np.zeros(0, dtype=np.int64)


#: Postings laid out at a time: the temporary arrays of a segment's whole field would add
#: a writer process about as much memory as its posting pool.
LAYOUT_CHUNK = 1 << 18


def _lay_out(
    words: list[str], size: int, field: str,
    ids: np.ndarray, counts: np.ndarray, positions: np.ndarray, term_of_posting: np.ndarray,
) -> Stream:
    """The `Stream` of a field of a segment of ``size`` documents with lexicon ``words``,
    from its postings term after term: each one's docnum, count of positions and term id,
    and all their positions one after another. Arrays are concatenated before this: a
    lexicon holds hundreds of thousands of words, most in one block."""
    lengths = np.bincount(ids, weights=counts, minlength=size)[:size].astype(np.int64)
    starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    tokens = np.full(int(starts[-1]), -1, dtype=np.int32)
    first_position = 0
    for first in range(0, len(ids), LAYOUT_CHUNK):
        chunk = slice(first, first + LAYOUT_CHUNK)
        chunk_counts = counts[chunk]
        places = np.repeat(starts[ids[chunk]], chunk_counts)
        last_position = first_position + int(chunk_counts.sum())
        places += positions[first_position:last_position]
        tokens[places] = np.repeat(term_of_posting[chunk], chunk_counts)
        first_position = last_position
    if (tokens < 0).any():  # a gap: some word was not indexed, so places would shift
        raise ValueError(f"field {field!r} has positions without a word: run `corpus index --rebuild`")
    return Stream(tokens, starts, words)


class Collector:
    """What a segment writer hands the postings of a text field to as it writes them
    (``store/codec.py``), so the field's stream is saved beside the segment without
    reading the postings back: views, and `prepare` after a commit, find it ready.
    Blocks are appended as written (positions as packed bytes) and decoded once at the end."""

    def __init__(self, folder: Path, segment_id: str, field: str) -> None:
        self._path = Path(folder) / CACHE_DIR / f"{segment_id}.{field}"
        self._field = field
        self._words: list[str] = []
        self._ids = array("I")
        self._counts = array("I")  # bytes of each posting's packed positions
        self._packed = bytearray()
        self._terms: list[int] = []
        self._sizes: list[int] = []

    def term(self, btext: bytes) -> None:
        """The next term of the field's lexicon (in the segment's order) begins."""
        self._words.append(btext.decode("utf-8"))

    def block(self, ids: array, values: list[bytes]) -> None:
        """One block of the current term: docnums (array "I") and each posting's packed
        positions (little-endian uint32s, ``PackedPositions``)."""
        self._ids.extend(ids)
        self._counts.extend(map(len, values))
        self._packed += b"".join(values)
        self._terms.append(len(self._words) - 1)
        self._sizes.append(len(ids))

    def save(self, size: int) -> None:
        """Lay the field out for a segment of ``size`` documents and save it."""
        counts = np.frombuffer(self._counts, dtype=np.uint32) // 4
        positions = np.frombuffer(self._packed, dtype="<u4")
        term_of_posting = np.repeat(np.array(self._terms, dtype=np.int32), self._sizes)
        ids = np.frombuffer(self._ids, dtype=np.uint32)
        try:
            laid_out = _lay_out(self._words, size, self._field, ids, counts, positions, term_of_posting)
        except ValueError:
            return  # a view building it says what is wrong; the commit goes on
        _save(self._path, laid_out)


# Trap: np.load reads a .npy header with ast.literal_eval, and CPython 3.11 counts AST depth in
# one state for all threads (gh-106905): two views loading streams at once can raise "SystemError:
# AST constructor recursion depth mismatch".
_header_lock = threading.Lock()


def _load(path: Path) -> Stream | None:
    """A stream saved by `_save`, its arrays mapped from the files (nothing copied)."""
    try:
        if (path / "format").read_text() != str(STREAM_FORMAT):
            return None
        text = (path / "words.txt").read_text(encoding="utf-8")
        words = text.split("\n") if text else []
        with _header_lock:
            tokens = np.load(path / "tokens.npy", mmap_mode="r", allow_pickle=False)
            starts = np.load(path / "starts.npy", mmap_mode="r", allow_pickle=False)
        return Stream(tokens, starts, words)
    except (OSError, ValueError):
        return None


def _save(path: Path, found: Stream) -> None:
    """Write into a new directory renamed into place (a reader never sees half of one);
    a read-only index keeps the stream in memory only."""
    try:
        path.parent.mkdir(exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=path.parent, suffix=".tmp"))
        np.save(temporary / "tokens.npy", found.tokens, allow_pickle=False)
        np.save(temporary / "starts.npy", found.starts, allow_pickle=False)
        (temporary / "words.txt").write_text("\n".join(found.words), encoding="utf-8")
        (temporary / "format").write_text(str(STREAM_FORMAT))
        for name in ("tokens.npy", "starts.npy", "words.txt", "format"):
            sync_file(temporary / name)  # a power cut must not leave a stream of zeros in place
        try:
            os.rename(temporary, path)
        except OSError:  # another process saved it first
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            sync_directory(path.parent)
    except OSError:
        return


def remove_stale(directory: Path, live: set[str]) -> None:
    """Remove streams of segments not in ``live`` and half-written ones (a build that was
    killed; one under way in a reader process loses its file and keeps its stream in
    memory)."""
    for entry in directory.iterdir():
        if entry.name.endswith(".tmp") or entry.name.split(".", 1)[0] not in live:
            shutil.rmtree(entry, ignore_errors=True)
