"""A disk that fills up under `corpus index`, on a small tmpfs of its own: the run fails in
one line naming the problem, the index serves what it had, nothing half-written keeps the
space, and the next run succeeds once space is freed. Mounting needs root: elsewhere these
tests skip."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from tests.store.leftovers import unnamed_files

REPO = Path(__file__).resolve().parents[2]
#: Room for the sample's index (18 MB) and a rebuild of it beside it.
DISK_MB = 64
MB = 1 << 20


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of ``DISK_MB`` mounted for the test (root only)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


@pytest.fixture
def indexed(small_disk: Path, sample_jsonl: Path) -> Path:
    """The sample's index on the small disk: 997 documents."""
    index = small_disk / "index"
    assert Corpus(index).index([sample_jsonl]).total_documents == 997
    return index


def fill(disk: Path, leave: int) -> Path:
    """A file taking all of ``disk``'s free space but ``leave`` bytes."""
    stat = os.statvfs(disk)
    ballast = disk / "ballast"
    with ballast.open("wb") as out:
        out.truncate(0)
        out.write(b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))
    return ballast


def new_articles(sample: Path, folder: Path, count: int) -> Path:
    """The first ``count`` sample articles under new ids: a night's new articles."""
    path = folder / "night.jsonl"
    with sample.open(encoding="utf-8") as rows, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(count), rows):
            row = json.loads(line)
            out.write(json.dumps(dict(row, id=f"night-{row['id']}"), ensure_ascii=False) + "\n")
    return path


def corpus_index(*args: str, parallel_min: int | None = None) -> subprocess.CompletedProcess:
    prelude = "import sys, indexer.store.sync as sync\n"
    if parallel_min is not None:
        prelude += f"sync.PARALLEL_MIN = {parallel_min}\n"  # test-only: helper processes for small batches
    code = prelude + "from indexer.cli import main\nsys.argv = ['corpus', 'index', *sys.argv[1:]]\nmain()"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=600)


def assert_one_line(run: subprocess.CompletedProcess, index: Path, problem: str) -> None:
    """The run failed with exit code 1 and one line naming the index and the problem."""
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"Error: cannot write the index at {index}: {problem}"), lines[0]


@pytest.mark.parametrize("parallel_min", [None, 100], ids=["one process", "helper processes"])
def test_a_full_disk_fails_the_run_and_the_next_run_finishes(
    indexed: Path, sample_jsonl: Path, tmp_path: Path, parallel_min: int | None
) -> None:
    generation = (indexed / "current").resolve()
    before = Corpus(indexed).search("السعودية").total
    night = new_articles(sample_jsonl, tmp_path, 300)
    ballast = fill(indexed.parent, leave=2 * MB)

    run = corpus_index("--index", str(indexed), "--json", str(night), parallel_min=parallel_min)

    assert_one_line(run, indexed, "no space left on its device")
    assert "it keeps its last commit (997 documents): free some space there and run the same command again" in run.stderr
    summary = json.loads(run.stdout)  # a cron wrapper still gets its summary
    assert summary["error"]["kind"] == "unwritable" and summary["error"]["exit_code"] == 1
    assert "no space left on its device" in summary["error"]["message"]
    assert (summary["added"], summary["total_documents"]) == (0, 997)
    corpus = Corpus(indexed)
    assert corpus.stats().documents == 997 and corpus.search("السعودية").total == before
    corpus.close()
    assert unnamed_files(generation) == []  # the failed batch's files do not keep the space
    ballast.unlink()
    rerun = corpus_index("--index", str(indexed), "--json", str(night))
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["added"], summary["unchanged"], summary["total_documents"]) == (300, 0, 1297)


def test_a_rebuild_that_fills_the_disk_leaves_the_live_index_and_no_half_built_copy(indexed: Path, sample_jsonl: Path) -> None:
    ballast = fill(indexed.parent, leave=6 * MB)

    run = corpus_index("--rebuild", "--index", str(indexed), str(sample_jsonl))

    assert_one_line(run, indexed, "no space left on its device")
    assert sorted(p.name for p in indexed.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]
    assert Corpus(indexed).stats().documents == 997
    ballast.unlink()
    rerun = corpus_index("--rebuild", "--index", str(indexed), "--json", str(sample_jsonl))
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["total_documents"] == 997


def test_a_sharded_rebuild_that_fills_the_disk_leaves_no_half_built_copy(small_disk: Path, sample_jsonl: Path) -> None:
    index = small_disk / "index"
    assert corpus_index("--shards", "2", "--quiet", "--index", str(index), str(sample_jsonl)).returncode == 0
    ballast = fill(small_disk, leave=6 * MB)

    run = corpus_index("--rebuild", "--index", str(index), str(sample_jsonl))

    assert run.returncode == 1 and "no space left on its device" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000001"]
    assert Corpus(index).stats().documents == 997
    ballast.unlink()
    rerun = corpus_index("--rebuild", "--index", str(index), "--json", str(sample_jsonl))
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["total_documents"] == 997


def test_a_read_only_file_system_is_named_in_one_line(indexed: Path, sample_jsonl: Path, tmp_path: Path) -> None:
    night = new_articles(sample_jsonl, tmp_path, 10)
    subprocess.run(["mount", "-o", "remount,ro", str(indexed.parent)], check=True)
    try:
        run = corpus_index("--index", str(indexed), str(night))
        assert_one_line(run, indexed, "its file system is mounted read-only")
        assert Corpus(indexed).search("السعودية").total > 0  # searches go on
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(indexed.parent)], check=True)
