"""The one exception type of the sources package."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A problem the caller must handle.

    Raised for usage errors (a missing path, a bad ``--field`` spec, an unknown ``--encoding``)
    and, inside readers, for a file that cannot be decoded (the reader turns that one into a
    `Skip`). The message is one line that says what is wrong and, where it can, how to fix it;
    `reason` is the same message without the path, for a Skip that names the path already.
    """

    def __init__(self, reason: str, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else str(path)
        super().__init__(reason if path is None else f"{path}: {reason}")
