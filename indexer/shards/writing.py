"""Writing a sharded index: every shard in parallel, under the one lock of the root.

Each shard is written by a `Corpus` of its own (batches, commits, kill -9 safety: as
for one index), in a process of its own on this machine or as a Dask task on a cluster.
A shard's writer reads every source and keeps the articles whose id hashes to it
(`layout.shard_of`): reading is cheap beside analysing, and no article crosses a pipe.
Skipped records and notices of the sources are reported by shard 0 alone, once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import IndexBusyError, UsageError, given
from indexer.limits import DEFAULT_LIMITS, Limits
from indexer.progress import Progress
from indexer.shards.layout import Manifest, is_sharded, shard_of
from indexer.shards.processes import run_in_processes
from indexer.shards.progress import AllShards, Events, ShardProgress, WorkerEvents
from indexer.shards.tasks import TELL_SECONDS, ShardStopped, StopAsked, bounded, run_as_tasks
from indexer.sources import Article, Notice, Skip, read_sources, source_bytes
from indexer.store import IndexReport, Location, WriteLock, stopping
from indexer.store.mpwriter import _die_with_parent
from indexer.store.sync import RECORD_ORIGIN, Synchronizer
from indexer.store.writing import write_index


@dataclass(frozen=True)
class ShardJob:
    """What one shard's writer does with the sources: picklable, for a process or a task."""

    shard: int
    count: int
    path: str
    sources: tuple[str, ...]
    fields: Mapping[str, str] | None
    encoding: str | None
    follow_links: bool
    limits: Limits
    prune: bool
    file_format: str | None = None
    progress_topic: str | None = None  # on a Dask worker: the topic its progress events go to
    stop_event: str | None = None  # on a Dask worker: the event that stops its run (`tasks.py`)


#: How long the last progress events of the writer processes are waited for.
RELAY_SECONDS = 5.0
#: Where this process's shard writers send their progress (`progress.py`): set in each
#: writer process, or in this one while it writes a shard itself; on a Dask worker, None
#: (a job's `progress_topic` says where).
_events: Events | None = None


def index_shard(job: ShardJob) -> IndexReport | ShardStopped:
    """Bring one shard in line with its share of the sources (see the module docstring);
    a task's `ShardStopped` when its run was stopped (returned: nothing failed)."""
    events = _events if _events is not None else (WorkerEvents(job.progress_topic) if job.progress_topic else None)
    progress = ShardProgress(events, job.shard) if events is not None else Progress()
    stop_asked = StopAsked(job.stop_event) if job.stop_event else None
    if stop_asked is not None and stop_asked():
        return ShardStopped(job.shard)  # a task that starts after its run stopped writes nothing
    paths = [Path(s) for s in job.sources]
    items = _Share(
        read_sources(
            paths, fields=job.fields, encoding=job.encoding, follow_links=job.follow_links,
            limits=job.limits, file_format=job.file_format, on_bytes=lambda n: progress.read(nbytes=n),
        ),
        job.shard,
        job.count,
        stop_asked,
    )

    def work(sync: Synchronizer) -> None:
        progress.start(source_bytes(paths, job.follow_links))
        sync.consume(items)
        sync.files_skipped |= items.files_skipped
        if job.prune and (job.shard == 0 or not sync.files_skipped):  # "not pruned" said once
            sync.prune()

    try:
        report = write_index(Location(Path(job.path)), work, False, 0.0, progress, job.limits, procs=1)
    except ShardStopped:  # its batch cancelled and its files removed, as on SIGTERM
        return ShardStopped(job.shard, getattr(progress, "last_committed", None))
    finally:
        if isinstance(progress, ShardProgress):
            progress.flush()  # a stopped writer's last reads count in what its stop lost
    progress.finish()
    return report


