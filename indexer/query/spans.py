"""Positional Whoosh queries: phrase, unordered window, NEAR — and the traps avoided.

Read from whoosh/query/spans.py and whoosh/query/positional.py (2.7.5):

- `SpanNear2` joins sub-spans left to right; for spans a then b,
  `Span.distance_to` is `b.start - a.end` (a before b, unordered also
  `a.start - b.end`) and a pair matches when `mindist <= distance <= slop`.
  Adjacent words have distance 1, so "at most N words between" is
  `slop = N + 1`, `mindist = 1` (overlapping spans have distance 0: rejected).
- Whoosh's `Phrase(words, slop=k)` is `SpanNear2(ordered=True, slop=k)` over the
  *growing* merged span: k bounds each gap, not the window, so it cannot say
  "all words within N extra positions in any order". `WindowQuery` does.
- Unordered `SpanNear2` starts its search for b at `bisect(b.start >=
  a.start - slop)`: a multi-word b (a phrase) that starts earlier but ends
  within reach is never seen. `near_query` builds unordered NEAR with a phrase
  operand as two ordered ones.
- Every `SpanWrappingMatcher` inherits `WrappingMatcher.skip_to_quality`, which
  moves the child past `_find_next`: after a block-quality skip the collector
  would take a document whose spans were never checked. The matchers here
  report no block quality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from whoosh.matching import binary, mcore
from whoosh.query import And, Or, Query, Term
from whoosh.query.spans import Span, SpanNear2, SpanQuery, SpanWrappingMatcher
from whoosh.util import make_binary_tree

from indexer.query.positions import windows


class _SpanMatcher(SpanWrappingMatcher):
    """Documents holding every sub-matcher of `ms`, kept when `_get_spans` finds spans."""

    def __init__(self, ms: list, **params: object) -> None:
        self.ms = ms
        self.params = params
        super().__init__(make_binary_tree(binary.IntersectionMatcher, ms))

    def copy(self) -> _SpanMatcher:
        return type(self)([m.copy() for m in self.ms], **self.params)

    def replace(self, minquality: float = 0) -> mcore.Matcher:
        # The spans are read from the original sub-matchers: never swap them out.
        return self if self.is_active() else mcore.NullMatcher()

    def supports_block_quality(self) -> bool:
        # WrappingMatcher.skip_to_quality would skip past _find_next (unchecked spans).
        return False


class _PhraseMatcher(_SpanMatcher):
    def _get_spans(self) -> list[Span]:
        k = len(self.ms)
        later = [{s.start for s in m.spans()} for m in self.ms[1:]]
        return [
            Span(s.start, s.start + k - 1)
            for s in self.ms[0].spans()
            if all(s.start + i + 1 in positions for i, positions in enumerate(later))
        ]


class _WindowMatcher(_SpanMatcher):
    """Windows holding `counts[i]` occurrences of term i and at most `extra` other words."""

    def _get_spans(self) -> list[Span]:
        positions = [[s.start for s in m.spans()] for m in self.ms]
        counts: list[int] = self.params["counts"]  # type: ignore[assignment]
        extra: int = self.params["extra"]  # type: ignore[assignment]
        return [Span(a, b) for a, b in windows(positions, counts, extra)]


class _SpanQueryBase(SpanQuery):
    """A span query over `words` of one field."""

    matcher_class: type[_SpanMatcher] = _PhraseMatcher

    def __init__(self, fieldname: str, words: Sequence[str]) -> None:
        self.fieldname = fieldname
        self.words = tuple(words)
        self.q = And([Term(fieldname, w) for w in self.words])

    def _key(self) -> tuple:
        return (type(self), self.fieldname, self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SpanQueryBase) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.fieldname!r}, {list(self.words)!r})"

    def field(self) -> str:
        return self.fieldname

    def is_leaf(self) -> bool:
        return False

    def children(self) -> list[Query]:
        return list(self.q.subqueries)

    def apply(self, fn):  # type: ignore[no-untyped-def]
        return self  # the words are the query; transforms leave them alone

    def estimate_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return self.q.estimate_size(ixreader)

    def estimate_min_size(self, ixreader) -> int:  # type: ignore[no-untyped-def]
        return self.q.estimate_min_size(ixreader)

    def _span_words(self) -> tuple[str, ...]:
        return self.words

    def _params(self) -> dict:
        return {}

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        ms = [Term(self.fieldname, w).matcher(searcher, context) for w in self._span_words()]
        if not all(m.is_active() for m in ms):
            return mcore.NullMatcher()
        return self.matcher_class(ms, **self._params())


class PhraseQuery(_SpanQueryBase):
    """`words` adjacent and in order in `fieldname`."""

    matcher_class = _PhraseMatcher


class WindowQuery(_SpanQueryBase):
    """All `words`, in any order, within a window that holds at most `extra` other
    words: a window of `len(words) + extra` positions. A repeated word must occur
    that many times."""

    matcher_class = _WindowMatcher

    def __init__(self, fieldname: str, words: Sequence[str], extra: int) -> None:
        super().__init__(fieldname, words)
        self.extra = extra

    def _key(self) -> tuple:
        return (*super()._key(), self.extra)

    def __repr__(self) -> str:
        return f"WindowQuery({self.fieldname!r}, {list(self.words)!r}, extra={self.extra})"

    def _span_words(self) -> tuple[str, ...]:
        return tuple(Counter(self.words))

    def _params(self) -> dict:
        return {"counts": list(Counter(self.words).values()), "extra": self.extra}


class SafeSpanNear2(SpanNear2):
    """Whoosh's SpanNear2 without block-quality skipping (see the module docstring)."""

    class SpanNear2Matcher(SpanNear2.SpanNear2Matcher):
        def supports_block_quality(self) -> bool:
            # WrappingMatcher.skip_to_quality would skip past _find_next (unchecked spans).
            return False


def near_query(left: Query, right: Query, between: int, ordered: bool, single: bool) -> Query:
    """`left` and `right` with at most `between` words between them.

    `single`: both operands match one position each (words, not phrases).
    """
    slop = between + 1  # SpanNear2: adjacent spans have distance 1
    if ordered or single:
        return SafeSpanNear2([left, right], slop=slop, ordered=ordered, mindist=1)
    # Unordered SpanNear2 misses a multi-position right operand that starts before left.
    return Or(
        [
            SafeSpanNear2([left, right], slop=slop, ordered=True, mindist=1),
            SafeSpanNear2([right, left], slop=slop, ordered=True, mindist=1),
        ]
    )
