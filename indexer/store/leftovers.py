"""What a killed or failed writer leaves in a generation, and its removal.

A writer creates its segment's files as it goes and names them in a new TOC only when it
commits. A writer killed (``kill -9``, the OOM killer), or stopped by a full disk, leaves
those files behind: a batch's segment, a merge's output, Whoosh's spill directory, a TOC
or ``meta.json`` never renamed into place. No reader opens them, but they hold their
space: on a disk that just filled up, the next run would find it full again. Whoosh
removes unnamed segments only when a later writer commits, so a run that commits
nothing (a night with nothing new) would keep them for good.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from whoosh.index import clean_files

from indexer.store.location import META_FILE, open_generation
from indexer.store.streams import CACHE_DIR, remove_stale

#: ``write_meta``'s temporary, named by the writing process.
_UNRENAMED_META = re.compile(rf"\.{re.escape(META_FILE)}\.[0-9]+")


def remove_leftovers(generation: Path) -> None:
    """Delete from ``generation`` what no commit names: segment files outside its latest
    TOC, older TOCs, unrenamed temporaries, the spill directory and the word streams of
    segments that are gone. Run under the write lock only (a writer at work would lose
    its files); readers open only what the latest TOC names, which stays."""
    index = open_generation(generation)
    toc = index._read_toc()
    name = index.indexname
    clean_files(index.storage, name, toc.generation, toc.segments)
    # Whoosh's spill directory (SegmentWriter's temp_storage), and the name a TOC is
    # written under before its rename (_MAIN_3.toc.1733050000.12): clean_files keeps both.
    unrenamed_toc = re.compile(rf"_{re.escape(name)}_[0-9]+\.toc\..+")
    for entry in generation.iterdir():
        if entry.name == f"{name}.tmp":
            shutil.rmtree(entry, ignore_errors=True)
        elif unrenamed_toc.fullmatch(entry.name) or _UNRENAMED_META.fullmatch(entry.name):
            _unlink(entry)
    views = generation / CACHE_DIR
    if views.is_dir():
        remove_stale(views, {segment.segment_id() for segment in toc.segments})


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # gone already, or not ours to remove: nothing is lost by keeping it