class _Share:
    """The items of the sources for one shard: its articles, and (shard 0 only) the
    sources' skipped records and notices. Notes whether a whole file was skipped, which
    makes pruning unsafe in every shard. Ends in `ShardStopped` once ``stop_asked()``
    (a task's run was stopped)."""

    def __init__(
        self, items: Iterable[Article | Skip | Notice], shard: int, count: int, stop_asked: Callable[[], bool] | None = None
    ) -> None:
        self._items = items
        self._shard = shard
        self._count = count
        self._stop_asked = stop_asked
        self.files_skipped = False

    def __iter__(self) -> Iterator[Article | Skip | Notice]:
        for item in self._items:
            if self._stop_asked is not None and self._stop_asked():
                raise ShardStopped(self._shard)
            if isinstance(item, Article):
                if shard_of(item.id, self._count) == self._shard:
                    yield item
                continue
            if isinstance(item, Skip) and not RECORD_ORIGIN.search(item.origin):
                self.files_skipped = True
            if self._shard == 0:
                yield item


def index_sharded(
    location: Location,
    sources: Sequence[Path],
    *,
    shards: int | None,
    prune: bool,
    rebuild: bool,
    fields: Mapping[str, str] | None,
    encoding: str | None,
    follow_links: bool,
    limits: Limits,
    wait: float,
    file_format: str | None = None,
    client=None,  # type: ignore[no-untyped-def]
    progress: Progress | None = None,
) -> IndexReport:
    """`Corpus.index` for a sharded index: every shard written in parallel; a rebuild
    (optionally into another number of shards) swapped in with one rename. ``progress``
    hears of every shard's writer as of one run (`progress.AllShards`)."""
    started = time.monotonic()
    run = uuid.uuid4().hex
    topic, stop_event = (f"corpus-progress-{run}", f"corpus-stop-{run}") if client is not None else (None, None)
    with WriteLock(location.root, wait):
        location.remove_unfinished()
        generation, manifest = _target(location, shards, rebuild)
        _wait_for_writers(manifest.paths(generation), started + wait)
        jobs = [
            ShardJob(
                k, manifest.count, str(path), tuple(str(Path(s).resolve()) for s in sources), fields, encoding,
                follow_links, limits, prune, file_format, topic, stop_event,
            )
            for k, path in enumerate(manifest.paths(generation))
        ]
        try:
            reports = run_jobs(index_shard, jobs, client, AllShards(progress or Progress(), len(jobs)))
            if rebuild:
                stopping.hold()  # once swapped in, the rebuild is done: a stop changes nothing
                location.swap_to(generation)
        except BaseException:
            stopping.release(act=False)
            location.discard_unfinished(generation)  # a rebuild's copy (a full disk needs the space)
            raise
        stopping.release(act=False)
    return merged(reports, limits.listed, rebuild, time.monotonic() - started)


def _wait_for_writers(paths: Sequence[Path], deadline: float) -> None:
    """Wait until no writer holds a shard's lock (the writer of a stopped run on a cluster
    may outlive it: `tasks.py`), until ``deadline`` at most: the run's ``wait``."""
    for path in paths:
        with WriteLock(path, max(0.0, deadline - time.monotonic())):
            pass


def _target(location: Location, shards: int | None, rebuild: bool) -> tuple[Path, Manifest]:
    """The generation to write and its manifest: the live one, or a new one (live at
    once when there is none yet, so an interrupted first build is continued)."""
    live = location.live_generation()
    if live is not None and not rebuild:
        location.require_live_generation()
        if not is_sharded(live):
            wanted = f"{shards} shards" if shards else "shards"
            raise UsageError(f"the index at {location.root} is not sharded: add ", given("rebuild", True), f" to split it into {wanted}")
        manifest = Manifest.read(live)
        if shards is not None and shards != manifest.count:
            raise UsageError(
                f"the index at {location.root} has {manifest.count} shards: add ", given("rebuild", True), f" to make it {shards}"
            )
        return live, manifest
    if shards is None:
        shards = Manifest.read(live).count if is_sharded(live) else 1
    manifest = Manifest.of(shards)
    generation = location.new_generation()
    manifest.write(generation)
    for path in manifest.paths(generation):
        # Every shard an empty index before any is written: a first build stopped before
        # a shard's writer started (more shards than cores) stays searchable.
        write_index(Location(path), lambda sync: None, False, 0.0, None)
    if live is None:
        location.swap_to(generation)
    return generation, manifest


