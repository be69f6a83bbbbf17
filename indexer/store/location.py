"""Where an index lives on disk, and the atomic swap that makes ``--rebuild`` safe.

    <root>/LOCK            the write lock (see lock.py)
    <root>/current         symlink to the live generation, replaced atomically
    <root>/gen-<n>/        one complete Whoosh index, plus meta.json

A rebuild writes a new generation beside the live one and then points ``current`` at it
with one ``rename``: a reader opens either the old or the new generation, never a
half-built one. The previous generation is kept until the next rebuild, so readers that
opened it before the swap keep working.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import orjson
from whoosh.index import EmptyIndexError, FileIndex

from indexer.analysis import ANALYZER_VERSION
from indexer.errors import REBUILD, CorpusError, IncompatibleIndexError, Spelled, UsageError
from indexer.store.postings import FORMAT
from indexer.store.schema import build_schema
from indexer.store.durable import DurableFileStorage, replace, sync_directory
from indexer.store.unpickling import UnsafePickleError, open_index

T = TypeVar("T")
META_FILE = "meta.json"
GENERATION_PREFIX = "gen-"
_GENERATION_NAME = re.compile(re.escape(GENERATION_PREFIX) + r"[0-9]+")
#: How to get an index where there is none, on each surface.
BUILD_ONE = Spelled(
    library="build one with Corpus.index(sources) or Corpus.add(articles), or give Corpus another directory (or set $CORPUS_INDEX)",
    cli="build one with `corpus index`, or name another directory with --index DIR or $CORPUS_INDEX",
)


@dataclass(frozen=True)
class Location:
    """An index root directory and its generations."""

    root: Path
    #: generation -> (inode, mtime) of the meta.json found compatible: a search checks the
    #: index with one stat, not by reading and parsing meta.json (a rewrite is a new inode).
    _compatible: dict[Path, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def current(self) -> Path:
        return self.root / "current"

    def live_generation(self) -> Path | None:
        """The directory of the live generation, or None when nothing was built yet."""
        try:
            target = os.readlink(self.current)
        except OSError:  # no link (nothing built), or not a link
            return None
        if not _GENERATION_NAME.fullmatch(target):
            # Only a generation beside it: a link elsewhere would open (and write) any directory.
            raise CorpusError(f"{self.current} points to {target!r}, not to a generation of this index")
        return self.root / target

    def refuse_generation(self) -> None:
        """Raise ``CorpusError`` when the root is a generation of another index (the user
        gave ``idx/current`` or ``idx/gen-000003``), naming the index to give instead."""
        parent = self.root.absolute().parent
        if (self.root / META_FILE).is_file() and (parent / "current").is_symlink():
            raise CorpusError(
                f"{self.root} is one generation inside the index {parent}: ",
                Spelled(library=f"open Corpus({str(parent)!r})", cli=f"give --index {parent}"), " (or set CORPUS_INDEX to it)",
            )

    def refuse_file(self) -> None:
        """Raise ``UsageError`` when the root, or the nearest of its parents that exists,
        is a file: an index is a directory (made when missing)."""
        for path in (self.root, *self.root.absolute().parents):
            if path.exists():
                if not path.is_dir():
                    raise UsageError(f"cannot make the index at {self.root}: {path} is a file, not a directory; name a directory for the index")
                return

    def require_live_generation(self) -> Path:
        """The live generation, checked to be built by a compatible analyzer."""
        generation = self.live_generation()
        if generation is None:
            self.refuse_generation()
            if self.root.is_dir() and any(self.root.glob("_MAIN_*.toc")):
                raise IncompatibleIndexError(
                    f"{self.root.absolute()} holds a Whoosh index that corpus did not build; ",
                    Spelled(library="build the corpus index in another directory", cli="run `corpus index` with another --index directory"),
                )
            raise CorpusError(f"no index at {self.root.absolute()}; ", BUILD_ONE)
        try:
            stat = (generation / META_FILE).stat()
            seen = (stat.st_ino, stat.st_mtime_ns)
        except OSError:
            seen = None
        if seen is not None and self._compatible.get(generation) == seen:
            return generation
        meta = read_meta(generation)
        if meta.get("analyzer_version") != ANALYZER_VERSION:
            raise IncompatibleIndexError(
                f"the index at {self.root} was built by analyzer version"
                f" {meta.get('analyzer_version', 'unknown')}, this corpus uses {ANALYZER_VERSION}; ", REBUILD,
            )
        if meta.get("format") != FORMAT:
            raise IncompatibleIndexError(
                f"the index at {self.root} is in posting format {meta.get('format', 'unknown')},"
                f" this corpus reads {FORMAT}; ", REBUILD,
            )
        if seen is not None:
            self._compatible[generation] = seen
        return generation

    def new_generation(self) -> Path:
        """Create an empty directory for a new generation."""
        self.root.mkdir(parents=True, exist_ok=True)
        numbers = [_number(p) for p in self._generations()]
        path = self.root / f"{GENERATION_PREFIX}{max(numbers, default=0) + 1:06d}"
        path.mkdir()
        write_meta(path, {"analyzer_version": ANALYZER_VERSION, "format": FORMAT, "created": time.time()})
        return path

    def swap_to(self, generation: Path) -> None:
        """Make ``generation`` live with one atomic rename, then drop stale generations."""
        previous = self.live_generation()
        link = self.root / f".current-{os.getpid()}"
        if link.is_symlink():
            link.unlink()
        link.symlink_to(generation.name)
        os.replace(link, self.current)
        sync_directory(self.root)  # the swap (and the new generation's directory) on the disk
        keep = {generation.name, previous.name if previous else None}
        for stale in self._generations():
            if stale.name not in keep:
                shutil.rmtree(stale, ignore_errors=True)

    def remove_unfinished(self) -> None:
        """Delete generations newer than the live one: what an interrupted ``--rebuild`` (a
        kill, a full disk) left half-built. Called under the write lock, before a run."""
        live = self.live_generation()
        if live is None:
            return
        for generation in self._generations():
            if _number(generation) > _number(live):
                shutil.rmtree(generation, ignore_errors=True)

    def discard_unfinished(self, generation: Path) -> None:
        """Delete ``generation`` unless it is live: a rebuild that failed or was interrupted
        frees its space at once instead of at the next run."""
        if self.live_generation() != generation:
            shutil.rmtree(generation, ignore_errors=True)

    def _generations(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        # Only gen-<digits> is ours: a user's gen-backup is neither numbered nor removed.
        return sorted(p for p in self.root.iterdir() if _GENERATION_NAME.fullmatch(p.name) and p.is_dir())


def _number(generation: Path) -> int:
    return int(generation.name[len(GENERATION_PREFIX):])


def open_generation(generation: Path) -> FileIndex:
    """Open the Whoosh index of a generation, or say why it cannot be opened. Nothing stored
    in it is run: see ``unpickling.py``."""
    try:
        return open_index(DurableFileStorage(str(generation)), build_schema())
    except UnsafePickleError as error:
        raise CorpusError(
            f"refusing to open the index at {generation.parent}: {error}; it is damaged or was not"
            " written by corpus (rebuild it from its sources)"
        ) from error
    except (AttributeError, ImportError, pickle.UnpicklingError, EOFError) as error:
        # Whoosh unpickles the schema: analyzer classes that moved or vanished fail here.
        raise IncompatibleIndexError(
            f"the index at {generation.parent} was built by another version of corpus ({error}); ", REBUILD,
        ) from error
    except (OSError, EmptyIndexError) as error:
        raise CorpusError(f"cannot open the index at {generation}: {error}") from error


#: How long ``reading`` looks again for a generation whose files a writer replaced.
OPEN_SECONDS = 10.0


def reading(generation: Path, read: Callable[[FileIndex], T]) -> T:
    """``read(index)`` on the generation's index, opened again when a writer in another
    process replaced the files it was opening.

    Whoosh trap: ``open_dir`` reads the newest TOC file it lists, once, and a writer in
    another process deletes the previous TOC, and the segments it merged away, as it
    commits. ``FileIndex.reader()`` retries a missing file 10 times, 50 ms apart; with
    threads waiting for the GIL between listing a file and opening it, a writer that
    commits often outlasts that. A file gone from a generation that is still there means
    a newer TOC is in place: look again, for up to ``OPEN_SECONDS``.
    """
    deadline = time.monotonic() + OPEN_SECONDS
    while True:
        try:
            return read(open_generation(generation))
        except (CorpusError, FileNotFoundError) as error:
            missing = error if isinstance(error, FileNotFoundError) else error.__cause__
            if not isinstance(missing, FileNotFoundError) or not generation.is_dir() or time.monotonic() >= deadline:
                raise


def read_meta(generation: Path) -> dict:
    """The generation's meta.json: analyzer version, creation and last update times."""
    try:
        return orjson.loads((generation / META_FILE).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}


def write_meta(generation: Path, meta: dict) -> None:
    """Replace meta.json atomically and durably (a crash or a power cut leaves the old or
    the new file, never half)."""
    temporary = generation / f".{META_FILE}.{os.getpid()}"
    try:
        temporary.write_bytes(orjson.dumps(meta))
        replace(temporary, generation / META_FILE)
    except BaseException:
        temporary.unlink(missing_ok=True)  # half a file on a full disk
        raise
