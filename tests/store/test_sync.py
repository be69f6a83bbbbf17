"""Indexing real articles: round trip, incremental sync, prune, delete, duplicates."""

from __future__ import annotations

import html
import json
import math
import shutil
from pathlib import Path

import pytest

from indexer import Corpus

BUNDLED_CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_sample_round_trips_stored_fields(sample_corpus: Corpus, sample_jsonl: Path) -> None:
    rows = load(sample_jsonl)
    blank = {row["id"] for row in rows if not row["title"].strip() and not row["body"].strip()}
    assert len(blank) == 3  # skipped and reported: neither a title nor a body
    source = {row["id"]: row for row in rows if row["id"] not in blank}
    with sample_corpus.open_index().searcher() as searcher:
        stored = {fields["id"]: fields for fields in searcher.all_stored_fields()}
    assert stored.keys() == source.keys()
    for doc_id, row in source.items():
        for name in ("title", "body", "url", "source"):
            # title and body: HTML character references the feed left (&quot;) are decoded
            expected = html.unescape(row[name] or "") if name in ("title", "body") else row[name] or ""
            assert stored[doc_id].get(name, "") == expected, (doc_id, name)
        assert stored[doc_id]["date_raw"] == row["date"]


def test_unchanged_rerun_writes_nothing(sample_corpus: Corpus, sample_jsonl: Path) -> None:
    report = sample_corpus.index([sample_jsonl])
    assert (report.added, report.updated, report.unchanged, report.deleted) == (0, 0, 997, 0)
    assert len(report.skipped) == 3


def test_incremental_counts_exact_and_index_matches_source(sample_jsonl: Path, tmp_path: Path) -> None:
    rows = [r for r in load(sample_jsonl) if r["title"].strip() or r["body"].strip()]
    assert len(rows) == 997
    source = tmp_path / "news.jsonl"
    write(source, rows)
    corpus = Corpus(tmp_path / "index")
    assert corpus.index([source]).added == 997

    changed = rows[:10]
    for row in changed:
        row["body"] = row["body"] + " تحديثقققق"
    kept = rows[:992]  # the last 5 are deleted
    new = [{"id": f"new-{i}", "title": f"خبر جديد رقم {i}", "body": "نص الخبر"} for i in range(5)]
    write(source, kept + new)

    report = corpus.index([source], prune=True)
    assert (report.added, report.updated, report.unchanged, report.deleted) == (5, 10, 982, 5)
    assert report.total_documents == 997
    with corpus.open_index().searcher() as searcher:
        stored = {f["id"]: f for f in searcher.all_stored_fields()}
    assert stored.keys() == {r["id"] for r in kept + new}
    assert all(stored[r["id"]]["body"].endswith(" تحديثقققق") for r in changed)
    assert corpus.search("تحديثقققق").total == 10


