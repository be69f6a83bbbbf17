"""One writer at a time per index directory, and never a stale lock.

The lock is an ``flock`` on ``<index>/LOCK``: the kernel releases it when the process dies,
so ``kill -9`` cannot leave the index locked. Readers never take it.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from indexer.errors import IndexBusyError

POLL_SECONDS = 0.1


class WriteLock:
    """Context manager holding the index's write lock, waiting up to ``wait`` seconds."""

    def __init__(self, root: Path, wait: float = 0.0) -> None:
        self.path = root / "LOCK"
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexBusyError(
                        f"the index at {self.path.parent} is busy: another writer holds its lock"
                        f" (waited {self.wait:g}s; use --wait SECONDS to wait longer)"
                    ) from None
                time.sleep(POLL_SECONDS)
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
