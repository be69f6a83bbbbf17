"""No input gets a 500 or a traceback: random and hostile requests against a live server.

Parameters mix Arabic, every query operator, unbalanced quotes and brackets, NUL and other
control characters, broken UTF-8 (percent-encoded bytes), huge and negative numbers;
paths take random ids; write bodies are random bytes and near-JSON. Every answer must be
a status the API documents, JSON with an ``error`` under ``/api``, HTML elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote, quote_from_bytes

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import Corpus
from tests.server.conftest import TOKEN, train_articles
from tests.server.live import LiveServer

DOCUMENTED = {200, 307, 400, 401, 403, 404, 405, 413, 422, 503}
PIECES = [
    "القطار", "وزير", "الخارجية", "وَزِيرُ", "ـ", "AND", "OR", "NOT", "أو", "ليس", "NEAR", "NEAR/3", "ONEAR/2", "~", "~1", "*", "?",
    '"', "(", ")", "[", "]", "{", "}", "+", "-", "=", ":", "title:", "عنوان:", "date:", "date:[", " TO ", "date:>=", "source:",
    "2015-07", "9999-99-99", "\x00", "\x1b[2J", "\u202e", "\ufeff", "\ud7ff", "%", "&", "#", "/", "\\", " ", "  ", "\n",
]
PARAMS = [
    "q", "limit", "offset", "mode", "exact", "sort", "since", "until", "source", "facets", "text", "unknown",
    "width", "by", "per", "split", "window", "measure", "min_freq", "top", "stopwords", "format", "view",
]


def encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


values = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=12).map(lambda parts: encoded("".join(parts))),
    st.text(max_size=40).map(encoded),
    st.binary(max_size=40).map(lambda raw: quote_from_bytes(raw, safe="")),  # broken UTF-8 too
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["", "all", "any", "date", "-date", "relevance", "true", "0", "1e999", "NaN", "source,month,year", "month,,week", "2015-02-30",
                     "csv", "json", "kwic", "trend", "week", "day", "million-words", "articles", "stem", "exact", "llr", "keyness", "left"]),
)
queries = st.lists(st.tuples(st.sampled_from(PARAMS), values), max_size=5).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
ids = st.one_of(st.sampled_from(["train-01", "evil-script", ""]), st.text(max_size=20).map(encoded), st.binary(max_size=12).map(lambda raw: quote_from_bytes(raw, safe="")))
paths = st.one_of(
    st.sampled_from(["/api/search", "/api/analyze", "/api/stats", "/", "/docs", "/openapi.json", "/api/", "/api/search/",
                     "/api/kwic", "/api/trend", "/api/collocates", "/api/freq"]),
    ids.map(lambda i: f"/api/articles/{i}"),
    ids.map(lambda i: f"/articles/{i}"),
)


def check(answer, path: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code in DOCUMENTED, (path, answer.status_code, answer.text[:500])
    assert "Traceback" not in answer.text
    if answer.status_code == 307:  # /api/search/ -> /api/search
        return
    if path.startswith("/api") and answer.status_code != 200:
        assert answer.headers["content-type"] == "application/json"
        assert orjson.loads(answer.content)["error"]
    elif not path.startswith(("/api", "/openapi")):
        assert answer.headers["content-type"].startswith("text/html")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=paths, query=queries)
def test_random_reads_never_fail(server, path, query):
    url = f"{path}?{query}" if query else path
    check(server.client.get(url), path)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(endpoint=st.sampled_from(["kwic", "trend", "collocates", "freq"]), query=queries, q=values)
def test_random_view_requests_never_fail(server, endpoint, query, q):
    """The views always get a query (most random requests to them would stop at a missing q)."""
    path = f"/api/{endpoint}"
    check(server.client.get(f"{path}?q={q}&{query}"), path)
    check(server.client.get(f"/?q={q}&view={'trend' if endpoint == 'trend' else 'kwic'}&{query}"), "/")


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    index = tmp_path_factory.mktemp("fuzzed") / "index"
    with Corpus(index) as corpus:
        corpus.add(train_articles()[:3])
    live = LiveServer(index, token=TOKEN)
    yield live
    live.stop()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["id", "title", "body", "date", "source", "url", "x"]), inner, max_size=6),
    max_leaves=12,
)


def as_json(value: object) -> bytes:
    """Python's encoder: it writes huge integers, and NaN as a bare NaN (not JSON: hostile too)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(as_json),
    st.lists(json_values.map(as_json), max_size=4).map(lambda lines: b"\n".join(lines)),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies, article_id=ids)
def test_random_writes_never_fail(writable, body, article_id):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    check(writable.client.post("/api/articles", content=body, headers=auth), "/api/articles")
    check(writable.client.delete(f"/api/articles/{article_id}", headers=auth), "/api/articles/")
