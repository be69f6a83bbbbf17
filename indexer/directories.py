"""Directories a user can mix up: a directory of other files given as the index, and an
index given as a source of articles (``corpus index idx`` for ``corpus index --index idx``).
Either would write an index among someone's files, or index an index's own files, so each
is refused before anything is written, naming the directory and what to give instead."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from indexer.errors import Spelled, UsageError

#: What corpus writes in an index directory (``indexer/store/location.py``, ``lock.py``):
#: the live link, the lock, numbered generations, a link being swapped in.
_OURS = re.compile(r"current|LOCK|gen-[0-9]+|\.current-[0-9]+")
#: Kept beside an index without harm: a file system's own directory, hidden files (.DS_Store).
_HARMLESS = re.compile(r"lost\+found|\..*")
#: Files of another directory named in a message.
_SHOWN = 3


def refuse_foreign_files(root: Path) -> None:
    """A ``UsageError`` when ``root`` is a directory holding files but no corpus index."""
    if not root.is_dir() or is_index(root):
        return
    foreign = sorted(p.name for p in root.iterdir() if not (_OURS.fullmatch(p.name) or _HARMLESS.fullmatch(p.name)))
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (f" and {len(foreign) - _SHOWN:,} more" if len(foreign) > _SHOWN else "")
        raise UsageError(
            f"{root} holds other files ({shown}) and no corpus index: an index is not written among them;"
            " name a new or empty directory for the index"
        )


def refuse_index_as_source(sources: Sequence[Path]) -> None:
    """A ``UsageError`` when a source is a corpus index, or a generation inside one."""
    for source in sources:
        parent = source.absolute().parent
        index = source if is_index(source) else parent if source.is_dir() and is_index(parent) else None
        if index is not None:
            raise UsageError(
                f"{source} is a corpus index, not articles to index: to write to it, ",
                Spelled(library=f"open Corpus({str(index)!r})", cli=f"give --index {index}"),
                " and name the files or directories of articles as sources",
            )


def is_index(path: Path) -> bool:
    """Whether ``path`` is the root of a corpus index (its live link is there)."""
    return (path / "current").is_symlink()
