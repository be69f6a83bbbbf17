"""The corpus views as methods of `Corpus`: kwic, trend, collocates, freq.

Each method reads the query as `Corpus.search` does (same language, modes, unseen-word
resolution, errors with positions), takes the same filters, and counts over the
articles the engine matched (`selection.py`), optionally one copy per identical body.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from indexer.errors import UsageError
from indexer.query import QueryError
from indexer.query import build as build_query
from indexer.query.expansion import expand_patterns
from indexer.query.plan import Plan
from indexer.search import MODES, date_bounds
from indexer.views.collocates import Collocates, collocates
from indexer.views.frequency import FrequencyList, frequency_list
from indexer.views.kwic import Concordance, kwic
from indexer.views.selection import Selection, select
from indexer.views.trend import Trend, trend

DateLike = date | datetime | str | None


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
        source: str | None = None,
        dedupe: bool = False,
    ) -> Concordance:
        """One line per occurrence of what ``query`` matched, with ``width`` characters of
        context each side; ``total`` counts every occurrence."""
        searcher, _, plan, selection = self._view(query, mode, exact, since, until, source, dedupe)
        return kwic(searcher, query, plan, selection, width=width, sort=sort, limit=limit, offset=offset)

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
        source: str | None = None,
        dedupe: bool = False,
    ) -> Trend:
        """Matching articles and occurrences per period for each query, normalised by the
        corpus in that period (its articles, or its words per million)."""
        texts = [queries] if isinstance(queries, str) else list(queries)
        if not texts:
            raise UsageError("give at least one query")
        runs = []
        for text in texts:
            _, _, plan, selection = self._view(text, mode, exact, since, until, source, dedupe)
            runs.append((text, plan, selection))
        whole = self._view(None, mode, exact, since, until, source, dedupe)[3]
        return trend(runs, whole, by=by, per=per, split_source=split_source)

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
        source: str | None = None,
        dedupe: bool = False,
    ) -> Collocates:
        """The words found within ``window`` words of what ``query`` matched, scored by
        ``measure`` against their frequency in the corpus."""
        _, _, plan, selection = self._view(query, mode, exact, since, until, source, dedupe)
        whole = self._view(None, mode, exact, None, None, None, dedupe)[3]
        return collocates(
            query, plan, selection, whole,
            window=window, by=by, measure=measure, min_freq=min_freq, top=top, stopwords=stopwords,
        )

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
        source: str | None = None,
        dedupe: bool = False,
    ) -> FrequencyList:
        """Term and document frequencies over the corpus, or over the articles ``query``
        matches (then with keyness against the rest of the corpus under the same filters)."""
        _, _, _, selection = self._view(query, mode, exact, since, until, source, dedupe)
        whole = self._view(None, mode, exact, since, until, source, dedupe)[3] if query is not None else None
        return frequency_list(query, selection, whole, by=by, top=top, sort=sort)

    def _view(
        self, query: str | None, mode: str, exact: bool, since: DateLike, until: DateLike, source: str | None, dedupe: bool
    ) -> tuple[object, Path, Plan | None, Selection]:
        """The searcher, generation, expanded plan (None without a query) and selection."""
        if mode not in MODES:
            raise UsageError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        since_bound, until_bound = date_bounds(since, until)
        if self._shards() is not None:  # type: ignore[attr-defined]
            raise UsageError(
                f"the index at {self.path} is sharded: kwic, trend, collocates and freq read one index"  # type: ignore[attr-defined]
                " (not yet over shards); run them on an unsharded index of the articles"
            )
        generation = self.location.require_live_generation()  # type: ignore[attr-defined]
        searcher = self._searchers.get(generation)  # type: ignore[attr-defined]
        plan = None
        if query is not None:
            try:
                node, _ = self._understand(query, mode, exact, searcher.reader())  # type: ignore[attr-defined]
                plan = expand_patterns(build_query(node, mode=mode, exact=exact, reader=searcher.reader()), searcher.reader())
            except QueryError as error:
                raise error if error.query is not None else error.with_query(query) from None
        selection = select(searcher, generation, plan, since=since_bound, until=until_bound, source=source, dedupe=dedupe)
        return searcher, generation, plan, selection
