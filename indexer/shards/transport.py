"""How the coordinator reaches its shards: in this process, or as Dask actors.

Either way one call is `run({shard: (method, args)})`, answered with each shard's result
or, for a shard that could not answer, its error. A `Fanout` is one request's view: it
raises an error naming a shard that cannot answer, or, when partial results were asked
for, leaves the shard out of the rest of the request and remembers it as missing.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from indexer.errors import CorpusError, Spelled, UsageError
from indexer.shards.shard import ShardSearcher

Calls = dict[int, tuple[str, tuple]]
#: How long one shard may take to answer one call on a cluster before it is tried anew.
CALL_SECONDS = 120.0
#: How often a shard's actor is recreated (on a live worker) before the shard is given up.
RETRIES = 3


#: What answers without a shard that cannot: only the library offers it.
PARTIAL = Spelled(library=" (partial=True searches the other shards)", cli="")


class ShardUnavailableError(CorpusError):
    """A shard could not answer, even after its actor was recreated."""


class InProcess:
    """Every shard searched in this process, one after another."""

    def __init__(self, names: Sequence[str], paths: Sequence[Path]) -> None:
        self.names = list(names)
        self.paths = [str(p) for p in paths]
        self._shards = [ShardSearcher(p) for p in self.paths]

    def run(self, calls: Calls) -> tuple[dict[int, Any], dict[int, Exception]]:
        results: dict[int, Any] = {}
        failures: dict[int, Exception] = {}
        for shard, (method, args) in calls.items():
            try:
                results[shard] = getattr(self._shards[shard], method)(*args)
            except (CorpusError, OSError) as error:
                failures[shard] = error
        return results, failures

    def close(self) -> None:
        for shard in self._shards:
            shard.close()


class OnCluster:
    """One Dask actor per shard, holding that shard's searcher on a worker.

    An actor lives in its worker's memory: a worker that dies takes it along. A call
    that fails for any reason but the shard's own error (`CorpusError`: no index there,
    say) gets a new actor, placed by the scheduler on a live worker, and is made again."""

    def __init__(self, client, names: Sequence[str], paths: Sequence[Path], workers: dict[str, tuple[str, ...]]) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.names = list(names)
        self.paths = [str(p) for p in paths]
        self.workers = workers
        self._actors: list[Any] = [None] * len(self.names)
        self._starting = threading.Lock()  # requests in several threads start each actor once

    def run(self, calls: Calls) -> tuple[dict[int, Any], dict[int, Exception]]:
        self._start([shard for shard in calls if self._actors[shard] is None])
        pending = {}
        failures: dict[int, Exception] = {}
        for shard, (method, args) in calls.items():
            try:
                pending[shard] = getattr(self._actors[shard], method)(*args)
            except Exception as error:  # noqa: BLE001 - a lost actor fails here or in result()
                pending[shard] = error
        results: dict[int, Any] = {}
        for shard, future in pending.items():
            try:
                if isinstance(future, Exception):
                    raise future
                results[shard] = future.result(timeout=CALL_SECONDS)
            except CorpusError as error:
                failures[shard] = error
            except Exception as error:  # noqa: BLE001 - the worker, its connection or the actor is gone
                outcome = self._retry(shard, calls[shard], error)
                if isinstance(outcome, Exception):
                    failures[shard] = outcome
                else:
                    results[shard] = outcome[0]
        return results, failures

    def _retry(self, shard: int, call: tuple[str, tuple], error: Exception) -> tuple[Any] | Exception:
        """The call made again on a new actor; its result (in a 1-tuple) or the last error."""
        method, args = call
        for _ in range(RETRIES):
            try:
                with self._starting:
                    self._actors[shard] = None
                self._start([shard])
                return (getattr(self._actors[shard], method)(*args).result(timeout=CALL_SECONDS),)
            except CorpusError as shard_error:
                return shard_error
            except Exception as again:  # noqa: BLE001
                error = again
        return CorpusError(f"{type(error).__name__}: {error}")

    def _start(self, shards: list[int]) -> None:
        """Actors for `shards` that have none, created together (the scheduler spreads them)."""
        with self._starting:
            shards = [shard for shard in shards if self._actors[shard] is None]
            if shards:
                self._create(shards)

    def _create(self, shards: list[int]) -> None:
        futures = {
            shard: self.client.submit(
                ShardSearcher,
                self.paths[shard],
                actor=True,
                key=f"corpus-shard-{self.names[shard]}-{uuid.uuid4().hex}",
                workers=list(self.workers.get(self.names[shard], ())) or None,
            )
            for shard in shards
        }
        for shard, future in futures.items():
            self._actors[shard] = future.result(timeout=CALL_SECONDS)

    def close(self) -> None:
        self._actors = [None] * len(self.names)


class Fanout:
    """One request's calls to the shards; see the module's docstring."""

    def __init__(self, transport: InProcess | OnCluster, partial: bool) -> None:
        self.transport = transport
        self.partial = partial
        self.missing: set[int] = set()

    def each(self, calls: Calls) -> dict[int, Any]:
        """Each shard's answer to its call (shards already missing are not asked)."""
        results, failures = self.transport.run({s: c for s, c in calls.items() if s not in self.missing})
        for shard, error in sorted(failures.items()):
            if not self.partial:
                raise ShardUnavailableError(
                    f"shard {self.transport.names[shard]} ({self.transport.paths[shard]}) cannot answer: ", error, PARTIAL,
                ) from error
            self.missing.add(shard)
        return results

    def all(self, method: str, *args: Any) -> dict[int, Any]:
        """Every shard's answer to the same call."""
        return self.each({shard: (method, args) for shard in range(len(self.transport.names))})

    def missing_names(self) -> list[str]:
        return [self.transport.names[shard] for shard in sorted(self.missing)]


def connect(cluster):  # type: ignore[no-untyped-def]
    """A Dask client for `cluster` (a scheduler address, a cluster object or a client),
    and whether it was made here (and so is to be closed here)."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("a Dask cluster needs the cluster extra: pip install 'corpus-indexer[cluster]'") from None
    if isinstance(cluster, Client):
        return cluster, False
    try:
        return Client(cluster, timeout="10s"), True
    except (OSError, TimeoutError, ValueError) as error:
        raise UsageError(f"cannot reach the Dask scheduler at {cluster}: {error}") from None


@contextmanager
def dask_logs_quiet() -> Iterator[None]:
    """For the duration, Dask logs nothing below CRITICAL: a command that says in one line
    what became of its run (``corpus index --cluster``, stopped or failed) is not followed
    by the tracebacks of a client trying to reach a scheduler that is gone."""
    # Trap: Dask's config gives some of its loggers a level and a handler of their own
    # (distributed.client) when it is imported, so quieting "distributed" alone, or
    # before the import, leaves them talking.
    with suppress(ImportError):
        import distributed  # noqa: F401
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
