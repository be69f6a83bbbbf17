"""Where a query matched inside the selected documents: one occurrence per match.

The plan the engine ran (`indexer.query.plan`) says what each positive part matches;
here each part is found again in the word streams of the selected documents: a word
wherever it stands, a phrase where its words follow one another, a window where they
stand close enough, a NEAR pair (each pair of operand occurrences close enough, in the
order asked). A document's occurrences are those of every positive part (`AllOf`,
`AnyOf`, the optional part of `WithOptional`, each word of an `--any` bag: `Coordinated`
under `Rescored`, whose proximity and lead parts only rescore); excluded parts, dates
and id, source or url values occur nowhere in the text. An occurrence found twice (a
word written twice in the query) counts once.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import numpy as np

from indexer.query.plan import AllOf, AnyOf, Coordinated, Expanded, Near, Phrase, Plan, Rescored, Term, Window, WithOptional, Without
from indexer.query.positions import windows
from indexer.store.schema import BODY, BODY_EXACT, TITLE, TITLE_EXACT
from indexer.views.selection import FIELDS, SegmentSelection

#: The text field (title or body) an index field's words belong to.
TEXT_OF = {TITLE: TITLE, BODY: BODY, TITLE_EXACT: TITLE, BODY_EXACT: BODY}


class Occurrences(NamedTuple):
    """Occurrences in one segment, sorted by document, field (title first), position.
    ``field`` indexes ``FIELDS``; ``first``/``last`` are word positions in that field."""

    doc: np.ndarray  # int64
    field: np.ndarray  # int64
    first: np.ndarray  # int64
    last: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.doc)

    def per_document(self, size: int) -> np.ndarray:
        """How many occurrences each docnum of the segment holds."""
        return np.bincount(self.doc, minlength=size)


_EMPTY = np.zeros(0, dtype=np.int64)


def occurrences(seg: SegmentSelection, plan: Plan) -> Occurrences:
    """Every occurrence of ``plan``'s positive parts in the segment's selected documents."""
    found: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []  # (field, doc, first, last)
    _collect(seg, plan, found)
    if not found:
        return Occurrences(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
    doc = np.concatenate([f[1] for f in found])
    field = np.concatenate([np.full(len(f[1]), f[0], dtype=np.int64) for f in found])
    first = np.concatenate([f[2] for f in found])
    last = np.concatenate([f[3] for f in found])
    keep = seg.selected[doc]
    doc, field, first, last = doc[keep], field[keep], first[keep], last[keep]
    if not len(doc):
        return Occurrences(_EMPTY, _EMPTY, _EMPTY, _EMPTY)
    order = np.lexsort((last, first, field, doc))
    doc, field, first, last = doc[order], field[order], first[order], last[order]
    repeated = np.zeros(len(doc), dtype=bool)  # the same occurrence found twice
    repeated[1:] = (doc[1:] == doc[:-1]) & (field[1:] == field[:-1]) & (first[1:] == first[:-1]) & (last[1:] == last[:-1])
    return Occurrences(doc[~repeated], field[~repeated], first[~repeated], last[~repeated])


def _collect(seg: SegmentSelection, plan: Plan, found: list) -> None:  # type: ignore[type-arg]
    match plan:
        case AllOf(parts) | AnyOf(parts):
            for part in parts:
                _collect(seg, part, found)
        case Without(kept, _):
            _collect(seg, kept, found)
        case WithOptional(required, optional):
            _collect(seg, required, found)
            _collect(seg, optional, found)
        case Coordinated(parts):  # an --any bag of words
            for part in parts:
                _collect(seg, part, found)
        case Rescored(core):  # its extra and telling words only rescore what core matched
            _collect(seg, core, found)
        case Term(name) | Expanded(name) | Phrase(name) | Window(name) if name in TEXT_OF:
            found.append((FIELDS.index(TEXT_OF[name]), *_spans(seg, plan)))
        case Near(left) if left.field in TEXT_OF:
            found.append((FIELDS.index(TEXT_OF[left.field]), *_near(seg, plan)))
        case _:
            pass  # dates, literal values: nothing in the text


Spans = tuple[np.ndarray, np.ndarray, np.ndarray]  # doc, first, last (positions in the field)


def _token_hits(seg: SegmentSelection, name: str, words: tuple[str, ...]) -> np.ndarray:
    """Indexes into the field's token array where any of ``words`` stands, sorted."""
    field_stream = seg.stream(name)
    ids = [i for i in (field_stream.term_id(w) for w in words) if i is not None]
    if not ids:
        return _EMPTY
    if len(ids) == 1:
        return np.flatnonzero(field_stream.tokens == ids[0])
    return np.flatnonzero(np.isin(field_stream.tokens, ids))


