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
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from indexer.store.writer import CorpusWriter

_PR_SET_PDEATHSIG = 1
JOIN_SECONDS = 5


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # best effort: without it an orphan finishes its queue and blocks


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT held back while a helper is forked, delivered right after.

    A Ctrl-C landing inside fork() is raised in logging's at-fork handler, where Python
    prints "Exception ignored ... KeyboardInterrupt" and drops it: the run went on.
    """
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows, where nothing forks
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _SubWriter(SubWriterTask):
    """A helper process writing one segment of its share of the documents."""

    def run(self) -> None:
        _die_with_parent()
        # Ctrl-C reaches the whole process group; the parent decides what happens.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held at fork
        # Whoosh's SubWriterTask.run, multisegment only (what SafeMpWriter asks for), with a
        # CorpusWriter where Whoosh hard-codes its SegmentWriter.
        if not self.multisegment:
            raise ValueError("SafeMpWriter's helpers write whole segments (multisegment=True)")
        writer = self.writer = CorpusWriter(self.storage.open_index(self.indexname), _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        self.resultqueue.put((None, fieldnames, writer._finalize_segment()), timeout=5)


class SafeMpWriter(MpWriter):
    """``MpWriter`` whose helper processes write with ``CorpusWriter`` and never outlive a
    cancel or their parent."""

    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.daemon = True
        self.tasks.append(task)
        with _sigint_held():
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
