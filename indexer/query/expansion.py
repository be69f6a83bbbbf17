"""Guard against wildcards and fuzzy terms that expand to too many index terms.

Whoosh expands `Prefix`, `Wildcard` and `FuzzyTerm` into an OR of every
matching term at search time, with no limit: `ال*` over Arabic text is most of
the lexicon. `check_expansion` counts the matching terms in the reader's
lexicon first, stopping at `limit + 1`, and raises a `QueryError` that says
how to fix the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from whoosh.query import FuzzyTerm, Query
from whoosh.query.terms import MultiTerm

from indexer.query.errors import QueryError
from indexer.query.nodes import ID_FIELDS

DEFAULT_EXPANSION_LIMIT = 1000
"""Most index terms one wildcard or fuzzy term may stand for."""


def check_expansion(query: Query, reader: object, limit: int = DEFAULT_EXPANSION_LIMIT) -> None:
    """Raise `QueryError` if a pattern in `query` matches more than `limit` terms of `reader`."""
    for q in _walk(query):
        if not isinstance(q, MultiTerm) or q.field() in ID_FIELDS:
            continue  # url:/id:/source: prefixes expand to at most one term per document
        count = sum(1 for _ in islice(q.expanded_terms(reader), limit + 1))
        if count > limit:
            text = getattr(q, "query_text", q.text)
            pos = getattr(q, "query_pos", None)
            if isinstance(q, FuzzyTerm):
                kind, fix = "fuzzy term", "use ~1 or a longer word"
            else:
                kind, fix = "pattern", "make it longer"
            raise QueryError(f"{kind} '{text}' matches more than {limit} terms", pos, hint=fix)


def _walk(query: Query) -> Iterator[Query]:
    yield query
    for child in query.children():
        yield from _walk(child)
