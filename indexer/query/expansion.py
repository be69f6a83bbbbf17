"""Wildcards, prefixes and fuzzy words: expanded once per query and capped.

A `Pattern` of a plan stands for the terms of its field it matches: `expand_patterns`
looks them up once against the whole index (not once per segment) and replaces it with
an `Expanded` of at most `limit` terms, or raises a `QueryError` that says how to fix
the query (`ال*` over Arabic text is most of the lexicon). Fuzzy candidates come from
a per-reader cache of the lexicon slice sharing the word's first letter, filtered by
RapidFuzz's optimal-string-alignment distance (insertions, deletions, substitutions
and swaps of two adjacent letters, as the README says and highlights test).

A fuzzy word scores a document by its best variant there: the variant's BM25F score,
halved for each edit (`EDIT_WEIGHT`), so closer spellings count more. A wildcard or
prefix scores flat, as Lucene's constant-score rewrite does: the field's boost for every
document holding any of its terms (scoring up to 1,000 terms in every segment costs
more than it tells). Inside NEAR a pattern's terms carry no weights: the engine counts
every one of them a document holds (`plan.Near`).
"""

from __future__ import annotations

import operator
import sys
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from indexer.query.errors import QueryError
from indexer.query.forms import pattern_regex
from indexer.query.plan import (
    FUZZY,
    PREFIX,
    AllOf,
    AnyOf,
    Coordinated,
    Expanded,
    Near,
    Pattern,
    Plan,
    Rescored,
    WithOptional,
    Without,
)

DEFAULT_EXPANSION_LIMIT = 1000
"""Most index terms one wildcard or fuzzy term may stand for."""
MAX_EXPANDED_TERMS = 10_000
"""Most index terms all the wildcards and fuzzy terms of one query may stand for together
(250 three-letter prefixes of ~1,000 terms each took 3.6 s on the news index)."""
EDIT_WEIGHT = 0.5
"""A fuzzy variant's BM25F score is multiplied by this once per edit (chosen on the
relevance benchmark's train splits, docs/benchmarks.md)."""
FUZZY_PREFIX = 1
"""Leading letters a fuzzy variant shares with the word: only that slice of the lexicon
is compared (folding already evened out alef forms)."""


def expand_patterns(plan: Plan, reader, limit: int = DEFAULT_EXPANSION_LIMIT) -> Plan:  # type: ignore[no-untyped-def]
    """`plan` with every `Pattern` replaced by the terms of `reader` it matches; raises
    `QueryError` past `limit` terms for one pattern or `MAX_EXPANDED_TERMS` for all."""
    return _Expander(reader, limit).plan(plan)


class _Expander:
    """One query's expansion, counting the terms its patterns have taken so far."""

    def __init__(self, reader, limit: int) -> None:  # type: ignore[no-untyped-def]
        self.reader = reader
        self.limit = limit
        self.taken = 0

    def plan(self, plan: Plan) -> Plan:
        """`plan` expanded; the same object where it holds no pattern (nothing rebuilt)."""
        match plan:
            case Pattern():
                return self.pattern(plan, weighted=True)
            case AnyOf(parts) | AllOf(parts) | Coordinated(parts):
                return _rebuilt(plan, parts=tuple(self.plan(p) for p in parts))
            case Without(kept, excluded):
                return _rebuilt(plan, kept=self.plan(kept), excluded=self.plan(excluded))
            case WithOptional(required, optional):
                return _rebuilt(plan, required=self.plan(required), optional=self.plan(optional))
            case Rescored(core, extra):
                return _rebuilt(plan, core=self.plan(core), extra=extra if extra is None else self.plan(extra))
            case Near(left, right) if isinstance(left, Pattern) or isinstance(right, Pattern):
                return replace(plan, left=self.operand(left), right=self.operand(right))
        return plan

    def operand(self, operand):  # type: ignore[no-untyped-def]
        return self.pattern(operand, weighted=False) if isinstance(operand, Pattern) else operand

    def pattern(self, pattern: Pattern, weighted: bool) -> Expanded:
        expanded = expand(pattern, self.reader, self.limit, weighted)
        self.taken += len(expanded.terms)
        if self.taken > MAX_EXPANDED_TERMS:
            raise QueryError(
                f"the wildcards and fuzzy words up to '{pattern.typed}' stand for more than"
                f" {MAX_EXPANDED_TERMS:,} terms together",
                pattern.pos,
                hint="use fewer of them, or longer ones",
            )
        return expanded


def _rebuilt(plan: Plan, **fields: Any) -> Plan:
    """`plan` with `fields` replaced, or `plan` itself when each is the one it holds."""
    unchanged = all(
        value is getattr(plan, name) or (type(value) is tuple and all(map(operator.is_, value, getattr(plan, name))))
        for name, value in fields.items()
    )
    return plan if unchanged else replace(plan, **fields)


def expand(pattern: Pattern, reader, limit: int = DEFAULT_EXPANSION_LIMIT, weighted: bool = True) -> Expanded:  # type: ignore[no-untyped-def]
    """The terms of `reader` that `pattern` matches, in lexicon order (a fuzzy word's:
    nearest first, weighted by `EDIT_WEIGHT` per edit when `weighted`)."""
    field = pattern.field
    if pattern.kind == FUZZY:
        matches = fuzzy_terms(reader, field, pattern.text, pattern.maxdist, FUZZY_PREFIX, limit)
        terms = [term for term, _ in matches]
        weights = tuple(EDIT_WEIGHT**distance for _, distance in matches) if weighted else None
    else:
        terms = list(islice(pattern_terms(reader, pattern, limit + 1), limit + 1))
        weights = None
    if len(terms) > limit:
        raise _too_many(pattern, limit)
    return Expanded(field, tuple(terms), weights)


