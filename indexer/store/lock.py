"""One writer at a time per index directory, and never a stale lock.

The lock is an ``flock`` on ``<index>/LOCK``: the kernel releases it when the process dies,
so ``kill -9`` cannot leave the index locked. Readers never take it. The holder writes its
process id and the time it took the lock into the file, so a writer that finds the index
busy can say who holds it and since when (a stuck run can be found and stopped).
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import suppress
from pathlib import Path

from indexer.errors import IndexBusyError, Spelled

#: What rides out a busy index: a longer wait, or (a client of the server) a later request.
WAIT_LONGER = Spelled(library="use wait=SECONDS to wait for it", cli="use --wait SECONDS to wait for it", server="retry later")

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
                        f"the index at {self.path.parent} is busy: {self._holder()} (waited {self.wait:g}s; ",
                        WAIT_LONGER, ", or stop that process if it is stuck)",
                    ) from None
                time.sleep(POLL_SECONDS)
        with suppress(OSError):  # who holds it is for messages only: a full disk still locks
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def _holder(self) -> str:
        """Who holds the lock, as the holder wrote it."""
        try:
            pid, since = (int(field) for field in self.path.read_text().split())
        except (OSError, ValueError):  # not written yet, or by an older version
            return "another writer holds its lock"
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(since))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            # A process forked by the writer inherited the lock and outlived it.
            return (
                f"its lock is held by a process that inherited it from process {pid} (ended; it took the"
                f" lock at {started}): `fuser -v {self.path}` names it"
            )
        except PermissionError:
            pass  # alive, another user's
        return f"process {pid} has been writing it since {started}"
