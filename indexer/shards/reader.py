"""The lexicon of every shard, as the query planner reads a lexicon.

Planning a query looks words up (is it in the index? how often?) and expands wildcards
and fuzzy words to the terms the index holds. Over shards the answers must be those of
all of them together, or a shard would run another query than its neighbours: each
lookup asks every shard, once per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from indexer.shards.transport import Fanout
from indexer.store.schema import build_schema


class FederatedReader:
    """The part of Whoosh's `IndexReader` that `indexer.query` uses, over all shards."""

    def __init__(self, fanout: Fanout) -> None:
        self.schema = build_schema()
        self._fanout = fanout
        self._answers: dict[tuple, list[Any]] = {}

    def _ask(self, method: str, *args: Any) -> list[Any]:
        key = (method, *args)
        if key not in self._answers:
            self._answers[key] = list(self._fanout.all(method, *args).values())
        return self._answers[key]

    def __contains__(self, term: tuple[str, Any]) -> bool:
        return any(self._ask("contains", *term))

    def doc_frequency(self, field: str, text: Any) -> int:
        return sum(self._ask("doc_frequency", field, text))

    def expand_prefix(self, field: str, prefix: str) -> Iterator[bytes]:
        return iter(sorted(set().union(*self._ask("expand_prefix", field, prefix))))

    def lexicon(self, field: str) -> Iterator[bytes]:
        return iter(sorted(set().union(*self._ask("lexicon", field))))
