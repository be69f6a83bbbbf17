"""Every match of a plan (`plan.py`) with its score, computed term at a time over arrays.

Search must count every match and rank exactly, so nothing is skipped: each segment's
matches of an operator are a `Part`, a NumPy mask and a score per document. A
`SegmentRun` looks each term up once per segment; a `QueryRun` holds what is computed
once per query over the whole index (BM25F statistics, size estimates). Postings are
read through `indexer.store.postings` only: ids and weights as arrays, positions only
for the candidates of a phrase, window or NEAR.

Scores are Whoosh's BM25F with the same float operations in the same order as
`whoosh.scoring.bm25`, and operators combine them as Whoosh's matchers do, so rankings
match what Whoosh's collector would give without its skipping: `AnyOf` sums (the part
that may match most documents in the whole index first: one order for every segment
and shard, so a score never depends on the layout), `AllOf` sums in order of estimated size (smallest first, as
Whoosh's `estimate_size` orders them; each later part is read only where the first
matched), `Without` removes, `WithOptional` adds the optional part where the required
part matched. Phrases, windows and NEAR compare position arrays of the documents
holding every word (`positions.py`). Dates are read from the `date` column. The ranking
operators of a bag of words (`ranking.py`) have no Whoosh counterpart: `Coordinated`
sums (each part weighted by its idf) times the share of parts matched, `Rescored` adds
its extra part and its telling words to the best documents only, `Closeness` scores
word pairs close together and words in the lead.

Whoosh trap avoided: `AndNotMatcher` tests its first document against the excluded side
only when both start on the same document, so NOT could keep a segment's first match.
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Callable
from functools import cached_property, partial
from math import log
from typing import Any, NamedTuple

import numpy as np
from whoosh.reading import TermInfo
from whoosh.scoring import BM25F
from whoosh.util.times import datetime_to_long

from indexer.query import positions
from indexer.query.expansion import expand_patterns
from indexer.query.plan import (
    AllOf,
    AnyOf,
    Coordinated,
    DateSpan,
    Closeness,
    Expanded,
    Literal,
    Near,
    NearOperand,
    Pattern,
    Phrase,
    Plan,
    Rescored,
    Telling,
    Term,
    Window,
    WithOptional,
    Without,
)
from indexer.query.positions import Spans
from indexer.store.postings import field_lengths, posting_arrays, posting_positions, term_info
from indexer.store.stats import MISSING_DATE, segment_dates

Reads = dict[tuple[str, bytes], list[np.ndarray]]  # (field, term) -> docnums found holding it
Key = tuple[str, str]  # (field, word)
Sparse = tuple[np.ndarray, np.ndarray]  # docnums (ascending) and their scores


class Part(NamedTuple):
    """One segment's matches of an operator: a mask over its docnums, and each
    document's score (0.0 where it does not match)."""

    hit: np.ndarray  # bool
    score: np.ndarray  # float64


class Bm25(NamedTuple):
    """What `whoosh.scoring.bm25` needs of a term besides its frequency and field length."""

    idf: float
    avgfl: float
    B: float
    K1: float


