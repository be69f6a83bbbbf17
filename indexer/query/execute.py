"""Every match of a built query with its score, computed term at a time over arrays.

Whoosh's collector is the wrong tool for a search that must count every match and rank
exactly: its block-quality skipping is unsound for compound queries (see
`exhaustive.py`), and without it the collector pays a chain of Python matcher calls per
matching document (about 20 µs each). Here each segment's matches are a `Part`: a
NumPy mask and a score per document; a `SegmentRun` looks each term up once per segment,
and the BM25F statistics of each term once per query. A term's postings become arrays (`postings.py`) and
are scored with the very formula Whoosh would use (BM25F, the same float operations in
the same order, so the same floats); `Or` sums, `And` intersects and sums (its later
parts read only where the first matched), `AndNot` removes, `AndMaybe` adds the optional
part where the required part matched: the sums Whoosh's union, intersection, and-not and
and-maybe matchers compute, so rankings are unchanged and totals are exact
(tests/query/test_execute.py). Phrases, windows and NEAR compare position lists of the
documents holding every word; date ranges are flat unions. A query without a rule here
(NEAR with a pattern operand, anything new) runs through its own Whoosh matcher, every
match visited.

Whoosh trap avoided: `AndNotMatcher` tests its first document against the excluded side
only when both start on the same document, so NOT can keep a segment's first match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from whoosh import query as wq
from whoosh.query.ranges import NumericRange
from whoosh.query.terms import MultiTerm
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.scoring import BM25F, WeightLengthScorer

from indexer.query.exhaustive import ScoreEveryMatch
from indexer.query.expansion import ExpandedTerms
from indexer.store.postings import field_lengths, position_decoder, posting_arrays, posting_values, term_info
from indexer.query.positions import windows
from indexer.query.spans import PhraseQuery, SafeSpanNear2, WindowQuery

Scores = dict[int, float]
Reads = dict[tuple[str, bytes], list[np.ndarray]]  # (field, term) -> docnums found holding it
Key = tuple[str, str]  # (field, word)
Column = tuple[Callable[[bytes], list[int]], dict[int, bytes]]  # position decoder, postings


class Part(NamedTuple):
    """One segment's matches of a query: a mask over its docnums, and each document's
    score (0.0 where it does not match)."""

    hit: np.ndarray  # bool
    score: np.ndarray  # float64


class Bm25(NamedTuple):
    """What whoosh.scoring.bm25() needs of a term besides its frequency and field length."""

    idf: float
    avgfl: float
    B: float
    K1: float


class SegmentRun:
    """One segment of the searcher during one query. Whoosh looks a term up in the segment
    for each of `in`, `postings()`, its scorer and `estimate_size()`, and sums the average
    field length over every segment for each scorer: here a term is looked up once per
    segment, and its BM25F statistics once per query (`stats`, shared by the segments)."""

    def __init__(self, searcher, stats: dict, offset: int = 0, reads: Reads | None = None) -> None:  # type: ignore[no-untyped-def]
        self.searcher = searcher  # the segment's own (leaf) searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.size = self.reader.doc_count_all()
        self._stats = stats
        self._found: dict[tuple[str, bytes], object] = {}
        self.offset = offset  # of its first docnum in the whole index
        self._reads = reads

    def record(self, field: str, btext: bytes, docnums: np.ndarray) -> None:
        """Note the documents found holding a term (see `match`)."""
        if self._reads is not None:
            self._reads.setdefault((field, btext), []).append(docnums + self.offset)

    def nothing(self) -> Part:
        return Part(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def has(self, field: str, btext: bytes) -> bool:
        return self.info(field, btext) is not None

    def info(self, field: str, btext: bytes):  # type: ignore[no-untyped-def]
        """The term's `TermInfo` in this segment, or None."""
        key = (field, btext)
        if key not in self._found:
            self._found[key] = term_info(self.reader, field, btext)
        return self._found[key]

    def postings(self, field: str, btext: bytes, within: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """`posting_arrays` of a term the segment has."""
        return posting_arrays(self.reader, field, btext, _docnums(within), self.info(field, btext))

    def bm25(self, field: str, btext: bytes) -> Bm25 | None:
        """The term's BM25F statistics (whole-index, as `BM25FScorer` takes them), or None
        when the searcher does not score by BM25F on a scorable field."""
        key = ("bm25", field, btext)
        if key not in self._stats:
            weighting, parent = self.searcher.weighting, self.searcher.get_parent()
            if type(weighting) is not BM25F or not self.schema[field].scorable:
                self._stats[key] = None
            else:
                B = weighting._field_B.get(field, weighting.B)
                self._stats[key] = Bm25(parent.idf(field, btext), parent.avg_field_length(field) or 1, B, weighting.K1)
        return self._stats[key]

    def size_of(self, q: wq.Query) -> int:
        """`q.estimate_size` over the whole index, once per query: the same order of the
        parts of an And in every segment."""
        key = ("size", id(q))  # the query tree outlives the query's run: ids stay unique
        if key not in self._stats:
            self._stats[key] = q.estimate_size(self._stats["frequencies"])
        return self._stats[key]

    def part(self, docnums: np.ndarray, scores: np.ndarray) -> Part:
        part = self.nothing()
        part.hit[docnums] = True
        part.score[docnums] = scores
        return part


class _DocFrequencies:
    """The reader `estimate_size` is given: document frequencies summed from each
    segment's own lookup of the term (kept for scoring), not looked up again per segment
    through the whole index's reader; anything else is the whole index's reader's."""

    def __init__(self, segments: list[SegmentRun], reader) -> None:  # type: ignore[no-untyped-def]
        self._segments = segments
        self._reader = reader

    def doc_frequency(self, field: str, text) -> int:  # type: ignore[no-untyped-def]
        try:
            btext = text if isinstance(text, bytes) else self._reader.schema[field].to_bytes(text)
        except (KeyError, ValueError):
            return 0
        infos = (seg.info(field, btext) for seg in self._segments)
        return sum(info.doc_frequency() for info in infos if info is not None)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._reader, name)


