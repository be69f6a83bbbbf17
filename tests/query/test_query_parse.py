"""The parser: every construct (Arabic examples), errors with positions, lenient readings."""

from __future__ import annotations

from datetime import datetime

import pytest

from indexer.errors import UsageError
from indexer.query import (
    And,
    DateRange,
    Fuzzy,
    Near,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryError,
    QuerySyntaxError,
    Required,
    Wildcard,
    Word,
    explain,
    parse,
    parse_lenient,
)
from indexer.store.schema import TITLE
from tests.query.tables import table

# query, explain(parse(query))
CONSTRUCTS = [
    ("وزير", "وزير", "word"),
    ("وزير خارجية", "AND(وزير, خارجية)", "juxtaposed-and"),
    ("وزير AND خارجية", "AND(وزير, خارجية)", "explicit-and"),
    ("نفط OR غاز", "OR(نفط, غاز)", "or"),
    ("نفط أو غاز", "OR(نفط, غاز)", "or-arabic-hamza"),
    ("نفط او غاز", "OR(نفط, غاز)", "or-arabic-bare"),
    ("نفط ليس غاز", "AND(نفط, NOT(غاز))", "not-arabic"),
    ("نفط NOT غاز", "AND(نفط, NOT(غاز))", "not"),
    ("نفط -غاز", "AND(نفط, NOT(غاز))", "minus"),
    ("+نفط غاز", "AND(+نفط, غاز)", "plus"),
    ("نفط غاز OR فحم", "OR(AND(نفط, غاز), فحم)", "and-binds-tighter-than-or"),
    ("NOT نفط OR غاز", "OR(NOT(نفط), غاز)", "not-binds-tightest"),
    ("(نفط OR غاز) أسعار", "AND(OR(نفط, غاز), أسعار)", "parentheses"),
    ("NOT NOT نفط", "نفط", "double-negation"),
    ('"وزير الخارجية"', '"وزير الخارجية"', "phrase"),
    ('"وزير الخارجية"~3', '"وزير الخارجية"~3', "phrase-window"),
    ("«وزير الخارجية»", '"وزير الخارجية"', "phrase-guillemets"),
    ("بلينكن NEAR/5 لافروف", "NEAR/5(بلينكن, لافروف)", "near"),
    ("بلينكن NEAR لافروف", "NEAR/10(بلينكن, لافروف)", "near-default-10"),
    ("بلينكن ONEAR/2 لافروف", "ONEAR/2(بلينكن, لافروف)", "onear"),
    ('بلينكن NEAR/3 "وزير الخارجية"', 'NEAR/3(بلينكن, "وزير الخارجية")', "near-phrase"),
    ("أ NEAR/1 ب NEAR/2 ج", "AND(NEAR/1(أ, ب), NEAR/2(ب, ج))", "near-chain"),
    ("عنوان:بلينكن NEAR/2 لافروف", "NEAR/2(title:بلينكن, title:لافروف)", "near-field-shared"),
    ("title:بلينكن", "title:بلينكن", "field-en"),
    ("عنوان:بلينكن", "title:بلينكن", "field-ar-title"),
    ("نص:نفط", "body:نفط", "field-ar-body"),
    ("مصدر:BBC", "source:BBC", "field-ar-source"),
    ('title:"وزير الخارجية"', 'title:"وزير الخارجية"', "field-phrase"),
    ("body:(نفط OR غاز)", "OR(body:نفط, body:غاز)", "field-group"),
    ("title:(نفط body:غاز)", "AND(title:نفط, body:غاز)", "inner-field-wins"),
    (
        'عنوان:"وزير الخارجية" body:(نفط OR غاز)',
        'AND(title:"وزير الخارجية", OR(body:نفط, body:غاز))',
        "brief-example",
    ),
    ("url:http://x.com/a?b=1&c=(2)", "url:http://x.com/a?b=1&c=(2)", "url-literal"),
    ("(url:http://x.com/a) نفط", "AND(url:http://x.com/a, نفط)", "url-in-group"),
    ('source:"Al Jazeera"', 'source:"Al Jazeera"', "source-quoted"),
    ("url:https://aljazeera.net/news/*", "url:https://aljazeera.net/news/*", "url-prefix"),
    ("id:a1:b2", "id:a1:b2", "id-literal"),
    ("title:AND", "title:AND", "field-value-is-not-operator"),
    ("http://x.com", "http://x.com", "bare-url-is-a-word"),
    ("الوزير: قال", "AND(الوزير:, قال)", "colon-before-space-is-text"),
    ("date:2015-07-25", "date:2015-07-25", "date-day"),
    ("تاريخ:2015-07", "date:2015-07", "date-month-ar"),
    ("date:[2015-07-21 TO 2015-07-31]", "date:[2015-07-21 TO 2015-07-31]", "date-range"),
    ("date:>=2015-08-01", "date:>=2015-08-01", "date-ge"),
    ("وز*", "وز*", "prefix"),
    ("و?ير", "و?ير", "wildcard"),
    ("*زير", "*زير", "wildcard-leading"),
    ("بلينكن~", "بلينكن~2", "fuzzy-auto-long"),
    ("نفط~", "نفط~1", "fuzzy-auto-short"),
    ("بلينكن~1", "بلينكن~1", "fuzzy-explicit"),
    ("وزير~0", "=وزير", "fuzzy-zero-is-exact"),
    ("=وزير", "=وزير", "exact"),
    ('="وزير الخارجية"', '="وزير الخارجية"', "exact-phrase"),
    ("=(وزير نفط)", "AND(=وزير, =نفط)", "exact-group"),
    ("الـCNN", "الـCNN", "tatweel-word"),
]


