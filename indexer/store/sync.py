"""Bring an index in line with its sources: add new, replace changed, skip unchanged.

Articles stream from the sources; each is hashed and compared with the hash stored in
the index, so an unchanged nightly run reads the sources and writes nothing. Changed and
new articles are written in batches, one commit per batch: a run killed at any moment
leaves the index at its last committed batch, and rerunning finishes the job.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

import orjson
from whoosh.codec.whoosh3 import W3Codec
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from indexer.sources import Article, Notice, Skip
from indexer.store.mpwriter import SafeMpWriter
from indexer.store.report import IndexReport, Problem

#: Articles written per commit. Bigger batches make fewer segments; smaller ones lose
#: less work to a crash.
BATCH_SIZE = 10_000
#: Batches at least this big are written by several processes (one segment each).
PARALLEL_MIN = 2_000
PROCS = 2
#: Memory for Whoosh's posting pool, per writing process (estimated by the pool). 192 holds
#: a writer's share of a batch (about 5,000 articles, 2.2 million postings) without spilling
#: to disk, and keeps the writer processes under 1 GB together (docs/benchmarks.md, "Indexing").
LIMIT_MB = 192
#: Postings per block (Whoosh writes 128). A search reads every block of each of its
#: words, segment by segment, at a fixed cost per block: with 1,024 a word in a few
#: thousand articles is one block per segment (docs/benchmarks.md, "Query latency").
BLOCK_POSTINGS = 1024
#: Origins of single records end in ":LINE" or "#N"; a bare path means a whole file.
RECORD_ORIGIN = re.compile(r"[:#]\d+$")


def content_hash(article: Article) -> str:
    """A digest of everything stored about an article: equal hashes mean nothing changed."""
    fields = [article.title, article.body, article.date_raw, article.source, article.url]
    return hashlib.blake2b(orjson.dumps(fields), digest_size=16).hexdigest()


def document(article: Article, digest: str) -> dict:
    """The Whoosh document for an article: stemmed and exact forms of the same text."""
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "title_exact": article.title,
        "body_exact": article.body,
        "date_raw": article.date_raw,
        "source": article.source,
        "url": article.url,
        "hash": digest,
    }
    if article.date is not None:
        doc["date"] = article.date
    return doc


def stored_hashes(index: FileIndex) -> dict[str, str]:
    """id -> content hash of every live document, read from columns (no stored text loaded)."""
    with index.reader() as reader:
        if reader.doc_count_all() == 0:
            return {}
        ids = reader.column_reader("id")
        hashes = reader.column_reader("hash")
        return {ids[n]: hashes[n] for n in reader.all_doc_ids()}


def open_writer(index: FileIndex, batch: int) -> SegmentWriter:
    """A writer sized for the batch; several processes only where that pays."""
    if batch >= PARALLEL_MIN and PROCS > 1:
        # procs>1 without multisegment can silently drop documents (sub-writer results are
        # collected with a 1 s timeout): always multisegment.
        return SafeMpWriter(index, procs=PROCS, multisegment=True, limitmb=LIMIT_MB, batchsize=256, codec=_codec())
    return index.writer(limitmb=LIMIT_MB, codec=_codec())


def _codec() -> W3Codec:
    return W3Codec(blocklimit=BLOCK_POSTINGS)


class Synchronizer:
    """One run of writes into one index, accumulating an ``IndexReport``."""

    def __init__(self, index: FileIndex, report: IndexReport, on_progress: Callable[[int], None] | None = None) -> None:
        self.index = index
        self.report = report
        self.on_progress = on_progress or (lambda n: None)
        self.existing = stored_hashes(index)
        self.seen: dict[str, str] = {}  # id -> origin, for this run
        self.files_skipped = False

    def consume(self, items: Iterable[Article | Skip | Notice]) -> None:
        """Write every new or changed article; count the rest."""
        batch: list[tuple[Article, str]] = []
        for item in items:
            if isinstance(item, Skip):
                self.report.skipped.append(Problem(item.origin, item.reason))
                if not RECORD_ORIGIN.search(item.origin):
                    self.files_skipped = True  # a whole file: pruning would be unsafe
                continue
            if isinstance(item, Notice):
                self.report.notices.append(Problem(item.origin, item.reason))
                continue
            first = self.seen.get(item.id)
            if first is not None:
                self.report.skipped.append(Problem(item.origin, f"duplicate id {item.id!r} (first seen at {first})"))
                continue
            self.seen[item.id] = item.origin
            digest = content_hash(item)
            self.on_progress(1)
            if self.existing.get(item.id) == digest:
                self.report.unchanged += 1
                continue
            batch.append((item, digest))
            if len(batch) >= BATCH_SIZE:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    def prune(self) -> None:
        """Delete documents whose ids no source mentioned in this run (mirror mode)."""
        if self.files_skipped:
            self.report.notices.append(
                Problem("--prune", "not pruned: a source file could not be read, so its articles would be lost")
            )
            return
        gone = [doc_id for doc_id in self.existing if doc_id not in self.seen]
        self.delete(gone)
        self.report.pruned = True

    def delete(self, ids: Iterable[str]) -> None:
        """Delete documents by id in one commit; ids not in the index are ignored."""
        doomed = [doc_id for doc_id in dict.fromkeys(ids) if doc_id in self.existing]
        if not doomed:
            return
        with _committing(self.index.writer(limitmb=LIMIT_MB, codec=_codec())) as writer:
            for doc_id in doomed:
                writer.delete_by_term("id", doc_id)
        for doc_id in doomed:
            del self.existing[doc_id]
        self.report.deleted += len(doomed)

    def _write(self, batch: list[tuple[Article, str]]) -> None:
        with _committing(open_writer(self.index, len(batch))) as writer:
            for article, digest in batch:
                if article.id in self.existing:
                    # Delete-then-add, never update_document: ids are unique within a batch
                    # (duplicates were skipped above), and deletes only see committed docs.
                    writer.delete_by_term("id", article.id)
                writer.add_document(**document(article, digest))
        for article, digest in batch:
            if article.id in self.existing:
                self.report.updated += 1
            else:
                self.report.added += 1
            self.existing[article.id] = digest


class _committing:
    """Commit on success; on any error or Ctrl-C cancel, which releases Whoosh's lock."""

    def __init__(self, writer: SegmentWriter) -> None:
        self.writer = writer

    def __enter__(self) -> SegmentWriter:
        return self.writer

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.writer.commit()
        else:
            # A failed commit keeps the write lock until cancel().
            self.writer.cancel()

