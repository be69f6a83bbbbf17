"""Invariants over arbitrary text: the lenient parser never raises, the strict one
raises only QuerySyntaxError, and whatever parses can be explained and built."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.query import QueryError, QuerySyntaxError, compile_query, explain, parse, parse_lenient

PIECES = [
    " ", " ", " ", '"', "«", "»", "(", ")", "+", "-", "=", "*", "?", "~", "~2", ":", "[", "]",
    "<", ">=", "/", "AND", "OR", "NOT", "NEAR", "NEAR/3", "ONEAR/0", "NEAR/x", "أو", "او", "ليس",
    "title:", "عنوان:", "body:", "source:", "url:", "id:", "date:", "تاريخ:", "foo:", "http://",
    "2015", "2015-07", "2015-07-25", " TO ", "وزير", "الخارجية", "في", "بلينكن", "الـCNN",
    "\u064b", "\u0640", "a", "1",
]
query_like = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
any_text = st.one_of(st.text(max_size=40), query_like)


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_lenient_never_raises(text: str) -> None:
    node, errors = parse_lenient(text)
    assert all(isinstance(e, QuerySyntaxError) for e in errors)
    assert node is not None or errors
    assert all(0 <= e.position <= len(text) for e in errors)
    assert all(str(e) and e.caret() for e in errors)
    explain(node)
    explain(node, mode="any")


@settings(max_examples=400, deadline=None)
@given(any_text)
def test_strict_returns_a_node_or_raises_a_syntax_error(text: str) -> None:
    node, errors = parse_lenient(text)
    try:
        strict = parse(text)
    except QuerySyntaxError as e:
        assert errors and e.message == errors[0].message
    else:
        assert not errors and strict == node


@settings(max_examples=200, deadline=None)
@given(query_like)
def test_whatever_parses_builds_or_says_why(text: str) -> None:
    node, _ = parse_lenient(text)
    if node is None:
        return
    for mode in ("all", "any"):
        try:
            compile_query(node, mode=mode)
        except QueryError as e:
            assert e.message
