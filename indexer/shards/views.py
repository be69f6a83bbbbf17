"""The corpus views over shards: each shard counts (`views.counting.ViewCounter`, called
through `ShardSearcher.view`), and the views add the parts up as one index's.

With `--dedupe`, each scope first has every shard send the bodies it holds in it, one
copy of each, so that each shard leaves out those kept in another (`copies.py`)."""

from __future__ import annotations

from typing import Any

from indexer.shards.copies import kept_elsewhere
from indexer.shards.transport import Fanout
from indexer.views.selection import Scope


class ShardedViews:
    """A view's calls to every shard of one request (`views.api.Counters`)."""

    def __init__(self, fanout: Fanout) -> None:
        self.fanout = fanout
        self.count_of_shards = len(fanout.transport.names)

    def count(self, method: str, scopes: list[Scope], *args: Any) -> list[Any]:
        """Every shard's part, in shard order."""
        elsewhere = [kept_elsewhere(self.fanout.all("view", "copies", scope)) if scope.dedupe else {} for scope in scopes]
        calls = {
            shard: ("view", (method, scopes, [kept.get(shard) for kept in elsewhere], *args))
            for shard in range(self.count_of_shards)
        }
        answers = self.fanout.each(calls)
        return [answers[shard] for shard in range(self.count_of_shards)]

    def ask(self, calls: dict[int, tuple[str, tuple]]) -> dict[int, Any]:
        """Each shard's answer to its own call (its part's index is its shard)."""
        return self.fanout.each({shard: ("view", (method, *args)) for shard, (method, args) in calls.items()})