class QueryRun:
    """One query over the whole index: the BM25F statistics of each term (computed once,
    shared by the segments) and the size estimates that order `AllOf`.

    The statistics are the searcher's own unless `statistics` gives others: a shard
    scores with those of every shard together (`indexer.shards`), so that its scores are
    the ones a single index of all the articles would give."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        searcher,
        reads: Reads | None,
        statistics: Statistics | None = None,
        floors: Floors | None = None,
        recording: Floors | None = None,
    ) -> None:
        """`floors`: for each `Rescored`, the `Pool` of the documents it rescores, chosen
        over every segment (`match`) or every shard (`rescore_floors`); `recording`:
        gathers, for each `Rescored`, the `Best` of every segment."""
        self.floors = floors or {}
        self.recording = recording
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise TypeError(f"the engine scores by BM25F, not {type(weighting).__name__}")
        self.searcher = searcher
        self.schema = searcher.schema
        self.weighting = weighting
        self.reads = reads
        self.segments = [SegmentRun(self, leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
        self.statistics = statistics if statistics is not None else SearcherStatistics(searcher, self.segments)
        self._bm25: dict[tuple[str, bytes], Bm25] = {}
        self._sizes: dict[int, int] = {}
        self._bytes: dict[tuple[str, str], bytes | None] = {}

    def bm25(self, field: str, btext: bytes) -> Bm25:
        """The term's BM25F statistics over the whole index, as `BM25FScorer` takes them."""
        key = (field, btext)
        stats = self._bm25.get(key)
        if stats is None:
            if not self.schema[field].scorable:
                raise ValueError(f"field {field!r} has no lengths to score by: search it with a Literal")
            B = self.weighting._field_B.get(field, self.weighting.B)
            avgfl = self.statistics.avg_field_length(field) or 1
            stats = self._bm25[key] = Bm25(self.statistics.idf(field, btext), avgfl, B, self.weighting.K1)
        return stats

    def doc_frequency(self, field: str, text: str) -> int:
        """Documents holding the term, deleted ones included (what Whoosh's estimates
        count)."""
        btext = self.to_bytes(field, text)
        return 0 if btext is None else self.statistics.doc_frequency(field, btext)

    @cached_property
    def doc_count(self) -> int:
        """Live documents (for size estimates: most plans never ask)."""
        return self.statistics.doc_count()

    def to_bytes(self, field: str, text: str) -> bytes | None:
        """The term as the index stores it, or None when `field` cannot hold it (each
        segment asks: encoded once)."""
        key = (field, text)
        if key not in self._bytes:
            self._bytes[key] = to_bytes(self.schema, field, text)
        return self._bytes[key]

    def size(self, plan: Plan) -> int:
        """How many documents `plan` may match, as Whoosh's `estimate_size` counts them
        (an `AllOf` runs its parts smallest first: the same order, so the same sums)."""
        key = id(plan)  # the plan outlives the query's run: ids stay unique
        if key not in self._sizes:
            self._sizes[key] = self._size(plan)
        return self._sizes[key]

    def _size(self, plan: Plan) -> int:
        match plan:
            case Term(field, text) | Literal(field, text, False):
                return self.doc_frequency(field, text)
            case Literal(field, prefix, True):
                return self.statistics.prefix_frequency(field, prefix)
            case Closeness(field, words):
                return sum(self.doc_frequency(field, w) for w in words)
            case Phrase(field, words) | Window(field, words):
                return min(self.doc_frequency(field, w) for w in words)
            case Expanded(field, terms):
                return sum(self.doc_frequency(field, t) for t in terms)
            case Near(left, right):
                return min(self.size(left), self.size(right))
            case AllOf(parts):
                return min(self.size(p) for p in parts)
            case AnyOf(parts) | Coordinated(parts):
                return min(sum(self.size(p) for p in parts), self.doc_count)
            case Rescored(part):
                return self.size(part)
            case Without(first, second) | WithOptional(first, second):
                return min(self.size(first) + self.size(second), self.doc_count)
            case DateSpan():
                return min(self.statistics.dated_count(plan), self.doc_count)
        raise TypeError(f"not an operator the engine runs: {plan!r}")


def to_bytes(schema, field: str, text: str) -> bytes | None:  # type: ignore[no-untyped-def]
    """The term as the index stores it, or None when `field` cannot hold it."""
    if field not in schema:
        return None
    try:
        return schema[field].to_bytes(text)
    except ValueError:
        return None


class Statistics:
    """What scoring and size estimates need to know of the whole index: counts of
    documents and of field lengths, and how many documents hold a term, a prefix or a
    date. `idf` and `avg_field_length` are Whoosh's (`WeightingModel.idf`,
    `Searcher.avg_field_length`): the same float operations on the same counts."""

    def doc_count_all(self) -> int:
        """Documents, deleted ones included."""
        raise NotImplementedError

    def doc_count(self) -> int:
        """Live documents."""
        raise NotImplementedError

    def field_length(self, field: str) -> int:
        """The words of `field` in every document, deleted ones included."""
        raise NotImplementedError

    def doc_frequency(self, field: str, btext: bytes) -> int:
        """Documents holding the term, deleted ones included."""
        raise NotImplementedError

    def prefix_frequency(self, field: str, prefix: str) -> int:
        """The sum of `doc_frequency` over the terms starting with `prefix`."""
        raise NotImplementedError

    def dated_count(self, span: DateSpan) -> int:
        """Documents dated within `span`, deleted ones included."""
        raise NotImplementedError

    def idf(self, field: str, btext: bytes) -> float:
        return _idf(self.doc_count_all(), self.doc_frequency(field, btext))

    def avg_field_length(self, field: str) -> float:
        return self.field_length(field) / (self.doc_count_all() or 1)


class SearcherStatistics(Statistics):
    """The statistics of one searcher's index, read as they are asked for.

    ``segments``: the query's runs of the searcher's segments, whose term lookups the
    document frequencies share (a term's idf and its postings then cost one lookup per
    segment, not two)."""

    def __init__(self, searcher, segments: list[SegmentRun] | None = None) -> None:  # type: ignore[no-untyped-def]
        self.reader = searcher.reader()
        self._lookups: list[Callable[[str, bytes], TermInfo | None]] = (
            [seg.info for seg in segments] if segments is not None
            else [partial(term_info, leaf) for leaf, _ in self.reader.leaf_readers()]
        )

    def doc_count_all(self) -> int:
        return self._doc_count_all

    @cached_property
    def _doc_count_all(self) -> int:  # asked by every idf and average length: summed once
        return self.reader.doc_count_all()

    def doc_count(self) -> int:
        return self.reader.doc_count()

    def field_length(self, field: str) -> int:
        return self.reader.field_length(field)

    def doc_frequency(self, field: str, btext: bytes) -> int:
        return sum(info.doc_frequency() for info in (lookup(field, btext) for lookup in self._lookups) if info is not None)

    def prefix_frequency(self, field: str, prefix: str) -> int:
        return sum(self.reader.doc_frequency(field, b) for b in self.reader.expand_prefix(field, prefix))

    def dated_count(self, span: DateSpan) -> int:
        return sum(int(np.count_nonzero(_dated(leaf, span))) for leaf, _ in self.reader.leaf_readers())


