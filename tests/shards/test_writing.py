"""Writing a sharded index: routing by id, reruns, --prune, delete, updates, --rebuild into
another shard count (swapped atomically), the lock, exit codes, the JSON summary, kill -9."""

from __future__ import annotations

import io
import json
import os
import signal
import threading
import time
from pathlib import Path

import orjson
from click.testing import CliRunner

from indexer import Corpus
from indexer.cli import main
from indexer.shards.layout import MANIFEST, Manifest, shard_of
from indexer.store import WriteLock
from tests.store.test_processes import corpus_command, doubled_sample  # noqa: F401 - a fixture

EXIT_USAGE, EXIT_BUSY = 2, 3
WORDS = "وزير الخارجية النفط أسعار الغاز السعودية الرياض القاهرة اجتماع بلينكن لافروف".split()


def rows(count: int, prefix: str = "n") -> list[dict]:
    return [
        {"id": f"{prefix}{i:03d}", "title": WORDS[i % len(WORDS)], "body": " ".join(WORDS[j % len(WORDS)] for j in range(i, i + 7)), "date": f"2015-07-{1 + i % 28:02d}"}
        for i in range(count)
    ]


def write(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def run(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(main, list(args))
    data = json.loads(result.stdout) if result.stdout.startswith("{") else None
    return result.exit_code, data, result.stderr


def shard_ids(index: Path) -> dict[str, set[str]]:
    """The ids each shard holds, read from each shard as the index it is."""
    live = index / "current"
    held = {}
    for name, path in zip(Manifest.read(live.resolve()).names, Manifest.read(live.resolve()).paths(live.resolve())):
        with Corpus(path).open_index().searcher() as searcher:
            held[name] = {fields["id"] for fields in searcher.all_stored_fields()}
    return held


def test_articles_go_to_the_shard_of_their_id_and_reruns_find_them(tmp_path: Path) -> None:
    source = write(tmp_path / "a.jsonl", rows(60))
    index = str(tmp_path / "index")
    code, summary, _ = run("index", "--index", index, "--shards", "3", "--json", str(source))
    assert code == 0 and (summary["added"], summary["total_documents"]) == (60, 60)
    held = shard_ids(Path(index))
    assert list(held) == ["shard-000", "shard-001", "shard-002"]
    for k, name in enumerate(held):
        assert held[name] == {r["id"] for r in rows(60) if shard_of(r["id"], 3) == k}
        assert held[name], "60 ids spread over 3 shards leave none empty"

    code, summary, _ = run("index", "--index", index, "--json", str(source))  # the count is the manifest's
    assert (code, summary["added"], summary["unchanged"]) == (0, 0, 60)

    changed = rows(60)
    changed[5]["body"] = "خبر جديد عن الزلزال"
    del changed[7]
    write(source, changed)
    code, summary, _ = run("index", "--index", index, "--prune", "--json", str(source))
    assert (code, summary["updated"], summary["deleted"], summary["unchanged"], summary["pruned"]) == (0, 1, 1, 58, True)
    corpus = Corpus(index)
    assert [h.id for h in corpus.search("الزلزال")] == ["n005"]
    assert corpus.search("الخارجية", limit=100).total == sum(1 for r in changed if "الخارجية" in r["title"] + r["body"])

    code, summary, _ = run("delete", "--index", index, "--json", "n005", "n006", "nothing-here")
    assert (code, summary["deleted"], summary["total_documents"]) == (0, 2, 57)
    assert corpus.search("الزلزال").total == 0
    report = corpus.add([{"id": "n005", "body": "عودة الزلزال"}])
    assert (report.added, report.total_documents) == (1, 58)
    assert "n005" in shard_ids(Path(index))[f"shard-{shard_of('n005', 3):03d}"]


def test_skipped_records_are_reported_once_and_strict_exits_4(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows(10)) + b"{broken\n" + orjson.dumps({"id": "n001", "body": "x"}) + b"\n")
    code, summary, _ = run("index", "--index", str(tmp_path / "index"), "--shards", "4", "--strict", "--json", str(source))
    assert code == 4
    assert summary["skipped_count"] == 2  # the broken line, and the duplicate id (found by its shard)
    assert sorted(p["origin"] for p in summary["skipped"]) == [f"{source}:11", f"{source}:12"]


def test_a_new_shard_count_needs_rebuild_which_swaps_all_shards_at_once(tmp_path: Path) -> None:
    index = tmp_path / "index"
    old = write(tmp_path / "old.jsonl", rows(40, "old"))
    new = write(tmp_path / "new.jsonl", rows(50, "new"))
    assert run("index", "--index", str(index), "--shards", "3", "--quiet", str(old))[0] == 0
    code, _, error = run("index", "--index", str(index), "--shards", "2", str(old))
    assert code == EXIT_USAGE and "has 3 shards: add --rebuild" in error

    reader = Corpus(index)
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(reader.search("الخارجية OR السعودية OR اجتماع", limit=1).total)

    before = reader.search("الخارجية OR السعودية OR اجتماع", limit=1).total
    thread = threading.Thread(target=read)
    thread.start()
    try:
        code, summary, _ = run("index", "--index", str(index), "--rebuild", "--shards", "2", "--json", str(new))
    finally:
        stop.set()
        thread.join()
    after = reader.search("الخارجية OR السعودية OR اجتماع", limit=1).total
    assert code == 0 and summary["rebuilt"] and summary["total_documents"] == 50
    assert seen <= {before, after} and before != after  # all old shards or all new ones
    assert len(Manifest.read((index / "current").resolve()).names) == 2
    assert {h.id[:3] for h in reader.search("الخارجية", limit=100)} == {"new"}
    reader.close()

    # --shards 1 --rebuild is one index again
    assert run("index", "--index", str(index), "--rebuild", "--shards", "1", "--quiet", str(new))[0] == 0
    assert not ((index / "current") / MANIFEST).exists()
    assert Corpus(index).search("الخارجية OR السعودية OR اجتماع", limit=1).total == after


def test_a_held_lock_exits_3_and_shards_outside_their_directory_are_refused(tmp_path: Path) -> None:
    index = tmp_path / "index"
    source = write(tmp_path / "a.jsonl", rows(5))
    assert run("index", "--index", str(index), "--shards", "2", "--quiet", str(source))[0] == 0
    with WriteLock(index):
        code, _, error = run("index", "--index", str(index), str(source))
    assert code == EXIT_BUSY and "busy" in error
    manifest = (index / "current") / MANIFEST
    manifest.write_bytes(manifest.read_bytes().replace(b'"shard-001"', b'"../elsewhere"'))
    code, _, error = run("query", "--index", str(index), "الخارجية")
    assert code == 1 and "outside its directory" in error


def test_kill_9_of_a_sharded_rebuild_keeps_the_old_shards_and_a_rerun_finishes(doubled_sample: Path, tmp_path: Path) -> None:  # noqa: F811
    index = tmp_path / "index"
    first = write(tmp_path / "first.jsonl", rows(30))
    assert Corpus(index).index([first], shards=2).total_documents == 30
    process = corpus_command("index", "--quiet", "--index", str(index), "--rebuild", "--shards", "2", str(doubled_sample), batch_size=200)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith("gen-") and p.name > os.readlink(index / "current") for p in index.iterdir()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    time.sleep(3)  # well into the build
    os.kill(process.pid, signal.SIGKILL)  # the parent only: its shard writers die with it
    process.wait()
    assert Corpus(index).stats().documents == 30  # the old shards, whole
    # The writers hold the lock they inherited until they die with their parent, soon after.
    report = Corpus(index).index([doubled_sample], rebuild=True, wait=30)
    assert (report.added, report.total_documents) == (1994, 1994)
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == sorted(
        {os.readlink(index / "current"), "gen-000001"}
    )


def test_a_sharded_build_reports_its_progress_as_one_run(tmp_path: Path) -> None:
    from indexer.progress import ProgressBar
    from tests.test_cli_daily import Recorder

    source = write(tmp_path / "news.jsonl", rows(90))
    for shards in (3, 2):
        recorder = Recorder()
        report = Corpus(tmp_path / f"index-{shards}").index([source], shards=shards, progress=recorder)
        assert report.added == 90
        # every writer reads the whole source: the bar counts their average, against its size
        assert recorder.total == recorder.bytes == source.stat().st_size
        assert recorder.articles == 90
        assert recorder.commits[-1] == (90, 90, 0, 0)
        assert recorder.phases[-1] is None
        assert any(p and p.startswith("shard ") and "writing" in p for p in recorder.phases)
    screen = io.StringIO()
    bar = ProgressBar(screen)
    Corpus(tmp_path / "index-bar").index([source], shards=2, progress=bar)
    bar.close()
    assert "100%" in screen.getvalue() and "90 articles" in screen.getvalue()
