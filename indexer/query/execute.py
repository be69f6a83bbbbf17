"""Every match of a built query with its score, computed term at a time.

Whoosh's collector is the wrong tool for a search that must count every match and rank
exactly: its block-quality skipping is unsound for compound queries (see
`exhaustive.py`), and without it the collector pays a chain of Python matcher calls per
matching document (about 20 µs each). Here a term's postings are read a block at a time
and scored with the very formula Whoosh would use (BM25F); `Or` sums, `And` intersects
and sums (its later parts read only where the first matched), `AndNot` removes,
`AndMaybe` adds the optional part where the required part matched: the sums Whoosh's
union, intersection, and-not and and-maybe matchers compute, so rankings are unchanged
and totals are exact (tests/query/test_execute.py). Phrases, windows and NEAR compare
position lists; date ranges are flat unions. A query without a rule here (NEAR with a
pattern operand, anything new) runs through its own Whoosh matcher, every match visited.

Whoosh trap avoided: `AndNotMatcher` tests its first document against the excluded side
only when both start on the same document, so NOT can keep a segment's first match.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable

from whoosh import query as wq
from whoosh.query.ranges import NumericRange
from whoosh.query.terms import MultiTerm
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.scoring import BM25FScorer, WeightLengthScorer

from indexer.query.exhaustive import ScoreEveryMatch
from indexer.query.expansion import ExpandedTerms
from indexer.query.postings import field_lengths, position_decoder, posting_blocks, posting_values
from indexer.query.spans import PhraseQuery, SafeSpanNear2, WindowQuery, windows

Scores = dict[int, float]


def score_matches(searcher, query: wq.Query) -> Scores:  # type: ignore[no-untyped-def]
    """Docnum -> score of every live document of `searcher` that matches `query`."""
    scores: Scores = {}
    for leaf, offset in searcher.leaf_searchers():
        part = _scores(leaf, query, None)
        scores.update({docnum + offset: s for docnum, s in part.items()} if offset else part)
    return scores


def _scores(searcher, q: wq.Query, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    """Matches of `q` in one segment; with `within`, only documents among its keys."""
    kind = type(q)
    if within is not None and not within:
        return {}
    if kind is ScoreEveryMatch:
        return _scores(searcher, q.child, within)  # type: ignore[attr-defined]
    if kind is ExpandedTerms:
        return _expanded(searcher, q, within)  # type: ignore[arg-type]
    if kind is wq.Term:
        return _term(searcher, q, within)  # type: ignore[arg-type]
    if kind is PhraseQuery or kind is WindowQuery:
        return _positional(searcher, q, within)  # type: ignore[arg-type]
    if kind is SafeSpanNear2 and len(q.qs) == 2 and all(type(o) in (wq.Term, PhraseQuery) for o in q.qs):  # type: ignore[attr-defined]
        return _near(searcher, q, within)  # type: ignore[arg-type]
    if isinstance(q, NumericRange):  # and DateRange: an OR of trie terms, scored flat
        return _scores(searcher, q._compile_query(searcher.reader()), within)
    if kind is ConstantScoreQuery:
        return dict.fromkeys(_ids(searcher, q.child, within), q.score)  # type: ignore[attr-defined]
    if getattr(q, "boost", 1.0) == 1.0:
        if kind is wq.Or and not q.minmatch and not q.scale:  # type: ignore[attr-defined]
            return _union([_scores(searcher, s, within) for s in q.subqueries])  # type: ignore[attr-defined]
        if kind is wq.And:
            return _intersection(searcher, q.subqueries, within)  # type: ignore[attr-defined]
        if kind is wq.AndNot:
            kept = _scores(searcher, q.a, within)  # type: ignore[attr-defined]
            for docnum in _scores(searcher, q.b, kept):  # type: ignore[attr-defined]
                kept.pop(docnum, None)
            return kept
        if kind is wq.AndMaybe:
            required = _scores(searcher, q.a, within)  # type: ignore[attr-defined]
            for docnum, s in _scores(searcher, q.b, required).items():  # type: ignore[attr-defined]
                required[docnum] += s
            return required
    return _every_match(searcher, q, within)


def _expanded(searcher, q: ExpandedTerms, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    """Each document's best expanded term: its BM25F score times the term's weight; or,
    without weights, the field's boost for every document holding any of the terms."""
    if q.weights is None:
        boost = float(getattr(searcher.schema[q.fieldname].format, "field_boost", 1.0))
        return dict.fromkeys(_ids(searcher, wq.Or([wq.Term(q.fieldname, t) for t in q.terms]), within), boost)
    best: Scores = {}
    for text, weight in zip(q.terms, q.weights):
        for docnum, s in _term(searcher, wq.Term(q.fieldname, text), within).items():
            s *= weight
            if best.get(docnum, 0.0) < s:
                best[docnum] = s
    return best


