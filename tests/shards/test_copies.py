"""`--dedupe` over shards keeps what one index of the same articles keeps: one article
per identical body, the earliest dated (undated last), ties to the smallest id, though
the copies of a body lie in different shards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.facets import FACETS
from indexer.shards.layout import shard_of
from tests.query.test_execute import generate
from tests.shards.test_equivalence import SORTS, Pair, both_ways, write_jsonl

SHARDS = 3
ROOT = Path(__file__).resolve().parents[2]


def with_copies(articles: list[Article]) -> list[Article]:
    """`articles` and copies of every fourth body under other ids and sources: some a
    day earlier, some on the same date (the smaller id is kept), some undated, some with
    diacritics and other punctuation (the same words, so the same body)."""
    copies = []
    for n, article in enumerate(articles[::4]):
        if not article.body:
            continue
        body = article.body.replace("وزير", "وَزِيرُ").replace(" في ", "، في ") if n % 2 else article.body
        date = [article.date - timedelta(days=1) if article.date else datetime(2015, 6, 30), article.date, None][n % 3]
        for k in range(1 + n % 2):
            copy_id = f"{'a' if n % 3 == 1 else 'z'}{k}-{article.id}"  # a... sorts before g..., z... after
            copies.append(Article(copy_id, f"نسخة {article.title}", body, date, "", "okaz", "", copy_id))
    return articles + copies


@pytest.fixture(scope="module")
def copies_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp("copies")
    articles = with_copies(generate(160, seed=5))
    one, sharded = both_ways(write_jsonl(articles, root / "copies.jsonl"), root, shards=SHARDS)
    by_body: dict[str, set[int]] = {}
    for article in articles:
        by_body.setdefault(article.body, set()).add(shard_of(article.id, SHARDS))
    assert sum(len(held) > 1 for held in by_body.values()) > 10, "copies of a body should lie in different shards"
    yield one, sharded
    one.close()
    sharded.close()


@pytest.mark.parametrize(("text", "mode"), [("وزير", "all"), ("الخارجية OR النفط", "all"), ("وزير الخارجية في القاهرة", "any"), ('"وزير الخارجية"', "all")])
def test_dedupe_over_shards_keeps_what_one_index_keeps(copies_pair: Pair, text: str, mode: str) -> None:
    one, sharded = copies_pair
    every = one.search(text, mode=mode, limit=0).total
    for sort in SORTS:
        for offset, limit in ((0, 100_000), (2, 7)):
            a = one.search(text, mode=mode, sort=sort, offset=offset, limit=limit, dedupe=True, facets=FACETS)
            b = sharded.search(text, mode=mode, sort=sort, offset=offset, limit=limit, dedupe=True, facets=FACETS)
            where = (text, sort, offset)
            assert a.deduplicated and b.deduplicated
            assert b.total == a.total < every, where
            assert [h.id for h in b] == [h.id for h in a], where
            assert [h.score for h in b] == pytest.approx([h.score for h in a], rel=1e-9, abs=0), where
            assert b.facets == a.facets, where


def test_the_copy_kept_is_the_earliest_then_the_smallest_id(copies_pair: Pair) -> None:
    one, sharded = copies_pair
    for corpus in (one, sharded):
        kept = {h.id for h in corpus.search("وزير OR النفط OR الغاز", dedupe=True, limit=100_000)}
        every = corpus.search("وزير OR النفط OR الغاز", limit=100_000)
        bodies: dict[str, list] = {}
        for hit in every:
            whole = corpus.article(hit.id)
            if whole.body:
                bodies.setdefault(" ".join(whole.body.replace("َ", "").replace("ِ", "").replace("ُ", "").replace("،", "").split()), []).append(whole)
        copied = [group for group in bodies.values() if len(group) > 1]
        assert len(copied) > 10
        for group in copied:
            first = min(group, key=lambda a: (a.date is None, a.date or "", a.id))
            assert [a.id for a in group if a.id in kept] == [first.id]


def test_dedupe_with_filters_and_partial_results(copies_pair: Pair) -> None:
    one, sharded = copies_pair
    for options in ({"since": "2015-08"}, {"source": "okaz"}, {"source": ["okaz", "sabq"], "until": "2015-07-20"}):
        a = one.search("", dedupe=True, limit=100_000, **options)
        b = sharded.search("", dedupe=True, limit=100_000, partial=True, **options)
        assert b.total == a.total > 0 and b.missing_shards == []
        assert [h.id for h in b] == [h.id for h in a], options


def test_body_fingerprints_agree_in_processes_of_other_string_hashes(tmp_path: Path) -> None:
    # Shards count in other processes (Dask workers): Python's str hash is salted per
    # process, so a body's fingerprint must not rest on it.
    corpus = Corpus(tmp_path / "index")
    corpus.add(generate(20, seed=2))
    corpus.close()
    script = (
        "import sys\n"
        "from indexer import Corpus\n"
        "from indexer.views.counting import ViewCounter\n"
        "from indexer.views.selection import Scope\n"
        "corpus = Corpus(sys.argv[1])\n"
        "generation = corpus.location.require_live_generation()\n"
        "print(ViewCounter(corpus.open_index().searcher(), generation).copies(Scope()).fingerprints.tolist())\n"
    )
    printed = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / "index")], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
        ).stdout
        for seed in ("1", "2")
    ]
    assert printed[0] == printed[1] and len(printed[0]) > 100
