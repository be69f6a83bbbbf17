"""Whoosh's multiprocess writer, made safe to cancel and to kill.

Whoosh's ``MpWriter.cancel()`` only flips a flag in the parent's copy of each helper
process; the helpers stay blocked on their job queue forever, and the interpreter then
hangs at exit joining them (Ctrl-C would never return). A ``kill -9`` of the parent
leaves them orphaned the same way. Here helpers are terminated on cancel, and on Linux
they ask the kernel to kill them when their parent dies.
"""

from __future__ import annotations

import ctypes
import signal
import sys

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

_PR_SET_PDEATHSIG = 1
JOIN_SECONDS = 5


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # best effort: without it an orphan finishes its queue and blocks


class _SubWriter(SubWriterTask):
    def run(self) -> None:
        _die_with_parent()
        # Ctrl-C reaches the whole process group; the parent decides what happens.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        super().run()


class SafeMpWriter(MpWriter):
    """``MpWriter`` whose helper processes never outlive a cancel or their parent."""

    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.daemon = True
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                task.terminate()
            for task in self.tasks:
                task.join(JOIN_SECONDS)
        finally:
            SegmentWriter.cancel(self)
