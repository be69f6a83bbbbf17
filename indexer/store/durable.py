"""A commit that survives a power cut: its files on the disk before the run says it is done.

Whoosh's ``FileStorage`` never calls fsync. A commit writes the segment's files, then a TOC
under a temporary name renamed into place; after a power cut the kernel may have written the
rename and not the bytes, and the TOC then names a segment of zeros, or is itself empty. Here,
through what Whoosh lets a caller pass in and nothing else (Whoosh's classes are unchanged):

- the writer (``writer.NamingCommit``) syncs every file of the segments the new TOC will
  name, before it writes the TOC: one fsync per file, at the commit, not one per write;
- the storage (``DurableFileStorage``) syncs the TOC before renaming it into place, and the
  directory after, so the rename itself is on the disk;
- our own renames (``meta.json``, a shard manifest, the views' streams, the ``current`` link
  that a ``--rebuild`` swaps) are synced the same way (``replace``, ``sync_directory``).

What a kill or a power cut can still lose is the commit under way, which no TOC names yet.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from whoosh.codec.base import Segment

from indexer.store.unpickling import SafeFileStorage


def sync_file(path: str | os.PathLike) -> None:
    """Flush a file's bytes (and its size) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_directory(path: str | os.PathLike) -> None:
    """Flush a directory's entries to the disk: the files created, renamed and removed in it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace(temporary: Path, path: Path) -> None:
    """``os.replace(temporary, path)`` that a power cut cannot undo or leave half done:
    ``temporary``'s bytes are synced first, the directory after."""
    sync_file(temporary)
    os.replace(temporary, path)
    sync_directory(path.parent)


class DurableFileStorage(SafeFileStorage):
    """The storage of a corpus index: its TOC is renamed into place durably. Files are
    synced by the writer, at the commit (``sync_segments``), not here at each close: a
    compound segment's parts are written, copied into its ``.seg`` and deleted."""

    def rename_file(self, oldname, newname, safe=False):  # type: ignore[no-untyped-def]
        # Whoosh renames only a TOC (TOC.write), written under a temporary name.
        sync_file(self._fpath(oldname))
        super().rename_file(oldname, newname, safe=safe)
        sync_directory(self.folder)


def sync_segments(storage: SafeFileStorage, segments: Iterable[Segment]) -> None:
    """Sync every file of ``segments`` in ``storage`` (a file already on the disk costs
    next to nothing): what a TOC about to name them must find after a power cut."""
    prefixes = tuple(f"{segment.segment_id()}." for segment in segments)
    if not prefixes:
        return
    for name in storage.list():
        if name.startswith(prefixes):
            sync_file(storage._fpath(name))
