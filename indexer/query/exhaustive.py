"""A wrapper that makes Whoosh score every match instead of skipping blocks.

Whoosh 2.7's block-quality skipping (on by default in `Searcher.search`) is
unsound for compound queries: `IntersectionMatcher.skip_to_quality` skips a
block of one term as soon as that term's block quality plus the *other* term's
*current* block quality is below the threshold, and `UnionMatcher` skips when
the larger of the two qualities is below it, ignoring that the scores add up.
Both can skip documents that belong in the top N (an AND query was seen to
return the 10 weakest matches instead of the 10 best). Every query the builder
returns is wrapped in `ScoreEveryMatch`, whose matcher reports no block
quality and never replaces itself with a "more efficient" matcher for the current
minimum score, so the collector visits every match; counts become exact too.
"""

from __future__ import annotations

from whoosh.matching import WrappingMatcher, mcore
from whoosh.query.wrappers import WrappingQuery


class _NoBlockQuality(WrappingMatcher):
    def supports_block_quality(self) -> bool:
        return False  # the collector then never calls the unsound skip_to_quality

    def replace(self, minquality=0):  # type: ignore[no-untyped-def]
        # The collector also calls replace(minscore) as its top N fills; Whoosh's matchers
        # then drop sub-matchers whose max quality is below it (an OR lost its title
        # term), so matches go uncounted. Replace for correctness only, never for speed.
        replaced = self.child.replace(0)
        return self if replaced is self.child else self._replacement(replaced)


class ScoreEveryMatch(WrappingQuery):
    """`child`, matched without Whoosh's block-quality skipping."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.child == other.child  # type: ignore[attr-defined]

    __hash__ = WrappingQuery.__hash__

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        m = self.child.matcher(searcher, context)
        if not m.is_active():
            return mcore.NullMatcher()
        return _NoBlockQuality(m)
