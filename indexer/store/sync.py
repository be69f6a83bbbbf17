"""Bring an index in line with its sources: add new, replace changed, skip unchanged.

Articles stream from the sources; each is hashed and compared with the hash stored in
the index, so an unchanged nightly run reads the sources and writes nothing. Changed and
new articles are written in batches, one commit per batch: a run killed at any moment
leaves the index at its last committed batch, and rerunning finishes the job. A batch
closes at ``BATCH_SIZE`` articles, or before its reading and its commit together would
pass ``LOSS_SECONDS``, so a kill loses about a minute of work, not the run. Once the
articles are committed, the run merges segments as the merge policy says, each merge a
commit of its own, so queries do not pay for the commits (docs/benchmarks.md, "Commits
of a long run").
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable
from contextlib import suppress

import orjson
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from indexer.errors import PRUNE, Message
from indexer.progress import Progress
from indexer.sources import Article, Notice, Skip
from indexer.store.merging import merge_tiers, tier_to_merge
from indexer.store.mpwriter import SafeMpWriter
from indexer.store.report import IndexReport
from indexer.store.schema import HASH, ID, document
from indexer.store import stopping
from indexer.store.codec import CorpusCodec
from indexer.store.writer import CorpusWriter

#: Articles written per commit. Each commit adds a segment per writing process, and a
#: search looks every query word up once per segment, so fewer, bigger batches answer
#: faster (benchmarks/segments.py, docs/benchmarks.md); a kill loses at most one batch.
BATCH_SIZE = 50_000
#: What a kill may lose: a batch is committed once its age plus the time its commit is
#: expected to take (the previous commit's seconds per article; before any, as long as the
#: batch took to read) reaches this. ``--rebuild`` ignores it: its index is not live
#: until the end, so its commits would keep nothing.
LOSS_SECONDS = 60.0
#: Batches at least this big are written by several processes (one segment each).
PARALLEL_MIN = 2_000
PROCS = 2
#: Memory for the posting pool, per writing process (estimated by the pool); past it the
#: pool spills sorted runs to disk. It bounds a full build's RSS (docs/benchmarks.md,
#: "Indexing").
LIMIT_MB = 128
#: Origins of single records end in ":LINE" or "#N"; a bare path means a whole file.
RECORD_ORIGIN = re.compile(r"[:#]\d+$")


def content_hash(article: Article) -> str:
    """A digest of everything stored about an article: equal hashes mean nothing changed."""
    fields = [article.title, article.body, article.date_raw, article.source, article.url]
    return hashlib.blake2b(orjson.dumps(fields), digest_size=16).hexdigest()


def stored_hashes(index: FileIndex) -> dict[str, str]:
    """id -> content hash of every live document, read from columns (no stored text loaded)."""
    with index.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}
        ids = reader.column_reader(ID)
        hashes = reader.column_reader(HASH)
        return {ids[n]: hashes[n] for n in reader.all_doc_ids()}


class Synchronizer:
    """One run of writes into one index, accumulating an ``IndexReport``."""

    def __init__(
        self,
        index: FileIndex,
        report: IndexReport,
        progress: Progress | None = None,
        timed: bool = True,
        procs: int | None = None,
    ) -> None:
        """``timed``: commit by ``LOSS_SECONDS`` too (not only by ``BATCH_SIZE``).
        ``procs``: writing processes for a big batch (1 where a shard of a sharded
        index is built beside the others, each in a process of its own)."""
        self.index = index
        self.procs = PROCS if procs is None else procs
        self.report = report
        self.progress = progress or Progress()
        self.timed = timed
        self.commits = 0
        self.commit_pace: float | None = None  # seconds per article of the last commit
        self.existing = stored_hashes(index)
        self.seen: dict[str, str] = {}  # id -> origin, for this run
        self.files_skipped = False

    def consume(self, items: Iterable[Article | Skip | Notice]) -> None:
        """Write every new or changed article; count the rest."""
        batch = _Batch(self.index, self.existing, self.procs)
        try:
            for item in items:
                if isinstance(item, Skip):
                    self.report.skip(item.origin, item.reason)
                    if not RECORD_ORIGIN.search(item.origin):
                        self.files_skipped = True  # a whole file: pruning would be unsafe
                    continue
                if isinstance(item, Notice):
                    self.report.notice(item.origin, item.reason)
                    continue
                first = self.seen.get(item.id)
                if first is not None:
                    self.report.skip(item.origin, f"duplicate id {item.id!r} (first seen at {first})")
                    continue
                self.seen[item.id] = item.origin
                digest = content_hash(item)
                self.progress.read(articles=1)
                if self.existing.get(item.id) == digest:
                    self.report.unchanged += 1
                    continue
                batch.add(item, digest)
                if len(batch) >= BATCH_SIZE or (self.timed and self._due(batch)):
                    self._commit(batch, merge=False)
                    batch = _Batch(self.index, self.existing, self.procs)
            # A run of one commit (a nightly one) merges in it, as the policy says; a longer
            # run merges once its articles are all committed, in commits of their own.
            self._commit(batch, merge=self.commits == 0)
        except BaseException:
            batch.cancel()  # a failed commit keeps Whoosh's lock until cancel()
            raise
        if self.commits > 1:
            self._merge()

    def _due(self, batch: _Batch) -> bool:
        """Whether committing ``batch`` now keeps what a kill loses within ``LOSS_SECONDS``."""
        age = batch.age()
        expected = age if self.commit_pace is None else self.commit_pace * len(batch)
        return age + expected >= LOSS_SECONDS

    def _merge(self) -> None:
        """Merge segments by the merge policy until no tier is full, one commit per merge:
        a kill during a merge loses that merge, never an article."""
        while True:
            with self.index.reader() as reader:
                segments = [r.segment() for r, _ in reader.leaf_readers()] if reader.doc_count_all() else []
            group = tier_to_merge(segments)
            if not group:
                return
            with stopping.counting(), _committing(CorpusWriter(self.index, limitmb=LIMIT_MB), _announced(merge_tiers, self.progress)):
                pass
            self.progress.phase(None)

    def prune(self) -> None:
        """Delete documents whose ids no source mentioned in this run (mirror mode)."""
        if self.files_skipped:
            self.report.notice(Message(PRUNE), "not pruned: a source file could not be read, so its articles would be lost")
            return
        gone = [doc_id for doc_id in self.existing if doc_id not in self.seen]
        self.delete(gone)
        self.report.pruned = True

    def delete(self, ids: Iterable[str]) -> None:
        """Delete documents by id in one commit; ids not in the index are ignored."""
        asked = list(dict.fromkeys(ids))
        doomed = [doc_id for doc_id in asked if doc_id in self.existing]
        self.report.not_found += [doc_id for doc_id in asked if doc_id not in self.existing]
        if not doomed:
            return
        self.progress.phase(f"deleting {_articles(len(doomed))}")
        with stopping.counting():  # a stop signal waits until the commit is counted
            with _committing(CorpusWriter(self.index, limitmb=LIMIT_MB)) as writer:
                for doc_id in doomed:
                    writer.delete_by_term(ID, doc_id)
            for doc_id in doomed:
                del self.existing[doc_id]
            self.report.deleted += len(doomed)
            self._committed()

    def _commit(self, batch: _Batch, merge: bool) -> None:
        if not len(batch):
            return
        self.progress.phase(f"writing {_articles(len(batch))} to the index")
        started = time.monotonic()
        with stopping.counting():  # a stop signal waits until the commit is counted
            for doc_id, digest in batch.commit(_announced(merge_tiers, self.progress) if merge else None):
                if doc_id in self.existing:
                    self.report.updated += 1
                else:
                    self.report.added += 1
                self.existing[doc_id] = digest
            self.commits += 1
            self.commit_pace = (time.monotonic() - started) / len(batch)
            self._committed()

    def _committed(self) -> None:
        self.progress.phase(None)
        report = self.report
        self.progress.committed(len(self.existing), report.added, report.updated, report.deleted)


def _articles(count: int) -> str:
    return f"{count:,} article{'' if count == 1 else 's'}"


class _Batch:
    """The articles of one commit, on their way into a writer.

    The first ``PARALLEL_MIN`` wait here, so that a small batch is written in this process;
    past that, a multi-process writer takes each article as it arrives. No whole batch is
    ever held in memory, and the writer's helper processes do not start as copies of one.
    """

    def __init__(self, index: FileIndex, existing: dict[str, str], procs: int) -> None:
        self.index = index
        self.procs = procs
        self.existing = existing  # committed id -> hash: who needs deleting first
        self.waiting: list[tuple[Article, str]] = []
        self.written: list[tuple[str, str]] = []  # (id, hash) handed to the writer
        self.writer: SegmentWriter | None = None
        self.opened = time.monotonic()

    def age(self) -> float:
        """Seconds since the batch was begun."""
        return time.monotonic() - self.opened

    def __len__(self) -> int:
        return len(self.waiting) + len(self.written)

    def add(self, article: Article, digest: str) -> None:
        if self.writer is None:
            self.waiting.append((article, digest))
            if len(self.waiting) >= PARALLEL_MIN and self.procs > 1:
                # procs>1 without multisegment can silently drop documents (sub-writer
                # results are collected with a 1 s timeout): always multisegment.
                self._write_waiting(
                    SafeMpWriter(
                        self.index, procs=self.procs, multisegment=True, limitmb=LIMIT_MB, batchsize=256, codec=CorpusCodec()
                    )
                )
        else:
            self._write(article, digest)

    def commit(self, policy=None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        """Commit what was added, merging by ``policy`` (a Whoosh merge policy; None: merge
        nothing); returns the (id, hash) pairs now in the index."""
        if self.writer is None:
            if not self.waiting:
                return []
            self._write_waiting(CorpusWriter(self.index, limitmb=LIMIT_MB))
        if policy is None or isinstance(self.writer, SafeMpWriter):
            # A big batch merges nothing in its commit: its helpers' segments are the size
            # of a build's, and a merge would hold the commit up for minutes.
            self.writer.commit(merge=False)
        else:
            self.writer.commit(mergetype=policy)
        self.writer = None
        return self.written

    def cancel(self) -> None:
        """Drop what was added; releases Whoosh's lock (a failed commit keeps it until then)."""
        if self.writer is not None and not self.writer.is_closed:
            _cancel(self.writer)
        self.writer = None

    def _write_waiting(self, writer: SegmentWriter) -> None:
        self.writer = writer
        for article, digest in self.waiting:
            self._write(article, digest)
        self.waiting = []

    def _write(self, article: Article, digest: str) -> None:
        if article.id in self.existing:
            # Delete-then-add, never update_document: ids are unique within a run
            # (duplicates are skipped), and deletes only see committed documents.
            self.writer.delete_by_term(ID, article.id)
        self.writer.add_document(**document(article, digest))
        self.written.append((article.id, digest))