@pytest.mark.parametrize(("query", "expected"), **table(CONSTRUCTS))
def test_construct(query: str, expected: str) -> None:
    assert explain(parse(query)) == expected


def test_nodes_carry_positions_and_kinds() -> None:
    node = parse('عنوان:"وزير الخارجية" -نفط')
    assert node == And(
        (Phrase(("وزير", "الخارجية"), field=TITLE, pos=0), Not(Word("نفط", pos=23), pos=22)),
        implicit=True,
        pos=0,
    )


def test_leaf_node_types() -> None:
    node = parse("وز* و?ير بلينكن~ +نفط")
    assert isinstance(node, And)
    assert node.children == (
        Prefix("وز", pos=0),
        Wildcard("و?ير", pos=4),
        Fuzzy("بلينكن", 2, pos=9),
        Required(Word("نفط", pos=18), pos=17),
    )


def test_near_node() -> None:
    assert parse("بلينكن ONEAR/2 لافروف") == Near(
        Word("بلينكن"), Word("لافروف", pos=15), distance=2, ordered=True, pos=0
    )


def test_explicit_and_is_kept_apart_from_juxtaposition() -> None:
    node = parse("أ ب AND ج")
    assert node == And((Word("أ"), And((Word("ب", pos=2), Word("ج", pos=8)), pos=2)), implicit=True)
    assert explain(node, mode="any") == "OR(أ, AND(ب, ج))"


END_OF_JULY = datetime(2015, 7, 31, 23, 59, 59, 999999)
DATES = [
    ("date:2015-07-25", datetime(2015, 7, 25), datetime(2015, 7, 25, 23, 59, 59, 999999)),
    ("date:2015-02", datetime(2015, 2, 1), datetime(2015, 2, 28, 23, 59, 59, 999999)),
    ("date:2016", datetime(2016, 1, 1), datetime(2016, 12, 31, 23, 59, 59, 999999)),
    ("date:[2015-07-21 TO 2015-07-31]", datetime(2015, 7, 21), END_OF_JULY),
    ("date:[2015-07 إلى 2015-08]", datetime(2015, 7, 1), datetime(2015, 8, 31, 23, 59, 59, 999999)),
    ("date:[* TO 2015]", None, datetime(2015, 12, 31, 23, 59, 59, 999999)),
    ("date:>=2015-08-01", datetime(2015, 8, 1), None),
    ("date:>2015-08", datetime(2015, 9, 1), None),
    ("date:<=2015-08-01", None, datetime(2015, 8, 1, 23, 59, 59, 999999)),
    ("date:<2015-08-01", None, END_OF_JULY),
    ("تاريخ:٢٠١٥-٠٧-٢٥", datetime(2015, 7, 25), datetime(2015, 7, 25, 23, 59, 59, 999999)),
]


