"""The search page's source facet, as a serious search page has it: every source the
query matches in under the page's other filters (dates, all/any, exact, copies), each with
its count; a source not chosen links to the same search with it added (the filter takes
several sources, any of them), a chosen one is marked and links to the search without it.

Its counts are therefore taken without the source filter (a second count when a source is
chosen): counted under the filter, the facet would list only the chosen sources, and
clicking another would have nothing to show. Each count is the total the page shows once
its link is clicked: with ``dedupe``, each source's copies are compared among its own
articles, as its page compares them."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.corpus import Corpus


@dataclass(frozen=True)
class SourceChoice:
    """One source of the facet: its name as the articles write it, how many of the query's
    articles it holds under the other filters, whether it is chosen, and the sources the
    search its link opens filters by (this one added, or removed)."""

    name: str
    count: int
    chosen: bool
    sources: list[str]


def source_counts(corpus: Corpus, query: str, counted: dict[str, int], filters: dict) -> dict[str, int]:
    """Articles per source for ``query`` under ``filters`` but their source, each the total
    its link's page shows: ``counted`` (the page's own facet) when no source is chosen and
    copies are kept, else counted again without the source. A listing without words or
    dates (a source alone) counts the whole index per source. With ``dedupe`` each source
    is counted alone (`_one_copy_each_per_source`)."""
    if filters.get("dedupe"):
        return _one_copy_each_per_source(corpus, query, counted, filters)
    if not filters.get("source"):
        return counted
    return _every_copy(corpus, query, filters)


def _every_copy(corpus: Corpus, query: str, filters: dict, dedupe: bool = False) -> dict[str, int] | None:
    """Articles per source for ``query`` under ``filters`` but their source, one copy per
    body over all sources with ``dedupe``; None for that over the whole index (no words,
    no dates), which only a count per source can give."""
    others = {**filters, "source": None, "dedupe": dedupe}
    if not query.strip() and not (filters.get("since") or filters.get("until")):
        return None if dedupe else dict(corpus.stats().sources)
    found = corpus.search(query, limit=0, facets=("source",), **others)  # type: ignore[arg-type]
    return (found.facets or {}).get("source", {})


def _one_copy_each_per_source(corpus: Corpus, query: str, counted: dict[str, int], filters: dict) -> dict[str, int]:
    """What the page lists for each source alone with ``dedupe``: one copy per body among
    that source's articles. Neither the search's own facet (it keeps one copy of a body over
    all sources, the earliest, so a source whose copy is not the earliest would count fewer
    than its link lists: on the news, النفط in aleqtisadiya 230 counted, 231 listed) nor
    `Corpus.stats` (every copy) says it. Where a source loses no article to a copy
    elsewhere (its count the same with copies and without) that count is it; the others
    are counted alone."""
    every = _every_copy(corpus, query, filters) or {}  # a source of copies only is listed too
    once = counted if not filters.get("source") else _every_copy(corpus, query, filters, dedupe=True)
    others = {**filters, "source": None}
    counts = {
        name: count if once is not None and once.get(name) == count
        else corpus.search(query, limit=0, **{**others, "source": [name]}).total  # type: ignore[arg-type]
        for name, count in every.items()
    }
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def source_choices(counts: dict[str, int], chosen: list[str]) -> list[SourceChoice]:
    """The facet's entries, most articles first; a chosen source no article matches under
    the other filters is listed too (with 0), so that it can be removed. Names are matched
    without regard to case, as the filter matches them."""
    picked = {name.casefold() for name in chosen}
    entries = []
    for name, count in counts.items():
        on = name.casefold() in picked
        sources = [c for c in chosen if c.casefold() != name.casefold()] if on else [*chosen, name]
        entries.append(SourceChoice(name, count, on, sources))
    listed = {name.casefold() for name in counts}
    for name in chosen:
        if name.casefold() not in listed:
            entries.append(SourceChoice(name, 0, True, [c for c in chosen if c != name]))
    return entries
