"""Caches of what a segment or an index state never changes (the lexicon fuzzy words look
their candidates up in, the date column): shared by the readers of every thread, so a
commit costs one reload and not one per thread of a server; never stale after a commit."""

from __future__ import annotations

from pathlib import Path

from indexer import Corpus
from indexer.query.expansion import _slices
from indexer.store.schema import BODY_EXACT
from indexer.store.stats import index_dates, segment_dates

REPO = Path(__file__).resolve().parents[1]


def test_readers_of_one_state_share_it_and_a_commit_starts_another(tmp_path):
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([REPO / "corpus"])
        index = corpus.open_index()
        first, second = index.searcher(), index.searcher()
        assert _slices(first.reader(), BODY_EXACT) is _slices(second.reader(), BODY_EXACT)
        corpus.add([{"id": "new", "title": "خبر", "body": "وصل بلينكون إلى المنطقة"}])
        third = corpus.open_index().searcher()
        assert _slices(third.reader(), BODY_EXACT) is not _slices(first.reader(), BODY_EXACT)
        for searcher in (first, second, third):
            searcher.close()


def test_a_word_added_by_a_commit_is_found_by_the_next_fuzzy_search(tmp_path):
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([REPO / "corpus"])
        before = {hit.id for hit in corpus.search("بلينكن~", limit=100)}
        corpus.add([{"id": "new", "title": "خبر", "body": "وصل بلينكون إلى المنطقة"}])
        after = {hit.id for hit in corpus.search("بلينكن~", limit=100)}
        assert after == before | {"new"}


def test_dates_are_read_once_per_segment_and_a_new_segment_reads_its_own(tmp_path):
    with Corpus(tmp_path / "index") as corpus:
        corpus.index([REPO / "corpus"])
        index = corpus.open_index()
        first, second = index.searcher(), index.searcher()
        [(leaf_one, _)], [(leaf_two, _)] = first.reader().leaf_readers(), second.reader().leaf_readers()
        assert leaf_one is not leaf_two and segment_dates(leaf_one) is segment_dates(leaf_two)
        corpus.add([{"id": "new", "title": "خبر", "body": "نص جديد", "date": "2040-02-02"}])
        third = corpus.open_index().searcher()
        dates = index_dates(third.reader())
        assert len(dates) == third.reader().doc_count_all() == first.reader().doc_count_all() + 1
        assert corpus.search("جديد", since="2040-02-01").total == 1
        for searcher in (first, second, third):
            searcher.close()