@pytest.mark.parametrize(("query", "start", "end"), DATES, ids=[d[0] for d in DATES])
def test_date_bounds(query: str, start: datetime | None, end: datetime | None) -> None:
    node = parse(query)
    assert isinstance(node, DateRange)
    assert (node.start, node.end) == (start, end)


HOW = "use YYYY-MM-DD, YYYY-MM or YYYY"
# query, message, position
ERRORS = [
    ("", "empty query", 0, "empty"),
    ("   ", "empty query", 0, "blank"),
    ('وزير "وزير الخ', "unbalanced quote", 5, "unbalanced-quote"),
    ("(نفط OR غاز", "unbalanced parenthesis", 0, "unbalanced-open-paren"),
    ("نفط) غاز", "unmatched ')'", 3, "stray-close-paren"),
    ("نفط AND", "'AND' needs a term on each side", 4, "and-at-end"),
    ("OR نفط", "'OR' needs a term on each side", 0, "or-at-start"),
    ("نفط أو", "'أو' needs a term on each side", 4, "arabic-or-at-end"),
    ("نفط OR AND غاز", "'OR' needs a term on each side", 4, "two-operators"),
    ("نفط ليس", "'ليس' needs a term after it", 4, "arabic-not-at-end"),
    ("نفط NEAR", "'NEAR' needs a word or phrase on each side", 4, "near-at-end"),
    ("(أ ب) NEAR ج", "'NEAR' needs a word or phrase on each side", 6, "near-group-operand"),
    ("title:أ NEAR body:ب", "'NEAR' needs both sides in the same field (title, body)", 8,
     "near-fields"),
    ("أ NEAR/x ب", "'NEAR/x': NEAR/ needs a number of words, e.g. NEAR/5", 2, "near-bad-number"),
    ("نفط foo:bar", "unknown field 'foo'", 4, "unknown-field"),
    ("title: نفط", "missing value after 'title:'", 0, "field-without-value"),
    ("date:2015-13", "invalid date '2015-13'; " + HOW, 5, "bad-month"),
    ("date:[2015-07-21 TO 2015-02-30]", "invalid date '2015-02-30'; " + HOW, 20, "bad-day"),
    ("date:[2016 TO 2015]", "empty date range: 2016 is after 2015", 5, "reversed-range"),
    ("date:[2015 TO 2016", "unbalanced '[' in date range", 5, "unclosed-range"),
    ("date:(2015)", "date: takes a date, a comparison or a range [A TO B], not a group", 5,
     "date-group"),
    ('""', "empty phrase", 0, "empty-phrase"),
    ("()", "empty parentheses", 0, "empty-group"),
    ("*", "wildcard '*' needs at least one letter", 0, "bare-star"),
    ("نفط~3", "fuzzy distance must be 0, 1 or 2", 3, "fuzzy-too-far"),
    ("وز*~", "a word cannot be both a wildcard and fuzzy", 3, "wildcard-fuzzy"),
    ('"أ ب"~', "'~' after a phrase needs a number of words, e.g. \"a b\"~3", 5, "phrase-tilde"),
    ("نفط - غاز", "'-' must be directly followed by a term", 4, "lone-minus"),
    ("=", "'=' must be directly followed by a term", 0, "lone-equals"),
]


