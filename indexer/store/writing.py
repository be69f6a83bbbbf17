"""One write to one index, under its lock: the generation to write (the live one, a
new one for a first build or a rebuild), the work, the views' streams, the meta, the
swap. ``Corpus`` writes through it, and so does each shard of a sharded index."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from whoosh.index import FileIndex

from indexer.errors import CorpusError
from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.progress import Progress
from indexer.store.durable import DurableFileStorage
from indexer.store.leftovers import remove_leftovers
from indexer.store.location import Location, open_generation, read_meta, write_meta
from indexer.store.lock import WriteLock
from indexer.store import stopping
from indexer.store.refusals import refused_write
from indexer.store.report import IndexReport
from indexer.store.schema import build_schema
from indexer.store.streams import prepare as prepare_streams
from indexer.store.sync import Synchronizer


def write_index(
    location: Location,
    work: Callable[[Synchronizer], None],
    rebuild: bool,
    wait: float,
    progress: Progress | None,
    limits: Limits = DEFAULT_LIMITS,
    procs: int | None = None,
) -> IndexReport:
    """Run ``work`` on a `Synchronizer` of the index at ``location`` and report what it
    did; ``rebuild`` writes a fresh generation and swaps it in at the end. ``wait``:
    seconds to wait for another writer's lock; ``procs``: writing processes (see
    `Synchronizer`)."""
    started = time.monotonic()
    report = IndexReport(rebuilt=rebuild, listed=limits.listed)
    location.refuse_generation()
    try:
        _write(location, work, rebuild, wait, progress, procs, report)
    except OSError as error:
        refused = refused_write(location.root, error, _documents(location))
        if refused is None:
            raise
        raise refused from error
    report.seconds = time.monotonic() - started
    return report


def _write(
    location: Location,
    work: Callable[[Synchronizer], None],
    rebuild: bool,
    wait: float,
    progress: Progress | None,
    procs: int | None,
    report: IndexReport,
) -> None:
    with WriteLock(location.root, wait):
        location.remove_unfinished()
        live = location.live_generation()
        if live is not None and not rebuild:
            generation = location.require_live_generation()
            remove_leftovers(generation)  # what a killed run left: the disk may need the space
            index = open_generation(generation)
        else:
            generation = location.new_generation()
            # Whoosh's create_in, on our storage (Whoosh trap: create_in takes no storage).
            index = FileIndex.create(DurableFileStorage(str(generation)), build_schema(), "MAIN")
            if live is None:
                # A first build is live from its first commit, so an interrupted run
                # leaves what it committed and a rerun continues from there.
                location.swap_to(generation)
        try:
            work(Synchronizer(index, report, progress, timed=not rebuild, procs=procs))
            if _changed(report):
                prepare_streams(index, generation)  # what the views read
                _touch(generation)  # a run that changed nothing writes nothing
            if rebuild:
                # Once the swap is made the rebuild is done: a stop signal from then on
                # changes nothing (it would report a live rebuild as unfinished).
                stopping.hold()
                location.swap_to(generation)
        except BaseException:
            stopping.release(act=False)
            if _changed(report):  # batches committed before the failure are the latest update
                with suppress(OSError):
                    _touch(generation)
            _discard_unfinished(location, generation)
            raise
        report.total_documents = index.doc_count()
        stopping.release(act=False)


def _documents(location: Location) -> int | None:
    """The live index's document count, or None when it cannot be read."""
    try:
        generation = location.live_generation()
        return None if generation is None else open_generation(generation).doc_count()
    except (OSError, CorpusError):
        return None


def _changed(report: IndexReport) -> bool:
    return bool(report.added or report.updated or report.deleted)


def _touch(generation: Path) -> None:
    write_meta(generation, read_meta(generation) | {"last_update": time.time()})


def _discard_unfinished(location: Location, generation: Path) -> None:
    """Free at once what a failed run wrote and no commit names (a full disk needs the
    space back): a rebuild that never went live goes whole. Never hides the failure."""
    if location.live_generation() == generation:
        with suppress(OSError, CorpusError):
            remove_leftovers(generation)
    else:
        location.discard_unfinished(generation)
