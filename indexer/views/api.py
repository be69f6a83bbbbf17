"""The corpus views as methods of `Corpus`: kwic, trend, collocates, freq.

Each method reads the query as `Corpus.search` does (same language, modes, unseen-word
resolution, errors with positions), takes the same filters as it does (`indexer.filters`:
``source`` one name or several, any of them), and counts over the articles the engine
matched (`selection.py`), optionally one copy per identical body.

A view runs in two halves: counting, in the index (`counting.ViewCounter`), and the
rest (scores, normalisation, order, the page) over the counts. A sharded index counts
in every shard (`shards/views.py`) and the parts are added up: the same sums, so the
same answer, as one index of the same articles gives.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import reduce
from operator import add
from typing import Any, Protocol, TypeVar

from indexer.errors import UsageError
from indexer.filters import source_list
from indexer.query import QueryError
from indexer.query import build as build_query
from indexer.query.expansion import expand_patterns
from indexer.query.plan import Plan
from indexer.query.understand import understand
from indexer.search import MODES, check_query_dates, date_bounds
from indexer.views.collocates import Collocates, check_collocates, collocates, frequent
from indexer.views.counting import ViewCounter
from indexer.views.frequency import FrequencyList, check_frequency, frequency_list
from indexer.views.kwic import Concordance, check_kwic, concordance, page
from indexer.views.selection import Scope
from indexer.views.trend import Trend, check_trend, trend
from indexer.written import written_forms, written_stems

DateLike = date | datetime | str | None
Sources = str | Sequence[str] | None
Viewed = TypeVar("Viewed", Concordance, Trend, Collocates, FrequencyList)


class Counters(Protocol):
    """Where a view counts: one index, or every shard (`shards.views.ShardedViews`)."""

    def count(self, method: str, scopes: list[Scope], *args: Any) -> list[Any]:
        """Each index's answer to `ViewCounter.<method>(scopes, ...)`."""

    def ask(self, calls: dict[int, tuple[str, tuple]]) -> dict[int, Any]:
        """Each index's answer to its own `ViewCounter` call, by its place in `count`'s list."""


class OneIndex:
    """The views' calls answered by one index."""

    def __init__(self, counter: ViewCounter) -> None:
        self.counter = counter

    def count(self, method: str, scopes: list[Scope], *args: Any) -> list[Any]:
        return [getattr(self.counter, method)(scopes, [None] * len(scopes), *args)]

    def ask(self, calls: dict[int, tuple[str, tuple]]) -> dict[int, Any]:
        return {k: getattr(self.counter, method)(*args) for k, (method, args) in calls.items()}


