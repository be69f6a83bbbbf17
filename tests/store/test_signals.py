"""`corpus index` stopped by the signals a cron job really ends with: SIGTERM (systemd,
`timeout`, a shutdown), SIGHUP (a closed terminal), SIGINT (Ctrl-C), sent to the whole
process group or to the command alone, at fixed points of a run and at random moments.

Whatever the moment, the user gets one line on stderr naming the signal and what was kept,
the exit code 128 + the signal, a JSON summary with ``--json``, no traceback, no helper
process left, the lock free, no half-written file, and a rerun whose counts add up with
what the stopped run said it committed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.store import WriteLock
from tests.store.leftovers import unnamed_files
from tests.store.test_processes import corpus_code, group_ends

REPO = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO / "corpus"
BUNDLED = 39  # articles of corpus/
SAMPLE = 997  # indexable articles of sample_1000.jsonl
SIGNALS = {"SIGTERM": int(signal.SIGTERM), "SIGHUP": int(signal.SIGHUP), "SIGINT": int(signal.SIGINT)}

#: Test-only: the process sends itself SIGNAL right after the Nth call of a function
#: returns: a chosen point of the run, not a moment a loaded machine makes unpredictable.
SIGNAL_AFTER_CALL = """
import importlib, os
def _signal_after_call(module, qualname, nth, signum):
    owner = importlib.import_module(module)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    original, calls = getattr(owner, name), [0]
    def signalling(*args, **kwargs):
        result = original(*args, **kwargs)
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signum)
        return result
    setattr(owner, name, signalling)
"""


def index_command(
    *args: str, batch_size: int | None = None, parallel_min: int | None = None, signal_after: tuple | None = None
) -> list[str]:
    """The command line of ``corpus index --json ARGS``, with test-only knobs."""
    hook = SIGNAL_AFTER_CALL + f"_signal_after_call(*{signal_after!r})\n" if signal_after is not None else ""
    code = corpus_code("index", "--json", batch_size=batch_size, parallel_min=parallel_min, hook=hook)
    return [sys.executable, "-c", code, *args]


def corpus_index(*args: str, **knobs) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    """``corpus index --json ARGS`` in a session of its own (a signal can reach its group)."""
    return subprocess.Popen(
        index_command(*args, **knobs),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )


def generations(index: Path) -> list[Path]:
    """Every generation of the index, and of each of its shards."""
    return sorted(p for p in index.rglob("gen-*") if p.is_dir() and (p / "meta.json").exists() and any(p.glob("_MAIN_*.toc")))


def assert_stopped_cleanly(process: subprocess.Popen, stdout: str, stderr: str, index: Path, name: str) -> dict:
    """The stopped run's promises; returns its JSON summary."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"Interrupted by {name}"), lines[0]
    assert process.returncode == 128 + SIGNALS[name], stderr
    summary = json.loads(stdout)
    assert summary["error"]["kind"] == "signal" and summary["error"]["signal"] == name
    assert summary["error"]["exit_code"] == process.returncode
    assert group_ends(process.pid, within=10), "a helper process outlived the stopped run"
    with WriteLock(index, wait=0):
        pass  # the lock is free
    for generation in generations(index):
        assert unnamed_files(generation) == [], f"half-written files left in {generation}"
    return summary


def assert_rerun_adds_up(index: Path, sources: Path, kept: int, total: int, *args: str) -> None:
    """The next run finishes the job, and its counts add up with what was kept."""
    rerun = corpus_index("--index", str(index), *args, str(sources))
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    summary = json.loads(stdout)
    assert summary["error"] is None
    assert (summary["added"], summary["unchanged"], summary["total_documents"]) == (total - kept, kept, total)


# --- fixed points, on the bundled corpus (no shared data needed) ----------------------------


@pytest.mark.parametrize("name", SIGNALS)
def test_a_signal_mid_batch_keeps_the_last_commit_and_says_so(tmp_path: Path, name: str) -> None:
    index = tmp_path / "index"
    process = corpus_index(
        "--index", str(index), str(CORPUS_DIR), batch_size=10,
        signal_after=("indexer.store.writer", "CorpusWriter.add_document", 25, SIGNALS[name]),
    )
    stdout, stderr = process.communicate(timeout=120)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, name)
    assert "Kept what this run committed: 20 added." in stderr and "The index holds 20 documents." in stderr
    assert (summary["added"], summary["total_documents"]) == (20, 20) == (20, Corpus(index).stats().documents)
    assert_rerun_adds_up(index, CORPUS_DIR, 20, BUNDLED)


