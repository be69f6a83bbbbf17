"""Shard writers as Dask tasks: one per job, stopped cleanly when the run is.

Dask cannot interrupt a task that runs, so a run that stops (a signal, a shard that
failed) tells its writers through a Dask event of its own on the scheduler (``stop_event``
of each job): a writer asks it at most every ``POLL_SECONDS`` while it reads, and once it
is set cancels its batch, removes its files and releases its shard's lock, as a writer
process does on SIGTERM; one that starts after the stop writes nothing. The run waits up
to ``STOP_SECONDS`` for them, so that what it says each shard committed is what the shard
holds, and names those that had not stopped by then (a commit or a merge under way, or a
scheduler it could not reach): they may still commit, and hold their shard's lock until
they end.

Results are waited for by polling each future's state: an interrupted ``client.gather``
leaves its waiting tasks behind on the client's loop, which print "Task exception was
never retrieved" once the writers stop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.errors import WriterDiedError
from indexer.shards.progress import AllShards
from indexer.store.stopping import Stopped

#: How often a writer asks whether its run was stopped (a round trip to the scheduler).
POLL_SECONDS = 0.5
#: How long a stopped run waits for its writers to stop.
STOP_SECONDS = 10.0
#: How long a stopped run tries to reach the scheduler, to tell the writers or cancel them.
TELL_SECONDS = 5.0
#: How often the run looks at its tasks' states.
LOOK_SECONDS = 0.05


class ShardStopped(Exception):
    """A shard's writer stopped because its run was: ``committed`` is its last commit as
    (documents, added, updated, deleted), None when it committed nothing. Raised in the
    writer, returned by its task (a worker logs a task that raises as failed)."""

    def __init__(self, shard: int, committed: tuple[int, int, int, int] | None = None) -> None:
        super().__init__(shard, committed)
        self.shard = shard
        self.committed = committed


class StopAsked:
    """In a task: whether its run has been stopped (the run's Dask event, asked at most
    every ``POLL_SECONDS``)."""

    def __init__(self, name: str) -> None:
        from distributed import Event

        self._event = Event(name)  # the worker's client (`get_client`)
        self._asked = float("-inf")
        self._set = False

    def __call__(self) -> bool:
        if not self._set and time.monotonic() - self._asked >= POLL_SECONDS:
            self._asked = time.monotonic()
            try:
                self._set = bool(self._event.is_set())
            except Exception:  # noqa: BLE001 - the scheduler out of reach: asked again next time
                pass
        return self._set


@dataclass(frozen=True)
class ShardOutcome:
    """What one shard's writer did by the time a stopped run ended: ``state`` is
    "finished", "stopped" (at its last commit; before any, or before it started),
    "failed" (its error is the run's) or "still running" (not stopped within
    ``STOP_SECONDS``, or its state unknown); ``committed`` as in `ShardStopped`, for a
    shard that failed or is still running the last commit heard of."""

    shard: int
    name: str
    state: str
    committed: tuple[int, int, int, int] | None

    def to_dict(self) -> dict[str, Any]:
        documents, added, updated, deleted = self.committed or (None, 0, 0, 0)
        return {"shard": self.name, "state": self.state, "added": added, "updated": updated, "deleted": deleted, "documents": documents}

    @property
    def counts(self) -> str:
        """What it committed, in words ("" for nothing)."""
        changes = zip(self.committed[1:], ("added", "updated", "deleted")) if self.committed else ()
        return ", ".join(f"{n:,} {what}" for n, what in changes if n)

    def worded(self) -> str:
        """What this shard's writer did, for the stopped run's line."""
        if self.state == "finished":
            return f"{self.name} finished ({self.counts or 'no changes'})"
        if self.state == "stopped":
            return f"{self.name} stopped at its last commit ({self.counts})" if self.counts else f"{self.name} stopped before committing anything"
        heard = f" (last commit heard of: {self.counts})" if self.counts else ""
        return f"{self.name} {self.state}{heard}"


class StoppedOnCluster(Stopped):
    """A run stopped while its shards were written on a Dask cluster: each shard's
    `ShardOutcome`, and whether the writers could be told to stop (``told``)."""

    def __init__(self, signum: int, outcomes: Sequence[ShardOutcome] = (), told: bool = True) -> None:
        super().__init__(signum)
        self.outcomes = list(outcomes)
        self.told = told

    @property
    def still_running(self) -> list[str]:
        """The shards whose writers may still commit (and hold their shard's lock)."""
        return [o.name for o in self.outcomes if o.state == "still running"]

    def worded(self) -> str:
        """What became of each shard's writer, in one sentence."""
        return _worded(self.outcomes, self.told)


def _worded(outcomes: Sequence[ShardOutcome], told: bool) -> str:
    said = [outcome.worded() for outcome in outcomes if outcome.state != "still running"]
    running = [outcome for outcome in outcomes if outcome.state == "still running"]
    if running:
        one = len(running) == 1
        names = ", ".join(outcome.worded().replace(" still running", "") for outcome in running)
        why = (
            f"told to stop, {'it' if one else 'they'} had not stopped after {STOP_SECONDS:g}s"
            if told
            else f"the Dask scheduler could not be reached to stop {'it' if one else 'them'}"
        )
        said.append(
            f"{names} may still be writing ({why}); until {'it ends' if one else 'they end'},"
            f" a new run finds {'it' if one else 'them'} busy (exit code 3) or waits with --wait"
        )
    return f"On the cluster: {'; '.join(said)}."


def run_as_tasks(function: Callable, jobs: Sequence, client, events: AllShards | None, stop_event: str) -> list:  # type: ignore[no-untyped-def, type-arg]
    """``[function(job) for job in jobs]`` as Dask tasks. A task that fails stops the
    others, then its error is raised here; a stop signal (while they write, or while they
    are stopped) is raised once they are stopped, as `StoppedOnCluster`."""
    names = [Path(job.path).name for job in jobs]
    futures: list = []  # type: ignore[type-arg]
    told: bool | None = None
    try:
        futures = client.map(function, jobs, pure=False, key=[f"corpus-write-{stop_event}-{k}" for k in range(len(jobs))])
        failed = _until_done_or_failed(futures)
        if failed is None:
            return [future.result() for future in futures]  # none stopped: no one told them
        told = _tell(client, stop_event)
        outcomes = _stop(futures, names, client, told, events, stop_event)
    except KeyboardInterrupt as interrupt:
        if told is None:
            told = _tell(client, stop_event)  # tasks sent by an interrupted `map` too
        outcomes = _stop(futures, names, client, told, events, stop_event)
        raise StoppedOnCluster(getattr(interrupt, "signum", 2), outcomes, told) from None
    raise _error_of(failed, _worded(outcomes, told))


def _tell(client, stop_event: str) -> bool:  # type: ignore[no-untyped-def]
    """Set the run's stop event; False when the scheduler could not be reached."""
    from distributed import Event

    return bool(bounded(lambda: Event(stop_event, client).set() or True, TELL_SECONDS))


def _until_done_or_failed(futures: list) -> Any:  # type: ignore[type-arg]
    """Wait until every task is done (None) or one has failed (its future)."""
    while True:
        for future in futures:
            if future.status in ("error", "cancelled", "lost"):
                return future
        if all(future.status == "finished" for future in futures):
            return None
        time.sleep(LOOK_SECONDS)


def _error_of(future, outcomes: str) -> BaseException:  # type: ignore[no-untyped-def]
    """The exception of a failed task, or (the scheduler lost it) one that says so and
    what became of each shard's writer (``outcomes``, worded)."""
    if future.status == "error":
        error = bounded(lambda: future.exception(timeout=TELL_SECONDS), TELL_SECONDS)
        if isinstance(error, BaseException):
            return error
    return WriterDiedError(
        f"the Dask scheduler lost the shards' tasks ({future.status}): {outcomes} Run the command again once it is back"
    )


def _stop(futures: list, names: list[str], client, told: bool, events: AllShards | None, stop_event: str) -> list[ShardOutcome]:  # type: ignore[no-untyped-def, type-arg]
    """Wait up to ``STOP_SECONDS`` for the told writers; cancel what is left (a task not
    yet started never starts); what each shard did, also told to ``events`` as its last
    commit (the writers' events travel apart and may come late, or never). The stop event
    is dropped from the scheduler once no writer is left to ask it."""
    deadline = time.monotonic() + (STOP_SECONDS if told else 0.0)
    while time.monotonic() < deadline and not all(future.done() for future in futures):
        time.sleep(LOOK_SECONDS)
    outcomes = [_outcome(k, names[k], future, events) for k, future in enumerate(futures)]
    left = [future for future in futures if not future.done()]
    if left and told:
        bounded(lambda: client.cancel(left), TELL_SECONDS)
    elif told and futures:
        from distributed import Event

        bounded(lambda: Event(stop_event, client).clear(), TELL_SECONDS)
    if events is not None:
        for outcome in outcomes:
            if outcome.state != "still running":
                events.settle(outcome.shard, outcome.committed)
    return outcomes


def _outcome(shard: int, name: str, future, events: AllShards | None) -> ShardOutcome:  # type: ignore[no-untyped-def]
    result = bounded(lambda: future.result(timeout=TELL_SECONDS), TELL_SECONDS) if future.status == "finished" else None
    if isinstance(result, ShardStopped):
        return ShardOutcome(shard, name, "stopped", result.committed)
    if result is not None:
        return ShardOutcome(shard, name, "finished", (result.total_documents, result.added, result.updated, result.deleted))
    heard = events.last_commit(shard) if events is not None else None
    return ShardOutcome(shard, name, "failed" if future.status == "error" else "still running", heard)


def bounded(call: Callable[[], Any], seconds: float) -> Any:
    """``call()``, or None when it fails or takes longer than ``seconds`` (a scheduler
    that cannot be reached: the client would try to reconnect for much longer)."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(call())
        except Exception:  # noqa: BLE001 - unreachable or lost: the caller says so
            pass

    thread = threading.Thread(target=run, name="corpus-cluster-call", daemon=True)
    thread.start()
    thread.join(seconds)
    return result[0] if result else None
