"""Phrases, NEAR and windows over position arrays (indexer.query.positions), against a
brute-force search over small random documents."""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query import positions
from indexer.query.positions import Spans, windows

Doc = list[int]  # the word (0..words-1, or -1 for another) at each position


@st.composite
def documents(draw: st.DrawFn, words: int = 3) -> list[Doc]:
    """A few documents of up to 14 positions, one word per position as in an index."""
    return draw(st.lists(st.lists(st.integers(-1, words - 1), max_size=14), min_size=1, max_size=5))


def spans_of(docs: list[Doc], word: int) -> Spans:
    pairs = [(d, p) for d, doc in enumerate(docs) for p, w in enumerate(doc) if w == word]
    doc_ids = np.array([d for d, _ in pairs], dtype=np.intp)
    first = np.array([p for _, p in pairs], dtype=np.int64)
    return Spans(doc_ids, first, first)


def phrase_starts(doc: Doc, words: list[int]) -> list[int]:
    return [s for s in range(len(doc) - len(words) + 1) if doc[s:s + len(words)] == words]


@settings(max_examples=300, deadline=None)
@given(documents(), st.lists(st.integers(0, 2), min_size=2, max_size=3))
def test_phrase_is_every_run_of_the_words(docs: list[Doc], words: list[int]) -> None:
    found = positions.phrase([spans_of(docs, w) for w in words])
    expected = [(d, s) for d, doc in enumerate(docs) for s in phrase_starts(doc, words)]
    assert list(zip(found.docs.tolist(), found.first.tolist())) == expected
    assert (found.last - found.first == len(words) - 1).all()


def near_docs(docs: list[Doc], left: list[int], right: list[int], between: int, ordered: bool) -> list[int]:
    """Documents where phrase `left` and phrase `right` stand apart by at most `between`
    words, not overlapping."""
    out = []
    for d, doc in enumerate(docs):
        a = [(s, s + len(left) - 1) for s in phrase_starts(doc, left)]
        b = [(s, s + len(right) - 1) for s in phrase_starts(doc, right)]
        if any(
            0 <= b0 - a1 - 1 <= between or (not ordered and 0 <= a0 - b1 - 1 <= between)
            for (a0, a1), (b0, b1) in product(a, b)
        ):
            out.append(d)
    return out


def operand(docs: list[Doc], words: list[int]) -> Spans:
    word_spans = [spans_of(docs, w) for w in words]
    return word_spans[0] if len(words) == 1 else positions.phrase(word_spans)


@settings(max_examples=400, deadline=None)
@given(
    documents(),
    st.lists(st.integers(0, 2), min_size=1, max_size=2),
    st.lists(st.integers(0, 2), min_size=1, max_size=2),
    st.integers(0, 5),
    st.booleans(),
)
def test_near_is_every_document_with_a_close_pair(
    docs: list[Doc], left: list[int], right: list[int], between: int, ordered: bool
) -> None:
    found = positions.near(operand(docs, left), operand(docs, right), between, ordered)
    assert found.tolist() == near_docs(docs, left, right, between, ordered)


@settings(max_examples=200, deadline=None)
@given(documents(words=4), st.integers(0, 5))
def test_a_union_of_words_is_near_as_any_of_them_is(docs: list[Doc], between: int) -> None:
    # A pattern operand: the terms it stands for, any one of them at a position.
    variants = positions.union([spans_of(docs, 0), spans_of(docs, 1)])
    found = positions.near(variants, spans_of(docs, 2), between, ordered=False)
    either = set(near_docs(docs, [0], [2], between, False)) | set(near_docs(docs, [1], [2], between, False))
    assert found.tolist() == sorted(either)


def brute_force(positions_: list[list[int]], counts: list[int], extra: int) -> bool:
    size = sum(counts)
    choices = [combinations(sorted(p), c) for p, c in zip(positions_, counts)]
    for pick in product(*choices):
        chosen = [pos for group in pick for pos in group]
        if max(chosen) - min(chosen) + 1 - size <= extra:
            return True
    return False


@st.composite
def window_documents(draw: st.DrawFn) -> tuple[list[list[int]], list[int], int]:
    """Term positions (one term per position, as in an index), counts and N."""
    terms = draw(st.integers(1, 3))
    owner = draw(st.lists(st.integers(-1, terms - 1), min_size=1, max_size=12))
    positions_ = [[p for p, t in enumerate(owner) if t == i] for i in range(terms)]
    counts = [draw(st.integers(1, 2)) for _ in range(terms)]
    return positions_, counts, draw(st.integers(0, 4))


@settings(max_examples=300, deadline=None)
@given(window_documents())
def test_window_found_exactly_when_one_exists(doc: tuple[list[list[int]], list[int], int]) -> None:
    positions_, counts, extra = doc
    found = windows(positions_, counts, extra)
    assert bool(found) == brute_force(positions_, counts, extra)
    size = sum(counts)
    assert all(last - first + 1 - size <= extra for first, last in found)
    # each window is shortest: none holds another (the views count them as occurrences)
    assert not any(a != b and a[0] <= b[0] and b[1] <= a[1] for a in found for b in found)


@settings(max_examples=300, deadline=None)
@given(documents(), st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True), st.data())
def test_in_window_is_every_document_with_a_window(docs: list[Doc], words: list[int], data: st.DataObject) -> None:
    counts = [data.draw(st.integers(1, 2)) for _ in words]
    extra = data.draw(st.integers(0, 4))
    found = positions.in_window([spans_of(docs, w) for w in words], counts, extra, len(docs))
    expected = [
        d for d, doc in enumerate(docs)
        if all(doc.count(w) >= c for w, c in zip(words, counts))
        and brute_force([[p for p, x in enumerate(doc) if x == w] for w in words], counts, extra)
    ]
    assert found.tolist() == expected


def test_examples() -> None:
    # "القاهرة تستضيف اجتماع وزير": وزير at 3, القاهرة at 0 -> 2 other words
    assert windows([[3], [0]], [1, 1], 2) == [(0, 3)]
    assert windows([[3], [0]], [1, 1], 1) == []
    assert windows([[0, 2]], [2], 1) == [(0, 2)]  # a repeated word needs two occurrences
    assert windows([[0]], [2], 5) == []
