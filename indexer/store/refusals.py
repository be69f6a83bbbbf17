"""A write the index's file system refuses (a full disk, a read-only mount, a directory
of another user), said in one line: the index, what went wrong, what the index still
holds, and what to do."""

from __future__ import annotations

import errno
from pathlib import Path

from indexer.errors import AGAIN, IndexWriteError

#: errno -> (what went wrong, what to do)
_ADVICE = {
    errno.ENOSPC: ("no space left on its device", "free some space there"),
    errno.EDQUOT: ("the disk quota of this user is used up", "free some space or raise the quota"),
    errno.EROFS: ("its file system is mounted read-only", "mount it read-write"),
    errno.EACCES: ("permission denied", "give this user write access to the index directory"),
    errno.EPERM: ("operation not permitted", "give this user write access to the index directory"),
}


def refused_write(root: Path, error: OSError, documents: int | None) -> IndexWriteError | None:
    """The one-line error for ``error`` met while writing the index at ``root``, or None
    when ``error`` is not about the index (a source file, say)."""
    if error.errno not in _ADVICE:
        return None
    if error.errno in (errno.EACCES, errno.EPERM) and not _inside(error.filename, root):
        return None  # a source file's, or another program's: not the index's to explain
    what, remedy = _ADVICE[error.errno]
    where = f" ({error.filename})" if error.filename else ""
    kept = "" if documents is None else f"; it keeps its last commit ({documents:,} document{'' if documents == 1 else 's'})"
    return IndexWriteError(
        f"cannot write the index at {root.absolute()}: {what}{where}{kept}:"
        f" {remedy} and ", AGAIN, " (what is indexed already is skipped)"
    )


def _inside(filename: object, root: Path) -> bool:
    if not isinstance(filename, str):
        return False
    try:
        Path(filename).absolute().relative_to(root.absolute())
    except ValueError:
        return False
    return True