def score_matches(searcher, query: wq.Query) -> Scores:  # type: ignore[no-untyped-def]
    """Docnum -> score of every live document of `searcher` that matches `query`."""
    docnums, scores = match(searcher, query)
    return dict(zip(docnums.tolist(), scores.tolist()))


def match(searcher, query: wq.Query, reads: Reads | None = None) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """The docnums (ascending) of every live document of `searcher` that matches `query`,
    and their scores.

    With `reads`, each term scored on its own adds the documents found holding it, in
    arrays under (field, term bytes): every matching document that holds the term is
    among them (a term may have been read only among some part's candidates)."""
    docnums, scores = [], []
    stats: dict = {}
    segments = [SegmentRun(leaf, stats, offset, reads) for leaf, offset in searcher.leaf_searchers()]
    stats["frequencies"] = _DocFrequencies(segments, searcher.reader())
    for seg in segments:
        part = _scores(seg, query, None)
        found = np.flatnonzero(part.hit)
        docnums.append(found + seg.offset)
        scores.append(part.score[found])
    if not docnums:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    if len(docnums) == 1:
        return docnums[0], scores[0]
    return np.concatenate(docnums), np.concatenate(scores)


def _scores(seg: SegmentRun, q: wq.Query, within: np.ndarray | None) -> Part:
    """Matches of `q` in one segment; with `within` (a mask), only among those documents.
    Never returns `within` itself: callers may change the result in place."""
    kind = type(q)
    if within is not None and not within.any():
        return seg.nothing()
    if kind is ScoreEveryMatch:
        return _scores(seg, q.child, within)  # type: ignore[attr-defined]
    if kind is ExpandedTerms:
        return _expanded(seg, q, within)  # type: ignore[arg-type]
    if kind is wq.Term:
        return _term(seg, q, within)  # type: ignore[arg-type]
    if kind is PhraseQuery or kind is WindowQuery:
        return _positional(seg, q, within)  # type: ignore[arg-type]
    if kind is SafeSpanNear2 and len(q.qs) == 2 and all(type(o) in (wq.Term, PhraseQuery) for o in q.qs):  # type: ignore[attr-defined]
        return _near(seg, q, within)  # type: ignore[arg-type]
    if isinstance(q, NumericRange):  # and DateRange: an OR of trie terms, scored flat
        return _scores(seg, q._compile_query(seg.reader), within)
    if kind is ConstantScoreQuery:
        return _flat(_ids(seg, q.child, within), q.score)  # type: ignore[attr-defined]
    if getattr(q, "boost", 1.0) == 1.0:
        if kind is wq.Or and not q.minmatch and not q.scale:  # type: ignore[attr-defined]
            if all(type(sub) is wq.Term for sub in q.subqueries):  # type: ignore[attr-defined]
                return _union_of_terms(seg, [_term_matches(seg, sub, within) for sub in q.subqueries])  # type: ignore[attr-defined]
            return _union(seg, [_scores(seg, s, within) for s in q.subqueries])  # type: ignore[attr-defined]
        if kind is wq.And:
            return _intersection(seg, q.subqueries, within)  # type: ignore[attr-defined]
        if kind is wq.AndNot:
            kept = _scores(seg, q.a, within)  # type: ignore[attr-defined]
            excluded = _scores(seg, q.b, kept.hit).hit  # type: ignore[attr-defined]
            kept.hit[excluded] = False
            kept.score[excluded] = 0.0
            return kept
        if kind is wq.AndMaybe:
            required = _scores(seg, q.a, within)  # type: ignore[attr-defined]
            required.score[:] += _scores(seg, q.b, required.hit).score  # type: ignore[attr-defined]
            return required
    return _every_match(seg, q, within)