class SegmentRun:
    """One segment of the searcher during one query: each term looked up once."""

    def __init__(self, run: QueryRun, reader, offset: int) -> None:  # type: ignore[no-untyped-def]
        # Weakly: the run holds its segments, and a cycle would keep the searcher (its
        # memory maps, open files) until the garbage collector's next full pass.
        self.run = weakref.proxy(run)
        self.reader = reader
        self.schema = reader.schema
        self.size = reader.doc_count_all()
        self.offset = offset  # of its first docnum in the whole index
        self.cores: dict[Rescored, list[Part]] = {}  # each `Rescored`'s core, kept from the recording pass
        self.openings: dict[Rescored, tuple[np.ndarray, np.ndarray]] = {}  # its best documents' openings, from it too
        self._infos: dict[tuple[str, bytes], TermInfo | None] = {}

    def info(self, field: str, btext: bytes) -> TermInfo | None:
        """The term's `TermInfo` in this segment, or None."""
        key = (field, btext)
        if key not in self._infos:
            self._infos[key] = term_info(self.reader, field, btext)
        return self._infos[key]

    def postings(self, field: str, btext: bytes, within: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """`posting_arrays` of a term the segment has, among `within` (a mask) when given."""
        if within is None:
            return posting_arrays(self.reader, field, btext, None, self.info(field, btext))
        docnums, weights = posting_arrays(self.reader, field, btext, np.flatnonzero(within), self.info(field, btext))
        keep = within[docnums]  # the blocks read hold other documents too
        return docnums[keep], weights[keep]

    def positions(self, field: str, btext: bytes, candidates: np.ndarray) -> Spans:
        """Where the term stands in each of `candidates` (sorted docnums) holding it."""
        found = posting_positions(self.reader, field, btext, candidates, self.info(field, btext))
        return positions.occurrences(found.ids, found.offsets, found.positions, candidates)

    def record(self, field: str, btext: bytes, docnums: np.ndarray) -> None:
        """Note the documents found holding a term (see `match`)."""
        if self.run.reads is not None:
            self.run.reads.setdefault((field, btext), []).append(docnums + self.offset)

    def nothing(self) -> Part:
        return Part(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def part(self, docnums: np.ndarray, scores: np.ndarray) -> Part:
        part = self.nothing()
        part.hit[docnums] = True
        part.score[docnums] = scores
        return part

    def scored(self, field: str, btext: bytes, docnums: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """The term's BM25F in each of `docnums` given its weights there."""
        lengths = field_lengths(self.reader, field)
        if lengths is None:
            lengths = np.array([self.reader.doc_field_length(d, field, 1) for d in docnums.tolist()], dtype=np.float64)
        else:
            lengths = lengths[docnums]
        return _bm25(self.run.bm25(field, btext), weights, lengths)


class Best(NamedTuple):
    """The best documents found so far by a `Rescored`'s core (the recording pass): their
    core scores, best first, the `depth` best and every tie of the last; with telling
    words, which words each of them holds in its opening (a row per document, a column
    per word) and each word's rarity in the index, log((N + 1) / (n + 0.5))."""

    scores: np.ndarray
    openings: np.ndarray  # bool
    rarities: np.ndarray


class Pool(NamedTuple):
    """What the documents a `Rescored` rescores share, over every segment and shard: the
    core score from which a document is rescored, the best core score, and each telling
    word's weight (`Telling`; they sum to 1, and are empty when no word tells)."""

    floor: float
    best: float
    weights: np.ndarray


#: For each `Rescored` of a plan, its `Pool` (see `QueryRun`), or the `Best` found.
Floors = dict[Rescored, Any]


def best_core_scores(searcher, plan: Plan, statistics: Statistics | None = None) -> Floors:  # type: ignore[no-untyped-def]
    """For each `Rescored` of `plan`, the `Best` of its core among this searcher's
    matches: a sharded search pools those of every shard (`rescore_floors`), so the
    documents rescored, and what their telling words weigh, are those of one index of
    all the articles (`match`)."""
    recording: Floors = {}
    run = QueryRun(searcher, None, statistics, recording=recording)
    plan = expand_patterns(plan, searcher.reader())
    for seg in run.segments:
        _run(seg, plan, None)
    return recording


def rescore_floors(found: list[Floors]) -> Floors:
    """The `Pool` of each `Rescored` from the `best_core_scores` of every shard: its
    floor is the depth-th best core score of them all (every match is rescored when
    there are fewer)."""
    floors: Floors = {}
    for rescored in dict.fromkeys(r for part in found for r in part):
        best = None
        for part in found:
            if rescored in part:
                best = part[rescored] if best is None else _best_of(rescored.depth, best, part[rescored])
        floors[rescored] = _pool(rescored, best)
    return floors


def _best_of(depth: int, one: Best, other: Best) -> Best:
    """The `depth` best documents of two `Best`, every tie of the last kept, best first."""
    scores = np.concatenate([one.scores, other.scores])
    openings = np.concatenate([one.openings, other.openings])
    order = np.argsort(-scores, kind="stable")
    if len(order) > depth:
        order = order[scores[order] >= scores[order[depth - 1]]]
    return Best(scores[order], openings[order], one.rarities)


def _pool(rescored: Rescored, best: Best) -> Pool:
    """What the documents of `best` (every one of them is rescored) share."""
    scores = best.scores
    floor = float(scores[rescored.depth - 1]) if len(scores) >= rescored.depth else -np.inf
    top = float(scores[0]) if len(scores) else 0.0
    weights = np.zeros(0)
    if rescored.telling is not None and len(scores):
        held = best.openings.sum(axis=0)
        weights = np.where(held > 0, best.rarities * np.log((len(scores) + 1) / (held + 0.5)), 0.0)
        total = weights.sum()
        weights = weights / total if total > 0 else np.zeros(0)
    return Pool(floor, top, weights)


def match(  # type: ignore[no-untyped-def]
    searcher, plan: Plan, reads: Reads | None = None, statistics: Statistics | None = None, floors: Floors | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The docnums (ascending) of every live document of `searcher` that matches `plan`,
    and their scores. Patterns not yet expanded are expanded against the searcher's
    reader (`expand_patterns`, default limit).

    With `reads`, each term scored on its own adds the documents found holding it, in
    arrays under (field, term bytes): every matching document holding a term outside a
    NOT is among them (a term may have been read only among some part's candidates).

    `statistics` (default: the searcher's own) are those BM25F and the size estimates
    use: a shard's search passes those of all its shards (`QueryRun`), and the
    `floors` of its `Rescored` operators (`rescore_floors`). Without `floors`, a plan
    with a `Rescored` runs twice: first its core alone, whose scores over every segment
    set the floor (the depth-th best), then the rest, from the cores kept; so the
    documents rescored never depend on how the index is cut into segments."""
    run = QueryRun(searcher, reads, statistics, floors, recording=None if floors is not None else {})
    if _of_terms(plan):  # the commonest plans: their postings are the answer, no mask needed
        found = [_terms(seg, plan) for seg in run.segments]
        return _joined([docnums + seg.offset for seg, (docnums, _) in zip(run.segments, found)], [scores for _, scores in found])
    plan = expand_patterns(plan, searcher.reader())
    parts = [_run(seg, plan, None) for seg in run.segments]
    if run.recording:  # a `Rescored`: its best documents chosen over every segment, then rescored
        run.floors, run.recording, run.reads = rescore_floors([run.recording]), None, None  # reads: all read already
        parts = [_run(seg, plan, None) for seg in run.segments]
    docnums, scores = [], []
    for seg, part in zip(run.segments, parts):
        found = np.flatnonzero(part.hit)
        docnums.append(found + seg.offset)
        scores.append(part.score[found])
    return _joined(docnums, scores)


def _joined(docnums: list[np.ndarray], scores: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The matches of every segment (docnums already offset), as one pair of arrays."""
    if not docnums:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    if len(docnums) == 1:
        return docnums[0], scores[0]
    return np.concatenate(docnums), np.concatenate(scores)


def _of_terms(plan: Plan) -> bool:
    """Whether `plan` is a term, or any of several terms (a word in title or body)."""
    return type(plan) is Term or (type(plan) is AnyOf and all(type(p) is Term for p in plan.parts))


def _terms(seg: SegmentRun, plan: Term | AnyOf) -> Sparse:
    """The matches in one segment of a plan `_of_terms`, as sparse arrays."""
    if type(plan) is Term:
        return _term(seg, plan, None)
    return _union_of_terms([_term(seg, p, None) for p in plan.parts], [seg.run.size(p) for p in plan.parts])  # type: ignore[arg-type]


def _run(seg: SegmentRun, plan: Plan, within: np.ndarray | None) -> Part:
    """Matches of `plan` in one segment; with `within` (a mask), only among those
    documents. Never returns `within` itself: callers may change the result in place."""
    if within is not None and not within.any():
        return seg.nothing()
    match plan:
        case Term():
            return seg.part(*_term(seg, plan, within))
        case Closeness():
            return _closeness(seg, plan, within)
        case AnyOf(parts) if all(type(p) is Term for p in parts):
            return seg.part(*_union_of_terms([_term(seg, p, within) for p in parts], [seg.run.size(p) for p in parts]))  # type: ignore[arg-type]
        case AnyOf(parts):
            return _union(seg, [_run(seg, p, within) for p in parts], [seg.run.size(p) for p in parts])
        case AllOf(parts):
            return _intersection(seg, parts, within)
        case Coordinated(parts):
            return _coordinated(seg, plan, [_run(seg, p, within) for p in parts])
        case Rescored(core, extra, depth, telling):
            cached = seg.cores.get(plan)
            part = _run(seg, core, within) if not cached else cached.pop(0)
            if seg.run.recording is not None:  # only the core's best documents are wanted
                seg.cores.setdefault(plan, []).append(Part(part.hit.copy(), part.score.copy()))
                best = _segment_best(seg, plan, part)
                found = seg.run.recording.get(plan)
                seg.run.recording[plan] = best if found is None else _best_of(depth, found, best)
                return part
            pool = seg.run.floors[plan]
            chosen = part.hit & (part.score >= pool.floor)
            if extra is not None:
                part.score[:] += _run(seg, extra, chosen).score
            if telling is not None and len(pool.weights):
                candidates = np.flatnonzero(chosen)
                # Summed row by row, not by a matrix product, whose float rounding varies with the rows' count.
                shares = np.where(_recorded_openings(seg, plan, candidates), pool.weights, 0.0).sum(axis=1)
                part.score[candidates] += telling.weight * pool.best * shares
            return part
        case Without(kept, excluded):
            part = _run(seg, kept, within)
            out = _run(seg, excluded, part.hit).hit
            part.hit[out] = False
            part.score[out] = 0.0
            return part
        case WithOptional(required, optional):
            part = _run(seg, required, within)
            part.score[:] += _run(seg, optional, part.hit).score
            return part
        case Phrase() | Window():
            return _positional(seg, plan, within)
        case Near():
            return _near(seg, plan, within)
        case Expanded():
            return _expanded(seg, plan, within)
        case Literal():
            return _literal(seg, plan, within)
        case DateSpan():
            return _date_span(seg, plan, within)
        case Pattern():
            raise TypeError(f"a pattern runs once expanded (expansion.expand_patterns): {plan!r}")
    raise TypeError(f"not an operator the engine runs: {plan!r}")


# Terms


def _bm25(stats: Bm25, tf: np.ndarray, fl: np.ndarray) -> np.ndarray:
    """whoosh.scoring.bm25() over arrays: the same operations in the same order, so the
    same floats as `BM25FScorer._score`."""
    idf, avgfl, B, K1 = stats
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


_NONE: Sparse = (np.zeros(0, dtype=np.intp), np.zeros(0))


def _term(seg: SegmentRun, term: Term, within: np.ndarray | None) -> Sparse:
    """The documents holding the term (among `within`) and its score in each."""
    btext = seg.run.to_bytes(term.field, term.text)
    if btext is None or seg.info(term.field, btext) is None:
        return _NONE
    docnums, weights = seg.postings(term.field, btext, within)
    seg.record(term.field, btext, docnums)
    return docnums, seg.scored(term.field, btext, docnums, weights)


def _literal(seg: SegmentRun, literal: Literal, within: np.ndarray | None) -> Part:
    """Documents holding the value (or a value with the prefix): each scores the weights
    of the values it holds, as Whoosh scores a field without lengths."""
    if literal.prefix:
        btexts = list(seg.reader.expand_prefix(literal.field, literal.value))
    else:
        btext = seg.run.to_bytes(literal.field, literal.value)
        btexts = [] if btext is None else [btext]
    total = seg.nothing()
    for btext in btexts:
        if seg.info(literal.field, btext) is None:
            continue
        docnums, weights = seg.postings(literal.field, btext, within)
        total.hit[docnums] = True
        total.score[docnums] += weights
    return total


def _expanded(seg: SegmentRun, expanded: Expanded, within: np.ndarray | None) -> Part:
    """Each document's best term, its BM25F times the term's weight; or, without weights,
    the field's boost for every document holding any of the terms."""
    if expanded.weights is None:
        hit = seg.nothing().hit
        for text in expanded.terms:
            btext = seg.run.to_bytes(expanded.field, text)
            if btext is not None and seg.info(expanded.field, btext) is not None:
                hit[seg.postings(expanded.field, btext, within)[0]] = True
        boost = float(getattr(seg.schema[expanded.field].format, "field_boost", 1.0))
        return Part(hit, np.where(hit, boost, 0.0))
    best = seg.nothing()
    for text, weight in zip(expanded.terms, expanded.weights):
        docnums, scores = _term(seg, Term(expanded.field, text), within)
        best.hit[docnums] = True  # scores are positive: elsewhere the maximum is what `best` holds
        best.score[docnums] = np.maximum(best.score[docnums], scores * weight)
    return best


# Combinations


def _union(seg: SegmentRun, parts: list[Part], sizes: list[int]) -> Part:
    """Scores summed where any part matches, the part that may match most documents in
    the whole index first (`sizes`, `QueryRun.size`; ties in the plan's order).

    The order is the index's, not the segment's: every segment and shard adds a
    document's scores in the same order, so its score is the same float however the
    articles lie (each segment's own counts would let two layouts differ in the last
    bit: enough to swap two tied articles or change which one is rescored)."""
    ordered = [parts[i] for i in _largest_first(sizes) if parts[i].hit.any()]
    if not ordered:
        return seg.nothing()
    total = ordered[0]  # parts are the union's own (`_run` never returns `within`)
    for part in ordered[1:]:
        total.hit[:] |= part.hit
        total.score[:] += part.score
    return total


def _union_of_terms(matches: list[Sparse], sizes: list[int]) -> Sparse:
    """`_union` of terms (a word in title or body), added straight from their postings
    with no mask over the segment: the same additions in the same order, so the same
    floats (0.0 + s is s)."""
    ordered = [matches[i] for i in _largest_first(sizes) if len(matches[i][0])]
    if not ordered:
        return _NONE
    docnums, scores = ordered[0]
    for more_docnums, more_scores in ordered[1:]:
        docnums, scores = _merged(docnums, scores, more_docnums, more_scores)
    return docnums, scores


def _largest_first(sizes: list[int]) -> list[int]:
    """Indexes of `sizes`, largest first, equal sizes in their own order."""
    return sorted(range(len(sizes)), key=lambda i: -sizes[i])


def _merged(docnums: np.ndarray, scores: np.ndarray, more_docnums: np.ndarray, more_scores: np.ndarray) -> Sparse:
    """Two sparse matches as one: ``scores + more_scores`` where both hold a document."""
    joined = np.concatenate((docnums, more_docnums))
    order = np.argsort(joined, kind="stable")  # two sorted runs: a merge; `docnums` first where equal
    joined = joined[order]
    starts = np.flatnonzero(np.concatenate(([True], joined[1:] != joined[:-1])))
    # Groups of one or two: reduceat gives s, or s + more (numpy's pairwise summation only
    # reorders sums of three or more).
    return joined[starts], np.add.reduceat(np.concatenate((scores, more_scores))[order], starts)


def _segment_best(seg: SegmentRun, plan: Rescored, part: Part) -> Best:
    """The `Best` of one segment's matches of `plan`'s core (`part`)."""
    docnums = np.flatnonzero(part.hit)
    scores = part.score[docnums]
    if len(scores) > plan.depth:  # the depth-th best, then every document scoring as much
        kept = scores >= -np.partition(-scores, plan.depth - 1)[plan.depth - 1]
        docnums, scores = docnums[kept], scores[kept]
    order = np.argsort(-scores, kind="stable")
    docnums, scores = docnums[order], scores[order]
    telling = plan.telling
    if telling is None:
        return Best(scores, np.zeros((len(scores), 0), dtype=bool), np.zeros(0))
    run = seg.run
    documents = run.statistics.doc_count_all()
    holding = [run.statistics.doc_frequency(telling.field, btext) if (btext := run.to_bytes(telling.field, w)) is not None else 0 for w in telling.words]
    rarities = np.log((documents + 1) / (np.array(holding, dtype=np.float64) + 0.5))
    openings = _openings(seg, telling, docnums)
    seg.openings[plan] = (docnums, openings)
    return Best(scores, openings, rarities)


def _recorded_openings(seg: SegmentRun, plan: Rescored, docnums: np.ndarray) -> np.ndarray:
    """`_openings` of `docnums` (ascending), as the recording pass read them when it read
    them all (the documents rescored are among those it kept), else read now (a shard's
    search, whose recording ran apart)."""
    assert plan.telling is not None
    if plan in seg.openings:
        recorded, openings = seg.openings[plan]
        order = np.argsort(recorded)
        at = np.minimum(np.searchsorted(recorded, docnums, sorter=order), len(recorded) - 1)
        if len(recorded) and (recorded[order[at]] == docnums).all():
            return openings[order[at]]
    return _openings(seg, plan.telling, docnums)


def _openings(seg: SegmentRun, telling: Telling, docnums: np.ndarray) -> np.ndarray:
    """Which of the telling words each of `docnums` (ascending or not) holds among the
    first `telling.opening` words of its field: a row per document, a column per word."""
    held = np.zeros((len(docnums), len(telling.words)), dtype=bool)
    if not len(docnums):
        return held
    order = np.argsort(docnums)
    candidates = docnums[order]
    for column, word in enumerate(telling.words):
        btext = seg.run.to_bytes(telling.field, word)
        if btext is None or seg.info(telling.field, btext) is None:
            continue
        spans = seg.positions(telling.field, btext, candidates)
        held[order[spans.docs[spans.first < telling.opening]], column] = True
    return held


def _coordinated(seg: SegmentRun, plan: Coordinated, parts: list[Part]) -> Part:
    """`_union` of `parts` (`plan`'s, run), each part's score times its idf to the power
    `plan.emphasis`, the sum times the weighted share of the parts matched there."""
    run = seg.run
    documents = run.statistics.doc_count_all() or 1
    held = np.zeros(seg.size)
    weights = 0.0
    for planned, part in zip(plan.parts, parts):
        matchable = min(run.size(planned), documents)
        if plan.emphasis:
            part.score[:] *= _idf(documents, matchable) ** plan.emphasis
        weight = log((documents + 1) / (matchable + 0.5))
        held += part.hit * weight
        weights += weight
    total = _union(seg, parts, [run.size(p) for p in plan.parts])
    total.score[:] *= held / weights
    return total


def _idf(documents: int, holding: int) -> float:
    """Whoosh's idf (`Statistics.idf`) of a term held by `holding` of `documents`."""
    return log(documents / (holding + 1)) + 1


def _intersection(seg: SegmentRun, parts: tuple[Plan, ...], within: np.ndarray | None) -> Part:
    """The sum of every part's score where all match: the smallest part first, each
    next part looked up only among the documents still in."""
    total: Part | None = None
    for plan in sorted(parts, key=seg.run.size):
        part = _run(seg, plan, within if total is None else total.hit)
        if total is None:
            total = part
        else:
            total.hit[:] &= part.hit
            total.score[:] = np.where(total.hit, total.score + part.score, 0.0)
        if not total.hit.any():
            return seg.nothing()
    return total if total is not None else seg.nothing()


# Positions


class _Words:
    """The words of a phrase, window or NEAR read in one segment: the candidates (sorted
    docnums holding every word, and for a pattern any of its terms), each word's postings
    (ids and weights of the blocks read) and, when asked, its positions there."""

    def __init__(self, seg: SegmentRun, candidates: np.ndarray, postings: dict[Key, tuple[bytes, np.ndarray, np.ndarray]]) -> None:
        self.seg = seg
        self.candidates = candidates
        self.postings = postings
        self._spans: dict[Key, Spans] = {}

    @staticmethod
    def read(seg: SegmentRun, required: list[Key], any_of: list[list[Key]], within: np.ndarray | None) -> _Words | None:
        """Candidates hold every key of `required` and one key of each list of `any_of`;
        None when no document does. They are narrowed on ids alone, rarest word first;
        positions are read later, only for them."""
        run = seg.run
        btexts: dict[Key, bytes] = {}
        for key in dict.fromkeys([*required, *(k for keys in any_of for k in keys)]):
            btext = run.to_bytes(*key)
            if btext is not None and seg.info(key[0], btext) is not None:
                btexts[key] = btext
        if not all(key in btexts for key in required):
            return None
        postings: dict[Key, tuple[bytes, np.ndarray, np.ndarray]] = {}
        candidates = within
        for key in sorted(dict.fromkeys(required), key=lambda k: seg.info(k[0], btexts[k]).doc_frequency()):  # type: ignore[union-attr]  # held: checked above
            ids, weights = seg.postings(key[0], btexts[key], candidates)
            postings[key] = (btexts[key], ids, weights)
            candidates = _narrowed(seg, candidates, [ids])
            if not candidates.any():
                return None
        for keys in any_of:
            held = [key for key in keys if key in btexts]
            for key in held:
                ids, weights = seg.postings(key[0], btexts[key], candidates)
                postings[key] = (btexts[key], ids, weights)
            candidates = _narrowed(seg, candidates, [postings[key][1] for key in held])
            if not candidates.any():
                return None
        assert candidates is not None
        return _Words(seg, np.flatnonzero(candidates), postings)

    def spans(self, key: Key) -> Spans:
        """Where the word stands in the candidates (none for a pattern term not read)."""
        if key not in self._spans:
            if key in self.postings:
                self._spans[key] = self.seg.positions(key[0], self.postings[key][0], self.candidates)
            else:
                empty = np.zeros(0, dtype=np.int64)
                self._spans[key] = Spans(empty.astype(np.intp), empty, empty)
        return self._spans[key]

    def scores(self, key: Key, matched: np.ndarray) -> np.ndarray:
        """The word's BM25F in each of `matched` (docnums): 0.0 where it is absent."""
        if key not in self.postings or not len(self.postings[key][1]):
            return np.zeros(len(matched))
        btext, ids, weights = self.postings[key]
        at = np.minimum(np.searchsorted(ids, matched), len(ids) - 1)
        holds = ids[at] == matched
        if holds.all():
            return self.seg.scored(key[0], btext, matched, weights[at])
        scores = np.zeros(len(matched))
        scores[holds] = self.seg.scored(key[0], btext, matched[holds], weights[at[holds]])
        return scores


def _narrowed(seg: SegmentRun, candidates: np.ndarray | None, ids: list[np.ndarray]) -> np.ndarray:
    """`candidates` (a mask, None for all) left with the documents in any of `ids`."""
    holding = seg.nothing().hit
    for found in ids:
        holding[found] = True
    return holding if candidates is None else holding & candidates


def _positional(seg: SegmentRun, plan: Phrase | Window, within: np.ndarray | None) -> Part:
    """Documents where the words stand as the phrase or window asks; scored as the sum
    of the words' BM25F (a phrase's repeated word each time, a window's once)."""
    keys = [(plan.field, word) for word in plan.words]
    words = _Words.read(seg, keys, [], within)
    if words is None:
        return seg.nothing()
    if isinstance(plan, Phrase):
        found = np.unique(positions.phrase([words.spans(key) for key in keys]).docs)
        scored = keys
    else:
        counts = Counter(keys)
        found = positions.in_window([words.spans(k) for k in counts], list(counts.values()), plan.extra, len(words.candidates))
        scored = list(counts)
    return _sum_of_words(seg, words, words.candidates[found], [[key] for key in scored])


def _near(seg: SegmentRun, plan: Near, within: np.ndarray | None) -> Part:
    """Documents with the operands close enough (`positions.near`); scored as the sum of
    the operands' words: words and patterns first, in operand order, then phrase words."""
    operands = (plan.left, plan.right)
    keys = [_operand_keys(o) for o in operands]
    required = [key for o, ks in zip(operands, keys) if not isinstance(o, Expanded) for key in ks]
    any_of = [ks for o, ks in zip(operands, keys) if isinstance(o, Expanded)]
    words = _Words.read(seg, required, any_of, within)
    if words is None:
        return seg.nothing()
    left, right = (_operand_spans(words, o, ks) for o, ks in zip(operands, keys))
    found = positions.near(left, right, plan.between, plan.ordered)
    singles = [ks for o, ks in zip(operands, keys) if not isinstance(o, Phrase)]
    phrase_words = [[key] for o, ks in zip(operands, keys) if isinstance(o, Phrase) for key in ks]
    return _sum_of_words(seg, words, words.candidates[found], singles + phrase_words)


def _closeness(seg: SegmentRun, plan: Closeness, within: np.ndarray | None) -> Part:
    """Pairs of the words close together in order, and words in the lead (`Closeness`):
    each word's postings and positions read once, among `within` (the best documents
    of a `Rescored`), then every pair compared on the position arrays."""
    candidates = np.arange(seg.size) if within is None else np.flatnonzero(within)
    total = np.zeros(len(candidates))
    found: list[tuple[Spans, np.ndarray]] = []  # per word: where it stands, its score per candidate
    for word in plan.words:
        btext = seg.run.to_bytes(plan.field, word)
        if btext is None or seg.info(plan.field, btext) is None:
            found.append((positions.Spans(np.zeros(0, dtype=np.intp), np.zeros(0, np.int64), np.zeros(0, np.int64)), np.zeros(0)))
            continue
        ids, weights = seg.postings(plan.field, btext, within)
        scores = np.zeros(len(candidates))
        scores[np.searchsorted(candidates, ids)] = seg.scored(plan.field, btext, ids, weights) * seg.run.bm25(plan.field, btext).idf ** plan.emphasis
        spans = seg.positions(plan.field, btext, candidates) if len(ids) else positions.Spans(ids, ids.astype(np.int64), ids.astype(np.int64))
        found.append((spans, scores))
        if plan.lead_weight and len(ids) and word not in plan.words[:len(found) - 1]:
            if plan.lead_decay:
                first = np.full(len(candidates), np.inf)
                np.minimum.at(first, spans.docs, spans.first.astype(np.float64))
                total += plan.lead_weight * scores * (plan.lead / (plan.lead + first)) ** plan.lead_decay
            else:
                early = np.unique(spans.docs[spans.first < plan.lead])
                total[early] += plan.lead_weight * scores[early]
    if plan.pair_weight:
        for i, (left, left_scores) in enumerate(found):
            for j in range(i + 1, len(found)):
                right, right_scores = found[j]
                if not len(left) or not len(right) or plan.words[i] == plan.words[j]:
                    continue
                near = np.unique(positions.near(left, right, plan.between, True))
                total[near] += plan.pair_weight * (left_scores[near] + right_scores[near])
    hit = total > 0
    return seg.part(candidates[hit], total[hit])


def _operand_keys(operand: NearOperand) -> list[Key]:
    """The (field, word) keys of a NEAR operand: a word's, a phrase's words, or the terms
    a pattern stands for (any one of which will do)."""
    match operand:
        case Term(field, text):
            return [(field, text)]
        case Phrase(field, words):
            return [(field, w) for w in words]
        case Expanded(field, terms):
            return [(field, t) for t in terms]
    raise TypeError(f"not a NEAR operand the engine runs: {operand!r}")


def _operand_spans(words: _Words, operand: NearOperand, keys: list[Key]) -> Spans:
    if isinstance(operand, Phrase):
        return positions.phrase([words.spans(key) for key in keys])
    return positions.union([words.spans(key) for key in keys])


def _sum_of_words(seg: SegmentRun, words: _Words, matched: np.ndarray, groups: list[list[Key]]) -> Part:
    """Each matched document's sum, group by group, of the BM25F of the group's words
    (a group: one word, or the terms of a pattern, summed first)."""
    total = np.zeros(len(matched))
    for group in groups:
        if len(group) == 1:
            total += words.scores(group[0], matched)
        else:
            total += sum((words.scores(key, matched) for key in group), np.zeros(len(matched)))
    return seg.part(matched, total)


# Dates


def _date_span(seg: SegmentRun, span: DateSpan, within: np.ndarray | None) -> Part:
    """Live documents dated within the span, each scoring 1.0 (as Whoosh's constant-score
    `DateRange` does)."""
    hit = _dated(seg.reader, span) & _live_docs(seg.reader)
    if within is not None:
        hit &= within
    return Part(hit, np.where(hit, 1.0, 0.0))


_live_lock = threading.Lock()
_live: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _live_docs(reader) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A segment's live documents as a mask, once per segment reader."""
    with _live_lock:
        cached = _live.get(reader)
    if cached is None:
        cached = np.ones(reader.doc_count_all(), dtype=bool)
        if reader.has_deletions():
            cached[list(reader.deleted_docs_set)] = False
        with _live_lock:
            _live[reader] = cached
    return cached


def _dated(reader, span: DateSpan) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The documents of a segment dated within `span`, deleted ones included."""
    dates = segment_dates(reader)
    hit = dates < MISSING_DATE
    if span.start is not None:
        hit &= dates >= datetime_to_long(span.start)
    if span.end is not None:
        hit &= dates <= datetime_to_long(span.end)
    return hit
