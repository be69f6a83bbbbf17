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


def open_files_under(root: Path) -> list[str]:
    """The files of ``root`` this process holds open (its descriptors), once the garbage
    collector has run: Whoosh's ``CompoundStorage.close`` leaves a memory map that views
    still point into to the collector."""
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
