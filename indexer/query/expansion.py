"""Wildcards, prefixes and fuzzy terms: expanded once per query and capped.

Whoosh expands `Prefix`, `Wildcard` and `FuzzyTerm` into an OR of every matching term
at search time, once per segment and with no limit: `ال*` over Arabic text is most of
the lexicon, and its fuzzy matching walks a Levenshtein automaton in Python (seconds
per query over a 270,000-word lexicon). Here a pattern outside a positional query is
expanded once against the whole index (`expand_patterns`) into an `ExpandedTerms`
query: at most `limit` terms, else a `QueryError` that says how to fix the query.
Fuzzy candidates come from a per-reader cache of the lexicon slice sharing the word's
first letter, filtered by RapidFuzz's optimal-string-alignment distance (the
Damerau-Levenshtein variant `whoosh.support.levenshtein` computes, so highlights agree).

A fuzzy term scores a document by its best variant there: the variant's BM25F score, halved
for each edit (`EDIT_WEIGHT`), so closer spellings count more. A wildcard
or prefix scores flat, as Lucene's constant-score rewrite does: the field's boost for
every document holding any of its terms (scoring up to 1,000 terms in every segment
costs more than it tells). Patterns inside NEAR keep Whoosh's own queries, which carry
positions; `check_expansion` caps those.
"""

from __future__ import annotations

import threading
import weakref
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.query import FuzzyTerm, Prefix, Query, Wildcard
from whoosh.query.spans import SpanQuery
from whoosh.query.terms import MultiTerm

from indexer.query.errors import QueryError
from indexer.query.nodes import ID_FIELDS

DEFAULT_EXPANSION_LIMIT = 1000
"""Most index terms one wildcard or fuzzy term may stand for."""
EDIT_WEIGHT = 0.5
"""A fuzzy variant's BM25F score is multiplied by this once per edit (chosen on the
relevance benchmark's train splits, docs/benchmarks.md)."""


class ExpandedTerms(Query):
    """Documents holding any of `terms` in `fieldname`. With `weights`, a document scores
    the best of the terms it holds, term i's BM25F score times `weights[i]`; without,
    it scores the field's boost (flat)."""

    def __init__(self, fieldname: str, terms: Sequence[str], weights: Sequence[float] | None = None) -> None:
        self.fieldname = fieldname
        self.terms = tuple(terms)
        self.weights = None if weights is None else tuple(weights)
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExpandedTerms) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple:
        return (self.fieldname, self.terms, self.weights)

    def __repr__(self) -> str:
        return f"ExpandedTerms({self.fieldname!r}, {len(self.terms)} terms)"

    def field(self) -> str:
        return self.fieldname

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return sum(ixreader.doc_frequency(self.fieldname, t) for t in self.terms)

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        from indexer.query.execute import score_matches  # execute imports this module

        scores = score_matches(searcher, self)
        if not scores:
            return NullMatcher()
        ids = sorted(scores)
        return _WeightMatcher(array("I", ids), weights=array("d", (scores[i] for i in ids)))


class _WeightMatcher(ListMatcher):
    """A list of documents, each scored by its weight."""

    def score(self) -> float:
        return self.weight()


def expand_patterns(query: Query, reader, limit: int = DEFAULT_EXPANSION_LIMIT) -> Query:  # type: ignore[no-untyped-def]
    """`query` with every wildcard, prefix and fuzzy term outside a positional query
    replaced by its `ExpandedTerms`; raises `QueryError` past `limit` terms."""
    if isinstance(query, SpanQuery):
        check_expansion(query, reader, limit)
        return query
    if isinstance(query, (FuzzyTerm, Wildcard, Prefix)) and query.field() not in ID_FIELDS:
        return _expand(query, reader, limit)
    if query.is_leaf():
        return query
    return query.apply(lambda child: expand_patterns(child, reader, limit))


