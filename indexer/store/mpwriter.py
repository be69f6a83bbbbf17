"""Whoosh's multiprocess writer, made safe to cancel and to kill.

Whoosh's ``MpWriter.cancel()`` only flips a flag in the parent's copy of each helper
process; the helpers stay blocked on their job queue forever, and the interpreter then
hangs at exit joining them (Ctrl-C would never return). A ``kill -9`` of the parent
leaves them orphaned the same way. Here helpers leave stop signals (SIGINT, SIGTERM,
SIGHUP) to the parent and are killed on cancel, and on Linux they ask the kernel to kill
them when their parent dies.

Whoosh's commit waits one second for each helper's result and commits whatever arrived:
a helper killed by the OOM killer loses its share of the batch, and the run reports it
added. Here a commit checks that every helper exited cleanly and handed over its segment,
and otherwise raises ``WriterDiedError`` before anything of the batch is committed. A
helper that fails (a full disk) hands its error to the parent, which raises it: the
user reads one line, not a traceback from each helper.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.queues
import os
import pickle
import queue
import signal
import sys
import traceback

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from indexer.errors import AGAIN, WriterDiedError
from indexer.store.schema import build_schema
from indexer.store import stopping
from indexer.store.writer import CorpusWriter, NamingCommit

_PR_SET_PDEATHSIG = 1
JOIN_SECONDS = 5
#: How long a commit waits for a helper's result once the helper has exited.
RESULT_SECONDS = 30


def _die_with_parent() -> None:
    """Ask the kernel to kill this (forked) process when its parent dies. A helper holds
    the index's LOCK descriptor, inherited: an orphan would keep every later run busy."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # best effort: without it an orphan finishes its queue and blocks
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the request: the kernel will not act on it


class _SubWriter(SubWriterTask):
    """A helper process writing one segment of its share of the documents."""

    #: Where the helper says why it failed (set by the parent before it starts).
    failures: multiprocessing.queues.Queue

    def run(self) -> None:
        _die_with_parent()
        # Ctrl-C, or systemd's SIGTERM, reaches the whole process group; the parent decides.
        stopping.ignore_in_helper()
        try:
            self._write()
        except Exception as error:  # noqa: BLE001 - the parent reports it, in one line
            # Raised from here, multiprocessing would print a traceback on the terminal.
            if os.environ.get("CORPUS_DEBUG"):
                traceback.print_exc()  # as the command line does for a bug, when asked
            self.failures.put(_failure_of(error), timeout=5)
            sys.exit(1)

    def _write(self) -> None:
        # Whoosh's SubWriterTask.run, multisegment only (what SafeMpWriter asks for), with a
        # CorpusWriter where Whoosh hard-codes its SegmentWriter.
        if not self.multisegment:
            raise ValueError("SafeMpWriter's helpers write whole segments (multisegment=True)")
        index = self.storage.open_index(self.indexname, schema=build_schema())  # never the pickled one
        writer = self.writer = CorpusWriter(index, _lk=False, **self.kwargs)
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


def _failure_of(error: Exception) -> tuple:
    """What a helper's error says, as plain data the parent rebuilds (`_failure_from`)."""
    if isinstance(error, OSError):
        return ("OSError", error.errno, error.strerror, error.filename)
    return (type(error).__name__, str(error))


def _failure_from(failure: tuple) -> Exception:
    if failure[0] == "OSError":
        _, number, strerror, filename = failure
        return OSError(number, strerror, filename) if filename is not None else OSError(number, strerror)
    name, message = failure
    return WriterDiedError(f"a writer process failed ({name}: {message}); nothing of the batch was committed")


class SafeMpWriter(NamingCommit, MpWriter):
    """``MpWriter`` whose helper processes write with ``CorpusWriter``, never outlive a
    cancel or their parent, and say why they failed (a full disk) to the parent, which
    raises it, instead of printing a traceback."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.failures = multiprocessing.Queue()

    def _new_task(self) -> SubWriterTask:
        task = _SubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.failures = self.failures
        task.daemon = True
        with stopping.deferred_over_fork():
            task.start()
            # Tracked once started, before a Ctrl-C is acted on: cancel() terminates every
            # tracked task, and Process.terminate() of a task never started raises.
            self.tasks.append(task)
        return task

    def _enqueue(self) -> None:
        """Whoosh's ``MpWriter._enqueue``: the buffered documents to a job file, its name on
        the job queue; a full queue is waited on only while every helper is alive (with
        its helpers dead, Whoosh's ``put`` would wait forever)."""
        filename = "%s.doclist" % random_name()
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job) -> None:  # type: ignore[no-untyped-def]
        while True:
            try:
                self.jobqueue.put(job, timeout=1)
                return
            except queue.Full:
                self._check_helpers(finished=False)

    def _check_helpers(self, finished: bool) -> None:
        """Raise the error a helper failed with, or ``WriterDiedError`` when a helper died
        (or, before the commit, exited)."""
        for task in self.tasks:
            code = task.exitcode
            if code is not None and (code != 0 or not finished):
                try:
                    failure = self.failures.get(timeout=1)  # put before the helper exited
                except queue.Empty:
                    pass
                else:
                    raise _failure_from(failure)
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                raise WriterDiedError(
                    f"a writer process died ({how}) before its share of this batch was written;"
                    " nothing of the batch was committed (earlier batches are kept): ", AGAIN, " to finish"
                )

    def _commit(self, mergetype, optimize, merge) -> None:  # type: ignore[no-untyped-def]
        """Whoosh's ``MpWriter._commit`` for helpers that write whole segments
        (``multisegment``), committing only when every helper handed its segment over."""
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        for task in self.tasks:
            task.join()
        self._check_helpers(finished=True)
        results = []
        for _ in self.tasks:
            try:
                results.append(self.resultqueue.get(timeout=RESULT_SECONDS))
            except queue.Empty:
                break
        if len(results) != len(self.tasks):
            raise WriterDiedError(
                f"{len(self.tasks) - len(results)} writer process(es) ended without handing over"
                " their share of this batch; nothing of the batch was committed: ", AGAIN, " to finish"
            )
        finalsegments += [segment for _, _, segment in results]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()

    def cancel(self) -> None:
        try:
            for task in self.tasks:
                task.kill()  # helpers ignore SIGTERM (see run); their files are leftovers
            for task in self.tasks:
                task.join(JOIN_SECONDS)
        finally:
            # Trap: a Ctrl-C inside Queue.put can land after the queue's feeder thread
            # started and before its close finalizer was registered; the interpreter then
            # waits at exit for a thread nobody tells to stop. Cancelled jobs need no flush.
            self.jobqueue.cancel_join_thread()
            self.resultqueue.cancel_join_thread()
            self.failures.cancel_join_thread()
            SegmentWriter.cancel(self)
