"""SOURCE paths to the files they hold, each with the names used in messages and ids.

A SOURCE is a file or a directory. Directories are walked recursively; hidden files and
directories (names starting with ``.``) are left out, and so are symlinked directories (no
loops). Files come in a stable order: sorted by their path inside the SOURCE. A file named
directly is read even if hidden.

A feed cannot read the rest of the disk: a link to a file outside its SOURCE is not
followed (``follow_links`` allows it) and is reported as a skip. A directory that cannot be
read is reported as a skip too, never passed over in silence: a skipped whole path makes
``--prune`` refuse to delete what it could not see.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import Message, given
from indexer.sources.article import Skip
from indexer.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to read.

    `path` opens it; `origin` names it in messages (the user's spelling of the SOURCE joined
    with the path inside it); `file_id` is the id base described in `indexer.sources.fields`;
    `named`: the SOURCE is this file (not a directory holding it).
    """

    path: Path
    origin: str
    file_id: str
    named: bool = False


def check_sources(paths: Sequence[str | Path]) -> list[Path]:
    """The SOURCE paths as `Path`s; `SourceError` if one is missing or is not a file or dir."""
    if isinstance(paths, str | Path):
        paths = [paths]
    checked = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise SourceError(f"no such file or directory: {raw}")
        if not (path.is_file() or path.is_dir()):
            raise SourceError(f"not a regular file or directory: {raw}")
        checked.append(path)
    return checked


def iter_source_files(root: Path, follow_links: bool = False) -> Iterator[SourceFile | Skip]:
    """The files of one SOURCE, in sorted order, and a ``Skip`` for each file or directory
    that is not read: a link out of the SOURCE (unless ``follow_links``), an unreadable
    directory."""
    name = readable_name(root.resolve().name)
    if root.is_file():
        yield SourceFile(root, readable_name(str(root)), name or readable_name(root.resolve().as_posix()), named=True)
        return
    inside_root = root.resolve()
    found: list[tuple[tuple[str, ...], Path | Skip]] = []

    def unreadable(error: OSError) -> None:
        path = Path(error.filename) if error.filename else root
        reason = f"cannot read this directory ({error.strerror or error}): its files are not indexed"
        found.append((_parts(path, root), Skip(readable_name(str(path)), reason)))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        here = Path(dirpath)
        for filename in filenames:
            if filename.startswith("."):
                continue
            path = here / filename
            if not path.is_file():
                continue
            if path.is_symlink() and not follow_links and not path.resolve().is_relative_to(inside_root):
                target = readable_name(str(path.resolve()))
                reason = Message(f"a link to {target}, outside the SOURCE: not followed (", given("follow_links", True), " reads it)")
                found.append((_parts(path, root), Skip(readable_name(str(path)), reason)))
                continue
            found.append((_parts(path, root), path))
    found.sort(key=lambda item: item[0])
    for parts, item in found:
        if isinstance(item, Skip):
            yield item
            continue
        inside = readable_name("/".join(parts))
        yield SourceFile(item, readable_name(str(item)), f"{name}/{inside}" if name else inside)


def readable_name(name: str) -> str:
    """A file name as text for messages and ids. A name that is not valid UTF-8 (a cp1256
    name from a Windows zip) reaches Python with surrogate escapes, which no UTF-8 text can
    hold: its undecodable bytes become ``\\xNN``, unique and the same on every run."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def _parts(path: Path, root: Path) -> tuple[str, ...]:
    return path.relative_to(root).parts