def _term(searcher, q: wq.Term, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    field = q.fieldname
    if field not in searcher.schema:
        return {}
    try:
        btext = searcher.schema[field].to_bytes(q.text)
    except ValueError:
        return {}
    reader = searcher.reader()
    if (field, btext) not in reader:
        return {}
    scorer = searcher.weighting.scorer(searcher, field, btext)
    if not isinstance(scorer, WeightLengthScorer):
        return _every_match(searcher, q, within)
    scores: Scores = {}
    lengths = field_lengths(reader, field)
    if type(scorer) is BM25FScorer and lengths is not None:
        # whoosh.scoring.bm25() inlined, the same operations in the same order (so the
        # same floats), with the segment's field lengths read once: no calls per posting.
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        for ids, weights in posting_blocks(reader, field, btext, within):
            for docnum, tf in zip(ids, weights):
                if within is None or docnum in within:
                    fl = lengths[docnum] if docnum < len(lengths) else None
                    scores[docnum] = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    else:
        score, length = scorer._score, reader.doc_field_length
        for ids, weights in posting_blocks(reader, field, btext, within):
            for docnum, weight in zip(ids, weights):
                if within is None or docnum in within:
                    scores[docnum] = score(weight, length(docnum, field, 1))
    if q.boost != 1.0:
        scores = {docnum: s * q.boost for docnum, s in scores.items()}
    return scores


Key = tuple[str, str]  # (field, word)
Column = tuple[Callable[[bytes], list[int]], dict[int, bytes]]  # position decoder, postings


def _positional(searcher, q: PhraseQuery | WindowQuery, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    """Documents where the words stand as the phrase or window asks, scored as Whoosh's
    span matchers score them: the sum of the words' term scores (`_span_words`)."""
    field = q.fieldname
    keys = [(field, word) for word in q.words]
    read = _read_positions(searcher, keys, within)
    if read is None:
        return {}
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
    return _sum_of_words(searcher, [(field, w) for w in q._span_words()], read, matched)


def _near(searcher, q: SafeSpanNear2, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    """Two words or phrases within `slop` positions (SpanNear2's own test, on integers);
    scored as Whoosh scores it: the sum of both operands' scores."""
    operands = [[(o.fieldname, o.text)] if type(o) is wq.Term else [(o.fieldname, w) for w in o.words] for o in q.qs]
    read = _read_positions(searcher, [k for keys in operands for k in keys], within)
    if read is None:
        return {}
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
    return _sum_of_words(searcher, words, read, matched)


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


def _read_positions(searcher, keys: list[Key], within: Scores | None):  # type: ignore[no-untyped-def]
    """The documents holding every (field, word) of `keys`, and for each key its position
    decoder and encoded postings by document; None when some word is not in the segment.

    The rarest word's postings narrow the candidates for the next; positions are decoded
    only when asked for, as plain integers."""
    reader = searcher.reader()
    btexts = {key: searcher.schema[key[0]].to_bytes(key[1]) for key in dict.fromkeys(keys)}
    if not all((key[0], b) in reader for key, b in btexts.items()):
        return None
    values: dict[Key, dict[int, bytes]] = {}
    candidates: Scores | dict[int, bytes] | None = within
    for key in sorted(btexts, key=lambda k: reader.doc_frequency(k[0], btexts[k])):
        candidates = values[key] = posting_values(reader, key[0], btexts[key], candidates)
        if not candidates:
            return None
    columns = {key: (position_decoder(searcher.schema[key[0]].format), values[key]) for key in btexts}
    return list(candidates), columns, btexts  # type: ignore[arg-type]


def _sum_of_words(searcher, words: list[Key], read, matched: list[int]) -> Scores:  # type: ignore[no-untyped-def]
    """Each matched document's sum of the BM25F scores of `words` (repeats count), from
    the postings already read (weight = frequency x field boost)."""
    _, columns, btexts = read
    reader = searcher.reader()
    scores: Scores = dict.fromkeys(matched, 0.0)
    for field, word in words:
        btext = btexts[(field, word)]
        scorer = searcher.weighting.scorer(searcher, field, btext)
        if not isinstance(scorer, WeightLengthScorer):
            for docnum, s in _every_match(searcher, wq.Term(field, word), scores).items():
                scores[docnum] += s
            continue
        score, word_values = scorer._score, columns[(field, word)][1]
        length, weight_of = reader.doc_field_length, searcher.schema[field].format.decode_weight
        for docnum in matched:
            scores[docnum] += score(weight_of(word_values[docnum]), length(docnum, field, 1))
    return scores


def _ids(searcher, q: wq.Query, within: Scores | None) -> set[int]:  # type: ignore[no-untyped-def]
    """The documents matching `q` when its scores do not matter (a constant-score filter)."""
    reader = searcher.reader()
    if type(q) is wq.Or:
        return set().union(*(_ids(searcher, s, within) for s in q.subqueries))  # type: ignore[attr-defined]
    if type(q) is wq.Term or isinstance(q, MultiTerm):
        field = q.field()
        if isinstance(q, MultiTerm):
            btexts = list(q._btexts(reader))
        else:
            btexts = [q.text if isinstance(q.text, bytes) else searcher.schema[field].to_bytes(q.text)]  # type: ignore[attr-defined]
        found: set[int] = set()
        for btext in btexts:
            if (field, btext) in reader:
                for ids, _ in posting_blocks(reader, field, btext, within):
                    found.update(ids)
        return found if within is None else found.intersection(within)
    return set(_scores(searcher, q, within))


def _union(parts: list[Scores]) -> Scores:
    parts = sorted((p for p in parts if p), key=len, reverse=True)
    if not parts:
        return {}
    total = dict(parts[0])
    for part in parts[1:]:
        for docnum, s in part.items():
            total[docnum] = total.get(docnum, 0.0) + s
    return total


def _intersection(searcher, queries: list[wq.Query], within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    """The sum of every part's score where all match: the smallest part first, each
    next part looked up only among the documents still in."""
    reader = searcher.reader()
    total = within
    for q in sorted(queries, key=lambda q: q.estimate_size(reader)):
        part = _scores(searcher, q, total)
        if total is within:
            total = part
        else:
            total = {docnum: s + part[docnum] for docnum, s in total.items() if docnum in part}  # type: ignore[union-attr]
        if not total:
            return {}
    return total or {}


def _every_match(searcher, q: wq.Query, within: Scores | None) -> Scores:  # type: ignore[no-untyped-def]
    # Not through a collector: no block-quality skipping, no replace() (see exhaustive.py).
    matcher = q.matcher(searcher, searcher.context())
    scores: Scores = {}
    if within is None:
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
        return scores
    for docnum in sorted(within):
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
            if not matcher.is_active():
                break
        if matcher.id() == docnum:
            scores[docnum] = matcher.score()
    return scores
