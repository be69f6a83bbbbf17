"""The search page's source facet, as a serious search page has it: every source the
query matches in under the page's other filters (dates, all/any, exact, copies), each with
its count; a source not chosen links to the same search with it added (the filter takes
several sources, any of them), a chosen one is marked and links to the search without it.

Its counts are therefore taken without the source filter (a second count when a source is
chosen): counted under the filter, the facet would list only the chosen sources, and
clicking another would have nothing to show."""

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
    """Articles per source for ``query`` under ``filters`` but their source: ``counted``
    (the page's own facet) when no source is chosen, else counted again without it. A
    listing without words or dates (a source alone) counts the whole index per source."""
    if not filters.get("source"):
        return counted
    others = {**filters, "source": None}
    if not query.strip() and not (filters.get("since") or filters.get("until")):
        return dict(corpus.stats().sources)
    found = corpus.search(query, limit=0, facets=("source",), **others)  # type: ignore[arg-type]
    return (found.facets or {}).get("source", {})


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
