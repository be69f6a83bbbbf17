"""No input is too big to hurt: files, lines and articles over a limit are reported skips,
JSON arrays and gzip are streamed, and a summary lists a bounded number of problems."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main
from indexer.limits import DEFAULT_LIMITS, LimitError, Limits, parse_limits, parse_size
from indexer.sources import Article, Skip, read_sources

REPO = Path(__file__).resolve().parents[2]
ARRAY_COPIES = 6000
BUNDLED = [json.loads(line) for line in (REPO / "corpus" / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def jsonl(records: list[dict]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def ids(items) -> list[str]:
    return [item.id for item in items if isinstance(item, Article)]


def skips(items) -> list[Skip]:
    return [item for item in items if isinstance(item, Skip)]


def test_limits_parse_sizes_and_name_bad_specs() -> None:
    assert parse_limits(["file=2G", "line=64k", "article=3M", "listed=50"]) == Limits(2 << 30, 64 << 10, 3 << 20, 50)
    assert parse_limits([]) == DEFAULT_LIMITS
    assert parse_size("500") == 500
    for bad in (["files=1M"], ["file"], ["file=abc"], ["article=0"], ["line=-5"]):
        with pytest.raises(LimitError, match="--limit"):
            parse_limits(bad)


def test_a_gzip_that_expands_past_the_file_limit_is_skipped_not_read_whole(tmp_path: Path) -> None:
    text = ("عنوان الخبر\n" + BUNDLED[0]["body"] * 2000).encode("utf-8")
    bomb = tmp_path / "huge.txt.gz"
    bomb.write_bytes(gzip.compress(text))
    assert bomb.stat().st_size < len(text) // 10
    (skip,) = list(read_sources([bomb], limits=Limits(file=1 << 20)))
    assert isinstance(skip, Skip) and skip.origin == str(bomb)
    assert "larger than 1M" in skip.reason and "limits=Limits(file=SIZE) raises it" in skip.reason
    (article,) = list(read_sources([bomb], limits=Limits(file=len(text))))
    assert article.title == "عنوان الخبر"


def test_a_plain_file_over_the_file_limit_is_skipped(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(f"<html><body><h1>{BUNDLED[1]['title']}</h1><p>{BUNDLED[1]['body'] * 50}</p></body></html>", encoding="utf-8")
    (skip,) = list(read_sources([page], limits=Limits(file=4096)))
    assert "larger than 4K" in skip.reason


@pytest.mark.parametrize("compress", [False, True], ids=["json", "json.gz"])
def test_a_json_array_is_streamed_past_the_file_limit(tmp_path: Path, compress: bool) -> None:
    records = [dict(r, id=f"{r['id']}-{n}") for n in range(20) for r in BUNDLED]
    data = orjson.dumps(records)
    path = tmp_path / ("dump.json.gz" if compress else "dump.json")
    path.write_bytes(gzip.compress(data) if compress else data)
    items = list(read_sources([path], limits=Limits(file=len(data) // 10)))
    assert ids(items) == [r["id"] for r in records]
    assert not skips(items)


def test_a_json_object_over_the_file_limit_says_so(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.json"
    path.write_bytes(orjson.dumps({"articles": BUNDLED}))
    (skip,) = list(read_sources([path], limits=Limits(file=1024)))
    assert "limit for a file read whole" in skip.reason


def test_a_streamed_array_of_non_objects_is_one_skip(tmp_path: Path) -> None:
    path = tmp_path / "numbers.json"
    path.write_bytes(orjson.dumps(list(range(5000))))
    (skip,) = list(read_sources([path]))
    assert skip.origin == str(path) and "not article objects" in skip.reason


def test_a_line_over_the_line_limit_is_skipped_and_the_next_line_read(tmp_path: Path) -> None:
    long = dict(BUNDLED[0], body=BUNDLED[0]["body"] * 400)
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl([BUNDLED[1], long, BUNDLED[2]])))
    items = list(read_sources([path], limits=Limits(line=64 << 10)))
    assert ids(items) == [BUNDLED[1]["id"], BUNDLED[2]["id"]]
    (skip,) = skips(items)
    assert skip.origin == f"{path}:2" and "line longer than 64K" in skip.reason


def test_an_article_over_the_article_limit_is_skipped_whole(tmp_path: Path) -> None:
    book = dict(BUNDLED[3], id="book", body=BUNDLED[3]["body"] * 100)
    size = len(book["title"].encode()) + len(book["body"].encode())
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl([BUNDLED[0], book]))
    items = list(read_sources([path], limits=Limits(article=size - 1)))
    assert ids(items) == [BUNDLED[0]["id"]]
    (skip,) = skips(items)
    assert skip.origin == f"{path}:2" and "limit per article" in skip.reason and "not indexed" in skip.reason
    assert ids(read_sources([path], limits=Limits(article=size))) == [BUNDLED[0]["id"], "book"]


def test_corpus_add_applies_the_article_limit(tmp_path: Path) -> None:
    book = dict(BUNDLED[3], id="book", body=BUNDLED[3]["body"] * 100)
    report = Corpus(tmp_path / "idx").add([BUNDLED[0], book], limits=Limits(article=100_000))
    assert report.added == 1 and report.skipped_count == 1 and "limit per article" in report.skipped[0].reason


def test_ten_thousand_bad_lines_make_a_short_summary(tmp_path: Path) -> None:
    """Every problem is counted, a bounded number listed: the summary stays small."""
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl([BUNDLED[0]]) + b"{}\n" * 10_000))
    result = CliRunner().invoke(
        main, ["index", "--json", "--index", str(tmp_path / "idx"), "--limit", "listed=25", str(path)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["skipped_count"], len(summary["skipped"])) == (1, 10_000, 25)
    assert summary["skipped"][0]["origin"] == f"{path}:2"
    assert len(result.stdout) < 5_000
    text = CliRunner().invoke(main, ["index", "--index", str(tmp_path / "idx2"), "--limit", "listed=25", str(path)])
    assert "skipped 10,000;" in text.stderr and "and 9980 more (--json lists 25)" in text.stderr


def test_a_bad_limit_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["index", "--index", str(tmp_path / "idx"), "--limit", "size=1M", str(REPO / "corpus")])
    assert result.exit_code == 2 and "bad --limit 'size=1M'" in result.stderr


@pytest.mark.slow
def test_default_limits_bound_the_memory_of_a_gzip_bomb_and_a_big_array(tmp_path: Path) -> None:
    """A 1 GiB expansion and a 200 MB JSON array cost far less memory than their size."""
    bomb = tmp_path / "bomb.txt.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as out:
        block = ("خبر " * 256 + "\n").encode("utf-8") * 1024
        for _ in range(1024 * 1024 * 1024 // len(block)):
            out.write(block)
    records = [dict(r, id=f"{r['id']}-{n}") for n in range(ARRAY_COPIES) for r in BUNDLED]
    array = tmp_path / "dump.json"
    array.write_bytes(orjson.dumps(records))
    assert array.stat().st_size > 200 << 20
    probe = (
        "import re, sys\n"
        "from indexer.sources import Article, read_sources\n"
        "count, reasons = 0, []\n"
        "for item in read_sources(sys.argv[1:]):\n"
        "    if isinstance(item, Article): count += 1\n"
        "    else: reasons.append(item.reason)\n"
        "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]\n"  # ru_maxrss survives exec
        "print((count, reasons, int(peak) // 1024))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(bomb)], capture_output=True, text=True, check=True).stdout
    count, reasons, rss_mb = eval(out)  # noqa: S307 - our own probe's repr
    assert count == 0 and "larger than 256M" in reasons[0]
    assert rss_mb < 700, f"gzip bomb: {rss_mb} MB resident"
    out = subprocess.run([sys.executable, "-c", probe, str(array)], capture_output=True, text=True, check=True).stdout
    count, reasons, rss_mb = eval(out)  # noqa: S307
    assert count == ARRAY_COPIES * len(BUNDLED) and not reasons
    assert rss_mb < 200, f"200 MB JSON array: {rss_mb} MB resident"
