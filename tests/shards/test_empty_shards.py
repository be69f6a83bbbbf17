"""A shard no article went to (two articles, four shards) and an index with nothing in
it answer every question with what they hold, never with a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.shards.layout import shard_of

ARTICLES = [
    {"id": "a1", "title": "أسعار النفط", "body": "ارتفعت أسعار النفط الخام في السوق", "date": "2015-08-01", "source": "spa"},
    {"id": "a2", "title": "النفط والذهب", "body": "تراجع الذهب وارتفع النفط الخام", "date": "2015-08-02", "source": "spa"},
]


def answers(corpus: Corpus) -> dict:
    return {
        "search": [h.id for h in corpus.search("النفط")],
        "any": [h.id for h in corpus.search("النفط الذهب", mode="any")],
        "newest": [h.id for h in corpus.search("", since="2015", sort="-date")],
        "facets": corpus.search("النفط", facets=["source", "month"]).facets,
        "dedupe": corpus.search("النفط", dedupe=True).total,
        "kwic": corpus.kwic("النفط").to_dict()["lines"],
        "trend": corpus.trend("النفط", by="month").to_dict(),
        "collocates": corpus.collocates("النفط").to_dict()["collocates"],
        "freq": corpus.freq("النفط").to_dict()["terms"],
        "documents": corpus.stats().documents,
    }


def test_shards_left_empty_answer_as_one_index(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    with Corpus(tmp_path / "one") as one, Corpus(tmp_path / "sharded") as sharded:
        one.index([source])
        sharded.index([source], shards=4)
        expected = answers(one)
        assert sorted(expected["search"]) == ["a1", "a2"] and expected["documents"] == 2
        assert len({shard_of(a["id"], 4) for a in ARTICLES}) <= 2  # two shards or more hold nothing
        assert answers(sharded) == expected


@pytest.mark.parametrize("shards", [1, 3])
def test_an_index_with_no_article_finds_nothing(tmp_path: Path, shards: int) -> None:
    source = tmp_path / "empty.jsonl"
    source.write_text("", encoding="utf-8")
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([source], shards=shards)
        assert corpus.search("النفط").total == 0
        assert corpus.search("النفط الذهب", mode="any").hits == []
        assert corpus.kwic("النفط").total == 0
        assert corpus.stats().documents == 0