@pytest.mark.parametrize(("query", "message", "position"), **table(ERRORS))
def test_error(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    assert (info.value.message, info.value.position) == (message, position)


def test_error_str_quotes_the_query_from_the_position() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse('title:"وزير الخ')
    assert str(info.value) == 'unbalanced quote at position 6: "وزير الخ'
    assert info.value.caret() == 'title:"وزير الخ\n      ^'


def test_unknown_field_lists_the_known_ones() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse("foo:bar")
    assert str(info.value) == (
        "unknown field 'foo' at position 0: foo:bar "
        "(known fields: title/عنوان, body/نص, source/مصدر, date/تاريخ, url, id)"
    )


def test_syntax_error_is_a_query_error() -> None:
    assert issubclass(QuerySyntaxError, QueryError)
    assert issubclass(QueryError, UsageError) and issubclass(QueryError, ValueError)
    assert QueryError("x").exit_code == 2


# query, explain of the lenient reading, number of problems
LENIENT = [
    ('وزير "وزير الخ', 'AND(وزير, "وزير الخ")', 1, "quote-closes-at-end"),
    ("(نفط OR غاز", "OR(نفط, غاز)", 1, "paren-closes-at-end"),
    ("نفط) غاز", "AND(نفط, غاز)", 1, "stray-paren-ignored"),
    ("نفط AND", "AND(نفط, AND)", 1, "lone-and-is-a-word"),
    ("أو نفط", "AND(أو, نفط)", 1, "lone-arabic-or-is-a-word"),
    ("نفط ليس", "AND(نفط, ليس)", 1, "lone-arabic-not-is-a-word"),
    ("(أ ب) NEAR ج", "AND(أ, ب, NEAR, ج)", 1, "near-without-word-is-a-word"),
    ("title:أ NEAR body:ب", "AND(title:أ, body:ب)", 1, "near-across-fields-is-and"),
    ("أ NEAR/x ب", "NEAR/10(أ, ب)", 1, "near-bad-number-is-10"),
    ("foo:bar نفط", "AND(foo:bar, نفط)", 1, "unknown-field-is-text"),
    ("title: نفط", "نفط", 1, "empty-field-ignored"),
    ("date:2015-13 نفط", "نفط", 1, "bad-date-ignored"),
    ("date:(2015)", "2015", 1, "date-group-without-field"),
    ("نفط~7", "نفط~2", 1, "fuzzy-clamped"),
    ('"أ ب"~ ج', 'AND("أ ب", ج)', 1, "phrase-tilde-ignored"),
    ('"" () * نفط', "نفط", 3, "empties-ignored"),
]


@pytest.mark.parametrize(("query", "expected", "problems"), **table(LENIENT))
def test_lenient_reading(query: str, expected: str, problems: int) -> None:
    node, errors = parse_lenient(query)
    assert explain(node) == expected
    assert len(errors) == problems
    with pytest.raises(QuerySyntaxError):
        parse(query)


def test_lenient_empty() -> None:
    node, errors = parse_lenient("")
    assert node is None and [e.message for e in errors] == ["empty query"]


def test_lenient_nothing_left() -> None:
    node, errors = parse_lenient('"" ()')
    assert node is None and [e.message for e in errors] == ["empty phrase", "empty parentheses"]


def test_deep_nesting_is_bounded() -> None:
    node, errors = parse_lenient("(" * 500 + "نفط" + ")" * 500)
    assert explain(node) == "نفط"
    assert errors


def test_negative_only_query_parses() -> None:
    # The builder rejects it ("a query needs at least one positive term").
    assert parse("NOT نفط") == Not(Word("نفط", pos=4))
    assert parse("ليس نفط OR -غاز") == Or(
        (Not(Word("نفط", pos=4)), Not(Word("غاز", pos=12), pos=11))
    )


def test_explain_mode_any() -> None:
    assert explain(parse("نفط غاز"), mode="any") == "OR(نفط, غاز)"
    assert explain(parse("نفط +غاز"), mode="any") == "OR(نفط, +غاز)"


def test_explain_notes() -> None:
    note = "'\u064b' has no letters: ignored"
    assert explain(parse("نفط"), notes=[note]) == f"نفط  [{note}]"


def test_a_long_query_shows_the_part_around_the_error() -> None:
    from indexer.query.errors import QueryError

    query = "ا" * 700 + "X" + "ب" * 700
    shown, caret = QueryError("bad", 700, query).caret().split("\n")
    assert len(shown) <= 82 and shown.startswith("…") and shown.endswith("…")
    assert shown[len(caret) - 1] == "X"