def test_a_signal_while_a_commit_is_named_waits_until_it_is_counted(tmp_path: Path) -> None:
    # Sent once the second commit has begun writing its TOC: that commit is kept, and
    # the run says so (acted on at once, it would report 10 of the 20 documents it kept).
    index = tmp_path / "index"
    process = corpus_index(
        "--index", str(index), str(CORPUS_DIR), batch_size=10,
        signal_after=("indexer.store.stopping", "hold", 2, int(signal.SIGTERM)),
    )
    stdout, stderr = process.communicate(timeout=120)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, "SIGTERM")
    assert summary["added"] == Corpus(index).stats().documents == 20
    assert_rerun_adds_up(index, CORPUS_DIR, 20, BUNDLED)


def test_a_signal_during_a_rebuild_leaves_the_live_index_and_no_copy(tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = corpus_index("--index", str(index), str(CORPUS_DIR))
    assert first.wait(timeout=120) == 0
    process = corpus_index(
        "--rebuild", "--index", str(index), str(CORPUS_DIR), batch_size=10,
        signal_after=("indexer.store.writer", "CorpusWriter.add_document", 25, int(signal.SIGTERM)),
    )
    stdout, stderr = process.communicate(timeout=120)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, "SIGTERM")
    assert "the rebuild was not finished" in stderr
    assert (summary["added"], summary["total_documents"], summary["rebuilt"]) == (0, BUNDLED, False)
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000001"]


def test_a_signal_once_a_rebuild_is_swapped_in_changes_nothing(tmp_path: Path) -> None:
    index = tmp_path / "index"
    assert corpus_index("--index", str(index), str(CORPUS_DIR)).wait(timeout=120) == 0
    process = corpus_index(
        "--rebuild", "--index", str(index), str(CORPUS_DIR),
        signal_after=("indexer.store.location", "Location.swap_to", 1, int(signal.SIGTERM)),
    )
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    summary = json.loads(stdout)
    assert summary["error"] is None and summary["rebuilt"] and summary["total_documents"] == BUNDLED


def test_a_signal_while_waiting_for_a_busy_index_stops_at_once(tmp_path: Path) -> None:
    # systemd stopping a nightly run that waits (--wait) for an overlapping manual run.
    index = tmp_path / "index"
    assert corpus_index("--index", str(index), str(CORPUS_DIR)).wait(timeout=120) == 0
    with WriteLock(index):
        process = corpus_index(
            "--wait", "600", "--index", str(index), str(CORPUS_DIR),
            signal_after=("time", "sleep", 1, int(signal.SIGTERM)),  # the lock's first poll
        )
        stdout, stderr = process.communicate(timeout=60)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, "SIGTERM")
    assert "before this run committed anything" in stderr and "The index holds 39 documents." in stderr
    assert (summary["added"], summary["total_documents"]) == (0, BUNDLED)


def test_nohup_keeps_sighup_ignored(tmp_path: Path) -> None:
    # `nohup corpus index ...`: the run goes on through a SIGHUP, as nohup promises.
    index = tmp_path / "index"
    command = index_command(
        "--index", str(index), str(CORPUS_DIR), batch_size=10,
        signal_after=("indexer.store.writer", "CorpusWriter.add_document", 25, int(signal.SIGHUP)),
    )
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=dict(os.environ, PYTHONPATH=str(REPO)),
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),  # what nohup does
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_documents"] == BUNDLED


# --- real processes on real news: helpers, shards, random moments ---------------------------


MODES = {
    "one index": ((), {"batch_size": 100}),
    "helper processes": ((), {"batch_size": 450, "parallel_min": 150}),
    "shards": (("--shards", "2"), {"batch_size": 100}),
}


