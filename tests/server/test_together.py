"""The queries the collocates and distinctive-words tabs link to (`indexer.server.together`):
the page's query with one word more, read by the query language as meant."""

from __future__ import annotations

import pytest

from indexer.query import And, Near, Or, Phrase, Word, parse
from indexer.server.together import together


def test_a_word_is_searched_near_a_one_word_query_within_the_window():
    query = together("القطار", "المحطة", window=5)
    assert query == "القطار NEAR/4 المحطة"  # within 5 words each side: at most 4 between
    node = parse(query)
    assert isinstance(node, Near) and node.distance == 4 and {node.left.text, node.right.text} == {"القطار", "المحطة"}


def test_a_phrase_takes_near_too():
    node = parse(together('"ولي العهد"', "الأمير", window=3))
    assert isinstance(node, Near) and isinstance(node.left, Phrase) and node.left.words == ("ولي", "العهد")


@pytest.mark.parametrize("query", ["النفط OR الغاز", "وزير الخارجية", "النفط -الغاز", "بلينكن NEAR/5 لافروف"])
def test_any_other_query_keeps_its_reading_and_gains_the_word_with_and(query):
    combined = together(query, "الأسعار", window=5)
    assert combined == f"({query}) AND الأسعار"
    node = parse(combined)
    assert isinstance(node, And) and not node.implicit and node.children[-1] == Word("الأسعار", pos=node.children[-1].pos)
    assert node.children[0] == parse(f"({query})") or "-" in query  # the query as it reads alone (a NOT keeps its own place)
    if "OR" in query:  # the OR stays inside: not النفط OR (الغاز AND الأسعار)
        assert isinstance(node.children[0], Or)


def test_a_distinctive_word_is_searched_within_the_query_s_articles():
    assert together("القطار", "محطة") == "(القطار) AND محطة"


def test_an_exact_form_is_searched_as_written():
    node = parse(together("القطار", "جديد", window=2, exact_form=True))
    assert isinstance(node, Near) and node.right == Word("جديد", exact=True, pos=node.right.pos)


@pytest.mark.parametrize("word", ["في", "على", "إلى", "OR", "NOT", " "])
def test_a_stopword_or_an_operator_gets_no_query(word):
    assert together("القطار", word, window=5) is None


@pytest.mark.parametrize(("query", "near"), [("القطار", True), ('"ولي العهد"', True), ("النفط OR الغاز", False)])
def test_a_query_read_exactly_keeps_its_reading_and_the_word_its_stem(query, near):
    # the page runs the link without exact mode: the query carries its own = and the word is searched by stem, as counted
    node = parse(together(query, "المحطة", window=5, exact_query=True))
    assert isinstance(node, Near if near else And)
    leaves = [node.left, node.right] if near else list(node.children)
    word = leaves[-1]
    assert word == Word("المحطة", pos=word.pos)  # not exact: every form of its stem
    read = leaves[0]
    inner = read.children if isinstance(read, Or) else [read]
    assert all(leaf.exact for leaf in inner)