def _announced(policy, progress: Progress):
    """The merge policy ``policy`` (``merge_tiers``), telling ``progress`` what it merges first."""

    def merging(writer: SegmentWriter, segments: list) -> list:
        group = tier_to_merge(segments)
        if group:
            documents = sum(s.doc_count() for s in group)
            progress.phase(f"merging {len(group)} segments ({documents:,} documents)")
        return policy(writer, segments)

    return merging


class _committing:
    """Commit on success; on any error or Ctrl-C cancel, which releases Whoosh's lock."""

    def __init__(self, writer: SegmentWriter, policy=merge_tiers) -> None:  # type: ignore[no-untyped-def]
        self.writer = writer
        self.policy = policy

    def __enter__(self) -> SegmentWriter:
        return self.writer

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.writer.commit(mergetype=self.policy)
        else:
            # A failed commit keeps the write lock until cancel().
            _cancel(self.writer)


def _cancel(writer: SegmentWriter) -> None:
    """Cancel ``writer`` without hiding why: Whoosh's cancel() closes the segment's files,
    which writes, and on a full disk raises before it releases its lock. The files are
    removed afterwards (``leftovers.py``); the lock is released here."""
    try:
        writer.cancel()
    except OSError:
        lock = getattr(writer, "writelock", None)  # None in a helper process (_lk=False)
        if lock is not None and lock.fd is not None:  # Whoosh's release() raises when not held
            with suppress(OSError):
                lock.release()

