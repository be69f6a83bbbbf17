"""The unordered window of `"…"~N`, against a brute-force search over small inputs."""

from __future__ import annotations

from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query.spans import windows


def brute_force(positions: list[list[int]], counts: list[int], extra: int) -> bool:
    size = sum(counts)
    choices = [combinations(sorted(p), c) for p, c in zip(positions, counts)]
    for pick in product(*choices):
        chosen = [pos for group in pick for pos in group]
        if max(chosen) - min(chosen) + 1 - size <= extra:
            return True
    return False


@st.composite
def documents(draw: st.DrawFn) -> tuple[list[list[int]], list[int], int]:
    """Term positions (one term per position, as in an index), counts and N."""
    terms = draw(st.integers(1, 3))
    owner = draw(st.lists(st.integers(-1, terms - 1), min_size=1, max_size=12))
    positions = [[p for p, t in enumerate(owner) if t == i] for i in range(terms)]
    counts = [draw(st.integers(1, 2)) for _ in range(terms)]
    return positions, counts, draw(st.integers(0, 4))


@settings(max_examples=300, deadline=None)
@given(documents())
def test_window_found_exactly_when_one_exists(doc: tuple[list[list[int]], list[int], int]) -> None:
    positions, counts, extra = doc
    found = windows(positions, counts, extra)
    assert bool(found) == brute_force(positions, counts, extra)
    size = sum(counts)
    assert all(last - first + 1 - size <= extra for first, last in found)


def test_examples() -> None:
    # "القاهرة تستضيف اجتماع وزير": وزير at 3, القاهرة at 0 -> 2 other words
    assert windows([[3], [0]], [1, 1], 2) == [(0, 3)]
    assert windows([[3], [0]], [1, 1], 1) == []
    assert windows([[0, 2]], [2], 1) == [(0, 2)]  # a repeated word needs two occurrences
    assert windows([[0]], [2], 5) == []