class ViewsMixin:
    """Corpus-linguistic views of a `Corpus` (mixed into it; see the README)."""

    def kwic(
        self,
        query: str,
        *,
        width: int = 50,
        sort: str = "date",
        limit: int = 100,
        offset: int = 0,
        mode: str = "all",
        exact: bool = False,
        since: DateLike = None,
        until: DateLike = None,
        source: Sources = None,
        dedupe: bool = False,
    ) -> Concordance:
        """One line per occurrence of what ``query`` matched, with ``width`` characters of
        context each side; ``total`` counts every occurrence. Lines sorted by ``sort``
        ("date", "source", "left", "right"), ties to the smaller article id."""
        check_kwic(sort, width, limit, offset)
        counters, plan = self._counters(), self._plan(query, mode, exact, since, until)
        parts = counters.count("kwic", [self._scope(plan, since, until, source, dedupe)], sort, offset + limit)
        chosen = page(parts, offset, limit)
        wanted: dict[int, list] = {}
        for k, ref in chosen:
            wanted.setdefault(k, []).append(ref)
        built = {k: iter(lines) for k, lines in counters.ask({k: ("kwic_lines", (refs, width)) for k, refs in wanted.items()}).items()}
        lines = [line for line in (next(built[k]) for k, _ in chosen) if line is not None]
        return self._noted(concordance(query, parts, lines, dedupe), source)

    def trend(
        self,
        queries: str | Sequence[str],
        *,
        by: str = "month",
        per: str = "million-words",
        split_source: bool = False,
        mode: str = "all",
        exact: bool = False,
        since: DateLike = None,
        until: DateLike = None,
        source: Sources = None,
        dedupe: bool = False,
    ) -> Trend:
        """Matching articles and occurrences per period for each query, normalised by the
        corpus in that period (its articles, or its words per million); every period from
        ``since``'s to ``until``'s is listed, those without a match at 0."""
        texts = [queries] if isinstance(queries, str) else list(queries)
        if not texts:
            raise UsageError("give at least one query")
        check_trend(by, per)
        counters = self._counters()
        scopes = [self._scope(self._plan(text, mode, exact, since, until), since, until, source, dedupe) for text in texts]
        scopes.append(self._scope(None, since, until, source, dedupe))
        counted = reduce(add, counters.count("trend", scopes, by, per, split_source))
        first, last = date_bounds(since, until)
        return self._noted(trend(
            texts, counted, by=by, per=per, split_source=split_source, deduplicated=dedupe,
            since=first and first.date(), until=last and last.date(),
        ), source)

    def collocates(
        self,
        query: str,
        *,
        window: int = 5,
        by: str = "stem",
        measure: str = "logdice",
        min_freq: int = 5,
        top: int = 50,
        stopwords: bool = False,
        mode: str = "all",
        exact: bool = False,
        since: DateLike = None,
        until: DateLike = None,
        source: Sources = None,
        dedupe: bool = False,
    ) -> Collocates:
        """The words found within ``window`` words of what ``query`` matched, scored by
        ``measure`` against their frequency in the corpus under the same filters."""
        check_collocates(by, measure, window, min_freq, top)
        counters = self._counters()
        scope = self._scope(self._plan(query, mode, exact, since, until), since, until, source, dedupe)
        counted = reduce(add, counters.count("collocation", [scope], window, by, stopwords))
        corpus = self._scope(None, since, until, source, dedupe)  # the subcorpus the node was counted in
        found = counters.count("corpus_frequencies", [corpus], by, frequent(counted, min_freq))
        totals = reduce(add, (counts for counts, _ in found), Counter())
        listed = collocates(
            query, counted, totals, sum(words for _, words in found),
            window=window, by=by, measure=measure, min_freq=min_freq, top=top, deduplicated=dedupe,
        )
        shown = written_forms(self._reader(), (c.word for c in listed.collocates))  # type: ignore[attr-defined]
        listed.collocates = [replace(c, word=shown[c.word]) for c in listed.collocates]
        return self._noted(listed, source)

    def freq(
        self,
        query: str | None = None,
        *,
        by: str = "stem",
        top: int = 100,
        sort: str = "frequency",
        mode: str = "all",
        exact: bool = False,
        since: DateLike = None,
        until: DateLike = None,
        source: Sources = None,
        dedupe: bool = False,
    ) -> FrequencyList:
        """Term and document frequencies over the corpus, or over the articles ``query``
        matches (then with keyness against the rest of the corpus under the same filters)."""
        check_frequency(by, sort, top, query)
        counters = self._counters()
        plan = self._plan(query, mode, exact, since, until) if query is not None else None
        scopes = [self._scope(plan, since, until, source, dedupe)]
        if query is not None:
            scopes.append(self._scope(None, since, until, source, dedupe))
        counted = reduce(add, counters.count("frequencies", scopes, by))
        listed = frequency_list(query, counted, by=by, top=top, sort=sort, deduplicated=dedupe)
        spell = written_stems if by == "stem" else written_forms
        shown = spell(self._reader(), (t.term for t in listed.terms))  # type: ignore[attr-defined]
        listed.terms = [replace(t, written=shown[t.term]) for t in listed.terms]
        return self._noted(listed, source)

    def _plan(self, query: str, mode: str, exact: bool, since: DateLike, until: DateLike) -> Plan:
        """The query's plan, every pattern expanded against the lexicon of the whole
        index (every shard's), as a search plans it; a ``UsageError`` when its own
        ``date:`` cannot meet ``since``/``until`` (``search.check_query_dates``)."""
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        reader = self._reader()  # type: ignore[attr-defined]
        try:
            node, _ = understand(query, mode, exact, reader)
            check_query_dates(node, mode, since, until)
            return expand_patterns(build_query(node, mode=mode, exact=exact, reader=reader), reader)
        except QueryError as error:
            raise error if error.query is not None else error.with_query(query) from None

    def _noted(self, view: Viewed, source: Sources) -> Viewed:
        """``view`` with a note for each named source no article comes from (as a search has)."""
        view.notes = self._source_notes(source)  # type: ignore[attr-defined]
        return view

    @staticmethod
    def _scope(plan: Plan | None, since: DateLike, until: DateLike, source: Sources, dedupe: bool) -> Scope:
        since_bound, until_bound = date_bounds(since, until)
        return Scope(plan, since_bound, until_bound, tuple(source_list(source)), dedupe)

    def _counters(self) -> Counters:
        """Where the views count: every shard of a sharded index, or this one index."""
        sharded = self._shards()  # type: ignore[attr-defined]
        if sharded is not None:
            return sharded.views()
        generation = self.location.require_live_generation()  # type: ignore[attr-defined]
        return OneIndex(ViewCounter(self._searchers.get(generation), generation))  # type: ignore[attr-defined]
