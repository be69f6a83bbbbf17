"""The lexicon of every shard, as the query planner reads a lexicon.

Planning a query looks words up (is it in the index? how often?) and expands wildcards
and fuzzy words to the terms the index holds. Over shards the answers must be those of
all of them together, or a shard would run another query than its neighbours: each
lookup asks every shard, once per request."""

from __future__ import annotations

from collections import Counter
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

    def doc_frequencies(self, field: str, texts: tuple[str, ...]) -> list[int]:
        """`doc_frequency` of each of `texts`, asked of every shard at once (a bag word's
        candidate siblings, `query.ranking.siblings`)."""
        return [sum(counts) for counts in zip(*self._ask("doc_frequencies", field, texts))]

    def spelling_counts(self, forms: tuple[str, ...]) -> dict[str, Counter[str]]:
        """`written.spelling_counts` of every shard, added up (one fan-out for all forms)."""
        total: dict[str, Counter[str]] = {}
        for counts in self._ask("spelling_counts", forms):
            for form, spelt in counts.items():
                total[form] = total.get(form, Counter()) + spelt
        return total

    def doc_count(self) -> int:
        """The live documents of every shard."""
        return sum(self._ask("doc_count"))

    def expand_prefix(self, field: str, prefix: str) -> Iterator[bytes]:
        return iter(sorted(set().union(*self._ask("expand_prefix", field, prefix))))

    def fuzzy_terms(self, field: str, text: str, maxdist: int, prefix: int, limit: int) -> list[tuple[str, int]]:
        """`expansion.fuzzy_terms` over all shards: each finds its own, nearest first;
        the union in the same order, cut where one lexicon's list would be."""
        found = set().union(*(map(tuple, f) for f in self._ask("fuzzy_terms", field, text, maxdist, prefix, limit)))
        return sorted(found, key=lambda match: (match[1], match[0]))[: limit + 1]

    def pattern_terms(self, pattern, wanted: int) -> list[str]:  # type: ignore[no-untyped-def]
        """`expansion.pattern_terms` over all shards: the first `wanted` of the union in
        lexicon (byte) order, which are among the first `wanted` of some shard."""
        found = set().union(*self._ask("pattern_terms", pattern, wanted))
        return sorted(found, key=lambda term: self.schema[pattern.field].to_bytes(term))[:wanted]

    def lexicon_slice(self, field: str, letter: str) -> list[str]:
        """`expansion.lexicon_slice` over all shards (for "did you mean")."""
        from_bytes = self.schema[field].from_bytes
        return [from_bytes(b) for b in self.expand_prefix(field, letter)]

    def lexicon(self, field: str) -> Iterator[bytes]:
        return iter(sorted(set().union(*self._ask("lexicon", field))))
