"""`corpus index --cluster` stopped by a signal, with its shards written as tasks on real
Dask worker processes on 127.0.0.1: the writers on the workers stop too (Dask cannot
interrupt a task: each is told through its run's event), the command says what each shard
committed (and names a writer it could not stop), one line on stderr, the exit code
128 + the signal, and a rerun whose counts add up."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.errors import IndexBusyError
from indexer.store import WriteLock
from tests.query.test_execute import generate
from tests.shards.test_equivalence import write_jsonl
from tests.store.test_processes import corpus_code
from tests.store.test_signals import REPO, SIGNALS, assert_rerun_adds_up, assert_stopped_cleanly, wait_for_a_commit

distributed = pytest.importorskip("distributed")

ARTICLES = 160


def pace(batch_size: int, pause: float) -> None:
    """Test-only, in a worker process: commit every ``batch_size`` articles and pause
    ``pause`` seconds after each commit (a build well under way when the test stops it);
    ``pace(0, 0)`` puts the writer back as it was."""
    import indexer.store.sync as sync

    original = sync.__dict__.setdefault("_paced", (sync.BATCH_SIZE, sync.Synchronizer._commit))
    sync.BATCH_SIZE, sync.Synchronizer._commit = original
    if batch_size:

        def paced(self, batch, merge):  # type: ignore[no-untyped-def]
            original[1](self, batch, merge)
            time.sleep(pause)

        sync.BATCH_SIZE, sync.Synchronizer._commit = batch_size, paced


def writing(dask_worker) -> list[str]:  # type: ignore[no-untyped-def]
    """The shard writer tasks this worker is running."""
    return [str(task.key) for task in dask_worker.state.executing if str(task.key).startswith("corpus-write-")]


def running_writers(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [key for keys in client.run(writing).values() for key in keys]


@pytest.fixture
def paced(shared_cluster) -> Iterator[Callable[[int, float], None]]:  # type: ignore[no-untyped-def]
    with distributed.Client(shared_cluster) as client:
        yield lambda batch_size, pause: client.run(pace, batch_size, pause)
        client.run(pace, 0, 0.0)


def corpus_index(*args: str, stop_seconds: float | None = None) -> subprocess.Popen:
    """``corpus index --json ARGS`` in a session of its own; ``stop_seconds``: test-only,
    how long it waits for its writers once stopped."""
    hook = f"import indexer.shards.tasks as tasks\ntasks.STOP_SECONDS = {stop_seconds}\n" if stop_seconds is not None else ""
    return subprocess.Popen(
        [sys.executable, "-c", corpus_code("index", "--json", hook=hook), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def shard_documents(index: Path) -> dict[str, int]:
    return {shard.name: Corpus(shard).stats().documents for shard in sorted((index / "current").glob("shard-*"))}


@pytest.mark.parametrize(("name", "to_group"), [("SIGTERM", False), ("SIGINT", True)], ids=["SIGTERM-to-the-command", "SIGINT-to-the-group"])
def test_a_stop_mid_build_stops_the_writers_on_the_workers(tmp_path: Path, shared_cluster, paced, name: str, to_group: bool) -> None:  # type: ignore[no-untyped-def]
    # 3 shards on 2 one-thread workers: two writers run, the third waits for a thread.
    source = write_jsonl(generate(ARTICLES, seed=7), tmp_path / "articles.jsonl")
    index = tmp_path / "index"
    paced(5, 0.1)
    process = corpus_index("--index", str(index), "--shards", "3", "--cluster", shared_cluster.scheduler_address, str(source))
    wait_for_a_commit(index, process)
    (os.killpg if to_group else os.kill)(process.pid, SIGNALS[name])
    stdout, stderr = process.communicate(timeout=120)
    with distributed.Client(shared_cluster) as client:
        assert running_writers(client) == [], "a shard's writer went on after the command ended"
    summary = assert_stopped_cleanly(process, stdout, stderr, index, name)
    for shard in (index / "current").glob("shard-*"):
        with WriteLock(shard, wait=0):
            pass  # no writer holds a shard
    held = shard_documents(index)
    shards = summary["error"]["shards"]
    assert {s["shard"]: s["documents"] or 0 for s in shards} == held, "what the command says each shard committed is what it holds"
    assert {s["state"] for s in shards} <= {"stopped", "finished"} and "stopped" in {s["state"] for s in shards}
    assert summary["added"] == sum(s["added"] for s in shards) == summary["total_documents"] == sum(held.values())
    assert "; the index is at this run's last commit. Kept what this run committed:" in stderr
    assert "On the cluster: shard-000 " in stderr and "shard-002 " in stderr
    time.sleep(1.0)
    assert shard_documents(index) == held, "nothing committed after the command said what it kept"
    assert_rerun_adds_up(index, source, summary["added"], ARTICLES, "--cluster", shared_cluster.scheduler_address)


def test_a_writer_that_does_not_stop_in_time_is_named_and_a_rerun_waits_for_it(tmp_path: Path, shared_cluster, paced) -> None:  # type: ignore[no-untyped-def]
    # Each writer pauses 3 s after a commit (as in a long commit), past the 0.5 s the
    # command is given to wait for them: it ends saying they may still be writing.
    source = write_jsonl(generate(ARTICLES, seed=7), tmp_path / "articles.jsonl")
    index = tmp_path / "index"
    paced(5, 3.0)
    address = shared_cluster.scheduler_address
    process = corpus_index("--index", str(index), "--shards", "3", "--cluster", address, str(source), stop_seconds=0.5)
    wait_for_a_commit(index, process)
    os.kill(process.pid, signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 143 and "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.strip()]) == 1, stderr
    assert stderr.startswith("Interrupted by SIGTERM. Committed as far as this command heard:"), stderr
    assert "may still be writing (told to stop, they had not stopped after 0.5s)" in stderr
    error = json.loads(stdout)["error"]
    assert (error["kind"], error["exit_code"]) == ("signal", 143)
    assert [s["state"] for s in error["shards"]].count("still running") >= 1
    busy = []
    for shard in (index / "current").glob("shard-*"):
        try:
            with WriteLock(shard, wait=0):
                pass
        except IndexBusyError:
            busy.append(shard.name)
    assert busy and set(busy) <= {s["shard"] for s in error["shards"] if s["state"] == "still running"}
    # The next run waits (--wait) for the shards' writers to end, then finishes the job.
    paced(0, 0.0)  # the writers still running stop at their next article, the rerun writes at full speed
    rerun = corpus_index("--index", str(index), "--wait", "60", "--cluster", address, str(source))
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    done = json.loads(out)
    assert done["error"] is None and done["total_documents"] == ARTICLES
    assert done["added"] + done["unchanged"] == ARTICLES and done["unchanged"] >= json.loads(stdout)["added"]
    with distributed.Client(shared_cluster) as client:
        assert running_writers(client) == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_a_stop_while_the_scheduler_is_gone_still_ends_in_one_line(tmp_path: Path) -> None:
    # `dask scheduler` and `dask worker` as processes of their own: the scheduler is
    # killed mid-build, then the command is stopped. It cannot tell the writers: it says so.
    dask = Path(sys.executable).parent / "dask"
    address = f"tcp://127.0.0.1:{free_port()}"
    scheduler = subprocess.Popen(
        [str(dask), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    workers = subprocess.Popen(
        [str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    try:
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            client.run(pace, 5, 0.2)
        source = write_jsonl(generate(ARTICLES, seed=7), tmp_path / "articles.jsonl")
        index = tmp_path / "index"
        process = corpus_index("--index", str(index), "--shards", "3", "--cluster", address, str(source))
        wait_for_a_commit(index, process)
        os.killpg(scheduler.pid, signal.SIGKILL)
        scheduler.wait()
        time.sleep(0.5)
        stopped_at = time.monotonic()
        os.kill(process.pid, signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
        assert time.monotonic() - stopped_at < 30, "a stop is not held up by a scheduler that is gone"
        assert process.returncode == 143 and "Traceback" not in stderr
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Interrupted by SIGTERM"), stderr
        assert "may still be writing (the Dask scheduler could not be reached to stop them)" in stderr
        error = json.loads(stdout)["error"]
        assert error["signal"] == "SIGTERM" and {s["state"] for s in error["shards"]} == {"still running"}
        # The workers end without their scheduler; a run of this machine then finishes the job.
        assert workers.wait(timeout=120) is not None
        with WriteLock(index, wait=0):
            pass
        kept = Corpus(index).stats().documents
        assert_rerun_adds_up(index, source, kept, ARTICLES, "--wait", "30")
    finally:
        for started in (scheduler, workers):
            if started.poll() is None:
                os.killpg(started.pid, signal.SIGKILL)
                started.wait()