def pattern_terms(reader, pattern: Pattern, wanted: int) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The terms of a prefix or wildcard, from the lexicon slice its literal start allows,
    in lexicon order (the first `wanted` of them at least). A reader over shards that
    matches them shard by shard (`pattern_terms`) is asked to, rather than sending its lexicon."""
    if hasattr(reader, "pattern_terms"):
        yield from reader.pattern_terms(pattern, wanted)
        return
    from_bytes = reader.schema[pattern.field].from_bytes
    if pattern.kind == PREFIX:
        yield from (from_bytes(b) for b in reader.expand_prefix(pattern.field, pattern.text))
        return
    start = next((i for i, c in enumerate(pattern.text) if c in "*?"), len(pattern.text))
    regex = pattern_regex(pattern.text)
    if start:
        candidates = reader.expand_prefix(pattern.field, pattern.text[:start])
    else:
        candidates = reader.lexicon(pattern.field)
    for btext in candidates:
        term = from_bytes(btext)
        if regex.match(term):
            yield term


def fuzzy_terms(reader, field: str, text: str, maxdist: int, prefix: int, limit: int) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(term, distance) for the terms of `field` within `maxdist` edits of `text` that
    share its first `prefix` letters, nearest first; at most `limit` + 1 of them. A reader
    over shards that finds them shard by shard (`fuzzy_terms`) is asked to."""
    if hasattr(reader, "fuzzy_terms"):
        return reader.fuzzy_terms(field, text, maxdist, prefix, limit)
    if prefix < 1 or not text:
        candidates: Sequence[str] = [t for t in _slices(reader, field).all_terms(reader)]
    else:
        candidates = _starting_with(_slices(reader, field).starting_with(reader, text[0]), text[:prefix])
    found = process.extract(
        text, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None
    )
    found.sort(key=lambda match: (match[1], match[0]))
    return [(term, int(distance)) for term, distance, _ in found[: limit + 1]]


def _starting_with(terms: list[str], prefix: str) -> Sequence[str]:
    """The terms of a lexicon slice (sorted: UTF-8 byte order is code point order) that
    start with `prefix`: one run of them, found by bisection, not by testing each."""
    start = bisect_left(terms, prefix)
    # Past every string with the prefix: its last letter that can grow, grown by one.
    stem = prefix.rstrip(chr(sys.maxunicode))
    end = bisect_left(terms, stem[:-1] + chr(ord(stem[-1]) + 1), start) if stem else len(terms)
    return terms if (start, end) == (0, len(terms)) else terms[start:end]


class _LexiconSlices:
    """One index state's terms of one field, loaded one first letter at a time and kept."""

    def __init__(self, field: str) -> None:
        self._field = field
        self._by_letter: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def starting_with(self, reader, letter: str) -> list[str]:  # type: ignore[no-untyped-def]
        terms = self._by_letter.get(letter)
        if terms is None:
            with self._lock:  # the others wait for one load rather than each loading it again
                terms = self._by_letter.get(letter)
                if terms is None:
                    from_bytes = reader.schema[self._field].from_bytes
                    terms = [from_bytes(b) for b in reader.expand_prefix(self._field, letter)]
                    self._by_letter[letter] = terms
        return terms

    def all_terms(self, reader) -> Iterator[str]:  # type: ignore[no-untyped-def]
        from_bytes = reader.schema[self._field].from_bytes
        return (from_bytes(b) for b in reader.lexicon(self._field))


#: Index states whose lexicon slices are kept (the live one and a few it replaced).
_STATES_KEPT = 4
_slices_lock = threading.Lock()
_slices_cache: OrderedDict[tuple[str, ...], dict[str, _LexiconSlices]] = OrderedDict()


def lexicon_slice(reader, field: str, letter: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The terms of `field` starting with `letter`, in lexicon order (cached per reader)."""
    if hasattr(reader, "lexicon_slice"):  # a reader of no one index's segments (indexer.shards)
        return reader.lexicon_slice(field, letter)
    return _slices(reader, field).starting_with(reader, letter)


def _slices(reader, field: str) -> _LexiconSlices:  # type: ignore[no-untyped-def]
    """The lexicon cache of the index state ``reader`` reads: its segments, whose terms
    never change. Every reader of the same segments shares it (a server has a reader per
    thread), so after a commit one thread loads a slice, not every thread in turn."""
    # An index with no segment reads through Whoosh's EmptyReader, whose segment() is None.
    state = tuple(leaf.segment().segment_id() for leaf, _ in reader.leaf_readers() if leaf.segment() is not None)
    with _slices_lock:
        per_field = _slices_cache.setdefault(state, {})
        _slices_cache.move_to_end(state)
        while len(_slices_cache) > _STATES_KEPT:
            _slices_cache.popitem(last=False)
        if field not in per_field:
            per_field[field] = _LexiconSlices(field)
        return per_field[field]


def _too_many(pattern: Pattern, limit: int) -> QueryError:
    if pattern.kind == FUZZY:
        kind, fix = "fuzzy term", "use ~1 or a longer word"
    else:
        kind, fix = "pattern", "make it longer"
    return QueryError(f"{kind} '{pattern.typed}' matches more than {limit} terms", pattern.pos, hint=fix)
