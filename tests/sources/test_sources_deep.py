"""A record nested deeper than Python's recursion limit costs its own line, not its file."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.sources import Article, Skip, read_sources
from indexer.sources.fields import to_text


def test_deep_lines_are_read_or_skipped_one_by_one(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "before", "title": "وزير", "body": "قبل"}, ensure_ascii=False),
        '{"id": "deep", "title": "x", "body": ' + "[" * 600 + '"عميق"' + "]" * 600 + "}",
        '{"id": "deeper", "title": "x", "body": ' + "[" * 5000 + "]" * 5000 + "}",
        json.dumps({"id": "after", "title": "وزير", "body": "بعد"}, ensure_ascii=False),
    ]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_sources([feed]))
    assert [(i.id, i.body) for i in items if isinstance(i, Article)] == [("before", "قبل"), ("deep", "عميق"), ("after", "بعد")]
    assert [i.origin for i in items if isinstance(i, Skip)] == [f"{feed}:3"]


def test_nested_values_flatten_in_order_skipping_empty_parts() -> None:
    assert to_text({"a": ["x", "", {"b": [None, "y"]}, []], "c": 3.0, "d": True}) == "x y 3 true"
    assert to_text([[[["z"]]], "w"], sep="\n") == "z\nw"
    deep: list = ["end"]
    for _ in range(5000):
        deep = [deep]
    assert to_text(deep) == "end"
