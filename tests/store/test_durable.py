"""A commit is on the disk before the run reports it: every file its TOC names is synced
before the TOC is renamed into place, the TOC itself before its rename, and the directory
after it; the same for meta.json, the views' streams and the ``current`` link a rebuild
swaps. A power cut cannot be staged in a test, so each run records, in order, what it synced
and renamed (its own ``os`` functions wrapped, in its process only) and the order is checked
against what the index names at the end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.store.location import open_generation

REPO = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO / "corpus"

#: Test-only: log every fsync (by the path of its descriptor) and every rename, in order.
RECORDING = """
import json, os
_log = open(LOG, "a", buffering=1)
_fsync, _rename, _replace = os.fsync, os.rename, os.replace
def _fsynced(fd):
    _fsync(fd)
    _log.write(json.dumps(["fsync", os.readlink(f"/proc/self/fd/{fd}")]) + "\\n")
def _renaming(original):
    def renamed(src, dst, *args, **kwargs):
        original(src, dst, *args, **kwargs)
        _log.write(json.dumps(["rename", os.path.abspath(src), os.path.abspath(dst)]) + "\\n")
    return renamed
os.fsync, os.rename, os.replace = _fsynced, _renaming(_rename), _renaming(_replace)
"""


def indexed(log: Path, *args: str, parallel_min: int | None = None) -> list[tuple[str, ...]]:
    """Run ``corpus index ARGS`` recording into ``log``; its events, in order."""
    prelude = f"LOG = {str(log)!r}\n" + RECORDING + "import sys, indexer.store.sync as sync\n"
    if parallel_min is not None:
        prelude += f"sync.PARALLEL_MIN = {parallel_min}\n"  # test-only: helper processes for small batches
    code = prelude + "from indexer.cli import main\nsys.argv = ['corpus', 'index', '--quiet', *sys.argv[1:]]\nmain()"
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    assert done.returncode == 0, done.stderr
    return [tuple(json.loads(line)) for line in log.read_text().splitlines()]


def renamed_to(events: list[tuple[str, ...]], path: Path) -> int:
    """Where in ``events`` the last rename onto ``path`` is."""
    places = [n for n, event in enumerate(events) if event[0] == "rename" and event[2] == str(path)]
    assert places, f"nothing was renamed to {path}"
    return places[-1]


def synced_before(events: list[tuple[str, ...]], place: int) -> set[str]:
    return {event[1] for event in events[:place] if event[0] == "fsync"}


def synced_after(events: list[tuple[str, ...]], place: int) -> set[str]:
    return {event[1] for event in events[place + 1:] if event[0] == "fsync"}


def assert_generation_durable(events: list[tuple[str, ...]], generation: Path) -> None:
    toc = open_generation(generation)._read_toc()
    toc_path = generation / f"_MAIN_{toc.generation}.toc"
    place = renamed_to(events, toc_path)
    before = synced_before(events, place)
    live = tuple(f"{segment.segment_id()}." for segment in toc.segments)
    named = [p for p in generation.iterdir() if p.name.startswith(live)]
    assert named, "the TOC names no file"
    assert [p.name for p in named if str(p) not in before] == [], "the TOC was renamed before its segments were synced"
    assert events[place][1] in before, "the TOC's own bytes were not synced before its rename"
    assert str(generation) in synced_after(events, place), "the TOC's rename was not synced"
    meta = renamed_to(events, generation / "meta.json")
    assert events[meta][1] in synced_before(events, meta) and str(generation) in synced_after(events, meta)
    views = str(generation / "views")
    streams = [n for n, event in enumerate(events) if event[0] == "rename" and event[2].startswith(views + "/")]
    assert streams, "no word stream was saved"
    for n in streams:
        source = events[n][1]
        assert {f"{source}/{name}" for name in ("tokens.npy", "starts.npy", "words.txt", "format")} <= synced_before(events, n)
        assert views in synced_after(events, n)


@pytest.mark.parametrize("parallel_min", [None, 10], ids=["one process", "helper processes"])
def test_a_commit_is_synced_before_its_toc_names_it(tmp_path: Path, parallel_min: int | None) -> None:
    index = tmp_path / "index"
    events = indexed(tmp_path / "log", "--index", str(index), str(CORPUS_DIR), parallel_min=parallel_min)
    generation = (index / "current").resolve()
    assert_generation_durable(events, generation)
    swap = renamed_to(events, index / "current")
    assert str(index) in synced_after(events, swap), "the first build's link was not synced"


def test_a_rebuild_is_synced_before_it_is_swapped_in(tmp_path: Path) -> None:
    index = tmp_path / "index"
    indexed(tmp_path / "first", "--index", str(index), str(CORPUS_DIR))
    events = indexed(tmp_path / "log", "--rebuild", "--index", str(index), str(CORPUS_DIR))
    generation = (index / "current").resolve()
    assert generation.name == "gen-000002"
    assert_generation_durable(events, generation)
    swap = renamed_to(events, index / "current")
    toc = renamed_to(events, generation / f"_MAIN_{open_generation(generation)._read_toc().generation}.toc")
    assert toc < swap, "the rebuild was swapped in before its last commit"
    assert str(index) in synced_after(events, swap), "the swap was not synced"


def test_a_sharded_build_syncs_each_shard_and_its_manifest(tmp_path: Path) -> None:
    index = tmp_path / "index"
    events = indexed(tmp_path / "log", "--shards", "2", "--index", str(index), str(CORPUS_DIR))
    root = (index / "current").resolve()
    manifest = renamed_to(events, root / "manifest.json")
    assert events[manifest][1] in synced_before(events, manifest) and str(root) in synced_after(events, manifest)
    for shard in sorted(root.glob("shard-*")):
        assert_generation_durable(events, (shard / "current").resolve())