def _as_spans(seg: SegmentSelection, name: str, starts_at: np.ndarray, length: int) -> Spans:
    """Token indexes of occurrence starts, as (doc, first, last) positions."""
    field_stream = seg.stream(name)
    doc = field_stream.owners[starts_at].astype(np.int64)
    first = starts_at - field_stream.starts[doc]
    return doc, first, first + (length - 1)


def _spans(seg: SegmentSelection, plan: Term | Expanded | Phrase | Window) -> Spans:
    match plan:
        case Term(name, text):
            return _as_spans(seg, name, _token_hits(seg, name, (text,)), 1)
        case Expanded(name, terms):
            return _as_spans(seg, name, _token_hits(seg, name, tuple(terms)), 1)
        case Phrase(name, words):
            return _phrase(seg, name, words)
        case Window(name, words, extra):
            return _window(seg, name, words, extra)
    raise TypeError(f"not a text operator: {plan!r}")


def _phrase(seg: SegmentSelection, name: str, words: tuple[str, ...]) -> Spans:
    """Where the words follow one another inside one document."""
    field_stream = seg.stream(name)
    ids = [field_stream.term_id(w) for w in words]
    if any(i is None for i in ids):
        return _EMPTY, _EMPTY, _EMPTY
    tokens, owner = field_stream.tokens, field_stream.owners
    at = np.flatnonzero(tokens == ids[0])
    at = at[seg.selected[owner[at]]]
    for k, term_id in enumerate(ids[1:], start=1):
        at = at[at + k < len(tokens)]
        at = at[(tokens[at + k] == term_id) & (owner[at + k] == owner[at])]
    return _as_spans(seg, name, at, len(ids))


def _window(seg: SegmentSelection, name: str, words: tuple[str, ...], extra: int) -> Spans:
    """Each shortest window holding every word (a repeated word as often as repeated)
    with at most ``extra`` other words (`positions.windows`), document by document."""
    counts = Counter(words)
    wanted = list(counts)
    hits = [_as_spans(seg, name, _token_hits(seg, name, (w,)), 1) for w in wanted]
    holding = set.intersection(*(set(h[0][seg.selected[h[0]]].tolist()) for h in hits))
    docs, firsts, lasts = [], [], []
    for doc in sorted(holding):
        positions = [h[1][h[0] == doc].tolist() for h in hits]
        for first, last in windows(positions, [counts[w] for w in wanted], extra):
            docs.append(doc)
            firsts.append(first)
            lasts.append(last)
    return np.array(docs, dtype=np.int64), np.array(firsts, dtype=np.int64), np.array(lasts, dtype=np.int64)


def _operand(seg: SegmentSelection, operand) -> Spans:  # type: ignore[no-untyped-def]
    doc, first, last = _spans(seg, operand)
    keep = seg.selected[doc]
    order = np.lexsort((first[keep], doc[keep]))
    return doc[keep][order], first[keep][order], last[keep][order]


def _near(seg: SegmentSelection, plan: Near) -> Spans:
    """Each pair of a left and a right occurrence with at most ``between`` words between
    them, not overlapping (left first when ordered), as one occurrence from the pair's
    first to its last word."""
    left, right = _operand(seg, plan.left), _operand(seg, plan.right)
    pairs = [_followed(left, right, plan.between)]
    if not plan.ordered:
        pairs.append(_followed(right, left, plan.between))  # (doc, right first, left last)
    doc = np.concatenate([p[0] for p in pairs])
    first = np.concatenate([p[1] for p in pairs])
    last = np.concatenate([p[2] for p in pairs])
    return doc, first, last


def _followed(left: Spans, right: Spans, between: int) -> Spans:
    """Pairs where a ``right`` occurrence starts 1 to ``between`` + 1 words after a
    ``left`` one ends, in the same document: (doc, left first, right last)."""
    if not len(left[0]) or not len(right[0]):
        return _EMPTY, _EMPTY, _EMPTY
    stride = int(max(left[2].max(), right[1].max())) + between + 2
    ends = left[0] * stride + left[2]
    starts = right[0] * stride + right[1]  # sorted by document, then position
    lo = np.searchsorted(starts, ends + 1, side="left")
    hi = np.searchsorted(starts, ends + between + 1, side="right")
    which = np.repeat(np.arange(len(ends)), hi - lo)
    partner = np.arange(int((hi - lo).sum())) - np.repeat(np.cumsum(hi - lo) - (hi - lo), hi - lo) + np.repeat(lo, hi - lo)
    return left[0][which], left[1][which], right[2][partner]
