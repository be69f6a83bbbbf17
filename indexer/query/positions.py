"""Where words stand: phrases, windows and NEAR over arrays of positions.

Pure functions over one segment's candidate documents. A position is a word's 0-based
index in its field. `Spans` are occurrences, each from a first to a last position,
sorted by document then first position; the document is an index into the caller's
candidate list, so `(doc, position)` pairs pack into one integer key
(`doc * stride + position`, `stride` past every position in play) and a whole segment
is matched with a few sorted-array operations instead of a loop over documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np


class Spans(NamedTuple):
    """Occurrences: the candidate index of each one's document, its first and last
    positions; sorted by document, then first position."""

    docs: np.ndarray  # intp
    first: np.ndarray  # int64
    last: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.docs)


def occurrences(ids: np.ndarray, offsets: np.ndarray, positions: np.ndarray, candidates: np.ndarray) -> Spans:
    """One word's occurrences (from a `TermPositions`: `ids` ascending, the positions of
    `ids[i]` at `positions[offsets[i]:offsets[i + 1]]`); every id is among `candidates`."""
    docs = np.repeat(np.searchsorted(candidates, ids), np.diff(offsets))
    return Spans(docs, positions, positions)


def union(parts: Sequence[Spans]) -> Spans:
    """The occurrences of any of `parts` (the terms a pattern stands for), sorted."""
    if len(parts) == 1:
        return parts[0]
    docs, first, last = (np.concatenate([getattr(p, name) for p in parts]) for name in Spans._fields)
    order = np.lexsort((first, docs))
    return Spans(docs[order], first[order], last[order])


def phrase(words: Sequence[Spans]) -> Spans:
    """Where `words` (one position each) stand one after another: word i at start + i.

    Each word's keys are shifted back by its place in the phrase, so a phrase start is a
    key every word has."""
    k = len(words)
    stride = max((int(w.last.max()) for w in words if len(w)), default=0) + k  # past start + k - 1
    keys = None
    for i, word in enumerate(words):
        shifted = word.docs * stride + (word.first + (k - 1 - i))  # never negative
        keys = shifted if keys is None else np.intersect1d(keys, shifted, assume_unique=True)
        if not len(keys):
            break
    assert keys is not None
    first = keys % stride - (k - 1)
    return Spans(keys // stride, first, first + (k - 1))


def followed(left: Spans, right: Spans, between: int) -> np.ndarray:
    """The candidate indexes (ascending) of documents where an occurrence of `right`
    starts after an occurrence of `left` ends, with at most `between` words between."""
    if not len(left) or not len(right):
        return np.zeros(0, dtype=np.intp)
    top = int(max(left.last.max(), right.first.max()))
    between = min(between, top)  # a gap never exceeds the last position
    stride = top + between + 2  # a document's reach (its keys + between + 1) stays inside it
    ends = left.docs * stride + left.last
    starts = right.docs * stride + right.first  # sorted: by document, then position
    lo = np.searchsorted(starts, ends + 1, side="left")
    hi = np.searchsorted(starts, ends + between + 1, side="right")
    return np.unique(left.docs[hi > lo])


def near(left: Spans, right: Spans, between: int, ordered: bool) -> np.ndarray:
    """The candidate indexes of documents with `left` and `right` apart by at most
    `between` words, not overlapping; `ordered`: `left` first."""
    found = followed(left, right, between)
    return found if ordered else np.union1d(found, followed(right, left, between))


def windows(positions: list[list[int]], counts: list[int], extra: int) -> list[tuple[int, int]]:
    """(first, last) of each shortest window holding `counts[i]` of `positions[i]`
    for every i and at most `extra` other positions; sliding window, one pass."""
    size = sum(counts)
    events = sorted((pos, i) for i, plist in enumerate(positions) for pos in plist)
    have = [0] * len(counts)
    missing = len(counts)
    found = []
    left = 0
    for pos, i in events:
        have[i] += 1
        if have[i] == counts[i]:
            missing -= 1
        while missing == 0:  # shrink from the left while the window stays complete
            lpos, li = events[left]
            if have[li] == counts[li]:  # its first position is needed: the window is shortest
                if pos - lpos + 1 - size <= extra:
                    found.append((lpos, pos))
                missing += 1
            have[li] -= 1
            left += 1
    return sorted(set(found))


def in_window(words: Sequence[Spans], counts: Sequence[int], extra: int, candidates: int) -> np.ndarray:
    """The candidate indexes of documents holding `counts[i]` occurrences of word i for
    every i within a window of at most `extra` other words (`candidates`: how many).

    Two different words once each are a NEAR in either order (two words never share a
    position); anything else goes through `windows`, document by document."""
    if len(words) == 2 and list(counts) == [1, 1]:
        return near(words[0], words[1], extra, ordered=False)
    bounds = [np.searchsorted(w.docs, np.arange(candidates + 1)) for w in words]
    found = [
        doc
        for doc in range(candidates)
        if windows([w.first[b[doc]:b[doc + 1]].tolist() for w, b in zip(words, bounds)], list(counts), extra)
    ]
    return np.array(found, dtype=np.intp)