def run_jobs(function: Callable, jobs: list, client=None, events: AllShards | None = None) -> list:  # type: ignore[no-untyped-def]
    """`function(job)` for every job, in parallel: Dask tasks on `client`'s cluster (a
    task whose worker dies is run again by the scheduler, and a shard's writer resumes
    from its last commit; `tasks.run_as_tasks`), else processes of this machine, one per
    core at most. ``events`` hears the progress of the writers (`_events` on this machine)."""
    global _events
    if client is not None:
        return _on_cluster(function, jobs, client, events)
    if len(jobs) == 1:
        _events = events
        try:
            return [function(jobs[0])]
        finally:
            _events = None
    workers = min(len(jobs), os.cpu_count() or 1)
    queue = multiprocessing.get_context("fork").Queue() if events is not None else None
    relay = threading.Thread(target=_relay, args=(queue, events), name="shard-progress", daemon=True) if queue else None
    if relay is not None:
        relay.start()
    try:
        return run_in_processes(function, jobs, workers, start=lambda: _start_writer(queue))
    finally:
        if queue is not None and relay is not None:
            queue.put(None)
            relay.join(timeout=RELAY_SECONDS)  # a writer killed while sending may leave the queue stuck


def _on_cluster(function: Callable, jobs: list, client, events: AllShards | None) -> list:  # type: ignore[no-untyped-def]
    """`run_jobs` as Dask tasks stopped with the jobs' `stop_event`; their progress comes as
    the workers' events of the jobs' `progress_topic`, waited for a moment after the last
    result (they travel apart)."""
    topic = getattr(jobs[0], "progress_topic", None) if jobs else None
    if events is not None and topic:
        client.subscribe_topic(topic, lambda event: events.put(WorkerEvents.received(event)))
    try:
        results = run_as_tasks(function, jobs, client, events, getattr(jobs[0], "stop_event", None) or f"corpus-stop-{uuid.uuid4().hex}")
        if events is not None and topic:
            events.wait_finished(RELAY_SECONDS)
        return results
    finally:
        if events is not None and topic:
            bounded(lambda: client.unsubscribe_topic(topic), TELL_SECONDS)  # a lost scheduler: the run ends still


def _start_writer(queue) -> None:  # type: ignore[no-untyped-def]
    """A writer process's start: it dies with its parent and reports to ``queue``."""
    global _events
    _die_with_parent()
    _events = queue


def _relay(queue, events: AllShards) -> None:  # type: ignore[no-untyped-def]
    """Pass the writer processes' events on until None comes."""
    while (event := queue.get()) is not None:
        events.put(event)


def merged(reports: Sequence[IndexReport], listed: int = DEFAULT_LIMITS.listed, rebuilt: bool = False, seconds: float = 0.0) -> IndexReport:
    """One report of the shards' reports, as one index's run would have counted."""
    total = IndexReport(rebuilt=rebuilt, listed=listed, seconds=seconds)
    for report in reports:
        total.added += report.added
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.deleted += report.deleted
        total.total_documents += report.total_documents
        total.skipped_count += report.skipped_count
        total.notices_count += report.notices_count
        total.skipped += report.skipped[: max(0, listed - len(total.skipped))]
        total.notices += report.notices[: max(0, listed - len(total.notices))]
    total.pruned = bool(reports) and reports[0].pruned
    return total


def write_each(location: Location, manifest: Manifest, generation: Path, work: dict[int, Callable[[Synchronizer], None]], wait: float) -> IndexReport:
    """Run `work[shard]` on each shard in this process (small writes: `add`, `delete`)."""
    started = time.monotonic()
    with WriteLock(location.root, wait):
        if location.live_generation() != generation:
            raise IndexBusyError(f"the index at {location.root} was rebuilt while this write waited: run it again")
        paths = manifest.paths(generation)
        reports = [write_index(Location(paths[k]), work.get(k, lambda sync: None), False, wait, None) for k in range(manifest.count)]
    return merged(reports, seconds=time.monotonic() - started)


def routed(items: Iterable[Article | Skip | Notice], count: int) -> dict[int, list[Article | Skip | Notice]]:
    """Articles by shard; skipped records and notices with shard 0 (reported once)."""
    shares: dict[int, list[Article | Skip | Notice]] = {k: [] for k in range(count)}
    for item in items:
        shares[shard_of(item.id, count) if isinstance(item, Article) else 0].append(item)
    return shares
