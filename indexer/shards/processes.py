"""Shard writers as processes of this machine: one per job, at most ``workers`` at a time,
stopped cleanly when the run is.

Each writer is a forked process (trap: "spawn" runs the caller's main script again in each
process, and a library call cannot ask for a ``__main__`` guard) that dies with its parent
and leaves SIGINT and SIGHUP to it; SIGTERM stops a writer as Ctrl-C stops a run: its batch
is cancelled, its files removed, its shard's lock released (``stopping.stop_on_sigterm_only``).
When the run stops (a signal, a writer that died), every writer still at work gets SIGTERM
and is waited for, so what each shard committed is counted and nothing half-written stays;
one that does not stop within ``STOP_SECONDS`` is killed (the next run removes its files).

concurrent.futures' process pool cannot do this: its workers outlive a cancelled job, and
a worker that exits breaks the pool, which then joins the others without a timeout.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from indexer.errors import WriterDiedError
from indexer.store import stopping

#: How long a writer may take to stop on SIGTERM before it is killed.
STOP_SECONDS = 10.0


def run_in_processes(
    function: Callable, jobs: Sequence, workers: int, start: Callable[[], None] = lambda: None
) -> list:  # type: ignore[type-arg]
    """``[function(job) for job in jobs]``, each in a forked process of its own, ``workers``
    at a time; ``start()`` runs first in each. A job's exception is raised here (the first
    to come); then the other writers are stopped."""
    context = multiprocessing.get_context("fork")
    results: list = [None] * len(jobs)
    waiting = list(enumerate(jobs))
    running: dict[Connection, tuple[int, BaseProcess]] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                number, job = waiting.pop(0)
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_writer, args=(function, job, send, start), daemon=True)
                with stopping.deferred_over_fork():
                    process.start()
                    running[receive] = (number, process)
                send.close()
            for receive in wait(list(running)):
                number, process = running.pop(receive)
                outcome = _received(receive)
                process.join()
                if outcome is None:
                    how = f"killed by signal {-process.exitcode}" if (process.exitcode or 0) < 0 else f"exit code {process.exitcode}"
                    raise WriterDiedError(
                        f"a shard's writer process died ({how}); every shard keeps its last commit: run the command again"
                    )
                done, value = outcome
                if not done:
                    raise value
                results[number] = value
    except BaseException:
        _stop(running)
        raise
    return results


def _received(receive: Connection) -> tuple[bool, object] | None:
    """What a writer sent before it ended, or None when it died without sending."""
    try:
        return receive.recv()
    except (EOFError, OSError):
        return None
    finally:
        receive.close()


def _writer(function: Callable, job: object, send: Connection, start: Callable[[], None]) -> None:
    stopping.stop_on_sigterm_only()
    start()
    try:
        outcome: tuple[bool, object] = (True, function(job))
    except BaseException as error:  # noqa: BLE001 - the parent raises it, in one line
        outcome = (False, error)
    stopping.settle()  # the job is over: a late SIGTERM must not cut its sending short
    try:
        send.send(outcome)
    except Exception as error:  # noqa: BLE001 - an exception that cannot be pickled
        send.send((False, WriterDiedError(f"a shard's writer process failed ({type(error).__name__}: {error})")))


def _stop(running: dict[Connection, tuple[int, BaseProcess]]) -> None:
    """SIGTERM to each writer still at work, then wait for each to end (reading what it
    sends, so none blocks on a full pipe); kill those that outstay ``STOP_SECONDS``."""
    for _, process in running.values():
        if process.pid is not None and process.exitcode is None:
            try:
                os.kill(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + STOP_SECONDS
    while running and time.monotonic() < deadline:
        for receive in wait(list(running), timeout=max(0.0, deadline - time.monotonic())):
            _, process = running.pop(receive)
            _received(receive)
            process.join()
    for receive, (_, process) in running.items():
        process.kill()
        process.join()
        receive.close()
