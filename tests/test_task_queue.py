"""What the library returns crosses a task queue: computed in a worker process (as
Celery or RQ run it), pickled back to the app, and sent on as JSON (``to_dict``)."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from indexer import Corpus, QueryError, UsageError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queue") / "index"
    with Corpus(path) as corpus:
        corpus.index([REPO / "corpus"])
    return path


def every_result(index: str) -> dict:
    """Run in a worker: one of each kind of thing a public call returns."""
    with Corpus(index) as corpus:
        results = corpus.search('"وزير الخارجية"', facets=["source", "year"])
        return {
            "results": results,
            "hit": results.hits[0],
            "article": corpus.article("ar-0001", query="وزير"),
            "similar": corpus.similar("ar-0001", limit=3),
            "stats": corpus.stats(),
            "word": corpus.explain_words("الوزراء")[0],
            "kwic": corpus.kwic("وزير", limit=3),
            "trend": corpus.trend("وزير"),
            "collocates": corpus.collocates("وزير", top=3, min_freq=1),
            "freq": corpus.freq("وزير", top=3),
        }


def untimed(data: object) -> object:
    """``data`` without the time a search took (each process takes its own)."""
    if isinstance(data, dict):
        return {k: untimed(v) for k, v in data.items() if k != "took_ms"}
    if isinstance(data, (list, tuple)):
        return [untimed(v) for v in data]
    return data


def bad_search(index: str, query: object) -> None:
    with Corpus(index) as corpus:
        corpus.search(query)  # type: ignore[arg-type]


def test_results_computed_in_a_worker_come_back_whole_and_go_on_as_json(index: Path) -> None:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as workers:
        returned = workers.submit(every_result, str(index)).result(timeout=300)
    here = every_result(str(index))
    for name, value in returned.items():
        assert type(value) is type(here[name]), name
        assert untimed(json.loads(json.dumps(value.to_dict(), ensure_ascii=False))) == untimed(here[name].to_dict()), name
    hit = returned["hit"].to_dict()
    assert hit["id"] and hit["title"] and all(len(span) == 2 for span in hit["highlights"])
    assert "وزير" in hit["snippet"][hit["highlights"][0][0]:hit["highlights"][0][1]]
    word = returned["word"].to_dict()
    assert word["text"] == "الوزراء" and word["steps"][0]["rule"]


def test_an_error_in_a_worker_comes_back_as_the_same_error(index: Path) -> None:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as workers:
        with pytest.raises(QueryError) as bad_query:
            workers.submit(bad_search, str(index), '"وزير').result(timeout=300)
        with pytest.raises(UsageError, match="^query must be a str, not NoneType None$"):
            workers.submit(bad_search, str(index), None).result(timeout=300)
    assert bad_query.value.position is not None
    assert pickle.loads(pickle.dumps(bad_query.value)).position == bad_query.value.position
