"""The light stemmer on the conflation table, and its documented rules."""

from __future__ import annotations

import pytest

from indexer.analysis import fold, stem
from tests.analysis.conflation import CONFLATE, SEPARATE


def stem_of(word: str) -> str:
    return stem(fold(word))


@pytest.mark.parametrize("group", CONFLATE, ids=[g[0] for g in CONFLATE])
def test_group_shares_one_stem(group: tuple[str, ...]) -> None:
    assert len({stem_of(w) for w in group}) == 1, {w: stem_of(w) for w in group}


@pytest.mark.parametrize("pair", SEPARATE, ids=[f"{a}-{b}" for a, b in SEPARATE])
def test_pair_keeps_apart(pair: tuple[str, str]) -> None:
    a, b = pair
    assert stem_of(a) != stem_of(b)


RULES = [
    ("conjunction-with-attested-rest", "وقال", "قال"),
    ("root-waw-kept", "وزير", "وزير"),
    ("root-waw-kept-before-suffix", "وزارة", "وزار"),
    ("rare-word-falls-back-to-rest-stem", "فقال", "قال"),
    ("article-removed", "الاقتصاد", "اقتصاد"),
    ("article-kept-when-rest-is-stopword", "الله", "الل"),
    ("lam-lam-article", "للمعلمين", "معلم"),
    ("preposition-with-attested-rest", "لوزير", "وزير"),
    ("preposition-letter-of-word-kept", "بيان", "بيان"),
    ("suffix-needs-three-letters-left", "بيانات", "بيان"),
    ("latin-untouched", "google", "google"),
    ("digits-untouched", "2015", "2015"),
]


@pytest.mark.parametrize(("word", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_rules(word: str, expected: str) -> None:
    assert stem_of(word) == expected
