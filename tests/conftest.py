"""Shared fixtures: where the read-only test data lives, skipping cleanly without it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: Seconds between thread switches in the tests that look for races (Python's default: 0.005).
RACE_SWITCH_INTERVAL = 1e-5


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reads ``../shared/data`` is marked ``slow``: ``-m "not slow"`` runs
    what a clean clone can run, in seconds; CI runs everything."""
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present (it ships with CI, not with the project)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample_jsonl(shared_data: Path) -> Path:
    """``sample_1000.jsonl``: 1,000 real articles (800 SaudiNewsNet, 200 ANT)."""
    return shared_data / "news" / "sample_1000.jsonl"


@pytest.fixture(scope="session")
def sample_corpus(sample_jsonl: Path, tmp_path_factory: pytest.TempPathFactory):
    """One index of sample_1000.jsonl, built once per test run and shared read-only."""
    from indexer import Corpus

    corpus = Corpus(tmp_path_factory.mktemp("sample") / "index")
    report = corpus.index([sample_jsonl])
    assert report.added == 997, report  # 3 have an empty title and a blank body
    yield corpus
    corpus.close()


@pytest.fixture(scope="session")
def bundled_corpus(tmp_path_factory: pytest.TempPathFactory):
    """An index of the project's own corpus/ (no shared data needed)."""
    from indexer import Corpus

    corpus = Corpus(tmp_path_factory.mktemp("bundled") / "index")
    corpus.index([Path(__file__).resolve().parents[1] / "corpus"])
    yield corpus
    corpus.close()


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Threads switch every few bytecodes instead of every few milliseconds, so a race that
    needs a switch between two of them (a dict read, then the write relying on it) shows
    up within a test's run."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(RACE_SWITCH_INTERVAL)
    yield
    sys.setswitchinterval(interval)
