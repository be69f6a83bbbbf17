"""The planner, checked by the documents Corpus.search finds in a tiny corpus
(tests/query/conftest.py) and by the shape of a few plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.analysis import analyze
from indexer.query import QueryError, build, compile_query, explain, parse
from indexer.query.plan import AnyOf, Near, Pattern, Phrase, Term, Window
from indexer.store.schema import BODY, BODY_EXACT, TITLE_EXACT
from tests.query.conftest import Ids
from tests.query.tables import table


#: The stems the analyzer gives these words (what a plan holds is the analyzer's business).
STEM = {word: analyze(word)[0].stem for word in ("القاهرة", "الخارجية", "بلينكن")}

NEAR_ALL = {"near0", "near2", "near3", "rev2"}
WAZIR = {"phr_stop", "phr_nostop", "pairs_only", "win", "nearphr", "t_phrase"}  # stem وزير

# query, expected ids
CASES = [
    # NEAR / ONEAR: "at most N words between", exactly at the boundary
    ("بلينكن NEAR/0 لافروف", {"near0"}, "near-0"),
    ("بلينكن NEAR/1 لافروف", {"near0"}, "near-1"),
    ("بلينكن NEAR/2 لافروف", {"near0", "near2", "rev2"}, "near-2-either-order"),
    ("بلينكن NEAR/3 لافروف", NEAR_ALL, "near-3"),
    ("بلينكن NEAR لافروف", NEAR_ALL, "near-default"),
    ("بلينكن ONEAR/2 لافروف", {"near0", "near2"}, "onear-2"),
    ("لافروف ONEAR/2 بلينكن", {"rev2"}, "onear-2-reversed"),
    ("بلينكن ONEAR/3 لافروف", {"near0", "near2", "near3"}, "onear-3"),
    ('بلينكن NEAR/1 "وزير الخارجية"', {"nearphr"}, "near-phrase-before"),
    ('بلينكن NEAR/0 "وزير الخارجية"', set(), "near-phrase-too-far"),
    ('"وزير الخارجية" ONEAR/1 بلينكن', {"nearphr"}, "onear-phrase-first"),
    ('بلينكن ONEAR/1 "وزير الخارجية"', set(), "onear-phrase-wrong-order"),
    ("بلي* NEAR/0 لافروف", {"near0"}, "near-wildcard-operand"),
    ("=بلينكن NEAR/2 لافروف", {"near0", "near2", "rev2"}, "near-exact-operand"),
    ("body:بلينكن NEAR/3 لافروف", NEAR_ALL, "near-field"),
    ("title:بلينكن NEAR/3 لافروف", set(), "near-other-field"),
    # phrases: stopwords keep their position; pairs only narrow
    ('"الوزير في القاهرة"', {"phr_stop"}, "phrase-with-stopword"),
    ('"الوزير القاهرة"', {"phr_nostop"}, "phrase-stopword-not-skipped"),
    ('"وزير الخارجية"', {"win", "nearphr", "t_phrase"}, "phrase-title-or-body"),
    ('title:"وزير الخارجية"', {"t_phrase"}, "phrase-title"),
    ('="الوزير في القاهرة"', {"phr_stop"}, "phrase-exact"),
    # "..."~N: any order, at most N other words in the window
    ('"وزير القاهرة"~2', {"win", "phr_stop", "phr_nostop", "t_phrase"}, "window-2-any-order"),
    ('"وزير القاهرة"~1', {"phr_stop", "phr_nostop"}, "window-1"),
    ('"وزير القاهرة"~0', {"phr_nostop"}, "window-0-adjacent"),
    ('"القاهرة الوزير"~0', {"phr_nostop"}, "window-0-reversed"),
    ('"في في"~2', {"pairs_only"}, "window-repeated-word"),
    # words, stopwords, modes
    ("الوزير في", WAZIR, "stopword-dropped"),
    ("في", {"phr_stop", "phr_nostop", "pairs_only"}, "only-stopwords-kept"),
    ("=الوزير", {"phr_stop", "phr_nostop", "pairs_only"}, "exact-word"),
    ("الـCNN", {"cnn"}, "multi-token-word-is-a-phrase"),
    ("بلينكن لافروف", NEAR_ALL, "mode-all"),
    # fields and groups
    ("title:(النفط OR الغاز)", {"title_oil"}, "title-group"),
    ("body:(النفط OR الغاز)", {"body_oil", "body_gas"}, "body-group"),
    ("عنوان:النفط", {"title_oil"}, "arabic-field"),
    ("(النفط OR الغاز) -title:تقرير", {"title_oil"}, "not-field"),
    ("النفط ليس الغاز", {"title_oil"}, "arabic-not"),
    ("source:BBC", {"src"}, "source-lowercased"),
    ("مصدر:bbc", {"src"}, "source-arabic"),
    ("url:http://x.com/a?b=1", {"src"}, "url-literal"),
    ("url:http://x.com/*", {"src"}, "url-prefix"),
    ("id:near2", {"near2"}, "id"),
    # dates: inclusive bounds
    ("date:[2015-07-21 TO 2015-07-31]", {"d21", "d31"}, "date-range-inclusive"),
    ("date:2015-07", {"d20", "d21", "d31"}, "date-month"),
    ("date:2015-07-31", {"d31"}, "date-day-to-last-microsecond"),
    ("date:>2015-07-31", {"d0801"}, "date-after"),
    ("date:>=2015-07-31", {"d31", "d0801"}, "date-from"),
    ("date:<2015-07-21", {"d20"}, "date-before"),
    ("date:<=2015-07-21", {"d20", "d21"}, "date-until"),
    ("خبر date:2015-08", {"d0801"}, "date-filter-with-word"),
    # wildcards and fuzzy (exact forms, folded)
    ("أسعا?", {"title_oil", "body_oil"}, "wildcard-folded-hamza"),
    ("أ\u064eسعا*", {"title_oil", "body_oil"}, "prefix-diacritic-dropped"),
    ("*غاز", {"body_oil", "body_gas"}, "leading-wildcard"),
    ("بلينكن~", NEAR_ALL | {"nearphr", "fz"}, "fuzzy-finds-variant"),
    ("بلينكين~1", NEAR_ALL | {"nearphr", "fz"}, "fuzzy-1"),
]


@pytest.mark.parametrize(("query", "expected"), **table(CASES))
def test_results(ids: Ids, query: str, expected: set[str]) -> None:
    assert ids(query) == expected


def test_results_are_the_same_with_a_limit(ids: Ids) -> None:
    assert ids('"وزير القاهرة"~2', limit=2) <= {"win", "phr_stop", "phr_nostop", "t_phrase"}
    assert len(ids('"وزير القاهرة"~2', limit=2)) == 2


def test_mode_any(ids: Ids) -> None:
    assert ids("بلينكن لافروف", mode="any") == NEAR_ALL | {"nearphr"}
    assert ids("بلينكن +لافروف", mode="any") == NEAR_ALL


def test_exact_mode(ids: Ids) -> None:
    assert ids("وزير") == WAZIR
    assert ids("وزير", exact=True) == {"win", "nearphr", "t_phrase"}


def test_negative_only_is_an_error() -> None:
    for text in ("NOT نفط", "-نفط", "ليس نفط", "نفط OR -غاز"):
        with pytest.raises(QueryError, match="a query needs at least one positive term"):
            build(parse(text))


def test_nothing_left_is_an_error() -> None:
    with pytest.raises(QueryError, match="nothing left to search for") as info:
        build(parse("\u064b"))
    assert "has no letters" in str(info.value)


def test_dropped_words_are_noted() -> None:
    compiled = compile_query(parse("الوزير في \u064b"))
    assert compiled.notes == ("'في' is a stopword: ignored", "'\u064b' has no letters: ignored")
    assert explain(parse("نفط"), notes=compiled.notes).endswith("has no letters: ignored]")


def test_wildcard_cap(reader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError) as info:
        build(parse("نفط ال*"), reader=reader, expansion_limit=3)
    assert str(info.value) == "pattern 'ال*' matches more than 3 terms at position 4 (make it longer)"
    build(parse("الغا*"), reader=reader, expansion_limit=3)  # few terms: fine


def test_fuzzy_cap(reader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match=r"fuzzy term 'بلينكن' matches more than 0 terms .*use ~1"):
        build(parse("بلينكن~"), reader=reader, expansion_limit=0)


def test_patterns_inside_near_are_capped_too(reader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QueryError, match=r"pattern 'ال\*' matches more than 3 terms at position 0"):
        build(parse("ال* NEAR/2 القاهرة"), reader=reader, expansion_limit=3)


def test_pattern_without_letters_after_folding() -> None:
    # Tatweel is a letter to str.isalpha (so the parser keeps it) but folds to nothing.
    compiled = compile_query(parse("نفط \u0640*"))
    assert "'\u0640*' has no letters: ignored" in compiled.notes


def test_phrase_plan() -> None:
    assert build(parse('body:"الوزير في القاهرة"')) == Phrase(BODY, ("وزير", "في", STEM["القاهرة"]))


def test_window_plan() -> None:
    assert build(parse('body:"وزير القاهرة"~3')) == Window(BODY, ("وزير", STEM["القاهرة"]), 3)


def test_patterns_are_planned_on_exact_fields_and_expanded_with_a_reader(reader) -> None:  # type: ignore[no-untyped-def]
    unexpanded = build(parse("أسعا?"))
    assert unexpanded == AnyOf(tuple(Pattern(f, "wildcard", "اسعا?", 0, "أسعا?", 0) for f in (TITLE_EXACT, BODY_EXACT)))
    expanded = build(parse("أسعا?"), reader=reader)
    assert [(e.field, e.terms, e.weights) for e in expanded.parts] == [(TITLE_EXACT, ("اسعار",), None), (BODY_EXACT, ("اسعار",), None)]
    fuzzy = build(parse("body:بلينكن~1"), reader=reader)
    assert (fuzzy.field, set(zip(fuzzy.terms, fuzzy.weights))) == (BODY_EXACT, {("بلينكن", 1.0), ("بلينكين", 0.5)})


def test_unordered_near_with_a_phrase_is_both_orders() -> None:
    word, phrase = Term(BODY, STEM["بلينكن"]), Phrase(BODY, ("وزير", STEM["الخارجية"]))
    assert build(parse('body:بلينكن NEAR/1 "وزير الخارجية"')) == AnyOf((Near(word, phrase, 1, True), Near(phrase, word, 1, True)))
    assert build(parse("body:بلينكن NEAR/1 لافروف")) == Near(word, Term(BODY, "لافروف"), 1, False)


def test_scores_are_positive(corpus: Corpus) -> None:
    for text in ('"الوزير في القاهرة"', '"وزير القاهرة"~2', "بلينكن NEAR/2 لافروف", "أسعا?", "بلي* NEAR/0 لافروف"):
        hits = corpus.search(text).hits
        assert hits and all(h.score > 0 for h in hits), text


def test_the_top_of_an_and_are_its_best_matches(tmp_path: Path) -> None:
    # Whoosh's block-quality skipping gives the 10 weakest AND matches on this corpus;
    # every match is scored here, so the top 10 are the strongest (index order on ties).
    bodies = (
        ["نفط غاز " + "خبر " * 20] * 118
        + ["نفط غاز " + "خبر " * 5] * 10
        + ["نفط غاز " + "خبر " * 60] * 256
        + ["غاز نفط زيت غاز نفط زيت غاز نفط"] * 20
    )
    corpus = Corpus(tmp_path / "index")
    corpus.add([Article(f"a{i:03d}", "", body, None, "", "", "", str(i)) for i, body in enumerate(bodies)])
    assert [h.id for h in corpus.search("نفط غاز", limit=10)] == [f"a{i:03d}" for i in range(384, 394)]
    corpus.close()


def test_bad_mode() -> None:
    with pytest.raises(ValueError, match="mode must be one of"):
        build(parse("نفط"), mode="some")