def _flat(hit: np.ndarray, score: float) -> Part:
    return Part(hit, np.where(hit, score, 0.0))


def _docnums(within: np.ndarray | None) -> np.ndarray | None:
    return None if within is None else np.flatnonzero(within)


def _expanded(seg: SegmentRun, q: ExpandedTerms, within: np.ndarray | None) -> Part:
    """Each document's best expanded term: its BM25F score times the term's weight; or,
    without weights, the field's boost for every document holding any of the terms."""
    if q.weights is None:
        boost = float(getattr(seg.schema[q.fieldname].format, "field_boost", 1.0))
        return _flat(_ids(seg, wq.Or([wq.Term(q.fieldname, t) for t in q.terms]), within), boost)
    best = seg.nothing()
    for text, weight in zip(q.terms, q.weights):
        part = _term(seg, wq.Term(q.fieldname, text), within)
        best.hit[:] |= part.hit
        np.maximum(best.score, part.score * weight, out=best.score)
    return best


def _bm25(stats: Bm25, tf: np.ndarray, fl: np.ndarray) -> np.ndarray:
    """whoosh.scoring.bm25() over arrays: the same operations in the same order, so the
    same floats as `BM25FScorer._score`."""
    idf, avgfl, B, K1 = stats
    return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))


def _scored(seg: SegmentRun, field: str, btext: bytes, docnums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The term's score in each of `docnums` given its weights there."""
    stats, lengths = seg.bm25(field, btext), field_lengths(seg.reader, field)
    if stats is not None and lengths is not None:
        return _bm25(stats, weights, lengths[docnums])
    scorer = seg.searcher.weighting.scorer(seg.searcher, field, btext)
    length = seg.reader.doc_field_length
    return np.array([scorer._score(w, length(d, field, 1)) for d, w in zip(docnums.tolist(), weights.tolist())], dtype=np.float64)


def _term(seg: SegmentRun, q: wq.Term, within: np.ndarray | None) -> Part:
    return seg.part(*_term_matches(seg, q, within))


Sparse = tuple[np.ndarray, np.ndarray]  # docnums (ascending) and their scores


def _term_matches(seg: SegmentRun, q: wq.Term, within: np.ndarray | None) -> Sparse:
    """The documents holding the term (among `within`) and its score in each."""
    field = q.fieldname
    if field not in seg.schema:
        return _NONE
    try:
        btext = seg.schema[field].to_bytes(q.text)
    except ValueError:
        return _NONE
    if not seg.has(field, btext):
        return _NONE
    if seg.bm25(field, btext) is None:
        scorer = seg.searcher.weighting.scorer(seg.searcher, field, btext)
        if not isinstance(scorer, WeightLengthScorer):
            part = _every_match(seg, q, within)
            found = np.flatnonzero(part.hit)
            return found, part.score[found]
    docnums, weights = seg.postings(field, btext, within)
    if within is not None:
        keep = within[docnums]
        docnums, weights = docnums[keep], weights[keep]
    scores = _scored(seg, field, btext, docnums, weights)
    if q.boost != 1.0:
        scores = scores * q.boost
    seg.record(field, btext, docnums)
    return docnums, scores


_NONE: Sparse = (np.zeros(0, dtype=np.intp), np.zeros(0))


def _positional(seg: SegmentRun, q: PhraseQuery | WindowQuery, within: np.ndarray | None) -> Part:
    """Documents where the words stand as the phrase or window asks, scored as Whoosh's
    span matchers score them: the sum of the words' term scores (`_span_words`)."""
    field = q.fieldname
    keys = [(field, word) for word in q.words]
    read = _read_positions(seg, keys, within)
    if read is None:
        return seg.nothing()
    candidates, columns, _ = read
    if isinstance(q, WindowQuery):
        counts = Counter(q.words)
        window_columns = [columns[(field, w)] for w in counts]
        matched = [
            docnum
            for docnum in candidates
            if windows([decode(vals[docnum]) for decode, vals in window_columns], list(counts.values()), q.extra)
        ]
    else:
        phrase_columns = [columns[key] for key in keys]
        matched = [docnum for docnum in candidates if _phrase_starts(phrase_columns, docnum)]
    return _sum_of_words(seg, [(field, w) for w in q._span_words()], read, matched)


def _near(seg: SegmentRun, q: SafeSpanNear2, within: np.ndarray | None) -> Part:
    """Two words or phrases within `slop` positions (SpanNear2's own test, on integers);
    scored as Whoosh scores it: the sum of both operands' scores."""
    operands = [[(o.fieldname, o.text)] if type(o) is wq.Term else [(o.fieldname, w) for w in o.words] for o in q.qs]
    read = _read_positions(seg, [k for keys in operands for k in keys], within)
    if read is None:
        return seg.nothing()
    candidates, columns, _ = read
    slop, ordered, mindist = q.slop, q.ordered, q.mindist
    operand_columns = [[columns[key] for key in keys] for keys in operands]
    matched = []
    for docnum in candidates:
        left, right = (
            [(s, s + len(cols) - 1) for s in sorted(_phrase_starts(cols, docnum))] for cols in operand_columns
        )
        if left and right and _spans_near(left, right, slop, ordered, mindist):
            matched.append(docnum)
    words = [(o.fieldname, o.text) for o in q.qs if type(o) is wq.Term]
    words += [(o.fieldname, w) for o in q.qs if type(o) is PhraseQuery for w in o._span_words()]
    return _sum_of_words(seg, words, read, matched)


def _spans_near(aspans: list[tuple[int, int]], bspans: list[tuple[int, int]], slop: int, ordered: bool, mindist: int) -> bool:
    """SpanNear2Matcher._get_spans for two operands (whoosh/query/spans.py), on (start, end)
    pairs sorted by start: whether any pair is at a distance in [mindist, slop]."""
    bstarts = [start for start, _ in bspans]
    for astart, aend in aspans:
        j = bisect_left(bstarts, astart if ordered else max(0, astart - slop))
        for bstart, bend in bspans[j:]:
            if bend < astart - slop or (ordered and astart > bstart):
                continue
            if bstart > aend + slop:
                break
            if astart <= bend and bstart <= aend:  # Span.overlaps
                dist = 0
            elif aend < bstart:
                dist = bstart - aend
            else:
                dist = astart - bend
            if mindist <= dist <= slop:
                return True
    return False


def _phrase_starts(columns: list[Column], docnum: int) -> set[int]:
    """Positions where the words of `columns` stand one after another in `docnum`."""
    decode, vals = columns[0]
    starts = set(decode(vals[docnum]))
    for offset, (decode, vals) in enumerate(columns[1:], start=1):
        starts.intersection_update([p - offset for p in decode(vals[docnum])])
        if not starts:
            break
    return starts


def _read_positions(seg: SegmentRun, keys: list[Key], within: np.ndarray | None):  # type: ignore[no-untyped-def]
    """The documents holding every (field, word) of `keys` (ascending), and for each key its
    position decoder and encoded postings by document; None when no document holds them all.

    Candidates are narrowed on ids alone, rarest word first; then positions are read only
    in blocks that hold a candidate, and decoded only when asked for, as plain integers."""
    btexts = {key: seg.schema[key[0]].to_bytes(key[1]) for key in dict.fromkeys(keys)}
    if not all(seg.has(key[0], b) for key, b in btexts.items()):
        return None
    candidates = within
    for key in sorted(btexts, key=lambda k: seg.reader.doc_frequency(k[0], btexts[k])):
        docnums, _ = seg.postings(key[0], btexts[key], candidates)
        holding = seg.nothing().hit
        holding[docnums] = True
        candidates = holding if candidates is None else holding & candidates
        if not candidates.any():
            return None
    found = np.flatnonzero(candidates).tolist()
    wanted = set(found)
    columns = {
        key: (position_decoder(seg.schema[key[0]].format), posting_values(seg.reader, key[0], btext, wanted, seg.info(key[0], btext)))
        for key, btext in btexts.items()
    }
    return found, columns, btexts


def _sum_of_words(seg: SegmentRun, words: list[Key], read, matched: list[int]) -> Part:  # type: ignore[no-untyped-def]
    """Each matched document's sum of the BM25F scores of `words` (repeats count), from
    the postings already read (weight = frequency x field boost)."""
    _, columns, btexts = read
    docnums = np.array(matched, dtype=np.intp)
    total = np.zeros(len(matched))
    for field, word in words:
        btext = btexts[(field, word)]
        if seg.bm25(field, btext) is None:
            scorer = seg.searcher.weighting.scorer(seg.searcher, field, btext)
            if not isinstance(scorer, WeightLengthScorer):
                within = seg.nothing().hit
                within[docnums] = True
                total += _every_match(seg, wq.Term(field, word), within).score[docnums]
                continue
        word_values, weight_of = columns[(field, word)][1], seg.schema[field].format.decode_weight
        weights = np.array([weight_of(word_values[docnum]) for docnum in matched], dtype=np.float64)
        total += _scored(seg, field, btext, docnums, weights)
    return seg.part(docnums, total)


def _ids(seg: SegmentRun, q: wq.Query, within: np.ndarray | None) -> np.ndarray:
    """The documents matching `q` (a mask) when its scores do not matter (a constant-score
    filter)."""
    if type(q) is wq.Or:
        found = seg.nothing().hit
        for sub in q.subqueries:  # type: ignore[attr-defined]
            found |= _ids(seg, sub, within)
        return found
    if type(q) is wq.Term or isinstance(q, MultiTerm):
        field = q.field()
        if isinstance(q, MultiTerm):
            btexts = list(q._btexts(seg.reader))
        else:
            btexts = [q.text if isinstance(q.text, bytes) else seg.schema[field].to_bytes(q.text)]  # type: ignore[attr-defined]
        found = seg.nothing().hit
        for btext in btexts:
            if seg.has(field, btext):
                found[seg.postings(field, btext, within)[0]] = True
        return found if within is None else found & within
    return _scores(seg, q, within).hit


def _union(seg: SegmentRun, parts: list[Part]) -> Part:
    """Scores summed where any part matches: the part with most matches first (so the
    same floats as adding the others to it one by one)."""
    counted = [(int(np.count_nonzero(p.hit)), p) for p in parts]
    ordered = [p for count, p in sorted(counted, key=lambda cp: -cp[0]) if count]
    if not ordered:
        return seg.nothing()
    total = ordered[0]  # parts are the union's own (`_scores` never returns `within`)
    for part in ordered[1:]:
        total.hit[:] |= part.hit
        total.score[:] += part.score
    return total


def _union_of_terms(seg: SegmentRun, matches: list[Sparse]) -> Part:
    """`_union` of terms (a word in title or body), added straight from their postings:
    the same order, so the same floats (0.0 + s is s)."""
    total = seg.nothing()
    for docnums, scores in sorted(matches, key=lambda found: -len(found[0])):
        total.hit[docnums] = True
        total.score[docnums] += scores
    return total


def _intersection(seg: SegmentRun, queries: list[wq.Query], within: np.ndarray | None) -> Part:
    """The sum of every part's score where all match: the smallest part first, each
    next part looked up only among the documents still in."""
    total: Part | None = None
    for q in sorted(queries, key=seg.size_of):
        part = _scores(seg, q, within if total is None else total.hit)
        if total is None:
            total = part
        else:
            total.hit[:] &= part.hit
            total.score[:] = np.where(total.hit, total.score + part.score, 0.0)
        if not total.hit.any():
            return seg.nothing()
    return total if total is not None else seg.nothing()


def _every_match(seg: SegmentRun, q: wq.Query, within: np.ndarray | None) -> Part:
    # Not through a collector: no block-quality skipping, no replace() (see exhaustive.py).
    matcher = q.matcher(seg.searcher, seg.searcher.context())
    scores: Scores = {}
    if within is None:
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
    else:
        for docnum in np.flatnonzero(within).tolist():
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                scores[docnum] = matcher.score()
    count = len(scores)
    return seg.part(np.fromiter(scores, dtype=np.intp, count=count), np.fromiter(scores.values(), dtype=np.float64, count=count))
