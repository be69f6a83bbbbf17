"""Small commits (nightly runs) merge their segments in tiers, and lose nothing doing so."""

from __future__ import annotations

import json
import math
from pathlib import Path

from indexer import Corpus
from indexer.store.merging import MERGE_FACTOR, tier

QUERIES = ["السعودية", "وزير", '"المملكة العربية"']


def test_tiers_are_powers_of_the_merge_factor() -> None:
    assert MERGE_FACTOR == 3
    assert [tier(n) for n in (0, 1, 2, 3, 8, 9, 242, 243, 20_000)] == [0, 0, 0, 1, 1, 2, 4, 5, 9]


def segment_sizes(corpus: Corpus) -> list[int]:
    with corpus.open_index().searcher() as searcher:
        return [reader.doc_count() for reader, _ in searcher.reader().leaf_readers()]


def scores(corpus: Corpus, query: str) -> dict[str, float]:
    return {hit.id: hit.score for hit in corpus.search(query, limit=100)}


def test_many_small_commits_keep_few_segments_and_every_document(sample_jsonl: Path, tmp_path: Path) -> None:
    rows = [json.loads(line) for line in sample_jsonl.open(encoding="utf-8")][:100]
    rows = [r for r in rows if r["title"].strip() or r["body"].strip()][:60]
    nightly = Corpus(tmp_path / "nightly")
    for start in range(0, 50, 5):  # ten commits of 5 articles
        nightly.add(rows[start:start + 5])
    # 5, 5, 5 merge with the 4th commit into 20; again at the 8th; then 5, 5.
    assert segment_sizes(nightly) == [20, 20, 5, 5]

    once = Corpus(tmp_path / "once")
    once.add(rows[:50])
    with nightly.open_index().reader() as merged, once.open_index().reader() as fresh:
        # Whoosh's merge would re-sum lengths from one-byte approximations (about 1% off).
        assert [merged.field_length(f) for f in ("title", "body")] == [fresh.field_length(f) for f in ("title", "body")]
    for query in QUERIES:
        ours, theirs = scores(nightly, query), scores(once, query)
        assert ours.keys() == theirs.keys(), query
        assert all(math.isclose(ours[i], theirs[i], rel_tol=1e-9) for i in ours), query

    gone = [rows[45]["id"], rows[46]["id"]]
    nightly.delete(gone)  # the last 5-article segment keeps 3 live documents
    nightly.add(rows[50:55])
    nightly.add(rows[55:60])  # 5, 3, 5 in one tier: merged, deleted documents dropped
    assert segment_sizes(nightly) == [20, 20, 18]
    assert nightly.stats().documents == 58
    assert [nightly.search(f"id:\"{doc_id}\"").total for doc_id in gone] == [0, 0]
    once.delete(gone)
    once.add(rows[50:60])
    for query in QUERIES:
        assert scores(nightly, query).keys() == scores(once, query).keys(), query
    nightly.close()
    once.close()


def test_merging_a_replaced_article_without_a_title(tmp_path: Path) -> None:
    """A document's empty field is length byte 0; its length is 0, never None, or merging the
    segment that deleted it failed (found by the server's fuzz test, POST /api/articles)."""
    corpus = Corpus(tmp_path / "index")
    for round_ in range(2 * MERGE_FACTOR):
        report = corpus.add([{"id": "no-title", "title": "", "body": f"نص الخبر رقم {round_}"}, {"id": f"n{round_}", "title": "خبر", "body": "وزير"}])
        assert report.updated + report.added >= 1
    assert corpus.search("نص").total == 1 and corpus.search("وزير").total == 2 * MERGE_FACTOR


def every_posting(index) -> list:  # type: ignore[no-untyped-def]
    """Every term of every field with its postings (ids, weights, values) and its term
    statistics, and every stored document, in order."""
    found = []
    with index.reader() as reader:
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            matcher = reader.postings(fieldname, btext)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            stats = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length(), info.max_weight())
            found.append((fieldname, btext, stats, postings))
        found.append([stored for _, stored in reader.iter_docs()])
    return found


def test_a_merge_writes_what_whoosh_s_posting_by_posting_merge_writes(sample_jsonl: Path, tmp_path: Path) -> None:
    import shutil

    from whoosh.writing import SegmentWriter

    from indexer.store.merging import _merge
    from indexer.store.streams import CACHE_DIR, _load
    from indexer.store.writer import CorpusWriter

    class WhooshMerge(CorpusWriter):
        add_postings_to_pool = SegmentWriter.add_postings_to_pool

    rows = [json.loads(line) for line in sample_jsonl.open(encoding="utf-8")][:120]
    with Corpus(tmp_path / "a") as corpus:
        for start, end in ((0, 60), (60, 80), (80, 85)):
            corpus.add(rows[start:end])  # three segments of three tiers: none merged yet
        corpus.delete([r["id"] for r in rows[::7]])  # deletions in each
    shutil.copytree(tmp_path / "a", tmp_path / "b", symlinks=True)
    merged = {}
    for name, writer_class in (("a", CorpusWriter), ("b", WhooshMerge)):
        with Corpus(tmp_path / name) as corpus:
            index = corpus.open_index()
            assert len(index._segments()) == 3
            writer_class(index).commit(mergetype=lambda w, segments: [_merge(w, s) for s in segments] and [])
            index = corpus.open_index()
            assert len(index._segments()) == 1
            generation = corpus.location.require_live_generation()
            segment = index._segments()[0].segment_id()
            streams = {f: _load(generation / CACHE_DIR / f"{segment}.{f}") for f in ("body", "body_exact")}
            merged[name] = (every_posting(index), {f: (s.words, s.tokens.tolist()) for f, s in streams.items()},
                            [scores(corpus, q) for q in QUERIES])
    assert merged["a"][0] == merged["b"][0]  # postings, term statistics, stored documents
    assert merged["a"][1] == merged["b"][1]  # the views' streams
    assert merged["a"][2] == merged["b"][2]  # and so the scores
