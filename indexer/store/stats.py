"""What is in an index: counts, sources, dates, size, freshness."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from whoosh.index import FileIndex
from whoosh.util.times import long_to_datetime

from indexer.store.schema import DATE, ID, SOURCE

#: A DATETIME column holds 2**64-1 for a document without a date; translating it overflows.
MISSING_DATE = 2**63
_NO_DATE = 2**64 - 1

class _Kept:
    """Arrays read once per segment or per index state, whichever reader asks: a server's
    threads each have a reader of the same segments, and after a commit would otherwise
    each read the column again. A segment's columns never change (deletions leave them
    be), so neither does what is built from a given list of segments; the last `kept`
    are kept."""

    def __init__(self, read, key, kept: int) -> None:  # type: ignore[no-untyped-def]
        self._read = read
        self._key = key
        self._kept = kept
        self._lock = threading.Lock()
        self._arrays: OrderedDict[object, np.ndarray] = OrderedDict()

    def __call__(self, reader) -> np.ndarray:  # type: ignore[no-untyped-def]
        if not reader.doc_count_all():  # an empty index (a shard no article went to): no segment to key by
            return self._read(reader)
        key = self._key(reader)
        with self._lock:
            cached = self._arrays.get(key)
            if cached is not None:
                self._arrays.move_to_end(key)
                return cached
        cached = self._read(reader)
        with self._lock:
            self._arrays[key] = cached
            while len(self._arrays) > self._kept:
                self._arrays.popitem(last=False)
        return cached


def _segment_key(reader) -> str:  # type: ignore[no-untyped-def]
    return reader.segment().segment_id()


def _index_key(reader) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(_segment_key(leaf) for leaf, _ in reader.leaf_readers())


SEGMENTS_KEPT = 64
INDEXES_KEPT = 8


def _joined(per_segment: _Kept, dtype):  # type: ignore[no-untyped-def]
    """What reads `per_segment` of every segment of a reader, indexed by its docnums."""

    def read(reader) -> np.ndarray:  # type: ignore[no-untyped-def]
        parts = [per_segment(leaf) for leaf, _ in reader.leaf_readers()]
        if not parts:
            return np.zeros(0, dtype=dtype)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return read


def _read_dates(reader) -> np.ndarray:  # type: ignore[no-untyped-def]
    count = reader.doc_count_all()
    if reader.has_column(DATE):
        column = reader.column_reader(DATE, translate=False)  # raw longs: no overflow
        return np.fromiter(column, dtype=np.uint64, count=count)
    return np.full(count, _NO_DATE, dtype=np.uint64)


#: A segment's dates as raw longs, one per docnum (``MISSING_DATE`` and above: none). A
#: segment written by a run without any dated article has no date column: all undated.
segment_dates = _Kept(_read_dates, _segment_key, SEGMENTS_KEPT)

#: ``segment_dates`` of every segment of a reader, indexed by the whole index's docnums.
#: Whoosh trap: ``MultiReader.column_reader`` leaves out segments without the column, so
#: every later docnum would read another document's value, or past the column's end.
index_dates = _Kept(_joined(segment_dates, np.uint64), _index_key, INDEXES_KEPT)


def _read_ids(reader) -> np.ndarray:  # type: ignore[no-untyped-def]
    ids = np.empty(reader.doc_count_all(), dtype=object)
    if len(ids):
        ids[:] = list(reader.column_reader(ID))
    return ids


#: A segment's article ids, one per docnum (an object array of str): ranking breaks ties
#: by id, so an order never depends on how the index was built or split into shards.
segment_ids = _Kept(_read_ids, _segment_key, SEGMENTS_KEPT)

#: ``segment_ids`` of every segment of a reader, indexed by the whole index's docnums.
index_ids = _Kept(_joined(segment_ids, object), _index_key, INDEXES_KEPT)


def _read_id_ranks(reader) -> np.ndarray:  # type: ignore[no-untyped-def]
    ids = index_ids(reader)
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    return ranks


#: Each docnum's place in the order of the index's article ids (``index_ids``, compared
#: as ``str``): ties are broken with whole arrays, never by comparing strings one by one.
index_id_ranks = _Kept(_read_id_ranks, _index_key, INDEXES_KEPT)


@dataclass
class Stats:
    """A summary of one index, as ``corpus stats`` prints it."""

    path: str
    documents: int
    sources: dict[str, int]
    date_min: str | None
    date_max: str | None
    undated: int
    size_bytes: int
    last_update: str | None
    analyzer_version: str

    def to_dict(self) -> dict:
        """The stats as JSON-ready data, as ``corpus stats --json`` prints them."""
        return asdict(self)


def collect(index: FileIndex, generation: Path, meta: dict, root: Path) -> Stats:
    """Read the stats of ``index`` from its columns and stored dates, not its text."""
    sources: Counter[str] = Counter()
    dates: list[int] = []
    with index.reader() as reader:
        documents = reader.doc_count()
        if reader.doc_count_all():
            for term in reader.lexicon(SOURCE):
                live = [n for n in reader.postings(SOURCE, term).all_ids() if not reader.is_deleted(n)]
                if live:
                    # The field is indexed lowercased; the name as the source writes it is stored.
                    name = reader.stored_fields(live[0]).get(SOURCE) or term.decode("utf-8")
                    sources[name] += len(live)
            live = index_dates(reader)[np.fromiter(reader.all_doc_ids(), dtype=np.intp)]
            dates = live[live < MISSING_DATE].tolist()
    size = sum(f.stat().st_size for f in generation.iterdir() if f.is_file())
    last_update = meta.get("last_update")
    return Stats(
        path=str(root),
        documents=documents,
        sources=dict(sorted(((k, v) for k, v in sources.items() if v), key=lambda item: (-item[1], item[0]))),
        date_min=long_to_datetime(min(dates)).isoformat() if dates else None,
        date_max=long_to_datetime(max(dates)).isoformat() if dates else None,
        undated=documents - len(dates),
        size_bytes=size,
        last_update=datetime.fromtimestamp(last_update).astimezone().isoformat(timespec="seconds") if last_update else None,
        analyzer_version=meta.get("analyzer_version", "unknown"),
    )
