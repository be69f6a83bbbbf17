"""A feed reads only its own files, and says what it could not read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.sources import Article, Skip, read_sources
from tests.privileges import READ_ANYTHING, without

REPO = Path(__file__).resolve().parents[2]
EXIT_SKIPPED = 4


def article(doc_id: str, body: str) -> str:
    return json.dumps({"id": doc_id, "title": "خبر", "body": body}, ensure_ascii=False) + "\n"


@pytest.fixture
def feed_with_links(tmp_path: Path) -> tuple[Path, Path]:
    outside = tmp_path / "elsewhere" / "secret.jsonl"
    outside.parent.mkdir()
    outside.write_text(article("secret", "كلمة سرية للغاية"), encoding="utf-8")
    feed = tmp_path / "feed"
    (feed / "sub").mkdir(parents=True)
    (feed / "news.jsonl").write_text(article("news", "وزير الخارجية"), encoding="utf-8")
    (feed / "sub" / "real.jsonl").write_text(article("inner", "وزير المالية"), encoding="utf-8")
    (feed / "leak.jsonl").symlink_to(outside)
    (feed / "alias.jsonl").symlink_to(feed / "sub" / "real.jsonl")
    return feed, outside


def test_a_link_out_of_the_source_is_skipped_and_reported(feed_with_links: tuple[Path, Path]) -> None:
    feed, outside = feed_with_links
    items = list(read_sources([feed]))
    ids = [i.id for i in items if isinstance(i, Article)]
    skips = [i for i in items if isinstance(i, Skip)]
    assert "secret" not in ids and ids.count("inner") == 2  # the inside link is read (a duplicate id)
    assert [s.origin for s in skips] == [str(feed / "leak.jsonl")]
    assert str(outside) in skips[0].reason and "(follow_links=True reads it)" in skips[0].reason


def test_follow_links_reads_it(feed_with_links: tuple[Path, Path], tmp_path: Path) -> None:
    feed, _ = feed_with_links
    corpus = Corpus(tmp_path / "index")
    assert corpus.index([feed]).skipped and corpus.search("سرية").total == 0
    report = corpus.index([feed], follow_links=True)
    assert not [p for p in report.skipped if "outside" in p.reason]
    assert [h.id for h in corpus.search("سرية")] == ["secret"]
    corpus.close()


def test_an_unreadable_directory_is_reported_and_refuses_the_prune(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    for name, body in (("open", "وزير الخارجية"), ("locked", "وزير المالية")):
        (feed / name).mkdir(parents=True)
        (feed / name / "day.jsonl").write_text(article(name, body), encoding="utf-8")
    index = tmp_path / "index"
    assert Corpus(index).index([feed]).total_documents == 2
    (feed / "locked").chmod(0)
    try:
        command = [*without(READ_ANYTHING, "an unreadable directory"), sys.executable, "-c", "from indexer.cli import main; main()",
                   "index", "--index", str(index), "--prune", "--json", str(feed)]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        strict = subprocess.run([*command, "--strict"], capture_output=True, text=True, env=env, timeout=120)
    finally:
        (feed / "locked").chmod(0o755)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [p["origin"] for p in summary["skipped"]] == [str(feed / "locked")]
    assert "cannot read this directory" in summary["skipped"][0]["reason"]
    assert summary["deleted"] == 0 and not summary["pruned"]
    assert any("not pruned" in p["reason"] for p in summary["notices"])
    assert strict.returncode == EXIT_SKIPPED
    assert Corpus(index).stats().documents == 2


def test_a_file_name_that_is_not_utf8_is_indexed_under_a_stable_id(tmp_path: Path) -> None:
    feed = tmp_path / "feed"
    feed.mkdir()
    raw = os.fsencode(feed) + b"/" + "خبر".encode("cp1256") + b".txt"  # a name from a Windows zip
    try:
        with open(raw, "wb") as out:
            out.write("وزير الخارجية\nقال وزير الخارجية إن".encode("utf-8"))
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    (feed / "good.txt").write_text("وزير المالية\nقال وزير المالية", encoding="utf-8")
    corpus = Corpus(tmp_path / "index")
    report = corpus.index([feed])
    assert (report.added, report.skipped) == (2, [])
    assert [h.id for h in corpus.search("الخارجية")] == ["feed/\\xce\\xc8\\xd1.txt"]
    assert corpus.index([feed]).unchanged == 2  # the same id on the next run
    corpus.close()
