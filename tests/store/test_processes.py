"""The index under crashes, interrupts and concurrency, with real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer import Corpus
from indexer.store import WriteLock
from tests.store.leftovers import unnamed_files

EXIT_BUSY = 3
EXIT_INTERRUPTED = 130


#: Test-only: the process kills itself (SIGKILL) on the Nth call of a function, at a
#: chosen point of its run rather than at a moment a loaded machine makes unpredictable.
KILL_ON_CALL = """
import importlib, os, signal
def _kill_on_call(module, qualname, nth):
    owner = importlib.import_module(module)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    original, calls = getattr(owner, name), [0]
    def dying(*args, **kwargs):
        calls[0] += 1
        if calls[0] >= nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    setattr(owner, name, dying)
"""


def corpus_code(*argv: str, batch_size: int | None = None, parallel_min: int | None = None, hook: str = "") -> str:
    """Python code (for ``python -c``) that runs ``corpus ARGV`` followed by its own
    arguments, with the test-only knobs set and ``hook`` run first."""
    prelude = "import sys, indexer.store.sync as sync\n"
    if batch_size is not None:
        prelude += f"sync.BATCH_SIZE = {batch_size}\n"  # test-only: commit every few articles
    if parallel_min is not None:
        prelude += f"sync.PARALLEL_MIN = {parallel_min}\n"  # test-only: helper processes for small batches
    return prelude + hook + f"from indexer.cli import main\nsys.argv = ['corpus', *{list(argv)!r}, *sys.argv[1:]]\nmain()"


def corpus_command(
    *args: str,
    batch_size: int | None = None,
    parallel_min: int | None = None,
    kill_on: tuple[str, str, int] | None = None,
    **kwargs,
) -> subprocess.Popen:
    """Run ``corpus ARGS`` in a new session (so a signal can reach its whole group).
    ``kill_on``: (module, function, n): SIGKILL on the function's nth call."""
    hook = KILL_ON_CALL + f"_kill_on_call(*{kill_on!r})\n" if kill_on is not None else ""
    code = corpus_code(batch_size=batch_size, parallel_min=parallel_min, hook=hook)
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kwargs,
    )


