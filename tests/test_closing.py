"""``Corpus.close`` in an app with threads: searches in flight finish, later calls get a
clear error, and nothing of the index stays open."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from indexer import Corpus, UsageError

REPO = Path(__file__).resolve().parents[1]
QUERIES = ["وزير", '"وزير الخارجية"', "النفط OR الغاز", "وزي*", "بلينكن~", "date:2024", "قال"]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("closing") / "index"
    with Corpus(path) as corpus:
        corpus.index([REPO / "corpus"])
    return path


def open_files_under(root: Path, collect: bool = True) -> list[str]:
    """The files of ``root`` this process holds open (its descriptors), after a pass of
    the garbage collector unless not ``collect``."""
    if collect:
        gc.collect()
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # closed since listed
        if target.startswith(str(root)):
            held.append(target)
    return held


def test_close_while_threads_search_lets_them_finish_then_refuses(index: Path, fast_switching: None) -> None:
    corpus = Corpus(index)
    finished = [0]
    outcomes: list[str] = []
    lock = threading.Lock()

    def search(number: int) -> None:
        n = number
        while True:
            try:
                results = corpus.search(QUERIES[n % len(QUERIES)], limit=20, facets=["source"] if n % 3 else ())
                if results.hits:
                    corpus.article(results.hits[0].id, query=QUERIES[n % len(QUERIES)])
                corpus.similar("ar-0001", limit=3)
            except UsageError as error:
                with lock:
                    outcomes.append(str(error))
                return
            except BaseException as error:  # noqa: BLE001 - anything else fails the test
                with lock:
                    outcomes.append(f"{type(error).__name__}: {error}")
                return
            with lock:
                finished[0] += 1
            n += 1

    threads = [threading.Thread(target=search, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while finished[0] < 16 and time.monotonic() < deadline:
        time.sleep(0.01)
    corpus.close()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a search hung after close()"
    assert len(outcomes) == 8
    assert all(o.startswith("this Corpus of ") and o.endswith("is closed: make a new Corpus to use the index again") for o in outcomes), outcomes
    assert open_files_under(index) == []


def test_a_closed_corpus_refuses_every_call_in_one_line(index: Path) -> None:
    with Corpus(index) as corpus:
        assert corpus.search("وزير").total > 0
    for call in (
        lambda: corpus.search("وزير"),
        lambda: corpus.article("ar-0001"),
        lambda: corpus.stats(),
        lambda: corpus.kwic("وزير"),
        lambda: corpus.add([{"id": "new", "title": "خبر", "body": "نص"}]),
    ):
        with pytest.raises(UsageError, match=r"^this Corpus of .* is closed: make a new Corpus to use the index again$"):
            call()
    corpus.close()  # closing again is harmless
    assert open_files_under(index) == []
    with Corpus(index) as again:
        assert again.search("وزير").total > 0


def test_the_views_keep_no_file_of_a_generation_a_rebuild_swapped_out(tmp_path: Path) -> None:
    """A long-running app that shows concordances while the nightly job rebuilds: the
    old generation's files are deleted, and must not stay mapped (their disk space kept)."""
    index = tmp_path / "index"
    with Corpus(index) as corpus:
        corpus.index([REPO / "corpus"])
        first = corpus.kwic("وزير", limit=5)
        old = corpus.location.live_generation()
        corpus.index([REPO / "corpus"], rebuild=True)
        assert corpus.location.live_generation() != old
        assert corpus.kwic("وزير", limit=5).total == first.total
        assert open_files_under(old) == []
    assert open_files_under(index) == []


WRITER = r"""
import sys, time
from indexer import Corpus
corpus = Corpus(sys.argv[1])
for n in range(int(sys.argv[2])):
    corpus.add([{"id": f"w-{n}", "title": "خبر", "body": f"قال وزير الخارجية في بيان رقم {n}"}], wait=30)
    time.sleep(0.2)  # the threads search each state
"""


def test_views_and_searches_under_threads_while_another_process_commits(tmp_path: Path, fast_switching: None) -> None:
    """A view plans with one searcher and counts with another ``get``: a commit between
    the two must not close the one still in use."""
    index = tmp_path / "index"
    with Corpus(index) as corpus:
        corpus.index([REPO / "corpus"])
    shared = Corpus(index)
    stop = threading.Event()
    errors: list[str] = []

    def use(number: int) -> None:
        calls = [
            lambda: shared.kwic("وزير", limit=5),
            lambda: shared.trend("وزير", by="month"),
            lambda: shared.collocates("وزير", top=5),
            lambda: shared.freq("وزير", top=5),
            lambda: shared.search("وزير الخارجية", facets=["source"]),
        ]
        n = number
        while not stop.is_set():
            try:
                calls[n % len(calls)]()
            except BaseException as error:  # noqa: BLE001 - every error fails the test
                errors.append(f"{type(error).__name__}: {error}")
                return
            n += 1

    threads = [threading.Thread(target=use, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        writer = subprocess.run([sys.executable, "-c", WRITER, str(index), "12"], capture_output=True, text=True, env=env, timeout=300)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        shared.close()
    assert writer.returncode == 0, writer.stderr
    assert errors == [], errors[:3]
    assert open_files_under(index) == []


def test_searches_over_an_index_that_keeps_changing_hold_no_more_files(tmp_path: Path) -> None:
    """A search leaves nothing for the garbage collector to free: a long-running app
    whose index another process commits to must not pile up the files of searchers
    it has replaced while the collector waits for its next full pass."""
    index = tmp_path / "index"
    with Corpus(index) as writer:
        writer.index([REPO / "corpus"])
    collecting = gc.isenabled()
    gc.disable()
    try:
        with Corpus(index) as corpus, Corpus(index) as writer:
            held = []
            for n in range(12):
                writer.add([{"id": f"w-{n}", "title": "خبر", "body": f"قال وزير الخارجية في بيان رقم {n}"}])
                assert corpus.search("وزير الخارجية").total > 0
                corpus.search('"وزير الخارجية"', facets=["source"])
                held.append(len(open_files_under(index, collect=False)))
            with writer.open_index().reader() as reader:
                segments = len(reader.leaf_readers())
        assert max(held) <= segments + 2, held
    finally:
        if collecting:
            gc.enable()


def test_the_searchers_of_threads_that_ended_are_closed(index: Path) -> None:
    """A server that starts a thread per request: each request's searcher is closed once
    its thread has ended (when the next one opens), not kept until ``close()``."""
    threads = threading.active_count()
    with Corpus(index) as corpus:
        corpus.search("وزير")
        alone = len(open_files_under(index))
        for query in QUERIES * 3:
            request = threading.Thread(target=corpus.search, args=(query,))
            request.start()
            request.join()
        assert len(open_files_under(index)) <= 2 * alone  # this thread's, and the last request's
        assert threading.active_count() == threads