def wait_for_a_commit(index: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the run's first commit is live (a run well under way, far from done)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if any((index / "current").exists() and any(g.glob("_MAIN_*.toc")) for g in index.rglob("gen-*")):
            if Corpus(index).stats().documents:
                return
        time.sleep(0.05)
    raise AssertionError("no commit became visible")


@pytest.mark.parametrize(
    ("name", "mode"),
    [("SIGTERM", "one index"), ("SIGTERM", "helper processes"), ("SIGTERM", "shards"), ("SIGHUP", "helper processes"), ("SIGINT", "shards")],
)
def test_a_signal_to_the_group_mid_run(sample_jsonl: Path, tmp_path: Path, name: str, mode: str) -> None:
    # What systemd (KillMode=control-group), `timeout` and a terminal's Ctrl-C do.
    args, knobs = MODES[mode]
    index = tmp_path / "index"
    process = corpus_index("--index", str(index), *args, str(sample_jsonl), **knobs)
    wait_for_a_commit(index, process)
    os.killpg(process.pid, SIGNALS[name])
    stdout, stderr = process.communicate(timeout=120)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, name)
    kept = Corpus(index).stats().documents
    assert summary["added"] == summary["total_documents"] == kept and 0 < kept
    assert f"The index holds {kept:,} documents." in stderr
    assert_rerun_adds_up(index, sample_jsonl, kept, SAMPLE)


@pytest.mark.parametrize("mode", ["one index", "shards"])
def test_sigterm_to_the_command_alone_stops_its_helpers_too(sample_jsonl: Path, tmp_path: Path, mode: str) -> None:
    # `kill PID` from a wrapper script: the helpers get no signal, the command ends them.
    args, knobs = MODES[mode] if mode == "shards" else MODES["helper processes"]
    index = tmp_path / "index"
    process = corpus_index("--index", str(index), *args, str(sample_jsonl), **knobs)
    wait_for_a_commit(index, process)
    os.kill(process.pid, signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=120)
    summary = assert_stopped_cleanly(process, stdout, stderr, index, "SIGTERM")
    assert summary["added"] == Corpus(index).stats().documents
    assert_rerun_adds_up(index, sample_jsonl, summary["added"], SAMPLE)


def wait_for_handlers(process: subprocess.Popen, timeout: float = 60) -> None:
    """Until the command catches SIGTERM (/proc's SigCgt): Python has started and the run
    begins. A signal before that has its default action (README, "Signals")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            return  # gone already
        caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.005)
    raise AssertionError("the command never caught SIGTERM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="waits for the handlers through /proc")
@pytest.mark.parametrize("seed", range(4))
def test_a_signal_at_a_random_moment(sample_jsonl: Path, tmp_path: Path, seed: int) -> None:
    # From the run's first instant to past its end: whatever the moment, the promises hold.
    rng = random.Random(seed)
    name = rng.choice(sorted(SIGNALS))
    args = rng.choice([(), ("--shards", "2"), ("--rebuild",)])
    delay = rng.uniform(0.0, 4.0)
    index = tmp_path / "index"
    if "--rebuild" in args:
        assert corpus_index("--index", str(index), str(CORPUS_DIR)).wait(timeout=120) == 0
    before = Corpus(index).stats().documents if index.exists() else 0
    process = corpus_index("--index", str(index), *args, str(sample_jsonl), batch_size=100)
    wait_for_handlers(process)
    time.sleep(delay)
    os.killpg(process.pid, SIGNALS[name])
    stdout, stderr = process.communicate(timeout=120)
    note = f"seed {seed}: {name} after {delay:.2f}s with {args}"
    if stdout and json.loads(stdout)["error"] is None:
        # Done before the signal came (exit 0), or just after it printed its summary.
        assert process.returncode in (0, -SIGNALS[name]), note
        assert json.loads(stdout)["total_documents"] == SAMPLE, note
        return
    if not stdout:
        # The signal came while Python was starting, before the command could act on it:
        # its default action; nothing was written yet.
        # (Ctrl-C's own handler, once click runs: "Interrupted.", 130.)
        assert process.returncode == -SIGNALS[name] or (name, process.returncode) == ("SIGINT", 130), note
        assert (Corpus(index).stats().documents if index.exists() else 0) == before, note
        return
    summary = assert_stopped_cleanly(process, stdout, stderr, index, name)
    documents = Corpus(index).stats().documents
    assert summary["total_documents"] == documents, note
    if "--rebuild" in args:
        assert documents == BUNDLED and summary["added"] == 0, note
        return
    assert summary["added"] == documents, note
    assert_rerun_adds_up(index, sample_jsonl, documents, SAMPLE)
