"""Field mapping: common names, overrides, --field parsing, ids, values that are not strings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.sources import Article, Notice, Skip, SourceError, parse_field_overrides
from indexer.sources.fields import FieldMap, record_to_article, to_text


def convert(record: Any, overrides: dict[str, str] | None = None) -> list[Article | Skip | Notice]:
    return list(record_to_article(record, FieldMap(overrides), "f.jsonl:3", "corpus/f.jsonl#3"))


def one_article(record: Any, overrides: dict[str, str] | None = None) -> Article:
    items = convert(record, overrides)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


COMMON = [
    ("id", {"id": "a1", "body": "x"}, "id", "a1"),
    ("_id", {"_id": "a1", "body": "x"}, "id", "a1"),
    ("guid", {"guid": "a1", "body": "x"}, "id", "a1"),
    ("title", {"title": "T"}, "title", "T"),
    ("headline", {"headline": "T"}, "title", "T"),
    ("body", {"body": "B"}, "body", "B"),
    ("text", {"text": "B"}, "body", "B"),
    ("content-saudinewsnet", {"content": "B"}, "body", "B"),
    ("article", {"article": "B"}, "body", "B"),
    ("published", {"published": "2015-07-21", "body": "x"}, "date_raw", "2015-07-21"),
    ("datetime", {"datetime": "2015-07-21", "body": "x"}, "date_raw", "2015-07-21"),
    ("pubDate-rss", {"pubDate": "2015-07-21", "body": "x"}, "date_raw", "2015-07-21"),
    ("date_extracted", {"date_extracted": "2015-07-21", "body": "x"}, "date_raw", "2015-07-21"),
    ("site", {"site": "sabq", "body": "x"}, "source", "sabq"),
    ("publisher", {"publisher": "sabq", "body": "x"}, "source", "sabq"),
    ("link", {"link": "http://a/b", "body": "x"}, "url", "http://a/b"),
    ("upper-case-keys", {"TITLE": "T", "Body": "B"}, "body", "B"),
    ("mixed-case-id", {"ID": "X9", "body": "B"}, "id", "X9"),
]


@pytest.mark.parametrize(
    ("record", "field", "expected"), [c[1:] for c in COMMON], ids=[c[0] for c in COMMON]
)
def test_common_names(record: dict[str, Any], field: str, expected: str) -> None:
    assert getattr(one_article(record), field) == expected


def test_first_non_empty_name_wins() -> None:
    article = one_article({"body": "", "text": "from text", "content": "from content"})
    assert article.body == "from text"


def test_override_wins_and_replaces_common_names() -> None:
    record = {"body": "common body", "text_ar": "النص", "title": "T"}
    assert one_article(record, {"body": "text_ar"}).body == "النص"
    # body mapped to a missing key: the common name "body" is not used as a fallback
    assert one_article(record, {"body": "missing"}).body == ""


def test_override_key_matched_case_insensitively() -> None:
    assert one_article({"Story": "B"}, {"body": "story"}).body == "B"


def test_missing_id_gets_file_id_and_record_number() -> None:
    assert one_article({"title": "T"}).id == "corpus/f.jsonl#3"
    assert one_article({"title": "T", "id": "  "}).id == "corpus/f.jsonl#3"


NON_STRINGS = [
    ("int-id", {"id": 123, "title": "T"}, "id", "123"),
    ("float-int-id", {"id": 123.0, "title": "T"}, "id", "123"),
    ("bool", {"id": True, "title": "T"}, "id", "true"),
    ("list-body", {"body": ["para 1", "para 2"]}, "body", "para 1\npara 2"),
    ("list-title", {"title": ["a", "b"]}, "title", "a b"),
    ("nested-body", {"body": {"ar": "نص", "n": 2}}, "body", "نص\n2"),
    ("null-title", {"title": None, "body": "B"}, "title", ""),
    ("epoch-date", {"date": 1437614897, "body": "B"}, "date", datetime(2015, 7, 23, 1, 28, 17)),
]


@pytest.mark.parametrize(
    ("record", "field", "expected"),
    [c[1:] for c in NON_STRINGS],
    ids=[c[0] for c in NON_STRINGS],
)
def test_values_that_are_not_strings(record: dict[str, Any], field: str, expected: Any) -> None:
    assert getattr(one_article(record), field) == expected


def test_title_and_body_kept_exactly() -> None:
    record = {"title": " T\u00a0", "body": "\u00a0\u00a0B\r\n \u200f"}
    article = one_article(record)
    assert (article.title, article.body) == (" T\u00a0", "\u00a0\u00a0B\r\n \u200f")


def test_identifiers_are_trimmed() -> None:
    article = one_article({"id": " a ", "url": " http://x ", "source": " s ", "body": "B"})
    assert (article.id, article.url, article.source) == ("a", "http://x", "s")


@pytest.mark.parametrize(
    ("record", "reason_part"),
    [
        ({"title": "", "body": " "}, "no title or body (both empty)"),
        ({"id": "1", "summary": "x"}, "no title or body (keys: id, summary; map one with fields={'body': 'KEY'})"),
        ({}, "no title or body (keys: none"),
    ],
    ids=["whitespace-only", "unknown-keys", "empty-object"],
)
def test_no_title_or_body_is_a_skip(record: dict[str, Any], reason_part: str) -> None:
    (item,) = convert(record)
    assert isinstance(item, Skip) and item.origin == "f.jsonl:3"
    assert reason_part in item.reason


@pytest.mark.parametrize(
    ("record", "kind"),
    [("x", "string"), (5, "number"), ([1], "array"), (None, "null")],
    ids=["string", "number", "array", "null"],
)
def test_record_that_is_not_an_object(record: Any, kind: str) -> None:
    (item,) = convert(record)
    assert isinstance(item, Skip) and item.reason == f"not an article object but a JSON {kind}"


def test_unparseable_date_is_a_notice_and_kept_raw() -> None:
    notice, article = convert({"body": "B", "date": "soon"})
    assert isinstance(notice, Notice) and "unparseable date 'soon'" in notice.reason
    assert isinstance(article, Article) and article.date is None and article.date_raw == "soon"


SPECS = [
    ("one", ["body=text"], {"body": "text"}),
    ("several", ["body=text", "title=headline"], {"body": "text", "title": "headline"}),
    ("spaces-and-case", [" Title = Head Line "], {"title": "Head Line"}),
    ("key-with-equals", ["body=a=b"], {"body": "a=b"}),
    ("same-twice", ["id=1", "id=1"], {"id": "1"}),
    ("single-string", "url=link", {"url": "link"}),
]


@pytest.mark.parametrize(("specs", "expected"), [s[1:] for s in SPECS], ids=[s[0] for s in SPECS])
def test_parse_field_overrides(specs: Any, expected: dict[str, str]) -> None:
    assert parse_field_overrides(specs) == expected


BAD_SPECS = [
    ("no-equals", ["body"], "expected FIELD=KEY"),
    ("empty-key", ["body="], "expected FIELD=KEY"),
    ("empty-field", ["=text"], "expected FIELD=KEY"),
    ("unknown-field", ["author=writer"], "unknown field 'author'; fields are id, title, body"),
    ("conflict", ["body=a", "body=b"], "field 'body' is already mapped to 'a'"),
]


@pytest.mark.parametrize(
    ("specs", "message"), [b[1:] for b in BAD_SPECS], ids=[b[0] for b in BAD_SPECS]
)
def test_bad_field_specs(specs: list[str], message: str) -> None:
    with pytest.raises(SourceError, match="--field") as error:
        parse_field_overrides(specs)
    assert message in str(error.value)


def test_field_map_rejects_unknown_target() -> None:
    with pytest.raises(SourceError, match="unknown field 'author'"):
        FieldMap({"author": "x"})


@given(st.text(min_size=1).filter(str.strip), st.text())
def test_string_values_pass_through_unchanged(title: str, body: str) -> None:
    article = one_article({"title": title, "body": body})
    assert (article.title, article.body) == (title, body)


@given(
    st.recursive(st.none() | st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3))
)
def test_to_text_always_gives_text(value: Any) -> None:
    assert isinstance(to_text(value), str)