@pytest.fixture(scope="module")
def doubled_sample(sample_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_1000 twice over, ids made distinct: 1,994 indexable articles."""
    rows = [json.loads(line) for line in sample_jsonl.open(encoding="utf-8")]
    path = tmp_path_factory.mktemp("doubled") / "news.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for copy in ("a", "b"):
            for row in rows:
                out.write(json.dumps(dict(row, id=f"{copy}-{row['id']}"), ensure_ascii=False) + "\n")
    return path


def wait_for_documents(index: Path, process: subprocess.Popen, timeout: float = 120) -> int:
    """Poll until a commit made documents visible; return how many."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if (index / "current").exists():
            count = Corpus(index).stats().documents
            if count:
                return count
        time.sleep(0.05)
    raise AssertionError("no commit became visible")


def wait_for_first_commit(index: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Poll (without opening the index, which a loaded machine makes slow) until the
    first commit is live: the run is then well under way and far from done, so a signal
    sent now lands mid-run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if (index / "current").exists():
            return
        time.sleep(0.01)
    raise AssertionError("no commit became visible")


def test_sigkill_mid_run_leaves_last_commit_and_rerun_finishes(doubled_sample: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    process = corpus_command("index", "--quiet", "--index", str(index), str(doubled_sample), batch_size=200)
    wait_for_documents(index, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()

    corpus = Corpus(index)
    committed = corpus.stats().documents
    assert 0 < committed < 1994 and committed % 200 == 0
    assert corpus.search("السعودية").total > 0

    report = Corpus(index).index([doubled_sample])  # the lock was not left behind
    assert (report.added, report.unchanged, report.total_documents) == (1994 - committed, committed, 1994)


@pytest.mark.parametrize(
    ("kill_on", "committed"),
    [
        (("indexer.store.writer", "CorpusWriter.add_document", 300), 200),  # in the second batch
        (("indexer.store.writer", "CorpusWriter._commit_toc", 2), 200),  # its segment written, not named
        (("indexer.store.merging", "_merge", 1), 1994),  # all committed, merging after them
    ],
    ids=["mid-batch", "before the commit's TOC", "in a merge"],
)
def test_sigkill_at_any_point_leaves_the_last_commit_and_the_next_run_removes_what_it_left(
    doubled_sample: Path, tmp_path: Path, kill_on: tuple[str, str, int], committed: int
) -> None:
    index = tmp_path / "index"
    process = corpus_command("index", "--quiet", "--index", str(index), str(doubled_sample), batch_size=200, kill_on=kill_on)
    process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL
    generation = (index / "current").resolve()
    assert unnamed_files(generation), "the kill left no half-written files: it landed elsewhere"

    corpus = Corpus(index)
    assert corpus.stats().documents == committed
    assert corpus.search("السعودية").total > 0
    corpus.close()
    rerun = corpus_command("index", "--json", "--index", str(index), str(doubled_sample))  # --wait 0: no stale lock
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    summary = json.loads(stdout)
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (1994 - committed, 0, committed)
    assert summary["total_documents"] == Corpus(index).stats().documents == 1994
    assert unnamed_files(generation) == []  # even a rerun that writes nothing frees the space


@pytest.mark.parametrize("parallel_min", [None, 300], ids=["one process", "helper processes"])
def test_ctrl_c_cancels_cleanly_and_leaves_no_lock(doubled_sample: Path, tmp_path: Path, parallel_min: int | None) -> None:
    # With helper processes, the interrupt comes while articles stream into them.
    index = tmp_path / "index"
    process = corpus_command(
        "index", "--index", str(index), str(doubled_sample), batch_size=200 if parallel_min is None else 900,
        parallel_min=parallel_min,
    )
    wait_for_first_commit(index, process)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr and "Interrupted" in stderr
    assert group_ends(process.pid, within=10), "a writer helper outlived the interrupted run"
    with WriteLock(index, wait=0):
        pass
    assert Corpus(index).index([doubled_sample]).total_documents == 1994


def group_ends(group: int, within: float) -> bool:
    """Whether every process of ``group`` is gone within ``within`` seconds (helpers exit
    as soon as they see their parent's interrupt; a loaded machine may take a moment)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def writer_helpers(parent: int) -> list[int]:
    """Pids of the processes whose parent is ``parent`` (its writer helpers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == parent:
                children.append(int(entry.name))
    return children


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds helpers through /proc")
def test_a_killed_writer_helper_fails_the_run_and_the_rerun_completes(doubled_sample: Path, tmp_path: Path) -> None:
    # What the OOM killer does to one helper of a batch: the batch must not be reported added.
    index = tmp_path / "index"
    process = corpus_command("index", "--index", str(index), str(doubled_sample), batch_size=5000, parallel_min=300)
    deadline = time.monotonic() + 60
    while not (helpers := writer_helpers(process.pid)) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    assert helpers, "no writer helper started"
    os.kill(helpers[0], signal.SIGKILL)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1, stderr
    assert "writer process died (killed by signal 9)" in stderr and "Traceback" not in stderr
    assert "run the same command again to finish" in stderr  # the command's words, not the library's
    with WriteLock(index, wait=0):
        pass
    assert Corpus(index).stats().documents == 0  # the one batch was not committed
    report = Corpus(index).index([doubled_sample])
    assert (report.added, report.total_documents) == (1994, 1994)


#: Test-only: on the 500th article read, another program appends to the feed being read,
#: its last line not finished yet.
APPEND_MID_RUN = """
import indexer.store.sync as sync
_hash, _calls = sync.content_hash, [0]
def appending(article):
    _calls[0] += 1
    if _calls[0] == 500:
        with open(FEED, "ab") as feed:
            feed.write(MORE[:HALF])
    return _hash(article)
sync.content_hash = appending
"""


def test_a_feed_appended_while_the_run_reads_it(doubled_sample: Path, sample_jsonl: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(doubled_sample.read_bytes())
    rows = [json.loads(line) for line in sample_jsonl.open(encoding="utf-8")][:10]
    more = "".join(json.dumps(dict(row, id=f"late-{row['id']}"), ensure_ascii=False) + "\n" for row in rows).encode()
    half = len(more) - 100  # the last line is cut in two
    prelude = f"FEED, MORE, HALF = {str(feed)!r}, {more!r}, {half}\n" + APPEND_MID_RUN
    index = tmp_path / "index"
    code = prelude + "from indexer.cli import main\nimport sys\nsys.argv = ['corpus', *sys.argv[1:]]\nmain()"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    run = subprocess.run([sys.executable, "-c", code, "index", "--json", "--index", str(index), str(feed)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    summary = json.loads(run.stdout)
    # What the file held when read: the first 9 late lines, and the tenth cut short (reported).
    assert (summary["added"], summary["total_documents"]) == (1994 + 9, 1994 + 9)
    last_line = f"{feed}:{2000 + 10}"
    assert [p["origin"] for p in summary["skipped"] if "invalid JSON" in p["reason"]] == [last_line]
    with feed.open("ab") as appended:
        appended.write(more[half:])  # the other program finishes its line
    rerun = corpus_command("index", "--json", "--index", str(index), str(feed))
    stdout, stderr = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, stderr
    summary = json.loads(stdout)
    assert (summary["added"], summary["unchanged"], summary["total_documents"]) == (1, 2003, 2004)
    assert [hit.id for hit in Corpus(index).search(f"id:late-{rows[9]['id']}")] == [f"late-{rows[9]['id']}"]


ORPHANED_HELPER = """
import multiprocessing, os, sys, time
from indexer.store.mpwriter import _die_with_parent

def helper(folder):
    open(os.path.join(folder, "pid"), "w").write(str(os.getpid()))
    time.sleep(0.5)  # the parent is killed meanwhile, before the helper asks to die with it
    _die_with_parent()
    time.sleep(0.5)
    open(os.path.join(folder, "survived"), "w").write("an orphan went on, holding the index's lock")

multiprocessing.get_context("fork").Process(target=helper, args=(sys.argv[1],)).start()
os.kill(os.getpid(), 9)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_helper_whose_parent_died_before_it_started_does_not_outlive_it(tmp_path: Path) -> None:
    # A writer helper inherits the LOCK's descriptor: one left running would keep the index
    # busy for every later run. Asking to die with a parent already dead asks for nothing.
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    subprocess.run([sys.executable, "-c", ORPHANED_HELPER, str(tmp_path)], env=env, timeout=60)
    deadline = time.monotonic() + 30
    while not (tmp_path / "pid").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    helper = Path("/proc") / (tmp_path / "pid").read_text()
    while helper.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not helper.exists(), "the helper is still running"
    assert not (tmp_path / "survived").exists()


def test_a_busy_index_names_the_process_that_holds_its_lock(doubled_sample: Path, tmp_path: Path) -> None:
    # At 02:30 the operator finds the nightly run exiting 3: which process is writing, and
    # since when? The answer says, so a stuck run can be found and stopped.
    index = tmp_path / "index"
    writer = corpus_command("index", "--quiet", "--index", str(index), str(doubled_sample), batch_size=200)
    try:
        wait_for_first_commit(index, writer)
        second = corpus_command("index", "--index", str(index), str(doubled_sample))
        _, stderr = second.communicate(timeout=60)
    finally:
        writer.kill()
        writer.communicate()
    assert second.returncode == EXIT_BUSY, stderr
    (line,) = stderr.strip().splitlines()
    assert f"is busy: process {writer.pid} has been writing it since " in line, line
    assert "use --wait SECONDS to wait for it, or stop that process if it is stuck" in line


def test_waiting_writer_gets_the_lock_when_released(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "1", "title": "وزير"}\n', encoding="utf-8")
    index = tmp_path / "index"
    lock = WriteLock(index).__enter__()
    threading.Timer(0.5, lock.__exit__, args=(None, None, None)).start()
    process = corpus_command("index", "--quiet", "--wait", "30", "--index", str(index), str(source))
    process.communicate(timeout=60)
    assert process.returncode == 0


def test_queries_during_rebuild_see_old_or_new_index_never_an_error(sample_corpus: Corpus, sample_jsonl: Path) -> None:
    expected = sample_corpus.search("وزير").total
    reader = Corpus(sample_corpus.path)
    errors: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def query_continuously() -> None:
        while not stop.is_set():
            try:
                totals.append(reader.search("وزير").total)
            except BaseException as error:  # noqa: BLE001 - any error fails the test
                errors.append(error)

    thread = threading.Thread(target=query_continuously)
    thread.start()
    try:
        rebuild = corpus_command("index", "--rebuild", "--quiet", "--index", str(sample_corpus.path), str(sample_jsonl))
        _, stderr = rebuild.communicate(timeout=300)
        assert rebuild.returncode == 0, stderr
    finally:
        stop.set()
        thread.join()
        reader.close()
    assert not errors, errors[:3]
    assert len(totals) > 10
    assert set(totals) == {expected}

