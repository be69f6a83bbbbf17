"""Dates when some segments hold no dated article at all (a run of .txt files, say)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from indexer import Article, Corpus
from indexer.sources import read_sources

BUNDLED = Path(__file__).resolve().parents[2] / "corpus"
ALL = 1000


def write_texts(folder: Path, names: list[str]) -> Path:
    folder.mkdir()
    for name in names:
        (folder / f"{name}.txt").write_text(f"خبر {name}\nقال وزير المالية إن {name}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Four runs, four segments: undated, undated, the dated bundled articles, undated."""
    root = tmp_path_factory.mktemp("dates")
    corpus = Corpus(root / "index")
    for source in (write_texts(root / "a", ["one", "two"]), write_texts(root / "b", ["three"])):
        corpus.index([source])
    corpus.index([BUNDLED])
    corpus.index([write_texts(root / "c", ["four"])])
    dates = {a.id: a.date for a in read_sources([BUNDLED]) if isinstance(a, Article)}
    yield corpus, dates
    corpus.close()


def test_stats_count_dates_over_segments_without_any(mixed) -> None:  # type: ignore[no-untyped-def]
    corpus, dates = mixed
    stats = corpus.stats()
    assert stats.documents == len(dates) + 4 and stats.undated == 4
    assert (stats.date_min, stats.date_max) == (min(dates.values()).isoformat(), max(dates.values()).isoformat())


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sorting_by_date_reads_each_document_its_own_date(mixed, sort: str) -> None:  # type: ignore[no-untyped-def]
    corpus, dates = mixed
    hits = corpus.search("وزير", sort=sort, limit=ALL).hits
    dated = [h for h in hits if h.date is not None]
    assert [h.date for h in dated] == [dates[h.id].isoformat() for h in dated]
    assert [h.date for h in dated] == sorted((h.date for h in dated), reverse=sort == "-date")
    assert len(dated) > 5 and all(h.date is None for h in hits[len(dated):])
    assert {h.id for h in hits if h.date is None} == {h.id for h in hits if h.id.endswith(".txt")}


def test_date_ranges_find_what_the_articles_say(mixed) -> None:  # type: ignore[no-untyped-def]
    corpus, dates = mixed
    start, end = datetime(2022, 1, 1), datetime(2023, 12, 31, 23, 59, 59)
    expected = {i for i, d in dates.items() if d is not None and start <= d <= end}
    found = {h.id for h in corpus.search("date:[2022-01-01 TO 2023-12-31]", limit=ALL)}
    assert expected and found == expected
