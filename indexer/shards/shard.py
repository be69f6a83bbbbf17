"""One shard as a search service: what the coordinator (`search.py`) asks of each shard,
in one process or as a Dask actor on a worker near the shard's files.

Every method opens the shard's live generation through a `SearcherPool`, so a shard
updated by `corpus index` is searched in its new state on the next call."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from indexer import written
from indexer.facets import Facets, count_facets
from indexer.fulltext import FullArticle, find_article
from indexer.query import Highlights, expansion
from indexer.query.plan import Pattern, Plan
from indexer.query.ranking import doc_frequencies
from indexer.search import Hit, RankKey, SearcherPool, page_hits, top
from indexer.shards.statistics import Counts, gather
from indexer.store.location import Location, read_meta, reading
from indexer.store.schema import ID
from indexer.store.stats import Stats, collect, index_ids
from indexer.query.execute import Floors, best_core_scores, match
from indexer.views.counting import ViewCounter
from indexer.views.selection import Copies, copies_kept, one_copy_each


@dataclass
class ShardTop:
    """A shard's answer to the query phase: how many documents match, and its first
    hits as (rank key, article id, score), in rank order."""

    total: int
    hits: list[tuple[RankKey, str, float]]
    facets: Facets | None = None


class ShardSearcher:
    """Searches one shard (a corpus index directory). Picklable arguments and results
    only: on a cluster this is a Dask actor, called from another machine."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.location = Location(Path(path))
        self._searchers = SearcherPool()

    def _searcher(self) -> Searcher:
        return self._open()[1]

    def _open(self) -> tuple[Path, Searcher]:
        """The live generation and this thread's searcher of it."""
        generation = self.location.require_live_generation()
        return generation, self._searchers.get(generation)

    # The lexicon, for planning (`reader.FederatedReader`)

    def contains(self, field: str, btext: bytes) -> bool:
        return (field, btext) in self._searcher().reader()

    def doc_frequency(self, field: str, btext: bytes) -> int:
        return self._searcher().reader().doc_frequency(field, btext)

    def doc_frequencies(self, field: str, texts: tuple[str, ...]) -> list[int]:
        return doc_frequencies(self._searcher().reader(), field, texts)

    def spelling_counts(self, forms: tuple[str, ...]) -> dict[str, Counter[str]]:
        return written.spelling_counts(self._searcher().reader(), forms)

    def doc_count(self) -> int:
        return self._searcher().reader().doc_count()

    def expand_prefix(self, field: str, prefix: str) -> list[bytes]:
        return list(self._searcher().reader().expand_prefix(field, prefix))

    def lexicon(self, field: str) -> list[bytes]:
        return list(self._searcher().reader().lexicon(field))

    def fuzzy_terms(self, field: str, text: str, maxdist: int, prefix: int, limit: int) -> list[tuple[str, int]]:
        return expansion.fuzzy_terms(self._searcher().reader(), field, text, maxdist, prefix, limit)

    def pattern_terms(self, pattern: Pattern, wanted: int) -> list[str]:
        return list(islice(expansion.pattern_terms(self._searcher().reader(), pattern, wanted), wanted))

    # The search: statistics, then the query phase, then the fetch phase

    def statistics(self, plan: Plan) -> Counts:
        """This shard's counts for `plan` (to be added to the other shards')."""
        return gather(self._searcher(), plan)

    def best_core_scores(self, plan: Plan, statistics: Counts) -> Floors:
        """The best documents of each `Rescored` of `plan` here: their core scores and
        openings (`execute.best_core_scores`)."""
        return best_core_scores(self._searcher(), plan, statistics)

    def copies(self, plan: Plan, statistics: Counts, floors: Floors | None = None) -> Copies:
        """The bodies of the matches of `plan` here, one copy of each (`copies_kept`):
        the first phase of `--dedupe` over shards (`copies.py`)."""
        generation, searcher = self._open()
        docnums, _ = match(searcher, plan, None, statistics, floors)
        return copies_kept(searcher, generation, docnums)

    def top(
        self,
        plan: Plan,
        statistics: Counts,
        sort: str,
        wanted: int,
        facets: tuple[str, ...] = (),
        floors: Floors | None = None,
        kept_elsewhere: np.ndarray | None = None,
    ) -> ShardTop:
        """Every match of `plan` scored with the statistics of all shards (and the
        rescoring `floors` they agreed on); the first `wanted` of them, ranked as one
        index ranks (`search.top`), and the `facets` of every match (`count_facets`;
        the coordinator adds them up). With `kept_elsewhere` (`--dedupe`), one match per
        identical body, none of those whose body's copy is kept in another shard."""
        generation, searcher = self._open()
        docnums, scores = match(searcher, plan, None, statistics, floors)
        if kept_elsewhere is not None:
            kept = one_copy_each(searcher, generation, docnums, kept_elsewhere)
            docnums, scores = docnums[kept], scores[kept]
        ids = index_ids(searcher.reader())
        ranked = top(searcher, docnums, scores, sort, wanted)
        counted = count_facets(searcher, docnums, facets) if facets else None
        return ShardTop(len(docnums), [(key, ids[docnums[i]], float(scores[i])) for key, i in ranked], counted)

    def hits(self, ids: list[str], scores: list[float], node, exact: bool) -> list[Hit | None]:  # type: ignore[no-untyped-def]
        """The hits of these articles, snippets marked with the words of the query tree
        `node`; None for an article deleted since the query phase."""
        searcher = self._searcher()
        docnums = [searcher.document_number(**{ID: article_id}) for article_id in ids]
        found = [(d, s) for d, s in zip(docnums, scores) if d is not None]
        built = iter(page_hits(searcher, node, exact, [d for d, _ in found], [s for _, s in found]))
        return [next(built) if d is not None else None for d in docnums]

    def article(self, article_id: str, marks: Highlights | None) -> FullArticle | None:
        """The whole article with this id (None if this shard has none), marked."""
        return find_article(self._searcher(), article_id, marks)

    # The corpus views

    def view(self, method: str, *args: Any) -> Any:
        """A view's counting call on this shard (`views.counting.ViewCounter`)."""
        if method.startswith("_"):
            raise ValueError(f"not a view's call: {method!r}")
        generation, searcher = self._open()
        return getattr(ViewCounter(searcher, generation), method)(*args)

    # Upkeep

    def stats(self, root: str) -> Stats:
        generation = self.location.require_live_generation()
        return reading(generation, lambda index: collect(index, generation, read_meta(generation), Path(root)))

    def close(self) -> None:
        self._searchers.close()