def test_without_prune_nothing_is_deleted(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    write(source, [{"id": "1", "title": "وزير", "body": "نص"}, {"id": "2", "title": "سفير", "body": "نص"}])
    corpus = Corpus(tmp_path / "index")
    corpus.index([source])
    write(source, [{"id": "1", "title": "وزير", "body": "نص"}])
    report = corpus.index([source])
    assert (report.deleted, report.total_documents) == (0, 2)


def test_delete_by_id(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    write(source, [{"id": str(i), "title": f"خبر {i}", "body": "نص"} for i in range(3)])
    corpus = Corpus(tmp_path / "index")
    corpus.index([source])
    report = corpus.delete(["1", "missing"])
    assert (report.deleted, report.total_documents) == (1, 2)
    assert {h.id for h in corpus.search("خبر")} == {"0", "2"}
    # Every way of matching skips the deleted document (postings, positions, patterns).
    for query in ('"خبر 1"', "خب*", "خبرا~", "خبر NEAR/1 1", "=خبر", "خبر -0"):
        found = corpus.search(query)
        assert "1" not in {h.id for h in found} and found.total == len(found.hits), query


def test_duplicate_id_in_one_run_keeps_first_and_reports(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    write(source, [{"id": "x", "title": "الأول", "body": "نص"}, {"id": "x", "title": "الثاني", "body": "نص"}])
    corpus = Corpus(tmp_path / "index")
    report = corpus.index([source])
    assert (report.added, report.total_documents) == (1, 1)
    assert len(report.skipped) == 1 and "duplicate id" in report.skipped[0].reason
    assert report.skipped[0].origin.endswith(":2")


def test_rebuild_swaps_in_a_fresh_index(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    write(source, [{"id": "1", "title": "وزير", "body": "نص"}])
    corpus = Corpus(tmp_path / "index")
    corpus.index([source])
    first = corpus.location.live_generation()
    report = corpus.index([source], rebuild=True)
    assert report.added == 1 and report.rebuilt
    assert corpus.location.live_generation() != first
    assert corpus.search("وزير").total == 1


def test_skipped_records_are_reported_not_fatal(tmp_path: Path) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text('{"id": "1", "title": "وزير"}\n{broken\n{"id": "3"}\n', encoding="utf-8")
    report = Corpus(tmp_path / "index").index([source])
    assert report.added == 1
    origins = sorted(p.origin for p in report.skipped)
    assert origins == [f"{source}:2", f"{source}:3"] or [o.rsplit(":", 1)[1] for o in origins] == ["2", "3"]


def test_incompatible_analyzer_version_says_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "a.jsonl"
    write(source, [{"id": "1", "title": "وزير", "body": "نص"}])
    corpus = Corpus(tmp_path / "index")
    corpus.index([source])
    import indexer.store.location as location

    monkeypatch.setattr(location, "ANALYZER_VERSION", "999")
    from indexer import IncompatibleIndexError

    with pytest.raises(IncompatibleIndexError, match=r"Corpus\.index\(sources, rebuild=True\)"):
        Corpus(tmp_path / "index").search("وزير")
    report = Corpus(tmp_path / "index").index([source], rebuild=True)
    assert report.added == 1


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    from indexer import UsageError

    with pytest.raises(UsageError, match="no-such"):
        Corpus(tmp_path / "index").index([tmp_path / "no-such.jsonl"])
    assert not (tmp_path / "index" / "current").exists()


def test_bundled_corpus_indexes_fully(bundled_corpus: Corpus) -> None:
    stats = bundled_corpus.stats()
    assert stats.documents == 39
    assert sum(stats.sources.values()) == 39
    assert stats.date_min < stats.date_max


def test_copy_is_independent(tmp_path: Path, sample_jsonl: Path) -> None:
    # CORPUS_INDEX and --index choose the directory; default is ./index
    shutil.copy(sample_jsonl, tmp_path / "s.jsonl")
    corpus = Corpus(tmp_path / "elsewhere")
    assert corpus.index([tmp_path / "s.jsonl"]).added == 997
    assert corpus.stats().documents == 997


def test_add_accepts_mappings_and_skips_those_without_id(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "index")
    report = corpus.add([
        {"id": "1", "title": "وزير الخارجية", "date": "2015-07-25"},
        {"title": "بلا معرف"},
        {"id": "3"},
    ])
    assert report.added == 1 and len(report.skipped) == 2
    hit = corpus.search("وزير").hits[0]
    assert (hit.id, hit.date[:10]) == ("1", "2015-07-25")
    assert corpus.add([{"id": "1", "title": "وزير الخارجية", "date": "2015-07-25"}]).unchanged == 1


def test_delete_without_an_index_says_so(tmp_path: Path) -> None:
    from indexer import CorpusError

    with pytest.raises(CorpusError, match="no index"):
        Corpus(tmp_path / "none").delete(["1"])
    assert not (tmp_path / "none").exists()


def test_parallel_batches_index_what_one_writer_does(
    sample_corpus: Corpus, sample_jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Articles stream into two writer processes once a batch passes PARALLEL_MIN; the
    # last, smaller batch is written in this process. Same documents, same answers.
    from indexer.store import sync

    monkeypatch.setattr(sync, "PARALLEL_MIN", 300)
    monkeypatch.setattr(sync, "BATCH_SIZE", 400)
    rows = [r for r in load(sample_jsonl) if r["title"].strip() or r["body"].strip()]
    source = tmp_path / "news.jsonl"
    write(source, rows)
    corpus = Corpus(tmp_path / "index")
    report = corpus.index([source])
    assert (report.added, report.total_documents) == (997, 997)
    with corpus.open_index().searcher() as searcher:
        # 400 + 400 in two writers each, then 197: five segments of one merge tier, merged
        # once the run has committed them
        assert len(searcher.reader().leaf_readers()) == 1
        stored = {fields["id"]: fields for fields in searcher.all_stored_fields()}
    with sample_corpus.open_index().searcher() as searcher:
        assert stored == {fields["id"]: fields for fields in searcher.all_stored_fields()}
    for query in ["السعودية", '"وزير الخارجية"', "الملك NEAR/5 سلمان", "date:[2015-07-21 TO 2015-07-31]"]:
        ours = {hit.id: hit.score for hit in corpus.search(query, limit=1000)}
        theirs = {hit.id: hit.score for hit in sample_corpus.search(query, limit=1000)}
        assert ours and ours.keys() == theirs.keys(), query
        assert all(math.isclose(ours[i], theirs[i], rel_tol=1e-6) for i in ours), query

    for row in rows[390:410]:  # across the first two batches: replaced, never duplicated
        row["body"] += " تحديثقققق"
    write(source, rows)
    report = corpus.index([source])
    assert (report.added, report.updated, report.unchanged, report.total_documents) == (0, 20, 977, 997)
    assert corpus.search("تحديثقققق", exact=True, limit=100).total == 20
    corpus.close()


def test_a_directory_of_the_users_beside_the_generations_is_left_alone(tmp_path: Path) -> None:
    index = tmp_path / "index"
    corpus = Corpus(index)
    corpus.index([BUNDLED_CORPUS])
    backup = index / "gen-backup"
    backup.mkdir()
    (backup / "note.txt").write_text("mine", encoding="utf-8")
    for _ in range(2):  # the second rebuild removes the first generation, never the backup
        assert corpus.index([BUNDLED_CORPUS], rebuild=True).added == 39
    assert (backup / "note.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in index.iterdir() if p.name.startswith("gen-")) == ["gen-000002", "gen-000003", "gen-backup"]
    corpus.close()


def test_a_run_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    corpus = Corpus(tmp_path / "index")
    corpus.index([BUNDLED_CORPUS])
    meta = corpus.location.live_generation() / "meta.json"
    before = (meta.read_bytes(), meta.stat().st_mtime_ns)
    report = corpus.index([BUNDLED_CORPUS])
    assert (report.added, report.updated, report.unchanged) == (0, 0, 39)
    assert (meta.read_bytes(), meta.stat().st_mtime_ns) == before
    corpus.close()


def test_a_half_built_rebuild_is_cleared_by_the_next_run(tmp_path: Path) -> None:
    index = tmp_path / "index"
    corpus = Corpus(index)
    corpus.index([BUNDLED_CORPUS])
    debris = index / "gen-000002"  # what a rebuild killed mid-way leaves
    debris.mkdir()
    (debris / "_MAIN_1.toc").write_bytes(b"half")
    corpus.index([BUNDLED_CORPUS])
    assert not debris.exists() and corpus.location.live_generation().name == "gen-000001"
    assert corpus.index([BUNDLED_CORPUS], rebuild=True).added == 39
    assert corpus.location.live_generation().name == "gen-000002" and corpus.search("وزير").total > 0
    corpus.close()
