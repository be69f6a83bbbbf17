"""A sharded index served by ``corpus serve`` answers as the same articles in one index:
the same JSON for searches (hits, scores, totals, facets), articles and stats, and the
same hits on the search page. (On a Dask cluster: tests/shards/test_cluster.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from indexer import Corpus
from tests.server.conftest import HOSTILE, REPO, train_articles
from tests.server.live import LiveServer

SEARCHES = [
    {"q": "القطار", "facets": "source,month,year", "limit": 7},
    {"q": "القطار", "sort": "-date", "offset": 5, "limit": 5},
    {"q": "ما هو زمن رحلة القطار السريع؟", "mode": "any", "facets": "source"},
    {"q": "الوزارة OR المحطة", "source": "okaz", "since": "2031-03"},
    {"q": "القطار OR الوزارة", "dedupe": "true", "facets": "source"},
    {"q": "القطاار"},  # did you mean
]


def comparable(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "took_ms"}


@pytest.fixture(scope="module")
def sharded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("served-shards")
    extra = root / "more.jsonl"
    extra.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in [*train_articles(), *HOSTILE]))
    with Corpus(root / "index") as corpus:
        report = corpus.index([REPO / "corpus", extra], shards=3)
        assert report.added > 26, report
    live = LiveServer(root / "index")
    yield live
    live.stop()


def test_searches_answer_as_one_index(server: LiveServer, sharded_server: LiveServer) -> None:
    for params in SEARCHES:
        one = server.client.get("/api/search", params=params)
        sharded = sharded_server.client.get("/api/search", params=params)
        assert one.status_code == sharded.status_code == 200, (params, sharded.text)
        assert comparable(sharded.json()) == comparable(one.json()), params
    assert one.json()["suggestion"] == "القطار"
    faceted = sharded_server.client.get("/api/search", params=SEARCHES[0]).json()
    assert faceted["total"] >= 24 and sum(faceted["facets"]["source"].values()) == faceted["total"]


def test_articles_and_stats_answer_as_one_index(server: LiveServer, sharded_server: LiveServer) -> None:
    ids = [hit["id"] for hit in server.client.get("/api/search", params={"q": "القطار", "limit": 30}).json()["hits"]]
    for article_id in ids[:10]:
        one = server.client.get(f"/api/articles/{article_id}", params={"q": "القطار"})
        assert sharded_server.client.get(f"/api/articles/{article_id}", params={"q": "القطار"}).json() == one.json()
    assert sharded_server.client.get("/api/articles/no-such-id").status_code == 404
    one, sharded = server.client.get("/api/stats").json(), sharded_server.client.get("/api/stats").json()
    assert (sharded["documents"], sharded["sources"]) == (one["documents"], one["sources"])


def test_the_search_page_shows_the_same_hits(server: LiveServer, sharded_server: LiveServer) -> None:
    one = server.client.get("/", params={"q": "القطار"})
    sharded = sharded_server.client.get("/", params={"q": "القطار"})
    assert one.status_code == sharded.status_code == 200
    assert "train-" in sharded.text
    for article_id in [h["id"] for h in server.client.get("/api/search", params={"q": "القطار"}).json()["hits"]]:
        assert (article_id in sharded.text) == (article_id in one.text), article_id


VIEWS = [
    ("/api/kwic", {"q": "القطار", "sort": "right", "limit": 5, "offset": 2}),
    ("/api/kwic", {"q": "القطار OR الوزارة", "dedupe": "true", "format": "csv"}),
    ("/api/trend", {"q": ["القطار", "الوزارة"], "by": "month", "split": "source"}),
    ("/api/collocates", {"q": "القطار", "min_freq": 1, "measure": "llr"}),
    ("/api/freq", {"q": "القطار", "sort": "keyness", "top": 30}),
    ("/api/freq", {"by": "exact", "source": "okaz"}),
]


def test_the_views_answer_as_one_index(server: LiveServer, sharded_server: LiveServer) -> None:
    for path, params in VIEWS:
        one = server.client.get(path, params=params)
        sharded = sharded_server.client.get(path, params=params)
        assert one.status_code == sharded.status_code == 200, (path, params, sharded.text)
        assert sharded.text == one.text, (path, params)
    assert server.client.get("/api/kwic", params={"q": "القطار"}).json()["total"] > 0
