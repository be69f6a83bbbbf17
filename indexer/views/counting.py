"""What a view counts in one index, or in one shard of a sharded index: the first half of
every view, whose parts the shards' coordinator adds up before the second half (scores,
normalisation, order) runs once over the sums, as it runs over one index's counts.

Every method takes the `Scope`s it counts over and, for each, the fingerprints of the
bodies whose kept copy lies in another shard (`--dedupe` over shards; None in one
index), and answers plain values (it may be a Dask actor's answer)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from indexer.views.collocates import CollocationPart, collocation_part
from indexer.views.frequency import FrequencyPart, corpus_frequencies, frequency_part
from indexer.views.kwic import KwicLine, KwicPart, Ref, kwic_lines, kwic_part
from indexer.views.selection import Copies, Scope, Selection, select, selected_copies
from indexer.views.trend import TrendPart, trend_part

Elsewhere = list[np.ndarray | None]


class ViewCounter:
    """The counting half of the views over one index's searcher (see the module docstring)."""

    def __init__(self, searcher, generation: Path) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher
        self.generation = generation

    def _select(self, scopes: list[Scope], elsewhere: Elsewhere) -> list[Selection]:
        return [select(self.searcher, self.generation, scope, kept) for scope, kept in zip(scopes, elsewhere)]

    def copies(self, scope: Scope) -> Copies:
        """The bodies in ``scope`` here, one copy of each (the first phase of `--dedupe`
        over shards, `shards/copies.py`)."""
        return selected_copies(select(self.searcher, self.generation, scope))

    def kwic(self, scopes: list[Scope], elsewhere: Elsewhere, sort: str, wanted: int) -> KwicPart:
        (selection,) = self._select(scopes, elsewhere)
        assert scopes[0].plan is not None
        return kwic_part(scopes[0].plan, selection, sort, wanted)

    def kwic_lines(self, refs: list[Ref], width: int) -> list[KwicLine | None]:
        return kwic_lines(self.searcher, refs, width)

    def trend(self, scopes: list[Scope], elsewhere: Elsewhere, by: str, per: str, split_source: bool) -> TrendPart:
        """``scopes``: one per query, then the corpus under the same filters."""
        *selections, corpus = self._select(scopes, elsewhere)
        plans = [scope.plan for scope in scopes[:-1]]
        return trend_part(list(zip(plans, selections)), corpus, by=by, per=per, split_source=split_source)  # type: ignore[arg-type]

    def collocation(self, scopes: list[Scope], elsewhere: Elsewhere, window: int, by: str, stopwords: bool) -> CollocationPart:
        (selection,) = self._select(scopes, elsewhere)
        assert scopes[0].plan is not None
        return collocation_part(scopes[0].plan, selection, window=window, by=by, stopwords=stopwords)

    def corpus_frequencies(self, scopes: list[Scope], elsewhere: Elsewhere, by: str, wanted: set[str]) -> tuple[Counter, int]:
        (corpus,) = self._select(scopes, elsewhere)
        return corpus_frequencies(corpus, by, wanted)

    def frequencies(self, scopes: list[Scope], elsewhere: Elsewhere, by: str) -> FrequencyPart:
        """``scopes``: the articles listed, then (with a query) the corpus under the same filters."""
        selections = self._select(scopes, elsewhere)
        return frequency_part(selections[0], selections[1] if len(selections) > 1 else None, by)