def _expand(query: MultiTerm, reader, limit: int) -> ExpandedTerms:  # type: ignore[no-untyped-def]
    field = query.field()
    if isinstance(query, FuzzyTerm):
        matches = fuzzy_terms(reader, field, query.text, query.maxdist, query.prefixlength, limit)
        terms = [term for term, _ in matches]
        weights: list[float] | None = [EDIT_WEIGHT**distance for _, distance in matches]
    else:
        terms = [reader.schema[field].from_bytes(b) for b in islice(query._btexts(reader), limit + 1)]
        weights = None
    if len(terms) > limit:
        raise _too_many(query, limit)
    return ExpandedTerms(field, terms, weights)


def fuzzy_terms(reader, field: str, text: str, maxdist: int, prefix: int, limit: int) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(term, distance) for the terms of `field` within `maxdist` edits of `text` that
    share its first `prefix` letters, nearest first; at most `limit` + 1 of them."""
    if prefix < 1 or not text:
        candidates: Sequence[str] = [t for t in _slices(reader, field).all_terms()]
    else:
        candidates = [t for t in _slices(reader, field).starting_with(text[0]) if t.startswith(text[:prefix])]
    found = process.extract(
        text, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None
    )
    found.sort(key=lambda match: (match[1], match[0]))
    return [(term, int(distance)) for term, distance, _ in found[: limit + 1]]


class _LexiconSlices:
    """A reader's terms of one field, loaded one first letter at a time and kept."""

    def __init__(self, reader, field: str) -> None:  # type: ignore[no-untyped-def]
        self._reader = weakref.ref(reader)
        self._field = field
        self._by_letter: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def starting_with(self, letter: str) -> list[str]:
        terms = self._by_letter.get(letter)
        if terms is None:
            reader = self._reader()
            from_bytes = reader.schema[self._field].from_bytes
            terms = [from_bytes(b) for b in reader.expand_prefix(self._field, letter)]
            with self._lock:
                self._by_letter[letter] = terms
        return terms

    def all_terms(self) -> Iterator[str]:
        reader = self._reader()
        from_bytes = reader.schema[self._field].from_bytes
        return (from_bytes(b) for b in reader.lexicon(self._field))


_slices_lock = threading.Lock()
_slices_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _slices(reader, field: str) -> _LexiconSlices:  # type: ignore[no-untyped-def]
    """The lexicon cache of `reader`: it lives as long as the reader (one index state)."""
    with _slices_lock:
        per_field = _slices_cache.setdefault(reader, {})
        if field not in per_field:
            per_field[field] = _LexiconSlices(reader, field)
        return per_field[field]


def check_expansion(query: Query, reader, limit: int = DEFAULT_EXPANSION_LIMIT) -> None:  # type: ignore[no-untyped-def]
    """Raise `QueryError` if a pattern in `query` matches more than `limit` terms of `reader`."""
    for q in _walk(query):
        if not isinstance(q, MultiTerm) or q.field() in ID_FIELDS:
            continue  # url:/id:/source: prefixes expand to at most one term per document
        count = sum(1 for _ in islice(_pattern_terms(q, reader, limit), limit + 1))
        if count > limit:
            raise _too_many(q, limit)


def _pattern_terms(q: MultiTerm, reader, limit: int) -> Iterable[object]:  # type: ignore[no-untyped-def]
    if isinstance(q, FuzzyTerm):
        return fuzzy_terms(reader, q.field(), q.text, q.maxdist, q.prefixlength, limit)
    return q._btexts(reader)


def _too_many(q: Query, limit: int) -> QueryError:
    text = getattr(q, "query_text", q.text)
    pos = getattr(q, "query_pos", None)
    if isinstance(q, FuzzyTerm):
        kind, fix = "fuzzy term", "use ~1 or a longer word"
    else:
        kind, fix = "pattern", "make it longer"
    return QueryError(f"{kind} '{text}' matches more than {limit} terms", pos, hint=fix)


def _walk(query: Query) -> Iterator[Query]:
    yield query
    for child in query.children():
        yield from _walk(child)
