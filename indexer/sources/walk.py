"""SOURCE paths to the files they hold, each with the names used in messages and ids.

A SOURCE is a file or a directory. Directories are walked recursively; hidden files and
directories (names starting with ``.``) are left out, and so are symlinked directories (no
loops). Files come in a stable order: sorted by their path inside the SOURCE. A file named
directly is read even if hidden.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.sources.errors import SourceError


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to read.

    `path` opens it; `origin` names it in messages (the user's spelling of the SOURCE joined
    with the path inside it); `file_id` is the id base described in `indexer.sources.fields`.
    """

    path: Path
    origin: str
    file_id: str


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


def iter_source_files(root: Path) -> Iterator[SourceFile]:
    """The files of one SOURCE, in sorted order."""
    name = root.resolve().name
    if root.is_file():
        yield SourceFile(root, str(root), name or root.resolve().as_posix())
        return
    found: list[tuple[tuple[str, ...], Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        here = Path(dirpath)
        for filename in filenames:
            if filename.startswith("."):
                continue
            path = here / filename
            if path.is_file():
                found.append((path.relative_to(root).parts, path))
    found.sort()
    for parts, path in found:
        inside = "/".join(parts)
        yield SourceFile(path, str(path), f"{name}/{inside}" if name else inside)
