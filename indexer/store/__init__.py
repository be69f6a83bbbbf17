"""The index on disk: schema, generations and swap, locking, incremental sync, stats."""

from indexer.store.location import Location, read_meta, write_meta
from indexer.store.lock import WriteLock
from indexer.store.report import IndexReport, Problem
from indexer.store.schema import build_schema
from indexer.store.stats import Stats
from indexer.store.sync import Synchronizer

__all__ = [
    "IndexReport",
    "Location",
    "Problem",
    "Stats",
    "Synchronizer",
    "WriteLock",
    "build_schema",
    "read_meta",
    "write_meta",
]
