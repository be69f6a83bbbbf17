"""The first phase of a sharded search: each shard counts what scoring needs for one
plan (documents, field lengths, the documents holding each term, prefix and date span),
and the counts are added up. With the sums, every shard scores as one index of all the
articles would (the DFS phase of Elasticsearch's DFS query-then-fetch)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass

from indexer.query.execute import SearcherStatistics, Statistics, to_bytes
from indexer.query.plan import Closeness, DateSpan, Expanded, Literal, Phrase, Plan, Rescored, Telling, Term, Window


@dataclass
class Counts(Statistics):
    """Statistics as plain counts, for one plan: what a shard gathered, or their sum."""

    all_docs: int = 0
    live_docs: int = 0
    lengths: Counter = field(default_factory=Counter)  # field -> words
    frequencies: Counter = field(default_factory=Counter)  # (field, term bytes) -> documents
    prefixes: Counter = field(default_factory=Counter)  # (field, prefix) -> documents
    dates: Counter = field(default_factory=Counter)  # DateSpan -> documents

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.all_docs + other.all_docs,
            self.live_docs + other.live_docs,
            self.lengths + other.lengths,
            self.frequencies + other.frequencies,
            self.prefixes + other.prefixes,
            self.dates + other.dates,
        )

    def doc_count_all(self) -> int:
        return self.all_docs

    def doc_count(self) -> int:
        return self.live_docs

    def field_length(self, field: str) -> int:
        return self.lengths[field]

    def doc_frequency(self, field: str, btext: bytes) -> int:
        return self.frequencies[(field, btext)]

    def prefix_frequency(self, field: str, prefix: str) -> int:
        return self.prefixes[(field, prefix)]

    def dated_count(self, span: DateSpan) -> int:
        return self.dates[span]


def gather(searcher, plan: Plan) -> Counts:  # type: ignore[no-untyped-def]
    """The counts of `searcher`'s index that running `plan` (patterns expanded) asks for."""
    own = SearcherStatistics(searcher)
    counts = Counts(own.doc_count_all(), own.doc_count())
    schema = searcher.schema
    for name in schema.scorable_names():
        counts.lengths[name] = own.field_length(name)
    for kind, key in _leaves(plan):
        if kind == "term":
            btext = to_bytes(schema, *key)
            if btext is not None:
                counts.frequencies[(key[0], btext)] = own.doc_frequency(key[0], btext)
        elif kind == "prefix":
            counts.prefixes[key] = own.prefix_frequency(*key)
        else:
            counts.dates[key] = own.dated_count(key)
    return counts


def _leaves(plan: Plan):  # type: ignore[no-untyped-def]
    """("term", (field, text)), ("prefix", (field, prefix)) and ("date", span) of `plan`."""
    match plan:
        case Term(field_name, text) | Literal(field_name, text, False):
            yield "term", (field_name, text)
        case Literal(field_name, prefix, True):
            yield "prefix", (field_name, prefix)
        case Phrase(field_name, words) | Window(field_name, words) | Closeness(field_name, words) | Telling(field_name, words):
            for word in words:
                yield "term", (field_name, word)
        case Expanded(field_name, terms):
            for term in terms:
                yield "term", (field_name, term)
        case DateSpan():
            yield "date", plan
        case _:
            # An operator of operators (AllOf, AnyOf, Near, Without, ...): its operands'.
            operands = [o for f in fields(plan) for o in _operands(getattr(plan, f.name))] if is_dataclass(plan) else []
            if not operands:
                raise TypeError(f"not an operator whose statistics a shard can gather: {plan!r}")
            for operand in operands:
                yield from _leaves(operand)


def has_rescored(plan: Plan) -> bool:
    """Whether `plan` holds a `Rescored` (whose floor the shards must agree on first)."""
    if isinstance(plan, Rescored):
        return True
    return is_dataclass(plan) and any(has_rescored(o) for f in fields(plan) for o in _operands(getattr(plan, f.name)))


def _operands(value):  # type: ignore[no-untyped-def]
    """The plan operators in a field of an operator: itself, or those of a tuple."""
    values = value if isinstance(value, tuple) else (value,)
    return [v for v in values if is_dataclass(v) and not isinstance(v, type)]
