"""Fuzzy words look their candidates up in a lexicon cache per index state: shared by the
readers of every thread, and never stale after a commit."""

from __future__ import annotations

from pathlib import Path

from indexer import Corpus
from indexer.query.expansion import _slices
from indexer.store.schema import BODY_EXACT

REPO = Path(__file__).resolve().parents[2]


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
