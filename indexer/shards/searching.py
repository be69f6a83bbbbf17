"""A search over shards with the answers of one index (DFS query-then-fetch).

1. Plan the query against the lexicon of every shard (`reader.FederatedReader`).
2. Statistics: each shard counts documents, field lengths and the documents holding
   each term of the plan; the sums are what one index would hold (`statistics.py`).
   A plan that rescores its best documents (`Rescored`, questions) then has each shard
   send the best core scores it finds (with the telling words each of those documents
   holds in its opening), and the shards rescore from the depth-th best of them all,
   the telling words weighed over them all (`execute.rescore_floors`).
   With `--dedupe`, each shard sends the bodies of its matches, one copy of each, and
   learns which of them are kept in another shard (`copies.py`).
3. Query: each shard scores its matches with the sums, counts them and returns its
   first offset+limit hits with their rank keys (`search.top`).
4. Merge the shards' hits by rank key (score, or date, then article id), take the
   page, and fetch: each shard builds the snippets of its hits on the page.
"""

from __future__ import annotations

import heapq
import time
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from indexer.facets import add_facets
from indexer.fulltext import FullArticle
from indexer.query import QueryError, highlight_terms
from indexer.query import build as build_query
from indexer.search import Hit, Results, with_filters
from indexer.shards.copies import kept_elsewhere
from indexer.shards.layout import Manifest, is_sharded, shard_of
from indexer.shards.reader import FederatedReader
from indexer.query.execute import rescore_floors
from indexer.query.understand import understand
from indexer.shards.statistics import Counts, has_rescored
from indexer.shards.transport import Fanout, InProcess, OnCluster
from indexer.shards.views import ShardedViews
from indexer.store.stats import Stats


class ShardedSearch:
    """The shards of one generation of an index root, searched together.

    A root whose live generation is one index is searched as a single shard: on a
    cluster, that index is served by one actor."""

    def __init__(self, root: Path, generation: Path, client=None) -> None:  # type: ignore[no-untyped-def]
        self.root = root
        self.generation = generation
        if is_sharded(generation):
            manifest = Manifest.read(generation)
            names, paths = manifest.names, manifest.paths(generation)
        else:
            manifest, names, paths = Manifest(("index",)), ("index",), [root]
        self.count = len(names)
        self.transport = OnCluster(client, names, paths, manifest.workers) if client is not None else InProcess(names, paths)

    def views(self) -> ShardedViews:
        """The shards as the corpus views count over them (one per request)."""
        return ShardedViews(Fanout(self.transport, False))

    def reader(self, partial: bool = False) -> FederatedReader:
        """The lexicon of every shard, for planning a query (one per request: it keeps
        the shards' answers)."""
        return FederatedReader(Fanout(self.transport, partial))

    def search(
        self,
        query: str | None,
        *,
        text: str,
        limit: int,
        offset: int,
        mode: str,
        exact: bool,
        sort: str,
        since: datetime | None,
        until: datetime | None,
        sources: list[str],
        facets: tuple[str, ...],
        dedupe: bool,
        partial: bool,
        started: float,
    ) -> Results:
        """The page of hits one index of every shard's articles would give (see the
        module's docstring), and its `facets` added up over the shards; without `query`
        the filters alone choose (`text` is the query as typed). With `dedupe`, one
        article per identical body over all the shards (`copies.py`). With `partial`, shards
        that cannot answer are left out and named in `Results.missing_shards` instead of
        failing the search."""
        fanout = Fanout(self.transport, partial)
        node = plan = None
        if query is not None:
            reader = FederatedReader(fanout)
            try:
                node, _ = understand(query, mode, exact, reader)
                plan = build_query(node, mode=mode, exact=exact, reader=reader)
            except QueryError as error:
                raise error if error.query is not None else error.with_query(query) from None
        plan = with_filters(plan, since, until, sources)
        counts = sum(fanout.all("statistics", plan).values(), Counts())
        floors = rescore_floors(list(fanout.all("best_core_scores", plan, counts).values())) if has_rescored(plan) else None
        elsewhere: dict[int, Any] = kept_elsewhere(fanout.all("copies", plan, counts, floors)) if dedupe else {}
        tops = fanout.each(
            {shard: ("top", (plan, counts, sort, offset + limit, facets, floors, elsewhere.get(shard))) for shard in range(self.count)}
        )
        ranked = heapq.merge(*([(key, shard, i, s) for key, i, s in found.hits] for shard, found in tops.items()))
        page = list(islice(ranked, offset, offset + limit))
        wanted: dict[int, tuple[list[str], list[float]]] = {}
        for _, shard, article_id, score in page:
            ids, scores = wanted.setdefault(shard, ([], []))
            ids.append(article_id)
            scores.append(score)
        fetched = fanout.each({shard: ("hits", (ids, scores, node, exact)) for shard, (ids, scores) in wanted.items()})
        built: dict[str, Hit | None] = {}
        for shard, hits in fetched.items():
            built.update(zip(wanted[shard][0], hits))
        hits = [hit for _, _, article_id, _ in page if (hit := built.get(article_id)) is not None]
        return Results(
            query=text,
            total=sum(found.total for found in tops.values()),
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            facets=add_facets([found.facets for found in tops.values() if found.facets is not None]) if facets else None,
            deduplicated=dedupe,
            missing_shards=fanout.missing_names() if partial else None,
        )

    def article(self, article_id: str, query: str | None, mode: str, exact: bool) -> FullArticle | None:
        """`Corpus.article` over shards: asked of the one shard the id is routed to."""
        marks = None
        if query:
            try:
                node, _ = understand(query, mode, exact, self.reader())
            except QueryError as error:
                raise error if error.query is not None else error.with_query(query) from None
            marks = highlight_terms(node, exact=exact)
        shard = shard_of(article_id, self.count) if self.count > 1 else 0
        return Fanout(self.transport, False).each({shard: ("article", (article_id, marks))})[shard]

    def stats(self) -> Stats:
        """The stats of every shard added up, as one index's."""
        parts = list(Fanout(self.transport, False).all("stats", str(self.root)).values())
        sources: dict[str, int] = {}
        for part in parts:
            for name, count in part.sources.items():
                sources[name] = sources.get(name, 0) + count
        mins = [p.date_min for p in parts if p.date_min]
        maxes = [p.date_max for p in parts if p.date_max]
        updates = [p.last_update for p in parts if p.last_update]
        return Stats(
            path=str(self.root),
            documents=sum(p.documents for p in parts),
            sources=dict(sorted(sources.items(), key=lambda item: (-item[1], item[0]))),
            date_min=min(mins) if mins else None,
            date_max=max(maxes) if maxes else None,
            undated=sum(p.undated for p in parts),
            size_bytes=sum(p.size_bytes for p in parts),
            last_update=max(updates) if updates else None,
            analyzer_version=parts[0].analyzer_version,
        )

    def close(self) -> None:
        self.transport.close()
