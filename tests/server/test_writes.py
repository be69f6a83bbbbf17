"""Writing through the API (token, bodies, busy index) and a server that sees index
changes made by another process without a restart."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from indexer import Corpus
from indexer.server.settings import MAX_BODY_BYTES
from indexer.store import WriteLock
from tests.server.conftest import TOKEN, train_articles
from tests.server.live import LiveServer

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[LiveServer, Path]]:
    index = tmp_path / "index"
    with Corpus(index) as corpus:
        corpus.add(train_articles()[:6])
    live = LiveServer(index, token=TOKEN)
    yield live, index
    live.stop()


def total(live: LiveServer, query: str) -> int:
    return live.client.get("/api/search", params={"q": query}).json()["total"]


def article(n: int, word: str = "الزيتون") -> dict:
    return {"id": f"olive-{n}", "title": f"موسم {word} في الشمال", "body": f"بدأ موسم قطف {word} مبكرًا هذا العام رقم {n}.", "date": "2031-10-01", "source": "farm"}


def test_writes_need_the_token(writable):
    live, _ = writable
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}):
        answer = live.client.post("/api/articles", json=article(1), headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["www-authenticate"].startswith("Bearer") and "Authorization" in answer.json()["error"]
        assert live.client.delete("/api/articles/train-01", headers=headers).status_code == 401
    assert total(live, "الزيتون") == 0 and total(live, "القطار") == 6


def test_post_one_an_array_or_json_lines_then_delete(writable):
    live, _ = writable
    one = live.client.post("/api/articles", json=article(1), headers=AUTH)
    assert one.status_code == 200 and (one.json()["added"], one.json()["total_documents"]) == (1, 7)
    many = live.client.post("/api/articles", json=[article(2), article(3), {"id": "x", "title": ""}, "not an article"], headers=AUTH)
    assert (many.json()["added"], len(many.json()["skipped"])) == (2, 2)
    lines = b"\n".join(orjson.dumps(article(n)) for n in (4, 5)) + b"\n"
    assert live.client.post("/api/articles", content=lines, headers=AUTH).json()["added"] == 2
    again = live.client.post("/api/articles", json=article(1, "البرتقال"), headers=AUTH).json()
    assert (again["added"], again["updated"]) == (0, 1)  # same id: replaced
    assert total(live, "الزيتون") == 4 and total(live, "البرتقال") == 1

    deleted = live.client.delete("/api/articles/olive-1", headers=AUTH)
    assert deleted.status_code == 200 and deleted.json()["deleted"] == 1
    assert total(live, "البرتقال") == 0
    assert live.client.get("/api/articles/olive-1").status_code == 404
    assert live.client.delete("/api/articles/olive-1", headers=AUTH).status_code == 404


def test_bad_bodies_are_400_naming_the_line(writable):
    live, _ = writable
    lines = orjson.dumps(article(1)) + b"\n{\"id\": \"broken\", \n"
    answer = live.client.post("/api/articles", content=lines, headers=AUTH)
    assert answer.status_code == 400 and answer.json()["line"] == 2 and "line 2" in answer.json()["error"]
    for body in (b"", b"   ", b"{not json", b"\xff\xfe broken utf-8"):
        answer = live.client.post("/api/articles", content=body, headers=AUTH)
        assert answer.status_code == 400 and answer.json()["error"], body
    assert total(live, "الزيتون") == 0


def test_a_body_over_the_limit_is_413(writable):
    live, _ = writable
    huge = orjson.dumps({"id": "big", "title": "كبير", "body": "كلمة " * (MAX_BODY_BYTES // 9 + 1)})
    assert len(huge) > MAX_BODY_BYTES
    answer = live.client.post("/api/articles", content=huge, headers=AUTH)
    assert answer.status_code == 413 and "smaller batches" in answer.json()["error"]
    chunked = live.client.post("/api/articles", content=iter([huge[:1 << 20]] * 17), headers=AUTH)  # no Content-Length
    assert chunked.status_code == 413
    assert live.client.get("/api/articles/big").status_code == 404


def test_a_busy_index_answers_503_with_retry_after_at_once(writable):
    live, index = writable
    with WriteLock(index):
        started = time.monotonic()
        answer = live.client.post("/api/articles", json=article(1), headers=AUTH)
        assert time.monotonic() - started < 2
        assert answer.status_code == 503 and int(answer.headers["retry-after"]) > 0 and "busy" in answer.json()["error"]
        assert live.client.delete("/api/articles/train-01", headers=AUTH).status_code == 503
        assert total(live, "القطار") == 6  # reads go on while a writer holds the index
    assert live.client.post("/api/articles", json=article(1), headers=AUTH).status_code == 200


def test_index_changes_by_another_process_are_seen_without_restart(writable, tmp_path):
    live, index = writable
    assert total(live, "الزيتون") == 0
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(b"\n".join(orjson.dumps(article(n)) for n in range(3)))
    run = subprocess.run([sys.executable, "-m", "indexer", "index", "--index", str(index), "--quiet", str(feed)], capture_output=True)
    assert run.returncode == 0, run.stderr
    assert total(live, "الزيتون") == 3
    rebuild = subprocess.run([sys.executable, "-m", "indexer", "index", "--index", str(index), "--quiet", "--rebuild", str(feed)], capture_output=True)
    assert rebuild.returncode == 0, rebuild.stderr
    assert total(live, "الزيتون") == 3 and total(live, "القطار") == 0  # the swapped-in generation
