"""highlight_terms: what snippets should mark, in index forms, following the builder's rules."""

from __future__ import annotations

from indexer.query import (
    FuzzyMark,
    Highlights,
    NearMark,
    PhraseMark,
    TermMark,
    highlight_terms,
    parse,
)
from indexer.analysis import analyze
from indexer.store.schema import TITLE


#: The stems the analyzer gives these words (what a plan holds is the analyzer's business).
STEM = {word: analyze(word)[0].stem for word in ("القاهرة", "الخارجية", "بلينكن")}


def marks(text: str, exact: bool = False) -> Highlights:
    return highlight_terms(parse(text), exact)


def test_words_give_stems_or_exact_forms() -> None:
    assert marks("الوزير =القاهرة").pairs() == {("stem", "وزير"), ("exact", "القاهره")}
    assert marks("الوزير", exact=True).pairs() == {("exact", "الوزير")}


def test_negated_dropped_and_filter_terms_mark_nothing() -> None:
    h = marks("الوزير في -النفط date:2015 source:bbc")
    assert h.pairs() == {("stem", "وزير")}


def test_only_stopwords_are_marked_when_kept() -> None:
    assert marks("في").pairs() == {("stem", "في")}


def test_phrase_is_an_ordered_list_with_its_stopwords() -> None:
    assert marks('title:"الوزير في القاهرة"').phrases == (
        PhraseMark("stem", ("وزير", "في", STEM["القاهرة"]), None, TITLE),
    )
    assert marks('"وزير القاهرة"~3').phrases == (PhraseMark("stem", ("وزير", STEM["القاهرة"]), 3),)
    assert marks("الـCNN").phrases == (PhraseMark("stem", ("ال", "cnn")),)


def test_patterns_and_fuzzy_are_folded() -> None:
    h = marks("أ\u064eسعا* و?ير بلينكن~")
    assert [p.regex.fullmatch("اسعار") is not None for p in h.patterns] == [True, False]
    assert [p.regex.fullmatch("وزير") is not None for p in h.patterns] == [False, True]
    assert h.fuzzy == (FuzzyMark("بلينكن", 2),)


def test_near_keeps_both_operands() -> None:
    assert marks('بلينكن ONEAR/2 "وزير الخارجية"').nears == (
        NearMark(TermMark("stem", STEM["بلينكن"]), PhraseMark("stem", ("وزير", STEM["الخارجية"])), 2, True),
    )
