"""The progress of a sharded build, shown as one run's (`indexer.progress`).

Each shard's writer tells a `ShardProgress` what it reads and writes; the events go to
this process as tuples (through a multiprocessing queue from a writer process), where
`AllShards` tells the one `Progress` of the run: the bytes every writer has read on
average (each reads all the sources, keeping its share), the articles of all of them,
which shards are writing or merging, and their commits added up. A shard built as a Dask
task sends its events as its worker's structured events of one topic (`WorkerEvents`),
which the client hears."""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

from indexer.progress import Progress

#: Seconds a writer gathers what it reads before sending it (one event per article would
#: cost more than the bar is worth).
SEND_SECONDS = 0.2


class Events(Protocol):
    def put(self, event: Any) -> None: ...


class ShardProgress(Progress):
    """A shard writer's `Progress`: each event sent on as (shard, method, args)."""

    def __init__(self, events: Events, shard: int) -> None:
        self.events = events
        self.shard = shard
        self._articles = self._bytes = 0
        self._sent = time.monotonic()
        self.last_committed: tuple[int, int, int, int] | None = None  # what a stopped writer kept

    def start(self, total_bytes: int) -> None:
        self._send("start", total_bytes)

    def read(self, articles: int = 0, nbytes: int = 0) -> None:
        self._articles += articles
        self._bytes += nbytes
        if time.monotonic() - self._sent >= SEND_SECONDS:
            self.flush()

    def phase(self, what: str | None) -> None:
        self.flush()
        self._send("phase", what)

    def committed(self, documents: int, added: int, updated: int, deleted: int) -> None:
        self.last_committed = (documents, added, updated, deleted)
        self.flush()
        self._send("committed", documents, added, updated, deleted)

    def finish(self) -> None:
        """The writer is done: what is left is sent, then that it is done."""
        self.flush()
        self._send("finished")

    def flush(self) -> None:
        """Send what was read since the last event."""
        if self._articles or self._bytes:
            self._send("read", self._articles, self._bytes)
            self._articles = self._bytes = 0
        self._sent = time.monotonic()

    def _send(self, method: str, *args: Any) -> None:
        self.events.put((self.shard, method, args))


class WorkerEvents:
    """Events of a shard written as a Dask task: sent as its worker's structured events of
    ``topic`` (msgpack: tuples arrive as lists), heard by the client's `subscribe_topic`."""

    def __init__(self, topic: str) -> None:
        self.topic = topic

    def put(self, event: Any) -> None:
        from distributed import get_worker

        get_worker().log_event(self.topic, event)

    @staticmethod
    def received(event: tuple[float, Any]) -> tuple[int, str, tuple]:
        """An event as `AllShards.put` takes it, from (time, message) as the client hears it."""
        shard, method, args = event[1]
        return int(shard), str(method), tuple(args)


class AllShards:
    """Every shard's events (`put`), told to ``progress`` as one run's."""

    def __init__(self, progress: Progress, count: int) -> None:
        self.progress = progress
        self.count = count
        self._started = False
        self._bytes = 0  # read by every writer together (each reads them all)
        self._shown = 0  # told to `progress`: their share of one writer
        self._phases: dict[int, str] = {}
        self._commits: dict[int, tuple[int, int, int, int]] = {}
        self._finished: set[int] = set()
        self._all_finished = threading.Event()
        self._settled: set[int] = set()

    def put(self, event: tuple[int, str, tuple]) -> None:
        shard, method, args = event
        if shard in self._settled:
            return  # a late event of a writer whose last commit is known
        if method == "start" and not self._started:
            self._started = True
            self.progress.start(args[0])  # every writer reads the same sources
        elif method == "read":
            articles, nbytes = args
            self._bytes += nbytes
            shown, self._shown = self._bytes // self.count - self._shown, self._bytes // self.count
            self.progress.read(articles=articles, nbytes=shown)
        elif method == "phase":
            if args[0]:
                self._phases[shard] = args[0]
            else:
                self._phases.pop(shard, None)
            self.progress.phase(self._phase())
        elif method == "committed":
            self._commits[shard] = args
            documents, added, updated, deleted = (sum(c[i] for c in self._commits.values()) for i in range(4))
            self.progress.committed(documents, added, updated, deleted)
        elif method == "finished":
            self._finished.add(shard)
            if len(self._finished) == self.count:
                self._all_finished.set()

    def settle(self, shard: int, committed: tuple[int, int, int, int] | None) -> None:
        """A stopped writer's last commit as its task reported it (None: it committed
        nothing); its events that come later are ignored."""
        if committed is not None:
            self.put((shard, "committed", tuple(committed)))
        self._settled.add(shard)

    def last_commit(self, shard: int) -> tuple[int, int, int, int] | None:
        """The last commit heard of from ``shard``'s writer."""
        return self._commits.get(shard)

    def wait_finished(self, seconds: float) -> None:
        """Wait up to ``seconds`` for every writer's last event."""
        self._all_finished.wait(seconds)

    def _phase(self) -> str | None:
        """The first busy shard's step, and how many others are busy."""
        if not self._phases:
            return None
        shard = min(self._phases)
        others = len(self._phases) - 1
        return f"shard {shard}: {self._phases[shard]}" + (f" (+{others} more)" if others else "")
