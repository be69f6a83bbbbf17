"""Every real file in ../shared/data/messy indexes with correct Arabic, or is skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import Corpus
from tests.sources.test_sources_real import SKIPPED_FILES, TEXT_FILES


@pytest.fixture(scope="module")
def messy_index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, object]:
    corpus = Corpus(tmp_path_factory.mktemp("messy") / "index")
    report = corpus.index([shared_data / "messy"])
    yield corpus, report
    corpus.close()


@pytest.mark.parametrize("name", sorted(TEXT_FILES))
def test_each_text_file_is_findable_by_its_own_words(messy_index, name: str) -> None:
    corpus, _ = messy_index
    for word in TEXT_FILES[name][1]:
        ids = {hit.id for hit in corpus.search(word, exact=True, limit=5000)}
        assert any(doc_id.endswith(name) for doc_id in ids), (word, sorted(ids)[:5])


def test_skipped_files_are_reported_with_their_reason(messy_index) -> None:
    _, report = messy_index
    for name, reason in SKIPPED_FILES.items():
        matches = [p for p in report.skipped if p.origin.endswith(name)]
        assert matches and reason in matches[0].reason, (name, matches)


def test_saudinewsnet_day_and_csv_ingest_fully(messy_index) -> None:
    corpus, report = messy_index
    day = [p for p in report.skipped if "saudinewsnet_2015-07-23" in p.origin]
    assert len(day) == 2 and all("no title or body" in p.reason for p in day)  # title "" and body " "
    assert corpus.search("date:2015-07-23", limit=0).total >= 1316 - 10  # crawl times cross midnight UTC
